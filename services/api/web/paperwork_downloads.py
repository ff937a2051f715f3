"""The period page's download links for the programme's paperwork: the 名簿 (roster) and the 支援旅費 ledger.

The same files as the API's routes (services/api/routers/paperwork.py, built by services/api/exports/
paperwork.py), for a signed-in session: staff, admin and auditors (the policy's MONEY rule), each download
in the access log with the officials it names. A date that does not parse is today's roster.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from schemas.calendar import today_jst
from services.api.access_log import note_read
from services.api.deps import PaperworkReadsDep
from services.api.exports.formats import CSV_MEDIA_TYPE
from services.api.exports.paperwork import LEDGER_COLUMNS, ROSTER_COLUMNS, csv_file, ledger_rows, roster_rows, xlsx_file
from services.api.exports.tables import HeaderStyle
from services.api.exports.workbook import XLSX_MEDIA_TYPE
from services.api.web.money import day_or

router = APIRouter(include_in_schema=False)
Period = Annotated[int, Path(ge=1, le=99)]
Text = Annotated[str | None, Query(max_length=20)]


def _attachment(body: bytes, media_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(body, media_type=media_type, headers=headers)


async def _roster(request: Request, period: int, reads: PaperworkReadsDep, on: str | None) -> list[dict[str, object]]:
    rows = await reads.roster(period, day_or(on, today_jst()))
    note_read(request, "official", [r.official_id for r in rows])
    return roster_rows(rows)


async def _ledger(request: Request, period: int, reads: PaperworkReadsDep) -> list[dict[str, object]]:
    lines = await reads.travel_lines(period=period)
    note_read(request, "official", sorted({line.official_id for line in lines}))
    return ledger_rows(lines)


@router.get("/periods/{period}/roster.csv")
async def roster_csv(request: Request, period: Period, reads: PaperworkReadsDep, on: Text = None) -> Response:
    """The period's 名簿 on `on` (today when absent) as CSV (UTF-8 with BOM, Japanese header)."""
    rows = await _roster(request, period, reads, on)
    body = csv_file(ROSTER_COLUMNS, rows, HeaderStyle.JA)
    return _attachment(body, CSV_MEDIA_TYPE, f"banso-period-{period}-roster.csv")


@router.get("/periods/{period}/roster.xlsx")
async def roster_xlsx(request: Request, period: Period, reads: PaperworkReadsDep, on: Text = None) -> Response:
    """The period's 名簿 on `on` (today when absent) as an .xlsx."""
    rows = await _roster(request, period, reads, on)
    body = xlsx_file("名簿", ROSTER_COLUMNS, rows, HeaderStyle.JA)
    return _attachment(body, XLSX_MEDIA_TYPE, f"banso-period-{period}-roster.xlsx")


@router.get("/periods/{period}/travel-ledger.csv")
async def travel_ledger_csv(request: Request, period: Period, reads: PaperworkReadsDep) -> Response:
    """The period's 支援旅費 ledger (one row per travel line, then the totals) as CSV."""
    rows = await _ledger(request, period, reads)
    body = csv_file(LEDGER_COLUMNS, rows, HeaderStyle.JA)
    return _attachment(body, CSV_MEDIA_TYPE, f"banso-period-{period}-travel-ledger.csv")


@router.get("/periods/{period}/travel-ledger.xlsx")
async def travel_ledger_xlsx(request: Request, period: Period, reads: PaperworkReadsDep) -> Response:
    """The period's 支援旅費 ledger as an .xlsx (yen as whole numbers, the totals row last)."""
    rows = await _ledger(request, period, reads)
    body = xlsx_file("支援旅費", LEDGER_COLUMNS, rows, HeaderStyle.JA)
    return _attachment(body, XLSX_MEDIA_TYPE, f"banso-period-{period}-travel-ledger.xlsx")
