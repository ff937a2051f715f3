"""What a database writer without the chain key can do: rewrite an event and recompute every later hash."""

from __future__ import annotations

from collections.abc import Mapping

from schemas.envelope import EventEnvelope, compute_hash


def rewritten(events: list[EventEnvelope], sequence: int, data: Mapping[str, object]) -> list[EventEnvelope]:
    """Event `sequence` with new data, and it and every later event re-hashed: a valid unkeyed chain."""
    out: list[EventEnvelope] = []
    for event in events:
        update: dict[str, object] = {"prev_hash": out[-1].hash} if out else {}
        if event.sequence == sequence:
            update["data"] = dict(data)
        changed = event.model_copy(update=update)
        out.append(changed.model_copy(update={"hash": compute_hash(changed)}))
    return out
