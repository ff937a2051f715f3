"""Per-workflow admission: a few updates in flight per workflow id, the rest wait their turn (FIFO) or are refused.

Temporal refuses more than 10 in-flight updates per workflow (RESOURCE_EXHAUSTED). One API process keeps
its own share under that limit; requests beyond it wait in a bounded first-come-first-served queue, and a
request that finds the queue full is answered 429 at once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from services.api.problems import Busy

MAX_IN_FLIGHT = 8
MAX_WAITING = 64


@dataclass
class _Lane:
    """One workflow id's admissions: how many run, and who waits in which order."""

    running: int = 0
    waiting: deque[asyncio.Future[None]] = field(default_factory=deque)


class AdmissionGate:
    """At most `max_in_flight` holders per key; up to `max_waiting` more wait in arrival order."""

    def __init__(self, max_in_flight: int = MAX_IN_FLIGHT, max_waiting: int = MAX_WAITING) -> None:
        if max_in_flight < 1 or max_waiting < 0:
            raise ValueError("max_in_flight must be ≥ 1 and max_waiting ≥ 0")
        self.max_in_flight = max_in_flight
        self.max_waiting = max_waiting
        self._lanes: dict[str, _Lane] = {}

    def load(self, key: str) -> tuple[int, int]:
        """(running, waiting) for `key` — for tests and logs."""
        lane = self._lanes.get(key)
        return (lane.running, len(lane.waiting)) if lane else (0, 0)

    @asynccontextmanager
    async def admit(self, key: str) -> AsyncIterator[None]:
        """Hold one of `key`'s slots for the block; raises Busy (429) when the queue is full."""
        await self._acquire(key)
        try:
            yield
        finally:
            self._release(key)

    async def _acquire(self, key: str) -> None:
        lane = self._lanes.setdefault(key, _Lane())
        if lane.running < self.max_in_flight and not lane.waiting:
            lane.running += 1
            return
        if len(lane.waiting) >= self.max_waiting:
            self._forget_if_idle(key, lane)
            raise Busy()
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        lane.waiting.append(turn)
        try:
            await turn  # the releasing holder hands its slot over (running is not decremented in between)
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._release(key)  # the slot was handed over just as the wait was cancelled: pass it on
            else:
                if turn in lane.waiting:  # a release may already have dropped the cancelled turn
                    lane.waiting.remove(turn)
                self._forget_if_idle(key, lane)
            raise

    def _release(self, key: str) -> None:
        lane = self._lanes[key]
        while lane.waiting:
            turn = lane.waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # the slot goes straight to the longest waiter
                return
        lane.running -= 1
        self._forget_if_idle(key, lane)

    def _forget_if_idle(self, key: str, lane: _Lane) -> None:
        if lane.running == 0 and not lane.waiting and self._lanes.get(key) is lane:
            del self._lanes[key]
