"""The stored event: a CloudEvents-style envelope around a payload, chained by hash per stream."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.seal import SealVerdict

GENESIS_HASH = "0" * 64
EVENT_SOURCE = "banso/engagement-workflow"


class EventEnvelope(BaseModel):
    """One immutable entry of an engagement's log (CloudEvents 1.0 attribute names plus the chain)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    specversion: str = "1.0"
    id: str = Field(description="UUID of the event")
    type: str = Field(description="Event type, e.g. SiteVisitMade")
    source: str = EVENT_SOURCE
    subject: str = Field(description="The stream: the engagement id")
    sequence: int = Field(ge=1, description="Position in the stream, from 1")
    time: str = Field(description="When the event was recorded (UTC, ISO 8601)")
    actor: str = Field(description="Who issued the command")
    trace_id: str | None = Field(default=None, description="OpenTelemetry trace id of the request")
    command_id: str | None = Field(
        default=None,
        description="The command (Temporal update id) this event answers; absent for events the workflow raised "
        "itself and for events stored before it was recorded",
    )
    schema_version: int = Field(ge=1)
    datacontenttype: str = "application/json"
    data: dict[str, Any]
    prev_hash: str
    hash: str = ""

    def sealed(self) -> EventEnvelope:
        """This envelope with its hash computed from prev_hash and its content."""
        return self.model_copy(update={"hash": compute_hash(self)})


def format_time(moment: datetime) -> str:
    """The one textual form of an event time, so hashing is stable across readers."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    """The inverse of format_time."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def canonical_json(value: Any) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8 without escaping Japanese."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def compute_hash(envelope: EventEnvelope) -> str:
    """sha256(prev_hash || canonical JSON of the envelope without its hash).

    An absent `command_id` is left out of the hashed form, so events stored before it existed verify as before.
    """
    body = envelope.model_dump(mode="json", exclude={"hash"})
    if body.get("command_id") is None:
        del body["command_id"]
    digest = hashlib.sha256()
    digest.update(envelope.prev_hash.encode("ascii"))
    digest.update(canonical_json(body))
    return digest.hexdigest()


class ChainVerdict(BaseModel):
    """The result of checking one stream's hash chain end to end."""

    model_config = ConfigDict(frozen=True)
    valid: bool
    events: int
    first_bad_sequence: int | None = None
    reason: str | None = None
    head_hash: str | None = None
    seals: SealVerdict | None = Field(
        default=None, description="The keyed check (HMAC seals); absent when only the unkeyed chain was checked"
    )


def verify_chain(events: list[EventEnvelope]) -> ChainVerdict:
    """Check sequence numbers, prev_hash links and every hash, reporting the first bad event."""
    prev = GENESIS_HASH
    for expected_seq, event in enumerate(events, start=1):
        if event.sequence != expected_seq:
            return ChainVerdict(
                valid=False,
                events=len(events),
                first_bad_sequence=expected_seq,
                reason=f"sequence gap: expected {expected_seq}, found {event.sequence}",
            )
        if event.prev_hash != prev:
            return ChainVerdict(
                valid=False,
                events=len(events),
                first_bad_sequence=event.sequence,
                reason="prev_hash does not match the previous event's hash",
            )
        if compute_hash(event) != event.hash:
            return ChainVerdict(
                valid=False,
                events=len(events),
                first_bad_sequence=event.sequence,
                reason="content does not match its hash (the event was altered)",
            )
        prev = event.hash
    return ChainVerdict(valid=True, events=len(events), head_hash=prev if events else None)
