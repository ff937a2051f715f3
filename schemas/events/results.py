"""What engagements produce: outcomes, funding applications, reports, the survey, policy feedback."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from schemas.events.base import MAX_PEOPLE, BodyRef, OfficialId, Payload, check_people
from schemas.text import Name, Text


class OutcomeStatus(StrEnum):
    """成果の状況."""

    ACHIEVED = "achieved"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"


class OutcomeKind(StrEnum):
    """成果の種類."""

    ORDINANCE_REVISION = "ordinance_revision"  # 条例改正
    GUIDELINE = "guideline"  # 指針策定
    COMPANY_ATTRACTION = "company_attraction"  # 企業誘致
    GRANT_ADOPTED = "grant_adopted"  # 交付金採択
    SELECTION = "selection"  # 選定
    PARTNERSHIP_AGREEMENT = "partnership_agreement"  # 連携協定
    OTHER = "other"


class OutcomeRecorded(Payload):
    """成果 — something the engagement achieved, is working on, or plans.

    v2: `kind` became a code. v3: `contributor_ids` (who contributed) and `achieved_on` (when it happened or
    was decided; `recorded_on` stays the day it was written down); v2 events read with none of either.
    v4: `group` (the report's 【】 group; the theme when absent) and `heading` (its ○ sub-heading), so the
    one-page report keeps the seed's structure; v3 events read with neither.
    """

    event_type: Literal["OutcomeRecorded"] = "OutcomeRecorded"
    schema_version: int = 4
    recorded_on: date | None = Field(default=None, description="記録日")
    achieved_on: date | None = Field(default=None, description="成果の日付 (達成・決定した日)")
    theme: Name | None = Field(default=None, description="関連する支援テーマ")
    group: Name | None = Field(
        default=None, description="報告の区分 【】 (例: 交流人口の拡大)。空なら支援テーマ (theme) で区分"
    )
    heading: Name | None = Field(
        default=None,
        description="報告の見出し ○ (例: サーキュラーエコノミーポートへの選定)。同じ見出しの成果はまとめて表示",
    )
    kind: OutcomeKind = Field(description="成果の種類")
    kind_detail: Name | None = Field(default=None, description="種類の補足 (other のときの名称など)")
    description: Text = Field(description="内容")
    status: OutcomeStatus
    related: list[BodyRef] = Field(default_factory=list, max_length=20, description="関係機関・制度")
    contributor_ids: list[OfficialId] = Field(
        default_factory=list,
        max_length=MAX_PEOPLE,
        description="貢献した支援官のID (その日のチームのメンバー、重複なし)。空なら記録はチーム単位",
    )

    @model_validator(mode="after")
    def _people(self) -> OutcomeRecorded:
        check_people(self.contributor_ids)
        return self


class FundingApplicationStatus(StrEnum):
    """Where a funding application stands."""

    PREPARING = "preparing"
    SUBMITTED = "submitted"
    ADOPTED = "adopted"
    REJECTED = "rejected"


class FundingApplicationSupported(Payload):
    """交付金等の申請支援 — the team supported an application to a funding programme."""

    event_type: Literal["FundingApplicationSupported"] = "FundingApplicationSupported"
    supported_on: date = Field(description="日付")
    programme: Name = Field(description="制度・事業名 (例: 地域未来交付金)")
    status: FundingApplicationStatus
    purpose: Text | None = Field(default=None, description="申請の目的")


class ReportKind(StrEnum):
    """中間報告 / 最終報告."""

    INTERIM = "interim"
    FINAL = "final"


class ReportSubmitted(Payload):
    """報告 — an interim or final report was submitted."""

    event_type: Literal["ReportSubmitted"] = "ReportSubmitted"
    submitted_on: date
    report: ReportKind = Field(description="interim=中間報告, final=最終報告")
    summary: Text | None = None


class SurveyAnswered(Payload):
    """支援官の声 — one official's answers to the programme survey."""

    event_type: Literal["SurveyAnswered"] = "SurveyAnswered"
    official_id: str = Field(min_length=1, max_length=100)
    answered_on: date
    field_experience: bool = Field(description="現場経験")
    diverse_team: bool = Field(description="多様な人材によるチーム")
    useful_for_ministry_work: bool = Field(description="国の業務に活かせる")
    free_text: Text | None = Field(default=None, description="自由記述")


class PolicyFeedbackRecorded(Payload):
    """国の業務へのフィードバック — feedback from the engagement to a ministry's policy work."""

    event_type: Literal["PolicyFeedbackRecorded"] = "PolicyFeedbackRecorded"
    recorded_on: date
    to: BodyRef = Field(description="フィードバック先 (府省庁など)")
    feedback: Text
