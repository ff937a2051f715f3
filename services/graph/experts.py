"""Expertise search: who has worked on a topic, ranked by relevance and recency, with the evidence."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from neo4j import AsyncDriver

from schemas.views import Availability, Evidence, Expert, ExpertResults
from services.graph import expert_queries as q
from services.graph.fulltext import INDEX_NAME, lucene_query
from services.graph.reader import GraphReader
from services.graph.search_terms import expand

MAX_INDEX_HITS = 5000
MAX_EVIDENCE_PER_EXPERT = 20


def decay(on: date | None, today: date, half_life_days: float) -> float:
    """Weight of evidence from `on`: 1 today, ½ after one half-life; undated evidence counts as today's."""
    if on is None:
        return 1.0
    age = max((today - on).days, 0)
    return float(0.5 ** (age / half_life_days))


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def score_evidence(rows: list[dict[str, Any]], today: date, half_life_days: float) -> dict[str, list[Evidence]]:
    """Group evidence rows by official, one item per (event, kind, text), each scored and sorted."""
    grouped: dict[str, dict[tuple[Any, ...], Evidence]] = defaultdict(dict)
    for row in rows:
        on = _day(row["on"])
        evidence = Evidence(
            kind=row["kind"],
            text=row["text"] or "",
            engagement_id=row["engagement_id"],
            municipality=row["municipality"],
            period=row["period"],
            event_id=row["event_id"],
            event_sequence=row["event_sequence"],
            on=on,
            score=round(float(row["score"]) * decay(on, today, half_life_days), 4),
        )
        key = (row["official_id"], row["event_id"], row["kind"], row["text"])
        kept = grouped[row["official_id"]].get(key)
        if kept is None or kept.score < evidence.score:
            grouped[row["official_id"]][key] = evidence
    return {
        official: sorted(items.values(), key=lambda e: (-e.score, e.engagement_id or "", e.event_sequence or 0))
        for official, items in grouped.items()
    }


class ExpertSearch(GraphReader):
    """`GET /api/v1/experts` and `banso experts`."""

    def __init__(self, driver: AsyncDriver, database: str, half_life_days: float) -> None:
        super().__init__(driver, database)
        self._half_life_days = half_life_days

    async def search(
        self,
        query: str,
        *,
        limit: int = 20,
        ministry: str | None = None,
        period: int | None = None,
        seniority: str | None = None,
        availability: Availability | None = None,
        today: date | None = None,
    ) -> ExpertResults:
        """Officials ranked by the summed, decayed relevance of their evidence."""
        terms = expand(query)
        lucene = lucene_query(terms)
        results = ExpertResults(query=query, terms=terms, half_life_days=self._half_life_days, experts=[])
        if lucene is None:
            return results
        rows = await self._read(q.EXPERT_EVIDENCE, index=INDEX_NAME, lucene=lucene, hits=MAX_INDEX_HITS, period=period)
        evidence = score_evidence(rows, today or date.today(), self._half_life_days)
        if not evidence:
            return results
        people = await self._read(
            q.EXPERT_OFFICIALS,
            ids=sorted(evidence),
            ministry=ministry,
            seniority=seniority,
            availability=availability.value if availability else None,
        )
        experts = [
            Expert(
                **person,
                score=round(sum(e.score for e in evidence[person["official_id"]]), 4),
                evidence=evidence[person["official_id"]][:MAX_EVIDENCE_PER_EXPERT],
            )
            for person in people
        ]
        experts.sort(key=lambda x: (-x.score, x.name, x.official_id))
        return results.model_copy(update={"experts": experts[:limit]})
