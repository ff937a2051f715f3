"""Ingest benchmark: Banso's accepted events vs raw no-op Temporal Updates, side by side in one run.

    .venv/bin/python -m tests.bench.bench_ingest [--updates 200] [--levels 1,4,16] [--plaintext]

Starts a private Temporal dev server and Neo4j (the same launcher code as `banso up`), then for each
concurrency level (that many engagements, each fed sequentially by its own task) measures:
- raw:   Update → no-op workflow that appends to a list (same server, same client, same worker process);
- banso: POST /activities → API → Update → validator → local activity → one Neo4j transaction.
It prints events/s, p50 and p99 for both and the ratios. `--plaintext` runs every client and worker without
the payload encryption codec (pydantic converter alone), to measure what encryption costs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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
from tests.bench.noop_workflow import NoopAppendWorkflow
from tests.bench.tokens import RenewingToken, signed_in
from tests.integration.flows import MEETING, advance, post
from tests.servers import running_servers, test_settings

console = Console()


@dataclass
class Run:
    """Latencies of one side at one concurrency level."""

    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        """Accepted updates per second."""
        return len(self.latencies) / self.seconds

    def pct(self, q: float) -> float:
        """The q-th percentile latency in milliseconds."""
        return statistics.quantiles(self.latencies, n=100)[int(q) - 1] * 1000


async def measure(
    streams: list[Callable[[int], Awaitable[None]]], per_stream: int, progress: Progress, label: str
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

    started = time.perf_counter()
    await asyncio.gather(*(feed(s) for s in streams))
    return Run(time.perf_counter() - started, latencies)


Stream = Callable[[int], Awaitable[None]]


async def raw_stream(temporal: Client) -> Stream:
    """A fresh no-op workflow; each call sends it one update."""
    handle = await temporal.start_workflow(
        NoopAppendWorkflow.run, id=f"bench-noop-{uuid.uuid4()}", task_queue="bench-noop"
    )

    async def send(i: int) -> None:
        await handle.execute_update(NoopAppendWorkflow.append, f"item {i}")

    return send


def banso_stream(api: httpx.AsyncClient, eid: str) -> Stream:
    """Each call records one online meeting on engagement `eid` through the API."""

    async def send(i: int) -> None:
        response = await post(api, f"/api/v1/engagements/{eid}/activities", MEETING | {"notes": f"会議 {i}"})
        assert response.status_code == 200, response.text

    return send


async def bench(settings: Settings, auth: httpx.Auth, updates: int, levels: list[int], plaintext: bool = False) -> None:
    """Run both sides at every level and print the table."""
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
    async with (
        build_worker(temporal, driver, settings),
        noop_worker,
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120, auth=auth) as api,
    ):
        with Progress(console=console) as progress:
            for level in levels:
                per_stream = max(1, updates // level)
                raw_streams = [await raw_stream(temporal) for _ in range(level)]
                raw = await measure(raw_streams, per_stream, progress, f"raw ×{level}")
                banso_streams = []
                for _ in range(level):
                    first_five = f"15{next(codes):03d}"
                    eid = await advance(api, first_five + municipality_check_digit(first_five), "kickoff")
                    banso_streams.append(banso_stream(api, eid))
                ours = await measure(banso_streams, per_stream, progress, f"banso ×{level}")
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
    await driver.close()
    console.print(table)


def main() -> None:
    """Parse arguments, start private servers, run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=200, help="updates per side per level")
    parser.add_argument("--levels", default="1,4,16", help="concurrency levels (engagements)")
    parser.add_argument("--plaintext", action="store_true", help="without the payload encryption codec")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    root = Path(tempfile.mkdtemp(prefix="banso-bench-"))
    with running_servers(test_settings(root / "servers")) as servers, signed_in(servers, root / "keycloak") as signed:
        settings, keycloak = signed
        asyncio.run(bench(settings, RenewingToken(keycloak, "kanri"), args.updates, levels, args.plaintext))


if __name__ == "__main__":
    main()
