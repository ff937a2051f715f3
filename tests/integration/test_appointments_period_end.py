"""A period's end ends every 併任 still in force: the period's own workflow records AppointmentEnded."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.conftest import next_period
from tests.integration.flows import TEAM, application, engagement_id, post

pytestmark = pytest.mark.servers


async def period_log(api: httpx.AsyncClient, period: int) -> list[dict[str, Any]]:
    response = await api.get(f"/api/v1/periods/{period}/events")
    assert response.status_code == 200, response.text
    assert response.json()["chain"]["valid"] is True
    events: list[dict[str, Any]] = response.json()["events"]
    return events


async def test_the_period_end_ends_appointments_in_force(api: httpx.AsyncClient, municipality_code: str) -> None:
    period = next_period()
    eid = engagement_id(municipality_code, period)
    assert (await post(api, "/api/v1/applications", application(municipality_code, period))).status_code == 201
    assert (await post(api, f"/api/v1/engagements/{eid}/team", TEAM)).status_code == 200
    team = (await api.get(f"/api/v1/engagements/{eid}")).json()["team"]
    official = {k: team[0][k] for k in ("official_id", "name", "ministry")}
    # a period already past its end (summarised by its workflow at once), its paperwork recorded afterwards
    call = {"period": period, "opens_on": "2025-02-03", "closes_on": "2025-02-28", "ends_on": "2026-03-31"}
    assert (await post(api, "/api/v1/periods", call)).status_code == 201
    issued = {"official": official, "team_codes": [municipality_code], "appointed_on": "2025-04-01"}
    response = await post(api, f"/api/v1/periods/{period}/appointments", issued)
    assert response.status_code == 201, response.text
    late = {k: team[1][k] for k in ("official_id", "name", "ministry")}
    after_end = {"official": late, "team_codes": [municipality_code], "appointed_on": "2026-04-02"}
    assert (await post(api, f"/api/v1/periods/{period}/appointments", after_end)).status_code == 201

    for _ in range(100):
        log = await period_log(api, period)
        if any(e["type"] == "AppointmentEnded" for e in log):
            break
        await asyncio.sleep(0.2)
    ended = [e for e in log if e["type"] == "AppointmentEnded"]
    assert len(ended) == 1  # the one appointed after the period's end is left to a person
    assert ended[0]["actor"] == "system:banso-period"
    assert ended[0]["data"]["official_id"] == official["official_id"]
    assert (ended[0]["data"]["ended_on"], ended[0]["data"]["reason"]) == ("2026-04-01", "period_end")
    listed = (await api.get(f"/api/v1/periods/{period}/appointments")).json()
    by_official = {a["official_id"]: a for a in listed}
    assert by_official[official["official_id"]]["ended_on"] == "2026-04-01"
    assert by_official[late["official_id"]]["ended_on"] is None
