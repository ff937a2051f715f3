"""Reads behind the back-office pages: periods, stalled engagements, reports falling due, neighbours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from schemas.text import nfkc
from schemas.wareki import wareki
from services.graph.reads import web_read_queries as q
from services.graph.reads.reader import GraphReader
from services.i18n.catalogue import Lang, translate
from services.i18n.message import N_, NC_, Msg


@dataclass(frozen=True)
class NodeKind:
    """One kind of node on the explorer: its graph label, key and display property, its name (a msgid),
    and how it is drawn (colour and Cytoscape shape; the legend draws the same)."""

    label: str
    key: str
    display: str
    name: str
    colour: str
    shape: str


KIND_CONTEXT = "a kind of node on the graph explorer"
RELATION_CONTEXT = "a relation between two nodes on the graph explorer"
# kind → how it is found, named and drawn; labels never come from input.
NODE_KINDS: dict[str, NodeKind] = {
    "official": NodeKind(
        "Official", "id", "name", NC_("a kind of node on the graph explorer", "Official"), "#1f6feb", "ellipse"
    ),
    "engagement": NodeKind(
        "Engagement",
        "id",
        "municipality_name",
        NC_("a kind of node on the graph explorer", "Engagement"),
        "#cf222e",
        "round-rectangle",
    ),
    "team": NodeKind("Team", "id", "name", NC_("a kind of node on the graph explorer", "Team"), "#0a7ea4", "hexagon"),
    "municipality": NodeKind(
        "Municipality",
        "code",
        "name",
        NC_("a kind of node on the graph explorer", "Municipality"),
        "#1a7f37",
        "diamond",
    ),
    "prefecture": NodeKind(
        "Prefecture", "name", "name", NC_("a kind of node on the graph explorer", "Prefecture"), "#4b7d1a", "pentagon"
    ),
    "ministry": NodeKind(
        "Ministry", "name", "name", NC_("a kind of node on the graph explorer", "Ministry"), "#8250df", "rectangle"
    ),
    "bureau": NodeKind(
        "Bureau", "id", "name", NC_("a kind of node on the graph explorer", "Bureau or division"), "#a371f7", "barrel"
    ),
    "regional_bureau": NodeKind(
        "RegionalBureau",
        "name",
        "name",
        NC_("a kind of node on the graph explorer", "Regional bureau"),
        "#9a6700",
        "octagon",
    ),
    "prefectural_department": NodeKind(
        "PrefecturalDepartment",
        "name",
        "name",
        NC_("a kind of node on the graph explorer", "Prefectural department"),
        "#b35900",
        "octagon",
    ),
    "organization": NodeKind(
        "Organization", "name", "name", NC_("a kind of node on the graph explorer", "Body"), "#953800", "tag"
    ),
    "programme": NodeKind(
        "FundingProgram", "name", "name", NC_("a kind of node on the graph explorer", "Programme"), "#bf3989", "star"
    ),
    "theme": NodeKind(
        "Theme", "name", "name", NC_("a kind of node on the graph explorer", "Theme"), "#57606a", "triangle"
    ),
    "challenge": NodeKind(
        "Challenge", "name", "name", NC_("a kind of node on the graph explorer", "Challenge"), "#7d4e00", "vee"
    ),
    "subject": NodeKind(
        "Subject", "name", "name", NC_("a kind of node on the graph explorer", "Subject"), "#6e7781", "round-triangle"
    ),
    "support_flow": NodeKind(
        "SupportFlow",
        "id",
        "area",
        NC_("a kind of node on the graph explorer", "Support given"),
        "#116329",
        "round-rectangle",
    ),
    "outcome": NodeKind(
        "Outcome", "id", "description", NC_("a kind of node on the graph explorer", "Outcome"), "#2da44e", "star"
    ),
    "activity": NodeKind(
        "Activity", "id", "kind", NC_("a kind of node on the graph explorer", "Activity"), "#8c959f", "ellipse"
    ),
    "period": NodeKind(
        "Period",
        "number",
        "number",
        NC_("a kind of node on the graph explorer", "Period"),
        "#24292f",
        "round-rectangle",
    ),
}
KIND_OF_LABEL = {k.label: kind for kind, k in NODE_KINDS.items()}
ACTIVITY_CONTEXT = "an activity's kind on the graph explorer"
ACTIVITY_KINDS = {
    "online_meeting": NC_("an activity's kind on the graph explorer", "Meeting"),
    "site_visit": NC_("an activity's kind on the graph explorer", "Site visit"),
    "company_visit": NC_("an activity's kind on the graph explorer", "Company visit"),
    "coordination": NC_("an activity's kind on the graph explorer", "Coordination"),
}
# relation type → its name on the explorer (an unknown type is shown lower-cased, never as a crash)
RELATIONS = {
    "MEMBER_OF": NC_("a relation between two nodes on the graph explorer", "member of"),
    "BELONGS_TO": NC_("a relation between two nodes on the graph explorer", "belongs to"),
    "SECONDED_FROM": NC_("a relation between two nodes on the graph explorer", "seconded from"),
    "WORKS_IN": NC_("a relation between two nodes on the graph explorer", "works in"),
    "PART_OF": NC_("a relation between two nodes on the graph explorer", "part of"),
    "HAS_TEAM": NC_("a relation between two nodes on the graph explorer", "team"),
    "HAS_ACTIVITY": NC_("a relation between two nodes on the graph explorer", "activity"),
    "TOOK_PART": NC_("a relation between two nodes on the graph explorer", "took part"),
    "ACHIEVED": NC_("a relation between two nodes on the graph explorer", "outcome"),
    "CONTRIBUTED_TO": NC_("a relation between two nodes on the graph explorer", "contributed to"),
    "FACES": NC_("a relation between two nodes on the graph explorer", "faces"),
    "HAS_THEME": NC_("a relation between two nodes on the graph explorer", "support theme"),
    "DESIRES_THEME": NC_("a relation between two nodes on the graph explorer", "theme wanted"),
    "UNDER_THEME": NC_("a relation between two nodes on the graph explorer", "under theme"),
    "FOR_MUNICIPALITY": NC_("a relation between two nodes on the graph explorer", "supports"),
    "IN_PREFECTURE": NC_("a relation between two nodes on the graph explorer", "in prefecture"),
    "IN_PERIOD": NC_("a relation between two nodes on the graph explorer", "in period"),
    "PLANS": NC_("a relation between two nodes on the graph explorer", "plans"),
    "ABOUT": NC_("a relation between two nodes on the graph explorer", "about"),
    "INVOLVES": NC_("a relation between two nodes on the graph explorer", "involves"),
    "VISITED": NC_("a relation between two nodes on the graph explorer", "visited"),
    "COVERS": NC_("a relation between two nodes on the graph explorer", "covers"),
}
GROUP_OVER = 12  # more neighbours of one kind than this are shown as one group node, opened a page at a time
LABEL_CHARS = 40


def kind_name(kind: str, lang: Lang) -> str:
    """A kind's name in `lang` (支援官, 市町村 …)."""
    return translate(Msg(NODE_KINDS[kind].name, context=KIND_CONTEXT), lang)


