"""The programme's own paperwork under /api/v1: 併任 appointments, the roster, 支援旅費 plans, settlements,
the period's travel budget and the travel rates.

Writes go to the period's workflow (appointments, budget: Update-with-Start, so a period whose call was
never recorded here still keeps them), the engagement's workflow (plans, settlements) or the rates'
reference stream. Reads come from the graph. Amounts and appointment details are read by staff, admin and
auditors only (the policy's MONEY rule) and every read is in the access log.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from schemas.calendar import today_jst
from schemas.commands import TravelPlanCommand, TravelSettleCommand, rates_stream
from schemas.events import (
    AppointmentChanged,
    AppointmentEnded,
    AppointmentIssued,
    TravelBudgetAllocated,
    TravelRatesDefined,
    TravelSettled,
)
from schemas.paperwork_views import AppointmentGap, AppointmentView, RatesView, TravelLineView, TravelSummary
from schemas.periods import PeriodReceipt
from schemas.views import EventReceipt, StreamReceipt
from services.api.access_log import note_read
from services.api.deps import (
    EngagementCommandsDep,
    EngagementId,
    IdempotencyKey,
    PaperworkReadsDep,
    PeriodCommandsDep,
    PrincipalDep,
    ReferenceCommandsDep,
)
from services.api.engagement_commands import command_meta
from services.api.exports.formats import CSV_MEDIA_TYPE
from services.api.exports.paperwork import (
    LEDGER_COLUMNS,
    ROSTER_COLUMNS,
    csv_file,
    ledger_rows,
    roster_rows,
    xlsx_file,
)
from services.api.exports.tables import HeaderStyle
from services.api.exports.workbook import XLSX_MEDIA_TYPE
from services.api.paperwork import (
    TravelPlanRequest,
    check_budget,
    check_same_official,
    check_team_codes,
    planned,
)
from services.api.problems import problem_responses
from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.period.workflow import PeriodWorkflow

router = APIRouter(prefix="/api/v1", tags=["paperwork (併任・支援旅費)"])

P = "/periods/{period}"
E = "/engagements/{engagement_id}"
PeriodNumber = Annotated[int, Path(ge=1, le=99, description="期 (第N期)")]
OfficialId = Annotated[str, Path(min_length=1, max_length=100, description="支援官ID")]
OnDate = Annotated[date | None, Query(description="この日 (省略時は今日) / on this day (default today, JST)")]
Header = Annotated[
    HeaderStyle, Query(description="見出し行: ja (日本語), en (英語のキー), both (日本語の行の次に英語のキー)")
]
WRITE_ERRORS = problem_responses(404, 409, 422, 429, 500, 503, 504)
START_ERRORS = problem_responses(409, 422, 429, 500, 503, 504)  # Update-with-Start: never a missing stream
READ_ERRORS = problem_responses(404, 422, 503)


def _file(media_type: str) -> dict[int | str, dict[str, object]]:
    return {200: {"content": {media_type: {}}, "description": "the file (Content-Disposition: attachment)"}}


def _attachment(body: bytes, media_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(body, media_type=media_type, headers=headers)


# --- 併任 (appointments), on the period's stream -------------------------------------------------------------


@router.post(
    f"{P}/appointments", status_code=status.HTTP_201_CREATED, responses=START_ERRORS, summary="併任発令 / Appoint"
)
async def issue_appointment(
    period: PeriodNumber,
    body: AppointmentIssued,
    periods: PeriodCommandsDep,
    reads: PaperworkReadsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """Appoint an official 地方創生支援官 (内閣府に併任) for teams of the period (422 for a team that is no
    engagement of the period; 409 while they hold an active appointment in the period)."""
    check_team_codes(period, body.team_codes, await reads.engagement_codes(period))
    return await periods.send_starting(period, PeriodWorkflow.issue_appointment, body, principal.actor, key)


@router.post(
    f"{P}/appointments/{{official_id}}/changes",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="併任内容の変更 / Change teams",
)
async def change_appointment(
    period: PeriodNumber,
    official_id: OfficialId,
    body: AppointmentChanged,
    periods: PeriodCommandsDep,
    reads: PaperworkReadsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """Change the teams an active appointment covers from `changed_on` (all of them, as they are now).
    404 when the period keeps no appointments at all (its workflow was never started)."""
    check_same_official(official_id, body.official_id)
    check_team_codes(period, body.team_codes, await reads.engagement_codes(period))
    return await periods.send(period, PeriodWorkflow.change_appointment, body, principal.actor, key)


@router.post(
    f"{P}/appointments/{{official_id}}/end",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="併任解除 / End",
)
async def end_appointment(
    period: PeriodNumber,
    official_id: OfficialId,
    body: AppointmentEnded,
    periods: PeriodCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """End an active appointment from `ended_on` (解除日), with the reason (team change, 人事異動, period end)."""
    check_same_official(official_id, body.official_id)
    return await periods.send(period, PeriodWorkflow.end_appointment, body, principal.actor, key)


@router.get(f"{P}/appointments", responses=READ_ERRORS, summary="併任の一覧 / Appointments")
async def list_appointments(period: PeriodNumber, request: Request, reads: PaperworkReadsDep) -> list[AppointmentView]:
    """Every appointment of the period with the spans of the teams it covered."""
    views = await reads.appointments(period)
    note_read(request, "official", [v.official_id for v in views])
    return views


@router.get(f"{P}/appointments/gaps", responses=READ_ERRORS, summary="併任の漏れ / Members without an appointment")
async def appointment_gaps(
    period: PeriodNumber, request: Request, reads: PaperworkReadsDep, on: OnDate = None
) -> list[AppointmentGap]:
    """Members of the period's teams on `on` without a valid appointment for that team (before 発令, after
    解除, a team not covered), and appointed officials no longer on a team they are appointed for."""
    gaps = await reads.appointment_gaps(period, on or today_jst())
    note_read(request, "official", sorted({g.official_id for g in gaps}))
    return gaps


async def _roster(period: int, request: Request, reads: PaperworkReadsDep, on: date | None) -> list[dict[str, object]]:
    rows = await reads.roster(period, on)
    note_read(request, "official", [r.official_id for r in rows])
    return roster_rows(rows)


@router.get(
    f"{P}/roster.csv", response_class=Response, responses=_file(CSV_MEDIA_TYPE) | READ_ERRORS, summary="名簿 (CSV)"
)
async def roster_csv(
    period: PeriodNumber, request: Request, reads: PaperworkReadsDep, on: OnDate = None, header: Header = HeaderStyle.JA
) -> Response:
    """The period's 名簿: every appointed official with their post, teams, 発令日 and 解除日 (UTF-8 with BOM)."""
    rows = await _roster(period, request, reads, on)
    return _attachment(csv_file(ROSTER_COLUMNS, rows, header), CSV_MEDIA_TYPE, f"banso-period-{period}-roster.csv")


