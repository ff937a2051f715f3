"""Reads behind the back-office pages: periods, stalled engagements, reports falling due, neighbours."""

from __future__ import annotations

from typing import Any

from services.graph.reads import web_read_queries as q
from services.graph.reads.reader import GraphReader
from services.i18n.catalogue import Lang, translate
from services.i18n.message import NC_, Msg

# kind → (label, key property, display property); labels never come from input.
NODE_KINDS: dict[str, tuple[str, str, str]] = {
    "official": ("Official", "id", "name"),
    "engagement": ("Engagement", "id", "municipality_name"),
    "team": ("Team", "id", "name"),
    "municipality": ("Municipality", "code", "name"),
    "prefecture": ("Prefecture", "name", "name"),
    "ministry": ("Ministry", "name", "name"),
    "regional_bureau": ("RegionalBureau", "name", "name"),
    "bureau": ("Bureau", "id", "name"),
    "programme": ("FundingProgram", "name", "name"),
    "organization": ("Organization", "name", "name"),
    "prefectural_department": ("PrefecturalDepartment", "name", "name"),
    "theme": ("Theme", "name", "name"),
    "challenge": ("Challenge", "name", "name"),
    "subject": ("Subject", "name", "name"),
    "outcome": ("Outcome", "id", "description"),
    "activity": ("Activity", "id", "kind"),
    "period": ("Period", "number", "number"),
}
KIND_OF_LABEL = {label: kind for kind, (label, _, _) in NODE_KINDS.items()}
ACTIVITY_CONTEXT = "an activity's kind on the graph explorer"
ACTIVITY_KINDS = {
    "online_meeting": NC_("an activity's kind on the graph explorer", "Meeting"),
    "site_visit": NC_("an activity's kind on the graph explorer", "Site visit"),
    "company_visit": NC_("an activity's kind on the graph explorer", "Company visit"),
    "coordination": NC_("an activity's kind on the graph explorer", "Coordination"),
}


def _name(kind: str, props: dict[str, Any], lang: Lang = "ja") -> str:
    """What a node is called on the explorer: its name, or for an activity its kind (in `lang`) and day."""
    _, key, display = NODE_KINDS[kind]
    if kind == "activity":
        kind_name = str(props.get("kind"))
        named = (
            translate(Msg(ACTIVITY_KINDS[kind_name], context=ACTIVITY_CONTEXT), lang)
            if kind_name in ACTIVITY_KINDS
            else kind_name
        )
        return f"{named} {props.get('start_date') or ''}".strip()
    return str(props.get(display) or props.get(key))


# One query per kind, built from the table above (never from input).
NEIGHBOURS: dict[str, str] = {
    kind: q.neighbours_query(label, key, display) for kind, (label, key, display) in NODE_KINDS.items()
}


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

    async def neighbours(self, kind: str, value: str, limit: int = 60, lang: Lang = "ja") -> dict[str, Any] | None:
        """A node and up to `limit` neighbours (never events), as Cytoscape elements named in `lang`; None if
        unknown."""
        _, key, _ = NODE_KINDS[kind]
        typed: Any = int(value) if key == "number" and value.isdigit() else value
        rows = await self._read(NEIGHBOURS[kind], value=typed, labels=list(KIND_OF_LABEL), limit=limit)
        if not rows:
            return None
        row = rows[0]
        source = f"{kind}:{value}"
        nodes = [{"data": {"id": source, "label": str(row["source_name"] or value), "kind": kind}}]
        edges = []
        for nb in row["neighbours"]:
            if nb is None:
                continue
            nkind = KIND_OF_LABEL[nb["label"]]
            props = nb["props"]
            node_id = f"{nkind}:{props.get(NODE_KINDS[nkind][1])}"
            nodes.append({"data": {"id": node_id, "label": _name(nkind, props, lang)[:40], "kind": nkind}})
            a, b = (source, node_id) if nb["outgoing"] else (node_id, source)
            edges.append({"data": {"id": f"{a}|{nb['rel']}|{b}", "source": a, "target": b, "label": nb["rel"]}})
        return {"nodes": nodes, "edges": edges}
