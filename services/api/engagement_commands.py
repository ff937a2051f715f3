"""Sends engagement commands to their workflow as Temporal Updates and maps failures to problems."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from opentelemetry import trace
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from banso.settings import Settings
from schemas.commands import Command, CommandMeta
from schemas.events import MunicipalityApplied
from schemas.views import EngagementState, EventReceipt
from services.api.date_rules import reject_far_future
from services.api.problems import ChainBroken, Conflict, NotFound, ProblemError, Timeout, Unavailable
from services.workflow.engagement_start import start_operation
from services.workflow.rejection import refusal
from services.workflow.workflows import EngagementWorkflow

C = TypeVar("C", bound=Command[Any])
R = TypeVar("R")

UPDATE_TIMEOUT_S = 60.0


def command_meta(actor: str) -> CommandMeta:
    """Who is asking, and the trace the request runs in (stored on the event)."""
    ctx = trace.get_current_span().get_span_context()
    return CommandMeta(actor=actor, trace_id=f"{ctx.trace_id:032x}" if ctx.is_valid else None)


def update_id(name: str, idempotency_key: str | None) -> str:
    """The Temporal update id: the caller's key makes a retried request answer once."""
    return f"{name}:{idempotency_key}" if idempotency_key else f"{name}:{uuid.uuid4()}"


def _chain_conflict(err: WorkflowUpdateFailedError) -> bool:
    cause: BaseException | None = err.cause
    while cause is not None:
        if isinstance(cause, ApplicationError) and cause.type == "ChainConflict":
            return True
        cause = cause.__cause__
    return False


def _lifecycle_conflict(err: WorkflowUpdateFailedError) -> Conflict | None:
    d = refusal(err)
    return Conflict(d["ja"], d["en"], code=d["code"]) if d else None


async def guard_update(call: Awaitable[R], on_not_found: Callable[[], Awaitable[None]]) -> R:
    """Await a Temporal update, turning its failures into problem responses."""
    try:
        async with asyncio.timeout(UPDATE_TIMEOUT_S):
            return await call
    except WorkflowUpdateFailedError as err:
        conflict = _lifecycle_conflict(err)
        if conflict is not None:
            raise conflict from err
        if _chain_conflict(err):
            raise ChainBroken() from err
        raise
    except WorkflowAlreadyStartedError as err:
        raise Conflict(code="already_applied") from err
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            await on_not_found()
        if err.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
            raise Unavailable() from err
        raise
    except TimeoutError as err:
        raise Timeout() from err


async def guard_query(call: Awaitable[R], not_found: ProblemError) -> R:
    """Await a Temporal query: an unknown workflow is `not_found`, an unreachable server a 503 problem."""
    try:
        return await call
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise not_found from err
        if err.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
            raise Unavailable() from err
        raise


class EngagementCommands:
    """The write side of the API: one method per command, each answered by the workflow."""

    def __init__(self, client: Client, settings: Settings) -> None:
        self._client = client
        self._settings = settings

    async def state(self, engagement_id: str) -> EngagementState:
        """The workflow's own view of the engagement (stage, team history, alerts…)."""
        handle = self._client.get_workflow_handle_for(EngagementWorkflow.run, engagement_id)
        return await guard_query(handle.query(EngagementWorkflow.state), NotFound())

    async def _not_found_or_ended(self, engagement_id: str) -> None:
        try:
            desc = await self._client.get_workflow_handle(engagement_id).describe()
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                raise NotFound() from err
            raise
        if (
            desc.raw_description.workflow_execution_info.status
            != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        ):
            raise Conflict(code="engagement_ended")

    async def apply(self, payload: MunicipalityApplied, actor: str, idempotency_key: str | None) -> EventReceipt:
        """Start the engagement with its application (Update-with-Start)."""
        reject_far_future(payload, self._settings.future_date_limit_days)
        start = start_operation(payload, self._settings)
        call = self._client.execute_update_with_start_workflow(
            EngagementWorkflow.apply,
            Command[MunicipalityApplied](meta=command_meta(actor), payload=payload),
            start_workflow_operation=start,
            id=update_id("apply", idempotency_key),
        )

        async def ended() -> None:
            raise Conflict(code="engagement_ended")

        return await guard_update(call, ended)

    async def send(
        self,
        engagement_id: str,
        update: UpdateMethodMultiParam[[EngagementWorkflow, C], EventReceipt],
        command: C,
        idempotency_key: str | None,
    ) -> EventReceipt:
        """Send one update to an existing engagement and wait for its event."""
        reject_far_future(command.payload, self._settings.future_date_limit_days)
        name = getattr(update, "__name__", "update")
        handle = self._client.get_workflow_handle_for(EngagementWorkflow.run, engagement_id)
        call = handle.execute_update(update, command, id=update_id(name, idempotency_key))
        return await guard_update(call, lambda: self._not_found_or_ended(engagement_id))
