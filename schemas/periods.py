"""A programme period (第N期): the workflow's state, its receipts and the bodies of its commands."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from schemas.events import (
    CallOpened,
    MunicipalityApplied,
    OfficialVolunteered,
    PeriodFigures,
    StartedEngagement,
)
from schemas.matching import Pairing, Proposal, Weights
from schemas.views import StreamReceipt


class PeriodPhase(StrEnum):
    """募集前 → 募集中 → 締切 → マッチング案 → 決定."""

    NEW = "new"
    OPEN = "open"
    INTAKE_CLOSED = "intake_closed"
    PROPOSED = "proposed"
    APPROVED = "approved"


class AppointmentState(BaseModel):
    """One official's 併任 in this period as the workflow knows it (the latest appointment)."""

    model_config = ConfigDict(frozen=True)
    official_id: str
    event_id: str = Field(description="発令のイベントID")
    appointed_on: date
    team_codes: list[str]
    changed_on: date | None = None
    ended_on: date | None = None

    @property
    def active(self) -> bool:
        """Not ended (解除) yet."""
        return self.ended_on is None


class PeriodState(BaseModel):
    """Everything the PeriodWorkflow knows, folded from the period's events."""

    model_config = ConfigDict(frozen=True)
    period: int
    phase: PeriodPhase = PeriodPhase.NEW
    call: CallOpened | None = None
    volunteers: dict[str, OfficialVolunteered] = Field(default_factory=dict, description="支援官ID → 応募")
    applications: dict[str, MunicipalityApplied] = Field(default_factory=dict, description="団体コード → 応募")
    runs: int = Field(default=0, description="マッチングの実行回数")
    proposal: Proposal | None = Field(default=None, description="最新のマッチング案 (修正前)")
    teams: dict[str, list[str]] = Field(default_factory=dict, description="団体コード → 支援官ID (修正後)")
    locked: list[Pairing] = Field(default_factory=list)
    excluded: list[str] = Field(default_factory=list)
    edits: int = Field(default=0, description="修正の件数")
    approved_on: date | None = None
    started: list[StartedEngagement] = Field(default_factory=list)
    figures: PeriodFigures | None = None
    figures_as_of: date | None = None
    appointments: dict[str, AppointmentState] = Field(default_factory=dict, description="支援官ID → 併任")
    travel_budget_yen: int | None = Field(default=None, description="支援旅費の予算 (円)")
    last_sequence: int = 0
    head_hash: str | None = None

    @property
    def min_team_size(self) -> int:
        """The call's smallest team (2 unless the call says otherwise)."""
        return self.call.min_team_size if self.call else 2

    @property
    def max_team_size(self) -> int:
        """The call's largest team (3 unless the call says otherwise)."""
        return self.call.max_team_size if self.call else 3


class MatchingRunRequest(BaseModel):
    """POST /periods/{n}/matching-runs: the weights and the solver's deterministic time budget."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    weights: Weights = Weights()
    max_deterministic_time: float = Field(default=20.0, gt=0, le=600, description="CP-SAT の決定的時間の上限")


class ApprovalRequest(BaseModel):
    """POST /periods/{n}/proposal/approval."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    approved_on: date = Field(description="決定日")


class SummaryRequest(BaseModel):
    """POST /periods/{n}/summary."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    as_of: date = Field(description="集計日")


class PeriodReceipt(StreamReceipt):
    """The answer to an accepted period command, with the phase it left the period in."""

    phase: PeriodPhase
