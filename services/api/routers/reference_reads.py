"""Reads of the national reference data under /api/v1, each paged with a total."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from schemas.api_views import Page
from schemas.events import MunicipalityKind
from schemas.reference_views import (
    FundingProgrammeView,
    MinistryView,
    MunicipalityView,
    OfficialView,
    PrefectureView,
    RegionalBureauView,
)
from services.api.deps import Limit, Offset, ReferenceReadsDep
from services.api.problems import problem_responses

router = APIRouter(prefix="/api/v1", tags=["reference data"], responses=problem_responses(422, 503))

Text = Annotated[str | None, Query(min_length=1, max_length=100)]


@router.get("/prefectures", summary="都道府県 / Prefectures")
async def prefectures(
    reference_reads: ReferenceReadsDep, name: Text = None, limit: Limit = 50, offset: Offset = 0
) -> Page[PrefectureView]:
    """The 47 都道府県 in JIS order, with how many 市町村 each has."""
    return await reference_reads.prefectures(name=name, limit=limit, offset=offset)


@router.get("/municipalities", summary="市町村 / Municipalities")
async def municipalities(
    reference_reads: ReferenceReadsDep,
    prefecture: Annotated[str | None, Query(max_length=20, description="都道府県名または2桁コード")] = None,
    name: Annotated[str | None, Query(max_length=100, description="名称またはよみの一部")] = None,
    kind: MunicipalityKind | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[MunicipalityView]:
    """市町村 by 団体コード, with the engagements each had."""
    return await reference_reads.municipalities(
        prefecture=prefecture, name=name, kind=kind.value if kind else None, limit=limit, offset=offset
    )


@router.get("/ministries", summary="府省庁 / Ministries")
async def ministries(
    reference_reads: ReferenceReadsDep, name: Text = None, limit: Limit = 50, offset: Offset = 0
) -> Page[MinistryView]:
    """府省庁 with their 外局, bureaus and regional bureaus."""
    return await reference_reads.ministries(name=name, limit=limit, offset=offset)


@router.get("/regional-bureaus", summary="地方支分部局 / Regional bureaus")
async def regional_bureaus(
    reference_reads: ReferenceReadsDep,
    ministry: Text = None,
    prefecture: Annotated[str | None, Query(max_length=20, description="管轄する都道府県")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[RegionalBureauView]:
    """地方支分部局 with the prefectures each covers."""
    return await reference_reads.regional_bureaus(ministry=ministry, prefecture=prefecture, limit=limit, offset=offset)


@router.get("/funding-programmes", summary="制度・交付金 / Funding programmes")
async def funding_programmes(
    reference_reads: ReferenceReadsDep, limit: Limit = 50, offset: Offset = 0
) -> Page[FundingProgrammeView]:
    """Funding programmes with the engagements that used them and how it went."""
    return await reference_reads.funding_programmes(limit=limit, offset=offset)


@router.get("/officials", summary="支援官 / Officials")
async def officials(
    reference_reads: ReferenceReadsDep,
    ministry: Text = None,
    name: Text = None,
    as_of: Annotated[date | None, Query(description="この日に在籍していたチームのみ / teams on this day")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[OfficialView]:
    """地方創生支援官 with their engagements (with `as_of`, only the teams they were on that day)."""
    return await reference_reads.officials(ministry=ministry, name=name, as_of=as_of, limit=limit, offset=offset)
