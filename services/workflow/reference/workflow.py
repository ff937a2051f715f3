"""ReferenceStreamWorkflow: the single writer of one official's or one body's reference stream."""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from schemas.commands import CommandMeta, ReferenceCommand, ReferenceStart, RepairCommand
    from schemas.envelope import EventEnvelope
    from schemas.events import BodyDefined, MunicipalitiesListed, OfficialPostChanged, OfficialRegistered, Payload
    from schemas.views import StreamHead, StreamReceipt
    from services.workflow.answers import Answers
    from services.workflow.rejection import rejection
    from services.workflow.stream import append_event, current_command_id, history_is_long

RECEIPTS_KEPT = 1_000


REGISTERING = frozenset(cls.__name__ for cls in (OfficialRegistered, BodyDefined, MunicipalitiesListed))


@workflow.defn
class ReferenceStreamWorkflow:
    """Reference data (支援官, 機関, 制度, 都道府県と市町村) as a hash-chained stream with one writer."""

    @workflow.init
    def __init__(self, start: ReferenceStart) -> None:
        self._start = start
        self._sequence = start.last_sequence
        self._head = start.head_hash
        self._registered = start.registered
        self._answers = Answers[StreamReceipt](start.receipts, RECEIPTS_KEPT)
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, start: ReferenceStart) -> None:
        """Live as long as the stream; continue-as-new when the history grows long."""
        await workflow.wait_condition(lambda: history_is_long(start.max_history_events))
        await workflow.wait_condition(lambda: workflow.all_handlers_finished() and not self._lock.locked())
        workflow.continue_as_new(
            start.model_copy(
                update={
                    "last_sequence": self._sequence,
                    "head_hash": self._head,
                    "registered": self._registered,
                    "receipts": self._answers.carried(),
                }
            )
        )

    def _check(self, payload: Payload) -> None:
        if self._answers.answer(current_command_id()) is not None:
            return
        if isinstance(payload, OfficialRegistered) and self._registered:
            raise rejection("already_registered", "この支援官は登録済みです", "this official is already registered")
        if isinstance(payload, OfficialPostChanged) and not self._registered:
            raise rejection("not_registered", "この支援官は登録されていません", "this official is not registered")

    @workflow.query
    def stream_head(self) -> StreamHead:
        """The last sequence and hash this workflow carries on from (what `banso repair` compares)."""
        return StreamHead(subject=self._start.subject, sequence=self._sequence, hash=self._head)

    @workflow.update
    async def record(self, cmd: ReferenceCommand) -> StreamReceipt:
        """Append one reference event to this stream."""
        return await self._record(cmd.meta, cmd.payload)

    @workflow.update
    async def reconcile(self, cmd: RepairCommand) -> StreamReceipt:
        """記録の修復 — take over what the log holds beyond this workflow's head, then record the repair."""
        return await self._record(cmd.meta, cmd.payload)

    @reconcile.validator
    def _validate_reconcile(self, cmd: RepairCommand) -> None:
        self._check(cmd.payload)

    async def _record(self, meta: CommandMeta, payload: Payload) -> StreamReceipt:
        async with self._lock:
            command_id = current_command_id()
            while True:  # again after adopting a lost task's event, against the state it leads to
                answered = self._answers.answer(command_id)
                if answered is not None:
                    return answered
                self._check(payload)
                written = await append_event(
                    self._start.subject, self._sequence + 1, self._head, meta, payload, command_id
                )
                receipt = self._fold(written.event)
                if written.ours:
                    break
            if command_id is not None:
                self._answers.remember(command_id, receipt)
            return receipt

    def _fold(self, event: EventEnvelope) -> StreamReceipt:
        """Move the head to `event`; an event of another command is remembered as that command's answer."""
        self._sequence, self._head = event.sequence, event.hash
        self._registered = self._registered or event.type in REGISTERING
        receipt = StreamReceipt(
            subject=self._start.subject,
            event_id=event.id,
            event_type=event.type,
            sequence=event.sequence,
            hash=event.hash,
        )
        if event.command_id is not None:
            self._answers.remember(event.command_id, receipt)
        return receipt

    @record.validator
    def _validate_record(self, cmd: ReferenceCommand) -> None:
        self._check(cmd.payload)
