"""The matching review page: a period's proposal with explanations, swap/lock/exclude, re-run and approval."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.api.deps import PeriodCommandsDep, WebReadsDep
from services.api.period_commands import PeriodCommands
from services.api.period_views import proposal_view, summary
from services.api.problems import NotFound
from services.api.web.render import render

router = APIRouter(include_in_schema=False)


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


@router.get("/periods/{period}", response_class=HTMLResponse)
async def period_detail(request: Request, period: int, commands: PeriodCommandsDep) -> HTMLResponse:
    """The review page of one period."""
    return await period_page(request, period, commands)


async def period_page(
    request: Request,
    period: int,
    commands: PeriodCommands,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The review page, with the errors of a refused decision when there was one."""
    try:
        state = await commands.state(period)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    view = proposal_view(state)
    names = {oid: v.official.name for oid, v in state.volunteers.items()}
    return render(
        request,
        "period.html",
        status_code=status_code,
        s=summary(state),
        view=view,
        names=names,
        errors=errors or {},
        saved=request.query_params.get("saved"),
        key=str(uuid.uuid4()),
        today=date.today().isoformat(),
    )
