"""Reading an upload into sheets of rows: .xlsx through openpyxl, CSV (UTF-8, with or without BOM) by sections.

A CSV file holds the four sheets one after another, each opened by a line naming it in brackets
(`[案件]`, `[チーム]`, `[活動]`, `[成果]`) followed by its header line. Row numbers are what a spreadsheet
program shows (in a CSV file the record's number: a cell with a line break stays in one row). Files
that cannot be read at all raise `Unreadable`; everything else wrong (headers, merged cells, unknown
sheets) becomes a problem in the report.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from schemas.imports.report import ImportProblem
from schemas.imports.template import (
    IGNORED_SHEET_PREFIXES,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    SHEET_BY_NAME,
    SHEETS,
    SheetSpec,
)
from schemas.text import nfkc
from services.i18n.message import N_, Msg

Cell = str | date | None
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_SECTION = re.compile(r"^[\[［【]\s*(.+?)\s*[\]］】]$")
_HEADER_MARKS = re.compile(r"\s*(\*|＊|（必須）|\(必須\))\s*$")


class Unreadable(Exception):
    """The upload is not a spreadsheet this import reads (or is too large): `code`, `message`, HTTP `status`."""

    def __init__(self, code: str, message: Msg, status: int = 422) -> None:
        self.code = code
        self.message = message
        self.status = status
        super().__init__(code, message.render())


@dataclass(frozen=True)
class Row:
    """One data row: its number as a spreadsheet shows it and its cells by column key."""

    number: int
    cells: dict[str, Cell]


@dataclass
class Table:
    """One sheet's rows (under a header that matched the template)."""

    spec: SheetSpec
    rows: list[Row] = field(default_factory=list)


@dataclass
class Workbook:
    """What was read: the sheets by key and the problems of the file's shape."""

    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)

    def rows(self, key: str) -> list[Row]:
        """The rows of the sheet with `key` (none when the sheet is missing)."""
        table = self.tables.get(key)
        return table.rows if table else []


