"""Corrections and retractions in the fold and in every read built from the log (pure, no I/O).

The state keeps each correctable record (activity, outcome, survey answer) as it reads now, so that a
correction can take back the original's effect (a count, a last date) and apply the corrected one.
`effective_events` gives readers (the report, exports) the log as it reads after corrections: the
original event carries the corrected facts, a retracted one is left out, and the corrections themselves
are not facts of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from schemas.envelope import EventEnvelope
from schemas.events import (
    CORRECTABLE_TYPES,
    CompanyVisitMade,
    EventCorrected,
    EventRetracted,
    OnlineMeetingHeld,
    Payload,
    SiteVisitMade,
    parse_payload,
)
from schemas.views import ActivityCounts, EngagementState, RecordState

Activity = OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade
ACTIVITY_KINDS = ("online_meeting", "site_visit", "company_visit")
COUNTED = {OnlineMeetingHeld: "online_meetings", SiteVisitMade: "site_visits", CompanyVisitMade: "company_visits"}


def counted(counts: ActivityCounts, p: Activity, sign: int) -> ActivityCounts:
    """The activity counts with `p` added (sign 1) or taken back (sign -1)."""
    field = COUNTED[type(p)]
    update = {field: getattr(counts, field) + sign}
    if isinstance(p, CompanyVisitMade):
        update["companies_visited"] = counts.companies_visited + sign * p.company_count
    return counts.model_copy(update=update)


def remembered(state: EngagementState, payload: Payload, event_id: str) -> dict[str, RecordState]:
    """The records with `payload` added when it is a correctable record (else unchanged)."""
    event_type = str(type(payload).model_fields["event_type"].default)
    if not event_id or event_type not in CORRECTABLE_TYPES:
        return state.records
    record = RecordState(event_type=event_type, data=payload.model_dump(mode="json"))
    return state.records | {event_id: record}


def current(record: RecordState) -> Payload:
    """The record's payload as it reads now."""
    return parse_payload(record.event_type, record.data)


def _last_activity_dates(state: EngagementState, records: dict[str, RecordState]) -> dict[str, date]:
    """`last_dates` with each activity kind's last day taken again from the records left standing."""
    last = {k: v for k, v in state.last_dates.items() if k not in ACTIVITY_KINDS}
    for record in records.values():
        p = current(record)
        if record.retracted_by is None and isinstance(p, Activity):
            day = p.end_date or p.start_date
            if p.kind.value not in last or last[p.kind.value] < day:
                last[p.kind.value] = day
    return last


def _effect(state: EngagementState, p: Payload, sign: int) -> dict[str, Any]:
    """What one record contributes to the state's counts, added (1) or taken back (-1)."""
    if isinstance(p, Activity):
        return {"counts": counted(state.counts, p, sign)}
    if p.model_fields["event_type"].default == "OutcomeRecorded":
        return {"outcomes": state.outcomes + sign}
    return {"surveys": state.surveys + sign}


def corrected(state: EngagementState, p: EventCorrected, event_id: str) -> dict[str, Any]:
    """The state's changes when `p` corrects a record: the original's effect out, the corrected one in."""
    record = state.records[p.corrects_event_id]
    before = current(record)
    after_state = state.model_copy(update=_effect(state, before, -1))
    update = _effect(after_state, p.corrected, 1)
    new_record = RecordState(
        event_type=str(p.corrected.event_type),
        data=p.corrected.model_dump(mode="json"),
        corrected_by=[*record.corrected_by, event_id],
    )
    records = state.records | {p.corrects_event_id: new_record}
    if isinstance(before, Activity) or isinstance(p.corrected, Activity):
        update["last_dates"] = _last_activity_dates(state, records)
    return update | {"records": records}


def retracted(state: EngagementState, p: EventRetracted, event_id: str) -> dict[str, Any]:
    """The state's changes when `p` retracts a record: its effect taken back."""
    record = state.records[p.retracts_event_id]
    before = current(record)
    update = _effect(state, before, -1)
    records = state.records | {p.retracts_event_id: record.model_copy(update={"retracted_by": event_id})}
    if isinstance(before, Activity):
        update["last_dates"] = _last_activity_dates(state, records)
    return update | {"records": records}


def effective_events(events: Sequence[EventEnvelope]) -> list[EventEnvelope]:
    """The log as it reads after corrections: originals with their latest facts, retracted ones left out."""
    latest: dict[str, dict[str, Any]] = {}
    gone: set[str] = set()
    for event in events:
        if event.type == "EventCorrected":
            latest[str(event.data["corrects_event_id"])] = dict(event.data["corrected"])
        elif event.type == "EventRetracted":
            gone.add(str(event.data["retracts_event_id"]))
    out: list[EventEnvelope] = []
    for event in events:
        if event.type in ("EventCorrected", "EventRetracted") or event.id in gone:
            continue
        if event.id in latest:
            data = latest[event.id]
            event = event.model_copy(update={"type": str(data["event_type"]), "data": data})
        out.append(event)
    return out
