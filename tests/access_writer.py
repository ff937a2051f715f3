"""A separate process appending access records, for the concurrency tests and the benchmark.

`python -m tests.access_writer N TAG` with the BANSO_NEO4J_* settings and BANSO_CHAIN_KEY_FILE in the
environment: appends N records (actor `user:TAG`), as many at once as the API would (CONCURRENCY),
and prints the sequences it got, one line of JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from datetime import UTC, datetime

from schemas.access_log import AccessEntry
from schemas.envelope import format_time
from services.graph.driver import neo4j_driver
from services.graph.store.access_log import AccessLog
from services.graph.store.chain_key import load_or_create_chain_key
from services.settings import Settings

CONCURRENCY = 8


def entry(tag: str, n: int) -> AccessEntry:
    """An access record as the API writes it, for `user:<tag>` reading an engagement."""

    return AccessEntry(
        id=str(uuid.uuid4()),
        time=format_time(datetime.now(UTC)),
        actor=f"user:{tag}",
        roles=["auditor"],
        route="get_engagement",
        method="GET",
        path=f"/api/v1/engagements/engagement-3-{n:05d}",
        objects=[f"engagement:engagement-3-{n:05d}"],
        client_ip="127.0.0.1",
        user_agent="access-writer",
        status=200,
    )


async def main(count: int, tag: str) -> None:
    settings = Settings()
    driver = neo4j_driver(settings)
    log = AccessLog(driver, settings.neo4j_database, load_or_create_chain_key(settings))
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(n: int) -> int:
        async with gate:
            return (await log.append(entry(tag, n))).sequence

    try:
        sequences = await asyncio.gather(*(one(n) for n in range(count)))
    finally:
        await driver.close()
    print(json.dumps(sorted(sequences)))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
