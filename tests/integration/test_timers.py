"""Stall detection and the final-report reminder, with durations from settings so days take seconds."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client

from services.settings import Settings
from services.workflow.engagement import search_attributes as sa
from tests.conftest import api_client
from tests.integration.flows import KICKOFF, MEETING, advance, command, event_log

pytestmark = pytest.mark.servers

SECONDS = 1 / 86400


async def wait_for_state(api: httpx.AsyncClient, eid: str, key: str, value: Any, within: float = 30) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        state: dict[str, Any] = (await api.get(f"/api/v1/engagements/{eid}/state")).json()["state"]
        if state[key] == value:
            return state
        assert asyncio.get_running_loop().time() < deadline, f"{key} stayed {state[key]!r}"
        await asyncio.sleep(0.25)


async def test_silence_stalls_and_the_next_contact_resumes(
    clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
) -> None:
    settings = clean.model_copy(update={"stall_after_days": 3 * SECONDS})
    async with api_client(settings, temporal, driver) as api:
        eid = await advance(api, municipality_code, "visits")

        stalled = await wait_for_state(api, eid, "stalled", True)
        assert [a["kind"] for a in stalled["alerts"]] == ["stalled"]
        assert stalled["alerts"][0]["message_ja"].endswith("日間、会議・訪問・連携の記録がありません")
        log = await event_log(api, eid)
        assert log["events"][-1]["type"] == "EngagementStalled"
        assert log["events"][-1]["actor"] == "system:banso-workflow"
        assert (await api.get(f"/api/v1/engagements/{eid}")).json()["stalled"] is True
        described = await temporal.get_workflow_handle(eid).describe()
        assert described.typed_search_attributes.get(sa.STALLED) is True

        response = await command(api, eid, "activities", MEETING)
        assert response.status_code == 200
        types = [e["type"] for e in (await event_log(api, eid))["events"]]
        assert types[-3:] == ["EngagementStalled", "EngagementResumed", "OnlineMeetingHeld"]
        state = (await api.get(f"/api/v1/engagements/{eid}/state")).json()["state"]
        assert state["stalled"] is False
        assert state["alerts"] == []
        assert (await event_log(api, eid))["chain_valid"] is True


async def test_no_stall_before_kickoff(
    clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
) -> None:
    settings = clean.model_copy(update={"stall_after_days": 1 * SECONDS})
    async with api_client(settings, temporal, driver) as api:
        eid = await advance(api, municipality_code, "matching")
        await asyncio.sleep(3)
        assert [e["type"] for e in (await event_log(api, eid))["events"]] == ["MunicipalityApplied", "TeamAssigned"]


async def test_final_report_reminder_then_cleared_by_the_report(
    clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
) -> None:
    settings = clean.model_copy(update={"report_reminder_days": 30})
    async with api_client(settings, temporal, driver) as api:
        eid = await advance(api, municipality_code, "matching")
        due = (date.today() + timedelta(days=10)).isoformat()
        assert (await command(api, eid, "kickoff", KICKOFF | {"final_report_due": due})).status_code == 200

        reminded = await wait_for_state(api, eid, "final_report_reminded", True)
        assert [a["kind"] for a in reminded["alerts"]] == ["final_report_due"]
        assert reminded["alerts"][0]["message_ja"] == f"最終報告の期限（{due}）が近づいています"
        assert (await event_log(api, eid))["events"][-1]["type"] == "FinalReportDue"

        report = {"submitted_on": date.today().isoformat(), "report": "final"}
        assert (await command(api, eid, "reports", report)).status_code == 200
        state = (await api.get(f"/api/v1/engagements/{eid}/state")).json()["state"]
        assert state["alerts"] == []
