"""The import job's inputs, results and status (what the workflow, its activities and the API exchange)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.commands import CommandMeta
from schemas.imports.report import ImportProblem, ImportReport


class JobStatus(StrEnum):
    """Where an import job stands."""

    VALIDATING = "validating"
    REJECTED = "rejected"  # problems found: nothing was written
    VALIDATED = "validated"  # a dry run without problems: nothing was written
    IMPORTING = "importing"
    DONE = "done"
    FAILED = "failed"  # the server refused an engagement's command part-way (see `failures`)


class ImportJobInput(BaseModel):
    """Input of ImportWorkflow.run: the stored file, whether only to check it, and who asked."""

    model_config = ConfigDict(frozen=True)
    job_id: str
    sha256: str
    file_name: str
    dry_run: bool
    meta: CommandMeta
    concurrency: int = Field(default=4, ge=1, le=16, description="engagements sent side by side")


class FileRef(BaseModel):
    """Which stored file an activity reads."""

    model_config = ConfigDict(frozen=True)
    sha256: str
    file_name: str


class EngagementWork(BaseModel):
    """One engagement of the plan: its id and how many commands it makes."""

    model_config = ConfigDict(frozen=True)
    engagement_id: str
    commands: int


class Validation(BaseModel):
    """What validate_import answers: the report and, when it has no problem, the engagements to send."""

    model_config = ConfigDict(frozen=True)
    report: ImportReport
    engagements: list[EngagementWork] = Field(default_factory=list)


class SendEngagement(BaseModel):
    """Input of import_engagement."""

    model_config = ConfigDict(frozen=True)
    file: FileRef
    engagement_id: str
    meta: CommandMeta


class EngagementFailure(BaseModel):
    """The server refused one command: the engagement stops there (earlier commands stay recorded)."""

    model_config = ConfigDict(frozen=True)
    engagement_id: str
    sheet: str
    row: int
    code: str
    message: dict[str, Any]


class EngagementSent(BaseModel):
    """What import_engagement did: commands newly recorded, already recorded, and a refusal if any."""

    model_config = ConfigDict(frozen=True)
    engagement_id: str
    written: int = 0
    skipped: int = 0
    failure: EngagementFailure | None = None


class JobProgress(BaseModel):
    """The job as the API shows it."""

    job_id: str
    file_name: str
    dry_run: bool
    status: JobStatus = JobStatus.VALIDATING
    total: int = Field(default=0, description="commands to send")
    done: int = Field(default=0, description="commands sent (written or already recorded)")
    written: int = 0
    skipped: int = Field(default=0, description="already recorded by an earlier run")
    engagements_total: int = 0
    engagements_done: int = 0
    report: ImportReport | None = None
    failures: list[EngagementFailure] = Field(default_factory=list)
    problem: ImportProblem | None = Field(default=None, description="the file could not be read at all")
