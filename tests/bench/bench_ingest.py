"""Ingest benchmark: Banso's accepted events vs raw no-op Temporal Updates, side by side in one run.

    .venv/bin/python -m tests.bench.bench_ingest [--updates 200] [--levels 1,4,16] [--plaintext] [--json FILE]

Starts a private Temporal dev server and Neo4j (the same launcher code as `banso up`), then for each
concurrency level (that many engagements, each fed sequentially by its own task) measures:
- raw:   Update → no-op workflow that appends to a list (same server, same client, same worker process);
- banso: POST /activities → API → Update → validator → local activity → one Neo4j transaction.
It prints events/s, p50 and p99 for both and the ratios, and where the time goes (tests/bench/ingest_probe.py):
the API, the update round trip and the Neo4j write inside it, CPU per update of each process, and the workflow
history events per update. `--json FILE` writes the figures as one flat object (`ingest_ratio@16`,
`ingest_p99_ratio@16`, … per level). `--plaintext` runs every client and worker without
the payload encryption codec (pydantic converter alone), to measure what encryption costs. `--warmup N` first
sends N unmeasured updates per side (Neo4j's JVM is still compiling its hot paths during the first thousand
transactions of a fresh server; the default 0 measures from cold, as the figures in docs/performance.md do).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker

from banso.stack.servers import prepare_graph, register_search_attributes
from schemas.text import municipality_check_digit
from services.api.app import build_services, create_app
from services.graph.driver import neo4j_driver
from services.settings import Settings
from services.workflow.clients import connect_temporal
from services.workflow.tracing import BansoTracingInterceptor
from services.workflow.worker import build_worker
from tests.bench.ingest_probe import Probe, Stage, cpu_by_role, history_counts, history_length
from tests.bench.noop_workflow import NoopAppendWorkflow
from tests.bench.tokens import RenewingToken, signed_in
from tests.integration.flows import MEETING, advance, post
from tests.servers import running_servers, test_settings

console = Console()


@dataclass
class Run:
    """Latencies of one side at one concurrency level, with what the probe saw meanwhile."""

    seconds: float
    latencies: list[float]
    update_ms: float = 0.0
    neo4j_ms: float = 0.0
    neo4j_events: int = 0
    neo4j_txs: int = 0
    cpu_ms: dict[str, float] = field(default_factory=dict)
    history: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        """Accepted updates per second."""
        return len(self.latencies) / self.seconds

    def pct(self, q: float) -> float:
        """The q-th percentile latency in milliseconds."""
        return statistics.quantiles(self.latencies, n=100)[int(q) - 1] * 1000

    def per_update(self, name: str) -> float:
        """History events of kind `name` per update (counted on one workflow of this side)."""
        return self.history[name] / max(1, self.history["updates"])


Stream = Callable[[int], Awaitable[None]]


async def measure(
    streams: list[Stream], per_stream: int, progress: Progress, label: str, probe: Probe, side: str
) -> Run:
    """Feed each stream `per_stream` updates sequentially, all streams at once."""
    task = progress.add_task(label, total=per_stream * len(streams))
    latencies: list[float] = []

    async def feed(send: Stream) -> None:
        for i in range(per_stream):
            started = time.perf_counter()
            await send(i)
            latencies.append(time.perf_counter() - started)
            progress.advance(task)

    probe.reset()
    cpu_before = cpu_by_role()
    started = time.perf_counter()
    await asyncio.gather(*(feed(s) for s in streams))
    seconds = time.perf_counter() - started
    cpu_after = cpu_by_role()
    count = len(latencies)
    return Run(
        seconds,
        latencies,
        update_ms=probe.update.get(side, Stage()).mean_ms(),
        neo4j_ms=probe.neo4j.mean_ms(),
        neo4j_events=probe.neo4j_events,
        neo4j_txs=len(probe.neo4j.samples),
        cpu_ms={role: (cpu_after[role] - cpu_before.get(role, 0.0)) * 1000 / count for role in cpu_after},
    )


async def raw_stream(temporal: Client) -> tuple[str, Stream]:
    """A fresh no-op workflow; each call sends it one update."""
    handle = await temporal.start_workflow(
        NoopAppendWorkflow.run, id=f"bench-noop-{uuid.uuid4()}", task_queue="bench-noop"
    )

    async def send(i: int) -> None:
        await handle.execute_update(NoopAppendWorkflow.append, f"item {i}")

    return handle.id, send


def banso_stream(api: httpx.AsyncClient, eid: str) -> Stream:
    """Each call records one online meeting on engagement `eid` through the API."""

    async def send(i: int) -> None:
        response = await post(api, f"/api/v1/engagements/{eid}/activities", MEETING | {"notes": f"会議 {i}"})
        assert response.status_code == 200, response.text

    return send


async def fresh_engagement(api: httpx.AsyncClient, codes: Iterator[int]) -> str:
    """A new engagement at kickoff, ready for meetings."""
    first_five = f"15{next(codes):03d}"
    return await advance(api, first_five + municipality_check_digit(first_five), "kickoff")


async def count_history(temporal: Client, workflow_id: str, before: int, updates: int, run: Run) -> None:
    """What the workflow's history gained during the run (one workflow of the side stands for all)."""
    run.history = await history_counts(temporal, workflow_id, before)
    run.history["updates"] = updates


