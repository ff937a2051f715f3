"""ReferenceStreamWorkflow: the single writer of one official's or one body's reference stream."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from schemas.commands import CommandMeta, ReferenceCommand, ReferenceStart, RepairCommand
    from schemas.envelope import EventEnvelope
    from schemas.events import (
        BodyDefined,
        MunicipalitiesListed,
        OfficialPostChanged,
        OfficialRegistered,
        Payload,
        TravelRatesDefined,
    )
    from schemas.views import StreamHead, StreamReceipt, receipt_fields
    from services.i18n.message import N_, Msg
    from services.workflow.rejection import rejection
    from services.workflow.stream import history_is_long
    from services.workflow.updates import command_update
    from services.workflow.writer import StreamWriter

REGISTERING = frozenset(
    cls.__name__ for cls in (OfficialRegistered, BodyDefined, MunicipalitiesListed, TravelRatesDefined)
)


@workflow.defn
class ReferenceStreamWorkflow:
    """Reference data (支援官, 機関, 制度, 都道府県と市町村) as a hash-chained stream with one writer."""

    @workflow.init
    def __init__(self, start: ReferenceStart) -> None:
        self._start = start
        self._sequence = start.last_sequence
        self._head_hash = start.head_hash
        self._registered = start.registered
        self._writer = StreamWriter[StreamReceipt](self.stream_head, self._fold, start.receipts)

    @workflow.run
    async def run(self, start: ReferenceStart) -> None:
        """Live as long as the stream; continue-as-new when the history grows long."""
        await workflow.wait_condition(lambda: history_is_long(start.max_history_events))
        await self._writer.until_idle()
        carried = {"last_sequence": self._sequence, "head_hash": self._head_hash, "registered": self._registered}
        workflow.continue_as_new(start.model_copy(update=carried | {"receipts": self._writer.carried()}))

    @workflow.query
    def stream_head(self) -> StreamHead:
        """The last sequence and hash this workflow carries on from (what `banso repair` compares)."""
        return StreamHead(subject=self._start.subject, sequence=self._sequence, hash=self._head_hash)

    def check_command(self, payload: Payload) -> None:
        """The validators' check (a retried command is answered, not checked again)."""
        if not self._writer.answered():
            self._check(payload)

    def _check(self, payload: Payload) -> None:
        if isinstance(payload, OfficialRegistered) and self._registered:
            raise rejection("already_registered", Msg(N_("This official is already registered")))
        if isinstance(payload, OfficialPostChanged) and not self._registered:
            raise rejection("not_registered", Msg(N_("This official is not registered")))

    async def write_command(self, meta: CommandMeta, payload: Payload) -> StreamReceipt:
        """Check and write one reference event."""

        async def prepare(payload: Payload) -> None:
            self._check(payload)

        return await self._writer.command(lambda: self._writer.append(meta, payload, prepare))

    def _fold(self, payload: Payload, event: EventEnvelope) -> StreamReceipt:
        self._sequence, self._head_hash = event.sequence, event.hash
        self._registered = self._registered or event.type in REGISTERING
        return StreamReceipt(subject=self._start.subject, **receipt_fields(event))

    record = command_update("record", ReferenceCommand, StreamReceipt, "Append one reference event to this stream.")
    reconcile = command_update(
        "reconcile",
        RepairCommand,
        StreamReceipt,
        "記録の修復 — take over what the log holds beyond this workflow's head, then record the repair.",
    )
