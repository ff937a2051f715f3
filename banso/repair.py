"""`banso repair`: bring a stream's log and its workflow back in line, from what each of them recorded.

Two disagreements can be repaired without guessing:
- the log is behind its workflow (Neo4j restored from an older backup): the missing events are in the
  workflow's Temporal history, byte for byte (each write's result carries the stored envelope), and are
  stored again exactly as they were, each one checked to extend the log's head;
- the log is ahead of its workflow (an event stored by a workflow task whose completion was lost, or
  Temporal restored from an older backup): the workflow takes those events over from the log.
Either way the workflow then records a `StreamRepaired` event naming the sequences. Anything else — an
event that differs between the two, a missing event the history no longer holds — is reported and left
alone for a person to decide.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from schemas.commands import CommandMeta, RepairCommand
from schemas.envelope import GENESIS_HASH, EventEnvelope
from schemas.events import StreamRepaired
from schemas.views import StreamHead
from services.graph.errors import ChainConflict
from services.graph.store.event_store import EventStore
from services.workflow.activities import RecordEventInput, RecordEventResult

REPAIR_ACTOR = "system:banso-repair"
LOCAL_ACTIVITY_MARKER = "core_local_activity"
RECORD_ACTIVITY = "record_event"


@dataclass
class StreamReport:
    """What repair found and did for one stream."""

    subject: str
    workflow_sequence: int | None
    log_sequence: int
    restored: list[int] = field(default_factory=list)
    adopted: list[int] = field(default_factory=list)
    recorded: int | None = None
    problem: str | None = None

    @property
    def in_line(self) -> bool:
        """Whether log and workflow agree (now) with nothing left for a person."""
        return self.problem is None


async def _runs(client: Client, workflow_id: str) -> list[str]:
    """Every run of the workflow still in Temporal, oldest first."""
    runs = [e async for e in client.list_workflows(f'WorkflowId = "{workflow_id}"')]
    return [r.run_id for r in sorted(runs, key=lambda r: r.start_time)]


async def _written(client: Client, event: HistoryEvent) -> EventEnvelope | None:
    """The envelope a history event says was stored, if it is the result of a `record_event`."""
    convert = client.data_converter
    if event.HasField("marker_recorded_event_attributes"):
        attrs = event.marker_recorded_event_attributes
        if attrs.marker_name != LOCAL_ACTIVITY_MARKER or "result" not in attrs.details:
            return None
        data = json.loads(attrs.details["data"].payloads[0].data) if "data" in attrs.details else {}
        if data.get("activity_type") != RECORD_ACTIVITY:
            return None
        [result] = await convert.decode(attrs.details["result"].payloads, [RecordEventResult])
        return result.stored if isinstance(result, RecordEventResult) else None
    if event.HasField("activity_task_completed_event_attributes"):
        attrs_c = event.activity_task_completed_event_attributes
        try:
            [result] = await convert.decode(attrs_c.result.payloads, [RecordEventResult])
        except Exception:
            return None
        return result.stored if isinstance(result, RecordEventResult) else None
    return None


async def _scheduled_inputs(client: Client, events: Sequence[HistoryEvent]) -> dict[int, EventEnvelope]:
    """Inputs of scheduled `record_event` activities by event id (older results carry no envelope)."""
    inputs: dict[int, EventEnvelope] = {}
    for event in events:
        if event.HasField("activity_task_scheduled_event_attributes"):
            attrs = event.activity_task_scheduled_event_attributes
            if attrs.activity_type.name == RECORD_ACTIVITY:
                [inp] = await client.data_converter.decode(attrs.input.payloads, [RecordEventInput])
                inputs[event.event_id] = inp.event
    return inputs


async def history_envelopes(client: Client, workflow_id: str) -> dict[int, EventEnvelope]:
    """Every event the workflow's runs recorded as stored, by sequence (the last word for each)."""
    found: dict[int, EventEnvelope] = {}
    for run_id in await _runs(client, workflow_id):
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        inputs = await _scheduled_inputs(client, history.events)
        for event in history.events:
            envelope = await _written(client, event)
            if envelope is None and event.HasField("activity_task_completed_event_attributes"):
                envelope = inputs.get(event.activity_task_completed_event_attributes.scheduled_event_id)
            if envelope is not None:
                found[envelope.sequence] = envelope
    return found


