"""Footprints for regrouping a replay: every synthetic event has one, its stream first; rare kinds are barriers."""

from __future__ import annotations

from banso.synthetic.generate import Generator
from schemas.events import EventRetracted, OnlineMeetingHeld, TeamAssigned, parse_payload
from services.graph.projection.footprint import READ, RECORD, WRITE, commute, footprint


def test_every_synthetic_event_has_a_footprint_with_its_stream() -> None:
    _, events = next(Generator(0.05).periods())
    for event in events:
        payload = parse_payload(event.type, event.data)
        keys = footprint(payload, event.subject)
        assert keys is not None, event.type
        assert keys[f"stream:{event.subject}"] in (WRITE, RECORD)
        if isinstance(payload, OnlineMeetingHeld):
            assert keys[f"stream:{event.subject}"] == RECORD
            assert all(keys[f"official:{i}"] == READ for i in payload.participant_ids)
        if isinstance(payload, TeamAssigned):
            assert all(keys[f"official:{o.official_id}"] == WRITE for o in payload.officials)


def test_reads_and_records_commute_among_themselves_and_writes_with_nothing() -> None:
    assert [commute(READ, READ), commute(RECORD, RECORD)] == [True, True]
    assert [commute(WRITE, WRITE), commute(READ, WRITE), commute(READ, RECORD)] == [False, False, False]


def test_a_retraction_is_a_barrier() -> None:
    assert footprint(EventRetracted(retracts_event_id="e1", reason="重複"), "engagement-1-032034") is None
