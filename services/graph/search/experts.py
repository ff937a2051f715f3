"""Expertise search: who has worked on a topic, ranked by relevance, attribution and recency, with the evidence.

Each piece of evidence scores its full-text relevance × 0.5^(age / half-life) × its attribution's weight:
personal evidence (the official is named on it) weighs PERSONAL_WEIGHT, team evidence (their team's, not
naming them) TEAM_WEIGHT. The age runs from the day it happened (activity date, outcome date, kickoff,
application, posting; undated evidence is not decayed) to today or `as_of`. An official's score is the sum;
ties are broken by the personal part. The whole ranking runs in one query on the server
(expert_queries says how it keeps its rows few).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from neo4j import AsyncDriver

from schemas.api_views import Availability, Expert, ExpertResults
from services.graph.reads.reader import GraphReader
from services.graph.search import expert_queries as q
from services.graph.search.fulltext import lucene_query
from services.graph.search.fulltext_queries import INDEX_NAME
from services.words.expansion import expand_query, search_terms

MAX_INDEX_HITS = 2000  # the most relevant index hits considered
MAX_EVIDENCE_PER_EXPERT = 20
PERSONAL_WEIGHT = 1.0  # the official took part in it, led it, contributed to it, introduced it or held the post
TEAM_WEIGHT = 0.3  # their team's work that does not name them


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
        as_of: date | None = None,
        today: date | None = None,
    ) -> ExpertResults:
        """Officials ranked by the summed, weighted, decayed relevance of their evidence.

        `as_of`: only evidence that had happened by that day (and memberships and posts held by then),
        decayed from that day — what the records say of a person on a past date.
        """
        expansion = expand_query(query)
        terms = search_terms(query)  # the same (cached) expansion, as the sorted terms
        lucene = lucene_query(terms)
        results = ExpertResults(
            query=query,
            terms=terms,
            expansion=expansion,
            half_life_days=self._half_life_days,
            as_of=as_of,
            personal_weight=PERSONAL_WEIGHT,
            team_weight=TEAM_WEIGHT,
            experts=[],
        )
        if lucene is None:
            return results
        cypher, params = self.statement(
            lucene,
            limit=limit,
            ministry=ministry,
            period=period,
            seniority=seniority,
            availability=availability,
            as_of=as_of,
            today=today,
        )
        rows = await self._read(cypher, **params)
        experts = [Expert.model_validate(r["expert"]) for r in rows]
        total = rows[0]["total"] if rows else 0
        return results.model_copy(update={"experts": experts, "total": total})

    def statement(
        self,
        lucene: str,
        *,
        limit: int = 20,
        ministry: str | None = None,
        period: int | None = None,
        seniority: str | None = None,
        availability: Availability | None = None,
        as_of: date | None = None,
        today: date | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """The ranking's statement and parameters for a full-text query (the benchmark times it alone)."""
        params = {
            "index": INDEX_NAME,
            "lucene": lucene,
            "hits": MAX_INDEX_HITS,
            "period": period,
            "as_of": as_of.isoformat() if as_of else None,
            "today": (as_of or today or date.today()).isoformat(),
            "personal_weight": PERSONAL_WEIGHT,
            "team_weight": TEAM_WEIGHT,
            "half_life": float(self._half_life_days),
            "per_expert": MAX_EVIDENCE_PER_EXPERT,
            "ministry": ministry,
            "seniority": seniority,
            "availability": availability.value if availability else None,
            "limit": limit,
        }
        return q.EXPERTS[(ministry is not None, availability is not None)], params
