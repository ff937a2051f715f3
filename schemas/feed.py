"""The published feed: every event of every stream in one global order, each upcast to its current version."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.envelope import EventEnvelope
from schemas.events import PAYLOAD_TYPES


class FeedEvent(BaseModel):
    """One event as published to other systems: its place in the global order and its envelope.

    `data` is upcast to the payload's current version (`schema_version`); `stored_schema_version` is the
    version it was recorded under, and `hash` covers that stored form (the stream's log at
    `/api/v1/engagements/{id}/events` has it byte for byte).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    position: int = Field(ge=1, description="Place in the global order: 1, 2, 3, … with no gaps, never reused")
    specversion: str = "1.0"
    id: str = Field(description="UUID of the event (the webhook-id of its deliveries)")
    type: str
    source: str
    subject: str = Field(description="The stream: an engagement id, period-N or a reference stream")
    sequence: int = Field(ge=1, description="Position in its own stream, from 1")
    time: str = Field(description="When the event was recorded (UTC, ISO 8601)")
    actor: str
    trace_id: str | None = None
    command_id: str | None = None
    schema_version: int = Field(ge=1, description="The payload version `data` is given in (the current one)")
    stored_schema_version: int = Field(ge=1, description="The payload version the event was recorded under")
    datacontenttype: str = "application/json"
    data: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def publish(cls, position: int, event: EventEnvelope) -> FeedEvent:
        """`event` (as stored) at `position`, its payload upcast to the current version when its type is known."""
        data, version = dict(event.data), event.schema_version
        payload_type = PAYLOAD_TYPES.get(event.type)
        if payload_type is not None:
            try:
                current = payload_type.model_validate(event.data)
            except (ValidationError, ValueError):
                current = None  # published as stored: the feed never stops at one unreadable event
            if current is not None:
                data = current.model_dump(mode="json")
                version = current.schema_version
        envelope = event.model_dump(mode="json", exclude={"data", "schema_version"})
        return cls(
            position=position, data=data, schema_version=version, stored_schema_version=event.schema_version, **envelope
        )


class FeedPage(BaseModel):
    """Events after a cursor, oldest first; follow `next_cursor` to read on without gaps or repeats."""

    model_config = ConfigDict(frozen=True)

    items: list[FeedEvent]
    next_cursor: str = Field(
        description="The `after=` of the next page: the last item's position (or the cursor given)"
    )
    head: int = Field(ge=0, description="The newest position when this page was read")
