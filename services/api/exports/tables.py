"""The export tables: their columns (English key, Japanese header, kind, width) and a row's cell values.

The English key is the JSONL key and the machine header (`?header=en`); the Japanese header is what a
programme office reads in Excel. Kinds decide how a value is written: a date as a real date in .xlsx and as
ISO 8601 text in CSV, a list joined with 「、」 in CSV and .xlsx and kept a list in JSONL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal

Kind = Literal["text", "int", "date", "bool", "list"]
LIST_SEPARATOR = "、"


class Table(StrEnum):
    """What an export holds: 伴走支援, 活動, 成果, 支援官の参加."""

    ENGAGEMENTS = "engagements"
    ACTIVITIES = "activities"
    OUTCOMES = "outcomes"
    PARTICIPATION = "participation"


class HeaderStyle(StrEnum):
    """The header row(s) of a CSV or .xlsx: Japanese (default), the English keys, or both (Japanese first)."""

    JA = "ja"
    EN = "en"
    BOTH = "both"


@dataclass(frozen=True)
class Column:
    """One column of an export table."""

    key: str
    ja: str
    kind: Kind = "text"
    width: int = 14


def make_column(key: str, ja: str, kind: Kind = "text", width: int | None = None) -> Column:
    """A column with the usual width for its kind unless one is given."""
    default = {"date": 12, "int": 10, "bool": 8, "list": 30}.get(kind, 16)
    return Column(key, ja, kind, width or default)


ENGAGEMENT_REF = [make_column("engagement_id", "伴走支援ID", width=24), make_column("period", "期", "int", 6)]

COLUMNS: dict[Table, list[Column]] = {
    Table.ENGAGEMENTS: [
        *ENGAGEMENT_REF,
        make_column("municipality_code", "団体コード", width=11),
        make_column("municipality_name", "市町村", width=12),
        make_column("prefecture", "都道府県", width=10),
        make_column("stage", "段階", width=10),
        make_column("title", "表題", width=50),
        make_column("themes", "支援テーマ", "list"),
        make_column("ministries", "チームの府省庁", "list"),
        make_column("challenges", "課題", "list", 40),
        make_column("population", "人口", "int"),
        make_column("mayor", "首長", width=12),
        make_column("applied_on", "応募日", "date"),
        make_column("kickoff_on", "キックオフ日", "date"),
        make_column("closed_on", "終了日", "date"),
        make_column("withdrawn_on", "取下げ日", "date"),
        make_column("last_contact", "最終活動日", "date"),
        make_column("stalled", "停滞", "bool"),
        make_column("activities", "活動数", "int"),
        make_column("outcomes", "成果数", "int"),
        make_column("events", "記録イベント数", "int", 12),
    ],
    Table.ACTIVITIES: [
        make_column("activity_id", "活動ID", width=38),
        *ENGAGEMENT_REF,
        make_column("municipality_name", "市町村", width=12),
        make_column("kind", "種別", width=15),
        make_column("start_date", "開始日", "date"),
        make_column("end_date", "終了日", "date"),
        make_column("place", "場所", width=20),
        make_column("notes", "内容", width=50),
        make_column("company_count", "訪問企業数", "int"),
        make_column("companies", "訪問先", "list"),
        make_column("bodies", "連携機関", "list"),
        make_column("participants", "参加者（記録のまま）", "list"),
        make_column("officials", "参加した支援官", "list"),
    ],
    Table.OUTCOMES: [
        make_column("outcome_id", "成果ID", width=38),
        *ENGAGEMENT_REF,
        make_column("municipality_name", "市町村", width=12),
        make_column("kind", "種別", width=20),
        make_column("description", "内容", width=60),
        make_column("status", "状況", width=12),
        make_column("theme", "テーマ", width=12),
        make_column("recorded_on", "記録日", "date"),
        make_column("achieved_on", "実現日", "date"),
        make_column("bodies", "関係機関", "list"),
        make_column("contributors", "貢献した支援官", "list"),
    ],
    Table.PARTICIPATION: [
        make_column("official_id", "支援官ID", width=38),
        make_column("official_name", "氏名", width=12),
        make_column("ministry", "府省庁", width=14),
        *ENGAGEMENT_REF,
        make_column("municipality_name", "市町村", width=12),
        make_column("relation", "関与", width=14),
        make_column("role", "役割", width=12),
        make_column("record_id", "記録ID", width=38),
        make_column("record_kind", "記録の種別", width=20),
        make_column("on_date", "日付", "date"),
        make_column("until_date", "終了日", "date"),
    ],
}

SHEET_NAMES: dict[Table, str] = {
    Table.ENGAGEMENTS: "伴走支援",
    Table.ACTIVITIES: "活動",
    Table.OUTCOMES: "成果",
    Table.PARTICIPATION: "支援官の参加",
}


def headers_of(columns: list[Column], style: HeaderStyle) -> list[list[str]]:
    """The header row(s) of `columns` in `style`: Japanese, the English keys, or both (Japanese first)."""
    ja = [c.ja for c in columns]
    en = [c.key for c in columns]
    return {HeaderStyle.JA: [ja], HeaderStyle.EN: [en], HeaderStyle.BOTH: [ja, en]}[style]


def header_rows(table: Table, style: HeaderStyle) -> list[list[str]]:
    """The header row(s) of `table` in `style`."""
    return headers_of(COLUMNS[table], style)


def as_date(value: Any) -> date | None:
    """A stored ISO date (`2025-05-29`, or a time whose first ten characters are one) as a date; None if absent."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def cell(column: Column, row: dict[str, Any]) -> Any:
    """The value of `column` in `row` for a spreadsheet cell: a date, a number, a bool, text or None."""
    value = row.get(column.key)
    if value is None:
        return None
    if column.kind == "date":
        return as_date(value)
    if column.kind == "list":
        return LIST_SEPARATOR.join(str(v) for v in value if v is not None) or None
    return value


def record(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """`row` as a JSON object with the table's English keys in column order (dates ISO text, lists kept)."""
    out: dict[str, Any] = {}
    for column in COLUMNS[table]:
        value = row.get(column.key)
        if column.kind == "date":
            day = as_date(value)
            value = day.isoformat() if day else None
        elif column.kind == "list":
            value = [v for v in value or [] if v is not None]
        out[column.key] = value
    return out
