"""The back office's reads from the graph: engagement lists and details."""

from __future__ import annotations

from typing import Any

from schemas.api_views import EngagementDetail, EngagementSummary, Page, TeamMember
from schemas.views import ActivityCounts, Stage
from services.graph.reads import engagement_read_queries as q
from services.graph.reads.reader import GraphReader


def _summary(e: dict[str, Any], themes: list[str]) -> EngagementSummary:
    return EngagementSummary(
        engagement_id=e["id"],
        stage=Stage(e["stage"]),
        period=e["period"],
        municipality_code=e["municipality_code"],
        municipality_name=e["municipality_name"],
        prefecture=e["prefecture"],
        title=e.get("title"),
        themes=sorted(themes),
    )


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
    ) -> Page[EngagementSummary]:
        """Engagements filtered by stage, period, prefecture, theme, a member's ministry and stall, with the total."""
        filters = {
            "stage": stage.value if stage else None,
            "period": period,
            "prefecture": prefecture,
            "theme": theme,
            "ministry": ministry,
            "stalled": stalled,
        }
        total = (await self._read(q.COUNT_ENGAGEMENTS, **filters))[0]["total"]
        rows = await self._read(q.LIST_ENGAGEMENTS, **filters, limit=limit, offset=offset)
        return Page[EngagementSummary](total=total, items=[_summary(r["engagement"], r["themes"]) for r in rows])

    async def engagement(self, engagement_id: str) -> EngagementDetail | None:
        """One engagement with its team, challenges and activity counts, or None."""
        rows = await self._read(q.ENGAGEMENT_DETAIL, id=engagement_id)
        if not rows:
            return None
        r = rows[0]
        summary = _summary(r["engagement"], r["themes"])
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
