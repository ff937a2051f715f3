"""Reads of the national reference data, each a page with its total."""

from __future__ import annotations

from datetime import date

from schemas.api_views import Page
from schemas.reference_views import (
    FundingProgrammeView,
    MinistryView,
    MunicipalityView,
    OfficialView,
    PrefectureView,
    RegionalBureauView,
)
from schemas.text import nfkc
from services.graph.reads import reference_read_queries as q
from services.graph.reads.reader import GraphReader


def _text(value: str | None) -> str | None:
    return nfkc(value) or None if value is not None else None


class ReferenceReads(GraphReader):
    """都道府県, 市町村, 府省庁, 地方支分部局, 制度, 支援官."""

    async def prefectures(self, *, name: str | None, limit: int, offset: int) -> Page[PrefectureView]:
        """Prefectures in JIS order with how many 市町村 each has."""
        return await self._page(
            PrefectureView, q.COUNT_PREFECTURES, q.LIST_PREFECTURES, name=_text(name), limit=limit, offset=offset
        )

    async def municipalities(
        self, *, prefecture: str | None, name: str | None, kind: str | None, limit: int, offset: int
    ) -> Page[MunicipalityView]:
        """Municipalities by code, filtered by prefecture (name or 2-digit code), name or kana, and kind."""
        return await self._page(
            MunicipalityView,
            q.COUNT_MUNICIPALITIES,
            q.LIST_MUNICIPALITIES,
            prefecture=_text(prefecture),
            name=_text(name),
            kind=kind,
            limit=limit,
            offset=offset,
        )

    async def ministries(self, *, name: str | None, limit: int, offset: int) -> Page[MinistryView]:
        """Top-level 府省庁 with their 外局, bureaus and regional bureaus."""
        return await self._page(
            MinistryView, q.COUNT_MINISTRIES, q.LIST_MINISTRIES, name=_text(name), limit=limit, offset=offset
        )

    async def regional_bureaus(
        self, *, ministry: str | None, prefecture: str | None, limit: int, offset: int
    ) -> Page[RegionalBureauView]:
        """地方支分部局 with the prefectures each covers, filtered by ministry or a covered prefecture."""
        return await self._page(
            RegionalBureauView,
            q.COUNT_REGIONAL_BUREAUS,
            q.LIST_REGIONAL_BUREAUS,
            ministry=_text(ministry),
            prefecture=_text(prefecture),
            limit=limit,
            offset=offset,
        )

    async def funding_programmes(self, *, limit: int, offset: int) -> Page[FundingProgrammeView]:
        """制度・交付金 with every engagement that applied for or achieved something with each."""
        return await self._page(FundingProgrammeView, q.COUNT_PROGRAMMES, q.LIST_PROGRAMMES, limit=limit, offset=offset)

    async def officials(
        self, *, ministry: str | None, name: str | None, as_of: date | None, limit: int, offset: int
    ) -> Page[OfficialView]:
        """支援官 with their engagements (only those they were on at `as_of`, when given)."""
        return await self._page(
            OfficialView,
            q.COUNT_OFFICIALS,
            q.LIST_OFFICIALS,
            ministry=_text(ministry),
            name=_text(name),
            as_of=as_of.isoformat() if as_of else None,
            limit=limit,
            offset=offset,
        )
