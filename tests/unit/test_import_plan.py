"""Import files read, checked and planned without any server: every bad row found, good files planned."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.events import OfficialRef
from schemas.imports.dates import DateImpossible, DateUnreadable, parse_date
from schemas.imports.reference import ImportReference, ListedPlace
from schemas.imports.sheets import Unreadable
from schemas.text import municipality_check_digit
from services.workflow.imports.plan import plan_import
from tests.imports.generate import period_file, spoil_thirty, to_csv, to_xlsx

TODAY = date(2026, 11, 30)
MINISTRIES = ["総務省", "財務省", "国土交通省", "文部科学省", "経済産業省", "農林水産省"]


def _places(n: int) -> list[ListedPlace]:
    codes = [f"13{100 + i:03d}" for i in range(n)]
    return [ListedPlace(c + municipality_check_digit(c), f"市{i}", "東京都") for i, c in enumerate(codes)]


def _officials() -> list[OfficialRef]:
    return [OfficialRef(name=f"支援官 {m}{k}", ministry=m) for m in MINISTRIES for k in range(2)]


OUTSIDER = OfficialRef(name="外部 太郎", ministry="環境省")


def _reference(places: list[ListedPlace]) -> ImportReference:
    officials = {o.official_id: o for o in [*_officials(), OUTSIDER]}
    return ImportReference(officials, {p.code: p for p in places})


class TestDates:
    @pytest.mark.parametrize(
        ("text", "day"),
        [
            ("令和7年5月29日", date(2025, 5, 29)),
            ("R7.5.29", date(2025, 5, 29)),
            ("2025-05-29", date(2025, 5, 29)),
            ("2025/5/29", date(2025, 5, 29)),
            ("２０２５／５／２９", date(2025, 5, 29)),
            ("令和元年5月1日", date(2019, 5, 1)),
            ("平成31年4月30日", date(2019, 4, 30)),
        ],
    )
    def test_accepted_forms(self, text: str, day: date) -> None:
        assert parse_date(text) == day

    @pytest.mark.parametrize("text", ["令和8年2月30日", "平成31年5月1日", "2025-02-29", "R7.13.1"])
    def test_impossible_dates(self, text: str) -> None:
        with pytest.raises(DateImpossible):
            parse_date(text)

    @pytest.mark.parametrize("text", ["いつか", "5月29日", "2025"])
    def test_unreadable(self, text: str) -> None:
        with pytest.raises(DateUnreadable):
            parse_date(text)


class TestPlan:
    def _file(self) -> tuple[ImportReference, object]:
        places = _places(30)
        return _reference(places), period_file(7, places, _officials(), activities_per=28)

    @pytest.mark.parametrize("form", ["csv", "xlsx"])
    def test_a_good_file_is_planned(self, form: str) -> None:
        reference, sheets = self._file()
        data = to_csv(sheets) if form == "csv" else to_xlsx(sheets)  # type: ignore[arg-type]
        plan = plan_import(data, f"period.{form}", reference, TODAY)
        assert plan.report.problems == []
        assert plan.report.counts.rows == 30 + 90 + 840 + 60
        assert plan.report.commands == 30 * 3 + 840 + 60
        ids = [c.update_id for e in plan.engagements for c in e.commands]
        assert len(set(ids)) == len(ids)

    @pytest.mark.parametrize("form", ["csv", "xlsx"])
    def test_thirty_bad_rows_are_all_reported(self, form: str) -> None:
        reference, sheets = self._file()
        spoil_thirty(sheets, OUTSIDER)  # type: ignore[arg-type]
        data = to_csv(sheets) if form == "csv" else to_xlsx(sheets)  # type: ignore[arg-type]
        report = plan_import(data, f"period.{form}", reference, TODAY).report
        expected = sheets.csv_rows() if form == "csv" else sheets.xlsx_rows()  # type: ignore[attr-defined]
        found = {(p.sheet, p.row) for p in report.problems}
        assert found == expected, sorted(found ^ expected)
        assert report.problems_total == 30

    def test_the_same_rows_make_the_same_keys(self) -> None:
        reference, sheets = self._file()
        first = plan_import(to_csv(sheets), "a.csv", reference, TODAY)  # type: ignore[arg-type]
        second = plan_import(to_xlsx(sheets), "b.xlsx", reference, TODAY)  # type: ignore[arg-type]
        assert [c.update_id for e in first.engagements for c in e.commands] == [
            c.update_id for e in second.engagements for c in e.commands
        ]


class TestBadFiles:
    def test_not_a_spreadsheet(self) -> None:
        with pytest.raises(Unreadable) as err:
            plan_import(b"\x89PNG\r\n\x1a\n\x00\x00", "a.png", _reference([]), TODAY)
        assert err.value.status == 415

    def test_too_large(self) -> None:
        with pytest.raises(Unreadable) as err:
            plan_import(b"a" * (6 * 1024 * 1024), "big.csv", _reference([]), TODAY)
        assert err.value.status == 413

    def test_wrong_headers_and_missing_sheets(self) -> None:
        data = "[案件]\n期,市町村コード,題名\n1,131016,x\n".encode()
        report = plan_import(data, "a.csv", _reference(_places(1)), TODAY).report
        codes = {p.code for p in report.problems}
        assert {"unknown_column", "missing_column", "missing_sheet"} <= codes

    def test_merged_cells(self) -> None:
        from io import BytesIO

        from openpyxl import load_workbook

        places = _places(2)
        sheets = period_file(7, places, _officials(), activities_per=3)
        book = load_workbook(BytesIO(to_xlsx(sheets)))
        book["活動"].merge_cells("A2:A4")
        buffer = BytesIO()
        book.save(buffer)
        report = plan_import(buffer.getvalue(), "m.xlsx", _reference(places), TODAY).report
        assert [(p.code, p.sheet, p.row) for p in report.problems if p.code == "merged_cells"] == [
            ("merged_cells", "活動", 2)
        ]


class TestEncodings:
    def test_shift_jis_csv_is_refused_with_a_hint(self) -> None:
        with pytest.raises(Unreadable) as err:
            plan_import("[案件]\n期,市町村\n".encode("shift_jis"), "sjis.csv", _reference([]), TODAY)
        assert (err.value.code, err.value.status) == ("not_utf8", 415)

    def test_csv_without_bom_reads(self) -> None:
        places = _places(1)
        sheets = period_file(7, places, _officials(), activities_per=2)
        plan = plan_import(to_csv(sheets, bom=False), "a.csv", _reference(places), TODAY)
        assert plan.report.ok
