"""The back office's reads from the graph: engagement lists and details."""

from __future__ import annotations

from typing import Any

from schemas.api_views import EngagementDetail, EngagementSummary, Page, TeamMember
from schemas.text import nfkc
from schemas.views import ActivityCounts, Stage
from services.graph.reads import engagement_read_queries as q
from services.graph.reads.reader import GraphReader


def _summary(e: dict[str, Any], themes: list[str], ministries: list[str]) -> EngagementSummary:
    return EngagementSummary(
        engagement_id=e["id"],
        stage=Stage(e["stage"]),
        period=e["period"],
        municipality_code=e["municipality_code"],
        municipality_name=e["municipality_name"],
        prefecture=e["prefecture"],
        title=e.get("title"),
        themes=sorted(themes),
        ministries=sorted(ministries),
        last_contact=e.get("last_contact"),
    )


def _text(value: str | None) -> str | None:
    """A text filter as the queries compare it: NFKC-normalised, None when empty (the caller keeps what was typed)."""
    return nfkc(value) or None if value is not None else None


class GraphReads(GraphReader):
    """Engagement lists and details."""

    async def list_engagements(
        self,
        *,
        stage: Stage | None,
        period: int | None,
        prefecture: str | None,
        limit: int,
        offset: int,
        theme: str | None = None,
        ministry: str | None = None,
        stalled: bool | None = None,
        text: str | None = None,
    ) -> Page[EngagementSummary]:
        """Engagements filtered by stage, period, prefecture, theme, a member's ministry, stall and free text
        (municipality, prefecture or title), with the total. Text filters match a part of the name."""
        filters = {
            "stage": stage.value if stage else None,
            "period": period,
            "prefecture": _text(prefecture),
            "theme": _text(theme),
            "ministry": _text(ministry),
            "stalled": stalled,
            "q": _text(text),
        }
        total = (await self._read(q.COUNT_ENGAGEMENTS, **filters))[0]["total"]
        rows = await self._read(q.LIST_ENGAGEMENTS, **filters, limit=limit, offset=offset)
        return Page[EngagementSummary](
            total=total, items=[_summary(r["engagement"], r["themes"], r["ministries"]) for r in rows]
        )

    async def themes(self) -> list[str]:
        """Every theme an engagement has, by name (the list's 支援テーマ choices)."""
        return [str(r["name"]) for r in await self._read(q.THEMES) if r["name"]]

    async def engagement(self, engagement_id: str) -> EngagementDetail | None:
        """One engagement with its team, challenges and activity counts, or None."""
        rows = await self._read(q.ENGAGEMENT_DETAIL, id=engagement_id)
        if not rows:
            return None
        r = rows[0]
        current = {m["ministry"] for m in r["team"] if m.get("ministry")}
        summary = _summary(r["engagement"], r["themes"], list(current))
        return EngagementDetail(
            **summary.model_dump(),
            population=r["municipality"].get("population"),
            mayor=r["municipality"].get("mayor"),
            challenges=sorted(r["challenges"]),
            team=sorted((TeamMember(**m) for m in r["team"]), key=lambda m: m.official_id),
            counts=ActivityCounts(
                online_meetings=r["online_meetings"],
                site_visits=r["site_visits"],
                company_visits=r["company_visits"],
                companies_visited=r["companies_visited"],
            ),
            coordinations=r["coordinations"],
            outcomes=r["outcomes"],
            events=r["events"],
            stalled=r["stalled"],
        )
