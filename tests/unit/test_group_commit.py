"""Group commit: items that arrive while a batch is written go together in the next one, each answered alone."""

from __future__ import annotations

import asyncio

import pytest

from services.graph.store.group_commit import GroupCommit


class Writer:
    """Records each batch; a batch waits for `gate` so that others can queue meanwhile."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def write(self, items: list[int]) -> list[int | BaseException]:
        self.batches.append(list(items))
        await self.gate.wait()
        return [ValueError(f"odd {i}") if i % 2 else i * 10 for i in items]


async def test_a_lone_item_is_written_at_once_and_answered() -> None:
    writer = Writer()
    group = GroupCommit[int, int](writer.write, max_batch=8)
    assert await group.submit(2) == 20
    assert writer.batches == [[2]]


async def test_items_arriving_during_a_write_go_together_in_the_next_batch() -> None:
    writer = Writer()
    writer.gate.clear()
    group = GroupCommit[int, int](writer.write, max_batch=3)
    first = asyncio.create_task(group.submit(0))
    await asyncio.sleep(0)  # the first write is in flight
    await asyncio.sleep(0)
    queued = [asyncio.create_task(group.submit(i)) for i in (2, 4, 6, 8)]
    await asyncio.sleep(0)
    writer.gate.set()
    assert await first == 0
    assert [await q for q in queued] == [20, 40, 60, 80]
    assert writer.batches == [[0], [2, 4, 6], [8]]


async def test_each_item_gets_its_own_error_and_the_others_their_results() -> None:
    writer = Writer()
    writer.gate.clear()
    group = GroupCommit[int, int](writer.write, max_batch=8)
    first = asyncio.create_task(group.submit(0))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    good, bad = asyncio.create_task(group.submit(2)), asyncio.create_task(group.submit(3))
    await asyncio.sleep(0)
    writer.gate.set()
    assert await first == 0
    assert await good == 20
    with pytest.raises(ValueError, match="odd 3"):
        await bad
    assert writer.batches == [[0], [2, 3]]


async def test_a_failing_write_fails_its_batch_only() -> None:
    calls: list[list[int]] = []

    async def write(items: list[int]) -> list[int | BaseException]:
        calls.append(items)
        if len(calls) == 1:
            raise ConnectionError("down")
        return list(items)

    group = GroupCommit[int, int](write, max_batch=8)
    with pytest.raises(ConnectionError):
        await group.submit(1)
    assert await group.submit(2) == 2


async def test_a_caller_that_gave_up_before_its_batch_is_not_written() -> None:
    writer = Writer()
    writer.gate.clear()
    group = GroupCommit[int, int](writer.write, max_batch=8)
    first = asyncio.create_task(group.submit(0))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    gone, kept = asyncio.create_task(group.submit(2)), asyncio.create_task(group.submit(4))
    await asyncio.sleep(0)
    gone.cancel()
    writer.gate.set()
    assert await first == 0
    assert await kept == 40
    assert writer.batches == [[0], [4]]
