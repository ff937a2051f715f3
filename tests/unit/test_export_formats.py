"""The export formatters without servers: CSV with BOM and headers, JSONL lines, .xlsx reopened with openpyxl."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from services.api.exports.formats import BOM, csv_stream, jsonl_stream
from services.api.exports.tables import COLUMNS, SHEET_NAMES, HeaderStyle, Table, cell
from services.api.exports.workbook import chunks, new_spool, write_csv_zip, write_workbook

ROWS: dict[Table, list[dict[str, Any]]] = {
    Table.ENGAGEMENTS: [
        {
            "engagement_id": "engagement-2-032034",
            "period": 2,
            "municipality_code": "032034",
            "municipality_name": "大船渡市",
            "prefecture": "岩手県",
            "stage": "outcomes",
            "title": "サーキュラーエコノミーポート, 「三陸」",
            "themes": ["産業振興", "子育て支援", "環境"],
            "applied_on": "2025-04-01",
            "last_contact": "2026-05-15T00:00:00Z",
            "stalled": False,
            "activities": 25,
            "population": 31294,
        }
    ],
    Table.ACTIVITIES: [
        {
            "activity_id": "a1",
            "engagement_id": "engagement-2-032034",
            "kind": "site_visit",
            "start_date": "2025-05-29",
            "end_date": "2025-05-30",
            "officials": ["石川 亨", "古田 匠"],
            "notes": 'line one\nline "two"',
        }
    ],
    Table.OUTCOMES: [],
    Table.PARTICIPATION: [
        {
            "official_id": "o1",
            "official_name": "石川 亨",
            "relation": "took_part",
            "role": "led",
            "on_date": "2025-05-29",
        }
    ],
}


async def rows(table: Table) -> AsyncIterator[dict[str, Any]]:
    for row in ROWS[table]:
        yield row


async def collect(stream: AsyncIterator[bytes]) -> bytes:
    return b"".join([part async for part in stream])


class TestCsv:
    async def test_starts_with_a_bom_and_japanese_headers(self) -> None:
        body = await collect(csv_stream(Table.ENGAGEMENTS, rows(Table.ENGAGEMENTS), HeaderStyle.JA))
        assert body.startswith(BOM)
        records = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert records[0] == [c.ja for c in COLUMNS[Table.ENGAGEMENTS]]
        assert records[0][:5] == ["伴走支援ID", "期", "団体コード", "市町村", "都道府県"]
        assert len(records) == 2

    async def test_values_lists_dates_and_quoting(self) -> None:
        body = await collect(csv_stream(Table.ENGAGEMENTS, rows(Table.ENGAGEMENTS), HeaderStyle.EN))
        (row,) = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        assert row["title"] == "サーキュラーエコノミーポート, 「三陸」"
        assert row["themes"] == "産業振興、子育て支援、環境"
        assert row["last_contact"] == "2026-05-15"
        assert row["stalled"] == "FALSE"
        assert row["kickoff_on"] == ""
        assert b"\r\n" in body

    async def test_english_header_option_gives_the_jsonl_keys(self) -> None:
        body = await collect(csv_stream(Table.PARTICIPATION, rows(Table.PARTICIPATION), HeaderStyle.EN))
        first = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert first == [c.key for c in COLUMNS[Table.PARTICIPATION]]

    async def test_both_headers_put_japanese_first(self) -> None:
        body = await collect(csv_stream(Table.OUTCOMES, rows(Table.OUTCOMES), HeaderStyle.BOTH))
        records = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert records == [[c.ja for c in COLUMNS[Table.OUTCOMES]], [c.key for c in COLUMNS[Table.OUTCOMES]]]

    async def test_a_multiline_note_stays_one_record(self) -> None:
        body = await collect(csv_stream(Table.ACTIVITIES, rows(Table.ACTIVITIES), HeaderStyle.EN))
        records = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        assert [r["notes"] for r in records] == ['line one\nline "two"']


class TestJsonl:
    async def test_every_line_parses_with_english_keys(self) -> None:
        body = await collect(jsonl_stream(Table.ACTIVITIES, rows(Table.ACTIVITIES)))
        lines = body.decode().splitlines()
        assert len(lines) == 1
        obj = json.loads(lines[0])
        assert list(obj) == [c.key for c in COLUMNS[Table.ACTIVITIES]]
        assert obj["officials"] == ["石川 亨", "古田 匠"]
        assert obj["start_date"] == "2025-05-29"
        assert obj["companies"] == []
        assert "石川" in lines[0]  # UTF-8, not \u escapes


class TestWorkbook:
    async def test_one_sheet_per_table_with_real_dates_and_a_frozen_header(self) -> None:
        spool = new_spool()
        await write_workbook(list(Table), rows, HeaderStyle.JA, spool)
        wb = load_workbook(io.BytesIO(b"".join(chunks(spool))))
        assert wb.sheetnames == [SHEET_NAMES[t] for t in Table]
        ws = wb["伴走支援"]
        assert ws.freeze_panes == "A2"
        assert [c.value for c in ws[1]][:3] == ["伴走支援ID", "期", "団体コード"]
        assert ws.max_row == 2
        applied = ws.cell(row=2, column=[c.key for c in COLUMNS[Table.ENGAGEMENTS]].index("applied_on") + 1)
        assert applied.number_format == "yyyy-mm-dd"
        assert applied.value == datetime(2025, 4, 1)
        assert ws.cell(row=2, column=2).value == 2
        assert ws.column_dimensions["G"].width == 50  # 表題
        assert wb["活動"].cell(row=2, column=6).value == datetime(2025, 5, 29)
        assert wb["成果"].max_row == 1

    async def test_both_headers_freeze_two_rows(self) -> None:
        spool = new_spool()
        await write_workbook([Table.PARTICIPATION], rows, HeaderStyle.BOTH, spool)
        ws = load_workbook(io.BytesIO(b"".join(chunks(spool))))["支援官の参加"]
        assert ws.freeze_panes == "A3"
        assert ws.cell(row=2, column=1).value == "official_id"
        assert ws.cell(row=3, column=2).value == "石川 亨"
        assert ws.cell(row=3, column=[c.key for c in COLUMNS[Table.PARTICIPATION]].index("on_date") + 1).value == (
            datetime(2025, 5, 29)
        )


async def test_the_zip_holds_one_csv_per_table_each_with_a_bom() -> None:
    spool = new_spool()
    await write_csv_zip(list(Table), rows, HeaderStyle.JA, spool)
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks(spool)))) as zf:
        assert zf.namelist() == [f"{t.value}.csv" for t in Table]
        body = zf.read("engagements.csv")
    assert body.startswith(BOM)
    assert "大船渡市" in body.decode("utf-8-sig")


def test_dates_are_dates_not_text() -> None:
    column = next(c for c in COLUMNS[Table.ENGAGEMENTS] if c.key == "applied_on")
    assert cell(column, {"applied_on": "2025-04-01"}) == date(2025, 4, 1)
