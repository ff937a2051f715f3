"""併任 and the travel budget on a period's stream as pure rules: what may be recorded, and how it folds.

One appointment per official is active at a time (issued again only after its 解除). A change or an end
needs the active appointment and a date not before its 発令日 or its last change. The travel budget may be
allocated in any phase (a past period too); that it is not below what is already settled is checked where
the settlements are known, by the API against the graph (the period's workflow does not see engagements).
"""

from __future__ import annotations

from datetime import date

from schemas.events import AppointmentChanged, AppointmentEnded, AppointmentIssued, TravelBudgetAllocated
from schemas.periods import AppointmentState, PeriodState
from services.i18n.message import N_, Msg
from services.workflow.period.violation import PeriodViolation

Paperwork = AppointmentIssued | AppointmentChanged | AppointmentEnded | TravelBudgetAllocated

ALREADY_APPOINTED = N_("Official %(official_id)s is already appointed in this period (since %(day)s)")
NOT_APPOINTED = N_("Official %(official_id)s has no appointment in force in this period")
TOO_EARLY = N_("%(day)s is before the appointment's last change or its date of appointment (%(since)s)")
SAME_TEAMS = N_("The appointment already covers exactly these teams")


class AppointmentViolation(PeriodViolation):
    """An appointment command the period's record does not allow (→ HTTP 409)."""


def _active(state: PeriodState, official_id: str) -> AppointmentState:
    appointment = state.appointments.get(official_id)
    if appointment is None or not appointment.active:
        raise AppointmentViolation("not_appointed", Msg(NOT_APPOINTED, {"official_id": official_id}))
    return appointment


def _not_before(appointment: AppointmentState, day: date) -> None:
    since = appointment.changed_on or appointment.appointed_on
    if day < since:
        params = {"day": day.isoformat(), "since": since.isoformat()}
        raise AppointmentViolation("before_appointment", Msg(TOO_EARLY, params))


def check_paperwork(state: PeriodState, payload: Paperwork) -> None:
    """Raise AppointmentViolation unless `payload` may be recorded now."""
    match payload:
        case AppointmentIssued():
            official_id = payload.official.official_id
            current = state.appointments.get(official_id)
            if current is not None and current.active:
                params = {"official_id": official_id, "day": current.appointed_on.isoformat()}
                raise AppointmentViolation("already_appointed", Msg(ALREADY_APPOINTED, params))
        case AppointmentChanged():
            appointment = _active(state, payload.official_id)
            _not_before(appointment, payload.changed_on)
            if sorted(payload.team_codes) == sorted(appointment.team_codes):
                raise AppointmentViolation("same_teams", Msg(SAME_TEAMS))
        case AppointmentEnded():
            _not_before(_active(state, payload.official_id), payload.ended_on)
        case TravelBudgetAllocated():
            pass


def folded_paperwork(state: PeriodState, payload: Paperwork, event_id: str) -> dict[str, object]:
    """The period state's changes when `payload` is recorded as event `event_id`."""
    match payload:
        case AppointmentIssued():
            appointment = AppointmentState(
                official_id=payload.official.official_id,
                event_id=event_id,
                appointed_on=payload.appointed_on,
                team_codes=list(payload.team_codes),
            )
            return {"appointments": state.appointments | {appointment.official_id: appointment}}
        case AppointmentChanged():
            changed = state.appointments[payload.official_id].model_copy(
                update={"team_codes": list(payload.team_codes), "changed_on": payload.changed_on}
            )
            return {"appointments": state.appointments | {payload.official_id: changed}}
        case AppointmentEnded():
            ended = state.appointments[payload.official_id].model_copy(update={"ended_on": payload.ended_on})
            return {"appointments": state.appointments | {payload.official_id: ended}}
        case TravelBudgetAllocated():
            return {"travel_budget_yen": payload.amount_yen}
