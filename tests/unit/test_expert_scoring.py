"""Expertise scores: age decay and evidence grouping, without servers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.graph.experts import decay, score_evidence

TODAY = date(2026, 11, 27)


def test_decay_halves_every_half_life() -> None:
    assert decay(TODAY, TODAY, 730) == 1.0
    assert decay(date(2024, 11, 27), TODAY, 730) == pytest.approx(0.5, rel=1e-3)
    assert decay(date(2022, 11, 27), TODAY, 730) == pytest.approx(0.25, rel=1e-3)
    assert decay(None, TODAY, 730) == 1.0
    assert decay(date(2027, 1, 1), TODAY, 730) == 1.0  # a future date never weighs more than today


def row(official: str, event: str, on: str | None, score: float = 2.0, kind: str = "outcome") -> dict[str, Any]:
    return {
        "official_id": official,
        "engagement_id": "engagement-2-032034",
        "municipality": "大船渡市",
        "period": 2,
        "kind": kind,
        "text": "大船渡港",
        "event_id": event,
        "event_sequence": 1,
        "on": on,
        "score": score,
    }


def test_recent_evidence_outranks_old_and_duplicates_collapse() -> None:
    rows = [
        row("a", "e1", "2026-11-27"),
        row("a", "e1", "2026-11-27", score=1.0),  # the same evidence reached twice: keep the best
        row("a", "e2", "2024-11-27"),
        row("b", "e3", "bad-date"),
    ]
    grouped = score_evidence(rows, TODAY, 730)
    assert [e.event_id for e in grouped["a"]] == ["e1", "e2"]
    assert grouped["a"][0].score == 2.0
    assert grouped["a"][1].score == pytest.approx(1.0, rel=1e-3)
    assert grouped["b"][0].on is None