def _day(value: Any, lang: Lang) -> str:
    """A stored day as the reader writes it (令和7年4月30日 / 2025-04-30); '' when absent or unreadable."""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return ""
    return wareki(day) if lang == "ja" else day.isoformat()


def _name(kind: str, props: dict[str, Any], lang: Lang = "ja") -> str:
    """What a node is called on the explorer, never a bare number: its name, 第3期 for a period, an activity's
    kind (in `lang`) and day."""
    k = NODE_KINDS[kind]
    if kind == "activity":
        kind_value = str(props.get("kind"))
        named = (
            translate(Msg(ACTIVITY_KINDS[kind_value], context=ACTIVITY_CONTEXT), lang)
            if kind_value in ACTIVITY_KINDS
            else kind_name(kind, lang)
        )
        return f"{named} {_day(props.get('start_date'), lang)}".strip()
    if kind == "period":
        return translate(Msg(N_("Period %(n)s"), {"n": props.get("number")}), lang)
    if kind == "engagement":
        return str(props.get("municipality_name") or props.get("id"))
    value = props.get(k.display) or props.get(k.key)
    if value is None or str(value).isdigit():  # a name that is only a number says nothing on its own
        return f"{kind_name(kind, lang)} {value or ''}".strip()
    return str(value)


def _href(kind: str, props: dict[str, Any], engagements: list[str]) -> str | None:
    """The page a node opens: its engagement, or the list or search that shows what it stands for."""
    newest = max(engagements, key=_engagement_order, default=None)
    name = str(props.get(NODE_KINDS[kind].display) or "")
    match kind:
        case "engagement":
            return f"/engagements/{quote(str(props.get('id')), safe='')}"
        case "activity" if newest:
            return f"/engagements/{quote(newest, safe='')}#event-{quote(str(props.get('id')), safe='')}"
        case "official" | "municipality" | "team" | "outcome" | "support_flow" if newest:
            return f"/engagements/{quote(newest, safe='')}"
        case "period":
            return f"/engagements?{urlencode({'period': props.get('number')})}"
        case "prefecture" | "theme" | "ministry" if name:
            return f"/engagements?{urlencode([(kind, name)])}"
        case "programme" | "regional_bureau" | "prefectural_department" | "organization" | "bureau" | "challenge":
            return f"/experts?{urlencode({'q': name})}" if name else None
        case "subject" if name:
            return f"/experts?{urlencode({'q': name})}"
    return None


def _engagement_order(engagement_id: str) -> tuple[int, str]:
    """Newest period first: engagement-<period>-<code>."""
    parts = engagement_id.split("-")
    return (int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0, engagement_id)


