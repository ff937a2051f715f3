"""The engagement state as a pure fold over its events (no I/O, no Temporal imports)."""

from __future__ import annotations

from datetime import date
from typing import Any

from schemas.events import (
    ApplicationWithdrawn,
    CompanyVisitMade,
    CoordinationHeld,
    EngagementClosed,
    EngagementResumed,
    EngagementStalled,
    EngagementWithdrawn,
    EventCorrected,
    EventRetracted,
    FinalReportDue,
    FundingApplicationSupported,
    IntroductionMade,
    KickoffHeld,
    MemberJoined,
    MemberLeft,
    MunicipalityApplied,
    OnlineMeetingHeld,
    OutcomeRecorded,
    Payload,
    PolicyFeedbackRecorded,
    ReportSubmitted,
    SiteVisitMade,
    StreamRepaired,
    SupportFlowRecorded,
    SupportThemesChanged,
    SurveyAnswered,
    TeamAssigned,
    TravelPlanned,
    TravelSettled,
)
from schemas.views import Alert, EngagementState, Membership, Stage
from services.i18n.message import N_, Msg
from services.workflow.engagement.corrections import corrected, remembered, retracted
from services.workflow.engagement.lifecycle import is_contact
from services.workflow.engagement.travel_rules import folded_travel


def _alert(kind: str, raised_at: str, message: Msg) -> Alert:
    """An alert with its message as data (translated by the API); `message_en` keeps the English text."""
    return Alert(kind=kind, raised_at=raised_at, message_en=message.render(), message=message.to_dict())


def _after_contact(stage: Stage) -> Stage:
    return Stage.VISITS if stage is Stage.KICKOFF else stage


def _with_last(state: EngagementState, kind: str, day: date) -> dict[str, date]:
    last = dict(state.last_dates)
    if kind not in last or last[kind] < day:
        last[kind] = day
    return last


def _team(memberships: list[Membership]) -> list[Any]:
    return [m.official for m in memberships if m.left_on is None]


def _left(state: EngagementState, p: MemberLeft) -> list[Membership]:
    return [
        m.model_copy(
            update={"left_on": p.left_on, "leave_reason": p.reason.value, "override_reason": p.override_reason}
        )
        if m.official.official_id == p.official_id and m.left_on is None
        else m
        for m in state.memberships
    ]


def _activity(state: EngagementState, p: OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade) -> dict[str, Any]:
    c = state.counts
    counted = {
        OnlineMeetingHeld: {"online_meetings": c.online_meetings + 1},
        SiteVisitMade: {"site_visits": c.site_visits + 1},
        CompanyVisitMade: {
            "company_visits": c.company_visits + 1,
            "companies_visited": c.companies_visited + (p.company_count if isinstance(p, CompanyVisitMade) else 0),
        },
    }[type(p)]
    return {
        "counts": c.model_copy(update=counted),
        "last_dates": _with_last(state, p.kind.value, p.end_date or p.start_date),
    }


def _changes(state: EngagementState, payload: Payload, recorded_at: str, event_id: str) -> dict[str, Any]:
    match payload:
        case MunicipalityApplied():
            return {
                "stage": Stage.APPLICATION,
                "period": payload.period,
                "municipality_code": payload.municipality_code,
                "municipality_name": payload.municipality_name,
                "prefecture": payload.prefecture,
            }
        case ApplicationWithdrawn() | EngagementWithdrawn():
            return {"stage": Stage.WITHDRAWN, "alerts": []}
        case TeamAssigned():
            members = [Membership(official=o, joined_on=payload.assigned_on) for o in payload.officials]
            return {"stage": Stage.MATCHING, "memberships": members, "team": _team(members)}
        case MemberJoined():
            joined = Membership(
                official=payload.official, joined_on=payload.joined_on, override_reason=payload.override_reason
            )
            members = [*state.memberships, joined]
            return {"memberships": members, "team": _team(members)}
        case MemberLeft():
            members = _left(state, payload)
            return {"memberships": members, "team": _team(members)}
        case KickoffHeld():
            return {
                "stage": Stage.KICKOFF,
                "title": payload.title,
                "themes": list(payload.themes),
                "final_report_due": payload.final_report_due,
                "last_contact_at": recorded_at,
            }
        case SupportThemesChanged():
            return {"themes": list(payload.themes)}
        case OnlineMeetingHeld() | SiteVisitMade() | CompanyVisitMade():
            return _activity(state, payload)
        case CoordinationHeld():
            return {
                "coordinations": state.coordinations + 1,
                "last_dates": _with_last(state, "coordination", payload.held_on),
            }
        case IntroductionMade():
            return {
                "introductions": state.introductions + 1,
                "last_dates": _with_last(state, "introduction", payload.made_on),
            }
        case FundingApplicationSupported():
            return {"funding_applications": state.funding_applications + 1}
        case OutcomeRecorded():
            return {"stage": Stage.OUTCOMES, "outcomes": state.outcomes + 1}
        case ReportSubmitted():
            alerts = (
                [a for a in state.alerts if a.kind != "final_report_due"]
                if payload.report.value == "final"
                else state.alerts
            )
            return {"reports": [*state.reports, payload.report.value], "alerts": alerts}
        case SurveyAnswered():
            return {"surveys": state.surveys + 1}
        case PolicyFeedbackRecorded() | SupportFlowRecorded():
            return {}
        case EngagementStalled():
            days = f"{payload.silent_days:.0f}"
            alert = _alert(
                "stalled",
                recorded_at,
                Msg(N_("no meeting, visit or coordination recorded for %(days)s days"), {"days": days}),
            )
            return {"stalled": True, "alerts": [*state.alerts, alert]}
        case EngagementResumed():
            return {"stalled": False, "alerts": [a for a in state.alerts if a.kind != "stalled"]}
        case FinalReportDue():
            due = Msg(N_("the final report is due on %(due_on)s"), {"due_on": payload.due_on.isoformat()})
            alert = _alert("final_report_due", recorded_at, due)
            return {"final_report_reminded": True, "alerts": [*state.alerts, alert]}
        case EngagementClosed():
            return {"stage": Stage.CLOSED, "alerts": []}
        case EventCorrected():
            return corrected(state, payload, event_id)
        case EventRetracted():
            return retracted(state, payload, event_id)
        case TravelPlanned() | TravelSettled():
            return folded_travel(state, payload, event_id)
        case StreamRepaired():
            return {}  # a record of the repair: the stream's head moves, nothing else
        case _:
            raise TypeError(f"no fold for {type(payload).__name__}")


def apply(
    state: EngagementState,
    payload: Payload,
    sequence: int,
    head_hash: str,
    recorded_at: str = "",
    event_id: str = "",
) -> EngagementState:
    """The state after `payload` was recorded as event `sequence` (id `event_id`, hash `head_hash`) at
    `recorded_at`. Activities, outcomes and survey answers are remembered by id, so they can be corrected."""
    update = _changes(state, payload, recorded_at, event_id)
    records = remembered(state, payload, event_id)
    if records is not state.records:
        update["records"] = records
    if is_contact(payload):
        update["stage"] = _after_contact(state.stage)
        update["last_contact_at"] = recorded_at
    update |= {"last_sequence": sequence, "head_hash": head_hash}
    return state.model_copy(update=update)
