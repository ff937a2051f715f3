"""What an event's projection touches in a way whose order matters, so that a replay may regroup events.

A footprint maps keys to how the projection touches them: READ (a MATCH that needs the node, nothing set),
WRITE (properties set, edges replaced) or RECORD (a stream's own record: a new node under the engagement,
and only order-free changes to it — the stage a visit moves on from kickoff, the latest contact, the stage
an outcome sets). Two events commute — projecting them in either order gives the same graph — unless they
share a key that one of them WRITEs, or that they touch in different ways. The keys:
- `stream:<subject>`: the nodes of the event's own stream (engagement, team, its records), so the events of
  one stream keep their order except records among themselves (visits, meetings, coordinations, outcomes,
  reports, support flows, introductions, feedback, survey answers);
- `funding:<subject>:<programme>`: the engagement's application edge to a programme (the last event sets it);
- `official:<id>`: an official's properties and edges (name and post are set by the last team or
  registration, a posting keeps the first event that showed it); attribution only READs the official;
- `municipality:<code>`: a municipality's properties (the last application sets them);
- `units:<ministry>`: the bureaus and divisions of a ministry (name and kind set by id);
- `period:<number>`: a period's call and figures;
- `appointment:<period>:<official>`: an official's 併任 in a period (a change or an end finds the active
  appointment by period and official, so issue → change → end → issue again keep their order);
- `travel:<visit>/<official>`: one travel line (a plan sets it, a re-plan replaces it, a settlement needs it);
- `budget:<period>`: a period's travel budget and shares (each allocation replaces the shares);
- `rates:<rates_id>`: one table of travel rates (defined again, revised).
The paperwork nodes stand alone (no relationships), so their events touch nothing else.
Everything else a projection touches is only MERGEd without properties (themes, challenges, subjects,
prefectures, periods, ministries, bodies named in records) or set to the same constant by every event
(an organisation's `kind`): such MERGEs commute with each other and with the statements that set the node.

Rare events that change shared nodes wholesale — corrections, retractions, post changes, bodies,
municipality listings — and any type not listed here are barriers (`None`): they keep their place against
every other event.
"""

from __future__ import annotations

from schemas.events import (
    ApplicationReceived,
    ApplicationWithdrawn,
    AppointmentChanged,
    AppointmentEnded,
    AppointmentIssued,
    CallOpened,
    CompanyVisitMade,
    CoordinationHeld,
    EngagementClosed,
    EngagementResumed,
    EngagementStalled,
    EngagementWithdrawn,
    FinalReportDue,
    FundingApplicationSupported,
    IntroductionMade,
    KickoffHeld,
    MemberJoined,
    MemberLeft,
    MunicipalityApplied,
    OfficialRef,
    OfficialRegistered,
    OfficialVolunteered,
    OnlineMeetingHeld,
    OutcomeRecorded,
    Payload,
    PeriodSummarised,
    PolicyFeedbackRecorded,
    ReportSubmitted,
    SiteVisitMade,
    SupportFlowRecorded,
    SupportThemesChanged,
    SurveyAnswered,
    TeamAssigned,
    TravelBudgetAllocated,
    TravelPlanned,
    TravelRatesDefined,
    TravelSettled,
    travel_key,
)
from schemas.text import compared
from services.graph.projection.period import period_number

READ = "read"
WRITE = "write"
RECORD = "record"

Footprint = dict[str, str] | None  # key → READ, WRITE or RECORD; None: a barrier


def commute(a: str, b: str) -> bool:
    """Whether two touches of one key commute: reads with reads, records with records."""
    return a == b and a != WRITE


def _officials(ids: list[str], how: str) -> dict[str, str]:
    return {f"official:{i}": how for i in ids}


def _placed(officials: list[OfficialRef]) -> dict[str, str]:
    """Officials written with their ministry's units (TeamAssigned, MemberJoined, OfficialRegistered)."""
    return _officials([o.official_id for o in officials], WRITE) | {
        f"units:{compared(o.ministry)}": WRITE for o in officials
    }


def footprint(payload: Payload, subject: str) -> Footprint:
    """The keys the projection of `payload` (an event of stream `subject`) touches order-sensitively."""
    stream = f"stream:{subject}"
    match payload:
        case OnlineMeetingHeld() | SiteVisitMade() | CompanyVisitMade() | CoordinationHeld():
            people = [*payload.participant_ids, *([payload.led_by] if payload.led_by else [])]
            return {stream: RECORD} | _officials(people, READ)
        case OutcomeRecorded():
            return {stream: RECORD} | _officials(payload.contributor_ids, READ)
        case IntroductionMade():
            return {stream: RECORD} | _officials([payload.by_official_id] if payload.by_official_id else [], READ)
        case SurveyAnswered():
            return {stream: RECORD} | _officials([payload.official_id], READ)
        case ReportSubmitted() | SupportFlowRecorded() | PolicyFeedbackRecorded():
            return {stream: RECORD}
        case FundingApplicationSupported():
            return {stream: RECORD, f"funding:{subject}:{payload.programme}": WRITE}
        case MunicipalityApplied():
            return {stream: WRITE, f"municipality:{payload.municipality_code}": WRITE}
        case ApplicationReceived():
            return {stream: WRITE, f"municipality:{payload.application.municipality_code}": WRITE}
        case TeamAssigned():
            return {stream: WRITE} | _placed(payload.officials)
        case MemberJoined() | OfficialRegistered():
            return {stream: WRITE} | _placed([payload.official])
        case MemberLeft():
            return {stream: WRITE} | _officials([payload.official_id], READ)
        case OfficialVolunteered():
            return {stream: WRITE} | _officials([payload.official.official_id], WRITE)
        case CallOpened():
            return {stream: WRITE, f"period:{payload.period}": WRITE}
        case PeriodSummarised():
            return {stream: WRITE, f"period:{period_number(subject)}": WRITE}
        case AppointmentIssued():
            return {f"appointment:{period_number(subject)}:{payload.official.official_id}": WRITE}
        case AppointmentChanged() | AppointmentEnded():
            return {f"appointment:{period_number(subject)}:{payload.official_id}": WRITE}
        case TravelPlanned() | TravelSettled():
            return {f"travel:{travel_key(payload.visit_event_id, payload.official_id)}": WRITE}
        case TravelBudgetAllocated():
            return {f"budget:{period_number(subject)}": WRITE}
        case TravelRatesDefined():
            return {f"rates:{payload.rates_id}": WRITE}
        case (
            KickoffHeld()
            | EngagementClosed()
            | EngagementWithdrawn()
            | ApplicationWithdrawn()
            | SupportThemesChanged()
            | EngagementStalled()
            | EngagementResumed()
            | FinalReportDue()
        ):
            return {stream: WRITE}
        case _:
            return None
