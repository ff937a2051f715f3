"""The workflows' state: an engagement's stage and fold, its receipts, and a stream writer's head.

These models are serialized into Temporal histories (update results, continue-as-new input, queries), so
their class and field names are part of the committed replay histories: rename nothing here. The read
models the graph and the API answer with are in schemas/api_views.py.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import EventEnvelope
from schemas.events import OfficialRef


class Stage(StrEnum):
    """The lifecycle of an engagement (応募 → マッチング → キックオフ → 訪問 → 成果 → 終了 / 取下げ)."""

    NEW = "new"
    APPLICATION = "application"
    MATCHING = "matching"
    KICKOFF = "kickoff"
    VISITS = "visits"
    OUTCOMES = "outcomes"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def terminal(self) -> bool:
        """No command is accepted any more."""
        return self in (Stage.CLOSED, Stage.WITHDRAWN)


class ActivityCounts(BaseModel):
    """活動実績 — how many of each activity the engagement recorded."""

    online_meetings: int = 0
    site_visits: int = 0
    company_visits: int = 0
    companies_visited: int = 0


class RecordState(BaseModel):
    """An activity, outcome or survey answer as it reads now: the latest correction's facts, or retracted."""

    event_type: str
    data: dict[str, Any] = Field(description="The record's payload as it reads after any corrections")
    corrected_by: list[str] = Field(default_factory=list, description="Ids of the events that corrected it")
    retracted_by: str | None = Field(default=None, description="Id of the event that retracted it")


class Membership(BaseModel):
    """One official's time on the team (人事異動 ends it; a new member starts one)."""

    official: OfficialRef
    joined_on: date | None = None
    left_on: date | None = None
    leave_reason: str | None = None
    override_reason: str | None = None

    def active_on(self, day: date) -> bool:
        """Whether the official was on the team on `day`."""
        started = self.joined_on is None or self.joined_on <= day
        return started and (self.left_on is None or day < self.left_on)


class TravelLine(BaseModel):
    """One official's travel for one visit as the workflow knows it: the plan, and the settlement once paid."""

    visit_event_id: str
    official_id: str
    departs_on: date
    returns_on: date
    plan_event_id: str
    planned_total_yen: int
    settlement_event_id: str | None = None
    settled_total_yen: int | None = None


class Alert(BaseModel):
    """An alert the back office should see (停滞, 最終報告期限).

    `message` is the alert's text as data (msgid and parameters, services.i18n's `Msg.to_dict()`), which
    the API translates. Alerts raised before the catalogue carry only `message_ja`/`message_en`; newer ones
    carry the English text in `message_en` and leave `message_ja` to the reader that translates `message`.
    """

    kind: str
    raised_at: str
    message_ja: str = ""
    message_en: str = ""
    message: dict[str, Any] | None = Field(default=None, description="msgid and params (services.i18n)")


class EngagementState(BaseModel):
    """The state of one engagement: a fold over its events."""

    engagement_id: str
    stage: Stage = Stage.NEW
    period: int | None = None
    municipality_code: str | None = None
    municipality_name: str | None = None
    prefecture: str | None = None
    title: str | None = None
    themes: list[str] = Field(default_factory=list)
    team: list[OfficialRef] = Field(default_factory=list, description="The team as of now")
    memberships: list[Membership] = Field(default_factory=list, description="Every membership, past and present")
    counts: ActivityCounts = Field(default_factory=ActivityCounts)
    coordinations: int = 0
    introductions: int = 0
    funding_applications: int = 0
    last_dates: dict[str, date] = Field(default_factory=dict, description="Last date of each activity kind")
    last_contact_at: str | None = Field(default=None, description="When the last contact was recorded (UTC)")
    outcomes: int = 0
    reports: list[str] = Field(default_factory=list)
    surveys: int = 0
    final_report_due: date | None = None
    final_report_reminded: bool = False
    stalled: bool = False
    alerts: list[Alert] = Field(default_factory=list)
    last_sequence: int = 0
    head_hash: str | None = None
    records: dict[str, RecordState] = Field(
        default_factory=dict, description="Correctable records (activities, outcomes, survey answers) by event id"
    )
    travel: dict[str, TravelLine] = Field(
        default_factory=dict, description="支援旅費 by travel_key (visit event id / official id)"
    )

    def team_on(self, day: date) -> list[OfficialRef]:
        """The team as it was on `day`."""
        return [m.official for m in self.memberships if m.active_on(day)]


class EventReceipt(BaseModel):
    """The answer to an accepted command: the event it became and the stage after it."""

    model_config = ConfigDict(frozen=True)
    engagement_id: str
    event_id: str
    event_type: str
    sequence: int
    hash: str
    stage: Stage


class StreamHead(BaseModel):
    """Where a stream's writer stands: its last sequence and that event's hash (None before the first)."""

    model_config = ConfigDict(frozen=True)
    subject: str
    sequence: int
    hash: str | None


class StreamReceipt(BaseModel):
    """The answer to an accepted reference-data command."""

    model_config = ConfigDict(frozen=True)
    subject: str
    event_id: str
    event_type: str
    sequence: int
    hash: str


def receipt_fields(event: EventEnvelope) -> dict[str, Any]:
    """What every receipt says of the event a command became: its id, type, position and hash."""
    return {"event_id": event.id, "event_type": event.type, "sequence": event.sequence, "hash": event.hash}
