"""Many events in few statements: events with the same projection shape share one UNWIND.

`batched` joins runs of consecutive plans of one shape. `regrouped` (the rebuild) also joins plans further
apart when the ones in between commute with them (`services.graph.projection.footprint`), so a page of
interleaved streams needs about one statement per shape instead of one per run.

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
from services.graph.projection.footprint import Footprint, commute
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


Planned = tuple[Sequence[Statement], Footprint]


def regrouped(planned: Sequence[Planned]) -> list[Statement]:
    """One statement per shape where plans commute, with the effect of running the plans one by one in order.

    Each plan joins the latest group of its shape that comes after every group holding an earlier plan it
    does not commute with (a key touched in ways that do not commute, or a barrier either side); otherwise
    it opens a new group at the end. So of any two plans that do not commute, the earlier runs first (an
    earlier group, or an earlier row of the same group), and a plan only moves before plans it commutes with.
    Within a group each row runs its plan's statements in order, as in `batched`.
    """
    groups: list[list[Sequence[Statement]]] = []
    latest_of_shape: dict[tuple[str, ...], int] = {}
    latest: dict[str, dict[str, int]] = {}  # key → how it was touched → the latest group that did
    barrier = -1  # the group of the latest barrier
    for statements, keys in planned:
        if not statements:
            continue
        shape = tuple(s.query for s in statements)
        # the last group this plan must follow: everything for a barrier, else those that touched its keys
        if keys is None:
            after = len(groups) - 1
        else:
            after = max(
                [barrier]
                + [g for k, how in keys.items() for other, g in latest.get(k, {}).items() if not commute(how, other)]
            )
        index = latest_of_shape.get(shape, -1)
        if index < after or index < 0:
            groups.append([])
            index = latest_of_shape[shape] = len(groups) - 1
        groups[index].append(statements)
        if keys is None:
            barrier = index
        else:
            for k, how in keys.items():
                touched = latest.setdefault(k, {})
                touched[how] = max(touched.get(how, -1), index)
    return [statement for group in groups for statement in batched(group)]


async def _run(tx: AsyncManagedTransaction, statements: list[Statement]) -> None:
    for statement in statements:
        await (await tx.run(statement.query, statement.params)).consume()


async def run_statements(driver: AsyncDriver, database: str, statements: list[Statement]) -> None:
    """Run `statements` in order, in one transaction."""
    async with driver.session(database=database) as session:
        await session.execute_write(_run, statements)


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
