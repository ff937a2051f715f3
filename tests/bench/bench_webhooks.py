"""Webhook delivery latency: from an event stored to its signed POST received, p50 and p99.

    .venv/bin/python -m tests.bench.bench_webhooks [--events 200] [--subscriptions 2] [--interval 0.25] [--json FILE]

Starts a private Neo4j, Temporal and Keycloak (the project's launchers) and the real worker in this process,
registers `--subscriptions` webhooks (all event types) on receivers that verify every signature with
the `standardwebhooks` package, then records `--events` activities through the API, `--interval` seconds
apart (0: a burst, which measures the backlog of one-at-a-time delivery, not one event's latency).
Latency is the receiver's clock at arrival minus the event's recorded `time` (one machine, one clock): the
feed's long poll, the delivery activity's scheduling and the HTTP request, per event and per subscription.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from banso.stack.servers import prepare_graph, register_search_attributes
from schemas.envelope import parse_time
from services.api.app import build_services, create_app
from services.graph.driver import neo4j_driver
from services.settings import Settings
from services.workflow.clients import connect_temporal
from services.workflow.webhooks.models import webhook_workflow_id
from services.workflow.worker import build_worker
from tests.bench.tokens import RenewingToken, signed_in
from tests.conftest import new_municipality_code
from tests.integration.flows import MEETING, advance, command
from tests.integration.test_webhooks import Receiver
from tests.servers import running_servers, test_settings

console = Console(width=150)
ENGAGEMENTS = 4
DRAIN_S = 120.0


async def run(settings: Settings, token: str, events: int, subscriptions: int, interval: float) -> dict[str, float]:
    """Register, record, wait for every delivery; the latencies in milliseconds."""
    await register_search_attributes(settings)
    await prepare_graph(settings)
    driver = neo4j_driver(settings, retry_s=5.0)
    temporal = await connect_temporal(settings)
    worker = build_worker(temporal, driver, settings)
    worker_task = asyncio.create_task(worker.run())
    receivers = [Receiver() for _ in range(subscriptions)]
    ids: list[str] = []
    try:
        app = create_app(settings, build_services(settings, temporal, driver))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            headers = {"Authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", headers=headers, timeout=60
            ) as api:
                for receiver in receivers:
                    receiver.start()
                    answer = await api.post("/api/v1/webhooks", json={"url": receiver.url})
                    answer.raise_for_status()
                    receiver.secret = answer.json()["secret"]
                    ids.append(answer.json()["id"])
                engagements = [await advance(api, new_municipality_code(), "kickoff") for _ in range(ENGAGEMENTS)]
                expected = ENGAGEMENTS * 3 + events
                with Progress(console=console) as progress:
                    task = progress.add_task(f"record {events} events", total=events)
                    for i in range(events):
                        answer = await command(api, engagements[i % ENGAGEMENTS], "activities", MEETING)
                        answer.raise_for_status()
                        progress.advance(task)
                        await asyncio.sleep(interval)
                    task = progress.add_task("deliveries received", total=expected * subscriptions)
                    deadline = time.monotonic() + DRAIN_S
                    while sum(len(r.received) for r in receivers) < expected * subscriptions:
                        progress.update(task, completed=sum(len(r.received) for r in receivers))
                        if time.monotonic() > deadline:
                            raise RuntimeError("deliveries did not all arrive in time")
                        await asyncio.sleep(0.1)
                    progress.update(task, completed=expected * subscriptions)
    finally:
        for sid in ids:
            await temporal.get_workflow_handle(webhook_workflow_id(sid)).terminate("bench over")
        for receiver in receivers:
            receiver.stop()
        await worker.shutdown()
        await worker_task
        await driver.close()
    received = [r for receiver in receivers for r in receiver.received]
    if not all(r.verified for r in received) or any(receiver.repeats() for receiver in receivers):
        raise RuntimeError("a delivery failed verification or was repeated")
    latencies = [(r.at - parse_time(r.event_time).timestamp()) * 1000 for r in received]
    cuts = statistics.quantiles(latencies, n=100)
    return {"deliveries": float(len(latencies)), "p50": cuts[49], "p99": cuts[98], "max": max(latencies)}


def main() -> None:
    """Start the servers, measure, print one table (and the figures as JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--subscriptions", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between recorded events")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="banso-bench-webhooks-"))
    with running_servers(test_settings(root / "servers")) as servers, signed_in(servers, root / "keycloak") as signed:
        settings, keycloak = signed
        token = RenewingToken(keycloak, "kanri").token()
        r = asyncio.run(run(settings, token, args.events, args.subscriptions, args.interval))
    table = Table(title=f"webhook delivery latency, event stored → received ({r['deliveries']:.0f} deliveries)")
    for column in ("p50 ms", "p99 ms", "max ms"):
        table.add_column(column, justify="right")
    table.add_row(f"{r['p50']:.1f}", f"{r['p99']:.1f}", f"{r['max']:.1f}")
    console.print(table)
    if args.json is not None:
        figures = {
            "webhook_deliveries": r["deliveries"],
            "webhook_p50_ms": r["p50"],
            "webhook_p99_ms": r["p99"],
            "webhook_max_ms": r["max"],
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
