"""The period's rules without servers: phases, the fold, and what a reviewer's edit may do."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.events import (
    ApplicationReceived,
    CallOpened,
    EditAction,
    IntakeClosed,
    MatchingProposed,
    MunicipalityApplied,
    OfficialRef,
    OfficialVolunteered,
    Payload,
    ProposalApproved,
    ProposalEdited,
)
from schemas.matching import MemberReason, Proposal, ProposedTeam, Weights
from schemas.periods import PeriodPhase, PeriodState
from schemas.seniority import Seniority
from services.i18n.catalogue import translate
from services.workflow.period.rules import apply, check, team_problems
from services.workflow.period.violation import PeriodViolation

CODES = ["032034", "042056", "012238"]
MINISTRIES = ["国土交通省", "総務省", "農林水産省", "総務省", "環境省", "国土交通省", "財務省"]


def record(state: PeriodState, payload: Payload) -> PeriodState:
    check(state, payload)
    return apply(state, payload, state.last_sequence + 1, f"h{state.last_sequence + 1}")


def official(i: int) -> OfficialRef:
    return OfficialRef(name=f"支援官 {i}", ministry=MINISTRIES[i])


def proposed_state(teams: dict[str, list[int]]) -> PeriodState:
    """A period with 7 volunteers (two pairs share a ministry), 3 applications and `teams` proposed."""
    state = record(PeriodState(period=5), CallOpened(period=5, opens_on=date(2026, 2, 2), closes_on=date(2026, 2, 27)))
    for i in range(len(MINISTRIES)):
        state = record(state, OfficialVolunteered(official=official(i)))
    for code in CODES:
        app = MunicipalityApplied(period=5, municipality_code=code, municipality_name=f"市{code}", prefecture="県")
        state = record(state, ApplicationReceived(application=app))
    state = record(state, IntakeClosed(closed_on=date(2026, 2, 27)))
    proposal = Proposal(
        status="optimal",
        objective=1,
        best_bound=1,
        gap=0,
        wall_seconds=0,
        teams=[
            ProposedTeam(
                municipality_code=code,
                municipality_name=code,
                members=[
                    MemberReason(
                        official_id=official(i).official_id,
                        name=official(i).name,
                        ministry=official(i).ministry,
                        seniority=Seniority.MID,
                        matched=[],
                    )
                    for i in members
                ],
                score=1,
                explanation_ja="",
                explanation_en="",
            )
            for code, members in teams.items()
        ],
    )
    return record(state, MatchingProposed(run=1, weights=Weights(), proposal=proposal))


def oid(i: int) -> str:
    return official(i).official_id


BASE = {"032034": [0, 1], "042056": [2, 4], "012238": [5, 6]}


def edit(action: EditAction, a: int, b: int | None = None, code: str | None = None) -> ProposalEdited:
    other = oid(b) if b is not None else None
    return ProposalEdited(
        action=action, official_id=oid(a), other_official_id=other, municipality_code=code, reason="r"
    )


def test_a_sound_proposal_has_no_problems_and_can_be_approved() -> None:
    state = proposed_state(BASE)
    assert team_problems(state, state.teams) == []
    approved = ProposalApproved(
        approved_on=date(2026, 3, 1), teams=[{"municipality_code": "032034", "officials": [official(0), official(1)]}]
    )
    assert record(state, approved).phase is PeriodPhase.APPROVED


def test_an_edit_that_puts_one_ministry_twice_on_a_team_is_refused() -> None:
    state = proposed_state(BASE)
    with pytest.raises(PeriodViolation, match="国土交通省") as err:  # 5 (国交) would join 0 (国交)
        check(state, edit(EditAction.SWAP, 1, 5))
    assert err.value.code == "rules_broken"
    with pytest.raises(PeriodViolation, match="総務省"):  # the free 3 (総務) would join 1 (総務)
        check(state, edit(EditAction.MOVE, 3, code="032034"))
    swapped = record(state, edit(EditAction.SWAP, 0, 2))
    assert swapped.teams["032034"] == [oid(2), oid(1)]
    assert swapped.teams["042056"] == [oid(0), oid(4)]
    moved = record(state, edit(EditAction.MOVE, 3, code="042056"))
    assert moved.teams["042056"] == [oid(2), oid(4), oid(3)]
    assert moved.edits == 1


def test_swaps_within_one_team_and_locked_officials_are_refused() -> None:
    state = proposed_state(BASE)
    with pytest.raises(PeriodViolation) as err:
        check(state, edit(EditAction.SWAP, 0, 1))
    assert err.value.code == "cannot_swap"
    locked = record(state, edit(EditAction.LOCK, 0, code="032034"))
    with pytest.raises(PeriodViolation) as err:
        check(locked, edit(EditAction.SWAP, 0, 2))
    assert err.value.code == "locked"
    with pytest.raises(PeriodViolation) as err:
        check(state, edit(EditAction.LOCK, 0, code="042056"))
    assert err.value.code == "not_on_team"


def test_an_exclusion_leaves_a_short_team_that_blocks_approval_until_filled() -> None:
    state = record(proposed_state(BASE), edit(EditAction.EXCLUDE, 4))
    assert state.teams["042056"] == [oid(2)]
    assert any("1名" in translate(p, "ja") for p in team_problems(state, state.teams))
    approval = ProposalApproved(
        approved_on=date(2026, 3, 1), teams=[{"municipality_code": "032034", "officials": [official(0), official(1)]}]
    )
    with pytest.raises(PeriodViolation) as err:
        check(state, approval)
    assert err.value.code == "rules_broken"
    with pytest.raises(PeriodViolation) as err:
        check(state, edit(EditAction.MOVE, 4, code="042056"))
    assert err.value.code == "excluded"
    filled = record(state, edit(EditAction.MOVE, 3, code="042056"))
    assert team_problems(filled, filled.teams) == []
    assert record(filled, approval).phase is PeriodPhase.APPROVED


def test_phases_refuse_commands_out_of_order() -> None:
    fresh = PeriodState(period=5)
    with pytest.raises(PeriodViolation) as err:
        check(fresh, OfficialVolunteered(official=official(0)))
    assert err.value.code == "wrong_phase"
    with pytest.raises(PeriodViolation) as err:
        check(fresh, CallOpened(period=6, opens_on=date(2026, 2, 2), closes_on=date(2026, 2, 27)))
    assert err.value.code == "wrong_period"
    state = proposed_state(BASE)
    with pytest.raises(PeriodViolation) as err:
        check(state, OfficialVolunteered(official=official(0)))
    assert "マッチング案の確認中" in translate(err.value.message, "ja")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([EditAction.SWAP, EditAction.MOVE]),
            st.integers(0, 6),
            st.integers(0, 6),
            st.sampled_from(CODES),
        ),
        max_size=8,
    )
)
def test_accepted_edits_never_add_a_rule_problem(steps: list[tuple[EditAction, int, int, str]]) -> None:
    state = proposed_state({"032034": [0, 1, 5], "042056": [2, 4], "012238": [3, 6]})
    for action, a, b, code in steps:
        e = edit(action, a, b) if action is EditAction.SWAP else edit(action, a, code=code)
        before = set(team_problems(state, state.teams))
        try:
            after_state = record(state, e)
        except PeriodViolation:
            continue
        assert set(team_problems(after_state, after_state.teams)) <= before
        state = after_state
