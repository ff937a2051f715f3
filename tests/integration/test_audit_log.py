"""The event log as the audit record: idempotent writes and a hash chain that exposes tampering."""

from __future__ import annotations

import httpx
import pytest
from neo4j import AsyncDriver

from schemas.envelope import EventEnvelope
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.settings import Settings
from services.workflow.activities import EngagementActivities, RecordEventInput
from tests.integration.flows import MEETING, advance, command, event_log
from tests.integration.graph_dump import graph_checksum

pytestmark = pytest.mark.servers


async def count_events(driver: AsyncDriver, subject: str) -> int:
    records, _, _ = await driver.execute_query("MATCH (e:Event {subject: $s}) RETURN count(e) AS n", s=subject)
    return int(records[0]["n"])


class TestRecordEvent:
    async def test_running_the_activity_twice_writes_once(
        self, api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "visits")
        stored = EventEnvelope.model_validate((await event_log(api, eid))["events"][-1])
        before = await graph_checksum(driver)
        activities = EngagementActivities(EventStore(driver, clean.neo4j_database, load_or_create_chain_key(clean)))

        result = await activities.record_event(RecordEventInput(event=stored))

        assert result.created is False
        assert await count_events(driver, eid) == 4
        assert await graph_checksum(driver) == before

    async def test_a_fresh_event_is_written_once_even_when_retried(
        self, api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "visits")
        head = EventEnvelope.model_validate((await event_log(api, eid))["events"][-1])
        nxt = EventEnvelope(
            id="7d0e6f0a-0000-4000-8000-000000000001",
            type="OnlineMeetingHeld",
            subject=eid,
            sequence=head.sequence + 1,
            time="2026-01-01T00:00:00.000000Z",
            actor="cao.tester",
            schema_version=1,
            data={
                "event_type": "OnlineMeetingHeld",
                "kind": "online_meeting",
                "start_date": "2025-06-04",
                "participants": [],
                "schema_version": 1,
            },
            prev_hash=head.hash,
        ).sealed()
        activities = EngagementActivities(EventStore(driver, clean.neo4j_database, load_or_create_chain_key(clean)))

        first = await activities.record_event(RecordEventInput(event=nxt))
        after_first = await graph_checksum(driver)
        second = await activities.record_event(RecordEventInput(event=nxt))

        assert (first.created, second.created) == (True, False)
        assert await count_events(driver, eid) == 5
        assert await graph_checksum(driver) == after_first
        assert (await event_log(api, eid))["chain_valid"] is True


class TestChainVerification:
    async def test_editing_a_stored_payload_breaks_the_chain_at_that_event(
        self, api: httpx.AsyncClient, driver: AsyncDriver, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        for _ in range(3):
            assert (await command(api, eid, "activities", MEETING)).status_code == 200
        assert (await event_log(api, eid))["chain_valid"] is True

        await driver.execute_query(
            "MATCH (e:Event {subject: $s, sequence: 5}) SET e.data = replace(e.data, '2025-05-08', '2025-05-09')",
            s=eid,
        )

        log = await event_log(api, eid)
        assert log["chain_valid"] is False
        assert log["chain"]["first_bad_sequence"] == 5

    async def test_deleting_an_event_is_reported_as_a_gap(
        self, api: httpx.AsyncClient, driver: AsyncDriver, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "visits")
        await driver.execute_query("MATCH (e:Event {subject: $s, sequence: 2}) DETACH DELETE e", s=eid)
        log = await event_log(api, eid)
        assert log["chain_valid"] is False
        assert log["chain"]["first_bad_sequence"] == 2

    async def test_unreadable_payload_is_reported_not_crashed(
        self, api: httpx.AsyncClient, driver: AsyncDriver, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "matching")
        await driver.execute_query("MATCH (e:Event {subject: $s, sequence: 1}) SET e.data = '{broken'", s=eid)
        log = await event_log(api, eid)
        assert log["chain_valid"] is False
        assert log["chain"]["first_bad_sequence"] == 1


class TestStoreOutOfStep:
    async def test_a_log_missing_its_head_refuses_the_next_event_clearly(
        self, api: httpx.AsyncClient, driver: AsyncDriver, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "visits")
        await driver.execute_query("MATCH (e:Event {subject: $s, sequence: 4}) DETACH DELETE e", s=eid)

        response = await command(api, eid, "activities", MEETING)

        assert response.status_code == 500
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "chain_conflict"
        assert await count_events(driver, eid) == 3