def breakdown(level: int, raw: Run, ours: Run) -> str:
    """One line per level: where a banso update's time goes, beside the raw update's."""
    updates = max(1, len(ours.latencies))
    api_ms = statistics.fmean(ours.latencies) * 1000 - ours.update_ms
    per_tx = ours.neo4j_events / max(1, ours.neo4j_txs)
    cpu = ", ".join(f"{role} {ours.cpu_ms.get(role, 0):.1f}/{raw.cpu_ms.get(role, 0):.1f}" for role in CPU_ROLES)
    kinds = ", ".join(f"{name} {ours.per_update(name):.2f}/{raw.per_update(name):.2f}" for name in HISTORY_KINDS)
    return (
        f"×{level}: banso mean {statistics.fmean(ours.latencies) * 1000:.1f} ms = API {api_ms:.1f} + update "
        f"{ours.update_ms:.1f} (in it the Neo4j transaction {ours.neo4j_ms:.1f} ms, {per_tx:.2f} events per "
        f"transaction, {ours.neo4j_events / updates:.2f} events per update) | raw update {raw.update_ms:.1f} ms\n"
        f"     CPU ms per update banso/raw: {cpu}\n"
        f"     history per update banso/raw: {kinds}"
    )


WARM_STREAMS = 4
CPU_ROLES = ("bench", "temporal", "neo4j")
HISTORY_KINDS = ("events", "tasks", "markers", "timers started", "timers canceled", "upserts")


def figures(level: int, raw: Run, ours: Run) -> dict[str, float]:
    """The level's figures for `--json`, keys named by figure and size."""
    return {
        f"ingest_ratio@{level}": round(ours.rate / raw.rate, 3),
        f"ingest_p99_ratio@{level}": round(ours.pct(99) / raw.pct(99), 3),
        f"ingest_p50_ratio@{level}": round(ours.pct(50) / raw.pct(50), 3),
        f"ingest_ev_s@{level}": round(ours.rate, 1),
        f"raw_ev_s@{level}": round(raw.rate, 1),
        f"ingest_p99_ms@{level}": round(ours.pct(99), 1),
        f"raw_p99_ms@{level}": round(raw.pct(99), 1),
        f"ingest_neo4j_tx_ms@{level}": round(ours.neo4j_ms, 2),
        f"ingest_events_per_tx@{level}": round(ours.neo4j_events / max(1, ours.neo4j_txs), 2),
        f"ingest_history_events_per_update@{level}": round(ours.per_update("events"), 2),
        f"raw_history_events_per_update@{level}": round(raw.per_update("events"), 2),
    }


