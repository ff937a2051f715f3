"""Rebuild the projection from the event log: wipe every node but the events and the access log, replay the events.

Pages of events are projected in one transaction each, consecutive events of one shape per UNWIND.
"""

from __future__ import annotations

from collections.abc import Callable

from neo4j import AsyncDriver

from services.graph.store import rebuild_queries as q
from services.graph.store.batch_write import apply_projection
from services.graph.store.event_store import envelope_from_node

Progress = Callable[[int, int], None]


async def rebuild_projection(
    driver: AsyncDriver, database: str, *, batch: int = 1000, progress: Progress | None = None
) -> int:
    """Wipe the projection (never the events) and replay the whole log; returns the events replayed."""
    records, _, _ = await driver.execute_query(q.COUNT_EVENTS, database_=database)
    total = int(records[0]["n"])
    while True:
        records, _, _ = await driver.execute_query(q.WIPE_PROJECTION_BATCH, batch=5000, database_=database)
        if records[0]["deleted"] == 0:
            break
    done = 0
    after = {"time": "", "subject": "", "sequence": 0}
    while done < total:
        records, _, _ = await driver.execute_query(q.EVENTS_PAGE, after, limit=batch, database_=database)
        if not records:
            break
        events = [envelope_from_node(r["event"]) for r in records]
        await apply_projection(driver, database, events)
        after = {"time": events[-1].time, "subject": events[-1].subject, "sequence": events[-1].sequence}
        done += len(records)
        if progress is not None:
            progress(done, total)
    return done
