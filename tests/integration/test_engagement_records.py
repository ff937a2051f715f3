"""Team changes, themes, coordination and results through the API, with their 409/422 cases."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.flows import TEAM, advance, command, event_log

pytestmark = pytest.mark.servers

NEW_MEMBER: dict[str, Any] = {
    "official": {"name": "古田 匠", "ministry": "文部科学省", "division": "計画課", "post": "専門官"},
    "joined_on": "2025-07-01",
}
COORDINATION: dict[str, Any] = {
    "held_on": "2025-09-01",
    "body": {"kind": "regional_bureau", "name": "東北地方整備局"},
    "topic": "サーキュラーエコノミーポート選定に向けた相談",
}
INTRODUCTION: dict[str, Any] = {
    "made_on": "2025-09-02",
    "what": "national_programme",
    "subject": "地域未来交付金",
    "to_whom": "市 企画調整課",
}
FUNDING: dict[str, Any] = {"supported_on": "2025-10-01", "programme": "地域未来交付金", "status": "submitted"}
REPORT: dict[str, Any] = {"submitted_on": "2026-03-20", "report": "final"}
FEEDBACK: dict[str, Any] = {
    "recorded_on": "2026-03-25",
    "to": {"kind": "ministry", "name": "国土交通省"},
    "feedback": "港湾の選定手続きに関する改善提案",
}
WITHDRAW_APPLICATION: dict[str, Any] = {"withdrawn_on": "2025-05-01", "reason": "庁内体制が整わないため"}
THEMES: dict[str, Any] = {"changed_on": "2025-08-01", "themes": ["産業振興", "観光"], "reason": "市の要望"}


def member_id(detail: dict[str, Any], name: str) -> str:
    return str(next(m["official_id"] for m in detail["team"] if m["name"] == name))


async def detail(api: httpx.AsyncClient, eid: str) -> dict[str, Any]:
    response = await api.get(f"/api/v1/engagements/{eid}")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


class TestTeamChanges:
    async def test_a_transfer_and_a_replacement_keep_the_history(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "visits")
        assert (await command(api, eid, "members", NEW_MEMBER)).status_code == 200
        leaving = member_id(await detail(api, eid), "石川 亨")
        left = await command(
            api, eid, "member-departures", {"official_id": leaving, "left_on": "2025-08-01", "reason": "transfer"}
        )
        assert left.status_code == 200, left.text

        now = await detail(api, eid)
        assert {m["name"] for m in now["team"]} == {"白水 伸英", "古田 匠"}
        state = (await api.get(f"/api/v1/engagements/{eid}/state", params={"as_of": "2025-07-15"})).json()
        assert {o["name"] for o in state["team_as_of"]} == {"石川 亨", "白水 伸英", "古田 匠"}
        assert {o["name"] for o in state["state"]["team"]} == {"白水 伸英", "古田 匠"}
        transfer = next(m for m in state["state"]["memberships"] if m["official"]["official_id"] == leaving)
        assert transfer["leave_reason"] == "transfer"

    async def test_a_fourth_member_needs_a_reason(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        assert (await command(api, eid, "members", NEW_MEMBER)).status_code == 200
        fourth = {"official": {"name": "佐藤 一郎", "ministry": "財務省"}, "joined_on": "2025-07-02"}
        refused = await command(api, eid, "members", fourth)
        assert refused.status_code == 409
        assert refused.json()["code"] == "team_rule"
        accepted = await command(api, eid, "members", fourth | {"override_reason": "財務省の知見が追加で必要"})
        assert accepted.status_code == 200
        state = (await api.get(f"/api/v1/engagements/{eid}/state")).json()["state"]
        assert next(m for m in state["memberships"] if m["official"]["name"] == "佐藤 一郎")["override_reason"]

    async def test_same_ministry_and_too_small_teams_are_refused(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "matching")
        before = await event_log(api, eid)
        same = {
            "official": {"name": "別の職員", "ministry": TEAM["officials"][0]["ministry"]},
            "joined_on": "2025-07-02",
        }
        assert (await command(api, eid, "members", same)).json()["code"] == "team_rule"
        leaving = member_id(await detail(api, eid), "石川 亨")
        too_small = await command(
            api, eid, "member-departures", {"official_id": leaving, "left_on": "2025-08-01", "reason": "workload"}
        )
        assert too_small.status_code == 409
        assert too_small.json()["code"] == "team_rule"
        assert await event_log(api, eid) == before

    async def test_unknown_member_and_bad_reason(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "matching")
        unknown = await command(
            api, eid, "member-departures", {"official_id": "official-x", "left_on": "2025-08-01", "reason": "transfer"}
        )
        assert unknown.status_code == 409
        assert unknown.json()["code"] == "not_a_member"
        bad = await command(api, eid, "member-departures", {"official_id": "x", "left_on": "2025-08-01", "reason": "?"})
        assert bad.status_code == 422

    async def test_team_changes_before_matching_are_409(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "application")
        assert (await command(api, eid, "members", NEW_MEMBER)).status_code == 409


class TestRecords:
    async def test_every_record_reaches_the_log_and_the_graph(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        member = member_id(await detail(api, eid), "白水 伸英")
        survey = {
            "official_id": member,
            "answered_on": "2026-03-30",
            "field_experience": True,
            "diverse_team": True,
            "useful_for_ministry_work": False,
        }
        for name, body in [
            ("themes", THEMES),
            ("coordinations", COORDINATION),
            ("introductions", INTRODUCTION | {"by_official_id": member}),
            ("funding-applications", FUNDING),
            ("reports", REPORT),
            ("surveys", survey),
            ("policy-feedback", FEEDBACK),
        ]:
            response = await command(api, eid, name, body)
            assert response.status_code == 200, f"{name}: {response.text}"

        types = [e["type"] for e in (await event_log(api, eid))["events"]][3:]
        assert types == [
            "SupportThemesChanged",
            "CoordinationHeld",
            "IntroductionMade",
            "FundingApplicationSupported",
            "ReportSubmitted",
            "SurveyAnswered",
            "PolicyFeedbackRecorded",
        ]
        d = await detail(api, eid)
        assert set(d["themes"]) == {"産業振興", "観光"}
        assert d["coordinations"] == 1
        assert d["stage"] == "visits"
        experts = (await api.get("/api/v1/experts", params={"q": "東北地方整備局"})).json()["experts"]
        assert {e["name"] for e in experts} == {"石川 亨", "白水 伸英"}
        assert {ev["kind"] for ev in experts[0]["evidence"]} == {"body"}
        state = (await api.get(f"/api/v1/engagements/{eid}/state")).json()["state"]
        assert state["last_dates"]["coordination"] == "2025-09-01"
        assert state["reports"] == ["final"]
        assert state["surveys"] == 1

    @pytest.mark.parametrize(
        ("name", "body"),
        [("coordinations", COORDINATION), ("reports", REPORT), ("themes", THEMES), ("policy-feedback", FEEDBACK)],
    )
    async def test_records_before_kickoff_are_409(
        self, api: httpx.AsyncClient, municipality_code: str, name: str, body: dict[str, Any]
    ) -> None:
        eid = await advance(api, municipality_code, "matching")
        response = await command(api, eid, name, body)
        assert response.status_code == 409
        assert len((await event_log(api, eid))["events"]) == 2

    @pytest.mark.parametrize(
        ("name", "body"),
        [
            ("coordinations", COORDINATION | {"body": {"kind": "planet", "name": "x"}}),
            ("introductions", INTRODUCTION | {"what": "gossip"}),
            ("funding-applications", FUNDING | {"status": "maybe"}),
            ("reports", REPORT | {"report": "weekly"}),
            ("themes", THEMES | {"themes": []}),
            ("coordinations", COORDINATION | {"held_on": "2099-01-01"}),
        ],
        ids=["body-kind", "introduction-kind", "funding-status", "report-kind", "no-themes", "far-future"],
    )
    async def test_invalid_records_are_422(
        self, api: httpx.AsyncClient, municipality_code: str, name: str, body: dict[str, Any]
    ) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        response = await command(api, eid, name, body)
        assert response.status_code == 422, response.text
        assert len((await event_log(api, eid))["events"]) == 3

    async def test_survey_from_a_stranger_is_409(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        body = {
            "official_id": "official-nobody",
            "answered_on": "2026-03-30",
            "field_experience": True,
            "diverse_team": True,
            "useful_for_ministry_work": True,
        }
        response = await command(api, eid, "surveys", body)
        assert response.status_code == 409
        assert response.json()["code"] == "not_a_member"

    async def test_application_withdrawal_before_matching(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "application")
        response = await command(api, eid, "application-withdrawal", WITHDRAW_APPLICATION)
        assert response.status_code == 200
        assert response.json()["stage"] == "withdrawn"
        assert (await detail(api, eid))["stage"] == "withdrawn"

    async def test_application_withdrawal_after_matching_is_409(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "matching")
        assert (await command(api, eid, "application-withdrawal", WITHDRAW_APPLICATION)).status_code == 409
