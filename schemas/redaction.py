"""Amounts and appointment details withheld from readers who may not see them (pure).

Money (支援旅費: plans, settlements, the budget, the rates) and 併任 details are for staff, admin and
auditors only. Every other reader of an event log, of the feed or of a webhook gets those events with
their data cut down to what says *that* something happened and to whom: every amount (every field whose
name contains `_yen`, also inside lists such as a budget's team shares) and the free text beside it
(`note`, `reason`) removed, and `"redacted": true` added. An appointment event keeps only the official's
id. The event's id, type, sequence and hashes are untouched: the hash covers the stored data, which this
reader does not get (the chain verdict beside the log is the server's, computed before redaction).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from schemas.envelope import EventEnvelope
from schemas.feed import FeedEvent

MONEY_EVENTS = frozenset({"TravelPlanned", "TravelSettled", "TravelBudgetAllocated", "TravelRatesDefined"})
APPOINTMENT_EVENTS = frozenset({"AppointmentIssued", "AppointmentChanged", "AppointmentEnded"})
REDACTED_EVENTS = MONEY_EVENTS | APPOINTMENT_EVENTS
FREE_TEXT = frozenset({"note", "reason"})
AMOUNT_MARK = "_yen"


def _without_amounts(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _without_amounts(v) for k, v in value.items() if AMOUNT_MARK not in str(k) and k not in FREE_TEXT}
    if isinstance(value, list):
        return [_without_amounts(v) for v in value]
    return value


def redact_data(event_type: str, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The data a reader without the money roles may see of an event of `event_type`; None: all of it."""
    if event_type in MONEY_EVENTS:
        kept: dict[str, Any] = _without_amounts(data)
        return {**kept, "redacted": True}
    if event_type in APPOINTMENT_EVENTS:
        official = data.get("official")
        official_id = official.get("official_id") if isinstance(official, Mapping) else data.get("official_id")
        kept = {"event_type": data.get("event_type", event_type), "official_id": official_id}
        if "schema_version" in data:
            kept["schema_version"] = data["schema_version"]
        return {**kept, "redacted": True}
    return None


Event = TypeVar("Event", EventEnvelope, FeedEvent)


def redacted(event: Event) -> Event:
    """`event` as a reader without the money roles gets it (itself when nothing is withheld)."""
    data = redact_data(event.type, event.data)
    return event if data is None else event.model_copy(update={"data": data})
