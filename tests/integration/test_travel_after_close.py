"""A trip planned before an engagement closes is settled after it: the workflow lives on until it is."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from temporalio.client import Client, WorkflowExecutionStatus

from tests.integration.flows import CLOSE, OUTCOME, advance, command, event_log

pytestmark = pytest.mark.servers


async def test_settled_after_the_close_then_the_workflow_ends(
    api: httpx.AsyncClient, temporal: Client, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "visits")
    visit = next(e for e in (await event_log(api, eid))["events"] if e["type"] == "SiteVisitMade")
    official_id = (await api.get(f"/api/v1/engagements/{eid}")).json()["team"][0]["official_id"]
    trip = {"visit_event_id": visit["id"], "official_id": official_id}
    amounts = {"transport_yen": 34_000, "lodging_yen": 13_100, "daily_allowance_yen": 5_200}
    plan = trip | amounts | {"departs_on": "2025-05-29", "returns_on": "2025-05-30", "planned_on": "2025-05-15"}
    assert (await command(api, eid, "travel-plans", plan)).status_code == 200
    assert (await command(api, eid, "outcomes", OUTCOME)).status_code == 200
    assert (await command(api, eid, "close", CLOSE)).status_code == 200

    handle = temporal.get_workflow_handle(eid)
    assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING  # a trip is still to settle
    again = plan | {"transport_yen": 1}
    response = await command(api, eid, "travel-plans", again)
    assert response.status_code == 409, response.text  # nothing new is planned on a closed engagement
    settled = trip | amounts | {"transport_yen": 33_120, "settled_on": "2026-04-15"}
    response = await command(api, eid, "travel-settlements", settled)
    assert response.status_code == 200, response.text

    for _ in range(50):
        if (await handle.describe()).status is WorkflowExecutionStatus.COMPLETED:
            break
        await asyncio.sleep(0.1)
    assert (await handle.describe()).status is WorkflowExecutionStatus.COMPLETED
    types = [e["type"] for e in (await event_log(api, eid))["events"]]
    assert types[-3:] == ["OutcomeRecorded", "EngagementClosed", "TravelSettled"]
