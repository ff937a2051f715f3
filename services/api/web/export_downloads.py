"""The back office's download links: the engagement list's filters as CSV (zip) or .xlsx, a period's reports PDF.

The same answers as the API's export routes (services/api/exports/responses.py), for a signed-in session;
the filters are read as leniently as the list page reads them (an empty or unknown value is no filter).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse

from schemas.text import nfkc
from schemas.views import Stage
from services.api.access_log import note_read
from services.api.deps import EventStoreDep, ExportReadsDep
from services.api.exports.responses import (
    ALL_TABLES,
    file_stem,
    reports_pdf_response,
    table_response,
    workbook_response,
    zip_response,
)
from services.api.exports.tables import HeaderStyle, Table
from services.api.web.render import reader_lang
from services.graph.reads.export_reads import ExportFilter

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=200)]


def _text(value: str | None) -> str | None:
    return nfkc(value).strip() or None if value else None


def page_filter(
    request: Request,
    period: Text = None,
    stage: Text = None,
    prefecture: Text = None,
    theme: Text = None,
    ministry: Text = None,
    stalled: Text = None,
    q: Text = None,
) -> ExportFilter:
    """The list page's filters from its query string; what does not parse is no filter."""
    number = int(period) if period and period.strip().isdigit() and 1 <= int(period) <= 99 else None
    if number is not None:
        note_read(request, "period", [str(number)])
    return ExportFilter(
        period=number,
        stage=stage if stage in {s.value for s in Stage} else None,
        prefecture=_text(prefecture),
        theme=_text(theme),
        ministry=_text(ministry),
        stalled=True if stalled == "true" else None,
        q=_text(q),
    )


def header_style(header: Text = None) -> HeaderStyle:
    """?header=ja|en|both; anything else is Japanese."""
    return HeaderStyle(header) if header in {h.value for h in HeaderStyle} else HeaderStyle.JA


Filter = Annotated[ExportFilter, Depends(page_filter)]
Header = Annotated[HeaderStyle, Depends(header_style)]


@router.get("/exports/{table}.csv")
async def download_csv(table: Table, reads: ExportReadsDep, where: Filter, header: Header) -> StreamingResponse:
    """One table of the filtered engagements as CSV (UTF-8 with BOM)."""
    return await table_response(reads, table, "csv", where, header)


@router.get("/exports/all.zip")
async def download_zip(reads: ExportReadsDep, where: Filter, header: Header) -> StreamingResponse:
    """Every table of the filtered engagements as CSV files in one zip."""
    return await zip_response(reads, where, header)


@router.get("/exports/{table}.xlsx")
async def download_xlsx(
    table: Table | Literal["all"], reads: ExportReadsDep, where: Filter, header: Header
) -> StreamingResponse:
    """The filtered engagements' tables as one workbook (`all`) or one table's sheet."""
    tables = ALL_TABLES if table == "all" else [Table(table)]
    name = file_stem(where) if table == "all" else f"{file_stem(where)}-{table}"
    return await workbook_response(reads, tables, where, header, name)


@router.get("/periods/{period}/reports.pdf")
async def download_reports_pdf(
    request: Request,
    period: Annotated[int, Path(ge=1, le=99)],
    reads: ExportReadsDep,
    store: EventStoreDep,
) -> StreamingResponse:
    """The period's one-page reports, one PDF page per engagement, in the reader's language."""
    return await reports_pdf_response(reads, store, period, reader_lang(request))
