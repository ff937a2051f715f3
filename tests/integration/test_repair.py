"""`banso repair` on streams whose log is ahead of their workflow, or differs from its history."""

from __future__ import annotations

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client

from banso.repair import repair_stream
from schemas.envelope import verify_chain
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.settings import Settings
from services.workflow.engagement.workflow import EngagementWorkflow
from tests.faults.ledger import stored_events, stray_meeting
from tests.integration.flows import advance, command

pytestmark = pytest.mark.servers
MEETING = {"kind": "online_meeting", "start_date": "2025-06-05"}


def store(driver: AsyncDriver, settings: Settings) -> EventStore:
    return EventStore(driver, settings.neo4j_database, load_or_create_chain_key(settings))


async def test_events_the_log_holds_beyond_the_workflow_are_taken_over_and_recorded(
    api: httpx.AsyncClient, driver: AsyncDriver, temporal: Client, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    head = (await stored_events(driver, eid))[-1]
    stray = stray_meeting(head, MEETING)
    assert (await store(driver, clean).append(stray)).created  # as a lost task of older code left it

    dry = await repair_stream(temporal, store(driver, clean), eid, dry_run=True)
    report = await repair_stream(temporal, store(driver, clean), eid)

    assert (dry.adopted, dry.recorded) == ([head.sequence + 1], None)
    assert (report.adopted, report.restored, report.problem) == ([head.sequence + 1], [], None)
    assert report.recorded == head.sequence + 2
    events = await stored_events(driver, eid)
    assert [e.type for e in events[-2:]] == ["OnlineMeetingHeld", "StreamRepaired"]
    assert events[-1].data["adopted"] == [head.sequence + 1]
    assert verify_chain(events).valid
    state = await temporal.get_workflow_handle_for(EngagementWorkflow.run, eid).query(EngagementWorkflow.state)
    assert (state.last_sequence, state.counts.online_meetings) == (head.sequence + 2, 1)
    assert (await command(api, eid, "activities", MEETING)).status_code == 200
    again = await repair_stream(temporal, store(driver, clean), eid)
    assert (again.adopted, again.restored, again.recorded, again.problem) == ([], [], None, None)


async def test_a_log_that_differs_from_the_history_is_reported_and_left_alone(
    api: httpx.AsyncClient, driver: AsyncDriver, temporal: Client, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    await driver.execute_query(
        "MATCH (e:Event {subject: $s, sequence: 3}) DETACH DELETE e", s=eid
    )  # the head is lost, and with it the agreement on #3
    await driver.execute_query(
        "MATCH (e:Event {subject: $s, sequence: 2}) SET e.hash = $h", s=eid, h="f" * 64
    )  # and #2 was rewritten
    before = await stored_events(driver, eid)

    report = await repair_stream(temporal, store(driver, clean), eid)

    assert report.problem is not None
    assert "#2" in report.problem
    assert (report.restored, report.adopted, report.recorded) == ([], [], None)
    assert await stored_events(driver, eid) == before


async def test_a_log_as_long_as_the_workflow_but_with_another_head_is_left_alone(
    api: httpx.AsyncClient, driver: AsyncDriver, temporal: Client, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    await driver.execute_query("MATCH (e:Event {subject: $s, sequence: 3}) SET e.hash = $h", s=eid, h="e" * 64)
    before = await stored_events(driver, eid)

    report = await repair_stream(temporal, store(driver, clean), eid)

    assert report.problem is not None
    assert "#3" in report.problem
    assert (report.restored, report.adopted, report.recorded) == ([], [], None)
    assert await stored_events(driver, eid) == before
