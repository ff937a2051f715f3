"""The synthetic programme: deterministic, valid events, realistic shape."""

from __future__ import annotations

import pytest

from banso.synthetic.generate import Generator, scale_for
from schemas.envelope import EventEnvelope, verify_chain
from schemas.events import OfficialRef


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


def test_planted_expertise_is_known_deterministic_and_shows_in_who_did_what() -> None:
    generator = Generator(0.2, seed=7)
    expertise = generator.expertise()
    assert expertise == Generator(0.2, seed=7).expertise()
    assert all(1 <= len(themes) <= 2 for themes in expertise.values())
    led = specialist_led = 0
    for _, events in generator.periods():
        teams: dict[str, set[str]] = {}
        for event in events:
            data = event.data
            if event.type == "TeamAssigned":
                teams[event.subject] = {OfficialRef.model_validate(o).official_id for o in data["officials"]}
            named = set(data.get("participant_ids", [])) | set(data.get("contributor_ids", []))
            assert named <= teams.get(event.subject, set())  # only the team's members are named
            if event.type == "OutcomeRecorded":
                assert data["contributor_ids"]
                assert data["achieved_on"] <= data["recorded_on"]
            if event.type in ("SiteVisitMade", "CompanyVisitMade", "CoordinationHeld"):
                theme = data.get("topic", data.get("notes", "")).split("に関する")[0]
                led += 1
                specialist_led += theme in expertise[data["led_by"]]
            if event.type == "OnlineMeetingHeld":
                assert set(data["participant_ids"]) == teams[event.subject]
    assert led > 50
    assert specialist_led / led > 0.4  # mostly the specialist, when the team has one
    worked = generator.worked_on()
    assert worked
    assert set(worked) <= set(expertise)
