"""The projection as a pure plan: one stored event → the Cypher statements that apply it.

Every statement MERGEs by an id taken from the event, so applying a plan twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from schemas.envelope import EventEnvelope
from schemas.events import (
    ApplicationReceived,
    ApplicationWithdrawn,
    AppointmentChanged,
    AppointmentEnded,
    AppointmentIssued,
    BodyDefined,
    CallOpened,
    CompanyVisitMade,
    CoordinationHeld,
    EngagementClosed,
    EngagementResumed,
    EngagementsStarted,
    EngagementStalled,
    EngagementWithdrawn,
    EventCorrected,
    EventRetracted,
    FinalReportDue,
    FundingApplicationSupported,
    IntakeClosed,
    IntroductionMade,
    KickoffHeld,
    MatchingProposed,
    MemberJoined,
    MemberLeft,
    MunicipalitiesListed,
    MunicipalityApplied,
    OfficialPostChanged,
    OfficialRef,
    OfficialRegistered,
    OfficialVolunteered,
    OnlineMeetingHeld,
    OutcomeRecorded,
    Payload,
    PeriodSummarised,
    PolicyFeedbackRecorded,
    ProposalApproved,
    ProposalEdited,
    ReportSubmitted,
    SiteVisitMade,
    StreamRepaired,
    SupportFlowRecorded,
    SupportThemesChanged,
    SurveyAnswered,
    TeamAssigned,
    TravelBudgetAllocated,
    TravelPlanned,
    TravelRatesDefined,
    TravelSettled,
    parse_payload,
)
from schemas.text import compared
from services.graph.projection import correction_queries as cq
from services.graph.projection import paperwork, period, reference, results, subjects
from services.graph.projection import queries as q
from services.graph.projection.statements import BODY_LABELS, Statement, iso, keys

__all__ = ["BODY_LABELS", "Statement", "plan", "plan_payload"]


def plan(event: EventEnvelope) -> list[Statement]:
    """The statements that project `event` into the knowledge graph, in order."""
    return plan_payload(parse_payload(event.type, event.data), event.subject, event.id)


def plan_payload(payload: Payload, subject: str, event_id: str) -> list[Statement]:
    """The statements that project the event `event_id` of stream `subject` with its parsed `payload`."""
    base = {"engagement_id": subject, "event_id": event_id}
    return _plan(payload, base) + subjects.statements(payload, base)


def _plan(payload: Payload, base: dict[str, Any]) -> list[Statement]:
    match payload:
        case MunicipalityApplied():
            return _applied(payload, base)
        case TeamAssigned():
            return _team(payload, base)
        case KickoffHeld():
            return [
                Statement(
                    q.KICKOFF,
                    base
                    | {
                        "title": payload.title,
                        "held_on": iso(payload.held_on),
                        "themes": keys(payload.themes),
                        "final_report_due": iso(payload.final_report_due),
                    },
                )
            ]
        case OnlineMeetingHeld() | SiteVisitMade() | CompanyVisitMade():
            return _activity(payload, base)
        case OutcomeRecorded():
            return _outcome(payload, base)
        case EngagementClosed():
            return [Statement(q.CLOSED, base | {"closed_on": iso(payload.closed_on), "summary": payload.summary})]
        case EngagementWithdrawn():
            return [
                Statement(q.WITHDRAWN, base | {"withdrawn_on": iso(payload.withdrawn_on), "reason": payload.reason})
            ]
        case ApplicationWithdrawn():
            params = base | {"withdrawn_on": iso(payload.withdrawn_on), "reason": payload.reason}
            return [Statement(q.APPLICATION_WITHDRAWN, params)]
        case MemberJoined():
            return _joined(payload, base)
        case MemberLeft():
            params = base | {
                "official_id": payload.official_id,
                "left_on": iso(payload.left_on),
                "reason": payload.reason.value,
                "override_reason": payload.override_reason,
            }
            return [Statement(q.MEMBER_LEFT, params)]
        case SupportThemesChanged():
            return [Statement(q.THEMES_CHANGED, base | {"themes": keys(payload.themes)})]
        case SupportFlowRecorded():
            params = base | {"area": payload.area, "description": payload.description, "actions": payload.actions}
            return [Statement(q.SUPPORT_FLOW, params | {"recorded_on": iso(payload.recorded_on)})]
        case CoordinationHeld():
            return results.coordination(payload, base)
        case IntroductionMade():
            return results.introduction(payload, base)
        case FundingApplicationSupported():
            return results.funding_application(payload, base)
        case ReportSubmitted():
            return results.report(payload, base)
        case SurveyAnswered():
            return results.survey(payload, base)
        case PolicyFeedbackRecorded():
            return results.policy_feedback(payload, base)
        case EngagementStalled():
            return [Statement(q.STALLED, base)]
        case EngagementResumed():
            return [Statement(q.RESUMED, base)]
        case FinalReportDue():
            return [Statement(q.REPORT_DUE, base | {"due_on": iso(payload.due_on)})]
        case EventCorrected():
            return _corrected(payload, base)
        case EventRetracted():
            target = {"target_id": payload.retracts_event_id}
            return [Statement(cq.CLEAR_RECORD, target), Statement(cq.LAST_CONTACT_AGAIN, base)]
        case OfficialRegistered():
            registered, official = reference.official_registered(payload, base)
            return [registered, *_postings([official], base["event_id"], payload.registered_on)]
        case OfficialPostChanged():
            official_id = base["engagement_id"].removeprefix("reference-")
            return reference.official_post_changed(payload, base, official_id)
        case BodyDefined():
            return reference.body_defined(payload, base)
        case MunicipalitiesListed():
            return [reference.municipalities_listed(payload, base)]
        case CallOpened():
            return period.call_opened(payload, base)
        case OfficialVolunteered():
            return period.volunteered(payload, base)
        case ApplicationReceived():
            return period.application_received(payload, base)
        case PeriodSummarised():
            return period.summarised(payload, base)
        case AppointmentIssued():
            return paperwork.appointment_issued(payload, base)
        case AppointmentChanged():
            return paperwork.appointment_changed(payload, base)
        case AppointmentEnded():
            return paperwork.appointment_ended(payload, base)
        case TravelBudgetAllocated():
            return paperwork.travel_budget_allocated(payload, base)
        case TravelPlanned():
            return paperwork.travel_planned(payload, base)
        case TravelSettled():
            return paperwork.travel_settled(payload, base)
        case TravelRatesDefined():
            return paperwork.travel_rates_defined(payload, base)
        case (
            IntakeClosed()
            | MatchingProposed()
            | ProposalEdited()
            | ProposalApproved()
            | EngagementsStarted()
            | StreamRepaired()
        ):
            return []
        case _:
            raise TypeError(f"no projection for {type(payload).__name__}")


def _corrected(p: EventCorrected, base: dict[str, Any]) -> list[Statement]:
    """The record's node drawn again from the corrected facts, under the id of the event that recorded it."""
    target = base | {"event_id": p.corrects_event_id}
    keys = {"target_id": p.corrects_event_id}
    return [
        Statement(cq.CLEAR_RECORD, keys),
        *_plan(p.corrected, target),
        *subjects.statements(p.corrected, target),
        Statement(cq.MARK_CORRECTED, keys | {"event_id": base["event_id"], "reason": p.reason}),
        Statement(cq.LAST_CONTACT_AGAIN, base),
    ]


