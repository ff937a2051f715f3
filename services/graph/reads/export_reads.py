"""Reads behind the exports: the engagements a filter selects, page by page, and each table's rows for a page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from typing import Any

from services.graph.reads import export_queries as q
from services.graph.reads.reader import GraphReader

# table → its query over a page of engagement ids (names never come from input).
TABLE_QUERIES: dict[str, str] = {
    "engagements": q.ENGAGEMENTS,
    "activities": q.ACTIVITIES,
    "outcomes": q.OUTCOMES,
    "participation": q.PARTICIPATION,
}
PAGE_SIZE = 200


@dataclass(frozen=True)
class ExportFilter:
    """Which engagements an export covers: the engagement list's filters (None = any)."""

    period: int | None = None
    stage: str | None = None
    prefecture: str | None = None
    theme: str | None = None
    ministry: str | None = None
    stalled: bool | None = None
    q: str | None = None  # free text over municipality, prefecture and title (NFKC-normalised by the caller)


class ExportReads(GraphReader):
    """Rows of the export tables, read a page of engagements at a time so no export is held whole in memory."""

    async def period_known(self, period: int) -> bool:
        """Whether the graph knows period `period` (第N期)."""
        return bool((await self._read(q.PERIOD_EXISTS, period=period))[0]["known"])

    async def engagement_pages(self, where: ExportFilter, page_size: int = PAGE_SIZE) -> AsyncIterator[list[str]]:
        """The ids of the engagements `where` selects, in id order, `page_size` at a time."""
        after = ""
        while True:
            rows = await self._read(q.ENGAGEMENT_IDS, **asdict(where), after=after, limit=page_size)
            if not rows:
                return
            ids = [str(r["id"]) for r in rows]
            yield ids
            if len(ids) < page_size:
                return
            after = ids[-1]

    async def rows(self, table: str, engagement_ids: list[str]) -> list[dict[str, Any]]:
        """The rows of `table` (a key of TABLE_QUERIES) for these engagements."""
        return await self._read(TABLE_QUERIES[table], ids=engagement_ids)

    async def table(self, table: str, where: ExportFilter, page_size: int = PAGE_SIZE) -> AsyncIterator[dict[str, Any]]:
        """Every row of `table` for the engagements `where` selects, one page of engagements at a time."""
        async for ids in self.engagement_pages(where, page_size):
            for row in await self.rows(table, ids):
                yield row
