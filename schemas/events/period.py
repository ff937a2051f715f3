"""Events of one programme period (第N期): the call, the intake, the matching proposal and its review."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.events.base import OfficialRef, Payload
from schemas.events.engagement import MunicipalityApplied
from schemas.events.reference import Seniority
from schemas.matching import Pairing, Proposal, Weights
from schemas.rules import broken
from schemas.text import MunicipalityCode, Name, Text


class CallOpened(Payload):
    """募集開始 — the Cabinet Office opened the call for one period."""

    event_type: Literal["CallOpened"] = "CallOpened"
    period: int = Field(ge=1, le=99, description="期 (第N期)")
    opens_on: date = Field(description="募集開始日")
    closes_on: date = Field(description="募集締切日")
    min_team_size: int = Field(default=2, ge=1, le=5, description="チームの最少人数")
    max_team_size: int = Field(default=3, ge=1, le=5, description="チームの最多人数")
    themes_on_offer: list[Name] = Field(default_factory=list, max_length=50, description="募集する支援テーマ")
    ends_on: date | None = Field(default=None, description="期の終了日 (翌日 0時 JST に自動で集計)")

    @model_validator(mode="after")
    def _ordered(self) -> CallOpened:
        if self.closes_on < self.opens_on:
            raise broken("closes_before_opens", "closes_on must not be before opens_on")
        if self.ends_on is not None and self.ends_on < self.closes_on:
            raise broken("ends_before_closes", "ends_on must not be before closes_on")
        if self.min_team_size > self.max_team_size:
            raise broken("team_size_order", "min_team_size must not exceed max_team_size")
        return self


class OfficialVolunteered(Payload):
    """支援官の応募 — a national official volunteered for the period, with what they bring."""

    event_type: Literal["OfficialVolunteered"] = "OfficialVolunteered"
    official: OfficialRef
    seniority: Seniority = Field(default=Seniority.MID, description="若手 / 中堅 / シニア")
    hometown: Name | None = Field(default=None, description="出身の都道府県")
    preferred_regions: list[Name] = Field(default_factory=list, max_length=47, description="希望する都道府県")
    expertise: list[Name] = Field(default_factory=list, max_length=30, description="専門・経験")
    preferred_themes: list[Name] = Field(default_factory=list, max_length=10, description="希望する支援テーマ")
    capacity: int = Field(default=1, ge=1, le=3, description="担当できるチーム数")
    volunteered_on: date | None = Field(default=None, description="応募日")


class ApplicationReceived(Payload):
    """市町村の応募受付 — the period received a municipality's application (its engagement starts on approval)."""

    event_type: Literal["ApplicationReceived"] = "ApplicationReceived"
    application: MunicipalityApplied


class IntakeClosed(Payload):
    """募集締切 — no more applications or volunteers for this period."""

    event_type: Literal["IntakeClosed"] = "IntakeClosed"
    closed_on: date = Field(description="締切日")


class MatchingProposed(Payload):
    """マッチング案 — the optimiser's proposal, with the locks and exclusions it honoured."""

    event_type: Literal["MatchingProposed"] = "MatchingProposed"
    run: int = Field(ge=1, description="何回目の実行か")
    weights: Weights
    locked: list[Pairing] = Field(default_factory=list)
    excluded: list[str] = Field(default_factory=list)
    proposal: Proposal


class EditAction(StrEnum):
    """What a reviewer did to the proposal."""

    SWAP = "swap"  # 二人の支援官を入れ替える
    MOVE = "move"  # 支援官を別のチームへ移す
    LOCK = "lock"  # この組合せを固定する (再実行でも維持)
    UNLOCK = "unlock"  # 固定を外す
    EXCLUDE = "exclude"  # この支援官を使わない (再実行が必要)
    INCLUDE = "include"  # 除外を取り消す


class ProposalEdited(Payload):
    """マッチング案の修正 — one reviewer decision on the proposal, always with its reason."""

    event_type: Literal["ProposalEdited"] = "ProposalEdited"
    action: EditAction
    official_id: str = Field(min_length=1, max_length=100, description="対象の支援官ID")
    other_official_id: str | None = Field(default=None, max_length=100, description="swap の相手")
    municipality_code: MunicipalityCode | None = Field(default=None, description="move の移動先 / lock の市町村")
    reason: Text = Field(description="判断の理由")

    @model_validator(mode="after")
    def _fields_for_action(self) -> ProposalEdited:
        if self.action is EditAction.SWAP and not self.other_official_id:
            raise broken("swap_needs_other", "swap needs other_official_id")
        needs_place = self.action in (EditAction.MOVE, EditAction.LOCK, EditAction.UNLOCK)
        if needs_place and not self.municipality_code:
            raise broken("action_needs_municipality", "{action} needs municipality_code", action=self.action.value)
        return self


class ApprovedTeam(BaseModel):
    """One team exactly as approved."""

    model_config = ConfigDict(frozen=True)
    municipality_code: str
    officials: list[OfficialRef]


class ProposalApproved(Payload):
    """マッチング決定 — a person approved the teams; each engagement starts with its team."""

    event_type: Literal["ProposalApproved"] = "ProposalApproved"
    approved_on: date = Field(description="決定日")
    teams: list[ApprovedTeam] = Field(min_length=1, description="決定したチーム")


class StartedEngagement(BaseModel):
    """One engagement the approval started (or found already started)."""

    model_config = ConfigDict(frozen=True)
    engagement_id: str
    municipality_code: str
    team_event_id: str | None = Field(default=None, description="TeamAssigned のイベントID")
    problem: str | None = Field(default=None, description="開始できなかった理由")


class EngagementsStarted(Payload):
    """伴走支援の開始 — the engagements the approval started, each with its team event."""

    event_type: Literal["EngagementsStarted"] = "EngagementsStarted"
    engagements: list[StartedEngagement]


class PeriodFigures(BaseModel):
    """支援状況と支援官の声 — the period's figures as the programme publishes them."""

    model_config = ConfigDict(frozen=True)
    officials: int = Field(description="支援官 (名)")
    teams: int = Field(description="チーム数")
    municipalities: int = Field(description="市町村数")
    engagements_by_stage: dict[str, int] = Field(default_factory=dict)
    online_meetings: int = 0
    site_visits: int = 0
    company_visits: int = 0
    outcomes_by_status: dict[str, int] = Field(default_factory=dict)
    survey_answers: int = Field(default=0, description="支援官の声の回答数")
    field_experience_pct: float | None = Field(default=None, description="現場経験が得られた (%)")
    diverse_team_pct: float | None = Field(default=None, description="多様な人材によるチームが良かった (%)")
    useful_for_ministry_work_pct: float | None = Field(default=None, description="国の業務に活かせる (%)")


class PeriodSummarised(Payload):
    """期の集計 — the period's figures as of a day, computed from the recorded events."""

    event_type: Literal["PeriodSummarised"] = "PeriodSummarised"
    as_of: date = Field(description="集計日")
    figures: PeriodFigures = Field(description="集計値")
