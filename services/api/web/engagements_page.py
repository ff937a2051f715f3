"""伴走支援一覧 (the engagement list) with every filter in the URL."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from schemas.text import nfkc
from schemas.views import Stage
from services.api.deps import GraphReadsDep, WebReadsDep
from services.api.web.page_common import OptionalText, query_int
from services.api.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/engagements", response_class=HTMLResponse)
async def engagements(
    request: Request,
    reads: GraphReadsDep,
    web: WebReadsDep,
    stage: OptionalText = None,
    period: OptionalText = None,
    prefecture: OptionalText = None,
    theme: OptionalText = None,
    ministry: OptionalText = None,
    stalled: OptionalText = None,
    offset: OptionalText = None,
) -> HTMLResponse:
    """伴走支援一覧 with every filter in the URL, so a view can be shared and bookmarked."""
    chosen_stage = Stage(stage) if stage in {s.value for s in Stage} else None
    start = query_int(offset, 0, 1_000_000) or 0
    page = await reads.list_engagements(
        stage=chosen_stage,
        period=query_int(period, 1, 99),
        prefecture=nfkc(prefecture) or None if prefecture else None,
        theme=nfkc(theme) or None if theme else None,
        ministry=nfkc(ministry) or None if ministry else None,
        stalled=True if stalled == "true" else None,
        limit=50,
        offset=start,
    )
    filters = {
        "stage": chosen_stage.value if chosen_stage else "",
        "period": period or "",
        "prefecture": prefecture or "",
        "theme": theme or "",
        "ministry": ministry or "",
        "stalled": stalled == "true",
    }
    periods = await web.periods()
    return render(
        request, "engagements.html", page=page, filters=filters, stages=list(Stage), periods=periods, offset=start
    )
