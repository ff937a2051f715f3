"""The published feed item: the stored envelope with its payload upcast, the stored version kept."""

from __future__ import annotations

from schemas.envelope import GENESIS_HASH, EventEnvelope
from schemas.feed import FeedEvent


def envelope(event_type: str, data: dict[str, object], version: int) -> EventEnvelope:
    return EventEnvelope(
        id="e1",
        type=event_type,
        subject="engagement-2-132012",
        sequence=5,
        time="2025-06-01T00:00:00.000000Z",
        actor="user:kanri",
        schema_version=version,
        data=data,
        prev_hash=GENESIS_HASH,
    ).sealed()


def test_an_old_outcome_is_published_at_the_current_version() -> None:
    stored = envelope(
        "OutcomeRecorded",
        {
            "event_type": "OutcomeRecorded",
            "schema_version": 1,
            "kind": "selection",
            "status": "in_progress",
            "description": "サーキュラーエコノミーポートへの選定を目指す",
            "recorded_on": "2025-08-01",
        },
        1,
    )
    item = FeedEvent.publish(12, stored)
    assert item.position == 12
    assert item.stored_schema_version == 1
    assert item.schema_version == item.data["schema_version"] == 4
    assert item.data["contributor_ids"] == []
    assert item.hash == stored.hash, "the hash is the stored form's"


def test_an_unknown_or_unreadable_payload_is_published_as_stored() -> None:
    stored = envelope("SomethingNewer", {"x": 1}, 1)
    item = FeedEvent.publish(1, stored)
    assert item.data == {"x": 1}
    assert item.schema_version == item.stored_schema_version == 1
