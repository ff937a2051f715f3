"""Sends period commands to the period's workflow (Update-with-Start for the call) and reads its state."""

from __future__ import annotations

from typing import Any

from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.workflow import UpdateMethodMultiParam

from schemas.commands import Command
from schemas.events import CallOpened
from schemas.periods import PeriodReceipt, PeriodState
from services.api.date_rules import reject_implausible_dates
from services.api.engagement_commands import command_meta, update_id
from services.api.messages import texts
from services.api.problems import NotFound
from services.api.update_guard import UpdateGuard, guard_query
from services.i18n.message import N_, Msg
from services.settings import Settings
from services.workflow.period.workflow import PeriodStart, PeriodWorkflow, period_stream


def _no_period() -> NotFound:
    return NotFound(*texts(Msg(N_("this period has not been opened"))), code="period_not_found")


class PeriodCommands:
    """The write side for periods: one workflow (and one event stream) per 第N期."""

    def __init__(self, client: Client, settings: Settings, guard: UpdateGuard | None = None) -> None:
        self._client = client
        self._settings = settings
        self._guard = guard or UpdateGuard()

    async def open_call(self, payload: CallOpened, actor: str, idempotency_key: str | None) -> PeriodReceipt:
        """Start the period's workflow with its call (Update-with-Start; a second call is a conflict)."""
        reject_implausible_dates(payload, self._settings.future_date_limit_days)
        command = Command[CallOpened](meta=command_meta(actor), payload=payload)
        uid = update_id("open_call", idempotency_key, payload)

        async def call() -> PeriodReceipt:
            start = WithStartWorkflowOperation(
                PeriodWorkflow.run,
                PeriodStart(period=payload.period, max_history_events=self._settings.max_history_events),
                id=period_stream(payload.period),
                task_queue=self._settings.temporal_task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            )
            return await self._client.execute_update_with_start_workflow(
                PeriodWorkflow.open_call, command, start_workflow_operation=start, id=uid
            )

        return await self._guard.run(period_stream(payload.period), call, self._missing)

    async def send(
        self,
        period: int,
        update: UpdateMethodMultiParam[[PeriodWorkflow, Command[Any]], PeriodReceipt],
        payload: Any,
        actor: str,
        idempotency_key: str | None,
    ) -> PeriodReceipt:
        """Send one command to a running period and wait for its event."""
        reject_implausible_dates(payload, self._settings.future_date_limit_days)
        name = getattr(update, "__name__", "update")
        handle = self._client.get_workflow_handle_for(PeriodWorkflow.run, period_stream(period))
        command = Command[Any](meta=command_meta(actor), payload=payload)
        uid = update_id(f"period-{period}:{name}", idempotency_key, command.payload)
        return await self._guard.run(
            period_stream(period), lambda: handle.execute_update(update, command, id=uid), self._missing
        )

    async def send_starting(
        self,
        period: int,
        update: UpdateMethodMultiParam[[PeriodWorkflow, Command[Any]], PeriodReceipt],
        payload: Any,
        actor: str,
        idempotency_key: str | None,
    ) -> PeriodReceipt:
        """Send one command to the period, starting its workflow first when it has none (Update-with-Start).

        The programme's paperwork (併任, the travel budget) is kept for a period whose call was never recorded
        here, e.g. a past period whose engagements were imported.
        """
        reject_implausible_dates(payload, self._settings.future_date_limit_days)
        name = getattr(update, "__name__", "update")
        command = Command[Any](meta=command_meta(actor), payload=payload)
        uid = update_id(f"period-{period}:{name}", idempotency_key, command.payload)

        async def call() -> PeriodReceipt:
            start = WithStartWorkflowOperation(
                PeriodWorkflow.run,
                PeriodStart(period=period, max_history_events=self._settings.max_history_events),
                id=period_stream(period),
                task_queue=self._settings.temporal_task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            )
            return await self._client.execute_update_with_start_workflow(
                update, command, start_workflow_operation=start, id=uid
            )

        return await self._guard.run(period_stream(period), call, self._missing)

    async def state(self, period: int) -> PeriodState:
        """The period as its workflow folded it."""
        handle = self._client.get_workflow_handle_for(PeriodWorkflow.run, period_stream(period))
        return await guard_query(handle.query(PeriodWorkflow.state), _no_period())

    async def _missing(self) -> None:
        raise _no_period()
