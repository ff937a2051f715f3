"""Graph benchmark: rebuild throughput against raw UNWIND MERGE, and query latency at 1×, 10×, 100×.

    .venv/bin/python -m tests.bench.bench_graph [--scales 1,10,100] [--queries 40] [--skip-queries] [--json FILE]

Starts a private Neo4j (and Temporal, unused here) with the project's launcher, then for each scale
(× the real programme: 2 periods of ~100 engagements) on an emptied graph:
- load:    the synthetic programme generated and written through the batch path (events + projection);
- raw:     as many rows as there are events, `UNWIND $rows MERGE (n:RawBench {id}) SET …` on a unique
           constraint, as many rows per transaction as the rebuild's page (`--batch`) — the server's own
           bulk-write speed on this machine;
- rebuild: `banso graph rebuild` of that log (wipe the projection, replay every event), events/s, with
           where its time went (wipe, waiting for reads, parsing and planning, writing, indexes);
- search:  expertise search (8 Japanese and English queries, round robin) p50/p99;
- connect: connections between random pairs of officials (≤ 4 hops) p50/p99.
`--skip-queries` measures load, raw and rebuild only. `--json FILE` writes the figures as one flat object,
keys named by figure and scale (`rebuild_ratio@10x`, `rebuild_ev_s@10x`, `raw_rows_s@10x`, `load_ev_s@10x`, …).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
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
from services.graph.store.rebuild import REBUILD_BATCH, RebuildProfile, rebuild_projection
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


async def raw_merge(driver: AsyncDriver, database: str, rows: int, batch: int) -> float:
    """Rows/s of plain UNWIND MERGE of `rows` event-sized rows, `batch` rows per transaction."""
    await driver.execute_query(
        "CREATE CONSTRAINT raw_bench_id IF NOT EXISTS FOR (n:RawBench) REQUIRE n.id IS UNIQUE", database_=database
    )
    payload = "x" * 400  # about an event's stored data
    started = time.perf_counter()
    for start in range(0, rows, batch):
        chunk = [{"id": f"raw-{i}", "type": "Raw", "data": payload} for i in range(start, min(rows, start + batch))]
        await driver.execute_query(RAW, rows=chunk, database_=database)
    seconds = time.perf_counter() - started
    while True:
        records, _, _ = await driver.execute_query(
            "MATCH (n:RawBench) WITH n LIMIT 20000 DELETE n RETURN count(*) AS n", database_=database
        )
        if records[0]["n"] == 0:
            break
    return rows / seconds


async def one_scale(
    settings: Settings, driver: AsyncDriver, factor: float, queries: int, batch: int
) -> dict[str, float]:
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
    raw_rate = await raw_merge(driver, db, events, batch)
    profile = RebuildProfile()
    with Progress(console=console) as progress:
        task = progress.add_task(f"{factor:g}× rebuild", total=events)
        started = time.perf_counter()
        await rebuild_projection(
            driver, db, batch=batch, profile=profile, progress=lambda d, t: progress.update(task, completed=d, total=t)
        )
        rebuild_s = time.perf_counter() - started
    console.print(
        f"{factor:g}× rebuild of {events} events in {rebuild_s:.1f} s: {profile.line()} "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    figures = {
        "engagements": scale.engagements,
        "events": events,
        "load": events / load_s,
        "raw": raw_rate,
        "rebuild": events / rebuild_s,
    }
    if queries == 0:
        return figures | dict.fromkeys(("search50", "search99", "connect50", "connect99"), float("nan"))

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
    return figures | {
        "search50": pct(search_samples, 50),
        "search99": pct(search_samples, 99),
        "connect50": pct(connect_samples, 50),
        "connect99": pct(connect_samples, 99),
    }


async def run(
    settings: Settings, scales: list[float], queries: int, batch: int
) -> list[tuple[float, dict[str, float]]]:
    await prepare_graph(settings)
    driver = neo4j_driver(settings)
    try:
        return [(factor, await one_scale(settings, driver, factor, queries, batch)) for factor in scales]
    finally:
        await driver.close()


def main() -> None:
    """Run the benchmark and print one table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--skip-queries", action="store_true", help="load, raw and rebuild only")
    parser.add_argument("--batch", type=int, default=REBUILD_BATCH, help="rebuild page = raw rows per transaction")
    parser.add_argument("--json", type=Path, help="write the figures here as one flat JSON object")
    args = parser.parse_args()
    scales = [float(s) for s in args.scales.split(",")]
    base = test_settings(Path(tempfile.mkdtemp(prefix="banso-bench-graph-")))
    settings = base.model_copy(update={"neo4j_heap_mb": 3072, "neo4j_pagecache_mb": 1024})
    with running_servers(settings) as started:
        results = asyncio.run(run(started, scales, 0 if args.skip_queries else args.queries, args.batch))
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
            *(
                "—" if math.isnan(r[k]) else f"{r[k]:.1f} ms"
                for k in ("search50", "search99", "connect50", "connect99")
            ),
        )
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps(flat_figures(results), indent=2) + "\n")


def flat_figures(results: list[tuple[float, dict[str, float]]]) -> dict[str, float]:
    """One flat object: figure@scale (figures not measured are left out)."""
    names: dict[str, Callable[[dict[str, float]], float]] = {
        "rebuild_ratio": lambda r: r["rebuild"] / r["raw"],
        "rebuild_ev_s": lambda r: r["rebuild"],
        "raw_rows_s": lambda r: r["raw"],
        "load_ev_s": lambda r: r["load"],
        "search_p50_ms": lambda r: r["search50"],
        "search_p99_ms": lambda r: r["search99"],
        "connect_p50_ms": lambda r: r["connect50"],
        "connect_p99_ms": lambda r: r["connect99"],
    }
    out: dict[str, float] = {}
    for factor, r in results:
        for name, figure in names.items():
            value = figure(r)
            if not math.isnan(value):
                out[f"{name}@{factor:g}x"] = round(value, 3)
    return out


if __name__ == "__main__":
    main()
