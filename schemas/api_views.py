"""Read models the graph answers with and the API publishes: the audit log, engagement rows and pages,
expertise results, and the workflow state as the API shows it (none of them is in a Temporal history)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from schemas.envelope import ChainVerdict, EventEnvelope
from schemas.events import OfficialRef
from schemas.search_terms import SearchTerm
from schemas.views import ActivityCounts, EngagementState, Stage

T = TypeVar("T")


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
    ministries: list[str] = Field(
        default_factory=list, description="チームの府省庁（現在のメンバーの所属） / the current team's ministries"
    )
    last_contact: date | None = Field(
        default=None, description="最終接触日（直近の会議・訪問・調整の日） / the day of the latest contact"
    )


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


class Attribution(StrEnum):
    """Whose work a piece of evidence shows."""

    PERSONAL = "personal"  # the official took part in it, led it, contributed to it, introduced it, or held the post
    TEAM = "team"  # it belongs to an engagement of the official's team; the official is not named on it


class Evidence(BaseModel):
    """Why an official matched a search: the thing that matched and the event that recorded it."""

    kind: str = Field(description="title, theme, challenge, activity, outcome, introduction, body, programme or post")
    text: str
    engagement_id: str | None = None
    municipality: str | None = None
    period: int | None = None
    event_id: str | None = None
    event_sequence: int | None = None
    on: date | None = Field(default=None, description="the day it happened (the decay counts from here)")
    attribution: Attribution = Field(description="personal: the official is named on it; team: their team's")
    role: str | None = Field(
        default=None, description="led, attended, contributed, introduced or posted (personal evidence)"
    )
    relevance: float = Field(description="full-text relevance of the text to the searched terms")
    recency: float = Field(description="0.5^(age in days / half-life): 1 today, 0.5 one half-life ago")
    weight: float = Field(description="the attribution's weight (personal or team)")
    score: float = Field(description="relevance × recency × weight")


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
    score: float = Field(description="the sum of the evidence's scores")
    personal_score: float = Field(description="the part of the score from personal evidence (breaks ties)")
    team_score: float = Field(description="the part of the score from team evidence")
    evidence: list[Evidence]


class ExpertResults(BaseModel):
    """Expertise search results."""

    query: str
    terms: list[str] = Field(description="the words searched for, expansions included")
    expansion: list[SearchTerm] = Field(
        default_factory=list, description="each searched term with where it came from (query, dictionary, glossary…)"
    )
    half_life_days: float
    as_of: date | None = Field(default=None, description="evidence that had happened by this day, decayed from it")
    personal_weight: float = Field(description="weight of personal evidence")
    team_weight: float = Field(description="weight of team evidence")
    total: int = Field(default=0, description="officials that matched, before the limit")
    experts: list[Expert]


class EngagementStateView(BaseModel):
    """The workflow's view of an engagement, with the team as of a chosen date."""

    state: EngagementState
    as_of: date | None = None
    team_as_of: list[OfficialRef] | None = None
