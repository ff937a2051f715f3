"""Bulk import of past periods under /api/v1/imports: upload (dry run or for real), job status, the template."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Path, UploadFile, status
from fastapi.responses import Response
from temporalio.service import RPCError, RPCStatusCode

from schemas.imports.sheets import Unreadable, read_workbook
from schemas.imports.template import MAX_FILE_BYTES
from schemas.imports.template_file import template_workbook
from services.api.deps import DriverDep, PrincipalDep, SettingsDep, TemporalDep
from services.api.engagement_commands import command_meta
from services.api.import_views import ImportJobView, job_view, reader_language
from services.api.problems import InvalidInput, NotFound, Timeout, problem_responses
from services.api.update_guard import engine_problem
from services.graph.store.import_files import ImportFiles
from services.i18n.catalogue import both
from services.i18n.message import N_, Msg
from services.workflow.imports.jobs import ImportJobInput, JobProgress
from services.workflow.imports.plan import file_digest
from services.workflow.imports.workflow import ImportWorkflow, import_job_id

START_TIMEOUT_S = 30.0  # starting the job's workflow; beyond it the answer is a 504 (retry: a new job, same file)

router = APIRouter(prefix="/api/v1/imports", tags=["bulk import"])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="取込ジョブID")]
AcceptLanguage = Annotated[str | None, Header(description="ja or en: the language of each problem's `message`")]


class FileRefused(InvalidInput):
    """The upload is no spreadsheet this import reads, or too large (413, 415 or 422); nothing is stored."""

    def __init__(self, err: Unreadable) -> None:
        super().__init__(*both(err.message), code=err.code)
        self.status = err.status


async def _read_upload(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        limit = Msg(N_("The file is larger than %(limit)s MB"), {"limit": MAX_FILE_BYTES // (1024 * 1024)})
        raise FileRefused(Unreadable("file_too_large", limit, 413))
    return data


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    # 400: a multipart body that cannot be parsed at all (the form parser refuses it before the route runs)
    responses=problem_responses(400, 413, 415, 422, 429, 503, 504),
    summary="取込 / Import a period's spreadsheet",
)
async def start_import(
    file: Annotated[UploadFile, File(description=".xlsx or CSV (UTF-8) in the template's form")],
    temporal: TemporalDep,
    driver: DriverDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    dry_run: Annotated[bool, Form(description="only check the file and report; write nothing")] = False,
    accept_language: AcceptLanguage = None,
) -> ImportJobView:
    """Store the file and start its job: 202 with the job; follow `href` for its status and report."""
    data = await _read_upload(file)
    name = file.filename or "upload"
    try:
        read_workbook(data, name)  # a file that is no spreadsheet at all is refused now, not in the job
    except Unreadable as err:
        raise FileRefused(err) from err
    sha = file_digest(data)
    await ImportFiles(driver, settings.neo4j_database).save(sha, name, data, principal.actor)
    job_id = uuid.uuid4().hex
    inp = ImportJobInput(job_id=job_id, sha256=sha, file_name=name, dry_run=dry_run, meta=command_meta(principal.actor))
    try:
        await asyncio.wait_for(
            temporal.start_workflow(
                ImportWorkflow.run, inp, id=import_job_id(job_id), task_queue=settings.temporal_task_queue
            ),
            START_TIMEOUT_S,
        )
    except RPCError as err:
        raise engine_problem(err) from err
    except TimeoutError as err:
        raise Timeout() from err
    return job_view(JobProgress(job_id=job_id, file_name=name, dry_run=dry_run), reader_language(accept_language))


@router.get("/template.xlsx", summary="取込テンプレート / The import template", response_class=Response)
async def template() -> Response:
    """The template workbook (案件, チーム, 活動, 成果 and a 説明 sheet)."""
    return Response(
        template_workbook(),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": 'attachment; filename="banso-import-template.xlsx"'},
    )


@router.get("/{job_id}", responses=problem_responses(404, 503), summary="取込の状況 / An import job")
async def get_import(job_id: JobId, temporal: TemporalDep, accept_language: AcceptLanguage = None) -> ImportJobView:
    """Status, counts done/total, and every problem in Japanese and English."""
    handle = temporal.get_workflow_handle_for(ImportWorkflow.run, import_job_id(job_id))
    try:
        progress = await handle.query(ImportWorkflow.progress)  # a finished job answers too (from its history)
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise NotFound(code="no_import") from err
        raise engine_problem(err) from err
    return job_view(progress, reader_language(accept_language))
