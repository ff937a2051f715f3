"""The engagement lifecycle through the API, on the real Temporal and Neo4j."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from temporalio.client import Client

from schemas.views import Stage
from services.workflow.engagement import search_attributes as sa
from services.workflow.engagement.workflow import EngagementWorkflow
from tests.auth import NO_TOKEN
from tests.integration.flows import (
    CLOSE,
    COMPANY_VISIT,
    KICKOFF,
    MEETING,
    OUTCOME,
    SITE_VISIT,
    TEAM,
    TEST_ACTOR,
    WITHDRAW,
    advance,
    application,
    command,
    engagement_id,
    event_log,
    post,
)

pytestmark = pytest.mark.servers

PROBLEM = "application/problem+json"


class TestAllowedTransitions:
    async def test_happy_path_reaches_closed_with_a_valid_chain(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "closed")
        log = await event_log(api, eid)
        assert log["chain_valid"] is True
        assert [e["type"] for e in log["events"]] == [
            "MunicipalityApplied",
            "TeamAssigned",
            "KickoffHeld",
            "SiteVisitMade",
            "OutcomeRecorded",
            "EngagementClosed",
        ]
        assert [e["sequence"] for e in log["events"]] == [1, 2, 3, 4, 5, 6]
        assert {e["actor"] for e in log["events"]} == {TEST_ACTOR}
        detail = (await api.get(f"/api/v1/engagements/{eid}")).json()
        assert detail["stage"] == "closed"

    async def test_every_activity_kind_is_counted(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        for body in (MEETING, MEETING, SITE_VISIT, COMPANY_VISIT):
            response = await command(api, eid, "activities", body)
            assert response.status_code == 200, response.text
            assert response.json()["stage"] == "visits"
        detail = (await api.get(f"/api/v1/engagements/{eid}")).json()
        assert detail["counts"] == {
            "online_meetings": 2,
            "site_visits": 1,
            "company_visits": 1,
            "companies_visited": 3,
        }
        assert len(detail["team"]) == 2
        assert {m["ministry"] for m in detail["team"]} == {"国土交通省", "内閣官房"}

    async def test_visits_continue_after_outcomes(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "outcomes")
        response = await command(api, eid, "activities", MEETING)
        assert response.status_code == 200
        assert response.json()["stage"] == "outcomes"

    @pytest.mark.parametrize("stage", ["application", "matching", "kickoff", "visits", "outcomes"])
    async def test_withdraw_from_every_open_stage(
        self, api: httpx.AsyncClient, municipality_code: str, stage: str
    ) -> None:
        eid = await advance(api, municipality_code, stage)
        response = await command(api, eid, "withdraw", WITHDRAW)
        assert response.status_code == 200, response.text
        assert response.json()["stage"] == "withdrawn"
        listed = (await api.get("/api/v1/engagements", params={"stage": "withdrawn"})).json()
        assert [e["engagement_id"] for e in listed["items"]] == [eid]


REJECTED: list[tuple[str, str, dict[str, Any], str]] = [
    ("application", "kickoff", KICKOFF, "wrong_stage"),
    ("application", "activities", SITE_VISIT, "wrong_stage"),
    ("application", "outcomes", OUTCOME, "wrong_stage"),
    ("application", "close", CLOSE, "wrong_stage"),
    ("matching", "team", TEAM, "wrong_stage"),
    ("matching", "activities", MEETING, "wrong_stage"),
    ("matching", "outcomes", OUTCOME, "wrong_stage"),
    ("kickoff", "kickoff", KICKOFF, "wrong_stage"),
    ("kickoff", "close", CLOSE, "wrong_stage"),
    ("visits", "team", TEAM, "wrong_stage"),
    ("visits", "close", CLOSE, "wrong_stage"),
    ("closed", "activities", SITE_VISIT, "engagement_ended"),
    ("closed", "withdraw", WITHDRAW, "engagement_ended"),
    ("closed", "outcomes", OUTCOME, "engagement_ended"),
]


class TestRejectedTransitions:
    @pytest.mark.parametrize(("stage", "name", "body", "code"), REJECTED)
    async def test_is_409_and_writes_nothing(
        self,
        api: httpx.AsyncClient,
        municipality_code: str,
        stage: str,
        name: str,
        body: dict[str, Any],
        code: str,
    ) -> None:
        eid = await advance(api, municipality_code, stage)
        before = await event_log(api, eid)
        response = await command(api, eid, name, body)
        assert response.status_code == 409, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        problem = response.json()
        assert problem["code"] == code
        assert problem["status"] == 409
        assert problem["detail_ja"]
        assert problem["detail"]
        assert await event_log(api, eid) == before

    async def test_second_application_is_409(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "matching")
        before = await event_log(api, eid)
        response = await post(api, "/api/v1/applications", application(municipality_code))
        assert response.status_code == 409
        assert response.json()["code"] == "already_applied"
        assert await event_log(api, eid) == before

    async def test_withdrawn_engagement_rejects_a_new_application(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "application")
        assert (await command(api, eid, "withdraw", WITHDRAW)).status_code == 200
        response = await post(api, "/api/v1/applications", application(municipality_code))
        assert response.status_code == 409
        assert len((await event_log(api, eid))["events"]) == 2


INVALID_TEAMS: list[dict[str, Any]] = [
    {"officials": [TEAM["officials"][0]]},
    {
        "officials": [
            *TEAM["officials"],
            {"name": "A", "ministry": "財務省"},
            {"name": "B", "ministry": "防衛省"},
        ]
    },
    {"officials": [TEAM["officials"][0], {"name": "別人", "ministry": "国土交通省"}]},
    {"officials": [TEAM["officials"][0], TEAM["officials"][0]]},
]


class TestInvalidBodies:
    @pytest.mark.parametrize("team", INVALID_TEAMS, ids=["one", "four", "same-ministry", "same-person"])
    async def test_invalid_team_is_422_and_writes_nothing(
        self, api: httpx.AsyncClient, municipality_code: str, team: dict[str, Any]
    ) -> None:
        eid = await advance(api, municipality_code, "application")
        response = await command(api, eid, "team", team)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith(PROBLEM)
        assert len((await event_log(api, eid))["events"]) == 1

    @pytest.mark.parametrize(
        "patch",
        [
            {"municipality_code": "032027"},
            {"municipality_code": "12345"},
            {"period": 0},
            {"municipality_name": "  "},
        ],
        ids=["check-digit", "five-digits", "period", "blank-name"],
    )
    async def test_invalid_application_is_422_and_starts_nothing(
        self, api: httpx.AsyncClient, municipality_code: str, patch: dict[str, Any]
    ) -> None:
        response = await post(api, "/api/v1/applications", application(municipality_code) | patch)
        assert response.status_code == 422
        assert response.json()["code"] == "validation_error"
        assert (await api.get("/api/v1/engagements")).json()["total"] == 0

    async def test_activity_ending_before_it_starts_is_422(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        body = SITE_VISIT | {"start_date": "2025-06-02", "end_date": "2025-06-01"}
        assert (await command(api, eid, "activities", body)).status_code == 422
        assert len((await event_log(api, eid))["events"]) == 3

    async def test_missing_token_is_401_and_nothing_is_written(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        response = await api.post("/api/v1/applications", json=application(municipality_code), auth=NO_TOKEN)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert (await api.get(f"/api/v1/engagements/engagement-2-{municipality_code}")).status_code == 404

    async def test_malformed_json_is_422(self, api: httpx.AsyncClient) -> None:
        response = await api.post(
            "/api/v1/applications",
            content=b"{not json",
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 422
        assert response.headers["content-type"].startswith(PROBLEM)


class TestUnknownEngagement:
    async def test_command_is_404(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        response = await command(api, engagement_id(municipality_code), "activities", MEETING)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    async def test_reads_are_404(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = engagement_id(municipality_code)
        assert (await api.get(f"/api/v1/engagements/{eid}")).status_code == 404
        assert (await api.get(f"/api/v1/engagements/{eid}/events")).status_code == 404

    async def test_malformed_id_is_422(self, api: httpx.AsyncClient) -> None:
        assert (await api.get("/api/v1/engagements/not-an-id")).status_code == 422


class TestIdempotency:
    async def test_retried_post_is_answered_once(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        first = await post(api, f"/api/v1/engagements/{eid}/activities", SITE_VISIT, key="visit-0529")
        again = await post(api, f"/api/v1/engagements/{eid}/activities", SITE_VISIT, key="visit-0529")
        assert first.status_code == again.status_code == 200
        assert first.json() == again.json()
        types = [e["type"] for e in (await event_log(api, eid))["events"]]
        assert types.count("SiteVisitMade") == 1

    async def test_retried_application_is_answered_once(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        first = await post(api, "/api/v1/applications", application(municipality_code), key="apply-1")
        again = await post(api, "/api/v1/applications", application(municipality_code), key="apply-1")
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json()
        assert len((await event_log(api, engagement_id(municipality_code)))["events"]) == 1

    async def test_different_keys_are_different_commands(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        await post(api, f"/api/v1/engagements/{eid}/activities", MEETING, key="m-1")
        await post(api, f"/api/v1/engagements/{eid}/activities", MEETING, key="m-2")
        assert (await api.get(f"/api/v1/engagements/{eid}")).json()["counts"]["online_meetings"] == 2


class TestLists:
    async def test_filters_by_stage_period_and_prefecture(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "matching")
        ok = await api.get("/api/v1/engagements", params={"stage": "matching", "period": 2, "prefecture": "東京都"})
        assert [e["engagement_id"] for e in ok.json()["items"]] == [eid]
        for params in ({"stage": "closed"}, {"period": 3}, {"prefecture": "岩手県"}):
            assert (await api.get("/api/v1/engagements", params=params)).json()["total"] == 0
        # a part of the name matches (both sides NFKC-normalised), as does free text over the municipality
        for params in ({"prefecture": "東京"}, {"prefecture": "東京都"}, {"q": "東京"}, {"q": "ﾃｽﾄ"}):
            assert [
                e["engagement_id"] for e in (await api.get("/api/v1/engagements", params=params)).json()["items"]
            ] == [eid]

    async def test_unknown_stage_filter_is_422(self, api: httpx.AsyncClient) -> None:
        assert (await api.get("/api/v1/engagements", params={"stage": "nope"})).status_code == 422


class TestHealth:
    async def test_both_servers_reachable(self, api: httpx.AsyncClient) -> None:
        response = await api.get("/api/v1/health")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "temporal": True, "neo4j": True}


class TestWorkflowState:
    async def test_query_and_search_attributes_follow_the_events(
        self, api: httpx.AsyncClient, temporal: Client, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "visits")
        handle = temporal.get_workflow_handle_for(EngagementWorkflow.run, eid)

        state = await handle.query(EngagementWorkflow.state)

        assert state.stage is Stage.VISITS
        assert state.last_sequence == 4
        assert state.counts.site_visits == 1
        log = await event_log(api, eid)
        assert state.head_hash == log["events"][-1]["hash"]
        attrs = (await handle.describe()).typed_search_attributes
        assert attrs.get(sa.STAGE) == "visits"
        assert attrs.get(sa.PERIOD) == 2
        assert attrs.get(sa.PREFECTURE) == "東京都"
        assert attrs.get(sa.MUNICIPALITY_CODE) == municipality_code
        assert attrs.get(sa.THEMES) == ["産業振興", "環境"]
        assert attrs.get(sa.STALLED) is False
        assert attrs.get(sa.LAST_CONTACT) is not None