@router.get(
    f"{P}/roster.xlsx", response_class=Response, responses=_file(XLSX_MEDIA_TYPE) | READ_ERRORS, summary="名簿 (Excel)"
)
async def roster_xlsx(
    period: PeriodNumber, request: Request, reads: PaperworkReadsDep, on: OnDate = None, header: Header = HeaderStyle.JA
) -> Response:
    """The period's 名簿 as an .xlsx (one sheet, dates as dates)."""
    rows = await _roster(period, request, reads, on)
    body = xlsx_file("名簿", ROSTER_COLUMNS, rows, header)
    return _attachment(body, XLSX_MEDIA_TYPE, f"banso-period-{period}-roster.xlsx")


# --- 支援旅費: the period's budget, summary and ledger --------------------------------------------------------


@router.post(f"{P}/travel-budget", status_code=201, responses=WRITE_ERRORS, summary="支援旅費の予算配分 / Budget")
async def allocate_travel_budget(
    period: PeriodNumber,
    body: TravelBudgetAllocated,
    periods: PeriodCommandsDep,
    reads: PaperworkReadsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """The period's travel budget as it now stands, and the teams' shares if set (teams of the period, 422).
    Refused (409 `budget_below_settled`, nothing recorded) when it is below what is already settled; 404 for
    a period that has neither engagements nor a workflow of its own."""
    codes = await reads.engagement_codes(period)
    if not codes:
        await periods.state(period)  # 404 period_not_found: no budget for a period nobody opened
    check_team_codes(period, [s.municipality_code for s in body.team_shares], codes)
    check_budget(body.amount_yen, await reads.settled_total(period))
    return await periods.send_starting(period, PeriodWorkflow.allocate_travel_budget, body, principal.actor, key)


@router.get(f"{P}/travel", responses=READ_ERRORS, summary="支援旅費の状況 / Travel budget picture")
async def travel_summary(period: PeriodNumber, reads: PaperworkReadsDep) -> TravelSummary:
    """Budget, planned, settled and left per team and per ministry, teams over their share, the year's curve."""
    return await reads.travel_summary(period, today_jst())


async def _ledger(period: int, request: Request, reads: PaperworkReadsDep) -> list[dict[str, object]]:
    lines = await reads.travel_lines(period=period)
    note_read(request, "official", sorted({line.official_id for line in lines}))
    return ledger_rows(lines)


@router.get(
    f"{P}/travel-ledger.csv",
    response_class=Response,
    responses=_file(CSV_MEDIA_TYPE) | READ_ERRORS,
    summary="支援旅費の台帳 (CSV) / Travel ledger",
)
async def travel_ledger_csv(
    period: PeriodNumber, request: Request, reads: PaperworkReadsDep, header: Header = HeaderStyle.JA
) -> Response:
    """One row per official's travel for one visit (planned, settled), then the totals; amounts in whole yen."""
    rows = await _ledger(period, request, reads)
    name = f"banso-period-{period}-travel-ledger.csv"
    return _attachment(csv_file(LEDGER_COLUMNS, rows, header), CSV_MEDIA_TYPE, name)


@router.get(
    f"{P}/travel-ledger.xlsx",
    response_class=Response,
    responses=_file(XLSX_MEDIA_TYPE) | READ_ERRORS,
    summary="支援旅費の台帳 (Excel) / Travel ledger",
)
async def travel_ledger_xlsx(
    period: PeriodNumber, request: Request, reads: PaperworkReadsDep, header: Header = HeaderStyle.JA
) -> Response:
    """The travel ledger as an .xlsx (one sheet; yen as whole numbers, the totals row in bold)."""
    rows = await _ledger(period, request, reads)
    body = xlsx_file("支援旅費", LEDGER_COLUMNS, rows, header)
    return _attachment(body, XLSX_MEDIA_TYPE, f"banso-period-{period}-travel-ledger.xlsx")


# --- 支援旅費: an engagement's plans and settlements -----------------------------------------------------------


@router.post(f"{E}/travel-plans", responses=WRITE_ERRORS, summary="旅費の見込み / Plan a participant's travel")
async def plan_travel(
    engagement_id: EngagementId,
    body: TravelPlanRequest,
    commands: EngagementCommandsDep,
    reads: PaperworkReadsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Plan one official's travel for a recorded site or company visit: 交通費 as entered, 宿泊 and 日当 as
    entered or estimated from the rates valid on the day it starts (422 `no_travel_rates` when none is).
    409 when the visit is not recorded, retracted or not this engagement's, when the official was not on
    the team that day (or not among the visit's participants), or when the travel is already settled."""
    event = planned(body, await reads.travel_rates() if body.needs_rates else [])
    cmd = TravelPlanCommand(meta=command_meta(principal.actor), payload=event)
    return await commands.send(engagement_id, EngagementWorkflow.plan_travel, cmd, key)


@router.post(f"{E}/travel-settlements", responses=WRITE_ERRORS, summary="旅費の精算 / Settle a planned trip")
async def settle_travel(
    engagement_id: EngagementId,
    body: TravelSettled,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """The actual amounts of a planned trip, once paid (409 without a plan, or when it is already settled)."""
    cmd = TravelSettleCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.settle_travel, cmd, key)


@router.get(f"{E}/travel", responses=READ_ERRORS, summary="伴走支援の支援旅費 / An engagement's travel")
async def engagement_travel(
    engagement_id: EngagementId, request: Request, reads: PaperworkReadsDep
) -> list[TravelLineView]:
    """The engagement's travel lines: planned and settled amounts per official and visit."""
    lines = await reads.travel_lines(engagement_id=engagement_id)
    note_read(request, "official", sorted({line.official_id for line in lines}))
    return lines


# --- 旅費の基準額 (travel rates), reference data ---------------------------------------------------------------


@router.post(
    "/travel-rates",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(422, 429, 500, 503, 504),
    summary="旅費の基準額 / Define travel rates",
)
async def define_travel_rates(
    body: TravelRatesDefined, reference: ReferenceCommandsDep, principal: PrincipalDep, key: IdempotencyKey = None
) -> StreamReceipt:
    """Define (or revise) one table of rates: 宿泊 per night and 日当 per day, valid from–to, with its source."""
    return await reference.record(rates_stream(body.rates_id), body, principal.actor, key, create=True)


@router.get("/travel-rates", responses=problem_responses(422, 503), summary="旅費の基準額の一覧 / Travel rates")
async def travel_rates(reads: PaperworkReadsDep) -> list[RatesView]:
    """Every table of travel rates with its validity."""
    return await reads.travel_rates()
