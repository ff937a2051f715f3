"""Expertise search: who has worked on a topic, ranked by relevance and recency, with the evidence.

Each piece of evidence scores its full-text relevance × 0.5^(age / half-life), where the age runs from
the day it happened (activity date, outcome date, kickoff, application, posting; undated evidence is not
decayed); an official's score is the sum. The whole ranking runs in one query on the server.
"""

from __future__ import annotations

from datetime import date

from neo4j import AsyncDriver

from schemas.api_views import Availability, Expert, ExpertResults
from schemas.search_terms import expand
from services.graph.reads.reader import GraphReader
from services.graph.search import expert_queries as q
from services.graph.search.fulltext import lucene_query
from services.graph.search.fulltext_queries import INDEX_NAME

MAX_INDEX_HITS = 2000  # the most relevant index hits considered
MAX_EVIDENCE_PER_EXPERT = 20


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
        rows = await self._read(
            q.EXPERTS,
            index=INDEX_NAME,
            lucene=lucene,
            hits=MAX_INDEX_HITS,
            period=period,
            today=(today or date.today()).isoformat(),
            half_life=float(self._half_life_days),
            per_expert=MAX_EVIDENCE_PER_EXPERT,
            ministry=ministry,
            seniority=seniority,
            availability=availability.value if availability else None,
            limit=limit,
        )
        return results.model_copy(update={"experts": [Expert.model_validate(r) for r in rows]})
