"""Ranking metrics over graded judgements (pure): nDCG@k with exponential gain, and reciprocal rank.

A judgement maps an item (an official id) to its grade: 2 highly relevant, 1 relevant, absent or 0 not.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg(grades: Sequence[int]) -> float:
    """Discounted cumulative gain of grades in ranked order: Σ (2^g − 1) / log2(rank + 1)."""
    return sum((2.0**g - 1) / math.log2(rank + 1) for rank, g in enumerate(grades, start=1))


def ndcg_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = 5) -> float:
    """DCG of the first `k` of `ranked` over the DCG of the best possible first `k` (0 when nothing is relevant)."""
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judged.get(item, 0) for item in ranked[:k]]) / ideal


def reciprocal_rank(ranked: Sequence[str], judged: Mapping[str, int], minimum: int = 1) -> float:
    """1 / the rank of the first item graded at least `minimum`, 0 when none is listed."""
    for rank, item in enumerate(ranked, start=1):
        if judged.get(item, 0) >= minimum:
            return 1.0 / rank
    return 0.0


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean (0 for no values)."""
    return sum(values) / len(values) if values else 0.0
