"""An Idempotency-Key names one request: sent again it is answered once; sent with another body, refused."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.flows import ACTOR, advance, event_log

pytestmark = pytest.mark.servers
MEETING = {"kind": "online_meeting", "start_date": "2025-06-05"}


async def test_a_key_sent_again_with_the_same_body_is_answered_by_the_same_event(
    api: httpx.AsyncClient, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    headers = {**ACTOR, "Idempotency-Key": "same-1"}
    first = await api.post(f"/api/v1/engagements/{eid}/activities", json=MEETING, headers=headers)
    again = await api.post(f"/api/v1/engagements/{eid}/activities", json=MEETING, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json()["event_id"] == again.json()["event_id"]
    assert len((await event_log(api, eid))["events"]) == 4


@pytest.mark.parametrize("path", ["activities", "outcomes"])
async def test_a_key_sent_again_with_another_body_is_refused_and_writes_nothing(
    api: httpx.AsyncClient, municipality_code: str, path: str
) -> None:
    eid = await advance(api, municipality_code, "visits")
    body = MEETING if path == "activities" else {"kind": "selection", "status": "planned", "description": "選定"}
    other = {**body, "notes": "別の内容"} if path == "activities" else {**body, "description": "別の成果"}
    headers = {**ACTOR, "Idempotency-Key": f"reused-{path}"}
    first = await api.post(f"/api/v1/engagements/{eid}/{path}", json=body, headers=headers)
    before = len((await event_log(api, eid))["events"])

    reused = await api.post(f"/api/v1/engagements/{eid}/{path}", json=other, headers=headers)

    assert first.status_code in (200, 201), first.text
    assert reused.status_code == 422, reused.text
    assert reused.headers["content-type"].startswith("application/problem+json")
    assert reused.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in reused.json()["detail_ja"]
    assert len((await event_log(api, eid))["events"]) == before
