"""How one event reads on an engagement's timeline: its label in both languages, its day, a short summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from schemas.envelope import EventEnvelope
from schemas.events import PAYLOAD_TYPES

DATE_FIELDS = (
    "start_date",
    "held_on",
    "made_on",
    "recorded_on",
    "applied_on",
    "assigned_on",
    "joined_on",
    "left_on",
    "changed_on",
    "submitted_on",
    "answered_on",
    "closed_on",
    "withdrawn_on",
    "due_on",
)
SUMMARY_FIELDS = ("title", "description", "area", "topic", "subject", "place", "summary", "reason", "feedback")


class TimelineEntry(BaseModel):
    """One row of the timeline (its anchor is `event-<id>`)."""

    event_id: str
    sequence: int
    event_type: str
    label_ja: str
    label_en: str
    day: date | None
    end_day: date | None
    summary: str
    actor: str
    time: str


def _labels(event_type: str) -> tuple[str, str]:
    cls = PAYLOAD_TYPES.get(event_type)
    first = (cls.__doc__ or event_type).splitlines()[0] if cls else event_type
    ja, _, en = first.partition(" — ")
    return ja.strip(), (en.split(".")[0].strip() or event_type)


def _summary(data: dict[str, Any]) -> str:
    for field in SUMMARY_FIELDS:
        if data.get(field):
            return str(data[field])
    if "officials" in data:
        return "、".join(f"{o['name']}（{o['ministry']}）" for o in data["officials"])
    if "official" in data and isinstance(data["official"], dict):
        return f"{data['official'].get('name')}（{data['official'].get('ministry')}）"
    if "body" in data and isinstance(data["body"], dict):
        return str(data["body"].get("name"))
    if "themes" in data:
        return "×".join(data["themes"])
    return ""


def entry(event: EventEnvelope) -> TimelineEntry:
    """The timeline row for `event`."""
    ja, en = _labels(event.type)
    data = event.data
    day = next((data[f] for f in DATE_FIELDS if data.get(f)), None)
    summary = _summary(data)
    if data.get("company_count"):
        summary = f"{summary} ({data['company_count']}社)".strip()
    return TimelineEntry(
        event_id=event.id,
        sequence=event.sequence,
        event_type=event.type,
        label_ja=ja,
        label_en=en,
        day=date.fromisoformat(day) if day else None,
        end_day=date.fromisoformat(data["end_date"]) if data.get("end_date") else None,
        summary=summary,
        actor=event.actor,
        time=event.time,
    )
