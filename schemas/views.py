"""Read models: engagement state, receipts and API responses."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import ChainVerdict, EventEnvelope
from schemas.events import OfficialRef

T = TypeVar("T")


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


class Alert(BaseModel):
    """An alert the back office should see (停滞, 最終報告期限)."""

    kind: str
    raised_at: str
    message_ja: str
    message_en: str


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


class EngagementLog(BaseModel):
    """監査ログ — the ordered events of one engagement with the chain verdict."""

    engagement_id: str
    chain_valid: bool
    chain: ChainVerdict
    events: list[EventEnvelope]


class TeamMember(BaseModel):
    """One official on the engagement's team, as the graph shows them."""

    official_id: str
    name: str
    ministry: str | None = None
    bureau: str | None = None
    division: str | None = None
    post: str | None = None
    seconded_from: str | None = None


class EngagementSummary(BaseModel):
    """A row of the back-office engagement list."""

    engagement_id: str
    stage: Stage
    period: int
    municipality_code: str
    municipality_name: str
    prefecture: str
    title: str | None = None
    themes: list[str] = Field(default_factory=list)


class EngagementDetail(EngagementSummary):
    """One engagement with its team, challenges and activity counts."""

    population: int | None = None
    mayor: str | None = None
    challenges: list[str] = Field(default_factory=list)
    team: list[TeamMember] = Field(default_factory=list)
    counts: ActivityCounts = Field(default_factory=ActivityCounts)
    coordinations: int = 0
    outcomes: int = 0
    events: int = 0
    stalled: bool = False


class Page(BaseModel, Generic[T]):
    """A page of results with the total count."""

    total: int
    items: list[T]


class Evidence(BaseModel):
    """Why an official matched a search: the thing that matched and the event that recorded it."""

    kind: str = Field(description="title, theme, challenge, activity, outcome, body, programme or post")
    text: str
    engagement_id: str | None = None
    municipality: str | None = None
    period: int | None = None
    event_id: str | None = None
    event_sequence: int | None = None
    on: date | None = Field(default=None, description="when it happened (the decay counts from here)")
    score: float = Field(description="text relevance × age decay")


class Availability(StrEnum):
    """Whether an official is on an engagement that is still running."""

    FREE = "free"
    ON_TEAM = "on_team"


class Expert(BaseModel):
    """An official who matched an expertise search, with the evidence."""

    official_id: str
    name: str
    ministry: str | None = None
    post: str | None = None
    seniority: str | None = None
    on_team: bool = False
    score: float
    evidence: list[Evidence]


class ExpertResults(BaseModel):
    """Expertise search results."""

    query: str
    terms: list[str] = Field(description="the words searched for, synonyms included")
    half_life_days: float
    experts: list[Expert]


class Health(BaseModel):
    """Whether the API can reach its servers."""

    status: str
    temporal: bool
    neo4j: bool


class EngagementStateView(BaseModel):
    """The workflow's view of an engagement, with the team as of a chosen date."""

    state: EngagementState
    as_of: date | None = None
    team_as_of: list[OfficialRef] | None = None
