"""併任 on a period's stream: one appointment in force per official, changed or ended by events, never edited."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from schemas.events import (
    AppointmentChanged,
    AppointmentEnded,
    AppointmentEndReason,
    AppointmentIssued,
    OfficialRef,
    Payload,
    TeamShare,
    TravelBudgetAllocated,
)
from schemas.periods import PeriodState
from services.workflow.period.rules import apply, check
from services.workflow.period.violation import PeriodViolation

ISHIKAWA = OfficialRef(name="石川 亨", ministry="国土交通省", post="総務課長")
ISSUED = AppointmentIssued(official=ISHIKAWA, team_codes=["032034"], appointed_on=date(2025, 4, 1))
CHANGED = AppointmentChanged(
    official_id=ISHIKAWA.official_id, team_codes=["032034", "034410"], changed_on=date(2025, 7, 1), reason="追加"
)
ENDED = AppointmentEnded(
    official_id=ISHIKAWA.official_id, ended_on=date(2025, 9, 1), reason=AppointmentEndReason.PERSONNEL_TRANSFER
)


def folded(events: list[Payload]) -> PeriodState:
    state = PeriodState(period=2)
    for seq, payload in enumerate(events, start=1):
        check(state, payload)
        state = apply(state, payload, seq, f"h{seq}", f"ev-{seq}")
    return state


def refused(code: str, events: list[Payload], payload: Payload) -> None:
    with pytest.raises(PeriodViolation) as err:
        check(folded(events), payload)
    assert err.value.code == code


def test_issue_change_end_fold_in_any_phase() -> None:
    state = folded([ISSUED, CHANGED, ENDED])
    appointment = state.appointments[ISHIKAWA.official_id]
    assert appointment.event_id == "ev-1"
    assert appointment.team_codes == ["032034", "034410"]
    assert (appointment.changed_on, appointment.ended_on, appointment.active) == (
        date(2025, 7, 1),
        date(2025, 9, 1),
        False,
    )


def test_one_appointment_in_force_at_a_time() -> None:
    refused("already_appointed", [ISSUED], ISSUED)
    again = ISSUED.model_copy(update={"appointed_on": date(2025, 10, 1)})
    assert folded([ISSUED, ENDED, again]).appointments[ISHIKAWA.official_id].event_id == "ev-3"


def test_change_and_end_need_an_appointment_in_force() -> None:
    refused("not_appointed", [], CHANGED)
    refused("not_appointed", [], ENDED)
    refused("not_appointed", [ISSUED, ENDED], CHANGED)
    refused("not_appointed", [ISSUED, ENDED], ENDED)


def test_dates_do_not_go_back() -> None:
    refused("before_appointment", [ISSUED], ENDED.model_copy(update={"ended_on": date(2025, 3, 31)}))
    refused("before_appointment", [ISSUED, CHANGED], ENDED.model_copy(update={"ended_on": date(2025, 6, 30)}))
    refused("same_teams", [ISSUED], CHANGED.model_copy(update={"team_codes": ["032034"]}))


def test_budget_is_the_latest_allocation() -> None:
    state = folded([TravelBudgetAllocated(amount_yen=3_000_000, allocated_on=date(2025, 4, 1))])
    assert state.travel_budget_yen == 3_000_000


def test_shapes_refused_by_validation() -> None:
    with pytest.raises(ValidationError):
        AppointmentIssued(official=ISHIKAWA, team_codes=["032034", "032034"], appointed_on=date(2025, 4, 1))
    with pytest.raises(ValidationError):
        AppointmentEnded(official_id="x", ended_on=date(2025, 9, 1), reason=AppointmentEndReason.OTHER)
    share = TeamShare(municipality_code="032034", amount_yen=2)
    with pytest.raises(ValidationError):
        TravelBudgetAllocated(amount_yen=1, allocated_on=date(2025, 4, 1), team_shares=[share])
    with pytest.raises(ValidationError):
        TravelBudgetAllocated.model_validate({"amount_yen": 1.0, "allocated_on": "2025-04-01"})
