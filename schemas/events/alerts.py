"""Events the engagement workflow records by itself when time passes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from schemas.events.base import Payload


class EngagementStalled(Payload):
    """停滞 — no meeting, visit or coordination was recorded for the configured number of days."""

    event_type: Literal["EngagementStalled"] = "EngagementStalled"
    last_contact_recorded_at: str = Field(description="最後の接触が記録された日時 (UTC)")
    silent_days: float = Field(ge=0, description="無接触の日数")


class EngagementResumed(Payload):
    """再開 — a contact was recorded after a stall."""

    event_type: Literal["EngagementResumed"] = "EngagementResumed"
    resumed_by: str = Field(description="再開のきっかけとなったイベント種別")


class FinalReportDue(Payload):
    """最終報告期限の通知 — the final report falls due soon and has not been submitted."""

    event_type: Literal["FinalReportDue"] = "FinalReportDue"
    due_on: date
