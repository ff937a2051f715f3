"""StreamWriter: what every stream's workflow shares, so each workflow states only its commands and rules.

One command at a time (a lock: sequence numbers and the hash chain stay strictly serial although updates
interleave at awaits); a retried command answered from its receipt, never done twice; the append loop
that carries on with the event the log holds (see `stream.py`): an event of another command, written
by a workflow task whose completion was lost, is folded in and kept as that command's answer, and the
current command is checked again against the state it leads to. Deterministic, no I/O.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Generic, TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from schemas.commands import CommandMeta
    from schemas.envelope import EventEnvelope
    from schemas.events import Payload, parse_payload
    from schemas.views import StreamHead
    from services.workflow.answers import Answers
    from services.workflow.stream import append_event, current_command_id

R = TypeVar("R")
# How many answered commands a stream keeps (and carries across continue-as-new) to answer retries.
RECEIPTS_KEPT = 2_000

Fold = Callable[[Payload, EventEnvelope], R]
Prepare = Callable[[Payload], Awaitable[None]]


class StreamWriter(Generic[R]):
    """The single writer of one stream: `head` says where the stream stands, `fold` takes an event in.

    `fold` updates the workflow's state with a stored event and returns the receipt that answers its
    command; the writer calls it for the events it writes and for those it finds in the log.
    """

    def __init__(self, head: Callable[[], StreamHead], fold: Fold[R], receipts: Mapping[str, R]) -> None:
        self._head = head
        self._fold = fold
        self._answers = Answers[R](receipts, RECEIPTS_KEPT)
        # Events of commands not yet answered, found in the log where a lost workflow task wrote them.
        self._adopted: dict[str, list[tuple[str, R]]] = {}
        self._lock = asyncio.Lock()

    def answered(self) -> bool:
        """Whether the command being handled was answered, or its events are already in the log.

        Validators skip their checks then: a retried command is answered again, not checked again.
        Raises the refusal for an Idempotency-Key sent again with another body.
        """
        command_id = current_command_id()
        return self._answers.answer(command_id) is not None or (command_id or "") in self._adopted

    async def command(self, body: Callable[[], Awaitable[R]]) -> R:
        """Run one command's `body` alone, or answer a repeated update id with its first receipt."""
        async with self._lock:
            command_id = current_command_id()
            answered = self._answers.answer(command_id)
            if answered is not None:
                return answered
            receipt = await body()
            if command_id is not None:
                self._answers.remember(command_id, receipt)
                self._adopted.pop(command_id, None)
            return receipt

    async def append(self, meta: CommandMeta, payload: Payload, prepare: Prepare) -> R:
        """Write `payload` for the command being handled (inside `command`); `prepare` checks it first.

        `prepare` raises to refuse (nothing is written) and may write events the command needs first
        (with `append_raised`). It runs again whenever another command's event took the position.
        """
        command_id = current_command_id()
        found = self._take_adopted(command_id, type(payload).__name__)
        if found is not None:
            return found
        while True:
            await prepare(payload)
            receipt = await self._write(meta, payload, command_id)
            if receipt is not None:
                return receipt

    async def append_raised(self, meta: CommandMeta, payload: Payload) -> R | None:
        """Write an event the workflow raises itself (an alert, a resumption), under the lock.

        None when the position held another command's event: it is folded in, and the caller looks again.
        """
        return await self._write(meta, payload, None)

    async def _write(self, meta: CommandMeta, payload: Payload, command_id: str | None) -> R | None:
        head = self._head()
        written = await append_event(head.subject, head.sequence + 1, head.hash, meta, payload, command_id)
        if written.ours:
            return self._fold(payload, written.event)
        self._adopt(written.event)
        return None

    def _adopt(self, event: EventEnvelope) -> None:
        receipt = self._fold(parse_payload(event.type, event.data), event)
        if event.command_id is not None:
            self._adopted.setdefault(event.command_id, []).append((event.type, receipt))

    def _take_adopted(self, command_id: str | None, event_type: str) -> R | None:
        """This command's event of `event_type` that a lost workflow task already stored, if any."""
        found = self._adopted.get(command_id or "", [])
        for i, (stored_type, _) in enumerate(found):
            if stored_type == event_type:
                return found.pop(i)[1]
        return None

    @property
    def lock(self) -> asyncio.Lock:
        """Held while the workflow writes events of its own (alerts, summaries) between commands."""
        return self._lock

    async def until_idle(self) -> None:
        """Wait until no handler runs and nothing is being written: the moment to continue-as-new."""
        await workflow.wait_condition(lambda: workflow.all_handlers_finished() and not self._lock.locked())

    def carried(self) -> dict[str, R]:
        """The answers continue-as-new hands to the next run (a found command's latest event included)."""
        carried = self._answers.carried()
        for command_id, found in self._adopted.items():
            if found:
                carried.setdefault(command_id, found[-1][1])
        return carried
