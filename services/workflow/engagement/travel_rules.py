"""支援旅費 on an engagement as pure rules: which travel may be planned or settled, and how it folds.

Travel belongs to one participant of one recorded site or company visit (`travel_key`). A plan may be
made again (it replaces the earlier one) until it is settled; a settlement needs a plan and settles it
once. No I/O and no Temporal imports: the workflow's validators, the fold and the tests share these.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from schemas.events import TRAVEL_VISITS, TravelPlanned, TravelSettled, travel_key
from schemas.views import EngagementState, RecordState, TravelLine
from services.i18n.message import N_, Msg

NOT_A_VISIT = N_("Event %(event_id)s is not a site visit or company visit of this engagement")
VISIT_RETRACTED = N_("Visit %(event_id)s was retracted; travel cannot be recorded for it")
NOT_ON_TEAM_THAT_DAY = N_("Official %(official_id)s was not on this team on %(day)s, the day of the visit")
NOT_A_PARTICIPANT = N_("Official %(official_id)s is not among the participants of visit %(event_id)s")
ALREADY_SETTLED = N_("The travel of official %(official_id)s for visit %(event_id)s is already settled")
NO_PLAN = N_("There is no travel plan for official %(official_id)s and visit %(event_id)s to settle")


class TravelViolation(Exception):
    """Travel the engagement's record does not allow; the lifecycle raises it as a LifecycleViolation."""

    def __init__(self, code: str, message: Msg) -> None:
        self.code = code
        self.message = message
        super().__init__(code, message)


def _visit(state: EngagementState, event_id: str) -> RecordState:
    record = state.records.get(event_id)
    if record is None or record.event_type not in TRAVEL_VISITS:
        raise TravelViolation("not_a_visit", Msg(NOT_A_VISIT, {"event_id": event_id}))
    if record.retracted_by is not None:
        raise TravelViolation("visit_retracted", Msg(VISIT_RETRACTED, {"event_id": event_id}))
    return record


def _traveller(state: EngagementState, visit: RecordState, event_id: str, official_id: str) -> None:
    """The official was on the team on the visit's first day, and among its participants when it names any."""
    day = date.fromisoformat(str(visit.data["start_date"]))
    if official_id not in {o.official_id for o in state.team_on(day)}:
        params = {"official_id": official_id, "day": day.isoformat()}
        raise TravelViolation("not_on_team_that_day", Msg(NOT_ON_TEAM_THAT_DAY, params))
    participants = list(visit.data.get("participant_ids") or [])
    if participants and official_id not in participants:
        params = {"official_id": official_id, "event_id": event_id}
        raise TravelViolation("not_a_participant", Msg(NOT_A_PARTICIPANT, params))


def check_travel(state: EngagementState, payload: TravelPlanned | TravelSettled) -> None:
    """Raise TravelViolation when `payload` may not be recorded (the stage is checked by the lifecycle)."""
    visit = _visit(state, payload.visit_event_id)
    _traveller(state, visit, payload.visit_event_id, payload.official_id)
    line = state.travel.get(travel_key(payload.visit_event_id, payload.official_id))
    params = {"official_id": payload.official_id, "event_id": payload.visit_event_id}
    if line is not None and line.settlement_event_id is not None:
        raise TravelViolation("already_settled", Msg(ALREADY_SETTLED, params))
    if isinstance(payload, TravelSettled) and line is None:
        raise TravelViolation("settlement_without_plan", Msg(NO_PLAN, params))


def folded_travel(state: EngagementState, payload: TravelPlanned | TravelSettled, event_id: str) -> dict[str, Any]:
    """The state's changes when `payload` is recorded as event `event_id`."""
    key = travel_key(payload.visit_event_id, payload.official_id)
    if isinstance(payload, TravelPlanned):
        line = TravelLine(
            visit_event_id=payload.visit_event_id,
            official_id=payload.official_id,
            departs_on=payload.departs_on,
            returns_on=payload.returns_on,
            plan_event_id=event_id,
            planned_total_yen=payload.total_yen,
        )
    else:
        line = state.travel[key].model_copy(
            update={"settlement_event_id": event_id, "settled_total_yen": payload.total_yen}
        )
    return {"travel": state.travel | {key: line}}
