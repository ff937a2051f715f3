"""Sends reference-data commands to their stream's workflow (Update-with-Start)."""

from __future__ import annotations

from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy

from schemas.commands import ReferenceCommand, ReferenceStart
from schemas.events import (
    BodyDefined,
    MunicipalitiesListed,
    OfficialPostChanged,
    OfficialRegistered,
    TravelRatesDefined,
)
from schemas.views import StreamReceipt
from services.api.date_rules import reject_implausible_dates
from services.api.engagement_commands import command_meta, update_id
from services.api.messages import texts
from services.api.problems import NotFound
from services.api.update_guard import UpdateGuard
from services.i18n.message import N_, Msg
from services.settings import Settings
from services.workflow.reference.workflow import ReferenceStreamWorkflow


class ReferenceCommands:
    """The write side for officials and bodies: one stream per official or body."""

    def __init__(self, client: Client, settings: Settings, guard: UpdateGuard | None = None) -> None:
        self._client = client
        self._settings = settings
        self._guard = guard or UpdateGuard()

    async def record(
        self,
        subject: str,
        payload: OfficialRegistered | OfficialPostChanged | BodyDefined | MunicipalitiesListed | TravelRatesDefined,
        actor: str,
        idempotency_key: str | None,
        *,
        create: bool,
    ) -> StreamReceipt:
        """Append to `subject`, starting its workflow first when `create` (else 404 when missing)."""
        reject_implausible_dates(payload, self._settings.future_date_limit_days)
        cmd = ReferenceCommand(meta=command_meta(actor), payload=payload)
        uid = update_id("reference", idempotency_key, payload)

        async def missing() -> None:
            raise NotFound(*texts(Msg(N_("no such official or body"))))

        async def call() -> StreamReceipt:
            if not create:
                handle = self._client.get_workflow_handle_for(ReferenceStreamWorkflow.run, subject)
                return await handle.execute_update(ReferenceStreamWorkflow.record, cmd, id=uid)
            start = WithStartWorkflowOperation(
                ReferenceStreamWorkflow.run,
                ReferenceStart(subject=subject, max_history_events=self._settings.max_history_events),
                id=subject,
                task_queue=self._settings.temporal_task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            )
            return await self._client.execute_update_with_start_workflow(
                ReferenceStreamWorkflow.record, cmd, start_workflow_operation=start, id=uid
            )

        return await self._guard.run(subject, call, missing)
