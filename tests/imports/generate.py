"""Generated import files for the tests: a period of engagements with many activities, and bad rows in it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from openpyxl import Workbook

from schemas.events import OfficialRef
from schemas.imports.reference import ListedPlace
from schemas.imports.template import SHEETS
from schemas.wareki import wareki

Cells = dict[str, object]
SHEET_NAMES = [s.name for s in SHEETS]


@dataclass
class Sheets:
    """Rows by sheet name (each a dict header → value), and the bad rows as (sheet, index)."""

    rows: dict[str, list[Cells]] = field(default_factory=lambda: {n: [] for n in SHEET_NAMES})
    bad: set[tuple[str, int]] = field(default_factory=set)

    @property
    def total(self) -> int:
        """Data rows over every sheet."""
        return sum(len(r) for r in self.rows.values())

    def spoil(self, sheet: str, index: int, **changes: object) -> None:
        """Make one row bad."""
        self.rows[sheet][index].update(changes)
        self.bad.add((sheet, index))

    def xlsx_rows(self) -> set[tuple[str, int]]:
        """The bad rows as (sheet, row number) in the workbook (header on row 1)."""
        return {(sheet, i + 2) for sheet, i in self.bad}

    def csv_rows(self) -> set[tuple[str, int]]:
        """The bad rows as (section, line number) in the CSV file."""
        starts, line = {}, 1
        for name in SHEET_NAMES:
            starts[name] = line + 2  # the [name] line, then the header
            line += 2 + len(self.rows[name])
        return {(sheet, starts[sheet] + i) for sheet, i in self.bad}


def _headers(name: str) -> list[str]:
    return [c.header for s in SHEETS if s.name == name for c in s.columns]


def to_csv(sheets: Sheets, bom: bool = True) -> bytes:
    """The CSV form: one section per sheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name in SHEET_NAMES:
        writer.writerow([f"[{name}]"])
        headers = _headers(name)
        writer.writerow(headers)
        for row in sheets.rows[name]:
            writer.writerow([_text(row.get(h)) for h in headers])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def to_xlsx(sheets: Sheets) -> bytes:
    """The workbook form: one sheet each."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name in SHEET_NAMES:
        sheet = book.create_sheet(name)
        headers = _headers(name)
        sheet.append(headers)
        for row in sheets.rows[name]:
            sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def period_file(
    period: int,
    places: list[ListedPlace],
    officials: list[OfficialRef],
    activities_per: int,
    outcomes_per: int = 2,
    start: date = date(2024, 4, 1),
) -> Sheets:
    """One engagement per place, a team of three from distinct ministries, `activities_per` activities each."""
    sheets = Sheets()
    by_ministry: dict[str, list[OfficialRef]] = {}
    for o in officials:
        by_ministry.setdefault(o.ministry, []).append(o)
    ministries = sorted(by_ministry)
    for n, place in enumerate(places):
        team = [
            by_ministry[ministries[(n + k) % len(ministries)]][
                n % len(by_ministry[ministries[(n + k) % len(ministries)]])
            ]
            for k in range(3)
        ]
        assigned = start + timedelta(days=n % 20)
        kickoff = assigned + timedelta(days=7)
        sheets.rows["案件"].append(
            {
                "期": period,
                "市町村コード": place.code,
                "市町村": place.name,
                "応募日": wareki(start - timedelta(days=30)),
                "課題": "人口減少\n産業振興",
                "希望テーマ": "産業振興、観光",
                "チーム編成日": assigned.isoformat(),
                "キックオフ日": f"R{kickoff.year - 2018}.{kickoff.month}.{kickoff.day}",
                "題目": f"{place.name}の産業振興",
                "支援テーマ": "産業振興、観光",
                "最終報告期限": (start + timedelta(days=360)).strftime("%Y/%m/%d"),
            }
        )
        for member in team:
            sheets.rows["チーム"].append(
                {"期": period, "市町村コード": place.code, "支援官ID": member.official_id, "氏名": member.name}
            )
        kinds = ["オンライン会議", "現地訪問", "企業訪問", "オンライン会議", "調整"]
        for i in range(activities_per):
            kind = kinds[i % len(kinds)]
            day = kickoff + timedelta(days=1 + i * 3)
            row: Cells = {
                "期": period,
                "市町村コード": place.code,
                "種類": kind,
                "日付": "２０"
                + day.strftime("%y/%m/%d").translate(str.maketrans("0123456789", "０１２３４５６７８９")),
                "参加者": "、".join(m.name for m in team[: 1 + i % 3]),
                "内容": f"打合せ {i}",
            }
            if kind == "企業訪問":
                row |= {"企業数": 2, "訪問先": "首都圏"}
            if kind == "現地訪問":
                row |= {"終了日": (day + timedelta(days=1)).isoformat(), "訪問先": "港"}
            if kind == "調整":
                row |= {"連携先": "東北地方整備局", "連携先種別": "地方支分部局"}
            sheets.rows["活動"].append(row)
        for i in range(outcomes_per):
            sheets.rows["成果"].append(
                {
                    "期": period,
                    "市町村コード": place.code,
                    "種類": "企業誘致" if i % 2 else "指針策定",
                    "状況": "達成",
                    "内容": f"成果 {i}",
                    "テーマ": "産業振興",
                    "達成日": (kickoff + timedelta(days=200 + i)).isoformat(),
                    "貢献者": team[0].name,
                }
            )
    return sheets


def spoil_thirty(sheets: Sheets, outsider: OfficialRef) -> None:
    """Thirty bad rows over every sheet and kind of mistake, each making exactly one problem."""
    act, out, eng, team = "活動", "成果", "案件", "チーム"
    sheets.spoil(eng, 1, 題目="")
    sheets.spoil(eng, 3, キックオフ日="令和8年2月30日")
    sheets.spoil(eng, 5, チーム編成日="2024年13月1日")
    sheets.spoil(eng, 7, 最終報告期限="いつか")
    sheets.spoil(team, 3 * 9, 支援官ID="official-00000000-0000-0000-0000-000000000000")
    sheets.spoil(team, 3 * 11 + 1, 離脱日="2024-09-01")  # no 離脱理由
    sheets.spoil(team, 3 * 13 + 2, 離脱理由="退職")
    spoilers: list[dict[str, object]] = [
        {"日付": "令和6年2月30日"},
        {"日付": "2024/4/1"},  # before every kickoff
        {"種類": "打合せ"},
        {"参加者": "存在しない 人"},
        {"参加者": outsider.name},  # a registered official not on this team
        {"市町村コード": "999999"},
        {"終了日": "2024-04-02"},  # before its start
        {"日付": "2030-01-01"},  # in the future
        {"期": "百"},
        {"日付": "R6/13/40"},
    ]
    n_act = len(sheets.rows[act])
    for i in range(19):
        index = (i * 53 + 17) % n_act
        while (act, index) in sheets.bad or sheets.rows[act][index]["種類"] in ("企業訪問", "調整"):
            index = (index + 1) % n_act
        sheets.spoil(act, index, **spoilers[i % len(spoilers)])
    outcome_spoilers: list[dict[str, object]] = [
        {"状況": "完了"},
        {"内容": ""},
        {"種類": "表彰"},
        {"達成日": "令和9年1月1日"},
    ]
    n_out = len(sheets.rows[out])
    for i in range(4):
        sheets.spoil(out, (i * 7 + 3) % n_out, **outcome_spoilers[i])
    assert len(sheets.bad) == 30, len(sheets.bad)