def _node(kind: str, props: dict[str, Any], engagements: list[str], lang: Lang) -> dict[str, Any]:
    """One node's Cytoscape data: a canonical id (`kind:key`), a readable label, its kind's name, its page."""
    name = _name(kind, props, lang)
    label = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
    data: dict[str, Any] = {
        "id": f"{kind}:{props.get(NODE_KINDS[kind].key)}",
        "label": label,
        "name": name,
        "kind": kind,
        "kind_label": kind_name(kind, lang),
    }
    if kind == "activity" and props.get("start_date"):
        data["day"] = str(props["start_date"])[:10]  # ISO: activities are listed in the order they happened
    href = _href(kind, props, engagements)
    if href:
        data["href"] = href
    return data


def _relation(rel: str, lang: Lang) -> str:
    return translate(Msg(RELATIONS[rel], context=RELATION_CONTEXT), lang) if rel in RELATIONS else rel.lower()


# One query per kind, built from the table above (never from input).
NEIGHBOURS: dict[str, str] = {kind: q.neighbours_query(k.label, k.key, k.display) for kind, k in NODE_KINDS.items()}


class WebReads(GraphReader):
    """Small reads for the web pages; everything else reuses the API's read services."""

    async def periods(self) -> list[int]:
        """Every period the graph knows, newest first."""
        return [int(r["number"]) for r in await self._read(q.PERIODS) if r["number"] is not None]

    async def ministries(self) -> list[str]:
        """Every ministry an official of the graph belongs to, by name."""
        return [str(r["name"]) for r in await self._read(q.MINISTRIES) if r["name"]]

    async def stalled(self, period: int) -> list[dict[str, Any]]:
        """Engagements of `period` flagged as stalled, quietest first."""
        return await self._read(q.STALLED, period=period)

    async def reports_due(self, period: int) -> list[dict[str, Any]]:
        """Open engagements of `period` with a final report due and not yet submitted, soonest first."""
        return await self._read(q.REPORTS_DUE, period=period)

    async def neighbours(self, kind: str, value: str, limit: int = 400, lang: Lang = "ja") -> dict[str, Any] | None:
        """A node and up to `limit` neighbours (never events) as Cytoscape elements named in `lang`, one node per
        thing (ids `kind:key`), or None if unknown. More than GROUP_OVER neighbours of one kind become one group
        node ("支援官 (24)") whose members are listed under `groups`, for the page to open a page at a time."""
        k = NODE_KINDS[kind]
        values: list[Any] = sorted({value, nfkc(value)})
        if k.key == "number":
            values = [int(v) for v in values if v.isdigit()]
        rows = await self._read(NEIGHBOURS[kind], values=values, labels=list(KIND_OF_LABEL), limit=limit)
        if not rows:
            return None
        row = rows[0]
        start = _node(kind, row["source_props"], row["source_engagements"], lang)
        source = start["id"]
        found: dict[str, tuple[str, dict[str, Any], list[dict[str, Any]]]] = {}  # id → (kind, node, its edges)
        for nb in row["neighbours"]:
            if nb is None:
                continue
            nkind = KIND_OF_LABEL[nb["label"]]
            node = _node(nkind, nb["props"], nb["engagements"], lang)
            a, b = (source, node["id"]) if nb["outgoing"] else (node["id"], source)
            edge = {"id": f"{a}|{nb['rel']}|{b}", "source": a, "target": b, "label": _relation(nb["rel"], lang)}
            if node["id"] == source:
                continue  # a relation of the node to itself
            # one node per thing, with every relation to it (a theme both wanted and agreed has two edges)
            found.setdefault(node["id"], (nkind, node, []))[2].append({"data": edge})
        nodes: list[dict[str, Any]] = [{"data": start}]
        edges: list[dict[str, Any]] = []
        groups: dict[str, dict[str, Any]] = {}
        for nkind in NODE_KINDS:  # the table's order: people first, details last
            of_kind = sorted(
                ((n, e) for k, n, e in found.values() if k == nkind),
                key=lambda pair: (pair[0].get("day", ""), pair[0]["name"], pair[0]["id"]),
            )
            if len(of_kind) <= GROUP_OVER:
                nodes += [{"data": n} for n, _ in of_kind]
                edges += [edge for _, e in of_kind for edge in e]
                continue
            group_id = f"group:{source}|{nkind}"
            name = kind_name(nkind, lang)
            group = {
                "id": group_id,
                "label": f"{name} ({len(of_kind)})",
                "name": name,
                "kind": "group",
                "of_kind": nkind,
                "kind_label": name,
                "count": len(of_kind),
            }
            nodes.append({"data": group})
            edges.append(
                {"data": {"id": f"{source}|group|{group_id}", "source": source, "target": group_id, "label": ""}}
            )
            groups[group_id] = {"nodes": [{"data": n} for n, _ in of_kind], "edges": [x for _, e in of_kind for x in e]}
        return {"nodes": nodes, "edges": edges, "groups": groups, "page_size": GROUP_OVER}
