"""What the API hands to the engagement workflow: a payload plus who asked and under which trace."""

from __future__ import annotations

import hashlib
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.events import (
    ApplicationWithdrawn,
    BodyDefined,
    CompanyVisitMade,
    CoordinationHeld,
    EngagementClosed,
    EngagementWithdrawn,
    EventCorrected,
    EventRetracted,
    FundingApplicationSupported,
    IntroductionMade,
    KickoffHeld,
    MemberJoined,
    MemberLeft,
    MunicipalitiesListed,
    MunicipalityApplied,
    OfficialPostChanged,
    OfficialRegistered,
    OnlineMeetingHeld,
    OutcomeRecorded,
    PolicyFeedbackRecorded,
    ReportSubmitted,
    SiteVisitMade,
    StreamRepaired,
    SupportFlowRecorded,
    SupportThemesChanged,
    SurveyAnswered,
    TeamAssigned,
    TravelPlanned,
    TravelRatesDefined,
    TravelSettled,
)
from schemas.views import EngagementState, EventReceipt, StreamReceipt

P = TypeVar("P")


class CommandMeta(BaseModel):
    """Who issued a command and the trace it belongs to."""

    model_config = ConfigDict(frozen=True)
    actor: str = Field(min_length=1, max_length=200)
    trace_id: str | None = None


class Command(BaseModel, Generic[P]):
    """One command for the engagement workflow (a Temporal Update input)."""

    model_config = ConfigDict(frozen=True)
    meta: CommandMeta
    payload: P


class CarriedState(BaseModel):
    """What one run of an engagement hands to the next across continue-as-new."""

    model_config = ConfigDict(frozen=True)
    state: EngagementState
    receipts: dict[str, EventReceipt] = Field(
        default_factory=dict, description="Answers to recent update ids, so retries stay idempotent"
    )


class EngagementStart(BaseModel):
    """Input of EngagementWorkflow.run: identity, the timing rules, and any state carried over."""

    model_config = ConfigDict(frozen=True)
    engagement_id: str
    period: int
    municipality_code: str
    prefecture: str
    stall_after_s: float = Field(default=30 * 86400, gt=0, description="No contact for this long → stalled")
    report_reminder_s: float = Field(default=14 * 86400, ge=0, description="Remind this long before the due date")
    max_history_events: int = Field(default=10_000, ge=100, description="Continue-as-new beyond this history")
    carried: CarriedState | None = None


ApplyCommand = Command[MunicipalityApplied]
AssignTeamCommand = Command[TeamAssigned]
KickoffCommand = Command[KickoffHeld]
ActivityCommand = Command[OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade]
OutcomeCommand = Command[OutcomeRecorded]
CloseCommand = Command[EngagementClosed]
WithdrawCommand = Command[EngagementWithdrawn]
WithdrawApplicationCommand = Command[ApplicationWithdrawn]
MemberJoinCommand = Command[MemberJoined]
MemberLeaveCommand = Command[MemberLeft]
ThemesCommand = Command[SupportThemesChanged]
SupportFlowCommand = Command[SupportFlowRecorded]
CoordinationCommand = Command[CoordinationHeld]
IntroductionCommand = Command[IntroductionMade]
FundingCommand = Command[FundingApplicationSupported]
ReportCommand = Command[ReportSubmitted]
SurveyCommand = Command[SurveyAnswered]
FeedbackCommand = Command[PolicyFeedbackRecorded]
RepairCommand = Command[StreamRepaired]
CorrectCommand = Command[EventCorrected]
RetractCommand = Command[EventRetracted]
TravelPlanCommand = Command[TravelPlanned]
TravelSettleCommand = Command[TravelSettled]


def engagement_id_for(period: int, municipality_code: str) -> str:
    """The workflow id (and event stream) of one municipality's engagement in one period."""
    return f"engagement-{period}-{municipality_code}"


ReferenceCommand = Command[
    OfficialRegistered | OfficialPostChanged | BodyDefined | MunicipalitiesListed | TravelRatesDefined
]


class ReferenceStart(BaseModel):
    """Input of ReferenceStreamWorkflow.run: the stream, and its head when continued-as-new."""

    model_config = ConfigDict(frozen=True)
    subject: str
    last_sequence: int = 0
    head_hash: str | None = None
    registered: bool = False
    receipts: dict[str, StreamReceipt] = Field(default_factory=dict)
    max_history_events: int = Field(default=10_000, ge=100)


def official_stream(official_id: str) -> str:
    """The stream (and workflow id) of one official's reference data."""
    return f"reference-{official_id}"


def body_stream(kind: str, name: str) -> str:
    """The stream (and workflow id) of one body or programme; the name is hashed to keep ids ASCII."""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    return f"reference-body-{kind}-{digest}"


def prefecture_stream(prefecture_code: str) -> str:
    """The stream (and workflow id) of one prefecture's list of 市町村."""
    return f"reference-prefecture-{prefecture_code}"


def rates_stream(rates_id: str) -> str:
    """The stream (and workflow id) of one table of travel rates (旅費の基準額)."""
    return f"reference-travel-rates-{rates_id}"
