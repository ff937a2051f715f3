"""Who-read-what cost: the same personal reads answered with and without their access record, side by side.

    .venv/bin/python -m tests.bench.bench_access_log [--requests 400] [--concurrency 8]

Starts a private Neo4j, Temporal and Keycloak (the project's own launchers), loads the synthetic programme
(1×, through the batch path), and builds the real app twice on the same clients: as shipped, and with
the AccessRecorder middleware taken out (nothing else differs; both check the same real admin token).
Each request goes to one app then the other, alternating, over ASGI in this process:
- engagement: GET /api/v1/engagements/{id} (a small graph read) — one at a time, p50/p99 per request;
- experts:    GET /api/v1/experts?q=… (a full-text search, the officials it shows noted) — the same;
- burst:      the engagement read, `--concurrency` requests at once: requests/s (appends are serialised
              per process by the head lock; this shows what that costs under load).
The added cost is p50(with) − p50(without); the ratio is with / without.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from banso.stack.servers import prepare_graph
from banso.synthetic.generate import load_synthetic
from services.api.access_log import AccessRecorder
from services.api.app import build_services, create_app
from services.graph.driver import neo4j_driver
from services.graph.store.chain_key import load_or_create_chain_key
from services.settings import Settings
from services.workflow.clients import connect_temporal
from tests.bench.tokens import RenewingToken, signed_in
from tests.servers import running_servers, test_settings

console = Console(width=150)
QUERIES = ("港", "観光", "子育て", "防災", "DX", "port")


def pct(samples: list[float], q: int) -> float:
    """q-th percentile in milliseconds."""
    return statistics.quantiles(samples, n=100)[q - 1] * 1000


@asynccontextmanager
async def client(app: FastAPI, token: str) -> AsyncIterator[httpx.AsyncClient]:
    """An ASGI client of `app` (lifespan run) sending the admin's bearer token."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as c:
            yield c


async def timed(c: httpx.AsyncClient, path: str, params: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    answer = await c.get(path, params=params)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:300]}")
    return elapsed


async def side_by_side(
    clients: dict[str, httpx.AsyncClient], label: str, requests: int, path_of: list[tuple[str, dict[str, str]]]
) -> dict[str, list[float]]:
    """`requests` reads per app, alternating which app goes first."""
    samples: dict[str, list[float]] = {name: [] for name in clients}
    order = list(clients)
    for name in order:  # warm-up: JWKS fetched, pools filled, head read
        for path, params in path_of[:20]:
            await timed(clients[name], path, params)
    with Progress(console=console) as progress:
        task = progress.add_task(label, total=requests)
        for i in range(requests):
            path, params = path_of[i % len(path_of)]
            for name in order if i % 2 == 0 else reversed(order):
                samples[name].append(await timed(clients[name], path, params))
            progress.advance(task)
    return samples


async def burst(c: httpx.AsyncClient, paths: list[str], requests: int, concurrency: int) -> float:
    """Requests/s of `requests` reads, `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with gate:
            await timed(c, paths[i % len(paths)])

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(requests)))
    return requests / (time.perf_counter() - started)


async def run(settings: Settings, token: str, requests: int, concurrency: int, figures: dict[str, float]) -> Table:
    await prepare_graph(settings)
    driver = neo4j_driver(settings, retry_s=5.0)
    temporal = await connect_temporal(settings)
    db = settings.neo4j_database
    with Progress(console=console) as progress:
        task = progress.add_task("load the synthetic programme (1×)", total=None)
        await load_synthetic(
            driver,
            db,
            1.0,
            chain_key=load_or_create_chain_key(settings),
            progress=lambda d, t: progress.update(task, completed=d, total=t),
        )
    rows, _, _ = await driver.execute_query("MATCH (e:Engagement) RETURN e.id AS id ORDER BY id LIMIT 50")
    engagements = [f"/api/v1/engagements/{r['id']}" for r in rows]
    services = build_services(settings, temporal, driver)
    shipped = create_app(settings, services)
    without = create_app(settings, services)
    without.user_middleware = [m for m in without.user_middleware if getattr(m, "cls", None) is not AccessRecorder]
    table = Table(title=f"access record cost ({requests} requests per app and route, one run)")
    for column in ("route", "p50 without", "p50 with", "p99 without", "p99 with", "added p50", "ratio p50"):
        table.add_column(column, justify="right")
    try:
        async with AsyncExitStack() as stack:
            clients = {
                "with": await stack.enter_async_context(client(shipped, token)),
                "without": await stack.enter_async_context(client(without, token)),
            }
            no_params: dict[str, str] = {}
            routes: dict[str, list[tuple[str, dict[str, str]]]] = {
                "engagement": [(p, no_params) for p in engagements],
                "experts": [("/api/v1/experts", {"q": q}) for q in QUERIES],
            }
            for label, paths in routes.items():
                s = await side_by_side(clients, label, requests, paths)
                w, wo = statistics.median(s["with"]) * 1000, statistics.median(s["without"]) * 1000
                figures[f"access_{label}_p50_ms"] = w
                figures[f"access_{label}_p50_ratio"] = w / wo
                figures[f"access_{label}_p99_ms"] = pct(s["with"], 99)
                table.add_row(
                    label,
                    f"{wo:.2f} ms",
                    f"{w:.2f} ms",
                    f"{pct(s['without'], 99):.2f} ms",
                    f"{pct(s['with'], 99):.2f} ms",
                    f"{w - wo:+.2f} ms",
                    f"{w / wo:.2f}×",
                )
            console.print(f"… burst: {requests} engagement reads, {concurrency} at a time, per app")
            rates = {name: await burst(c, engagements, requests, concurrency) for name, c in clients.items()}
            figures[f"access_burst_rps@{concurrency}"] = rates["with"]
            figures[f"access_burst_ratio@{concurrency}"] = rates["with"] / rates["without"]
            table.add_row(
                f"burst ×{concurrency}",
                f"{rates['without']:.0f} req/s",
                f"{rates['with']:.0f} req/s",
                "",
                "",
                "",
                f"{rates['without'] / rates['with']:.2f}× slower",
            )
        verdict = await services.access_log.verify()
        console.print(f"access log after the run: {verdict.records} records, chain valid: {verdict.valid}")
    finally:
        await driver.close()
    return table


def main() -> None:
    """Start the servers, measure, print one table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here as one flat JSON object")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    root = Path(tempfile.mkdtemp(prefix="banso-bench-access-"))
    with running_servers(test_settings(root / "servers")) as servers, signed_in(servers, root / "keycloak") as signed:
        settings, keycloak = signed
        token = RenewingToken(keycloak, "kanri").token()
        console.print(asyncio.run(run(settings, token, args.requests, args.concurrency, figures)))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
