"""The graph benchmark's search and connections part: latency, and where the search time goes.

Expertise search: the 8 queries round robin through ExpertSearch.search (what the API does: expansion,
the full-text query, the statement, the models) — p50/p99. Then, to say where that time goes, each query's
statement alone as the server reports it (`result_available_after + result_consumed_after` of the driver's
summary) and the full-text index call alone (Lucene); the rest is the client (expansion, Bolt, models).
Connections: ConnectionSearch.between random pairs of officials at max_hops 4, p50/p99, and how many
answers were empty (those also run the nearest-path search).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from neo4j import AsyncDriver, RoutingControl

from schemas.graph_views import NodeKind
from services.graph.search.connections import ConnectionSearch
from services.graph.search.experts import MAX_INDEX_HITS, ExpertSearch
from services.graph.search.fulltext import lucene_query
from services.graph.search.fulltext_queries import INDEX_NAME
from services.words.expansion import search_terms

QUERIES = ("港", "港湾", "観光", "port", "子育て", "森林", "防災", "DX")
LUCENE_ALONE = (
    "CALL db.index.fulltext.queryNodes($index, $lucene, {limit: $hits}) YIELD node, score RETURN count(*) AS hits"
)
OFFICIALS = "MATCH (o:Official) RETURN o.id AS id ORDER BY id"


def pct(samples: list[float], q: int) -> float:
    """q-th percentile in milliseconds of samples in seconds."""
    return statistics.quantiles(samples, n=100)[q - 1] * 1000 if len(samples) > 1 else samples[0] * 1000


async def server_seconds(driver: AsyncDriver, database: str, query: str, params: dict[str, object]) -> float:
    """The server's own time for one read statement (planning from cache, running, streaming)."""
    _, summary, _ = await driver.execute_query(query, params, database_=database, routing_=RoutingControl.READ)
    return ((summary.result_available_after or 0) + (summary.result_consumed_after or 0)) / 1000


async def search_latency(
    driver: AsyncDriver, database: str, half_life_days: float, queries: int, step: Callable[[], None]
) -> dict[str, float]:
    """search p50/p99 (ms), and the server's and Lucene's p50 over the same queries."""
    search = ExpertSearch(driver, database, half_life_days)
    await search.search(QUERIES[0])  # warm-up
    wall, server, lucene = [], [], []
    for i in range(queries):
        query = QUERIES[i % len(QUERIES)]
        started = time.perf_counter()
        await search.search(query)
        wall.append(time.perf_counter() - started)
        text = lucene_query(search_terms(query))
        assert text is not None  # every benchmark query is searchable
        cypher, params = search.statement(text)
        server.append(await server_seconds(driver, database, cypher, params))
        alone = {"index": INDEX_NAME, "lucene": text, "hits": MAX_INDEX_HITS}
        lucene.append(await server_seconds(driver, database, LUCENE_ALONE, alone))
        step()
    return {
        "search50": pct(wall, 50),
        "search99": pct(wall, 99),
        "search_server50": pct(server, 50),
        "search_server99": pct(server, 99),
        "search_lucene50": pct(lucene, 50),
    }


async def connect_latency(
    driver: AsyncDriver, database: str, queries: int, step: Callable[[], None]
) -> dict[str, float]:
    """connect p50/p99 (ms) between random pairs of officials, and the share of empty answers."""
    records, _, _ = await driver.execute_query(OFFICIALS, database_=database, routing_=RoutingControl.READ)
    ids = [r["id"] for r in records]
    rng = random.Random(7)  # noqa: S311 - reproducible sample
    connections = ConnectionSearch(driver, database)
    samples, empty = [], []
    for _ in range(queries):
        a, b = rng.sample(ids, 2)
        started = time.perf_counter()
        answer = await connections.between((NodeKind.OFFICIAL, a), (NodeKind.OFFICIAL, b), max_hops=4)
        seconds = time.perf_counter() - started
        samples.append(seconds)
        if not answer.paths:
            empty.append(seconds)
        step()
    return {
        "connect50": pct(samples, 50),
        "connect99": pct(samples, 99),
        "connect_empty": len(empty) / len(samples),
        "connect_empty99": pct(empty, 99) if empty else float("nan"),
    }


def breakdown(factor: float, r: dict[str, float]) -> str:
    """Where the search time goes, one line."""
    client = r["search50"] - r["search_server50"]
    return (
        f"{factor:g}× search p50 {r['search50']:.1f} ms = server {r['search_server50']:.1f} ms "
        f"(of which the full-text index {r['search_lucene50']:.1f} ms; server p99 {r['search_server99']:.1f} ms) "
        f"+ client {client:.1f} ms (expansion, Bolt, models); connections: {r['connect_empty']:.0%} empty "
        f"(p99 of those {r['connect_empty99']:.1f} ms, nearest-path search included)"
    )
