"""Corrections and retractions through the API, against the real workflow and Neo4j: the log keeps both
events, linked; the state, the graph, search's evidence and the report read the corrected facts."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver

from tests.integration.flows import MEETING, OUTCOME, SITE_VISIT, advance, command, event_log

pytestmark = pytest.mark.servers


def first(log: dict[str, Any], event_type: str) -> dict[str, Any]:
    return next(e for e in log["events"] if e["type"] == event_type)


async def state(api: httpx.AsyncClient, eid: str) -> dict[str, Any]:
    response = await api.get(f"/api/v1/engagements/{eid}/state")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["state"]
    return body


async def activity_node(driver: AsyncDriver, event_id: str) -> dict[str, Any] | None:
    records, _, _ = await driver.execute_query(
        "MATCH (a:Activity {id: $id}) RETURN properties(a) AS a", id=event_id, database_="neo4j"
    )
    return dict(records[0]["a"]) if records else None


async def test_a_visit_with_the_wrong_date_is_corrected_and_both_events_stay_linked(
    api: httpx.AsyncClient, driver: AsyncDriver, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "visits")
    visit = first(await event_log(api, eid), "SiteVisitMade")
    corrected = SITE_VISIT | {"event_type": "SiteVisitMade", "start_date": "2025-06-19", "end_date": "2025-06-20"}
    body = {"corrects_event_id": visit["id"], "reason": "日付の入力誤り", "corrected": corrected}
    answer = await command(api, eid, "corrections", body)
    assert answer.status_code == 200, answer.text

    log = await event_log(api, eid)
    assert log["chain"]["valid"] is True
    correction = first(log, "EventCorrected")
    assert correction["data"]["corrects_event_id"] == visit["id"]
    assert first(log, "SiteVisitMade")["data"]["start_date"] == "2025-05-29"  # the original, as written
    assert correction["data"]["corrected"]["start_date"] == "2025-06-19"

    s = await state(api, eid)
    assert s["counts"]["site_visits"] == 1
    assert s["last_dates"]["site_visit"] == "2025-06-20"
    node = await activity_node(driver, visit["id"])
    assert node is not None
    assert (node["start_date"], node["end_date"]) == ("2025-06-19", "2025-06-20")
    assert (node["corrected_by"], node["correction_reason"]) == (correction["id"], "日付の入力誤り")
    records, _, _ = await driver.execute_query(
        "MATCH (e:Engagement {id: $id}) RETURN e.last_contact AS last", id=eid, database_="neo4j"
    )
    assert records[0]["last"] == "2025-06-20"


async def test_a_retracted_meeting_leaves_the_counts_the_graph_and_the_report(
    api: httpx.AsyncClient, driver: AsyncDriver, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "visits")
    assert (await command(api, eid, "activities", MEETING)).status_code == 200
    meeting = first(await event_log(api, eid), "OnlineMeetingHeld")
    answer = await command(api, eid, "retractions", {"retracts_event_id": meeting["id"], "reason": "重複して記録"})
    assert answer.status_code == 200, answer.text

    assert (await state(api, eid))["counts"]["online_meetings"] == 0
    assert await activity_node(driver, meeting["id"]) is None
    report = (await api.get(f"/api/v1/engagements/{eid}/report")).json()
    assert "オンライン" not in str(report.get("activity_lines", report))

    again = await command(api, eid, "retractions", {"retracts_event_id": meeting["id"], "reason": "もう一度"})
    assert again.status_code == 409
    assert again.json()["code"] == "already_retracted"


async def test_an_outcome_correction_reaches_the_report(api: httpx.AsyncClient, municipality_code: str) -> None:
    eid = await advance(api, municipality_code, "outcomes")
    outcome = first(await event_log(api, eid), "OutcomeRecorded")
    corrected = OUTCOME | {"event_type": "OutcomeRecorded", "status": "achieved", "description": "選定された"}
    body = {"corrects_event_id": outcome["id"], "reason": "選定の決定", "corrected": corrected}
    assert (await command(api, eid, "corrections", body)).status_code == 200
    report = (await api.get(f"/api/v1/engagements/{eid}/report")).json()
    assert "選定された" in str(report)
    assert "サーキュラーエコノミーポートへの選定を目指す" not in str(report)


async def test_what_cannot_be_corrected_is_refused_and_changes_nothing(
    api: httpx.AsyncClient, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "visits")
    log = await event_log(api, eid)
    kickoff, visit = first(log, "KickoffHeld"), first(log, "SiteVisitMade")
    cases = [
        ({"retracts_event_id": kickoff["id"], "reason": "r"}, "retractions", "not_correctable"),
        (
            {"corrects_event_id": visit["id"], "reason": "r", "corrected": OUTCOME | {"event_type": "OutcomeRecorded"}},
            "corrections",
            "correction_changes_kind",
        ),
        (
            {
                "corrects_event_id": visit["id"],
                "reason": "r",
                "corrected": SITE_VISIT | {"event_type": "SiteVisitMade"},
            },
            "corrections",
            "correction_changes_nothing",
        ),
    ]
    for body, route, code in cases:
        refused = await command(api, eid, route, body)
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == code
    no_reason = await command(api, eid, "retractions", {"retracts_event_id": visit["id"], "reason": " "})
    assert no_reason.status_code == 422
    assert len((await event_log(api, eid))["events"]) == len(log["events"])
