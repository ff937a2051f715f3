// Graph explorer (Cytoscape.js from npm): a start node and its neighbours; click a node to see its page link and
// expand it, a group node ("支援官 (24)") opens a page at a time; reset, collapse, and the same nodes as a list.
(function () {
  const form = document.getElementById("explorer-form");
  const root = document.getElementById("explorer");
  const list = document.getElementById("graph-list");
  const resetButton = document.getElementById("x-reset");
  const collapseButton = document.getElementById("x-collapse");
  const expandButton = document.getElementById("x-expand");
  const short = (label) => (label.length > 14 ? `${label.slice(0, 13)}…` : label); // the full name is in the panel
  const text = (name, values) => (root.dataset[name] || "").replace(/%\((\w+)\)s/g, (_, k) => String(values[k]));

  // Kinds in the legend's order, with the legend's names, colours and shapes (one table for both).
  const kinds = [...document.querySelectorAll("#x-legend li[data-colour]")].map((li) => li.dataset);
  const kindOrder = new Map(kinds.map((k, i) => [k.kind, i]));
  const style = [
    { selector: "node", style: { label: (n) => short(n.data("label")), "font-size": 14, "min-zoomed-font-size": 6, "text-valign": "bottom", "text-margin-y": 3,
      "text-wrap": "ellipsis", "text-max-width": 180, width: 22, height: 22, "background-color": "#8c959f",
      color: "#24292f", "text-background-color": "#ffffff", "text-background-opacity": 0.8,
      "text-background-padding": 1 } },
    ...kinds.map((k) => ({ selector: `node[kind = '${k.kind}']`,
      style: { "background-color": k.colour, shape: k.shape } })),
    { selector: "node[kind = 'activity'], node[kind = 'subject']", style: { width: 16, height: 16, "font-size": 12 } },
    { selector: "node[kind = 'group']", style: { shape: "round-rectangle", width: 30, height: 20,
      "background-color": "#f6f8fa", "border-width": 1.5, "border-style": "dashed", "border-color": "#57606a",
      "font-weight": "bold" } },
    { selector: "node.root", style: { width: 32, height: 32, "font-size": 16, "font-weight": "bold" } },
    { selector: "node.expanded", style: { "border-width": 3, "border-color": "#24292f" } },
    { selector: "node:selected", style: { "overlay-color": "#0969da", "overlay-opacity": 0.25, "overlay-padding": 6 } },
    { selector: "edge", style: { width: 1, "line-color": "#afb8c1", "target-arrow-shape": "triangle",
      "target-arrow-color": "#afb8c1", "curve-style": "bezier", "font-size": 11, color: "#57606a",
      "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.9 } },
    { selector: "edge.near", style: { label: "data(label)", width: 2, "line-color": "#57606a",
      "target-arrow-color": "#57606a" } },
    { selector: "edge[label = '']", style: { "line-style": "dashed" } },
  ];
  const cy = cytoscape({ container: document.getElementById("graph"), style, minZoom: 0.2,
    maxZoom: 3 });

  let rootId = null; // the start node's canonical id (kind:key)
  const addedBy = new Map(); // expanded node id → ids of the nodes its expansion added
  const groups = new Map(); // group node id → {parent, nodes, edges, shown, size}
  const rings = new Map(); // node id → rings of neighbours already placed around it
  let selected = null;

  // New nodes go on rings around the node they came from, same kinds side by side; after the first expansion
  // they fan out away from the rest of the graph, so what was there stays where it was.
  function place(freshNodes, around) {
    if (freshNodes.length === 0) return;
    const fresh = cy.collection(freshNodes);
    const centre = around && around.nonempty() ? { ...around.position() } : { x: 0, y: 0 };
    const rest = cy.nodes().not(fresh).not(around || cy.collection());
    let span = 2 * Math.PI, from = -Math.PI / 2;
    if (rest.nonempty()) {
      const box = rest.boundingBox();
      const away = Math.atan2(centre.y - (box.y1 + box.y2) / 2, centre.x - (box.x1 + box.x2) / 2);
      span = 1.4 * Math.PI;
      from = away - span / 2;
    }
    const rank = (n) => kindOrder.get(n.data("kind")) ?? 99;
    const sorted = fresh.toArray().sort((a, b) => rank(a) - rank(b));
    const perRing = Math.max(8, Math.floor((span * 230) / 100));
    const id = around && around.nonempty() ? around.id() : "";
    const first = rings.get(id) || 0; // rings already used around this node (a group's next page goes outside)
    rings.set(id, first + Math.ceil(sorted.length / perRing));
    sorted.forEach((n, i) => {
      const ring = first + Math.floor(i / perRing);
      const inRing = Math.min(perRing, sorted.length - ring * perRing);
      const step = (i % perRing) + (span < 2 * Math.PI ? 0.5 : 0) + (ring % 2) * 0.5;
      const angle = from + (span * step) / inRing;
      const r = 230 + ring * 120;
      n.position({ x: centre.x + r * Math.cos(angle), y: centre.y + r * Math.sin(angle) });
    });
    cy.fit(fresh.union(around || cy.collection()), 30); // show what was added, readable; 全体を表示 shows all
    if (cy.zoom() > 1.2) cy.zoom({ level: 1.2, position: centre });
  }

  // Add nodes and edges not yet on the graph (ids are canonical, so a thing met again is the same node).
  function addAll(nodes, edges) {
    const fresh = [];
    for (const n of nodes) {
      if (cy.getElementById(n.data.id).empty()) fresh.push(cy.add({ group: "nodes", data: n.data })[0]);
    }
    for (const e of edges) {
      if (cy.getElementById(e.data.id).empty() && !cy.getElementById(e.data.source).empty()
          && !cy.getElementById(e.data.target).empty()) cy.add({ group: "edges", data: e.data });
    }
    return fresh;
  }

  function remember(parent, fresh) {
    if (!addedBy.has(parent)) addedBy.set(parent, new Set());
    for (const n of fresh) addedBy.get(parent).add(n.id());
  }

  async function expand(id) {
    const node = cy.getElementById(id);
    if (node.nonempty() && node.data("kind") === "group") { openGroup(id); return; }
    if (addedBy.has(id)) { select(id); return; } // expanded already: nothing new to fetch
    const at = id.indexOf(":");
    const response = await fetch(`/explorer/neighbours?kind=${encodeURIComponent(id.slice(0, at))}`
      + `&key=${encodeURIComponent(id.slice(at + 1))}`, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    adopt(data, node);
  }

  function adopt(data, around) {
    const source = data.nodes[0].data.id;
    if (rootId === null) rootId = source;
    for (const [gid, g] of Object.entries(data.groups || {})) {
      if (!groups.has(gid)) groups.set(gid, { parent: source, nodes: g.nodes, edges: g.edges, shown: 0,
        size: data.page_size || 12 });
    }
    const fresh = addAll(data.nodes, data.edges);
    remember(source, fresh.filter((n) => n.id() !== source));
    if (!addedBy.has(source)) addedBy.set(source, new Set());
    cy.getElementById(source).addClass("expanded");
    cy.getElementById(rootId).addClass("root");
    const centre = cy.getElementById(source);
    if (fresh.some((n) => n.id() === source)) centre.position({ x: 0, y: 0 }); // a new start sits in the middle
    place(fresh.filter((n) => n.id() !== source), centre);
    select(source);
  }

  // A group node opens its next page of members; when all are shown it goes away.
  function openGroup(gid) {
    const g = groups.get(gid);
    if (!g) return;
    const page = g.nodes.slice(g.shown, g.shown + g.size);
    g.shown += page.length;
    const fresh = addAll(page, g.edges.filter((e) => page.some((n) => n.data.id === e.data.source
      || n.data.id === e.data.target)));
    remember(g.parent, fresh);
    const node = cy.getElementById(gid);
    const left = g.nodes.length - g.shown;
    if (left > 0) {
      node.data("label", text("more", { kind: node.data("kind_label"), n: left }));
      select(gid);
    } else {
      cy.getElementById(g.parent).select();
      node.remove();
      groups.delete(gid);
      select(g.parent);
    }
    place(fresh, cy.getElementById(g.parent));
  }

  function collapse(id) {
    const added = addedBy.get(id);
    if (!added) return;
    addedBy.delete(id);
    rings.delete(id);
    cy.getElementById(id).removeClass("expanded");
    for (const child of added) {
      if (child === rootId || [...addedBy.values()].some((s) => s.has(child))) continue; // shown by another
      collapse(child);
      cy.getElementById(child).remove();
    }
    for (const [gid, g] of groups) {
      if (g.parent === id) { cy.getElementById(gid).remove(); groups.delete(gid); }
    }
  }

  function select(id) {
    selected = id;
    cy.nodes().unselect();
    cy.edges().removeClass("near");
    const node = id ? cy.getElementById(id) : cy.collection();
    node.select();
    node.connectedEdges().addClass("near"); // relation names only around the chosen node: readable
    const chosen = document.getElementById("x-chosen");
    document.getElementById("x-none").hidden = node.nonempty();
    chosen.hidden = node.empty();
    if (node.nonempty()) {
      const d = node.data();
      document.getElementById("x-name").textContent = d.name || d.label;
      const group = d.kind === "group";
      document.getElementById("x-kind-name").textContent = group ? d.label : d.kind_label;
      const link = document.getElementById("x-page");
      document.getElementById("x-page-p").hidden = !d.href;
      if (d.href) link.href = d.href;
      const here = document.getElementById("x-here");
      here.hidden = group;
      const at = d.id.indexOf(":");
      here.href = `/explorer?kind=${encodeURIComponent(d.id.slice(0, at))}&key=${encodeURIComponent(d.id.slice(at + 1))}`;
      expandButton.hidden = !group && addedBy.has(id);
      const g = groups.get(id);
      expandButton.textContent = g ? text("next", { n: Math.min(g.size, g.nodes.length - g.shown) })
        : expandButton.dataset.label;
    }
    collapseButton.disabled = !(node.nonempty() && addedBy.has(id) && id !== rootId);
    render();
  }

  // The same graph as buttons grouped by kind (for keyboards and screen readers): choose = select and expand.
  function render() {
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.id
      : null;
    list.innerHTML = "";
    const byKind = new Map();
    for (const n of cy.nodes()) {
      const k = n.data("kind") === "group" ? "group" : n.data("kind");
      if (!byKind.has(k)) byKind.set(k, []);
      byKind.get(k).push(n);
    }
    const ordered = [...byKind.keys()].sort((a, b) => (kindOrder.get(a) ?? 99) - (kindOrder.get(b) ?? 99));
    for (const k of ordered) {
      const order = (n) => `${n.data("day") || ""} ${n.data("label")}`;
      const nodes = byKind.get(k).sort((a, b) => order(a).localeCompare(order(b), "ja", { numeric: true }));
      const box = document.createElement("div");
      box.className = "x-kind-group";
      box.dataset.kind = k;
      const h = document.createElement("h3");
      h.textContent = `${k === "group" ? document.querySelector("#x-legend li[data-kind=group]").textContent
        : nodes[0].data("kind_label")} (${nodes.length})`;
      const ul = document.createElement("ul");
      for (const n of nodes) {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = n.data("label");
        button.dataset.id = n.id();
        button.dataset.kind = n.data("kind");
        button.setAttribute("aria-pressed", String(n.id() === selected));
        if (addedBy.has(n.id())) button.title = root.dataset.expanded;
        const id = n.id();
        button.addEventListener("click", () => expand(id).then(() => { if (cy.getElementById(id).nonempty()) select(id); }));
        li.appendChild(button);
        ul.appendChild(li);
      }
      box.append(h, ul);
      list.appendChild(box);
    }
    if (focused) {
      const again = [...list.querySelectorAll("button")].find((b) => b.dataset.id === focused);
      if (again) again.focus();
    }
  }

  function clear() {
    cy.elements().remove();
    addedBy.clear();
    groups.clear();
    rings.clear();
    rootId = null;
    selected = null;
  }

  async function start(kind, key) {
    clear();
    const response = await fetch(`/explorer/neighbours?kind=${encodeURIComponent(kind)}&key=${encodeURIComponent(key)}`,
      { headers: { Accept: "application/json" } });
    if (!response.ok) {
      select(null);
      list.textContent = root.dataset.empty;
      return;
    }
    adopt(await response.json(), null);
  }

  expandButton.dataset.label = expandButton.textContent;
  cy.on("tap", "node", (event) => { select(event.target.id()); expand(event.target.id()); });
  expandButton.addEventListener("click", () => { if (selected) expand(selected); });
  collapseButton.addEventListener("click", () => {
    if (!selected) return;
    collapse(selected);
    select(selected);
    cy.fit(undefined, 30);
  });
  resetButton.addEventListener("click", () => {
    if (rootId === null) return;
    const at = rootId.indexOf(":");
    start(rootId.slice(0, at), rootId.slice(at + 1));
  });
  document.getElementById("x-fit").addEventListener("click", () => cy.fit(undefined, 30));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const kind = form.elements.kind.value, key = form.elements.key.value.trim();
    history.replaceState(null, "", `?kind=${encodeURIComponent(kind)}&key=${encodeURIComponent(key)}`);
    if (key) start(kind, key);
  });
  if (form.elements.key.value) start(form.elements.kind.value, form.elements.key.value.trim());
})();
