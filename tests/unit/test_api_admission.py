"""The per-workflow admission gate: a few in flight, the rest in arrival order, a full queue refused (429)."""

from __future__ import annotations

import asyncio

import pytest

from services.api.admission import AdmissionGate
from services.api.problems import Busy


async def _hold(gate: AdmissionGate, key: str, order: list[int], n: int, release: asyncio.Event) -> None:
    async with gate.admit(key):
        order.append(n)
        await release.wait()


async def test_waiters_are_admitted_in_arrival_order() -> None:
    gate = AdmissionGate(max_in_flight=2, max_waiting=10)
    order: list[int] = []
    release = asyncio.Event()
    tasks = []
    for n in range(6):
        tasks.append(asyncio.create_task(_hold(gate, "w", order, n, release)))
        await asyncio.sleep(0)  # arrive one after the other
    await asyncio.sleep(0.01)
    assert order == [0, 1]
    assert gate.load("w") == (2, 4)
    release.set()
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3, 4, 5]
    assert gate.load("w") == (0, 0)


async def test_a_full_queue_is_refused_at_once_and_other_ids_are_not_affected() -> None:
    gate = AdmissionGate(max_in_flight=1, max_waiting=1)
    release = asyncio.Event()
    order: list[int] = []
    first = asyncio.create_task(_hold(gate, "w", order, 1, release))
    second = asyncio.create_task(_hold(gate, "w", order, 2, release))
    await asyncio.sleep(0.01)
    with pytest.raises(Busy) as refused:
        async with gate.admit("w"):
            pass
    assert refused.value.status == 429
    assert refused.value.retry_after is not None
    async with gate.admit("other"):
        assert gate.load("other") == (1, 0)
    release.set()
    await asyncio.gather(first, second)
    assert order == [1, 2]


async def test_a_cancelled_waiter_gives_up_its_place() -> None:
    gate = AdmissionGate(max_in_flight=1, max_waiting=5)
    release = asyncio.Event()
    order: list[int] = []
    holder = asyncio.create_task(_hold(gate, "w", order, 1, release))
    await asyncio.sleep(0.01)
    waiter = asyncio.create_task(_hold(gate, "w", order, 2, release))
    third = asyncio.create_task(_hold(gate, "w", order, 3, release))
    await asyncio.sleep(0.01)
    waiter.cancel()
    await asyncio.sleep(0.01)
    assert gate.load("w") == (1, 1)
    release.set()
    await asyncio.gather(holder, third)
    assert waiter.cancelled()
    assert order == [1, 3]
    assert gate.load("w") == (0, 0)


async def test_a_timeout_while_waiting_leaves_the_gate_consistent() -> None:
    gate = AdmissionGate(max_in_flight=1, max_waiting=5)
    release = asyncio.Event()
    holder = asyncio.create_task(_hold(gate, "w", [], 1, release))
    await asyncio.sleep(0.01)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.02), gate.admit("w"):
            pass
    assert gate.load("w") == (1, 0)
    release.set()
    await holder
    assert gate.load("w") == (0, 0)
