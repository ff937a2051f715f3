"""Graph benchmark: rebuild throughput against raw UNWIND MERGE, and query latency at 1×, 10×, 100×.

    .venv/bin/python -m tests.bench.bench_graph [--scales 1,10,100] [--queries 40]

Starts a private Neo4j (and Temporal, unused here) with the project's launcher, then for each scale
(× the real programme: 2 periods of ~100 engagements) on an emptied graph:
- load:    the synthetic programme generated and written through the batch path (events + projection);
- raw:     as many rows as there are events, `UNWIND $rows MERGE (n:RawBench {id}) SET …` on a unique
           constraint, 1,000 rows per transaction — the server's own bulk-write speed on this machine;
- rebuild: `banso graph rebuild` of that log (wipe the projection, replay every event), events/s;
- search:  expertise search (8 Japanese and English queries, round robin) p50/p99;
- connect: connections between random pairs of officials (≤ 4 hops) p50/p99.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from neo4j import AsyncDriver
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from banso.stack.servers import prepare_graph
from banso.synthetic.generate import load_synthetic, scale_for
from schemas.graph_views import NodeKind
from services.graph.driver import neo4j_driver
from services.graph.search.connections import ConnectionSearch
from services.graph.search.experts import ExpertSearch
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.rebuild import rebuild_projection
from services.settings import Settings
from tests.servers import running_servers, test_settings

console = Console()
QUERIES = ("港", "港湾", "観光", "port", "子育て", "森林", "防災", "DX")
RAW = "UNWIND $rows AS r MERGE (n:RawBench {id: r.id}) SET n.type = r.type, n.data = r.data"


def pct(samples: list[float], q: int) -> float:
    """q-th percentile in milliseconds."""
    return statistics.quantiles(samples, n=100)[q - 1] * 1000 if len(samples) > 1 else samples[0] * 1000


async def wipe(driver: AsyncDriver, database: str) -> None:
    while True:
        records, _, _ = await driver.execute_query(
            "MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n", database_=database
        )
        if records[0]["n"] == 0:
            return


async def raw_merge(driver: AsyncDriver, database: str, rows: int) -> float:
    """Rows/s of plain UNWIND MERGE of `rows` event-sized rows."""
    await driver.execute_query(
        "CREATE CONSTRAINT raw_bench_id IF NOT EXISTS FOR (n:RawBench) REQUIRE n.id IS UNIQUE", database_=database
    )
    payload = "x" * 400  # about an event's stored data
    started = time.perf_counter()
    for start in range(0, rows, 1000):
        batch = [{"id": f"raw-{i}", "type": "Raw", "data": payload} for i in range(start, min(rows, start + 1000))]
        await driver.execute_query(RAW, rows=batch, database_=database)
    seconds = time.perf_counter() - started
    while True:
        records, _, _ = await driver.execute_query(
            "MATCH (n:RawBench) WITH n LIMIT 20000 DELETE n RETURN count(*) AS n", database_=database
        )
        if records[0]["n"] == 0:
            break
    return rows / seconds


async def one_scale(settings: Settings, driver: AsyncDriver, factor: float, queries: int) -> dict[str, float]:
    db = settings.neo4j_database
    await wipe(driver, db)
    scale = scale_for(factor)
    with Progress(console=console) as progress:
        task = progress.add_task(f"{factor:g}× load ({scale.engagements} engagements)", total=None)
        started = time.perf_counter()
        events = await load_synthetic(
            driver,
            db,
            factor,
            chain_key=load_or_create_chain_key(settings),
            progress=lambda d, t: progress.update(task, completed=d, total=t),
        )
        load_s = time.perf_counter() - started
    raw_rate = await raw_merge(driver, db, events)
    with Progress(console=console) as progress:
        task = progress.add_task(f"{factor:g}× rebuild", total=events)
        started = time.perf_counter()
        await rebuild_projection(driver, db, progress=lambda d, t: progress.update(task, completed=d, total=t))
        rebuild_rate = events / (time.perf_counter() - started)

    search = ExpertSearch(driver, db, settings.expertise_half_life_days)
    await search.search("港")  # warm-up
    search_samples = []
    for i in range(queries):
        started = time.perf_counter()
        await search.search(QUERIES[i % len(QUERIES)])
        search_samples.append(time.perf_counter() - started)

    records, _, _ = await driver.execute_query("MATCH (o:Official) RETURN o.id AS id ORDER BY id", database_=db)
    ids = [r["id"] for r in records]
    rng = random.Random(7)  # noqa: S311 - reproducible sample
    connections = ConnectionSearch(driver, db)
    connect_samples = []
    for _ in range(queries):
        a, b = rng.sample(ids, 2)
        started = time.perf_counter()
        await connections.between((NodeKind.OFFICIAL, a), (NodeKind.OFFICIAL, b), max_hops=4)
        connect_samples.append(time.perf_counter() - started)
    return {
        "engagements": scale.engagements,
        "events": events,
        "load": events / load_s,
        "raw": raw_rate,
        "rebuild": rebuild_rate,
        "search50": pct(search_samples, 50),
        "search99": pct(search_samples, 99),
        "connect50": pct(connect_samples, 50),
        "connect99": pct(connect_samples, 99),
    }


async def run(settings: Settings, scales: list[float], queries: int) -> list[tuple[float, dict[str, float]]]:
    await prepare_graph(settings)
    driver = neo4j_driver(settings)
    try:
        return [(factor, await one_scale(settings, driver, factor, queries)) for factor in scales]
    finally:
        await driver.close()


def main() -> None:
    """Run the benchmark and print one table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    scales = [float(s) for s in args.scales.split(",")]
    base = test_settings(Path(tempfile.mkdtemp(prefix="banso-bench-graph-")))
    settings = base.model_copy(update={"neo4j_heap_mb": 3072, "neo4j_pagecache_mb": 1024})
    with running_servers(settings) as started:
        results = asyncio.run(run(started, scales, args.queries))
    table = Table(title="graph benchmark (one run, same Neo4j)")
    for column in (
        "scale",
        "engagements",
        "events",
        "load ev/s",
        "raw MERGE rows/s",
        "rebuild ev/s",
        "rebuild/raw",
        "search p50",
        "search p99",
        "connect p50",
        "connect p99",
    ):
        table.add_column(column, justify="right")
    for factor, r in results:
        table.add_row(
            f"{factor:g}×",
            f"{r['engagements']:.0f}",
            f"{r['events']:.0f}",
            f"{r['load']:.0f}",
            f"{r['raw']:.0f}",
            f"{r['rebuild']:.0f}",
            f"{r['rebuild'] / r['raw']:.2f}",
            f"{r['search50']:.1f} ms",
            f"{r['search99']:.1f} ms",
            f"{r['connect50']:.1f} ms",
            f"{r['connect99']:.1f} ms",
        )
    console.print(table)


if __name__ == "__main__":
    main()
