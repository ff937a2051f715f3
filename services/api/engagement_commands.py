"""Sends engagement commands to their workflow as Temporal Updates (through UpdateGuard: admission, problems)."""

from __future__ import annotations

import re
import uuid
from typing import Any, TypeVar

from opentelemetry import trace
from pydantic import BaseModel
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from schemas.commands import Command, CommandMeta, engagement_id_for
from schemas.events import MunicipalityApplied
from schemas.views import EngagementState, EventReceipt
from services.api.date_rules import reject_implausible_dates
from services.api.problems import Conflict, NotFound
from services.api.update_guard import UpdateGuard, engine_problem, guard_query
from services.settings import Settings
from services.workflow.answers import command_id
from services.workflow.engagement.start import start_operation
from services.workflow.engagement.workflow import EngagementWorkflow

C = TypeVar("C", bound=Command[Any])

# engagement-<period>-<municipality code>; ASCII digits only (\d would match any script's digits).
ENGAGEMENT_ID_PATTERN = r"^engagement-[0-9]{1,2}-[0-9]{6}$"
ENGAGEMENT_ID = re.compile(ENGAGEMENT_ID_PATTERN)


def command_meta(actor: str) -> CommandMeta:
    """Who is asking, and the trace the request runs in (stored on the event)."""
    ctx = trace.get_current_span().get_span_context()
    return CommandMeta(actor=actor, trace_id=f"{ctx.trace_id:032x}" if ctx.is_valid else None)


def update_id(name: str, idempotency_key: str | None, payload: BaseModel) -> str:
    """The Temporal update id: the caller's key makes a retried request answer once.

    The body's fingerprint is part of the id, so the same key with another body reaches the workflow,
    which refuses it (`idempotency_key_reused`, 422) instead of answering with the first body's event.
    """
    if not idempotency_key:
        return f"{name}:{uuid.uuid4()}"
    return command_id(name, idempotency_key, payload.model_dump(mode="json"))


def valid_engagement_id(engagement_id: str) -> bool:
    """Whether `engagement_id` names an engagement (never a period's or a reference stream's workflow)."""
    return ENGAGEMENT_ID.fullmatch(engagement_id) is not None


class EngagementCommands:
    """The write side of the API: one method per command, each answered by the workflow."""

    def __init__(self, client: Client, settings: Settings, guard: UpdateGuard | None = None) -> None:
        self._client = client
        self._settings = settings
        self._guard = guard or UpdateGuard()

    async def state(self, engagement_id: str) -> EngagementState:
        """The workflow's own view of the engagement (stage, team history, alerts…)."""
        if not valid_engagement_id(engagement_id):
            raise NotFound()
        handle = self._client.get_workflow_handle_for(EngagementWorkflow.run, engagement_id)
        return await guard_query(handle.query(EngagementWorkflow.state), NotFound())

    async def _not_found_or_ended(self, engagement_id: str) -> None:
        try:
            desc = await self._client.get_workflow_handle(engagement_id).describe()
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                raise NotFound() from err
            raise engine_problem(err) from err
        if (
            desc.raw_description.workflow_execution_info.status
            != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        ):
            raise Conflict(code="engagement_ended")

    async def apply(self, payload: MunicipalityApplied, actor: str, idempotency_key: str | None) -> EventReceipt:
        """Start the engagement with its application (Update-with-Start)."""
        reject_implausible_dates(payload, self._settings.future_date_limit_days)
        command = Command[MunicipalityApplied](meta=command_meta(actor), payload=payload)
        uid = update_id("apply", idempotency_key, payload)

        async def call() -> EventReceipt:
            return await self._client.execute_update_with_start_workflow(
                EngagementWorkflow.apply,
                command,
                start_workflow_operation=start_operation(payload, self._settings),  # one operation per attempt
                id=uid,
            )

        async def ended() -> None:
            raise Conflict(code="engagement_ended")

        return await self._guard.run(engagement_id_for(payload.period, payload.municipality_code), call, ended)

    async def send(
        self,
        engagement_id: str,
        update: UpdateMethodMultiParam[[EngagementWorkflow, C], EventReceipt],
        command: C,
        idempotency_key: str | None,
    ) -> EventReceipt:
        """Send one update to an existing engagement and wait for its event."""
        if not valid_engagement_id(engagement_id):
            raise NotFound()
        reject_implausible_dates(command.payload, self._settings.future_date_limit_days)
        name = getattr(update, "__name__", "update")
        handle = self._client.get_workflow_handle_for(EngagementWorkflow.run, engagement_id)
        uid = update_id(name, idempotency_key, command.payload)
        return await self._guard.run(
            engagement_id,
            lambda: handle.execute_update(update, command, id=uid),
            lambda: self._not_found_or_ended(engagement_id),
        )
