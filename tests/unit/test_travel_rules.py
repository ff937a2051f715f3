"""支援旅費 on an engagement: who may travel for which visit, plan before settlement, settle once, whole yen."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.events import (
    CompanyVisitMade,
    EngagementClosed,
    EventRetracted,
    KickoffHeld,
    MemberJoined,
    MemberLeft,
    MunicipalityApplied,
    OfficialRef,
    OnlineMeetingHeld,
    OutcomeKind,
    OutcomeRecorded,
    OutcomeStatus,
    Payload,
    SiteVisitMade,
    TeamAssigned,
    TravelPlanned,
    TravelSettled,
    travel_key,
)
from schemas.events.engagement import LeaveReason
from schemas.views import EngagementState
from services.workflow.engagement.fold import apply
from services.workflow.engagement.lifecycle import LifecycleViolation, check

ISHIKAWA = OfficialRef(name="石川 亨", ministry="国土交通省")
FURUTA = OfficialRef(name="古田 匠", ministry="文部科学省")
SHIROUZU = OfficialRef(name="白水 伸英", ministry="総務省")
HISTORY: list[Payload] = [
    MunicipalityApplied(period=2, municipality_code="032034", municipality_name="大船渡市", prefecture="岩手県"),
    TeamAssigned(officials=[ISHIKAWA, FURUTA], assigned_on=date(2025, 4, 1)),
    KickoffHeld(held_on=date(2025, 4, 30), title="題目", themes=["産業振興"]),
    SiteVisitMade(start_date=date(2025, 6, 19), end_date=date(2025, 6, 20), place="大船渡市"),  # ev-4
    OnlineMeetingHeld(start_date=date(2025, 7, 1)),  # ev-5
    CompanyVisitMade(start_date=date(2025, 8, 5), company_count=2, participant_ids=[FURUTA.official_id]),  # ev-6
    MemberJoined(official=SHIROUZU, joined_on=date(2025, 9, 1)),
    MemberLeft(official_id=ISHIKAWA.official_id, left_on=date(2025, 9, 1), reason=LeaveReason.TRANSFER),
    SiteVisitMade(start_date=date(2025, 10, 2)),  # ev-9
]


def folded(extra: list[Payload] | None = None) -> EngagementState:
    s = EngagementState(engagement_id="engagement-2-032034")
    for seq, payload in enumerate([*HISTORY, *(extra or [])], start=1):
        check(s, payload)
        s = apply(s, payload, seq, f"h{seq}", "", f"ev-{seq}")
    return s


def plan(visit: str = "ev-4", official: OfficialRef = ISHIKAWA, **amounts: Any) -> TravelPlanned:
    fields: dict[str, Any] = {"transport_yen": 30_000, "lodging_yen": 11_800, "daily_allowance_yen": 4_400}
    return TravelPlanned(
        visit_event_id=visit,
        official_id=official.official_id,
        departs_on=date(2025, 6, 19),
        returns_on=date(2025, 6, 20),
        nights=1,
        planned_on=date(2025, 6, 1),
        **(fields | amounts),
    )


def settle(visit: str = "ev-4", official: OfficialRef = ISHIKAWA, transport: int = 28_540) -> TravelSettled:
    return TravelSettled(
        visit_event_id=visit,
        official_id=official.official_id,
        settled_on=date(2025, 7, 10),
        transport_yen=transport,
        lodging_yen=11_800,
        daily_allowance_yen=4_400,
    )


def refused(code: str, extra: list[Payload], payload: Payload) -> None:
    state = folded(extra)
    with pytest.raises(LifecycleViolation) as err:
        check(state, payload)
    assert err.value.code == code


def test_plan_then_settle_folds_one_line() -> None:
    state = folded([plan(), settle()])
    line = state.travel[travel_key("ev-4", ISHIKAWA.official_id)]
    assert (line.plan_event_id, line.planned_total_yen) == ("ev-10", 46_200)
    assert (line.settlement_event_id, line.settled_total_yen) == ("ev-11", 44_740)


def test_a_new_plan_replaces_the_unsettled_one() -> None:
    state = folded([plan(), plan(transport_yen=25_000)])
    line = state.travel[travel_key("ev-4", ISHIKAWA.official_id)]
    assert (line.plan_event_id, line.planned_total_yen) == ("ev-11", 41_200)


def test_settlement_needs_a_plan() -> None:
    refused("settlement_without_plan", [], settle())


def test_settled_once_and_not_planned_again() -> None:
    refused("already_settled", [plan(), settle()], settle())
    refused("already_settled", [plan(), settle()], plan())


def test_only_site_and_company_visits_carry_travel() -> None:
    refused("not_a_visit", [], plan(visit="ev-5"))  # an online meeting
    refused("not_a_visit", [], plan(visit="ev-404"))


def test_not_for_a_retracted_visit() -> None:
    refused("visit_retracted", [EventRetracted(retracts_event_id="ev-4", reason="誤登録")], plan())


def test_only_for_a_member_on_the_visit_day() -> None:
    refused("not_on_team_that_day", [], plan(official=SHIROUZU))  # joined in September
    refused("not_on_team_that_day", [], plan(visit="ev-9"))  # 石川 left in September (人事異動)
    folded([plan(visit="ev-9", official=SHIROUZU)])


def test_only_for_a_named_participant() -> None:
    refused("not_a_participant", [], plan(visit="ev-6"))  # the company visit names 古田 only
    folded([plan(visit="ev-6", official=FURUTA)])


@pytest.mark.parametrize("amount", [-1, 1.5, "1500", 10_000_000_001, None])
def test_amounts_are_whole_non_negative_yen(amount: object) -> None:
    with pytest.raises(ValidationError):
        plan(transport_yen=amount)


def test_a_trip_has_no_more_nights_than_days() -> None:
    with pytest.raises(ValidationError):
        TravelPlanned.model_validate(plan().model_dump() | {"nights": 2})
    with pytest.raises(ValidationError):
        TravelPlanned.model_validate(plan().model_dump() | {"returns_on": date(2025, 6, 18), "nights": 0})


def test_a_trip_planned_before_the_close_is_settled_after_it() -> None:
    outcome = OutcomeRecorded(kind=OutcomeKind.GUIDELINE, description="指針", status=OutcomeStatus.ACHIEVED)
    closed = EngagementClosed(closed_on=date(2026, 3, 31), summary="終了")
    state = folded([plan(), outcome, closed])
    check(state, settle())  # the accounts come after the close
    with pytest.raises(LifecycleViolation) as err:
        check(state, plan(visit="ev-9", official=SHIROUZU))
    assert err.value.code == "engagement_ended"
