"""The global feed: every stored event in one order that never changes once served.

Positions are handed out by the transaction that stores the event (`ASSIGN_POSITION`, the last step of
the append), under the one :FeedHead lock, so they follow commit order: 1, 2, 3, … with no gap a reader
could see and fill later. Events are never rewritten — `banso graph rebuild` keeps them and their
positions — so a cursor stays valid across rebuilds and restarts.
"""

from __future__ import annotations

from collections.abc import Callable

from neo4j import AsyncDriver

from schemas.envelope import EventEnvelope
from schemas.feed import FeedEvent, FeedPage
from services.graph.errors import CursorAhead
from services.graph.reads.reader import GraphReader
from services.graph.store import feed_queries as q
from services.graph.store.event_store import envelope_from_node

BACKFILL_BATCH = 5000


class EventFeed(GraphReader):
    """Reads the feed by position; one per process."""

    async def head(self) -> int:
        """The newest position (0 before the first event)."""
        return int((await self._read(q.HEAD))[0]["head"])

    async def envelopes(
        self, after: int, limit: int, types: frozenset[str] | None = None
    ) -> list[tuple[int, EventEnvelope]]:
        """Up to `limit` stored events after position `after` (of `types` when given), oldest first, as stored."""
        rows = await self._read(q.PAGE, after=after, limit=limit, types=sorted(types) if types else None)
        return [(int(r["event"][q.POSITION]), envelope_from_node(r["event"])) for r in rows]

    async def page(self, after: int, limit: int, types: frozenset[str] | None = None) -> FeedPage:
        """The published events after `after`; CursorAhead when `after` is beyond the newest position."""
        head = await self.head()
        if after > head:
            raise CursorAhead(f"cursor {after} is ahead of the feed's newest position {head}")
        items = [FeedEvent.publish(position, event) for position, event in await self.envelopes(after, limit, types)]
        next_cursor = items[-1].position if items else after
        return FeedPage(items=items, next_cursor=str(next_cursor), head=max(head, next_cursor))


async def backfill_positions(driver: AsyncDriver, database: str, progress: Callable[[int], None] | None = None) -> int:
    """Give a position to every event stored before positions existed (recording order); returns how many.

    Run at every start-up: when nothing is missing (the usual case) it costs two count lookups, no scan.
    """
    records, _, _ = await driver.execute_query(q.MISSING_POSITIONS, database_=database)
    if int(records[0]["missing"]) <= 0:
        return 0
    assigned = 0
    while True:
        records, _, _ = await driver.execute_query(q.BACKFILL_BATCH, batch=BACKFILL_BATCH, database_=database)
        batch = int(records[0]["assigned"])
        if batch == 0:
            return assigned
        assigned += batch
        if progress is not None:
            progress(assigned)
