"""Feed read throughput: the whole log read through the feed, against reading the same events straight from Neo4j.

    .venv/bin/python -m tests.bench.bench_feed [--scale 1] [--page 1000] [--rounds 3] [--json FILE]

Starts a private Neo4j, Temporal and Keycloak (the project's launchers), loads the synthetic programme at
`--scale` × the real one through the batch path (every event gets its feed position there, as in live
writes), then reads every event from position 0 to the head, `--page` events at a time, three ways,
alternating which goes first, `--rounds` times:
- raw:   the feed's own Cypher page (`MATCH (e:Event) WHERE e.position > $after … ORDER BY e.position LIMIT`)
         with the Python driver, records left as dicts — what Neo4j and the driver cost on this machine;
- store: `EventFeed.page` — the same query, each node made an envelope and published (payload upcast);
- api:   `GET /api/v1/feed` over ASGI with a real bearer token: policy, access record per page (the feed
         carries personal data), JSON encoding.
Prints events/s of each and its ratio to raw; where the time goes is the difference between columns.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from banso.stack.servers import prepare_graph
from banso.synthetic.generate import load_synthetic
from services.api.app import build_services, create_app
from services.graph.driver import neo4j_driver
from services.graph.store import feed_queries
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.feed import EventFeed
from services.settings import Settings
from services.workflow.clients import connect_temporal
from tests.bench.tokens import RenewingToken, signed_in
from tests.servers import running_servers, test_settings

console = Console(width=150)
Reader = Callable[[int], Awaitable[tuple[int, int]]]  # after → (events read, next cursor)


async def read_all(read: Reader, head: int) -> tuple[int, float]:
    """Events read and seconds taken to follow the feed from 0 to `head`."""
    started = time.perf_counter()
    after, total = 0, 0
    while after < head:
        count, after = await read(after)
        if count == 0:
            raise RuntimeError(f"the feed stopped at {after} before its head {head}")
        total += count
    return total, time.perf_counter() - started


async def run(settings: Settings, token: str, scale: float, page: int, rounds: int) -> dict[str, float]:
    await prepare_graph(settings)
    driver = neo4j_driver(settings, retry_s=5.0)
    temporal = await connect_temporal(settings)
    db = settings.neo4j_database
    try:
        with Progress(console=console) as progress:
            task = progress.add_task(f"load the synthetic programme ({scale:g}×)", total=None)
            await load_synthetic(
                driver,
                db,
                scale,
                chain_key=load_or_create_chain_key(settings),
                progress=lambda d, t: progress.update(task, completed=d, total=t),
            )
        feed = EventFeed(driver, db)
        head = await feed.head()
        app = create_app(settings, build_services(settings, temporal, driver))

        async def raw(after: int) -> tuple[int, int]:
            records, _, _ = await driver.execute_query(feed_queries.PAGE, after=after, limit=page, types=None)
            return len(records), int(records[-1]["event"]["position"])

        async def store(after: int) -> tuple[int, int]:
            answer = await feed.page(after, page)
            return len(answer.items), int(answer.next_cursor)

        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            headers = {"Authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client:

                async def api(after: int) -> tuple[int, int]:
                    answer = await client.get("/api/v1/feed", params={"after": str(after), "limit": page})
                    if answer.status_code != 200:
                        raise RuntimeError(f"feed: {answer.status_code} {answer.text[:300]}")
                    body = answer.json()
                    return len(body["items"]), int(body["next_cursor"])

                readers: dict[str, Reader] = {"raw": raw, "store": store, "api": api}
                rates: dict[str, list[float]] = {name: [] for name in readers}
                for read in readers.values():  # warm-up: page cache, JWKS, pools
                    await read(0)
                with Progress(console=console) as progress:
                    task = progress.add_task(f"read {head} events × {len(readers)} ways", total=rounds * len(readers))
                    for r in range(rounds):
                        order = list(readers) if r % 2 == 0 else list(reversed(readers))
                        for name in order:
                            events, seconds = await read_all(readers[name], head)
                            rates[name].append(events / seconds)
                            progress.advance(task)
    finally:
        await driver.close()
    best = {name: statistics.median(values) for name, values in rates.items()}
    return {"events": float(head), **{f"{name}_eps": value for name, value in best.items()}}


def main() -> None:
    """Start the servers, measure, print one table (and the figures as JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--page", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="banso-bench-feed-"))
    with running_servers(test_settings(root / "servers")) as servers, signed_in(servers, root / "keycloak") as signed:
        settings, keycloak = signed
        token = RenewingToken(keycloak, "kanri").token()
        r = asyncio.run(run(settings, token, args.scale, args.page, args.rounds))
    table = Table(
        title=f"feed read throughput ({r['events']:.0f} events, pages of {args.page}, median of {args.rounds})"
    )
    for column in ("read", "events/s", "ratio to raw Neo4j"):
        table.add_column(column, justify="right")
    for name in ("raw", "store", "api"):
        table.add_row(name, f"{r[f'{name}_eps']:.0f}", f"{r[f'{name}_eps'] / r['raw_eps']:.2f}")
    console.print(table)
    if args.json is not None:
        size = f"{args.scale:g}x"
        figures = {
            f"feed_events@{size}": r["events"],
            f"feed_raw_eps@{size}": r["raw_eps"],
            f"feed_store_eps@{size}": r["store_eps"],
            f"feed_api_eps@{size}": r["api_eps"],
            f"feed_api_ratio@{size}": r["api_eps"] / r["raw_eps"],
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
