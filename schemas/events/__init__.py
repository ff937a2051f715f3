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
from schemas.events.base import BodyKind, BodyRef, OfficialRef, Payload
from schemas.events.engagement import (
    ApplicationWithdrawn,
    EngagementClosed,
    EngagementWithdrawn,
    KickoffHeld,
    LeaveReason,
    MemberJoined,
    MemberLeft,
    MunicipalityApplied,
    SupportThemesChanged,
    TeamAssigned,
)
from schemas.events.reference import (
    BodyDefined,
    ListedMunicipality,
    MunicipalitiesListed,
    MunicipalityKind,
    OfficialPostChanged,
    OfficialRegistered,
    Seniority,
)
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

ALL_PAYLOADS: tuple[type[Payload], ...] = (
    MunicipalityApplied,
    ApplicationWithdrawn,
    TeamAssigned,
    MemberJoined,
    MemberLeft,
    KickoffHeld,
    SupportThemesChanged,
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
    OfficialRegistered,
    OfficialPostChanged,
    BodyDefined,
    MunicipalitiesListed,
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
    | EngagementWithdrawn,
    Field(discriminator="event_type"),
]


ReferencePayload = Annotated[
    OfficialRegistered | OfficialPostChanged | BodyDefined | MunicipalitiesListed,
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
    "PAYLOAD_TYPES",
    "ActivityKind",
    "ActivityPayload",
    "ApplicationWithdrawn",
    "BodyDefined",
    "BodyKind",
    "BodyRef",
    "CompanyVisitMade",
    "CoordinationHeld",
    "EngagementClosed",
    "EngagementPayload",
    "EngagementResumed",
    "EngagementStalled",
    "EngagementWithdrawn",
    "FinalReportDue",
    "FundingApplicationStatus",
    "FundingApplicationSupported",
    "IntroductionKind",
    "IntroductionMade",
    "KickoffHeld",
    "LeaveReason",
    "ListedMunicipality",
    "MemberJoined",
    "MemberLeft",
    "MunicipalitiesListed",
    "MunicipalityApplied",
    "MunicipalityKind",
    "OfficialPostChanged",
    "OfficialRef",
    "OfficialRegistered",
    "OnlineMeetingHeld",
    "OutcomeKind",
    "OutcomeRecorded",
    "OutcomeStatus",
    "Payload",
    "PolicyFeedbackRecorded",
    "ReferencePayload",
    "ReportKind",
    "ReportSubmitted",
    "Seniority",
    "SiteVisitMade",
    "SupportThemesChanged",
    "SurveyAnswered",
    "TeamAssigned",
    "parse_payload",
]