async def bench(
    settings: Settings, auth: httpx.Auth, updates: int, levels: list[int], plaintext: bool = False, warmup: int = 0
) -> dict[str, float]:
    """Run both sides at every level, print the table and the breakdown; the figures for `--json`."""
    await register_search_attributes(settings)
    await prepare_graph(settings)
    if plaintext:
        temporal: Client = await Client.connect(
            settings.temporal_target,
            namespace=settings.temporal_namespace,
            data_converter=pydantic_data_converter,
            interceptors=[BansoTracingInterceptor()],
        )
    else:
        temporal = await connect_temporal(settings)
    driver = neo4j_driver(settings)
    app = create_app(settings, build_services(settings, temporal, driver))
    transport = httpx.ASGITransport(app=app)
    noop_worker = Worker(temporal, task_queue="bench-noop", workflows=[NoopAppendWorkflow])
    table = Table("engagements", "raw ev/s", "banso ev/s", "ratio", "raw p50", "banso p50", "raw p99", "banso p99")
    codes = iter(range(100, 1000))
    probe = Probe()
    results: dict[str, float] = {}
    lines: list[str] = []
    async with (
        build_worker(temporal, driver, settings),
        noop_worker,
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120, auth=auth) as api,
    ):
        with Progress(console=console) as progress, probe.installed():
            if warmup:  # the JVM under Neo4j compiles its hot paths during the first thousand transactions
                raw_warm = [send for _, send in [await raw_stream(temporal) for _ in range(WARM_STREAMS)]]
                await measure(raw_warm, warmup // WARM_STREAMS, progress, "warm-up raw", probe, "raw")
                warm = [banso_stream(api, await fresh_engagement(api, codes)) for _ in range(WARM_STREAMS)]
                await measure(warm, warmup // WARM_STREAMS, progress, "warm-up banso", probe, "banso")
            for level in levels:
                per_stream = max(1, updates // level)
                raw_streams = [await raw_stream(temporal) for _ in range(level)]
                raw_before = await history_length(temporal, raw_streams[0][0])
                raw = await measure([s for _, s in raw_streams], per_stream, progress, f"raw ×{level}", probe, "raw")
                await count_history(temporal, raw_streams[0][0], raw_before, per_stream, raw)
                eids = [await fresh_engagement(api, codes) for _ in range(level)]
                before = await history_length(temporal, eids[0])
                streams = [banso_stream(api, eid) for eid in eids]
                ours = await measure(streams, per_stream, progress, f"banso ×{level}", probe, "banso")
                await count_history(temporal, eids[0], before, per_stream, ours)
                table.add_row(
                    str(level),
                    f"{raw.rate:.1f}",
                    f"{ours.rate:.1f}",
                    f"{ours.rate / raw.rate:.2f}",
                    f"{raw.pct(50):.1f} ms",
                    f"{ours.pct(50):.1f} ms",
                    f"{raw.pct(99):.1f} ms",
                    f"{ours.pct(99):.1f} ms  ({ours.pct(99) / raw.pct(99):.1f}×)",
                )
                lines.append(breakdown(level, raw, ours))
                results |= figures(level, raw, ours)
    await driver.close()
    console.print(table)
    console.print("Where the time goes (mean per update; API = HTTP, auth, validation, codec; update = the Temporal")
    console.print("round trip: server, workflow task, validator, local activity and, in it, the Neo4j transaction):")
    for line in lines:
        console.print(line, highlight=False)
    return results


def main() -> None:
    """Parse arguments, start private servers, run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=200, help="updates per side per level")
    parser.add_argument("--levels", default="1,4,16", help="concurrency levels (engagements)")
    parser.add_argument("--plaintext", action="store_true", help="without the payload encryption codec")
    parser.add_argument("--warmup", type=int, default=0, help="updates per side sent before measuring (unmeasured)")
    parser.add_argument("--json", type=Path, help="write the figures as one flat JSON object to this file")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    root = Path(tempfile.mkdtemp(prefix="banso-bench-"))
    with running_servers(test_settings(root / "servers")) as servers, signed_in(servers, root / "keycloak") as signed:
        settings, keycloak = signed
        results = asyncio.run(
            bench(settings, RenewingToken(keycloak, "kanri"), args.updates, levels, args.plaintext, args.warmup)
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