def read_workbook(data: bytes, file_name: str) -> Workbook:
    """The sheets of an .xlsx or CSV upload; Unreadable when it is neither or is too large."""
    if len(data) > MAX_FILE_BYTES:
        raise Unreadable(
            "file_too_large",
            Msg(N_("The file is larger than %(limit)s MB"), {"limit": MAX_FILE_BYTES // (1024 * 1024)}),
            413,
        )
    if not data.strip():
        raise Unreadable("empty_file", Msg(N_("The file is empty")))
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    if data.startswith(OLE_MAGIC) or file_name.lower().endswith(".xls"):
        raise Unreadable(
            "not_a_spreadsheet", Msg(N_("Old .xls files are not read: save the workbook as .xlsx or CSV")), 415
        )
    return _read_csv(data)


def _cell(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _header(text: Cell) -> str:
    return _HEADER_MARKS.sub("", nfkc(str(text))) if text is not None else ""


def _table(spec: SheetSpec, header: list[Cell], header_row: int, wb: Workbook) -> dict[int, str] | None:
    """Column index → key, from the header row; problems for unknown, repeated and missing headers."""
    known = {c.header: c.key for c in spec.columns}
    positions: dict[int, str] = {}
    seen: set[str] = set()
    ok = True
    for i, raw in enumerate(header):
        name = _header(raw)
        if not name:
            continue
        if name not in known:
            wb.problems.append(
                ImportProblem.of(
                    "unknown_column",
                    Msg(
                        N_("Unknown column %(column)s (expected: %(expected)s)"),
                        {"column": name, "expected": "、".join(known)},
                    ),
                    spec.name,
                    header_row,
                    name,
                )
            )
            ok = False
            continue
        if name in seen:
            wb.problems.append(
                ImportProblem.of(
                    "duplicate_column",
                    Msg(N_("Column %(column)s appears twice"), {"column": name}),
                    spec.name,
                    header_row,
                    name,
                )
            )
            ok = False
            continue
        seen.add(name)
        positions[i] = known[name]
    for column in spec.columns:
        if column.required and column.header not in seen:
            wb.problems.append(
                ImportProblem.of(
                    "missing_column",
                    Msg(N_("The required column %(column)s is missing"), {"column": column.header}),
                    spec.name,
                    header_row,
                    column.header,
                )
            )
            ok = False
    return positions if ok else None


def _add_rows(wb: Workbook, spec: SheetSpec, lines: list[tuple[int, list[Cell]]]) -> None:
    """The first non-empty line is the header; each later non-empty line a row."""
    filled = [(n, cells) for n, cells in lines if any(c is not None for c in cells)]
    if not filled:
        wb.problems.append(ImportProblem.of("empty_sheet", Msg(N_("The sheet has no header row")), spec.name))
        return
    (header_row, header), *rows = filled
    positions = _table(spec, header, header_row, wb)
    if spec.key in wb.tables:
        wb.problems.append(
            ImportProblem.of("duplicate_sheet", Msg(N_("This sheet appears twice")), spec.name, header_row)
        )
        return
    table = Table(spec)
    wb.tables[spec.key] = table
    if positions is None:
        return  # the header is wrong: its rows cannot be read column by column
    for number, cells in rows:
        table.rows.append(Row(number, {key: cells[i] if i < len(cells) else None for i, key in positions.items()}))


def _check_sheets(wb: Workbook) -> None:
    for spec in SHEETS:
        if spec.key not in wb.tables:
            wb.problems.append(
                ImportProblem.of(
                    "missing_sheet", Msg(N_("The sheet %(sheet)s is missing"), {"sheet": spec.name}), spec.name
                )
            )
    total = sum(len(t.rows) for t in wb.tables.values())
    if total > MAX_ROWS:
        raise Unreadable("too_many_rows", Msg(N_("The file has more than %(limit)s rows"), {"limit": MAX_ROWS}), 413)


def _unknown_sheet(wb: Workbook, name: str) -> None:
    expected = "、".join(s.name for s in SHEETS)
    wb.problems.append(
        ImportProblem.of(
            "unknown_sheet",
            Msg(N_("Unknown sheet %(sheet)s (expected: %(expected)s)"), {"sheet": name, "expected": expected}),
            name,
        )
    )


def _read_xlsx(data: bytes) -> Workbook:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise Unreadable(
                    "file_too_large",
                    Msg(
                        N_("The workbook unpacks to more than %(limit)s MB"),
                        {"limit": MAX_UNZIPPED_BYTES // (1024 * 1024)},
                    ),
                    413,
                )
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as err:
        raise Unreadable("not_a_spreadsheet", Msg(N_("The file is not a readable .xlsx workbook")), 415) from err
    wb = Workbook()
    for sheet in book.worksheets:
        name = nfkc(sheet.title)
        if name.startswith(IGNORED_SHEET_PREFIXES):
            continue
        spec = SHEET_BY_NAME.get(name)
        if spec is None:
            _unknown_sheet(wb, name)
            continue
        for merged in sheet.merged_cells.ranges:
            wb.problems.append(
                ImportProblem.of(
                    "merged_cells",
                    Msg(
                        N_("Merged cells (%(range)s) are not read: unmerge them and fill every row"),
                        {"range": merged.coord},
                    ),
                    spec.name,
                    merged.min_row,
                )
            )
        lines = [(i, [_cell(v) for v in values]) for i, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
        _add_rows(wb, spec, lines)
    _check_sheets(wb)
    return wb


def _read_csv(data: bytes) -> Workbook:
    if b"\x00" in data:  # binary: an image, a PDF, … (UTF-16 text too, which Excel calls Unicode text)
        raise Unreadable("not_a_spreadsheet", Msg(N_("The file is neither an .xlsx workbook nor a CSV file")), 415)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise Unreadable("not_utf8", Msg(N_("The CSV file is not UTF-8 text (save it as CSV UTF-8)")), 415) from err
    wb = Workbook()
    reader = csv.reader(io.StringIO(text, newline=""))
    sections: list[tuple[str, int, list[tuple[int, list[Cell]]]]] = []
    try:
        for line, cells in enumerate(reader, start=1):
            values = [_cell(c) for c in cells]
            marker = _SECTION.match(nfkc(str(values[0]))) if values and values[0] is not None else None
            if marker is not None and all(v is None for v in values[1:]):
                sections.append((nfkc(marker[1]), line, []))
            elif sections:
                sections[-1][2].append((line, values))
            elif any(v is not None for v in values):
                raise Unreadable(
                    "no_sections",
                    Msg(N_("A CSV file starts each sheet with a line naming it: [案件], [チーム], [活動], [成果]")),
                )
    except csv.Error as err:
        raise Unreadable(
            "not_a_spreadsheet", Msg(N_("The file is neither an .xlsx workbook nor a CSV file")), 415
        ) from err
    if not sections:
        raise Unreadable(
            "no_sections",
            Msg(N_("A CSV file starts each sheet with a line naming it: [案件], [チーム], [活動], [成果]")),
        )
    for name, _, lines in sections:
        spec = SHEET_BY_NAME.get(name)
        if spec is None:
            if not name.startswith(IGNORED_SHEET_PREFIXES):
                _unknown_sheet(wb, name)
            continue
        _add_rows(wb, spec, lines)
    _check_sheets(wb)
    return wb
