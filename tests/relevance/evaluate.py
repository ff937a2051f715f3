"""Runs a judged set through a ranking and scores it: nDCG@5 and MRR per set, and each search's latency."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date

from neo4j import AsyncDriver

from services.graph.search.experts import ExpertSearch
from tests.bench.legacy_ranking import LegacyExpertSearch
from tests.relevance.judged import JudgedSet
from tests.relevance.metrics import mean, ndcg_at, reciprocal_rank

TODAY = date(2026, 6, 1)  # a fixed "today" after both data sets, so the figures do not drift with the calendar
LIMIT = 20  # the API's default page of experts
Ranker = Callable[[str], Awaitable[list[str]]]


@dataclass
class Scores:
    """One ranking over one judged set."""

    ndcg5: list[float] = field(default_factory=list)
    rr: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    per_query: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def mean_ndcg5(self) -> float:
        """nDCG@5 averaged over the set's queries."""
        return mean(self.ndcg5)

    @property
    def mrr(self) -> float:
        """Mean reciprocal rank of the first relevant official."""
        return mean(self.rr)


def old_ranker(driver: AsyncDriver, database: str, half_life_days: float) -> Ranker:
    """The ranking before issue 14 (tests/bench/legacy_ranking.py)."""
    legacy = LegacyExpertSearch(driver, database, half_life_days)

    async def rank(query: str) -> list[str]:
        return await legacy.ranked(query, limit=LIMIT, today=TODAY)

    return rank


def new_ranker(driver: AsyncDriver, database: str, half_life_days: float) -> Ranker:
    """The current ranking (services/graph/search/experts.py)."""
    search = ExpertSearch(driver, database, half_life_days)

    async def rank(query: str) -> list[str]:
        results = await search.search(query, limit=LIMIT, today=TODAY)
        return [e.official_id for e in results.experts]

    return rank


async def score(judged: JudgedSet, rank: Ranker, *, rounds: int = 1, step: Callable[[], None] | None = None) -> Scores:
    """Every query of `judged` through `rank` (`rounds` times for latency; the first answer is scored)."""
    scores = Scores()
    for item in judged.queries:
        ranked: list[str] = []
        for round_ in range(rounds):
            started = time.perf_counter()
            answer = await rank(item.query)
            scores.seconds.append(time.perf_counter() - started)
            if round_ == 0:
                ranked = answer
        n, rr = ndcg_at(ranked, item.relevant, 5), reciprocal_rank(ranked, item.relevant)
        scores.ndcg5.append(n)
        scores.rr.append(rr)
        scores.per_query[item.query] = (n, rr)
        if step is not None:
            step()
    return scores
