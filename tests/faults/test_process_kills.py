"""kill -9 of a worker, of Neo4j and of Temporal while clients write steadily through two API processes.

Each scenario prints and asserts, per engagement: acknowledged = stored, 0 lost, 0 duplicated, 0 wedged,
chain valid, workflow sequence = log sequence. The last one kills every component in turn, again and
again (BANSO_FAULT_KILLS times). `scripts/faults` runs the same scenarios longer.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from schemas.text import municipality_check_digit
from services.graph.driver import neo4j_driver
from services.workflow.clients import connect_temporal
from tests.auth import default_auth
from tests.conftest import Keycloak
from tests.faults.ledger import Ledger, figures, post_until_answered
from tests.faults.private_stack import PrivateStack, private_stack
from tests.integration.flows import advance

pytestmark = pytest.mark.servers
MEETING = {"kind": "online_meeting", "start_date": "2025-06-05"}
WRITES = int(os.environ.get("BANSO_FAULT_WRITES", "48"))
KILLS = int(os.environ.get("BANSO_FAULT_KILLS", "4"))
CLIENTS = 4
ROTATION = ("worker", "api", "neo4j", "temporal")
DOWN_S = {"worker": 2.0, "api": 1.0, "neo4j": 3.0, "temporal": 3.0}


@pytest.fixture(scope="module")
def stack(keycloak: Keycloak) -> Iterator[PrivateStack]:
    """Two workers and two API processes on a private Temporal and Neo4j (tokens from the session's Keycloak)."""
    with private_stack(keycloak.settings) as s:
        s.start_worker("worker-1")
        s.start_worker("worker-2")
        s.start_api("api-1")
        s.start_api("api-2")
        yield s


@pytest.fixture
async def apis(stack: PrivateStack) -> AsyncIterator[list[httpx.AsyncClient]]:
    clients = [httpx.AsyncClient(base_url=url, timeout=90, auth=default_auth()) for _, url in stack.apis.values()]
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


async def _assert_sound(
    stack: PrivateStack, run: Run, label: str, apis: list[httpx.AsyncClient], expected: int = 0
) -> None:
    """Figures per engagement, asserted; `expected` acknowledged writes (default: every client's share)."""
    expected = expected or WRITES // CLIENTS * CLIENTS
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
    assert run.acknowledged == expected


async def test_a_worker_killed_during_writes_loses_nothing(stack: PrivateStack, apis: list[httpx.AsyncClient]) -> None:
    async def kill_worker() -> str:
        stack.kill(stack.workers["worker-1"])
        started = time.monotonic()
        await asyncio.sleep(2)
        stack.start_worker("worker-1")  # as the supervisor would
        return f"worker-1 killed, replaced after {time.monotonic() - started:.1f} s"

    run, said = await _write_steadily(apis, ["131016", "131024"], "kw", kill_worker)
    await _assert_sound(stack, run, f"worker kill -9 ({said})", apis)


async def test_both_workers_killed_during_a_burst_lose_nothing(
    stack: PrivateStack, apis: list[httpx.AsyncClient]
) -> None:
    """40 concurrent writes to one engagement through both APIs; every worker is killed mid-burst."""
    eid = await advance(apis[0], "131202", "kickoff")
    run = Run("kb", [eid], {eid: Ledger()})
    path = f"/api/v1/engagements/{eid}/activities"
    burst = [
        asyncio.create_task(post_until_answered(apis, path, MEETING, f"kb-{i}", run.ledgers[eid])) for i in range(40)
    ]
    while run.acknowledged < 8:  # noqa: ASYNC110 - polling a counter the clients update
        await asyncio.sleep(0.02)
    struck = run.acknowledged
    for name in ("worker-1", "worker-2"):
        stack.kill(stack.workers[name])
    await asyncio.sleep(3)
    for name in ("worker-1", "worker-2"):
        stack.start_worker(name)  # as the supervisor would
    await asyncio.gather(*burst)
    said = f"both workers killed at {struck}/40 acknowledged, back after 3 s"
    await _assert_sound(stack, run, f"burst of 40 with worker kill -9 ({said})", apis, expected=40)


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


@dataclass(frozen=True)
class Kill:
    """One kill -9 of the rotation and what it cost."""

    target: str
    kind: str
    at_ack: int
    restart_s: float
    next_ack_s: float
    recovery_s: float


@dataclass
class Acks:
    """When each acknowledged write was first sent and when it was acknowledged (monotonic seconds)."""

    times: list[tuple[float, float]] = field(default_factory=list)

    def first_after(self, moment: float, sent_after: bool = False) -> float | None:
        """The first acknowledgement after `moment`; with `sent_after`, of a write first sent after it."""
        later = [acked for sent, acked in self.times if acked > moment and (sent > moment or not sent_after)]
        return min(later) if later else None


async def _kill_and_restart(stack: PrivateStack, n: int) -> tuple[str, str, float]:
    """The n-th kill of the rotation (worker, API, Neo4j, Temporal; workers and APIs alternate 1 and 2)."""
    kind = ROTATION[n % len(ROTATION)]
    which = n // len(ROTATION) % 2 + 1
    if kind == "worker":
        target = f"worker-{which}"
        took = await stack.restart_worker(target, DOWN_S[kind])
    elif kind == "api":
        target = f"api-{which}"
        took = await stack.restart_api(target, DOWN_S[kind])
    elif kind == "neo4j":
        target = "Neo4j"
        took = await stack.restart_neo4j(DOWN_S[kind])
    else:
        target = "Temporal"
        took = await stack.restart_temporal(DOWN_S[kind])
    return target, kind, took


async def test_repeated_kills_of_every_component(stack: PrivateStack, apis: list[httpx.AsyncClient]) -> None:
    """KILLS kill -9s in rotation, one every WRITES/(KILLS+1) acknowledged writes, each restarted.

    A kill strikes once its share of writes is acknowledged and the previous kill has recovered (a write
    acknowledged after it); meanwhile every client but the first holds back once CLIENTS writes past a
    due kill are acknowledged, so the kills stay spread over the run and each strikes while writes come.
    """
    total = WRITES // CLIENTS * CLIENTS
    assert total // (KILLS + 1) > CLIENTS, f"{WRITES} writes are too few for {KILLS} kills"
    due = [total * (n + 1) // (KILLS + 1) for n in range(KILLS)]
    count = 4 if WRITES >= 200 else 2
    codes = [f"1311{i}" + municipality_check_digit(f"1311{i}") for i in range(count)]
    engagements = [await advance(apis[0], code, "kickoff") for code in codes]
    run = Run("rk", engagements, {eid: Ledger() for eid in engagements})
    acks = Acks()
    kills: list[Kill] = []
    struck = in_flight = 0
    leader_done = False
    finished: list[int] = []
    began = time.monotonic()

    async def client(c: int) -> None:
        nonlocal in_flight, leader_done
        for j in range(total // CLIENTS):
            # Hold back behind a due kill, but only while the first client still writes (else nobody would).
            while c and not leader_done and struck < KILLS and run.acknowledged >= due[struck] + CLIENTS:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            eid = engagements[(c + j) % len(engagements)]
            key = f"rk-{c}-{j}"
            in_flight += 1
            sent = time.monotonic()
            await post_until_answered(apis, f"/api/v1/engagements/{eid}/activities", MEETING, key, run.ledgers[eid])
            in_flight -= 1
            if key in run.ledgers[eid].acked:
                acks.times.append((sent, time.monotonic()))
        if c == 0:
            leader_done = True
        finished.append(c)

    async def inject() -> None:
        nonlocal struck
        for n in range(KILLS):
            while run.acknowledged < due[n]:  # noqa: ASYNC110 - polling a counter the clients update
                await asyncio.sleep(0.05)
            at_ack, writing, at = run.acknowledged, in_flight, time.monotonic()
            struck += 1
            target, kind, took = await _kill_and_restart(stack, n)
            while (recovered := acks.first_after(at, sent_after=True)) is None and len(finished) < CLIENTS:
                assert time.monotonic() - at < 600, f"no write sent after killing {target} acknowledged in 600 s"
                await asyncio.sleep(0.05)
            if recovered is None:  # the clients were done first: nothing to time (soundness is asserted below)
                print(f"kill {n + 1}/{KILLS}: {target} at {at_ack}/{total}: all answered first", flush=True)
                continue
            next_ack = acks.first_after(at) or recovered
            kills.append(Kill(target, kind, at_ack, took, next_ack - at, recovered - at))
            print(
                f"kill {n + 1}/{KILLS}: {target} kill -9 at {at_ack}/{total} acknowledged ({writing} in flight), "
                f"down {DOWN_S[kind]:.0f} s, restart took {took:.1f} s; after the kill the next acknowledgement "
                f"came in {next_ack - at:.1f} s, the first for a write sent after it in {recovered - at:.1f} s",
                flush=True,
            )

    await asyncio.gather(*(client(c) for c in range(CLIENTS)), inject())
    by_kind = Counter(k.kind for k in kills)
    retries = sum(ledger.retries for ledger in run.ledgers.values())
    print(
        f"repeated kills: {total} writes by {CLIENTS} clients over {len(engagements)} engagements in "
        f"{time.monotonic() - began:.0f} s; {len(kills)} kills ("
        + ", ".join(f"{kind} {by_kind[kind]}" for kind in ROTATION)
        + f"); {retries} client retries"
    )
    for label, seconds in (
        ("kill -> next acknowledged write", [k.next_ack_s for k in kills]),
        ("kill -> first write sent after it acknowledged", [k.recovery_s for k in kills]),
    ):
        if not seconds:
            continue
        print(
            f"recovery ({label}): min {min(seconds):.1f} s, median {statistics.median(seconds):.1f} s, "
            f"max {max(seconds):.1f} s"
        )
    assert struck == KILLS
    await _assert_sound(stack, run, f"{len(kills)} kills in rotation", apis)
