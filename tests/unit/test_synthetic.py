"""The synthetic programme: deterministic, valid events, realistic shape."""

from __future__ import annotations

import pytest

from banso.synthetic.generate import Generator, scale_for
from schemas.envelope import EventEnvelope, verify_chain


def test_scales() -> None:
    assert scale_for(1) == scale_for(1.0)
    assert (scale_for(1).periods, scale_for(1).per_period) == (2, 100)
    assert (scale_for(10).periods, scale_for(10).per_period) == (2, 1000)
    big = scale_for(100)
    assert big.per_period == 1741
    assert big.engagements >= 20_000
    with pytest.raises(ValueError, match="periods"):
        scale_for(1000)


def test_same_seed_same_events_and_every_stream_is_a_valid_chain() -> None:
    first = [e.hash for _, events in Generator(0.1, seed=7).periods() for e in events]
    again = [e.hash for _, events in Generator(0.1, seed=7).periods() for e in events]
    other = [e.hash for _, events in Generator(0.1, seed=8).periods() for e in events]
    assert first == again
    assert first != other
    streams: dict[str, list[EventEnvelope]] = {}
    for _, events in Generator(0.1, seed=7).periods():
        for event in events:
            streams.setdefault(event.subject, []).append(event)
    assert len(streams) == 20
    for events in streams.values():
        ordered = sorted(events, key=lambda e: e.sequence)
        assert verify_chain(ordered).valid
        assert ordered[0].type == "MunicipalityApplied"
        assert ordered[-1].type == "EngagementClosed"
        team = next(e for e in ordered if e.type == "TeamAssigned")
        assert len({o["ministry"] for o in team.data["officials"]}) == 3
