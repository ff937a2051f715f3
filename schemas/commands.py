"""What the API hands to the engagement workflow: a payload plus who asked and under which trace."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.events import (
    CompanyVisitMade,
    EngagementClosed,
    EngagementWithdrawn,
    KickoffHeld,
    MunicipalityApplied,
    OnlineMeetingHeld,
    OutcomeRecorded,
    SiteVisitMade,
    TeamAssigned,
)

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


class EngagementStart(BaseModel):
    """Input of EngagementWorkflow.run: enough to set the search attributes before the first event."""

    model_config = ConfigDict(frozen=True)
    engagement_id: str
    period: int
    municipality_code: str
    prefecture: str


ApplyCommand = Command[MunicipalityApplied]
AssignTeamCommand = Command[TeamAssigned]
KickoffCommand = Command[KickoffHeld]
ActivityCommand = Command[OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade]
OutcomeCommand = Command[OutcomeRecorded]
CloseCommand = Command[EngagementClosed]
WithdrawCommand = Command[EngagementWithdrawn]


def engagement_id_for(period: int, municipality_code: str) -> str:
    """The workflow id (and event stream) of one municipality's engagement in one period."""
    return f"engagement-{period}-{municipality_code}"
