"""The projection plan: labels from code only, one statement set per event."""

from __future__ import annotations

from schemas.envelope import GENESIS_HASH, EventEnvelope
from schemas.events import BodyKind, BodyRef, OutcomeKind, OutcomeRecorded, OutcomeStatus
from services.graph.projection.plan import BODY_LABELS, plan


def outcome_event(payload: OutcomeRecorded) -> EventEnvelope:
    return EventEnvelope(
        id="00000000-0000-4000-8000-000000000001",
        type="OutcomeRecorded",
        subject="engagement-2-032034",
        sequence=1,
        time="2025-05-08T00:00:00.000000Z",
        actor="a",
        schema_version=1,
        data=payload.model_dump(mode="json"),
        prev_hash=GENESIS_HASH,
    ).sealed()


def test_every_body_kind_has_a_label() -> None:
    assert set(BODY_LABELS) == set(BodyKind)


def test_body_names_go_in_as_parameters_never_into_the_query() -> None:
    hostile = "x}) DETACH DELETE n //"
    payload = OutcomeRecorded(
        kind=OutcomeKind.SELECTION,
        description="d",
        status=OutcomeStatus.PLANNED,
        related=[BodyRef(kind=BodyKind.REGIONAL_BUREAU, name=hostile)],
    )
    statements = plan(outcome_event(payload))
    assert all(hostile not in s.query for s in statements)
    assert any(s.params.get("names") == [hostile] for s in statements)
    assert any(":RegionalBureau" in s.query for s in statements)
