"""Reads behind the cockpit (支援状況): which period is running, and the figures its charts draw."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.graph.reads import cockpit_queries as q
from services.graph.reads.reader import GraphReader


class PeriodOverview(BaseModel):
    """A period as the graph knows it: its call's dates, its intake, its engagements."""

    model_config = ConfigDict(frozen=True)
    number: int
    opens_on: date | None = Field(default=None, description="募集開始日 (公募を Banso で開いた期のみ)")
    closes_on: date | None = None
    volunteers: int = Field(default=0, description="応募した支援官")
    applications: int = Field(default=0, description="応募した市町村")
    engagements: int = Field(default=0, description="伴走支援の件数")
    open: int = Field(default=0, description="終了・取下げ以外の伴走支援")

    def intake_running(self, today: date) -> bool:
        """The call has opened and no engagement has started yet: intake or matching is under way."""
        return self.opens_on is not None and self.opens_on <= today and self.engagements == 0

    def support_running(self) -> bool:
        """Some of its engagements are neither closed nor withdrawn."""
        return self.open > 0


def running_period(periods: list[PeriodOverview], today: date) -> int | None:
    """The period in progress today: the newest whose intake or support is under way.

    A period whose call opens later is not running yet, nor one whose engagements are all closed. When
    none is running, the newest period that has begun (call opened or engagements), else the newest.
    """
    newest_first = sorted(periods, key=lambda p: p.number, reverse=True)
    for p in newest_first:
        if p.intake_running(today) or p.support_running():
            return p.number
    for p in newest_first:
        if p.engagements or (p.opens_on is not None and p.opens_on <= today):
            return p.number
    return newest_first[0].number if newest_first else None


class MonthlyActivities(BaseModel):
    """How many activities of one kind began in one month (YYYY-MM)."""

    model_config = ConfigDict(frozen=True)
    month: str
    kind: str
    n: int


class LastContact(BaseModel):
    """An open engagement and the day of its last contact (None before any)."""

    model_config = ConfigDict(frozen=True)
    engagement_id: str
    municipality_name: str | None
    prefecture: str | None
    stage: str
    last_contact: date | None


class CockpitReads(GraphReader):
    """The cockpit's reads; Cypher in cockpit_queries."""

    async def periods(self) -> list[PeriodOverview]:
        """Every period, newest first."""
        return [PeriodOverview.model_validate(r) for r in await self._read(q.PERIODS)]

    async def activities_by_month(self, period: int) -> list[MonthlyActivities]:
        """Activities of the period's engagements per month and kind, oldest month first."""
        return [MonthlyActivities.model_validate(r) for r in await self._read(q.ACTIVITIES_BY_MONTH, period=period)]

    async def last_contacts(self, period: int) -> list[LastContact]:
        """The period's open engagements with their last contact, the longest quiet first (never contacted last)."""
        return [LastContact.model_validate(r) for r in await self._read(q.LAST_CONTACT, period=period)]

    async def by_prefecture(self, period: int) -> dict[str, int]:
        """Engagements per prefecture (Japanese name), withdrawn ones left out."""
        return {r["prefecture"]: int(r["n"]) for r in await self._read(q.BY_PREFECTURE, period=period)}
