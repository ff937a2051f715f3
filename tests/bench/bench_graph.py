"""Graph benchmark: rebuild throughput against raw UNWIND MERGE, and query latency at 1×, 10×, 100×.

    .venv/bin/python -m tests.bench.bench_graph [--scales 1,10,100] [--queries 40] [--skip-rebuild]
        [--skip-queries] [--batch 5000] [--json FILE]

Starts a private Neo4j (and Temporal, unused here) with the project's launcher, then for each scale
(× the real programme: 2 periods of ~100 engagements) on an emptied graph:
- load:    the synthetic programme generated and written through the batch path (events + projection);
- raw:     as many rows as there are events, `UNWIND $rows MERGE (n:RawBench {id}) SET …` on a unique
           constraint, as many rows per transaction as the rebuild's page — the server's own bulk-write speed;
- rebuild: `banso graph rebuild` of that log (wipe the projection, replay every event), events/s, with
           where its time went (wipe, writes, waiting for pages read and planned beside the writes, indexes);
- search:  expertise search (8 Japanese and English queries, round robin) p50/p99;
- connect: connections between random pairs of officials (≤ 4 hops) p50/p99.
Search and connections are tests/bench/graph_latency.py, which also prints where the search time goes (the
server's time for the statement alone, the full-text index's, the client's). `--skip-rebuild` leaves the
rebuild out, `--skip-queries` search and connections; `--batch` sets the rebuild's page (events per
transaction) and so the raw rows per transaction; `--json FILE` writes the figures as one flat object
(`search_p50_ms@10x`, `connect_p99_ms@10x`, `rebuild_ratio@10x`, `rebuild_ev_s@10x`, `raw_rows_s@10x`, …).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import tempfile
import time
from functools import partial
from pathlib import Path

from neo4j import AsyncDriver
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from banso.stack.servers import prepare_graph
from banso.synthetic.generate import load_synthetic, scale_for
from services.graph.driver import neo4j_driver
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.rebuild import REBUILD_BATCH, RebuildProfile, rebuild_projection
from services.settings import Settings
from tests.bench.graph_latency import breakdown, connect_latency, search_latency
from tests.servers import running_servers, test_settings

console = Console()
# what search_latency and connect_latency measure (not measured with --skip-queries)
LATENCY_KEYS = (
    "search50",
    "search99",
    "search_server50",
    "search_server99",
    "search_lucene50",
    "connect50",
    "connect99",
    "connect_empty",
    "connect_empty99",
)
RAW = "UNWIND $rows AS r MERGE (n:RawBench {id: r.id}) SET n.type = r.type, n.data = r.data"


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
    settings: Settings, driver: AsyncDriver, factor: float, queries: int, rebuild: bool, batch: int
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
    rebuild_rate = float("nan")
    if rebuild:
        with Progress(console=console) as progress:
            task = progress.add_task(f"{factor:g}× rebuild", total=events)
            started = time.perf_counter()
            profile = RebuildProfile()
            await rebuild_projection(
                driver,
                db,
                batch=batch,
                profile=profile,
                progress=lambda d, t: progress.update(task, completed=d, total=t),
            )
            rebuild_s = time.perf_counter() - started
            rebuild_rate = events / rebuild_s
        console.print(
            f"{factor:g}× rebuild of {events} events in {rebuild_s:.1f} s: {profile.line()} "
            f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
    figures = {
        "engagements": scale.engagements,
        "events": events,
        "load": events / load_s,
        "raw": raw_rate,
        "rebuild": rebuild_rate,
    }
    if queries == 0:
        return figures | dict.fromkeys(LATENCY_KEYS, float("nan"))

    with Progress(console=console) as progress:
        task = progress.add_task(f"{factor:g}× search and connections", total=2 * queries)
        step = partial(progress.advance, task)
        latency = await search_latency(driver, db, settings.expertise_half_life_days, queries, step)
        latency |= await connect_latency(driver, db, queries, step)
    console.print(breakdown(factor, latency))
    return figures | latency


async def run(
    settings: Settings, scales: list[float], queries: int, rebuild: bool, batch: int
) -> list[tuple[float, dict[str, float]]]:
    await prepare_graph(settings)
    driver = neo4j_driver(settings)
    try:
        return [(factor, await one_scale(settings, driver, factor, queries, rebuild, batch)) for factor in scales]
    finally:
        await driver.close()


def main() -> None:
    """Run the benchmark and print one table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--skip-rebuild", action="store_true", help="load, raw, search and connections only")
    parser.add_argument("--skip-queries", action="store_true", help="load, raw and rebuild only")
    parser.add_argument("--batch", type=int, default=REBUILD_BATCH, help="rebuild page = raw rows per transaction")
    parser.add_argument("--json", type=Path, help="write the figures here as one flat JSON object")
    args = parser.parse_args()
    scales = [float(s) for s in args.scales.split(",")]
    base = test_settings(Path(tempfile.mkdtemp(prefix="banso-bench-graph-")))
    settings = base.model_copy(update={"neo4j_heap_mb": 3072, "neo4j_pagecache_mb": 1024})
    with running_servers(settings) as started:
        results = asyncio.run(
            run(started, scales, 0 if args.skip_queries else args.queries, not args.skip_rebuild, args.batch)
        )
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
        args.json.write_text(json.dumps(flat_figures(results), indent=2) + "\n", encoding="utf-8")


def flat_figures(results: list[tuple[float, dict[str, float]]]) -> dict[str, float]:
    """One flat object: figure@scale (figures not measured are left out)."""
    names = {
        "search_p50_ms": "search50",
        "search_p99_ms": "search99",
        "search_server_p50_ms": "search_server50",
        "search_server_p99_ms": "search_server99",
        "search_lucene_p50_ms": "search_lucene50",
        "connect_p50_ms": "connect50",
        "connect_p99_ms": "connect99",
        "connect_empty_share": "connect_empty",
        "load_ev_s": "load",
        "raw_rows_s": "raw",
        "rebuild_ev_s": "rebuild",
    }
    out: dict[str, float] = {}
    for factor, r in results:
        for name, key in names.items():
            if not math.isnan(r[key]):
                out[f"{name}@{factor:g}x"] = round(r[key], 3)
        if not math.isnan(r["rebuild"]):
            out[f"rebuild_ratio@{factor:g}x"] = round(r["rebuild"] / r["raw"], 3)
    return out


if __name__ == "__main__":
    main()
