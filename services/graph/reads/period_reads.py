"""What the period workflow asks of the graph: officials' past evidence and the period's figures."""

from __future__ import annotations

from schemas.events import PeriodFigures
from services.graph.reads import period_read_queries as q
from services.graph.reads.reader import GraphReader


def _pct(n: int, total: int) -> float | None:
    return round(100.0 * n / total, 1) if total else None


class PeriodReads(GraphReader):
    """Reads for matching (evidence from earlier periods) and for the period's summary."""

    async def past_evidence(self, official_ids: list[str], period: int) -> dict[str, list[str]]:
        """Themes and challenges of the engagements each official was on before `period`."""
        rows = await self._read(q.PAST_EVIDENCE, ids=official_ids, period=period)
        return {r["id"]: sorted(r["evidence"]) for r in rows}

    async def figures(self, period: int) -> PeriodFigures:
        """支援状況 and 支援官の声 for `period`, computed from the projection."""
        e = (await self._read(q.ENGAGEMENT_FIGURES, period=period))[0]
        stages: dict[str, int] = {}
        for stage in e["stages"]:
            stages[stage] = stages.get(stage, 0) + 1
        outcomes = {r["status"]: r["n"] for r in await self._read(q.OUTCOME_FIGURES, period=period)}
        s = (await self._read(q.SURVEY_FIGURES, period=period))[0]
        answers = int(s["answers"])
        return PeriodFigures(
            officials=e["officials"],
            teams=e["teams"],
            municipalities=e["municipalities"],
            engagements_by_stage=dict(sorted(stages.items())),
            online_meetings=e["online"] or 0,
            site_visits=e["site"] or 0,
            company_visits=e["company"] or 0,
            outcomes_by_status=dict(sorted(outcomes.items())),
            survey_answers=answers,
            field_experience_pct=_pct(s["field"] or 0, answers),
            diverse_team_pct=_pct(s["diverse"] or 0, answers),
            useful_for_ministry_work_pct=_pct(s["useful"] or 0, answers),
        )
