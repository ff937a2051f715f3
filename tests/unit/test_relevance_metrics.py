"""nDCG@k and reciprocal rank against hand-computed values."""

from __future__ import annotations

import math

import pytest

from tests.relevance.metrics import dcg, mean, ndcg_at, reciprocal_rank

JUDGED = {"a": 2, "b": 1, "c": 1, "d": 0}


def test_dcg_uses_exponential_gain_and_log_discount() -> None:
    assert dcg([2, 1, 0]) == pytest.approx(3 + 1 / math.log2(3))
    assert dcg([]) == 0


def test_ideal_order_is_one_and_worse_orders_less() -> None:
    assert ndcg_at(["a", "b", "c"], JUDGED) == pytest.approx(1.0)
    assert ndcg_at(["b", "c", "a"], JUDGED) < ndcg_at(["a", "c", "b"], JUDGED) == pytest.approx(1.0)
    swapped = (1 + 3 / math.log2(3) + 1 / 2) / (3 + 1 / math.log2(3) + 1 / 2)
    assert ndcg_at(["b", "a", "c"], JUDGED) == pytest.approx(swapped)


def test_only_the_first_k_count_and_unjudged_items_are_not_relevant() -> None:
    assert ndcg_at(["x", "y", "a"], JUDGED, k=2) == 0.0
    assert ndcg_at(["x", "a"], JUDGED, k=2) == pytest.approx((3 / math.log2(3)) / (3 + 1 / math.log2(3)))
    assert ndcg_at(["a"], {"a": 0}) == 0.0  # nothing relevant to find


def test_reciprocal_rank_of_the_first_relevant() -> None:
    assert reciprocal_rank(["d", "x", "b"], JUDGED) == pytest.approx(1 / 3)
    assert reciprocal_rank(["b", "a"], JUDGED, minimum=2) == pytest.approx(1 / 2)
    assert reciprocal_rank(["d", "x"], JUDGED) == 0.0
    assert mean([1.0, 0.5]) == 0.75
    assert mean([]) == 0.0
