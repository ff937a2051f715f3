"""Many events in few statements: consecutive events with the same projection shape share one UNWIND.

(One statement for a whole page, with a branch per shape, is not used: the planner may put an Eager
between branches, which would run one shape for every row before the next and change the order.)

Used by `banso graph rebuild` (projection only) and by the synthetic data generator (events and
projection). Each event still runs its own statements in order, as a row of the UNWIND, so the
result equals applying the events one by one.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from neo4j import AsyncDriver, AsyncManagedTransaction

from schemas.envelope import EventEnvelope
from services.graph.projection.plan import Statement, plan
from services.graph.store import batch_queries as q
from services.graph.store import event_queries, feed_queries
from services.graph.store.event_store import event_params
from services.graph.store.seal import ChainKey


def batched(plans: Sequence[Sequence[Statement]]) -> list[Statement]:
    """One statement per run of consecutive plans with the same queries, in the plans' order."""
    out: list[Statement] = []
    for shape, group in itertools.groupby(plans, key=lambda p: tuple(s.query for s in p)):
        if not shape:
            continue
        rows = [
            {q.row_param(i, name): value for i, s in enumerate(p) for name, value in s.params.items()} for p in group
        ]
        out.append(Statement(q.unwind_query(shape), {"rows": rows}))
    return out


async def _run(tx: AsyncManagedTransaction, statements: list[Statement]) -> None:
    for statement in statements:
        await (await tx.run(statement.query, statement.params)).consume()


async def apply_projection(driver: AsyncDriver, database: str, events: Sequence[EventEnvelope]) -> None:
    """Project `events` (already stored) in order, in one transaction."""
    async with driver.session(database=database) as session:
        await session.execute_write(_run, batched([plan(e) for e in events]))


async def store_events(
    driver: AsyncDriver, database: str, events: Sequence[EventEnvelope], chain_key: ChainKey
) -> None:
    """Store `events` (new, hash-chained, in stream order, sealed with `chain_key`) and their projection.

    Only for bulk loads into streams no workflow writes (synthetic data): it skips the per-event chain
    guard that live writes go through. One transaction.
    """
    appends = [[Statement(event_queries.APPEND_EVENT, event_params(e, chain_key))] for e in events]
    positions = [[Statement(feed_queries.ASSIGN_POSITION, {"id": e.id})] for e in events]
    async with driver.session(database=database) as session:
        await session.execute_write(_run, batched(appends) + batched([plan(e) for e in events]) + batched(positions))
