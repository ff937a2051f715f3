"""Exports under /api/v1: tables as CSV, JSONL and .xlsx (or a zip of CSVs), a period's reports as one PDF.

Tables: `engagements` (伴走支援), `activities` (活動), `outcomes` (成果), `participation` (支援官の参加: who
was on a team, took part in an activity — led or attended —, contributed to an outcome or made an
introduction). Every table takes the engagement list's filters (period, stage, prefecture, theme,
ministry, stalled). CSV is UTF-8 with a BOM so Excel reads Japanese; its header row is Japanese, or the
English keys with `?header=en`, or both rows (Japanese first) with `?header=both`. JSONL has English keys.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse

from schemas.text import nfkc
from schemas.views import Stage
from services.api.access_log import note_read
from services.api.deps import EventStoreDep, ExportReadsDep
from services.api.exports.formats import CSV_MEDIA_TYPE, JSONL_MEDIA_TYPE
from services.api.exports.reports_pdf import PDF_MEDIA_TYPE
from services.api.exports.responses import (
    ALL_TABLES,
    file_stem,
    reports_pdf_response,
    table_response,
    workbook_response,
    zip_response,
)
from services.api.exports.tables import HeaderStyle, Table
from services.api.exports.workbook import XLSX_MEDIA_TYPE, ZIP_MEDIA_TYPE
from services.api.problems import problem_responses
from services.api.routers.engagements import KEYWORD_TEXT, MINISTRY_TEXT, PREFECTURE_TEXT, THEME_TEXT
from services.graph.reads.export_reads import ExportFilter

router = APIRouter(prefix="/api/v1", tags=["exports"])

ERRORS = problem_responses(404, 422, 503)
Header = Annotated[
    HeaderStyle, Query(description="見出し行: ja (日本語), en (英語のキー), both (日本語の行の次に英語のキー)")
]


def export_filter(
    request: Request,
    period: Annotated[int | None, Query(ge=1, le=99, description="期 (第N期)")] = None,
    stage: Stage | None = None,
    prefecture: Annotated[str | None, Query(max_length=10, description=PREFECTURE_TEXT)] = None,
    theme: Annotated[str | None, Query(max_length=200, description=THEME_TEXT)] = None,
    ministry: Annotated[str | None, Query(max_length=200, description=MINISTRY_TEXT)] = None,
    stalled: Annotated[bool | None, Query(description="停滞中のみ / only stalled (true) or not (false)")] = None,
    q: Annotated[str | None, Query(max_length=200, description=KEYWORD_TEXT)] = None,
) -> ExportFilter:
    """The engagement list's filters, as an export's; the period is noted in the access record."""
    if period is not None:
        note_read(request, "period", [str(period)])
    return ExportFilter(
        period=period,
        stage=stage.value if stage else None,
        prefecture=nfkc(prefecture) if prefecture else None,
        theme=nfkc(theme) if theme else None,
        ministry=nfkc(ministry) if ministry else None,
        stalled=stalled,
        q=nfkc(q) or None if q else None,
    )


Filter = Annotated[ExportFilter, Depends(export_filter)]
TablePath = Annotated[Table, Path(description="engagements, activities, outcomes, participation")]


def _file(media_type: str) -> dict[int | str, dict[str, object]]:
    return {200: {"content": {media_type: {}}, "description": "the file (Content-Disposition: attachment)"}, **ERRORS}


@router.get(
    "/exports/{table}.csv",
    response_class=StreamingResponse,
    responses=_file(CSV_MEDIA_TYPE),
    summary="CSV で書き出す / Export a table as CSV",
)
async def export_csv(
    table: TablePath, reads: ExportReadsDep, where: Filter, header: Header = HeaderStyle.JA
) -> StreamingResponse:
    """One table as CSV (UTF-8 with BOM, CRLF), streamed."""
    return await table_response(reads, table, "csv", where, header)


@router.get(
    "/exports/{table}.jsonl",
    response_class=StreamingResponse,
    responses=_file(JSONL_MEDIA_TYPE),
    summary="JSONL で書き出す / Export a table as JSON Lines",
)
async def export_jsonl(table: TablePath, reads: ExportReadsDep, where: Filter) -> StreamingResponse:
    """One table as JSON Lines (one object per line, English keys), streamed."""
    return await table_response(reads, table, "jsonl", where, HeaderStyle.EN)


@router.get(
    "/exports/{table}.xlsx",
    response_class=StreamingResponse,
    responses=_file(XLSX_MEDIA_TYPE),
    summary="Excel で書き出す / Export as .xlsx",
)
async def export_xlsx(
    table: Annotated[Table | Literal["all"], Path(description="a table, or all: one sheet per table")],
    reads: ExportReadsDep,
    where: Filter,
    header: Header = HeaderStyle.JA,
) -> StreamingResponse:
    """An .xlsx workbook: one sheet per table (all) or one table; Japanese sheet names, dates as dates."""
    tables = ALL_TABLES if table == "all" else [Table(table)]
    name = file_stem(where) if table == "all" else f"{file_stem(where)}-{table}"
    return await workbook_response(reads, tables, where, header, name)


@router.get(
    "/exports/all.zip",
    response_class=StreamingResponse,
    responses=_file(ZIP_MEDIA_TYPE),
    summary="CSV 一式 (zip) / Every table as CSV in a zip",
)
async def export_zip(reads: ExportReadsDep, where: Filter, header: Header = HeaderStyle.JA) -> StreamingResponse:
    """engagements.csv, activities.csv, outcomes.csv and participation.csv in one zip."""
    return await zip_response(reads, where, header)


@router.get(
    "/periods/{period}/reports.pdf",
    response_class=StreamingResponse,
    responses=_file(PDF_MEDIA_TYPE),
    summary="期の一枚報告 (PDF) / The period's one-page reports as one PDF",
)
async def period_reports_pdf(
    period: Annotated[int, Path(ge=1, le=99, description="期 (第N期)")],
    reads: ExportReadsDep,
    store: EventStoreDep,
    lang: Annotated[Literal["ja", "en"], Query(description="見出しの言語 / language of the headings")] = "ja",
) -> StreamingResponse:
    """One A4 landscape page per engagement of the period (its one-page report), fonts embedded."""
    return await reports_pdf_response(reads, store, period, lang)
