"""kill -9 of a worker, of Neo4j and of Temporal while clients write steadily through two API processes.

Each scenario prints and asserts, per engagement: acknowledged = stored, 0 lost, 0 duplicated, 0 wedged,
chain valid, workflow sequence = log sequence. `scripts/faults` runs the same scenarios longer.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from services.workflow.clients import connect_temporal, neo4j_driver
from tests.faults.ledger import Ledger, figures, post_until_answered
from tests.faults.private_stack import PrivateStack, private_stack
from tests.integration.flows import advance

pytestmark = pytest.mark.servers
MEETING = {"kind": "online_meeting", "start_date": "2025-06-05"}
WRITES = int(os.environ.get("BANSO_FAULT_WRITES", "48"))
CLIENTS = 4


@pytest.fixture(scope="module")
def stack() -> Iterator[PrivateStack]:
    """Two workers and two API processes on a private Temporal and Neo4j."""
    with private_stack() as s:
        s.start_worker("worker-1")
        s.start_worker("worker-2")
        s.start_api("api-1")
        s.start_api("api-2")
        yield s


@pytest.fixture
async def apis(stack: PrivateStack) -> AsyncIterator[list[httpx.AsyncClient]]:
    clients = [httpx.AsyncClient(base_url=url, timeout=90) for _, url in stack.apis.values()]
    yield clients
    for client in clients:
        await client.aclose()


@dataclass
class Run:
    """One scenario's writes: engagements, their ledgers and the command prefix."""

    prefix: str
    engagements: list[str]
    ledgers: dict[str, Ledger]

    @property
    def acknowledged(self) -> int:
        return sum(len(ledger.acked) for ledger in self.ledgers.values())


async def _write_steadily(
    apis: list[httpx.AsyncClient], codes: list[str], prefix: str, fault: Callable[[], Awaitable[str]]
) -> tuple[Run, str]:
    """CLIENTS clients write WRITES meetings over the engagements; `fault` runs once a third is acknowledged."""
    engagements = [await advance(apis[0], code, "kickoff") for code in codes]
    run = Run(prefix, engagements, {eid: Ledger() for eid in engagements})
    per_client = WRITES // CLIENTS

    async def client(c: int) -> None:
        for j in range(per_client):
            eid = engagements[(c + j) % len(engagements)]
            key = f"{prefix}-{c}-{j}"
            await post_until_answered(apis, f"/api/v1/engagements/{eid}/activities", MEETING, key, run.ledgers[eid])

    async def inject() -> str:
        while run.acknowledged < WRITES // 3:  # noqa: ASYNC110 - polling a counter the clients update
            await asyncio.sleep(0.05)
        at_fault = run.acknowledged
        said = await fault()
        recovered = run.acknowledged
        assert recovered < WRITES // CLIENTS * CLIENTS, "every write was answered before the fault was over"
        return f"{said}; {at_fault} acknowledged when it struck, {recovered} when it was over"

    fault_task = asyncio.create_task(inject())
    await asyncio.gather(*(client(c) for c in range(CLIENTS)))
    return run, await fault_task


async def _assert_sound(stack: PrivateStack, run: Run, label: str, apis: list[httpx.AsyncClient]) -> None:
    temporal = await connect_temporal(stack.settings)
    driver = neo4j_driver(stack.settings)
    try:
        for eid in run.engagements:
            ledger = run.ledgers[eid]
            result = await figures(driver, temporal, eid, ledger, f"record_activity:{run.prefix}-")
            print(result.line(f"{label} — {eid} ({ledger.retries} client retries)"))
            assert ledger.refused == {}, ledger.refused
            assert result.sound, result
            after = await apis[1].post(
                f"/api/v1/engagements/{eid}/activities", json=MEETING, headers={"X-Banso-Actor": "t"}
            )
            assert after.status_code == 200, f"{eid} is wedged: {after.text}"
    finally:
        await driver.close()
    assert run.acknowledged == WRITES // CLIENTS * CLIENTS


async def test_a_worker_killed_during_writes_loses_nothing(
    stack: PrivateStack, apis: list[httpx.AsyncClient]
) -> None:
    async def kill_worker() -> str:
        stack.kill(stack.workers["worker-1"])
        started = time.monotonic()
        await asyncio.sleep(2)
        stack.start_worker("worker-1")  # as the supervisor would
        return f"worker-1 killed, replaced after {time.monotonic() - started:.1f} s"

    run, said = await _write_steadily(apis, ["131016", "131024"], "kw", kill_worker)
    await _assert_sound(stack, run, f"worker kill -9 ({said})", apis)


async def test_neo4j_killed_and_restarted_mid_stream_loses_nothing(
    stack: PrivateStack, apis: list[httpx.AsyncClient]
) -> None:
    async def kill_neo4j() -> str:
        took = await stack.restart_neo4j(down_s=3)
        return f"Neo4j down 3 s, answering again {took:.1f} s after its restart"

    run, said = await _write_steadily(apis, ["131032", "131041"], "kn", kill_neo4j)
    await _assert_sound(stack, run, f"Neo4j kill -9 ({said})", apis)


async def test_temporal_killed_and_restarted_mid_stream_loses_nothing(
    stack: PrivateStack, apis: list[httpx.AsyncClient]
) -> None:
    async def kill_temporal() -> str:
        took = await stack.restart_temporal(down_s=3)
        return f"Temporal down 3 s, answering again {took:.1f} s after its restart"

    run, said = await _write_steadily(apis, ["131059", "131067"], "kt", kill_temporal)
    await _assert_sound(stack, run, f"Temporal kill -9 ({said})", apis)
