"""A programme period end to end on the real servers: intake, matching, review, approval, engagements."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from banso.demo.load import period_steps
from schemas.commands import CommandMeta
from schemas.events import MunicipalityApplied, OfficialRef, TeamAssigned
from services.graph.reads.period_reads import PeriodReads
from services.settings import Settings
from services.workflow.period.activities import PeriodActivities, StartEngagementInput
from tests.auth import NO_TOKEN
from tests.conftest import next_period

pytestmark = pytest.mark.servers

REVIEWER: dict[str, str] = {}  # the reviewer is the token's principal (the demo admin)


async def open_demo_period(api: httpx.AsyncClient) -> int:
    """The demo period's call, 14 volunteers, 6 applications, intake closed and one matching run."""
    period = next_period()
    for step in period_steps(period):
        response = await api.post(step["path"], json=step["body"], headers={"Idempotency-Key": step["key"]})
        assert response.status_code in (200, 201), response.text
    return period


async def proposal(api: httpx.AsyncClient, period: int) -> dict[str, Any]:
    response = await api.get(f"/api/v1/periods/{period}/proposal")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def events(api: httpx.AsyncClient, period: int) -> list[dict[str, Any]]:
    response = await api.get(f"/api/v1/periods/{period}/events")
    assert response.status_code == 200, response.text
    log: dict[str, Any] = response.json()
    assert log["chain"]["valid"] is True
    items: list[dict[str, Any]] = log["events"]
    return items


def assert_rules_hold(view: dict[str, Any], volunteers: dict[str, dict[str, Any]]) -> None:
    load: Counter[str] = Counter()
    for team in view["teams"]:
        ministries = [m["ministry"] for m in team["members"]]
        assert 2 <= len(ministries) <= 3, team
        assert len(set(ministries)) == len(ministries), team
        load.update(m["official_id"] for m in team["members"])
    for official_id, n in load.items():
        assert n <= volunteers[official_id]["capacity"]
    assert view["problems_ja"] == []


