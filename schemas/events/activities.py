"""Contacts and help given: meetings, visits, coordination with bodies, introductions."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from schemas.events.base import MAX_PEOPLE, BodyRef, OfficialId, Payload, check_people
from schemas.rules import broken
from schemas.text import Name, Text


class ActivityKind(StrEnum):
    """The kinds of activity the seed's 活動実績 counts."""

    ONLINE_MEETING = "online_meeting"
    SITE_VISIT = "site_visit"
    COMPANY_VISIT = "company_visit"


PARTICIPANT_IDS: Any = Field(
    default_factory=list,
    max_length=MAX_PEOPLE,
    description="参加した支援官のID (チームのその日のメンバー、重複なし)。空なら記録はチーム単位",
)
LED_BY: Any = Field(default=None, description="主担当の支援官ID (participant_ids にも含める)")


class _ActivityPayload(Payload):
    """v2: `participant_ids` and `led_by` name the officials who took part (v1 events read with none)."""

    schema_version: int = 2
    start_date: date = Field(description="開始日")
    end_date: date | None = Field(default=None, description="終了日 (複数日の場合)")
    participants: list[Name] = Field(default_factory=list, max_length=20, description="参加者")
    notes: Text | None = Field(default=None, description="メモ")
    participant_ids: list[OfficialId] = PARTICIPANT_IDS
    led_by: OfficialId | None = LED_BY

    @model_validator(mode="after")
    def _dates_in_order(self) -> _ActivityPayload:
        if self.end_date is not None and self.end_date < self.start_date:
            raise broken("end_before_start", "end_date is before start_date")
        check_people(self.participant_ids, self.led_by)
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
            raise broken("more_companies_than_count", "more company names than company_count")
        return self


ActivityPayload = Annotated[OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade, Field(discriminator="kind")]


class CoordinationHeld(Payload):
    """関係機関との連携 — coordination with a regional bureau, a prefectural department, a ministry…

    v2: `participant_ids` and `led_by` name the officials who took part (v1 events read with none).
    """

    event_type: Literal["CoordinationHeld"] = "CoordinationHeld"
    schema_version: int = 2
    held_on: date = Field(description="実施日")
    body: BodyRef = Field(description="連携先")
    topic: Text = Field(description="内容")
    participants: list[Name] = Field(default_factory=list, max_length=20, description="参加者")
    participant_ids: list[OfficialId] = PARTICIPANT_IDS
    led_by: OfficialId | None = LED_BY

    @model_validator(mode="after")
    def _people(self) -> CoordinationHeld:
        check_people(self.participant_ids, self.led_by)
        return self


class IntroductionKind(StrEnum):
    """What a team introduced to the municipality."""

    NATIONAL_PROGRAMME = "national_programme"  # 国の制度
    CASE_ELSEWHERE = "case_elsewhere"  # 他地域の事例
    EXPERT = "expert"  # 有識者
    COMPANY = "company"  # 企業


class IntroductionMade(Payload):
    """情報提供・紹介 — the team introduced a programme, a case, an expert or a company."""

    event_type: Literal["IntroductionMade"] = "IntroductionMade"
    made_on: date = Field(description="実施日")
    what: IntroductionKind = Field(description="紹介したもの (国の制度 / 他地域の事例 / 有識者 / 企業)")
    subject: Name = Field(description="紹介した制度・事例・人・企業の名称")
    to_whom: Name = Field(description="紹介先 (例: 市 商工観光課, DMO)")
    by_official_id: str | None = Field(
        default=None, max_length=100, description="紹介した支援官ID (その日のチームのメンバー)"
    )
