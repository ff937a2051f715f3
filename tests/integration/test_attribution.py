"""Who took part and when, through the real API, workflow and graph: refusals write nothing, the rest projects."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver

from schemas.events import OfficialRef
from tests.integration.flows import TEAM, advance, command, event_log
from tests.integration.test_demo_and_experts import load

pytestmark = pytest.mark.servers

ISHIKAWA, SHIROUZU = (OfficialRef.model_validate(o).official_id for o in TEAM["officials"])
FURUTA = OfficialRef(name="古田 匠", ministry="文部科学省").official_id
STRANGER = OfficialRef(name="他人 次郎", ministry="総務省").official_id


async def rows(driver: AsyncDriver, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = await driver.execute_query(query, params)
    return [dict(r) for r in records]


TOOK_PART = (
    "MATCH (p:Official)-[r:TOOK_PART]->(a:Activity {id: $id})"
    " RETURN p.id AS official, r.role AS role, r.event_id AS event ORDER BY official"
)
CONTRIBUTED = (
    "MATCH (p:Official)-[r:CONTRIBUTED_TO]->(o:Outcome {id: $id}) RETURN p.id AS official, r.event_id AS event,"
    " o.achieved_on AS achieved_on, o.recorded_on AS recorded_on ORDER BY official"
)


async def test_someone_not_on_the_team_is_refused_and_nothing_is_written(
    api: httpx.AsyncClient, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "outcomes")
    before = len((await event_log(api, eid))["events"])
    meeting = {"kind": "online_meeting", "start_date": "2025-06-04", "participant_ids": [ISHIKAWA, STRANGER]}
    refused = await command(api, eid, "activities", meeting)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "not_a_member"
    assert problem["detail"] == f"Official {STRANGER} (participant) was not a member of this team on 2025-06-04"
    assert problem["detail_ja"] == f"支援官 {STRANGER}（参加者）は 2025-06-04 時点でこのチームのメンバーではありません"
    outcome = {"kind": "other", "status": "achieved", "description": "d", "contributor_ids": [FURUTA]}
    assert (await command(api, eid, "outcomes", outcome)).json()["code"] == "not_a_member"
    coordination = {
        "held_on": "2025-09-01",
        "body": {"kind": "regional_bureau", "name": "東北地方整備局"},
        "topic": "相談",
        "participant_ids": [STRANGER],
    }
    assert (await command(api, eid, "coordinations", coordination)).json()["code"] == "not_a_member"
    intro = {"made_on": "2025-09-02", "what": "expert", "subject": "有識者", "to_whom": "市", "by_official_id": FURUTA}
    assert (await command(api, eid, "introductions", intro)).json()["code"] == "not_a_member"
    # a lead who is not among the participants is a malformed body (422), not a workflow refusal
    malformed = await command(api, eid, "activities", {**meeting, "participant_ids": [ISHIKAWA], "led_by": SHIROUZU})
    assert malformed.status_code == 422
    assert "主担当" in malformed.json()["detail_ja"]
    assert len((await event_log(api, eid))["events"]) == before


async def test_who_took_part_and_contributed_reaches_the_graph(
    api: httpx.AsyncClient, driver: AsyncDriver, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "outcomes")
    meeting = {
        "kind": "company_visit",
        "start_date": "2025-07-15",
        "company_count": 2,
        "participant_ids": [ISHIKAWA, SHIROUZU],
        "led_by": ISHIKAWA,
    }
    visit = await command(api, eid, "activities", meeting)
    assert visit.status_code == 200, visit.text
    visit_id = visit.json()["event_id"]
    took_part = {r["official"]: (r["role"], r["event"]) for r in await rows(driver, TOOK_PART, id=visit_id)}
    assert took_part == {ISHIKAWA: ("led", visit_id), SHIROUZU: ("attended", visit_id)}
    coordination = {
        "held_on": "2025-09-01",
        "body": {"kind": "regional_bureau", "name": "東北地方整備局"},
        "topic": "相談",
        "participant_ids": [SHIROUZU],
    }
    held = await command(api, eid, "coordinations", coordination)
    assert held.status_code == 200, held.text
    held_id = held.json()["event_id"]
    assert await rows(driver, TOOK_PART, id=held_id) == [{"official": SHIROUZU, "role": "attended", "event": held_id}]
    outcome = {
        "kind": "guideline",
        "status": "achieved",
        "description": "産業振興指針を策定",
        "achieved_on": "2025-09-17",
        "recorded_on": "2025-12-01",
        "contributor_ids": [ISHIKAWA],
    }
    recorded = await command(api, eid, "outcomes", outcome)
    assert recorded.status_code == 200, recorded.text
    outcome_id = recorded.json()["event_id"]
    assert await rows(driver, CONTRIBUTED, id=outcome_id) == [
        {"official": ISHIKAWA, "event": outcome_id, "achieved_on": "2025-09-17", "recorded_on": "2025-12-01"}
    ]
    # the log keeps the fields as given, in the version they were recorded under
    stored = {e["id"]: e for e in (await event_log(api, eid))["events"]}
    assert stored[outcome_id]["schema_version"] == 4
    assert stored[outcome_id]["data"]["contributor_ids"] == [ISHIKAWA]
    assert stored[visit_id]["schema_version"] == 2
    # the record without anyone named (advance's site visit) stays the team's: no personal edge
    team_level = await rows(
        driver,
        "MATCH (:Engagement {id: $eid})-[:HAS_ACTIVITY]->(a:Activity)"
        " WHERE NOT ()-[:TOOK_PART]->(a) RETURN a.kind AS kind",
        eid=eid,
    )
    assert team_level == [{"kind": "site_visit"}]


async def test_the_openapi_shows_the_fields(api: httpx.AsyncClient) -> None:
    schemas = (await api.get("/openapi.json")).json()["components"]["schemas"]
    assert {"participant_ids", "led_by"} <= set(schemas["CoordinationHeld"]["properties"])
    assert {"participant_ids", "led_by"} <= set(schemas["OnlineMeetingHeld"]["properties"])
    assert {"contributor_ids", "achieved_on"} <= set(schemas["OutcomeRecorded"]["properties"])


async def test_the_demo_names_who_took_part(api: httpx.AsyncClient, driver: AsyncDriver, fresh_period: int) -> None:
    await load(api, fresh_period)
    eid = f"engagement-{fresh_period}-032034"
    took_part = await rows(
        driver,
        "MATCH (:Engagement {id: $eid})-[:HAS_ACTIVITY]->(a:Activity)<-[r:TOOK_PART]-(p:Official)"
        " RETURN p.name AS name, r.role AS role, count(*) AS n ORDER BY name, role",
        eid=eid,
    )
    assert took_part == [  # ordered by code point: 古 < 白 < 石
        {"name": "古田 匠", "role": "attended", "n": 25},
        {"name": "白水 伸英", "role": "attended", "n": 21},
        {"name": "石川 亨", "role": "attended", "n": 21},
        {"name": "石川 亨", "role": "led", "n": 4},
    ]
    contributed = await rows(
        driver,
        "MATCH (:Engagement {id: $eid})-[:ACHIEVED]->(o:Outcome)<-[:CONTRIBUTED_TO]-(p:Official)"
        " RETURN p.name AS name, count(*) AS n ORDER BY name",
        eid=eid,
    )
    assert contributed == [{"name": "古田 匠", "n": 5}, {"name": "白水 伸英", "n": 2}, {"name": "石川 亨", "n": 4}]
    dates = await rows(
        driver,
        "MATCH (:Engagement {id: $eid})-[:ACHIEVED]->(o:Outcome) RETURN DISTINCT o.achieved_on AS d ORDER BY d",
        eid=eid,
    )
    assert [r["d"] for r in dates] == ["2026-02-19", "2026-03-11", "2026-03-31"]
    postings = await rows(
        driver,
        "MATCH (:Engagement {id: $eid})-[:HAS_TEAM]->(:Team)<-[:MEMBER_OF]-(p:Official)-[w:WORKS_IN]->(b:Bureau)"
        " RETURN b.id AS unit, w.from AS from ORDER BY unit",
        eid=eid,
    )
    assert postings == [  # the team's assigned_on (an assumption of the demo), not the day it was typed in
        {"unit": "内閣官房/内閣人事局", "from": "2025-04-30"},
        {"unit": "国土交通省/水管理・国土保全局/総務課", "from": "2025-04-30"},
        {"unit": "文部科学省/大臣官房 文教施設企画・防災部/計画課", "from": "2025-04-30"},
    ]
