"""The programme's paperwork as files for the accounting office: the 名簿 (roster) and the 支援旅費 ledger.

Both are small (a period has tens of officials and at most a few hundred trips), so each is built whole:
CSV (UTF-8 with a BOM, CRLF, Japanese header or `?header=en|both` like the other exports) or an .xlsx
with one sheet. The ledger has one row per travel line (one official's travel for one visit) and a totals
row; every amount is an integer number of yen, written as a number (never a float, never rounded), so the
totals reconcile to the events (tests/integration/test_paperwork_api.py recomputes them from the log).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from schemas.paperwork_views import RosterRow, TravelLineView
from services.api.exports.formats import BOM, csv_line
from services.api.exports.tables import Column, HeaderStyle, cell, headers_of, make_column
from services.api.exports.workbook import open_sheet

YEN_FORMAT = "#,##0"
TOTAL_LABEL = "合計"


ROSTER_COLUMNS = [
    make_column("official_id", "支援官ID", width=38),
    make_column("name", "氏名", width=14),
    make_column("ministry", "本務の府省庁", width=16),
    make_column("bureau", "局・部", width=16),
    make_column("division", "課・室", width=16),
    make_column("post", "役職", width=16),
    make_column("teams", "担当チーム", "list"),
    make_column("team_codes", "団体コード", "list", 20),
    make_column("appointed_on", "発令日", "date"),
    make_column("term_ends_on", "任期の末日", "date"),
    make_column("ended_on", "解除日", "date"),
    make_column("end_reason", "解除の理由", width=16),
    make_column("appointment_event_id", "発令のイベントID", width=38),
]

AMOUNTS = ("transport_yen", "lodging_yen", "daily_allowance_yen", "total_yen")
AMOUNT_JA = {"transport_yen": "交通費", "lodging_yen": "宿泊", "daily_allowance_yen": "日当", "total_yen": "計"}

LEDGER_COLUMNS = [
    make_column("engagement_id", "伴走支援ID", width=24),
    make_column("municipality_code", "団体コード", width=11),
    make_column("municipality_name", "市町村", width=12),
    make_column("visit_kind", "訪問の種別", width=16),
    make_column("visit_date", "訪問日", "date"),
    make_column("visit_event_id", "訪問のイベントID", width=38),
    make_column("official_id", "支援官ID", width=38),
    make_column("name", "氏名", width=14),
    make_column("ministry", "府省庁", width=16),
    make_column("departs_on", "出発日", "date"),
    make_column("returns_on", "帰着日", "date"),
    make_column("nights", "泊数", "int", 6),
    make_column("origin", "出発地", width=10),
    make_column("rates_id", "基準額", width=10),
    make_column("planned_on", "見込み作成日", "date"),
    *[make_column(f"planned_{a}", f"見込み {AMOUNT_JA[a]} (円)", "int") for a in AMOUNTS],
    make_column("plan_event_id", "見込みのイベントID", width=38),
    make_column("settled_on", "精算日", "date"),
    *[make_column(f"settled_{a}", f"精算 {AMOUNT_JA[a]} (円)", "int") for a in AMOUNTS],
    make_column("settlement_event_id", "精算のイベントID", width=38),
    make_column("note", "メモ", width=30),
]
LEDGER_AMOUNTS = [f"{side}_{a}" for side in ("planned", "settled") for a in AMOUNTS]


def roster_rows(rows: Iterable[RosterRow]) -> list[dict[str, Any]]:
    """The roster's rows as the columns read them."""
    return [r.model_dump() for r in rows]


def ledger_rows(lines: Iterable[TravelLineView]) -> list[dict[str, Any]]:
    """One row per travel line (planned amounts, and settled ones once paid), then the totals row."""
    rows: list[dict[str, Any]] = []
    totals = dict.fromkeys(LEDGER_AMOUNTS, 0)
    for line in lines:
        row = line.model_dump(exclude={"planned", "settled"})
        sides = {"planned": line.planned, "settled": line.settled}
        for side, amounts in sides.items():
            for a in AMOUNTS:
                value = None if amounts is None else getattr(amounts, a)
                row[f"{side}_{a}"] = value
                totals[f"{side}_{a}"] += value or 0
        rows.append(row)
    rows.append({"engagement_id": TOTAL_LABEL, **totals})
    return rows


def csv_file(columns: list[Column], rows: list[dict[str, Any]], style: HeaderStyle) -> bytes:
    """A whole CSV file: the BOM, the header row(s), one record per row."""
    head = b"".join(csv_line(h) for h in headers_of(columns, style))
    return BOM + head + b"".join(csv_line(cell(c, row) for c in columns) for row in rows)


def xlsx_file(sheet: str, columns: list[Column], rows: list[dict[str, Any]], style: HeaderStyle) -> bytes:
    """A whole .xlsx with one sheet: bold frozen header, dates as dates, yen as whole numbers (#,##0)."""
    wb = Workbook(write_only=True)
    headers = headers_of(columns, style)
    ws = open_sheet(wb, sheet, columns, headers)
    bold = Font(bold=True)
    for row in rows:
        values = []
        total = row.get("engagement_id") == TOTAL_LABEL
        for column in columns:
            c = WriteOnlyCell(ws, value=cell(column, row))
            if column.key.endswith("_yen"):
                c.number_format = YEN_FORMAT
            if total:
                c.font = bold
            values.append(c)
        ws.append(values)
    listed = sum(1 for row in rows if row.get("engagement_id") != TOTAL_LABEL)  # the totals row stays below
    ws.auto_filter.ref = f"A{len(headers)}:{get_column_letter(len(columns))}{len(headers) + listed}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