def _applied(p: MunicipalityApplied, base: dict[str, Any]) -> list[Statement]:
    return [
        Statement(
            q.APPLIED_ENGAGEMENT,
            base
            | {
                "prefecture": compared(p.prefecture),
                "municipality_code": p.municipality_code,
                "municipality_name": p.municipality_name,
                "population": p.population,
                "population_as_of": iso(p.population_as_of),
                "mayor": p.mayor,
                "period": p.period,
                "applied_on": iso(p.applied_on),
            },
        ),
        Statement(q.APPLIED_CHALLENGES, base | {"challenges": keys(p.challenges)}),
        Statement(q.APPLIED_DESIRED_THEMES, base | {"themes": keys(p.desired_themes)}),
    ]


def _official(o: OfficialRef) -> dict[str, Any]:
    """An official as the team statements take it: the ministry as the Ministry node's key (compared form)."""
    return o.model_dump(mode="json") | {"ministry": compared(o.ministry)}


def _joined(p: MemberJoined, base: dict[str, Any]) -> list[Statement]:
    members = Statement(
        q.MEMBER_JOINED,
        base
        | {
            "officials": [_official(p.official)],
            "joined_on": iso(p.joined_on),
            "override_reason": p.override_reason,
        },
    )
    return [members, *_postings([p.official], base["event_id"], p.joined_on)]


