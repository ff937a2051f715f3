"""Random command sequences through the real stack keep every invariant of the log and the graph."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.envelope import EventEnvelope
from schemas.events import parse_payload
from schemas.text import municipality_check_digit
from schemas.views import EngagementState, Stage
from services.workflow.engagement.fold import apply
from services.workflow.engagement.lifecycle import LifecycleViolation, check
from tests.integration.flows import (
    CLOSE,
    COMPANY_VISIT,
    KICKOFF,
    MEETING,
    OUTCOME,
    SITE_VISIT,
    TEAM,
    WITHDRAW,
    application,
    engagement_id,
    event_log,
    post,
)

pytestmark = pytest.mark.servers

COORDINATION = {"held_on": "2025-09-01", "body": {"kind": "regional_bureau", "name": "東北地方整備局"}, "topic": "相談"}
JOIN = {"official": {"name": "古田 匠", "ministry": "文部科学省"}, "joined_on": "2025-07-01"}
THEMES = {"changed_on": "2025-08-01", "themes": ["観光"]}
REPORT = {"submitted_on": "2026-03-20", "report": "interim"}

# (route under the engagement, body); "" is the application itself.
COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("team", TEAM),
    ("kickoff", KICKOFF),
    ("activities", MEETING),
    ("activities", SITE_VISIT),
    ("activities", COMPANY_VISIT),
    ("coordinations", COORDINATION),
    ("members", JOIN),
    ("themes", THEMES),
    ("reports", REPORT),
    ("outcomes", OUTCOME),
    ("close", CLOSE),
    ("withdraw", WITHDRAW),
]
STAGE_ORDER = [Stage.APPLICATION, Stage.MATCHING, Stage.KICKOFF, Stage.VISITS, Stage.OUTCOMES, Stage.CLOSED]
_codes = itertools.count(500)


def fold_log(eid: str, events: list[dict[str, Any]]) -> EngagementState:
    state = EngagementState(engagement_id=eid)
    for raw in events:
        e = EventEnvelope.model_validate(raw)
        state = apply(state, parse_payload(e.type, e.data), e.sequence, e.hash, e.time)
    return state


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=st.lists(st.sampled_from(range(len(COMMANDS))), min_size=1, max_size=12))
async def test_random_commands_keep_the_invariants(api: httpx.AsyncClient, commands: list[int]) -> None:
    first_five = f"14{next(_codes):03d}"
    code = first_five + municipality_check_digit(first_five)
    eid = engagement_id(code)
    assert (await post(api, "/api/v1/applications", application(code))).status_code == 201
    model = fold_log(eid, (await event_log(api, eid))["events"])
    stages = [Stage.APPLICATION]

    for index in commands:
        route, body = COMMANDS[index]
        before = len((await event_log(api, eid))["events"])
        response = await post(api, f"/api/v1/engagements/{eid}/{route}", body)
        log = (await event_log(api, eid))["events"]
        try:
            check(model, parse_payload(_event_type(route, body), body))
            expected_ok = True
        except LifecycleViolation:
            expected_ok = False
        if expected_ok:
            assert response.status_code == 200, response.text
            stages.append(Stage(response.json()["stage"]))
        else:
            assert response.status_code == 409, response.text
            assert len(log) == before, "a rejected command left a trace"
        model = fold_log(eid, log)

    log_body = await event_log(api, eid)
    assert log_body["chain_valid"] is True
    assert [e["sequence"] for e in log_body["events"]] == list(range(1, len(log_body["events"]) + 1))
    ranks = [STAGE_ORDER.index(s) for s in stages if s is not Stage.WITHDRAWN]
    assert ranks == sorted(ranks), f"stages went backwards: {stages}"

    folded = fold_log(eid, log_body["events"])
    detail = (await api.get(f"/api/v1/engagements/{eid}")).json()
    assert detail["stage"] == folded.stage.value
    assert detail["counts"] == folded.counts.model_dump()
    assert detail["coordinations"] == folded.coordinations
    assert detail["outcomes"] == folded.outcomes
    assert sorted(detail["themes"]) == sorted(folded.themes)
    assert sorted(m["official_id"] for m in detail["team"]) == sorted(o.official_id for o in folded.team)
    state = (await api.get(f"/api/v1/engagements/{eid}/state")).json()["state"]
    assert state["last_sequence"] == folded.last_sequence
    assert state["head_hash"] == folded.head_hash


def _event_type(route: str, body: dict[str, Any]) -> str:
    if route == "activities":
        return {
            "online_meeting": "OnlineMeetingHeld",
            "site_visit": "SiteVisitMade",
            "company_visit": "CompanyVisitMade",
        }[body["kind"]]
    return {
        "team": "TeamAssigned",
        "kickoff": "KickoffHeld",
        "coordinations": "CoordinationHeld",
        "members": "MemberJoined",
        "themes": "SupportThemesChanged",
        "reports": "ReportSubmitted",
        "outcomes": "OutcomeRecorded",
        "close": "EngagementClosed",
        "withdraw": "EngagementWithdrawn",
    }[route]
