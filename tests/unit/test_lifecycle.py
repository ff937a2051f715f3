"""The lifecycle rules and the state fold, without any server."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.events import (
    CompanyVisitMade,
    EngagementClosed,
    EngagementWithdrawn,
    KickoffHeld,
    MunicipalityApplied,
    OfficialRef,
    OnlineMeetingHeld,
    OutcomeKind,
    OutcomeRecorded,
    OutcomeStatus,
    Payload,
    SiteVisitMade,
    TeamAssigned,
)
from schemas.views import EngagementState, Stage
from services.i18n.catalogue import translate
from services.workflow.engagement.fold import apply
from services.workflow.engagement.lifecycle import LifecycleViolation, check

APPLIED = MunicipalityApplied(
    period=2,
    municipality_code="032034",
    municipality_name="大船渡市",
    prefecture="岩手県",
    challenges=["人口減少"],
)
TEAM = TeamAssigned(
    officials=[
        OfficialRef(name="石川 亨", ministry="国土交通省"),
        OfficialRef(name="古田 匠", ministry="文部科学省"),
    ]
)
KICKOFF = KickoffHeld(held_on=date(2025, 4, 30), title="題目", themes=["産業振興"])
MEETING = OnlineMeetingHeld(start_date=date(2025, 5, 8))
VISIT = SiteVisitMade(start_date=date(2025, 5, 29))
COMPANIES = CompanyVisitMade(start_date=date(2025, 7, 15), company_count=3)
OUTCOME = OutcomeRecorded(
    kind=OutcomeKind.ORDINANCE_REVISION, description="対象業種を追加", status=OutcomeStatus.ACHIEVED
)
CLOSED = EngagementClosed(closed_on=date(2026, 3, 31))
WITHDRAWN = EngagementWithdrawn(withdrawn_on=date(2025, 6, 1), reason="本務多忙")

ALL: list[Payload] = [APPLIED, TEAM, KICKOFF, MEETING, VISIT, COMPANIES, OUTCOME, CLOSED, WITHDRAWN]

ALLOWED: dict[Stage, set[type[Payload]]] = {
    Stage.NEW: {MunicipalityApplied},
    Stage.APPLICATION: {TeamAssigned, EngagementWithdrawn},
    Stage.MATCHING: {KickoffHeld, EngagementWithdrawn},
    Stage.KICKOFF: {OnlineMeetingHeld, SiteVisitMade, CompanyVisitMade, OutcomeRecorded, EngagementWithdrawn},
    Stage.VISITS: {OnlineMeetingHeld, SiteVisitMade, CompanyVisitMade, OutcomeRecorded, EngagementWithdrawn},
    Stage.OUTCOMES: {
        OnlineMeetingHeld,
        SiteVisitMade,
        CompanyVisitMade,
        OutcomeRecorded,
        EngagementClosed,
        EngagementWithdrawn,
    },
    Stage.CLOSED: set(),
    Stage.WITHDRAWN: set(),
}


def fold(events: list[Payload]) -> EngagementState:
    state = EngagementState(engagement_id="engagement-2-032034")
    for seq, payload in enumerate(events, start=1):
        check(state, payload)
        state = apply(state, payload, seq, f"h{seq}")
    return state


JAPANESE = r"[\u3040-\u30ff\u4e00-\u9fff]"


class TestRules:
    @pytest.mark.parametrize("stage", list(Stage))
    @pytest.mark.parametrize("payload", ALL, ids=lambda p: type(p).__name__)
    def test_the_rule_table(self, stage: Stage, payload: Payload) -> None:
        state = EngagementState(engagement_id="e", stage=stage)
        if type(payload) in ALLOWED[stage]:
            check(state, payload)
        else:
            with pytest.raises(LifecycleViolation) as err:
                check(state, payload)
            assert re.search(JAPANESE, translate(err.value.message, "ja"))
            assert err.value.message_en
            expected = (
                "already_applied" if payload is APPLIED else ("engagement_ended" if stage.terminal else "wrong_stage")
            )
            assert err.value.code == expected


class TestFold:
    def test_happy_path(self) -> None:
        state = fold([APPLIED, TEAM, KICKOFF, MEETING, VISIT, COMPANIES, OUTCOME, MEETING, CLOSED])
        assert state.stage is Stage.CLOSED
        assert state.counts.online_meetings == 2
        assert state.counts.site_visits == 1
        assert state.counts.company_visits == 1
        assert state.counts.companies_visited == 3
        assert state.outcomes == 1
        assert state.last_sequence == 9
        assert state.head_hash == "h9"
        assert state.themes == ["産業振興"]
        assert [o.name for o in state.team] == ["石川 亨", "古田 匠"]

    def test_activity_moves_kickoff_to_visits_but_not_outcomes_back(self) -> None:
        assert fold([APPLIED, TEAM, KICKOFF, MEETING]).stage is Stage.VISITS
        assert fold([APPLIED, TEAM, KICKOFF, OUTCOME, MEETING]).stage is Stage.OUTCOMES


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ALL), max_size=25))
def test_any_command_sequence_keeps_the_invariants(commands: list[Payload]) -> None:
    state = EngagementState(engagement_id="e")
    accepted = 0
    for payload in commands:
        try:
            check(state, payload)
        except LifecycleViolation:
            continue
        accepted += 1
        state = apply(state, payload, accepted, f"h{accepted}")
    assert state.last_sequence == accepted
    if state.stage not in (Stage.NEW, Stage.APPLICATION):
        assert state.team or state.stage is Stage.WITHDRAWN
    if state.stage in (Stage.VISITS,):
        assert state.counts.online_meetings + state.counts.site_visits + state.counts.company_visits > 0
    if state.stage is Stage.CLOSED:
        assert state.outcomes > 0
