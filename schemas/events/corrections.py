"""訂正・取消: a recorded fact is never rewritten; a later event corrects or retracts it, with a reason.

The original event stays in the hash-chained log exactly as it was written. `EventCorrected` carries the
whole corrected record (the same kind of record: an activity stays an activity), and `EventRetracted`
withdraws a record that should not have been made. The fold, the report, search and the graph read the
record as corrected (or not at all once retracted); the timeline and the audit log show both, linked.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_serializer

from schemas.events.activities import CompanyVisitMade, OnlineMeetingHeld, SiteVisitMade
from schemas.events.base import Payload
from schemas.events.results import OutcomeRecorded, SurveyAnswered
from schemas.text import Text

CorrectablePayload = Annotated[
    OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade | OutcomeRecorded | SurveyAnswered,
    Field(discriminator="event_type"),
]
"""The records a correction may replace: activities, outcomes and survey answers."""

ACTIVITY_TYPES = frozenset({"OnlineMeetingHeld", "SiteVisitMade", "CompanyVisitMade"})
CORRECTABLE_TYPES = ACTIVITY_TYPES | {"OutcomeRecorded", "SurveyAnswered"}

EVENT_ID = Field(min_length=1, max_length=100, pattern=r"^[0-9A-Za-z._:-]+$")


class EventCorrected(Payload):
    """訂正 — the record made by event `corrects_event_id` reads, from now on, as `corrected`."""

    event_type: Literal["EventCorrected"] = "EventCorrected"
    corrects_event_id: str = EVENT_ID
    reason: Text = Field(description="訂正の理由")
    corrected: CorrectablePayload = Field(description="訂正後の記録 (同じ種類の記録: 活動は活動のまま)")

    @field_serializer("corrected")
    def _as_recorded(self, value: Payload) -> dict[str, Any]:
        """The corrected record as a record is stored: with its type and version, whatever was left unset."""
        return value.stored_form()


class EventRetracted(Payload):
    """取消 — the record made by event `retracts_event_id` should not have been made."""

    event_type: Literal["EventRetracted"] = "EventRetracted"
    retracts_event_id: str = EVENT_ID
    reason: Text = Field(description="取消の理由")


def same_kind(original_type: str, corrected_type: str) -> bool:
    """Whether a correction keeps the kind of record: any activity for an activity, else the same type."""
    if original_type in ACTIVITY_TYPES:
        return corrected_type in ACTIVITY_TYPES
    return original_type == corrected_type
