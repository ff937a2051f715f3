"""Rebuild the projection from the event log: wipe every node but the events and the access log, replay the events.

A bulk load: on a long log the projection's secondary indexes (the full-text index above all, which every
write would otherwise update as it commits) are dropped first and created again from their own statements
at the end. Not on a short one: any schema change empties the server's plan cache, and planning the
replay's statements again costs more than the index updates it saves (measured in tests/bench/bench_graph).
The events are read a page at a time, only the fields the projection needs, and planned in a thread,
the next page while the current one is written. Each page is one transaction; within it, events whose
projections commute share one UNWIND per shape (`batch_write.regrouped`), so the graph is the one the
events give one by one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from schemas.events import parse_payload
from services.graph.projection.footprint import footprint
from services.graph.projection.plan import Statement, plan_payload
from services.graph.store import rebuild_queries as q
from services.graph.store.batch_write import Planned, regrouped, run_statements

Progress = Callable[[int, int], None]
INDEX_WAIT_S = 3600
REBUILD_BATCH = 5000  # events per page (one transaction)
BULK_INDEX_EVENTS = 20_000  # from this many events, drop the secondary indexes during the load


@dataclass
class RebuildProfile:
    """Where a rebuild's time went, in seconds.

    Reading and planning run beside the writes: `read_s` and `plan_s` are their own durations, `wait_s`
    the time the writes waited for them. Wall time ≈ wipe + write + wait + indexes.
    """

    wipe_s: float = 0.0
    read_s: float = 0.0
    plan_s: float = 0.0
    write_s: float = 0.0
    wait_s: float = 0.0
    index_s: float = 0.0
    pages: int = 0
    statements: int = 0

    def line(self) -> str:
        """One line for a report."""
        return (
            f"wipe {self.wipe_s:.1f} s, write {self.write_s:.1f} s, waiting for pages {self.wait_s:.1f} s "
            f"(read {self.read_s:.1f} s, parse and plan {self.plan_s:.1f} s beside the writes), "
            f"indexes {self.index_s:.1f} s; {self.pages} pages, {self.statements} statements"
        )


def _planned(record: Any) -> Planned:
    """The event's statements and footprint, from the fields the page reads."""
    try:
        data = json.loads(record["data"])
    except (TypeError, ValueError) as err:
        raise ValueError(f"event {record['id']} has unreadable data") from err
    payload = parse_payload(record["type"], data)
    return plan_payload(payload, record["subject"], record["id"]), footprint(payload, record["subject"])


def _plan_page(page: list[Any]) -> list[Statement]:
    return regrouped([_planned(r) for r in page])


async def _page(driver: AsyncDriver, database: str, after: dict[str, Any], limit: int) -> list[Any]:
    records, _, _ = await driver.execute_query(q.EVENTS_PAGE, after, limit=limit, database_=database)
    return list(records)


PlannedPage = tuple[int, list[Statement]] | BaseException | None  # events and statements; a failure; the end


async def _pages(
    driver: AsyncDriver, database: str, limit: int, out: asyncio.Queue[PlannedPage], p: RebuildProfile
) -> None:
    """Read and plan the log page by page into `out` (then None, or the error that stopped it)."""
    try:
        after: dict[str, Any] = {"time": "", "subject": "", "sequence": 0}
        while True:
            started = time.perf_counter()
            page = await _page(driver, database, after, limit)
            p.read_s += time.perf_counter() - started
            if not page:
                await out.put(None)
                return
            last = page[-1]
            after = {"time": last["time"], "subject": last["subject"], "sequence": last["sequence"]}
            started = time.perf_counter()
            statements = await asyncio.to_thread(_plan_page, page)
            p.plan_s += time.perf_counter() - started
            await out.put((len(page), statements))
    except Exception as err:  # handed to the writer, which raises it
        await out.put(err)


async def _drop_secondary_indexes(driver: AsyncDriver, database: str) -> list[str]:
    """Drop the projection's secondary indexes; returns the statements that create them again."""
    records, _, _ = await driver.execute_query(q.SECONDARY_INDEXES, database_=database)
    kept = set(q.KEPT_LABELS)
    dropped = [r for r in records if not kept.intersection(r["labelsOrTypes"] or [])]
    for r in dropped:
        await driver.execute_query(q.drop_index(r["name"]), database_=database)
    return [str(r["createStatement"]) for r in dropped]


async def _create_indexes(driver: AsyncDriver, database: str, statements: list[str]) -> None:
    if not statements:
        return
    for statement in statements:
        await driver.execute_query(statement, database_=database)
    await driver.execute_query(q.AWAIT_INDEXES, seconds=INDEX_WAIT_S, database_=database)


async def _wipe(driver: AsyncDriver, database: str) -> None:
    async with driver.session(database=database) as session:
        for statement in q.WIPE_PROJECTION:
            await (await session.run(statement, batch=10_000)).consume()


async def rebuild_projection(
    driver: AsyncDriver,
    database: str,
    *,
    batch: int = REBUILD_BATCH,
    progress: Progress | None = None,
    profile: RebuildProfile | None = None,
    drop_indexes: bool | None = None,
) -> int:
    """Wipe the projection (never the events) and replay the whole log; returns the events replayed.

    `drop_indexes`: drop the secondary indexes during the load (default: from BULK_INDEX_EVENTS events). Should
    the rebuild stop half-way, dropped indexes come back with the next start-up's schema (or a new rebuild).
    """
    p = profile if profile is not None else RebuildProfile()
    records, _, _ = await driver.execute_query(q.COUNT_EVENTS, database_=database)
    total = int(records[0]["n"])
    started = time.perf_counter()
    bulk = total >= BULK_INDEX_EVENTS if drop_indexes is None else drop_indexes
    recreate = await _drop_secondary_indexes(driver, database) if bulk else []
    try:
        await _wipe(driver, database)
        p.wipe_s += time.perf_counter() - started
        done = 0
        planned: asyncio.Queue[PlannedPage] = asyncio.Queue(maxsize=1)
        producer = asyncio.create_task(_pages(driver, database, batch, planned, p))
        try:
            while True:
                started = time.perf_counter()
                item = await planned.get()
                p.wait_s += time.perf_counter() - started
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                events, statements = item
                started = time.perf_counter()
                await run_statements(driver, database, statements)
                p.write_s += time.perf_counter() - started
                p.pages += 1
                p.statements += len(statements)
                done += events
                if progress is not None:
                    progress(done, max(done, total))
        finally:
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer
    finally:
        started = time.perf_counter()
        await _create_indexes(driver, database, recreate)
        p.index_s += time.perf_counter() - started
    return done
