"""Side effects of the import job: reading the stored file and reference data, and sending the updates.

The updates are the engagement workflow's own (the ones the API sends), each with the update id the API
would make from the row's idempotency key, so a second run of the same file is answered, not redone;
commands whose events the engagement's log already holds are not sent at all.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from schemas.calendar import JST
from schemas.commands import Command
from schemas.events import MunicipalityApplied
from schemas.imports.report import ImportProblem, ImportReport
from schemas.imports.sheets import Unreadable
from services.graph.reads.import_reads import ImportReads
from services.graph.store.import_files import ImportFiles
from services.settings import Settings
from services.workflow.engagement.start import start_operation
from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.imports.jobs import (
    EngagementFailure,
    EngagementSent,
    EngagementWork,
    FileRef,
    SendEngagement,
    Validation,
)
from services.workflow.imports.plan import EngagementPlan, ImportPlan, PlannedCommand, plan_import
from services.workflow.rejection import refusal, refusal_message

PLANS_KEPT = 4
FILE_GONE = "import_file_missing"


class ImportActivities:
    """Built once in worker.py with the process's Temporal client, graph reads and settings."""

    def __init__(self, client: Client, reads: ImportReads, files: ImportFiles, settings: Settings) -> None:
        self._client = client
        self._reads = reads
        self._files = files
        self._settings = settings
        self._plans: OrderedDict[str, ImportPlan] = OrderedDict()

    async def _plan(self, ref: FileRef) -> ImportPlan:
        """The file's plan (kept for the few latest files: every engagement of a job reads the same one)."""
        if ref.sha256 in self._plans:
            self._plans.move_to_end(ref.sha256)
            return self._plans[ref.sha256]
        stored = await self._files.load(ref.sha256)
        if stored is None:
            raise ApplicationError("the uploaded file is not stored", type=FILE_GONE, non_retryable=True)
        reference = await self._reads.reference()
        plan = plan_import(stored[1], ref.file_name, reference, datetime.now(JST).date())
        self._plans[ref.sha256] = plan
        while len(self._plans) > PLANS_KEPT:
            self._plans.popitem(last=False)
        return plan

    @activity.defn(name="validate_import")
    async def validate_import(self, ref: FileRef) -> Validation:
        """Read and check the whole file (nothing is written); the engagements to send when it has no problem."""
        try:
            plan = await self._plan(ref)
        except Unreadable as err:
            problem = ImportProblem.of(err.code, err.message)
            report = ImportReport(file_name=ref.file_name, sha256=ref.sha256, problems=[problem], problems_total=1)
            return Validation(report=report)
        work = [EngagementWork(engagement_id=e.engagement_id, commands=len(e.commands)) for e in plan.engagements]
        return Validation(report=plan.report, engagements=work if plan.report.ok else [])

    @activity.defn(name="import_engagement")
    async def import_engagement(self, inp: SendEngagement) -> EngagementSent:
        """Send one engagement's commands in order, skipping those already recorded; heartbeat after each."""
        plan = await self._plan(inp.file)
        engagement = next((e for e in plan.engagements if e.engagement_id == inp.engagement_id), None)
        if engagement is None or not plan.report.ok:
            raise ApplicationError(
                "the file no longer plans this engagement", type="import_plan_changed", non_retryable=True
            )
        recorded = await self._reads.recorded_commands(inp.engagement_id)
        written = skipped = 0
        for command in engagement.commands:
            if command.update_id in recorded:
                skipped += 1
            else:
                failure = await self._send(engagement, command, inp)
                if failure is not None:
                    return EngagementSent(
                        engagement_id=inp.engagement_id, written=written, skipped=skipped, failure=failure
                    )
                written += 1
            activity.heartbeat(written + skipped)
        return EngagementSent(engagement_id=inp.engagement_id, written=written, skipped=skipped)

    async def _send(
        self, engagement: EngagementPlan, command: PlannedCommand, inp: SendEngagement
    ) -> EngagementFailure | None:
        payload = command.payload
        try:
            if isinstance(payload, MunicipalityApplied):
                await self._client.execute_update_with_start_workflow(
                    EngagementWorkflow.apply,
                    Command[MunicipalityApplied](meta=inp.meta, payload=payload),
                    start_workflow_operation=start_operation(payload, self._settings),
                    id=command.update_id,
                )
            else:
                handle = self._client.get_workflow_handle_for(EngagementWorkflow.run, engagement.engagement_id)
                update = getattr(EngagementWorkflow, command.update)
                body = Command[Any](meta=inp.meta, payload=payload)
                await handle.execute_update(update, body, id=command.update_id)
        except WorkflowUpdateFailedError as err:
            details = refusal(err)
            if details is None:
                raise
            message = refusal_message(details)[0].to_dict()
            return EngagementFailure(
                engagement_id=engagement.engagement_id,
                sheet=command.sheet,
                row=command.row,
                code=str(details.get("code", "refused")),
                message={k: message[k] for k in ("msgid", "params", "context") if k in message},
            )
        return None
