"""Engagement events (payloads). Each accepted command becomes exactly one of these.

Payloads are frozen and versioned; the envelope that carries them lives in `schemas.envelope`.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.text import MunicipalityCode, Name, Text

OFFICIAL_NAMESPACE = uuid.UUID("6f1c3f0e-8a57-4d0b-9a43-0d7e3f4b6a11")


class Payload(BaseModel):
    """Base of every event payload: frozen, strict about unknown fields, versioned."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    schema_version: int = 1


class MunicipalityApplied(Payload):
    """応募 — a municipality applied to the programme for one period."""

    event_type: Literal["MunicipalityApplied"] = "MunicipalityApplied"
    period: int = Field(ge=1, le=99, description="期 (第N期)")
    municipality_code: MunicipalityCode = Field(description="全国地方公共団体コード (6桁)")
    municipality_name: Name = Field(description="市町村名")
    prefecture: Name = Field(description="都道府県名")
    population: int | None = Field(default=None, ge=0, description="人口")
    population_as_of: date | None = Field(default=None, description="人口の基準日")
    mayor: Name | None = Field(default=None, description="首長")
    challenges: list[Text] = Field(default_factory=list, max_length=20, description="市の課題")
    desired_themes: list[Name] = Field(default_factory=list, max_length=10, description="希望する支援テーマ")
    applied_on: date | None = Field(default=None, description="応募日")


class OfficialRef(BaseModel):
    """地方創生支援官 — a national official as appointed to one team."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    official_id: str = Field(default="", description="支援官ID (省略時は府省庁と氏名から決まる)")
    name: Name = Field(description="氏名")
    ministry: Name = Field(description="所属府省庁 (チームで代表する府省庁)")
    bureau: Name | None = Field(default=None, description="局・部")
    division: Name | None = Field(default=None, description="課・室")
    post: Name | None = Field(default=None, description="役職")
    seconded_from: Name | None = Field(default=None, description="出向元省庁")

    @model_validator(mode="after")
    def _derive_id(self) -> OfficialRef:
        if not self.official_id:
            derived = uuid.uuid5(OFFICIAL_NAMESPACE, f"{self.ministry}/{self.name}")
            object.__setattr__(self, "official_id", f"official-{derived}")
        return self


class TeamAssigned(Payload):
    """マッチング — a mixed-ministry team of 2–3 officials was formed for the engagement."""

    event_type: Literal["TeamAssigned"] = "TeamAssigned"
    officials: list[OfficialRef] = Field(min_length=2, max_length=3, description="支援官 (2〜3名)")
    assigned_on: date | None = Field(default=None, description="編成日")

    @model_validator(mode="after")
    def _mixed_ministries(self) -> TeamAssigned:
        ministries = [o.ministry for o in self.officials]
        if len(set(ministries)) != len(ministries):
            raise ValueError(
                "チームは異なる府省庁の支援官で編成してください / team members must come from distinct ministries"
            )
        ids = [o.official_id for o in self.officials]
        if len(set(ids)) != len(ids):
            raise ValueError("同じ支援官が重複しています / the same official is listed twice")
        return self


class KickoffHeld(Payload):
    """キックオフ — the support themes (支援テーマ) were agreed at the first meeting."""

    event_type: Literal["KickoffHeld"] = "KickoffHeld"
    held_on: date = Field(description="開催日")
    title: Text = Field(description="支援の題目")
    themes: list[Name] = Field(min_length=1, max_length=5, description="支援テーマ")


class ActivityKind(StrEnum):
    """The kinds of activity the seed's 活動実績 counts."""

    ONLINE_MEETING = "online_meeting"
    SITE_VISIT = "site_visit"
    COMPANY_VISIT = "company_visit"


class _ActivityPayload(Payload):
    start_date: date = Field(description="開始日")
    end_date: date | None = Field(default=None, description="終了日 (複数日の場合)")
    participants: list[Name] = Field(default_factory=list, max_length=20, description="参加者")
    notes: Text | None = Field(default=None, description="メモ")

    @model_validator(mode="after")
    def _dates_in_order(self) -> _ActivityPayload:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("終了日が開始日より前です / end_date is before start_date")
        return self


