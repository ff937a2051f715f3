"""Read models of the national reference data: prefectures, municipalities, bodies, officials."""

from __future__ import annotations

from pydantic import BaseModel


class PrefectureView(BaseModel):
    """都道府県."""

    code: str | None = None
    name: str
    kana: str | None = None
    name_en: str | None = None
    municipalities: int
    listed_event_id: str | None = None


class MunicipalityView(BaseModel):
    """市町村 with the engagements it had."""

    code: str
    name: str
    kana: str | None = None
    kind: str | None = None
    prefecture: str | None = None
    population: int | None = None
    mayor: str | None = None
    engagements: list[str]
    listed_event_id: str | None = None


class MinistryView(BaseModel):
    """府省庁 with its 外局, its bureaus (局・課 seen on officials' posts) and its regional bureaus."""

    name: str
    description: str | None = None
    parent: str | None = None
    agencies: list[str]
    bureaus: list[str]
    regional_bureaus: list[str]
    defined_event_id: str | None = None


class RegionalBureauView(BaseModel):
    """地方支分部局 with the prefectures it covers."""

    name: str
    ministry: str | None = None
    description: str | None = None
    prefectures: list[str]
    defined_event_id: str | None = None


class ProgrammeUse(BaseModel):
    """One engagement's use of a funding programme."""

    engagement_id: str
    municipality: str | None = None
    status: str | None = None
    event_id: str | None = None


class FundingProgrammeView(BaseModel):
    """制度・交付金 with the engagements that applied for it or achieved something with it."""

    name: str
    ministry: str | None = None
    description: str | None = None
    uses: list[ProgrammeUse]
    defined_event_id: str | None = None


class OfficialEngagement(BaseModel):
    """An engagement an official joined."""

    engagement_id: str
    municipality: str | None = None
    period: int | None = None
    joined_on: str | None = None
    left_on: str | None = None


class OfficialView(BaseModel):
    """地方創生支援官 with their engagements."""

    official_id: str
    name: str
    ministry: str | None = None
    post: str | None = None
    seniority: str | None = None
    engagements: list[OfficialEngagement]
