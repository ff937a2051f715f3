"""Workflow-side appending to a hash-chained stream: seal the next event and store it. Deterministic."""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from schemas.commands import CommandMeta
    from schemas.envelope import GENESIS_HASH, EventEnvelope, format_time
    from schemas.events import Payload
    from services.workflow.activities import EngagementActivities, RecordEventInput

RECORD_TIMEOUT = timedelta(seconds=30)
R = TypeVar("R")
RECORD_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))
# Events recorded through a local activity from here on (fewer round trips per event).
LOCAL_RECORD_PATCH = "record-event-as-local-activity"


async def append_event(
    subject: str, sequence: int, prev_hash: str | None, meta: CommandMeta, payload: Payload
) -> EventEnvelope:
    """Seal `payload` as event `sequence` of `subject` after `prev_hash`, store it, and return it."""
    event = EventEnvelope(
        id=str(workflow.uuid4()),
        type=type(payload).__name__,
        subject=subject,
        sequence=sequence,
        time=format_time(workflow.now()),
        actor=meta.actor,
        trace_id=meta.trace_id,
        schema_version=payload.stored_version,
        data=payload.stored_form(),
        prev_hash=prev_hash or GENESIS_HASH,
    ).sealed()
    if workflow.patched(LOCAL_RECORD_PATCH):
        # A local activity saves a server round trip per event; the write is idempotent by event id,
        # so a retried attempt after a worker crash stores nothing twice.
        await workflow.execute_local_activity_method(
            EngagementActivities.record_event,
            RecordEventInput(event=event),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
        )
    else:
        await workflow.execute_activity_method(
            EngagementActivities.record_event,
            RecordEventInput(event=event),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
        )
    return event


def remember(receipts: dict[str, R], update_id: str, receipt: R, kept: int) -> None:
    """Keep the answer to `update_id` so a retried update is answered again; forget the oldest beyond `kept`."""
    receipts[update_id] = receipt
    while len(receipts) > kept:
        del receipts[next(iter(receipts))]
