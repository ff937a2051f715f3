"""ImportWorkflow: one import job — check the stored file, then (unless a dry run) send it engagement by engagement.

Deterministic, no I/O: reading and sending are activities. The job's progress is a query.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from services.workflow.imports.jobs import (
        EngagementSent,
        EngagementWork,
        FileRef,
        ImportJobInput,
        JobProgress,
        JobStatus,
        SendEngagement,
        Validation,
    )

VALIDATE_TIMEOUT = timedelta(minutes=5)
# An engagement's commands go one by one; the activity heartbeats after each.
SEND_TIMEOUT = timedelta(minutes=30)
SEND_HEARTBEAT = timedelta(minutes=2)
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30), maximum_attempts=10)


def import_job_id(job_id: str) -> str:
    """The workflow id of an import job."""
    return f"import-{job_id}"


@workflow.defn
class ImportWorkflow:
    """取込 — one uploaded file: its validation report, then every engagement sent through its workflow."""

    @workflow.init
    def __init__(self, inp: ImportJobInput) -> None:
        self._progress = JobProgress(job_id=inp.job_id, file_name=inp.file_name, dry_run=inp.dry_run)

    @workflow.query
    def progress(self) -> JobProgress:
        """Status, counts done/total and the report."""
        return self._progress

    @workflow.run
    async def run(self, inp: ImportJobInput) -> JobProgress:
        """Validate; stop there on problems or a dry run; else send each engagement (a few side by side)."""
        ref = FileRef(sha256=inp.sha256, file_name=inp.file_name)
        validation: Validation = await workflow.execute_activity(
            "validate_import", ref, result_type=Validation, start_to_close_timeout=VALIDATE_TIMEOUT, retry_policy=RETRY
        )
        p = self._progress
        p.report = validation.report
        p.total = validation.report.commands
        p.engagements_total = len(validation.engagements)
        if not validation.report.ok:
            p.status = JobStatus.REJECTED
            return p
        if inp.dry_run:
            p.status = JobStatus.VALIDATED
            return p
        p.status = JobStatus.IMPORTING
        gate = asyncio.Semaphore(inp.concurrency)
        await asyncio.gather(*(self._send(gate, ref, work, inp) for work in validation.engagements))
        p.status = JobStatus.FAILED if p.failures else JobStatus.DONE
        return p

    async def _send(self, gate: asyncio.Semaphore, ref: FileRef, work: EngagementWork, inp: ImportJobInput) -> None:
        async with gate:
            sent: EngagementSent = await workflow.execute_activity(
                "import_engagement",
                SendEngagement(file=ref, engagement_id=work.engagement_id, meta=inp.meta),
                result_type=EngagementSent,
                start_to_close_timeout=SEND_TIMEOUT,
                heartbeat_timeout=SEND_HEARTBEAT,
                retry_policy=RETRY,
            )
        p = self._progress
        p.written += sent.written
        p.skipped += sent.skipped
        p.done += work.commands if sent.failure is None else sent.written + sent.skipped
        p.engagements_done += 1
        if sent.failure is not None:
            p.failures.append(sent.failure)