class OnlineMeetingHeld(_ActivityPayload):
    """定期的なオンライン会議 — an online meeting with the municipality."""

    event_type: Literal["OnlineMeetingHeld"] = "OnlineMeetingHeld"
    kind: Literal[ActivityKind.ONLINE_MEETING] = ActivityKind.ONLINE_MEETING


class SiteVisitMade(_ActivityPayload):
    """現地訪問 — the team visited the municipality."""

    event_type: Literal["SiteVisitMade"] = "SiteVisitMade"
    kind: Literal[ActivityKind.SITE_VISIT] = ActivityKind.SITE_VISIT
    place: Name | None = Field(default=None, description="訪問先")


class CompanyVisitMade(_ActivityPayload):
    """首都圏の企業訪問 — the team visited companies (usually in the capital region)."""

    event_type: Literal["CompanyVisitMade"] = "CompanyVisitMade"
    kind: Literal[ActivityKind.COMPANY_VISIT] = ActivityKind.COMPANY_VISIT
    company_count: int = Field(ge=1, le=100, description="訪問企業数")
    companies: list[Name] = Field(default_factory=list, max_length=100, description="企業名 (公表分)")
    place: Name | None = Field(default=None, description="地域 (例: 首都圏)")

    @model_validator(mode="after")
    def _count_covers_names(self) -> CompanyVisitMade:
        if len(self.companies) > self.company_count:
            raise ValueError("企業名の数が訪問企業数を超えています / more company names than company_count")
        return self


ActivityPayload = Annotated[OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade, Field(discriminator="kind")]


class OutcomeStatus(StrEnum):
    """成果の状況."""

    ACHIEVED = "achieved"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"


class BodyKind(StrEnum):
    """Bodies and programmes an outcome can involve; each maps to one graph label in code."""

    MINISTRY = "ministry"
    REGIONAL_BUREAU = "regional_bureau"
    PREFECTURAL_DEPARTMENT = "prefectural_department"
    ORGANIZATION = "organization"
    FUNDING_PROGRAM = "funding_program"


class BodyRef(BaseModel):
    """A body (機関) or programme (制度・事業) that an outcome names."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: BodyKind
    name: Name


class OutcomeRecorded(Payload):
    """成果 — something the engagement achieved, is working on, or plans."""

    event_type: Literal["OutcomeRecorded"] = "OutcomeRecorded"
    recorded_on: date | None = Field(default=None, description="記録日")
    theme: Name | None = Field(default=None, description="関連する支援テーマ")
    kind: Name = Field(description="成果の種類 (例: 条例改正, 指針策定, 企業誘致, 交付金申請, 選定)")
    description: Text = Field(description="内容")
    status: OutcomeStatus
    related: list[BodyRef] = Field(default_factory=list, max_length=20, description="関係機関・制度")


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


EngagementPayload = Annotated[
    MunicipalityApplied
    | TeamAssigned
    | KickoffHeld
    | OnlineMeetingHeld
    | SiteVisitMade
    | CompanyVisitMade
    | OutcomeRecorded
    | EngagementClosed
    | EngagementWithdrawn,
    Field(discriminator="event_type"),
]

PAYLOAD_TYPES: dict[str, type[Payload]] = {
    cls.model_fields["event_type"].default: cls
    for cls in (
        MunicipalityApplied,
        TeamAssigned,
        KickoffHeld,
        OnlineMeetingHeld,
        SiteVisitMade,
        CompanyVisitMade,
        OutcomeRecorded,
        EngagementClosed,
        EngagementWithdrawn,
    )
}


def parse_payload(event_type: str, data: dict[str, Any]) -> Payload:
    """Read a stored payload as its current model (the place where upcasters will hook in)."""
    try:
        cls = PAYLOAD_TYPES[event_type]
    except KeyError as err:
        raise ValueError(f"unknown event type {event_type!r}") from err
    return cls.model_validate(data)
