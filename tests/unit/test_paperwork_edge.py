"""The API's paperwork rules without servers: estimates, the budget check, departures, redaction, the ledger."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from schemas.events import AppointmentChanged, AppointmentEnded, MemberLeft
from schemas.paperwork_views import Amounts, RatesView, TravelLineView
from schemas.periods import AppointmentState
from schemas.redaction import redact_data
from services.api.exports.paperwork import TOTAL_LABEL, ledger_rows
from services.api.paperwork import TravelPlanRequest, check_budget, departure_follow_up, planned
from services.api.problems import Conflict, InvalidInput

R7 = RatesView(
    rates_id="r7",
    name="令和7年度",
    valid_from=date(2025, 4, 1),
    valid_to=date(2026, 3, 31),
    lodging_yen_per_night=10_900,
    daily_allowance_yen_per_day=2_200,
    source="仮定",
    event_id="e-r7",
)
TRIP = {"visit_event_id": "v1", "official_id": "o1", "departs_on": "2025-05-29", "returns_on": "2025-05-31"}


def test_omitted_lodging_and_allowance_come_from_the_rates_valid_on_departure() -> None:
    event = planned(TravelPlanRequest.model_validate(TRIP | {"transport_yen": 28_000}), [R7])
    assert (event.nights, event.lodging_yen, event.daily_allowance_yen) == (2, 21_800, 6_600)
    assert event.rates_id == "r7"
    stayed_once = planned(TravelPlanRequest.model_validate(TRIP | {"transport_yen": 1, "nights": 1}), [R7])
    assert stayed_once.lodging_yen == 10_900
    given = planned(
        TravelPlanRequest.model_validate(TRIP | {"transport_yen": 1, "lodging_yen": 0, "daily_allowance_yen": 0}), []
    )
    assert (given.lodging_yen, given.daily_allowance_yen, given.rates_id) == (0, 0, None)
    with pytest.raises(InvalidInput) as err:
        planned(TravelPlanRequest.model_validate(TRIP | {"departs_on": "2025-03-31", "transport_yen": 1}), [R7])
    assert err.value.code == "no_travel_rates"


@pytest.mark.parametrize("bad", [-1, 1.0, 1500.5, "1500", True, None])
def test_yen_is_a_whole_non_negative_integer(bad: object) -> None:
    with pytest.raises(ValidationError):
        TravelPlanRequest.model_validate(TRIP | {"transport_yen": bad})


def test_trip_dates_and_nights_are_checked() -> None:
    with pytest.raises(ValidationError) as err:
        TravelPlanRequest.model_validate(TRIP | {"returns_on": "2025-05-28", "transport_yen": 1})
    assert err.value.errors()[0]["type"] == "returns_before_departs"
    with pytest.raises(ValidationError) as err:
        TravelPlanRequest.model_validate(TRIP | {"nights": 3, "transport_yen": 1})
    assert err.value.errors()[0]["type"] == "more_nights_than_trip"


def test_a_budget_below_what_is_settled_is_refused() -> None:
    check_budget(100, 100)
    with pytest.raises(Conflict) as err:
        check_budget(99, 100)
    assert err.value.code == "budget_below_settled"
    assert "100" in err.value.detail_ja


def _appointment(*codes: str, ended: bool = False) -> AppointmentState:
    return AppointmentState(
        official_id="o1",
        event_id="e1",
        appointed_on=date(2025, 5, 1),
        team_codes=list(codes),
        ended_on=date(2025, 9, 1) if ended else None,
    )


def test_a_departure_changes_or_ends_the_appointment() -> None:
    left = MemberLeft(official_id="o1", left_on=date(2025, 7, 1), reason="workload")
    changed = departure_follow_up(left, "ml1", "032026", _appointment("032026", "032034"))
    assert isinstance(changed, AppointmentChanged)
    assert (changed.team_codes, changed.changed_on) == (["032034"], date(2025, 7, 1))
    ended = departure_follow_up(left, "ml1", "032026", _appointment("032026"))
    assert isinstance(ended, AppointmentEnded)
    assert (ended.reason, ended.member_left_event_id, ended.ended_on) == ("team_change", "ml1", date(2025, 7, 1))
    transfer = left.model_copy(update={"reason": "transfer"})
    moved = departure_follow_up(
        MemberLeft.model_validate(transfer.model_dump()), "ml2", "032026", _appointment("032026")
    )
    assert isinstance(moved, AppointmentEnded)
    assert moved.reason == "personnel_transfer"
    assert departure_follow_up(left, "ml1", "032026", None) is None
    assert departure_follow_up(left, "ml1", "032026", _appointment("032034")) is None
    assert departure_follow_up(left, "ml1", "032026", _appointment("032026", ended=True)) is None


def test_redaction_removes_every_amount_and_the_free_text() -> None:
    budget = {
        "event_type": "TravelBudgetAllocated",
        "schema_version": 1,
        "amount_yen": 1_000_000,
        "allocated_on": "2025-06-20",
        "team_shares": [{"municipality_code": "032026", "amount_yen": 50_000}],
        "reason": "補正で 100 万円",
    }
    assert redact_data("TravelBudgetAllocated", budget) == {
        "event_type": "TravelBudgetAllocated",
        "schema_version": 1,
        "allocated_on": "2025-06-20",
        "team_shares": [{"municipality_code": "032026"}],
        "redacted": True,
    }
    issued = {"event_type": "AppointmentIssued", "official": {"official_id": "o1", "name": "x"}, "notice": "n"}
    assert redact_data("AppointmentIssued", issued) == {
        "event_type": "AppointmentIssued",
        "official_id": "o1",
        "redacted": True,
    }
    assert redact_data("SiteVisitMade", {"start_date": "2025-05-29"}) is None


def _line(key: str, planned_: Amounts, settled: Amounts | None) -> TravelLineView:
    return TravelLineView(
        key=key,
        engagement_id="engagement-2-032026",
        period=2,
        municipality_code="032026",
        visit_event_id=key.split("/")[0],
        official_id=key.split("/")[1],
        departs_on=date(2025, 5, 29),
        returns_on=date(2025, 5, 30),
        nights=1,
        planned_on=date(2025, 5, 20),
        planned=planned_,
        plan_event_id="p",
        settled=settled,
    )


def test_the_ledger_totals_are_integer_sums_of_its_lines() -> None:
    rows = ledger_rows(
        [
            _line("v/a", Amounts(transport_yen=1, lodging_yen=2, daily_allowance_yen=3), None),
            _line("v/b", Amounts(transport_yen=10, lodging_yen=20, daily_allowance_yen=30), Amounts(transport_yen=9)),
        ]
    )
    total = rows[-1]
    assert total["engagement_id"] == TOTAL_LABEL
    assert (total["planned_total_yen"], total["settled_total_yen"], total["settled_transport_yen"]) == (66, 9, 9)
    assert rows[0]["settled_total_yen"] is None
    assert all(isinstance(total[k], int) for k in total if k.endswith("_yen"))
