"""Several export tables in one file: an .xlsx workbook (one sheet per table) or a zip of CSV files.

Both are written to a spooled temporary file (in memory while small, on disk beyond SPOOL_BYTES) and
then streamed out in chunks, so a large period never sits whole in memory; openpyxl's write-only mode
keeps each sheet's rows on disk as they are appended.
"""

from __future__ import annotations

import zipfile
from collections.abc import AsyncIterator, Callable, Iterator
from tempfile import SpooledTemporaryFile
from typing import IO, Any

import anyio
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from services.api.exports.formats import csv_head, csv_row
from services.api.exports.tables import COLUMNS, SHEET_NAMES, Column, HeaderStyle, Table, cell, header_rows

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MEDIA_TYPE = "application/zip"
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK = 64 * 1024
BATCH = 500  # rows written per hop to the worker thread
RowsOf = Callable[[Table], AsyncIterator[dict[str, Any]]]
Spool = SpooledTemporaryFile[bytes]


def open_sheet(wb: Workbook, title: str, columns: list[Column], headers: list[list[str]]) -> Any:
    """A sheet with its column widths, bold header row(s) and the header frozen."""
    # typed Any: openpyxl binds column_dimensions and auto_filter on write-only sheets, its stubs do not say so
    ws: Any = wb.create_sheet(title)
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = f"A{len(headers) + 1}"
    bold = Font(bold=True)
    for names in headers:
        cells = []
        for name in names:
            c = WriteOnlyCell(ws, value=name)
            c.font = bold
            cells.append(c)
        ws.append(cells)
    return ws


def start_sheet(wb: Workbook, table: Table, style: HeaderStyle) -> Any:
    """A sheet named in Japanese with its column widths, bold header row(s) and the header frozen."""
    return open_sheet(wb, SHEET_NAMES[table], COLUMNS[table], header_rows(table, style))


def sheet_row(ws: Any, table: Table, row: dict[str, Any]) -> None:
    """Append one row of `table`; a date goes in as a date (Excel's own, formatted yyyy-mm-dd)."""
    ws.append([cell(c, row) for c in COLUMNS[table]])


async def _batches(rows: AsyncIterator[dict[str, Any]]) -> AsyncIterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    async for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _append_rows(ws: Any, table: Table, batch: list[dict[str, Any]]) -> None:
    for row in batch:
        sheet_row(ws, table, row)


def _write_lines(f: IO[bytes], table: Table, batch: list[dict[str, Any]]) -> None:
    f.write(b"".join(csv_row(table, row) for row in batch))


async def write_workbook(tables: list[Table], rows_of: RowsOf, style: HeaderStyle, out: IO[bytes]) -> None:
    """One sheet per table, each row as `rows_of` reads it, saved into `out`; the writing runs in a worker
    thread a batch at a time, so a large workbook does not hold up the event loop."""
    wb = Workbook(write_only=True)
    for table in tables:
        ws = start_sheet(wb, table, style)
        n = 0
        async for batch in _batches(rows_of(table)):
            await anyio.to_thread.run_sync(_append_rows, ws, table, batch)
            n += len(batch)
        header_count = len(header_rows(table, style))
        last = get_column_letter(len(COLUMNS[table]))
        ws.auto_filter.ref = f"A{header_count}:{last}{header_count + n}"
    await anyio.to_thread.run_sync(wb.save, out)


async def write_csv_zip(tables: list[Table], rows_of: RowsOf, style: HeaderStyle, out: IO[bytes]) -> None:
    """One CSV file per table (`engagements.csv`, …; UTF-8 with BOM) in a zip written into `out`."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for table in tables:
            with zf.open(f"{table.value}.csv", "w") as f:
                f.write(csv_head(table, style))
                async for batch in _batches(rows_of(table)):
                    await anyio.to_thread.run_sync(_write_lines, f, table, batch)


def new_spool() -> Spool:
    """A temporary file held in memory up to SPOOL_BYTES, on disk beyond."""
    return SpooledTemporaryFile(max_size=SPOOL_BYTES)


def chunks(spool: Spool) -> Iterator[bytes]:
    """The spooled file from its start, CHUNK bytes at a time; closed (deleted) at the end."""
    try:
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()
