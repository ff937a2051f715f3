"""支援状況 (the cockpit): the period's figures, engagements by stage, stalled engagements, reports falling due."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from schemas.views import Stage
from services.api.deps import PeriodReadsDep, WebReadsDep
from services.api.web.page_common import OptionalText, query_int
from services.api.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def cockpit(
    request: Request, web: WebReadsDep, period_reads: PeriodReadsDep, period: OptionalText = None
) -> HTMLResponse:
    """支援状況: the period's figures, engagements by stage, stalled engagements, reports falling due."""
    periods = await web.periods()
    chosen = query_int(period, 1, 99) or (periods[0] if periods else None)
    if chosen is None:
        return render(request, "cockpit.html", periods=[], period=None)
    figures = await period_reads.figures(chosen)
    today = date.today()
    stalled = [
        s | {"days": (today - date.fromisoformat(s["last_contact"])).days if s["last_contact"] else None}
        for s in await web.stalled(chosen)
    ]
    due = [d | {"days": (date.fromisoformat(d["due"]) - today).days} for d in await web.reports_due(chosen)]
    stages = [(s.value, figures.engagements_by_stage.get(s.value, 0)) for s in Stage if s is not Stage.NEW]
    return render(
        request,
        "cockpit.html",
        periods=periods,
        period=chosen,
        figures=figures,
        stages=stages,
        stalled=stalled,
        due=due,
    )
