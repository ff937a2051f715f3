"""Group commit: while one batch is being written, the items that arrive queue up; the next write takes them all.

A caller submits one item and awaits its own answer (a result or the exception meant for it alone). The
first item finds no write in flight and is written at once; the ones that arrive meanwhile wait for that
write to end and then go together in one batch. Nothing waits for a timer, so a lone writer pays nothing.
One drain per event loop (the store may be used from several loops in tests).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# A batch's results in the order of its items: each is the item's answer or the exception raised for it.
WriteBatch = Callable[[list[T]], Awaitable[list[R | BaseException]]]


class GroupCommit(Generic[T, R]):
    """Writes submitted items in batches of at most `max_batch`, one batch at a time."""

    def __init__(self, write_batch: WriteBatch[T, R], max_batch: int) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be ≥ 1")
        self._write_batch = write_batch
        self.max_batch = max_batch
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._drain: asyncio.Task[None] | None = None
        self.batches = 0  # how many batches were written (for benchmarks and logs)
        self.items = 0

    async def submit(self, item: T) -> R:
        """Queue `item` for the next batch and wait for its answer."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop, self._pending, self._drain = loop, [], None
        answer: asyncio.Future[R] = loop.create_future()
        self._pending.append((item, answer))
        if self._drain is None or self._drain.done():
            self._drain = loop.create_task(self._drain_pending())
        return await answer

    async def _drain_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            # A caller that gave up before its batch was written is not written for (as if it never asked).
            live = [(item, answer) for item, answer in batch if not answer.done()]
            if not live:
                continue
            try:
                results = await self._write_batch([item for item, _ in live])
            except asyncio.CancelledError:  # the loop is closing: nobody is left waiting for an answer
                for _, answer in live + self._pending:
                    answer.cancel()
                self._pending = []
                raise
            except Exception as err:  # the writer answers per item; this is its own failure, for every item
                results = [err] * len(live)
            self.batches += 1
            self.items += len(live)
            for (_, answer), result in zip(live, results, strict=True):
                if answer.done():
                    continue
                if isinstance(result, BaseException):
                    answer.set_exception(result)
                else:
                    answer.set_result(result)
