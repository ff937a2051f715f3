"""Cypher for connections: endpoint lookups by unique keys (labels from this table only) and the paths."""

from schemas.graph_views import NodeKind
from services.graph.projection.statements import BODY_LABELS as LABEL_OF_KIND

BODY_LABELS = tuple(LABEL_OF_KIND.values())  # the projection's own body kind → label table

# kind → (label, key property) for the kinds with one label; bodies try each body label.
KEYED: dict[NodeKind, tuple[str, str]] = {
    NodeKind.OFFICIAL: ("Official", "id"),
    NodeKind.ENGAGEMENT: ("Engagement", "id"),
    NodeKind.TEAM: ("Team", "id"),
    NodeKind.MUNICIPALITY: ("Municipality", "code"),
    NodeKind.PREFECTURE: ("Prefecture", "name"),
    NodeKind.MINISTRY: ("Ministry", "name"),
}

NODE_VIEW = (
    "{labels: labels(n), props: n {.id, .name, .code, .municipality_name, .period, .kind, .start_date, .description}}"
)


def endpoint(kind: NodeKind, var: str, param: str) -> str:
    """A subquery binding `var` to the node of `kind` whose key is `$param` (unique-index lookups only)."""
    if kind is NodeKind.BODY:
        lookups = [f"MATCH ({var}:{label} {{name: ${param}}}) RETURN {var}" for label in BODY_LABELS]
    else:
        label, key = KEYED[kind]
        lookups = [f"MATCH ({var}:{label} {{{key}: ${param}}}) RETURN {var}"]
    return "CALL () { " + " UNION ".join(lookups) + " }"


def endpoint_query(kind: NodeKind) -> str:
    """The endpoint as a row for a person to read (no row: it does not exist)."""
    return f"{endpoint(kind, 'n', 'key')} WITH n LIMIT 1 RETURN {NODE_VIEW} AS node"


NEAREST_BOUND = 10  # how far the nearest path is looked for when none is within max_hops


def nearest_query(source: NodeKind, target: NodeKind) -> str:
    """The length of one shortest path of at most NEAREST_BOUND, with the paths' rules (no row: none).

    Bidirectional breadth-first search that stops at the first path found; the node predicate is
    checked while searching (no fallback to enumerating paths).
    """
    return f"""
{endpoint(source, "a", "source")} WITH a LIMIT 1
{endpoint(target, "b", "target")} WITH a, b LIMIT 1
MATCH p = shortestPath((a)-[*..{NEAREST_BOUND}]-(b))
WHERE none(n IN nodes(p) WHERE n:Period OR n:Event)
RETURN length(p) AS hops
"""


def paths_query(source: NodeKind, target: NodeKind, max_hops: int) -> str:
    """All shortest paths of at most `max_hops` (checked here), never through a 第N期 or an :Event node;
    of equal length, those through fewer single activities and outcomes first (a shared team, ministry,
    body or subject says more than one meeting both attended)."""
    if not 1 <= max_hops <= 8:
        raise ValueError("max_hops must be 1..8")
    return f"""
{endpoint(source, "a", "source")} WITH a LIMIT 1
{endpoint(target, "b", "target")} WITH a, b LIMIT 1
MATCH p = allShortestPaths((a)-[*..{max_hops}]-(b))
WHERE none(n IN nodes(p) WHERE n:Period OR n:Event)
WITH p, size([n IN nodes(p) WHERE n:Activity OR n:Outcome]) AS incidental
ORDER BY incidental
WITH p LIMIT $limit
RETURN [n IN nodes(p) | {NODE_VIEW}] AS nodes,
       [i IN range(0, size(relationships(p)) - 1) |
         {{type: type(relationships(p)[i]), forward: startNode(relationships(p)[i]) = nodes(p)[i]}}] AS rels
"""
