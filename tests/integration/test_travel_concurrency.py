"""Many writes of one engagement's travel at once: every plan lands once, a trip is settled exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from tests.integration.flows import advance, command, event_log

pytestmark = pytest.mark.servers


async def test_concurrent_plans_and_settlements_of_one_trip(api: httpx.AsyncClient, municipality_code: str) -> None:
    eid = await advance(api, municipality_code, "visits")
    visit = next(e for e in (await event_log(api, eid))["events"] if e["type"] == "SiteVisitMade")
    official_id = (await api.get(f"/api/v1/engagements/{eid}")).json()["team"][0]["official_id"]
    trip = {"visit_event_id": visit["id"], "official_id": official_id}
    amounts = {"lodging_yen": 13_100, "daily_allowance_yen": 5_200}
    dates = {"departs_on": "2025-05-29", "returns_on": "2025-05-30", "planned_on": "2025-05-15"}
    plans = [trip | amounts | dates | {"transport_yen": 30_000 + i} for i in range(16)]
    answers = await asyncio.gather(*(command(api, eid, "travel-plans", p) for p in plans))
    assert [a.status_code for a in answers] == [200] * 16, [a.text for a in answers if a.status_code != 200]

    settled = trip | amounts | {"settled_on": "2025-06-20"}
    tries = [settled | {"transport_yen": 33_000 + i} for i in range(12)]
    answers = await asyncio.gather(*(command(api, eid, "travel-settlements", s) for s in tries))
    codes = Counter(a.status_code for a in answers)
    assert codes == Counter({200: 1, 409: 11}), [a.text for a in answers]
    refused = [a.json()["code"] for a in answers if a.status_code == 409]
    assert set(refused) == {"already_settled"}

    log = await event_log(api, eid)
    types = Counter(e["type"] for e in log["events"])
    assert (types["TravelPlanned"], types["TravelSettled"]) == (16, 1)
    assert log["chain_valid"] is True
    line = (await api.get(f"/api/v1/engagements/{eid}/travel")).json()
    assert len(line) == 1
    assert line[0]["settled"]["transport_yen"] in {t["transport_yen"] for t in tries}
