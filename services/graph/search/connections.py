"""Connections between two people, teams, municipalities or bodies: shortest bounded paths, in words."""

from __future__ import annotations

from neo4j.exceptions import ClientError

from schemas.graph_views import ConnectionPath, Connections, NodeKind, PathNode
from services.graph.reads.reader import GraphReader
from services.graph.search import connection_queries as q
from services.graph.search.explain import describe, explain_path
from services.i18n.catalogue import both
from services.i18n.message import N_, Msg

INCIDENTAL = frozenset({"activity", "outcome"})
NO_PATH_NEAREST = N_("No connection within %(max)s hops. The nearest is %(nearest)s hops away.")
NO_PATH_AT_ALL = N_("No connection within %(max)s hops, nor within %(bound)s.")


class UnknownEndpoint(Exception):
    """One end of a connection question does not exist in the graph."""

    def __init__(self, kind: NodeKind, key: str) -> None:
        super().__init__(f"{kind.value}:{key}")
        self.kind = kind
        self.key = key


class SameEndpoint(Exception):
    """Both ends are the same node."""


class ConnectionSearch(GraphReader):
    """`GET /api/v1/connections`."""

    async def node(self, kind: NodeKind, key: str) -> PathNode:
        """The node of `kind` with `key`, named for people; UnknownEndpoint when missing."""
        rows = await self._read(q.endpoint_query(kind), key=key)
        if not rows:
            raise UnknownEndpoint(kind, key)
        return describe(rows[0]["node"]["labels"], rows[0]["node"]["props"])

    async def between(
        self, source: tuple[NodeKind, str], target: tuple[NodeKind, str], *, max_hops: int = 4, limit: int = 5
    ) -> Connections:
        """Up to `limit` shortest paths of at most `max_hops` between the two, each explained."""
        a = await self.node(*source)
        b = await self.node(*target)
        if source == target:
            raise SameEndpoint(f"{source[0].value}:{source[1]}")
        try:
            rows = await self._read(
                q.paths_query(source[0], target[0], max_hops), source=source[1], target=target[1], limit=limit
            )
        except ClientError as err:  # e.g. the two ends are one node reached under two kinds
            if "same start and end" in str(err).lower() or "shortest" in str(err).lower():
                raise SameEndpoint(f"{source[0].value}:{source[1]}") from err
            raise
        paths = sorted((explain_path(r["nodes"], r["rels"]) for r in rows), key=path_order)
        if paths:
            return Connections(source=a, target=b, max_hops=max_hops, paths=paths)
        nearest = await self.nearest(source, target)
        ja, en = both(no_path_note(max_hops, nearest))
        return Connections(
            source=a,
            target=b,
            max_hops=max_hops,
            paths=[],
            nearest_hops=nearest,
            nearest_bound=q.NEAREST_BOUND,
            note_ja=ja,
            note_en=en,
        )

    async def nearest(self, source: tuple[NodeKind, str], target: tuple[NodeKind, str]) -> int | None:
        """The length of the shortest path of at most NEAREST_BOUND hops, or None."""
        rows = await self._read(q.nearest_query(source[0], target[0]), source=source[1], target=target[1])
        return int(rows[0]["hops"]) if rows else None


def path_order(path: ConnectionPath) -> tuple[int, list[str]]:
    """Paths through fewer single activities and outcomes first (as the query chose them), then by keys."""
    return sum(n.kind in INCIDENTAL for n in path.nodes), [n.key for n in path.nodes]


def no_path_note(max_hops: int, nearest: int | None) -> Msg:
    """Why the answer is empty, and how far the nearest connection is."""
    if nearest is None:
        return Msg(NO_PATH_AT_ALL, {"max": max_hops, "bound": q.NEAREST_BOUND})
    return Msg(NO_PATH_NEAREST, {"max": max_hops, "nearest": nearest})
