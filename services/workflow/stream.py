"""Workflow-side appending to a hash-chained stream: build and hash the next event, store it. Deterministic.

A write answers with the event stored at the position it asked for, and the workflow carries on with
that event, never with its own copy. This is what keeps a stream from forking when a workflow task is
lost after its local activity committed: the retried task builds and hashes the event again (another time, perhaps
another command first, since updates may be redelivered in another order), finds the position taken,
and either recognises its own event (same command) or adopts the other command's event into its state
and tries again at the next position. The log is the record; the workflow never guesses past it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from schemas.commands import CommandMeta
    from schemas.envelope import GENESIS_HASH, EventEnvelope, format_time
    from schemas.events import Payload
    from services.workflow.activities import EngagementActivities, RecordEventInput, RecordEventResult

RECORD_TIMEOUT = timedelta(seconds=30)
RECORD_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))
# Events recorded through a local activity from here on (fewer round trips per event).
LOCAL_RECORD_PATCH = "record-event-as-local-activity"
# Events carry the id of the command (update) they answer from here on; older replays hash without it,
# so their hashes stay what was stored.
COMMAND_ID_PATCH = "event-command-id"


@dataclass(frozen=True)
class Written:
    """The event stored at the position a write asked for; `ours` is False when it answers another command."""

    event: EventEnvelope
    ours: bool


def history_is_long(max_history_events: int) -> bool:
    """Whether this run should continue-as-new: Temporal suggests it, or the history passed the limit."""
    info = workflow.info()
    return info.is_continue_as_new_suggested() or info.get_current_history_length() >= max_history_events


def current_command_id() -> str | None:
    """The id of the update being handled, if any (events raised by the workflow itself have none)."""
    update = workflow.current_update_info()
    return update.id if update is not None else None


def _same_command(stored: EventEnvelope, built: EventEnvelope) -> bool:
    if built.command_id is not None and stored.command_id is not None:
        return stored.command_id == built.command_id and stored.type == built.type
    # Events the workflow raised itself (alerts), or stored before events named their command, are the
    # same event when they say the same thing.
    return (stored.type, stored.actor, stored.data) == (built.type, built.actor, built.data)


async def append_event(
    subject: str,
    sequence: int,
    prev_hash: str | None,
    meta: CommandMeta,
    payload: Payload,
    command_id: str | None = None,
) -> Written:
    """Build and hash `payload` as event `sequence` of `subject` after `prev_hash` and store it.

    Returns the event stored at that position: this one, the same command's event hashed by an earlier
    attempt (adopt its time and hash), or another command's event (`ours=False`: fold it, check the
    command again and append at the next position).
    """
    with_command = command_id is not None and workflow.patched(COMMAND_ID_PATCH)
    event = EventEnvelope(
        id=str(workflow.uuid4()),
        type=type(payload).__name__,
        subject=subject,
        sequence=sequence,
        time=format_time(workflow.now()),
        actor=meta.actor,
        trace_id=meta.trace_id,
        command_id=command_id if with_command else None,
        schema_version=payload.stored_version,
        data=payload.stored_form(),
        prev_hash=prev_hash or GENESIS_HASH,
    ).sealed()
    if workflow.patched(LOCAL_RECORD_PATCH):
        # A local activity saves a server round trip per event. It may run again after a lost workflow
        # task; the store then answers with what the first run stored.
        result: RecordEventResult = await workflow.execute_local_activity_method(
            EngagementActivities.record_event,
            RecordEventInput(event=event),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
        )
    else:
        result = await workflow.execute_activity_method(
            EngagementActivities.record_event,
            RecordEventInput(event=event),
            start_to_close_timeout=RECORD_TIMEOUT,
            retry_policy=RECORD_RETRY,
        )
    stored = result.stored or event  # results recorded before `stored` existed: the event was stored
    if _same_command(stored, event):
        return Written(stored, ours=True)
    workflow.logger.warning(
        "%s#%d was written by a lost workflow task for another command (%s); adopting it",
        subject,
        sequence,
        stored.command_id or stored.type,
    )
    return Written(stored, ours=False)
