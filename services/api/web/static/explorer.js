// Graph explorer: load a node and its neighbours, expand a neighbour on click (Cytoscape.js from npm).
(function () {
  const form = document.getElementById("explorer-form");
  const list = document.getElementById("graph-list");
  const colours = { official: "#1f6feb", engagement: "#d1242f", municipality: "#1a7f37", ministry: "#8250df",
    regional_bureau: "#9a6700", programme: "#bf3989", theme: "#57606a", challenge: "#6e7781", team: "#0969da" };
  const cy = cytoscape({
    container: document.getElementById("graph"),
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 11, "background-color":
        (n) => colours[n.data("kind")] || "#8c959f", "text-valign": "bottom", "text-wrap": "ellipsis", "text-max-width": 120 } },
      { selector: "node[kind = 'activity'], node[kind = 'outcome'], node[kind = 'challenge']",
        style: { width: 14, height: 14, "font-size": 9, "text-opacity": 0 } },
      { selector: "node:selected", style: { "text-opacity": 1 } },
      { selector: "edge", style: { width: 1, "line-color": "#d0d7de", "target-arrow-shape": "triangle",
        "target-arrow-color": "#d0d7de", "curve-style": "bezier" } },
      { selector: "edge:selected", style: { label: "data(label)", "font-size": 9 } },
    ],
  });
  async function expand(kind, key) {
    const response = await fetch(`/explorer/neighbours?kind=${encodeURIComponent(kind)}&key=${encodeURIComponent(key)}`);
    if (!response.ok) { list.innerHTML = "<li>—</li>"; return; }
    const data = await response.json();
    cy.add(data.nodes.filter((n) => cy.getElementById(n.data.id).empty()));
    cy.add(data.edges.filter((e) => cy.getElementById(e.data.id).empty()));
    cy.layout({ name: "cose", animate: false }).run();
    list.innerHTML = "";
    for (const n of cy.nodes()) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `${n.data("label")} (${n.data("kind")})`;
      button.dataset.id = n.id();
      button.addEventListener("click", () => open(n.id()));
      li.appendChild(button);
      list.appendChild(li);
    }
  }
  function open(id) {
    const at = id.indexOf(":");
    expand(id.slice(0, at), id.slice(at + 1));
  }
  cy.on("tap", "node", (event) => open(event.target.id()));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    cy.elements().remove();
    const kind = form.elements.kind.value, key = form.elements.key.value;
    history.replaceState(null, "", `?kind=${encodeURIComponent(kind)}&key=${encodeURIComponent(key)}`);
    expand(kind, key);
  });
  if (form.elements.key.value) expand(form.elements.kind.value, form.elements.key.value);
})();
