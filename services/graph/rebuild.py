"""Rebuild the projection from the event log: wipe every non-Event node, replay every event in order."""

from __future__ import annotations

from collections.abc import Callable

from neo4j import AsyncDriver, AsyncManagedTransaction

from services.graph.event_store import envelope_from_node
from services.graph.projection import Statement, plan

COUNT_EVENTS = "MATCH (e:Event) RETURN count(e) AS n"

WIPE_PROJECTION_BATCH = """
MATCH (n) WHERE NOT n:Event
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
"""

# Streams interleave in recording order; within a stream, sequence order.
EVENTS_PAGE = """
MATCH (e:Event)
RETURN e {.*} AS event
ORDER BY e.time, e.subject, e.sequence
SKIP $skip LIMIT $limit
"""

Progress = Callable[[int, int], None]


async def _apply(tx: AsyncManagedTransaction, statements: list[Statement]) -> None:
    for statement in statements:
        await tx.run(statement.query, statement.params)


async def rebuild_projection(
    driver: AsyncDriver, database: str, *, batch: int = 200, progress: Progress | None = None
) -> int:
    """Wipe the projection (never the events) and replay the whole log; returns the events replayed."""
    records, _, _ = await driver.execute_query(COUNT_EVENTS, database_=database)
    total = int(records[0]["n"])
    while True:
        records, _, _ = await driver.execute_query(WIPE_PROJECTION_BATCH, batch=5000, database_=database)
        if records[0]["deleted"] == 0:
            break
    done = 0
    while done < total:
        records, _, _ = await driver.execute_query(EVENTS_PAGE, skip=done, limit=batch, database_=database)
        if not records:
            break
        statements = [s for r in records for s in plan(envelope_from_node(r["event"]))]
        async with driver.session(database=database) as session:
            await session.execute_write(_apply, statements)
        done += len(records)
        if progress is not None:
            progress(done, total)
    return done
