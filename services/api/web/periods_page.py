"""A period's page: the matching review (its proposal with explanations, swap/lock/exclude, re-run and approval)
and, for the roles that see money, the programme's paperwork: 併任 (appointments, gaps on a date, the roster)
and 支援旅費 (per team and per ministry planned, settled and left, alerts, the ledger).

A period known only from its engagements (no call was opened through Banso, as the demo's 第2期) has no
proposal: its page shows the paperwork alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from schemas.calendar import today_jst
from schemas.paperwork_views import AppointmentGap, AppointmentView, TravelSummary
from schemas.periods import PeriodState
from services.api.access_log import note_read
from services.api.deps import PeriodCommandsDep, WebReadsDep
from services.api.period_commands import PeriodCommands
from services.api.period_views import proposal_view, summary
from services.api.problems import NotFound
from services.api.web.money import day_or, last_covered, money_reader, over_share
from services.api.web.paperwork_form_data import FormState, appointable
from services.api.web.render import may, render, signed_in
from services.graph.reads.paperwork_reads import Member, PaperworkReads

router = APIRouter(include_in_schema=False)
APPOINTMENT_FORM = "/periods/{period}/appointments/{what}"


@router.get("/periods", response_class=HTMLResponse)
async def periods(request: Request, web: WebReadsDep, commands: PeriodCommandsDep) -> HTMLResponse:
    """Every period with a workflow, newest first, with its phase."""
    rows = []
    for number in await web.periods():
        try:
            rows.append(summary(await commands.state(number)))
        except NotFound:
            continue  # a period known only from engagements (no call was opened through Banso)
    return render(request, "periods.html", periods=rows)


@dataclass(frozen=True)
class Paperwork:
    """What the period page shows of 併任 and 支援旅費 (read only for the roles that see money)."""

    on: date
    teams: dict[str, str]
    appointments: list[AppointmentView]
    gaps: list[AppointmentGap]
    travel: TravelSummary
    appointable: list[Member]


async def paperwork_of(request: Request, period: int, today: date) -> Paperwork | None:
    """The period's paperwork for a reader who may see it, else None (nothing is read)."""
    if not money_reader(signed_in(request)):
        return None
    reads: PaperworkReads = request.app.state.paperwork_reads
    on = day_or(request.query_params.get("on"), today)
    appointments = await reads.appointments(period)
    gaps = await reads.appointment_gaps(period, on)
    note_read(request, "official", sorted({a.official_id for a in appointments} | {g.official_id for g in gaps}))
    writes = may(signed_in(request), APPOINTMENT_FORM, "POST")  # staff and admin: the 併任 forms
    return Paperwork(
        on=on,
        teams=await reads.engagement_codes(period),
        appointments=appointments,
        gaps=gaps,
        travel=await reads.travel_summary(period, today),
        appointable=appointable(await reads.members(period), appointments, today) if writes else [],
    )


@router.get("/periods/{period}", response_class=HTMLResponse)
async def period_detail(request: Request, period: int, commands: PeriodCommandsDep) -> HTMLResponse:
    """The review page of one period, with its paperwork for the roles that see money."""
    return await period_page(request, period, commands)


async def period_page(
    request: Request,
    period: int,
    commands: PeriodCommands,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    paperwork_form: FormState | None = None,
) -> HTMLResponse:
    """The review page, with the errors of a refused decision when there was one (of a refused 併任 form in
    `paperwork_form`)."""
    state: PeriodState | None = None
    try:
        state = await commands.state(period)
    except NotFound:
        state = None  # a period known only from its engagements: its paperwork alone
    today = today_jst()
    paperwork = await paperwork_of(request, period, today) if 1 <= period <= 99 else None
    if state is None and (paperwork is None or not paperwork.teams):
        return render(request, "not_found.html", status_code=404)
    names = {oid: v.official.name for oid, v in state.volunteers.items()} if state is not None else {}
    return render(
        request,
        "period.html",
        status_code=status_code,
        period=period,
        s=summary(state) if state is not None else None,
        view=proposal_view(state) if state is not None else None,
        names=names,
        errors=errors or {},
        saved=request.query_params.get("saved"),
        key=str(uuid.uuid4()),
        today=today.isoformat(),
        paperwork=paperwork,
        over_share=over_share(paperwork.travel) if paperwork is not None else [],
        last_covered=last_covered,
        paperwork_form=paperwork_form or opened_end_form(request),
    )


def opened_end_form(request: Request) -> FormState | None:
    """The 解除 form a link opened (`?end=<official id>`)."""
    official_id = request.query_params.get("end", "")
    return FormState("end", official_id) if official_id else None
