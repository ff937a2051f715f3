"""The download answers shared by the API's export routes and the back office's download links.

A CSV or JSONL table streams as it is read from Neo4j (a page of engagements at a time); a workbook or a
zip is written to a spooled file first (a zip's directory and an .xlsx's parts come at its end) and then
streamed; the reports PDF is rendered in a worker thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi.responses import StreamingResponse

from services.api.exports.formats import CSV_MEDIA_TYPE, JSONL_MEDIA_TYPE, csv_stream, jsonl_stream
from services.api.exports.reports_pdf import PDF_MEDIA_TYPE, PeriodReport, write_reports_pdf
from services.api.exports.tables import HeaderStyle, Table
from services.api.exports.workbook import (
    XLSX_MEDIA_TYPE,
    ZIP_MEDIA_TYPE,
    chunks,
    new_spool,
    write_csv_zip,
    write_workbook,
)
from services.api.messages import texts
from services.api.problems import NotFound
from services.api.web.i18n import Lang
from services.graph.reads.export_reads import ExportFilter, ExportReads
from services.graph.store.event_store import EventStore
from services.i18n.catalogue import gettext
from services.i18n.message import N_, Msg
from services.workflow.engagement.report import build_report

ALL_TABLES = list(Table)


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


def file_stem(where: ExportFilter) -> str:
    """`banso-period-2` for a period's export, `banso` for any other filter (ASCII: every browser keeps it)."""
    return f"banso-period-{where.period}" if where.period is not None else "banso"


async def check_period(reads: ExportReads, where: ExportFilter) -> None:
    """A filter on a period the graph does not know is a 404 problem, not an empty file."""
    if where.period is not None and not await reads.period_known(where.period):
        raise NotFound(*texts(Msg(N_("this period has not been opened"))), code="period_not_found")


async def table_response(
    reads: ExportReads, table: Table, fmt: str, where: ExportFilter, style: HeaderStyle
) -> StreamingResponse:
    """One table as CSV (UTF-8 with BOM) or JSONL, streamed as it is read."""
    await check_period(reads, where)
    rows = reads.table(table.value, where)
    name = f"{file_stem(where)}-{table.value}.{fmt}"
    if fmt == "csv":
        return StreamingResponse(csv_stream(table, rows, style), media_type=CSV_MEDIA_TYPE, headers=_attachment(name))
    return StreamingResponse(jsonl_stream(table, rows), media_type=JSONL_MEDIA_TYPE, headers=_attachment(name))


def _rows_of(reads: ExportReads, where: ExportFilter) -> Any:
    def rows_of(table: Table) -> AsyncIterator[dict[str, Any]]:
        return reads.table(table.value, where)

    return rows_of


async def workbook_response(
    reads: ExportReads, tables: list[Table], where: ExportFilter, style: HeaderStyle, name: str
) -> StreamingResponse:
    """An .xlsx with one sheet per table (Japanese sheet names, real dates, frozen header)."""
    await check_period(reads, where)
    spool = new_spool()
    try:
        await write_workbook(tables, _rows_of(reads, where), style, spool)
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(chunks(spool), media_type=XLSX_MEDIA_TYPE, headers=_attachment(f"{name}.xlsx"))


async def zip_response(reads: ExportReads, where: ExportFilter, style: HeaderStyle) -> StreamingResponse:
    """Every table as a CSV file (UTF-8 with BOM) in one zip."""
    await check_period(reads, where)
    spool = new_spool()
    try:
        await write_csv_zip(ALL_TABLES, _rows_of(reads, where), style, spool)
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(chunks(spool), media_type=ZIP_MEDIA_TYPE, headers=_attachment(f"{file_stem(where)}.zip"))


async def period_reports(reads: ExportReads, store: EventStore, period: int) -> list[PeriodReport]:
    """Every engagement's one-page report in `period`, folded from its verified event log, in id order."""
    await check_period(reads, ExportFilter(period=period))
    reports: list[PeriodReport] = []
    async for ids in reads.engagement_pages(ExportFilter(period=period)):
        for engagement_id in ids:
            log = await store.verified_log(engagement_id)
            if log is not None:
                report = build_report(engagement_id, log.events)
                reports.append(PeriodReport(report=report, chain_valid=log.chain.valid))
    return reports


PDF_TITLE = N_("Period %(n)s — one-page reports (%(count)s engagements)")


async def reports_pdf_response(reads: ExportReads, store: EventStore, period: int, lang: Lang) -> StreamingResponse:
    """The period's one-page reports as one PDF: one A4 landscape page per engagement."""
    reports = await period_reports(reads, store, period)
    spool = new_spool()
    try:
        title = gettext(lang, PDF_TITLE, n=period, count=len(reports))
        await anyio.to_thread.run_sync(write_reports_pdf, reports, spool, title, lang)
    except BaseException:
        spool.close()
        raise
    name = f"banso-period-{period}-reports.pdf"
    return StreamingResponse(chunks(spool), media_type=PDF_MEDIA_TYPE, headers=_attachment(name))