def _team(p: TeamAssigned, base: dict[str, Any]) -> list[Statement]:
    officials = [_official(o) for o in p.officials]
    ministries = "×".join(compared(o.ministry) for o in p.officials)
    members = Statement(
        q.TEAM_MEMBERS,
        base
        | {
            "team_id": f"{base['engagement_id']}/team",
            "team_name": ministries,
            "officials": officials,
            "assigned_on": iso(p.assigned_on),
        },
    )
    return [members, *_postings(p.officials, base["event_id"], p.assigned_on)]


def _postings(officials: list[OfficialRef], event_id: str, since: date | None) -> list[Statement]:
    """Each official's bureau/division and posting; `since` is the business date the event shows it held."""
    bureaus: list[dict[str, str]] = []
    divisions: list[dict[str, str]] = []
    loose_divisions: list[dict[str, str]] = []
    postings: list[dict[str, str | None]] = []  # each with the event that put the official there, and its date
    for o in officials:
        unit_id: str | None = None
        ministry = compared(o.ministry)  # the Ministry node's key, however the name was typed
        if o.bureau:
            unit_id = f"{ministry}/{o.bureau}"
            bureaus.append({"id": unit_id, "name": o.bureau, "ministry": ministry})
        if o.division:
            parent = unit_id
            unit_id = f"{parent or ministry}/{o.division}"
            row = {"id": unit_id, "name": o.division, "ministry": ministry, "parent_id": parent or ""}
            (divisions if parent else loose_divisions).append(row)
        if unit_id:
            postings.append(
                {"official_id": o.official_id, "unit_id": unit_id, "event_id": event_id, "since": iso(since)}
            )
    return [
        Statement(q.TEAM_BUREAUS, {"units": bureaus}),
        Statement(q.TEAM_DIVISIONS, {"units": divisions}),
        Statement(q.TEAM_DIVISIONS_UNDER_MINISTRY, {"units": loose_divisions}),
        Statement(q.TEAM_POSTINGS, {"postings": postings}),
        Statement(
            q.TEAM_SECONDMENTS,
            {
                "secondments": [
                    {"official_id": o.official_id, "ministry": compared(o.seconded_from)}
                    for o in officials
                    if o.seconded_from
                ]
            },
        ),
    ]


def _activity(p: OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade, base: dict[str, Any]) -> list[Statement]:
    place = p.place if isinstance(p, SiteVisitMade | CompanyVisitMade) else None
    company_count = p.company_count if isinstance(p, CompanyVisitMade) else None
    statements = [
        Statement(
            q.ACTIVITY,
            base
            | {
                "kind": p.kind.value,
                "start_date": iso(p.start_date),
                "end_date": iso(p.end_date),
                "last_day": iso(p.end_date or p.start_date),
                "participants": p.participants,
                "notes": p.notes,
                "place": place,
                "company_count": company_count,
            },
        )
    ]
    if isinstance(p, CompanyVisitMade) and p.companies:
        statements.append(Statement(q.ACTIVITY_COMPANIES, base | {"companies": keys(p.companies)}))
    return statements + results.took_part(p, base)


def _outcome(p: OutcomeRecorded, base: dict[str, Any]) -> list[Statement]:
    statements = [
        Statement(
            q.OUTCOME,
            base
            | {
                "kind": p.kind,
                "description": p.description,
                "status": p.status.value,
                "recorded_on": iso(p.recorded_on),
                "achieved_on": iso(p.achieved_on),
                "theme": p.theme,
            },
        )
    ]
    if p.theme:
        statements.append(Statement(q.OUTCOME_THEME, base | {"theme": compared(p.theme)}))
    for kind, label in BODY_LABELS.items():
        names = keys(b.name for b in p.related if b.kind is kind)
        if names:
            statements.append(Statement(q.OUTCOME_BODIES[label], base | {"names": names}))
    if p.contributor_ids:
        statements.append(Statement(q.CONTRIBUTED_TO, base | {"contributor_ids": p.contributor_ids}))
    return statements