def swappable(view: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two members of different teams whose exchange keeps both teams mixed-ministry."""
    for a_team, b_team in itertools.combinations(view["teams"], 2):
        for a, b in itertools.product(a_team["members"], b_team["members"]):
            a_rest = {m["ministry"] for m in a_team["members"] if m is not a}
            b_rest = {m["ministry"] for m in b_team["members"] if m is not b}
            if a["ministry"] != b["ministry"] and b["ministry"] not in a_rest and a["ministry"] not in b_rest:
                return a, b
    raise AssertionError("no swappable pair in the proposal")


async def volunteers_of(api: httpx.AsyncClient, period: int) -> dict[str, dict[str, Any]]:
    rows = (await api.get(f"/api/v1/periods/{period}/volunteers")).json()
    return {r["official"]["official_id"]: r for r in rows}


async def test_demo_proposal_swap_and_approve_start_the_engagements(api: httpx.AsyncClient) -> None:
    period = await open_demo_period(api)
    view = await proposal(api, period)
    volunteers = await volunteers_of(api, period)
    assert view["status"] == "optimal"
    assert len(view["teams"]) == 6
    assert_rules_hold(view, volunteers)
    assert all(t["explanation_ja"] and t["explanation_en"] for t in view["teams"])

    a, b = swappable(view)
    edit = {
        "action": "swap",
        "official_id": a["official_id"],
        "other_official_id": b["official_id"],
        "reason": "現地事情",
    }
    response = await api.post(f"/api/v1/periods/{period}/proposal/edits", json=edit, headers=REVIEWER)
    assert response.status_code == 201, response.text
    swapped = await proposal(api, period)
    assert_rules_hold(swapped, volunteers)
    teams = {t["municipality_code"]: [m["official_id"] for m in t["members"]] for t in swapped["teams"]}
    a_home = next(t["municipality_code"] for t in view["teams"] if a in t["members"])
    assert b["official_id"] in teams[a_home]
    assert a["official_id"] not in teams[a_home]
    assert sum(t["edited"] for t in swapped["teams"]) == 2

    approval = {"approved_on": "2026-03-16"}
    headers = REVIEWER | {"Idempotency-Key": f"approve-{period}"}
    response = await api.post(f"/api/v1/periods/{period}/proposal/approval", json=approval, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["phase"] == "approved"
    again = await api.post(f"/api/v1/periods/{period}/proposal/approval", json=approval, headers=headers)
    assert again.json() == response.json()

    state = (await api.get(f"/api/v1/periods/{period}")).json()
    assert state["phase"] == "approved"
    assert len(state["started"]) == 6
    assert all(s["team_event_id"] and s["problem"] is None for s in state["started"])
    for code, members in teams.items():
        detail = (await api.get(f"/api/v1/engagements/engagement-{period}-{code}")).json()
        assert detail["stage"] == "matching"
        assert sorted(m["official_id"] for m in detail["team"]) == sorted(members)

    log = await events(api, period)
    kinds = [e["type"] for e in log]
    assert kinds.count("ProposalApproved") == 1
    assert kinds.count("EngagementsStarted") == 1
    edited = next(e for e in log if e["type"] == "ProposalEdited")
    assert edited["actor"] == "user:kanri"
    assert edited["data"]["reason"] == "現地事情"
    later = await api.post(f"/api/v1/periods/{period}/proposal/approval", json=approval, headers=REVIEWER)
    assert later.status_code == 409
    assert later.headers["content-type"] == "application/problem+json"


async def test_edits_that_break_the_rules_are_refused_and_write_nothing(api: httpx.AsyncClient) -> None:
    period = await open_demo_period(api)
    view = await proposal(api, period)
    before = len(await events(api, period))
    # Out of a team of two (it would keep one) or into a team of three (it would have four): always a break.
    source = min(view["teams"], key=lambda t: len(t["members"]))
    target = next(t for t in view["teams"] if t is not source)
    move = {
        "action": "move",
        "official_id": source["members"][0]["official_id"],
        "municipality_code": target["municipality_code"],
        "reason": "試行",
    }
    response = await api.post(f"/api/v1/periods/{period}/proposal/edits", json=move, headers=REVIEWER)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "rules_broken"
    assert "ルールに反します" in response.json()["detail_ja"]

    no_reason = {k: v for k, v in move.items() if k != "reason"}
    response = await api.post(f"/api/v1/periods/{period}/proposal/edits", json=no_reason, headers=REVIEWER)
    assert response.status_code == 422
    unknown = {"action": "swap", "official_id": "official-x", "other_official_id": "official-y", "reason": "x"}
    response = await api.post(f"/api/v1/periods/{period}/proposal/edits", json=unknown, headers=REVIEWER)
    assert response.status_code == 409
    assert response.json()["code"] == "unknown_official"
    late = {"official": {"name": "遅刻 太郎", "ministry": "総務省"}, "capacity": 1}
    response = await api.post(f"/api/v1/periods/{period}/volunteers", json=late, headers=REVIEWER)
    assert response.status_code == 409
    assert response.json()["code"] == "wrong_phase"
    bad_date = await api.post(
        f"/api/v1/periods/{period}/proposal/approval", json={"approved_on": "x"}, headers=REVIEWER
    )
    assert bad_date.status_code == 422
    assert len(await events(api, period)) == before
    assert await proposal(api, period) == view


async def test_locks_survive_a_rerun_and_excluded_officials_are_not_used(api: httpx.AsyncClient) -> None:
    period = await open_demo_period(api)
    view = await proposal(api, period)
    keep = view["teams"][0]
    kept = keep["members"][0]
    # Excluding all but one member of another team leaves it short, whatever size it had.
    short = view["teams"][1]
    dropped_ids = [m["official_id"] for m in short["members"][1:]]
    lock = {"action": "lock", "official_id": kept["official_id"], "municipality_code": keep["municipality_code"]}
    edits = [lock | {"reason": "本人の希望"}]
    edits += [{"action": "exclude", "official_id": d, "reason": "本務多忙"} for d in dropped_ids]
    for edit in edits:
        response = await api.post(f"/api/v1/periods/{period}/proposal/edits", json=edit, headers=REVIEWER)
        assert response.status_code == 201, response.text
    excluded_view = await proposal(api, period)
    assert any("名です" in p for p in excluded_view["problems_ja"]), excluded_view["problems_ja"]
    blocked = await api.post(
        f"/api/v1/periods/{period}/proposal/approval", json={"approved_on": "2026-03-16"}, auth=NO_TOKEN
    )
    assert blocked.status_code == 401  # no token
    blocked = await api.post(
        f"/api/v1/periods/{period}/proposal/approval", json={"approved_on": "2026-03-16"}, headers=REVIEWER
    )
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "rules_broken"

    response = await api.post(f"/api/v1/periods/{period}/matching-runs", json={}, headers=REVIEWER)
    assert response.status_code == 201, response.text
    rerun = await proposal(api, period)
    assert rerun["run"] == 2
    assert rerun["problems_ja"] == []
    members = {t["municipality_code"]: [m["official_id"] for m in t["members"]] for t in rerun["teams"]}
    assert kept["official_id"] in members[keep["municipality_code"]]
    for dropped in dropped_ids:
        assert all(dropped not in m for m in members.values())
        assert dropped in rerun["unassigned"]
    assert sorted(rerun["excluded"]) == sorted(dropped_ids)
    locked_member = next(m for m in rerun["teams"][0]["members"] if m["official_id"] == kept["official_id"])
    assert locked_member["locked"] is True


async def test_period_problems_and_summary(api: httpx.AsyncClient) -> None:
    missing = await api.get("/api/v1/periods/98")
    assert missing.status_code == 404
    assert missing.json()["code"] == "period_not_found"
    assert (await api.get("/api/v1/periods/0")).status_code == 422
    period = await open_demo_period(api)
    again = await api.post(
        "/api/v1/periods",
        json={"period": period, "opens_on": "2026-02-02", "closes_on": "2026-02-27"},
        headers=REVIEWER,
    )
    assert again.status_code == 409
    assert again.json()["code"] == "wrong_phase"
    backwards = {"period": next_period(), "opens_on": "2026-02-27", "closes_on": "2026-02-02"}
    assert (await api.post("/api/v1/periods", json=backwards, headers=REVIEWER)).status_code == 422
    wrong = period_steps(period)[-3]["body"] | {"period": period + 1}
    response = await api.post(f"/api/v1/periods/{period}/applications", json=wrong, headers=REVIEWER)
    assert response.status_code == 422

    headers = REVIEWER | {"Idempotency-Key": f"approve-{period}"}
    response = await api.post(
        f"/api/v1/periods/{period}/proposal/approval", json={"approved_on": "2026-03-16"}, headers=headers
    )
    assert response.status_code == 200, response.text
    response = await api.post(f"/api/v1/periods/{period}/summary", json={"as_of": "2026-03-31"}, headers=REVIEWER)
    assert response.status_code == 201, response.text
    figures = (await api.get(f"/api/v1/periods/{period}")).json()["figures"]
    view = await proposal(api, period)
    members = {m["official_id"] for t in view["teams"] for m in t["members"]}
    assert figures["teams"] == 6
    assert figures["municipalities"] == 6
    assert figures["officials"] == len(members)
    assert figures["engagements_by_stage"] == {"matching": 6}


async def test_a_period_past_its_end_is_summarised_by_its_workflow(api: httpx.AsyncClient) -> None:
    period = next_period()
    call = {"period": period, "opens_on": "2025-02-03", "closes_on": "2025-02-28", "ends_on": "2026-03-31"}
    response = await api.post("/api/v1/periods", json=call, headers=REVIEWER)
    assert response.status_code == 201, response.text
    for _ in range(100):
        state = (await api.get(f"/api/v1/periods/{period}")).json()
        if state["figures_as_of"]:
            break
        await asyncio.sleep(0.2)
    assert state["figures_as_of"] == "2026-03-31"
    assert state["figures"]["teams"] == 0
    log = await events(api, period)
    assert [e["type"] for e in log] == ["CallOpened", "PeriodSummarised"]
    assert log[1]["actor"] == "system:banso-period"


async def test_starting_an_engagement_twice_starts_it_once(
    api: httpx.AsyncClient, temporal: Client, driver: AsyncDriver, prepared: Settings, municipality_code: str
) -> None:
    """A retried start_engagement activity (worker crash after the write) answers with the same events."""
    period = next_period()
    application = MunicipalityApplied(
        period=period, municipality_code=municipality_code, municipality_name="試験町", prefecture="東京都"
    )
    team = TeamAssigned(
        officials=[
            OfficialRef(name="石川 亨", ministry="国土交通省"),
            OfficialRef(name="白水 伸英", ministry="内閣官房"),
        ]
    )
    activities = PeriodActivities(temporal, PeriodReads(driver, prepared.neo4j_database), prepared)
    inp = StartEngagementInput(application=application, team=team, meta=CommandMeta(actor="system:test"))
    first = await ActivityEnvironment().run(activities.start_engagement, inp)
    again = await ActivityEnvironment().run(activities.start_engagement, inp)
    assert first == again
    assert first.team_event_id is not None
    log = (await api.get(f"/api/v1/engagements/{first.engagement_id}/events")).json()
    assert [e["type"] for e in log["events"]] == ["MunicipalityApplied", "TeamAssigned"]
