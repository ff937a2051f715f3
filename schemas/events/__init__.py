"""Engagement events (payloads). Each accepted command becomes exactly one of these.

Payloads are frozen and versioned; the envelope that carries them lives in `schemas.envelope`, and
older versions are upcast on read (`schemas.upcasters`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from schemas.events.activities import (
    ActivityKind,
    ActivityPayload,
    CompanyVisitMade,
    CoordinationHeld,
    IntroductionKind,
    IntroductionMade,
    OnlineMeetingHeld,
    SiteVisitMade,
)
from schemas.events.alerts import EngagementResumed, EngagementStalled, FinalReportDue
from schemas.events.appointments import AppointmentChanged, AppointmentEnded, AppointmentEndReason, AppointmentIssued
from schemas.events.base import BodyKind, BodyRef, OfficialRef, Payload
from schemas.events.corrections import CORRECTABLE_TYPES, CorrectablePayload, EventCorrected, EventRetracted
from schemas.events.engagement import (
    ApplicationWithdrawn,
    EngagementClosed,
    EngagementWithdrawn,
    KickoffHeld,
    LeaveReason,
    MemberJoined,
    MemberLeft,
    MunicipalityApplied,
    SupportFlowRecorded,
    SupportThemesChanged,
    TeamAssigned,
)
from schemas.events.period import (
    ApplicationReceived,
    ApprovedTeam,
    CallOpened,
    EditAction,
    EngagementsStarted,
    IntakeClosed,
    MatchingProposed,
    OfficialVolunteered,
    PeriodFigures,
    PeriodSummarised,
    ProposalApproved,
    ProposalEdited,
    StartedEngagement,
)
from schemas.events.reference import (
    BodyDefined,
    ListedMunicipality,
    MunicipalitiesListed,
    MunicipalityKind,
    OfficialPostChanged,
    OfficialRegistered,
    Seniority,
    TravelRatesDefined,
)
from schemas.events.repair import StreamRepaired
from schemas.events.results import (
    FundingApplicationStatus,
    FundingApplicationSupported,
    OutcomeKind,
    OutcomeRecorded,
    OutcomeStatus,
    PolicyFeedbackRecorded,
    ReportKind,
    ReportSubmitted,
    SurveyAnswered,
)
from schemas.events.travel import (
    TRAVEL_VISITS,
    TeamShare,
    TravelBudgetAllocated,
    TravelPlanned,
    TravelSettled,
    travel_key,
)

ALL_PAYLOADS: tuple[type[Payload], ...] = (
    MunicipalityApplied,
    ApplicationWithdrawn,
    TeamAssigned,
    MemberJoined,
    MemberLeft,
    KickoffHeld,
    SupportThemesChanged,
    SupportFlowRecorded,
    OnlineMeetingHeld,
    SiteVisitMade,
    CompanyVisitMade,
    CoordinationHeld,
    IntroductionMade,
    FundingApplicationSupported,
    OutcomeRecorded,
    ReportSubmitted,
    SurveyAnswered,
    PolicyFeedbackRecorded,
    EngagementStalled,
    EngagementResumed,
    FinalReportDue,
    EngagementClosed,
    EngagementWithdrawn,
    EventCorrected,
    EventRetracted,
    OfficialRegistered,
    OfficialPostChanged,
    BodyDefined,
    MunicipalitiesListed,
    CallOpened,
    OfficialVolunteered,
    ApplicationReceived,
    IntakeClosed,
    MatchingProposed,
    ProposalEdited,
    ProposalApproved,
    EngagementsStarted,
    PeriodSummarised,
    StreamRepaired,
    TravelPlanned,
    TravelSettled,
    TravelRatesDefined,
    AppointmentIssued,
    AppointmentChanged,
    AppointmentEnded,
    TravelBudgetAllocated,
)

PAYLOAD_TYPES: dict[str, type[Payload]] = {cls.model_fields["event_type"].default: cls for cls in ALL_PAYLOADS}

EngagementPayload = Annotated[
    MunicipalityApplied
    | ApplicationWithdrawn
    | TeamAssigned
    | MemberJoined
    | MemberLeft
    | KickoffHeld
    | SupportThemesChanged
    | SupportFlowRecorded
    | OnlineMeetingHeld
    | SiteVisitMade
    | CompanyVisitMade
    | CoordinationHeld
    | IntroductionMade
    | FundingApplicationSupported
    | OutcomeRecorded
    | ReportSubmitted
    | SurveyAnswered
    | PolicyFeedbackRecorded
    | EngagementStalled
    | EngagementResumed
    | FinalReportDue
    | EngagementClosed
    | EngagementWithdrawn
    | EventCorrected
    | EventRetracted
    | TravelPlanned
    | TravelSettled,
    Field(discriminator="event_type"),
]


ReferencePayload = Annotated[
    OfficialRegistered | OfficialPostChanged | BodyDefined | MunicipalitiesListed | TravelRatesDefined,
    Field(discriminator="event_type"),
]


PeriodPayload = Annotated[
    CallOpened
    | OfficialVolunteered
    | ApplicationReceived
    | IntakeClosed
    | MatchingProposed
    | ProposalEdited
    | ProposalApproved
    | EngagementsStarted
    | PeriodSummarised
    | AppointmentIssued
    | AppointmentChanged
    | AppointmentEnded
    | TravelBudgetAllocated,
    Field(discriminator="event_type"),
]


def parse_payload(event_type: str, data: dict[str, Any]) -> Payload:
    """Read a stored payload as its current model, upcasting older schema versions."""
    try:
        cls = PAYLOAD_TYPES[event_type]
    except KeyError as err:
        raise ValueError(f"unknown event type {event_type!r}") from err
    return cls.model_validate(data)


__all__ = [
    "ALL_PAYLOADS",
    "CORRECTABLE_TYPES",
    "PAYLOAD_TYPES",
    "TRAVEL_VISITS",
    "ActivityKind",
    "ActivityPayload",
    "ApplicationReceived",
    "ApplicationWithdrawn",
    "AppointmentChanged",
    "AppointmentEndReason",
    "AppointmentEnded",
    "AppointmentIssued",
    "ApprovedTeam",
    "BodyDefined",
    "BodyKind",
    "BodyRef",
    "CallOpened",
    "CompanyVisitMade",
    "CoordinationHeld",
    "CorrectablePayload",
    "EditAction",
    "EngagementClosed",
    "EngagementPayload",
    "EngagementResumed",
    "EngagementStalled",
    "EngagementWithdrawn",
    "EngagementsStarted",
    "EventCorrected",
    "EventRetracted",
    "FinalReportDue",
    "FundingApplicationStatus",
    "FundingApplicationSupported",
    "IntakeClosed",
    "IntroductionKind",
    "IntroductionMade",
    "KickoffHeld",
    "LeaveReason",
    "ListedMunicipality",
    "MatchingProposed",
    "MemberJoined",
    "MemberLeft",
    "MunicipalitiesListed",
    "MunicipalityApplied",
    "MunicipalityKind",
    "OfficialPostChanged",
    "OfficialRef",
    "OfficialRegistered",
    "OfficialVolunteered",
    "OnlineMeetingHeld",
    "OutcomeKind",
    "OutcomeRecorded",
    "OutcomeStatus",
    "Payload",
    "PeriodFigures",
    "PeriodPayload",
    "PeriodSummarised",
    "PolicyFeedbackRecorded",
    "ProposalApproved",
    "ProposalEdited",
    "ReferencePayload",
    "ReportKind",
    "ReportSubmitted",
    "Seniority",
    "SiteVisitMade",
    "StartedEngagement",
    "StreamRepaired",
    "SupportFlowRecorded",
    "SupportThemesChanged",
    "SurveyAnswered",
    "TeamAssigned",
    "TeamShare",
    "TravelBudgetAllocated",
    "TravelPlanned",
    "TravelRatesDefined",
    "TravelSettled",
    "parse_payload",
    "travel_key",
]
