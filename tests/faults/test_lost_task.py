"""A workflow task lost right after its event was committed, and an event stored by a task whose
completion never arrived: the workflow carries on with what the log holds, never forks it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client

from schemas.events import OnlineMeetingHeld
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.settings import Settings
from services.workflow.answers import command_id
from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.worker import build_worker
from tests.conftest import api_client
from tests.faults.ledger import Ledger, figures, post_until_answered, stored_events, stray_meeting
from tests.faults.lost_task import PLAN, LoseTaskAfterCommit
from tests.integration.flows import advance, command, event_log

pytestmark = pytest.mark.servers
MEETING = {"kind": "online_meeting", "start_date": "2025-06-05"}


@pytest.fixture
async def losing_api(clean: Settings, temporal: Client, driver: AsyncDriver) -> AsyncIterator[httpx.AsyncClient]:
    """The API on a task queue served only by a worker that loses workflow tasks after commits."""
    settings = clean.model_copy(update={"temporal_task_queue": f"banso-lost-{uuid.uuid4().hex[:8]}"})
    worker = build_worker(temporal, driver, settings, interceptors=[LoseTaskAfterCommit()])
    task = asyncio.create_task(worker.run())
    try:
        async with api_client(settings, temporal, driver) as client:
            yield client
    finally:
        PLAN.budget, PLAN.lost = 0, set()
        await worker.shutdown()
        await task


async def test_a_task_lost_after_each_commit_neither_forks_nor_loses(
    losing_api: httpx.AsyncClient, driver: AsyncDriver, temporal: Client, municipality_code: str
) -> None:
    eid = await advance(losing_api, municipality_code, "kickoff")
    PLAN.budget = 8
    ledger = Ledger()
    path = f"/api/v1/engagements/{eid}/activities"

    for i in range(4):  # one at a time: each loses its task once
        await post_until_answered(losing_api, path, MEETING, f"lost-serial-{i}", ledger)
    await asyncio.gather(  # then concurrently, several updates per task
        *(post_until_answered(losing_api, path, MEETING, f"lost-burst-{i}", ledger) for i in range(12))
    )

    result = await figures(driver, temporal, eid, ledger, "record_activity:lost-")
    print(result.line(f"{len(PLAN.lost)} workflow tasks lost after a commit"))
    assert len(PLAN.lost) == PLAN.budget, "the fault was not injected"
    assert ledger.refused == {}
    assert result.acknowledged == 16
    assert result.sound, result
    assert (await command(losing_api, eid, "activities", MEETING)).status_code == 200, "the engagement is wedged"


async def test_an_event_of_an_unanswered_command_is_adopted_and_answers_its_retry(
    api: httpx.AsyncClient, driver: AsyncDriver, temporal: Client, clean: Settings, municipality_code: str
) -> None:
    """The log holds an event the workflow never saw (its task's completion was lost): the next write
    folds it in and goes after it, and the lost command's retry is answered by it, not written again."""
    eid = await advance(api, municipality_code, "kickoff")
    head = (await stored_events(driver, eid))[-1]
    ghost_body = {**MEETING, "start_date": "2025-06-01", "notes": "書き込まれたが応答が失われた会議"}
    key = command_id("record_activity", "ghost-1", OnlineMeetingHeld.model_validate(ghost_body).model_dump(mode="json"))
    ghost = stray_meeting(head, ghost_body, key)
    assert (await EventStore(driver, clean.neo4j_database, load_or_create_chain_key(clean)).append(ghost)).created

    path = f"/api/v1/engagements/{eid}/activities"
    after = await api.post(path, json=MEETING, headers={"X-Banso-Actor": "t", "Idempotency-Key": "n-1"})
    retried = await api.post(path, json=ghost_body, headers={"X-Banso-Actor": "t", "Idempotency-Key": "ghost-1"})

    assert after.status_code == 200, after.text
    assert after.json()["sequence"] == head.sequence + 2
    assert retried.status_code == 200, retried.text
    assert (retried.json()["event_id"], retried.json()["sequence"]) == (ghost.id, ghost.sequence)
    log = await event_log(api, eid)
    assert log["chain_valid"] is True
    assert len(log["events"]) == head.sequence + 2
    state = await temporal.get_workflow_handle(eid).query(EngagementWorkflow.state)
    assert state.last_sequence == head.sequence + 2
    assert state.counts.online_meetings == 2
