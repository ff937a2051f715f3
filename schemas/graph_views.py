"""Read models of the graph's questions: connections between two things, similar engagements, reuse."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class NodeKind(StrEnum):
    """What a connection can start or end at (`kind:key` in the API)."""

    OFFICIAL = "official"
    ENGAGEMENT = "engagement"
    TEAM = "team"
    MUNICIPALITY = "municipality"
    PREFECTURE = "prefecture"
    MINISTRY = "ministry"
    BODY = "body"


class PathNode(BaseModel):
    """One node on a path, as a person would name it."""

    kind: str
    key: str
    name: str


class PathStep(BaseModel):
    """One relationship on a path in words, or a stretch read as one (two things about the same subject)."""

    ja: str
    en: str
    hops: int = Field(default=1, description="relationships this step covers (2 for a shared subject)")


class ConnectionPath(BaseModel):
    """One shortest path with its explanation."""

    length: int = Field(description="relationships on the path (the sum of its steps' hops)")
    nodes: list[PathNode]
    steps: list[PathStep]
    summary_ja: str
    summary_en: str


class Connections(BaseModel):
    """The shortest bounded paths between two things (none when they are further apart)."""

    source: PathNode
    target: PathNode
    max_hops: int
    paths: list[ConnectionPath]
    nearest_hops: int | None = Field(
        default=None,
        description="when no path is within max_hops: the length of the shortest one, if within nearest_bound",
    )
    nearest_bound: int | None = Field(
        default=None, description="when no path is within max_hops: how far the nearest one was looked for"
    )
    note_ja: str | None = Field(default=None, description="when no path is within max_hops: why, in Japanese")
    note_en: str | None = Field(default=None, description="the same in English")


class SharedThing(BaseModel):
    """Something two engagements have in common."""

    kind: str = Field(description="theme, challenge, body, company, programme, municipality or prefecture")
    name: str


class SimilarEngagement(BaseModel):
    """An engagement like the given one, with why."""

    engagement_id: str
    municipality: str | None = None
    prefecture: str | None = None
    period: int | None = None
    team: list[str]
    score: float
    shared: list[SharedThing]
    reason_ja: str
    reason_en: str


class ProgrammeExperience(BaseModel):
    """One engagement's experience with a programme: applied (with status) or an outcome involving it."""

    engagement_id: str
    municipality: str | None = None
    status: str | None = None
    outcome: str | None = None
    event_id: str | None = None


class ProgrammeReuse(BaseModel):
    """A funding programme that engagements with similar challenges used, and what came of it."""

    programme: str
    ministry: str | None = None
    because: list[SharedThing]
    experiences: list[ProgrammeExperience]


class BodyWork(BaseModel):
    """What an official did with a body, engagement by engagement."""

    engagement_id: str
    municipality: str | None = None
    how: str = Field(description="activity, outcome or programme")
    text: str | None = None
    event_id: str | None = None


class BodyCollaborator(BaseModel):
    """An official who worked with a body or programme."""

    official_id: str
    name: str
    ministry: str | None = None
    work: list[BodyWork]
