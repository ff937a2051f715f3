"""What the period workflow asks of the graph: officials' past evidence and the period's figures."""

from __future__ import annotations

from schemas.events import PeriodFigures
from services.graph.reads.reader import GraphReader

PAST_EVIDENCE = """
UNWIND $ids AS id
MATCH (p:Official {id: id})-[:MEMBER_OF]->(:Team)<-[:HAS_TEAM]-(e:Engagement)
WHERE e.period < $period
OPTIONAL MATCH (e)-[:HAS_THEME]->(t:Theme)
OPTIONAL MATCH (e)-[:FACES]->(c:Challenge)
WITH id, collect(DISTINCT t.name) + collect(DISTINCT c.name) AS names
RETURN id, [n IN names WHERE n IS NOT NULL] AS evidence
"""

ENGAGEMENT_FIGURES = """
MATCH (e:Engagement {period: $period})
OPTIONAL MATCH (e)-[:HAS_TEAM]->(t:Team)
WITH collect(DISTINCT e) AS engagements, collect(DISTINCT t) AS teams
CALL (teams) {
  UNWIND teams AS t
  MATCH (p:Official)-[:MEMBER_OF]->(t)
  RETURN count(DISTINCT p) AS officials
}
CALL (engagements) {
  UNWIND engagements AS e
  OPTIONAL MATCH (e)-[:HAS_ACTIVITY]->(a:Activity)
  RETURN sum(CASE a.kind WHEN 'online_meeting' THEN 1 ELSE 0 END) AS online,
         sum(CASE a.kind WHEN 'site_visit' THEN 1 ELSE 0 END) AS site,
         sum(CASE a.kind WHEN 'company_visit' THEN 1 ELSE 0 END) AS company
}
RETURN officials, size(teams) AS teams,
       size([e IN engagements WHERE e.stage <> 'withdrawn' AND (e)-[:HAS_TEAM]->()]) AS municipalities,
       [e IN engagements | e.stage] AS stages, online, site, company
"""

OUTCOME_FIGURES = """
MATCH (e:Engagement {period: $period})-[:ACHIEVED]->(o:Outcome)
RETURN o.status AS status, count(*) AS n
"""

SURVEY_FIGURES = """
MATCH (s:SurveyAnswer)-[:ABOUT]->(:Engagement {period: $period})
RETURN count(s) AS answers,
       sum(CASE WHEN s.field_experience THEN 1 ELSE 0 END) AS field,
       sum(CASE WHEN s.diverse_team THEN 1 ELSE 0 END) AS diverse,
       sum(CASE WHEN s.useful_for_ministry_work THEN 1 ELSE 0 END) AS useful
"""


def _pct(n: int, total: int) -> float | None:
    return round(100.0 * n / total, 1) if total else None


class PeriodReads(GraphReader):
    """Reads for matching (evidence from earlier periods) and for the period's summary."""

    async def past_evidence(self, official_ids: list[str], period: int) -> dict[str, list[str]]:
        """Themes and challenges of the engagements each official was on before `period`."""
        rows = await self._read(PAST_EVIDENCE, ids=official_ids, period=period)
        return {r["id"]: sorted(r["evidence"]) for r in rows}

    async def figures(self, period: int) -> PeriodFigures:
        """支援状況 and 支援官の声 for `period`, computed from the projection."""
        e = (await self._read(ENGAGEMENT_FIGURES, period=period))[0]
        stages: dict[str, int] = {}
        for stage in e["stages"]:
            stages[stage] = stages.get(stage, 0) + 1
        outcomes = {r["status"]: r["n"] for r in await self._read(OUTCOME_FIGURES, period=period)}
        s = (await self._read(SURVEY_FIGURES, period=period))[0]
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
