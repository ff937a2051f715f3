"""Writing export tables: CSV lines (UTF-8 with a BOM, for Excel), JSONL lines, and streams of either.

Pure and small: a stream takes an async iterator of rows and yields bytes as the rows come, so a large
export never sits whole in memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Iterable
from datetime import date
from typing import Any

from services.api.exports.tables import COLUMNS, HeaderStyle, Table, cell, header_rows, record

BOM = "\ufeff".encode()
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
JSONL_MEDIA_TYPE = "application/jsonl; charset=utf-8"


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_line(values: Iterable[Any]) -> bytes:
    """One CSV record (RFC 4180: quoted when needed, CRLF), UTF-8."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([_csv_text(v) for v in values])
    return out.getvalue().encode()


def csv_head(table: Table, style: HeaderStyle) -> bytes:
    """The start of a CSV file: the BOM, then the header row(s)."""
    return BOM + b"".join(csv_line(row) for row in header_rows(table, style))


def csv_row(table: Table, row: dict[str, Any]) -> bytes:
    """One row of `table` as a CSV record."""
    return csv_line(cell(c, row) for c in COLUMNS[table])


def jsonl_row(table: Table, row: dict[str, Any]) -> bytes:
    """One row of `table` as one line of JSON with English keys."""
    return json.dumps(record(table, row), ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


async def csv_stream(table: Table, rows: AsyncIterator[dict[str, Any]], style: HeaderStyle) -> AsyncIterator[bytes]:
    """A CSV file of `rows`, yielded as it is read."""
    yield csv_head(table, style)
    async for row in rows:
        yield csv_row(table, row)


async def jsonl_stream(table: Table, rows: AsyncIterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    """A JSONL file of `rows`, yielded as it is read."""
    async for row in rows:
        yield jsonl_row(table, row)
