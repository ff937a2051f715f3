"""An import job as the API shows it: each problem in Japanese, in English, and in the reader's language."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from schemas.imports.report import ImportCounts, ImportProblem
from services.i18n.catalogue import Lang, translate
from services.i18n.message import Msg
from services.i18n.validation import problem_text
from services.workflow.imports.jobs import EngagementFailure, JobProgress, JobStatus


class ProblemView(BaseModel):
    """One problem: where, what kind, and what is wrong (`message` in the Accept-Language of the request)."""

    sheet: str | None
    row: int | None
    column: str | None
    code: str
    message: str
    message_ja: str
    message_en: str


class FailureView(BaseModel):
    """An engagement the server refused part-way: commands before `row` stay recorded."""

    engagement_id: str
    sheet: str
    row: int
    code: str
    message: str
    message_ja: str
    message_en: str


class ImportJobView(BaseModel):
    """取込 — an import job: status, counts done/total, and the validation report."""

    job_id: str
    href: str
    file_name: str
    dry_run: bool
    status: JobStatus
    total: int = Field(description="workflow updates the file makes")
    done: int
    written: int
    skipped: int = Field(description="already recorded by an earlier run of the same rows")
    engagements_total: int
    engagements_done: int
    counts: ImportCounts | None
    problems_total: int
    problems: list[ProblemView]
    failures: list[FailureView]


def reader_language(accept_language: str | None) -> Lang:
    """ja or en from Accept-Language (by q-value; Japanese when neither is named)."""
    best: tuple[float, Lang] = (-1.0, "ja")
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        if lang not in ("ja", "en"):
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > best[0]:
            best = (q, "ja" if lang == "ja" else "en")
    return best[1]


def _texts(message: dict[str, Any] | None, error: dict[str, Any] | None) -> tuple[str, str]:
    if message is not None:
        msg = Msg.from_dict(message)
        return translate(msg, "ja"), translate(msg, "en")
    return problem_text(error or {}, "ja"), problem_text(error or {}, "en")


def problem_view(p: ImportProblem, lang: Lang) -> ProblemView:
    """One problem in both languages."""
    ja, en = _texts(p.message, p.error)
    return ProblemView(
        sheet=p.sheet,
        row=p.row,
        column=p.column,
        code=p.code,
        message=ja if lang == "ja" else en,
        message_ja=ja,
        message_en=en,
    )


def failure_view(f: EngagementFailure, lang: Lang) -> FailureView:
    """One refusal in both languages."""
    ja, en = _texts(f.message, None)
    return FailureView(
        engagement_id=f.engagement_id,
        sheet=f.sheet,
        row=f.row,
        code=f.code,
        message=ja if lang == "ja" else en,
        message_ja=ja,
        message_en=en,
    )


def job_view(p: JobProgress, lang: Lang) -> ImportJobView:
    """The job with its problems rendered."""
    report = p.report
    return ImportJobView(
        job_id=p.job_id,
        href=f"/api/v1/imports/{p.job_id}",
        file_name=p.file_name,
        dry_run=p.dry_run,
        status=p.status,
        total=p.total,
        done=p.done,
        written=p.written,
        skipped=p.skipped,
        engagements_total=p.engagements_total,
        engagements_done=p.engagements_done,
        counts=report.counts if report else None,
        problems_total=report.problems_total if report else 0,
        problems=[problem_view(x, lang) for x in report.problems] if report else [],
        failures=[failure_view(f, lang) for f in p.failures],
    )
