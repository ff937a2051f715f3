"""Events that move an engagement through its lifecycle: application, team, kickoff, themes, end."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from schemas.events.base import OfficialRef, Payload, check_people
from schemas.rules import broken
from schemas.text import MunicipalityCode, Name, Text, compared


class MunicipalityApplied(Payload):
    """応募 — a municipality applied to the programme for one period.

    v2: `challenge_heading`, the ○ heading of the report's 市の課題; v1 events read without one.
    """

    event_type: Literal["MunicipalityApplied"] = "MunicipalityApplied"
    schema_version: int = 2
    period: int = Field(ge=1, le=99, description="期 (第N期)")
    municipality_code: MunicipalityCode = Field(description="全国地方公共団体コード (6桁)")
    municipality_name: Name = Field(description="市町村名")
    prefecture: Name = Field(description="都道府県名")
    population: int | None = Field(default=None, ge=0, description="人口")
    population_as_of: date | None = Field(default=None, description="人口の基準日")
    mayor: Name | None = Field(default=None, description="首長")
    challenge_heading: Name | None = Field(
        default=None, description="市の課題の見出し ○ (例: 全国的な人口減少と大規模林野火災)"
    )
    challenges: list[Text] = Field(default_factory=list, max_length=20, description="市の課題")
    desired_themes: list[Name] = Field(default_factory=list, max_length=10, description="希望する支援テーマ")
    applied_on: date | None = Field(default=None, description="応募日")


class ApplicationWithdrawn(Payload):
    """応募取下げ — the municipality withdrew its application before a team was formed."""

    event_type: Literal["ApplicationWithdrawn"] = "ApplicationWithdrawn"
    withdrawn_on: date = Field(description="取下げ日")
    reason: Text = Field(description="理由")


class TeamAssigned(Payload):
    """マッチング — a mixed-ministry team of 2–3 officials was formed for the engagement."""

    event_type: Literal["TeamAssigned"] = "TeamAssigned"
    officials: list[OfficialRef] = Field(min_length=2, max_length=3, description="支援官 (2〜3名)")
    assigned_on: date | None = Field(default=None, description="編成日")

    @model_validator(mode="after")
    def _mixed_ministries(self) -> TeamAssigned:
        ministries = [compared(o.ministry) for o in self.officials]  # ＭＥＴＩ and METI are one ministry
        if len(set(ministries)) != len(ministries):
            raise broken("ministries_not_distinct", "team members must come from distinct ministries")
        check_people([o.official_id for o in self.officials])
        return self


class MemberJoined(Payload):
    """支援官の追加 — an official joined the team mid-way."""

    event_type: Literal["MemberJoined"] = "MemberJoined"
    official: OfficialRef
    joined_on: date = Field(description="参加日")
    override_reason: Text | None = Field(
        default=None, description="チーム編成ルール (2〜3名・府省庁の重複なし) を外れる場合の理由"
    )


class LeaveReason(StrEnum):
    """Why an official left a team."""

    TRANSFER = "transfer"  # 人事異動
    WORKLOAD = "workload"  # 本務多忙
    OTHER = "other"


class MemberLeft(Payload):
    """支援官の離脱 — an official left the team (人事異動, 本務多忙, …)."""

    event_type: Literal["MemberLeft"] = "MemberLeft"
    official_id: str = Field(min_length=1, max_length=100, description="支援官ID")
    left_on: date = Field(description="離脱日")
    reason: LeaveReason = Field(description="理由 (transfer=人事異動, workload=本務多忙, other)")
    note: Text | None = None
    override_reason: Text | None = Field(default=None, description="チーム編成ルールを外れる場合の理由")


class KickoffHeld(Payload):
    """キックオフ — the support themes (支援テーマ) were agreed at the first meeting."""

    event_type: Literal["KickoffHeld"] = "KickoffHeld"
    held_on: date = Field(description="開催日")
    title: Text = Field(description="支援の題目")
    themes: list[Name] = Field(min_length=1, max_length=5, description="支援テーマ")
    final_report_due: date | None = Field(default=None, description="最終報告の期限")


class SupportThemesChanged(Payload):
    """支援テーマの変更 — the agreed themes changed after the first months."""

    event_type: Literal["SupportThemesChanged"] = "SupportThemesChanged"
    changed_on: date = Field(description="変更日")
    themes: list[Name] = Field(min_length=1, max_length=5, description="新しい支援テーマ")
    reason: Text | None = None


class SupportFlowRecorded(Payload):
    """支援の流れ — how the team supports one area of the municipality's work (the report's 支援の流れ)."""

    event_type: Literal["SupportFlowRecorded"] = "SupportFlowRecorded"
    recorded_on: date = Field(description="記録日")
    area: Name = Field(description="取組 (例: 産業振興・企業誘致等の取組)")
    description: Text = Field(description="支援の内容")
    actions: list[Text] = Field(default_factory=list, max_length=20, description="具体的な支援")


class EngagementClosed(Payload):
    """終了 — the engagement ended normally."""

    event_type: Literal["EngagementClosed"] = "EngagementClosed"
    closed_on: date
    summary: Text | None = None


class EngagementWithdrawn(Payload):
    """辞退・取下げ — the engagement was withdrawn before it ended."""

    event_type: Literal["EngagementWithdrawn"] = "EngagementWithdrawn"
    withdrawn_on: date
    reason: Text
