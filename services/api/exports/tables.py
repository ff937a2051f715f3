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


def _c(key: str, ja: str, kind: Kind = "text", width: int | None = None) -> Column:
    default = {"date": 12, "int": 10, "bool": 8, "list": 30}.get(kind, 16)
    return Column(key, ja, kind, width or default)


ENGAGEMENT_REF = [_c("engagement_id", "伴走支援ID", width=24), _c("period", "期", "int", 6)]

COLUMNS: dict[Table, list[Column]] = {
    Table.ENGAGEMENTS: [
        *ENGAGEMENT_REF,
        _c("municipality_code", "団体コード", width=11),
        _c("municipality_name", "市町村", width=12),
        _c("prefecture", "都道府県", width=10),
        _c("stage", "段階", width=10),
        _c("title", "表題", width=50),
        _c("themes", "支援テーマ", "list"),
        _c("ministries", "チームの府省庁", "list"),
        _c("challenges", "課題", "list", 40),
        _c("population", "人口", "int"),
        _c("mayor", "首長", width=12),
        _c("applied_on", "応募日", "date"),
        _c("kickoff_on", "キックオフ日", "date"),
        _c("closed_on", "終了日", "date"),
        _c("withdrawn_on", "取下げ日", "date"),
        _c("last_contact", "最終活動日", "date"),
        _c("stalled", "停滞", "bool"),
        _c("activities", "活動数", "int"),
        _c("outcomes", "成果数", "int"),
        _c("events", "記録イベント数", "int", 12),
    ],
    Table.ACTIVITIES: [
        _c("activity_id", "活動ID", width=38),
        *ENGAGEMENT_REF,
        _c("municipality_name", "市町村", width=12),
        _c("kind", "種別", width=15),
        _c("start_date", "開始日", "date"),
        _c("end_date", "終了日", "date"),
        _c("place", "場所", width=20),
        _c("notes", "内容", width=50),
        _c("company_count", "訪問企業数", "int"),
        _c("companies", "訪問先", "list"),
        _c("bodies", "連携機関", "list"),
        _c("participants", "参加者（記録のまま）", "list"),
        _c("officials", "参加した支援官", "list"),
    ],
    Table.OUTCOMES: [
        _c("outcome_id", "成果ID", width=38),
        *ENGAGEMENT_REF,
        _c("municipality_name", "市町村", width=12),
        _c("kind", "種別", width=20),
        _c("description", "内容", width=60),
        _c("status", "状況", width=12),
        _c("theme", "テーマ", width=12),
        _c("recorded_on", "記録日", "date"),
        _c("achieved_on", "実現日", "date"),
        _c("bodies", "関係機関", "list"),
        _c("contributors", "貢献した支援官", "list"),
    ],
    Table.PARTICIPATION: [
        _c("official_id", "支援官ID", width=38),
        _c("official_name", "氏名", width=12),
        _c("ministry", "府省庁", width=14),
        *ENGAGEMENT_REF,
        _c("municipality_name", "市町村", width=12),
        _c("relation", "関与", width=14),
        _c("role", "役割", width=12),
        _c("record_id", "記録ID", width=38),
        _c("record_kind", "記録の種別", width=20),
        _c("on_date", "日付", "date"),
        _c("until_date", "終了日", "date"),
    ],
}

SHEET_NAMES: dict[Table, str] = {
    Table.ENGAGEMENTS: "伴走支援",
    Table.ACTIVITIES: "活動",
    Table.OUTCOMES: "成果",
    Table.PARTICIPATION: "支援官の参加",
}


def header_rows(table: Table, style: HeaderStyle) -> list[list[str]]:
    """The header row(s) of `table` in `style`."""
    ja = [c.ja for c in COLUMNS[table]]
    en = [c.key for c in COLUMNS[table]]
    return {HeaderStyle.JA: [ja], HeaderStyle.EN: [en], HeaderStyle.BOTH: [ja, en]}[style]


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