async def _head(client: Client, subject: str) -> tuple[StreamHead, bool] | None:
    """The workflow's head and whether it still runs, or None when Temporal has no such workflow."""
    handle = client.get_workflow_handle(subject)
    try:
        description = await handle.describe()
        head = await handle.query("stream_head", result_type=StreamHead)
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    return head, description.status == WorkflowExecutionStatus.RUNNING


def _diverged(log: Sequence[EventEnvelope], history: dict[int, EventEnvelope]) -> int | None:
    """The first sequence where the log and the history hold different events."""
    for event in log:
        known = history.get(event.sequence)
        if known is not None and known.hash != event.hash:
            return event.sequence
    return None


async def _restore(store: EventStore, log: list[EventEnvelope], missing: list[EventEnvelope]) -> list[int]:
    """Store `missing` again in order, each extending the log's head; the sequences stored."""
    head = log[-1].hash if log else GENESIS_HASH
    restored = []
    for event in missing:
        if event.prev_hash != head:
            raise ChainConflict(f"#{event.sequence} from the history does not follow the log's head")
        stored = await store.append(event)
        if stored.event.hash != event.hash:
            raise ChainConflict(f"#{event.sequence} is stored meanwhile as another event")
        head = event.hash
        restored.append(event.sequence)
    return restored


async def repair_stream(client: Client, store: EventStore, subject: str, *, dry_run: bool = False) -> StreamReport:
    """Compare one stream's log with its workflow and repair what can be repaired without guessing."""
    log = await store.stream(subject)
    found = await _head(client, subject)
    report = StreamReport(subject, found[0].sequence if found else None, log[-1].sequence if log else 0)
    if found is None:
        report.problem = "Temporal has no workflow for this stream (ended beyond retention?): nothing to compare"
        return report
    head, running = found
    if head.sequence == report.log_sequence and head.hash == (log[-1].hash if log else None):
        return report
    history = await history_envelopes(client, subject)
    diverged = _diverged(log, history)
    if diverged is not None:
        report.problem = f"#{diverged} differs between the log and the workflow's history: left for a person"
        return report
    if head.sequence > report.log_sequence:
        wanted = range(report.log_sequence + 1, head.sequence + 1)
        absent = [n for n in wanted if n not in history]
        if absent:
            report.problem = f"#{absent[0]}… are not in the workflow's history any more: cannot restore them"
            return report
        if dry_run:
            report.restored = list(wanted)
            return report
        try:
            report.restored = await _restore(store, log, [history[n] for n in wanted])
        except ChainConflict as err:
            report.problem = str(err)
            return report
    else:
        at_head = log[head.sequence - 1].hash if head.sequence else None
        if head.sequence == report.log_sequence or at_head != head.hash:
            report.problem = f"#{head.sequence or 1} differs between the log and the workflow: left for a person"
            return report
        report.adopted = list(range(head.sequence + 1, report.log_sequence + 1))
    if dry_run:
        return report
    if not running:
        report.problem = "the workflow has ended, so the repair is not recorded as an event"
        return report
    payload = StreamRepaired(restored=report.restored, adopted=report.adopted)
    try:
        receipt = await client.get_workflow_handle(subject).execute_update(
            "reconcile",
            RepairCommand(meta=CommandMeta(actor=REPAIR_ACTOR), payload=payload),
            id=f"reconcile:{uuid.uuid4()}",
            result_type=dict[str, Any],
        )
    except WorkflowUpdateFailedError as err:
        report.problem = f"the workflow refused the repair: {err.cause or err}"
        return report
    report.recorded = int(receipt["sequence"])
    report.log_sequence = report.recorded
    report.workflow_sequence = report.recorded
    return report


async def stream_subjects(client: Client, store_subjects: Sequence[str]) -> list[str]:
    """Every stream: those with events in the log and those whose workflow runs."""
    running = [e.id async for e in client.list_workflows('ExecutionStatus = "Running"')]
    return sorted(set(store_subjects) | set(running))


async def repair_all(
    client: Client, store: EventStore, subjects: Sequence[str], *, dry_run: bool = False
) -> AsyncIterator[StreamReport]:
    """Repair each stream in turn, yielding its report as it finishes (for progress)."""
    for subject in subjects:
        yield await repair_stream(client, store, subject, dry_run=dry_run)
