"""One line per command: the Temporal update (and its validator) of a command that becomes one event.

A stream's workflow declares `apply = command_update("apply", ApplyCommand, EventReceipt, "応募 …")`
instead of writing the same handler and validator by hand for every command. The handler answers with
`write_command(meta, payload)`, the validator calls `check_command(payload)` — the two methods a
workflow provides (`CommandWriter`). The update name is given explicitly: it is what callers and
committed histories use, so renaming the attribute never renames the update
(`tests/unit/test_update_names.py` holds each attribute to its name).
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from temporalio import workflow
from temporalio.workflow import UpdateMethodMultiParam

with workflow.unsafe.imports_passed_through():
    from schemas.commands import Command, CommandMeta
    from schemas.events import Payload

P = TypeVar("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class CommandWriter(Protocol[R_co]):
    """What a workflow gives `command_update`: how to write a command's event and how to check it."""

    async def write_command(self, meta: CommandMeta, payload: Payload) -> R_co: ...

    def check_command(self, payload: Payload) -> None: ...


def command_update(
    name: str, command: type[Command[P]], receipt: type[R], doc: str
) -> UpdateMethodMultiParam[[Any, Command[P]], R]:
    """The update `name` taking `command`, answering with `receipt`, checked by its validator first."""

    async def handle(self: CommandWriter[R], cmd: Command[P]) -> R:
        return await self.write_command(cmd.meta, cmd.payload)  # type: ignore[arg-type]

    def validate(self: CommandWriter[R], cmd: Command[P]) -> None:
        self.check_command(cmd.payload)  # type: ignore[arg-type]

    # Temporal reads the argument's type from the annotations to convert the payload: give it the
    # concrete command model, identical on the handler and its validator.
    handle.__annotations__ = {"cmd": command, "return": receipt}
    validate.__annotations__ = {"cmd": command, "return": None}
    handle.__name__ = handle.__qualname__ = name
    validate.__name__ = validate.__qualname__ = f"_validate_{name}"
    handle.__doc__ = doc
    update = workflow.update(handle)  # named after `handle.__name__`, set above
    update.validator(validate)
    return update
