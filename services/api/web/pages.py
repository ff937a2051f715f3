"""The back office's read pages: cockpit, engagement list and page, report, audit, expertise, explorer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from schemas.api_views import Availability
from schemas.envelope import EventEnvelope
from schemas.seniority import Seniority
from schemas.text import nfkc
from schemas.views import Stage
from services.api.access_log import note_read
from services.api.deps import (
    EventStoreDep,
    ExpertSearchDep,
    GraphReadsDep,
    PeriodReadsDep,
    WebReadsDep,
)
from services.api.engagement_commands import valid_engagement_id
from services.api.web.experts_page import LIMITS, read_filters, term_groups
from services.api.web.render import reader_lang, render
from services.api.web.timeline import entry
from services.graph.reads.engagement_reads import GraphReads
from services.graph.reads.web_reads import NODE_KINDS
from services.graph.store.actors import ActorDirectory
from services.graph.store.event_store import EventStore
from services.workflow.engagement.report import build_report

router = APIRouter(include_in_schema=False)

OptionalText = Annotated[str | None, Query(max_length=200)]


def _int(value: str | None, lo: int, hi: int) -> int | None:
    """A number from a query string, or None when it is missing or not a number in range."""
    if value is None or not value.strip().isdigit():
        return None
    n = int(value)
    return n if lo <= n <= hi else None


def not_found(request: Request) -> HTMLResponse:
    """The page for an unknown engagement, period or node."""
    return render(request, "not_found.html", status_code=404)


@router.get("/", response_class=HTMLResponse)
async def cockpit(
    request: Request, web: WebReadsDep, period_reads: PeriodReadsDep, period: OptionalText = None
) -> HTMLResponse:
    """支援状況: the period's figures, engagements by stage, stalled engagements, reports falling due."""
    periods = await web.periods()
    chosen = _int(period, 1, 99) or (periods[0] if periods else None)
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
    start = _int(offset, 0, 1_000_000) or 0
    page = await reads.list_engagements(
        stage=chosen_stage,
        period=_int(period, 1, 99),
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


@router.get("/engagements/{engagement_id}", response_class=HTMLResponse)
async def engagement(request: Request, engagement_id: str, reads: GraphReadsDep, store: EventStoreDep) -> HTMLResponse:
    """One engagement: 基本情報, team, themes, challenges, the timeline of every event, outcomes, forms."""
    return await engagement_view(request, engagement_id, reads, store, form=request.query_params.get("form", ""))


async def engagement_view(
    request: Request,
    engagement_id: str,
    reads: GraphReads,
    store: EventStore,
    *,
    form: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The engagement page, with one form open and its errors and values when a submission failed."""
    if not _valid_id(engagement_id):
        return not_found(request)
    detail = await reads.engagement(engagement_id)
    log = await store.verified_log(engagement_id)
    if detail is None or log is None:
        return not_found(request)
    return render(
        request,
        "engagement.html",
        status_code=status_code,
        e=detail,
        report=build_report(engagement_id, log.events),
        timeline=[entry(e, reader_lang(request)) for e in log.events],
        actor_names=await actor_names(request, log.events),
        chain=log.chain,
        form=form,
        errors=errors or {},
        values=values or {},
        saved=request.query_params.get("saved"),
        key=str(uuid.uuid4()),
    )


async def actor_names(request: Request, events: Sequence[EventEnvelope]) -> dict[str, str]:
    """The display names of the events' actors (the log records ids; people read names)."""
    directory: ActorDirectory = request.app.state.actors
    return await directory.names(e.actor for e in events)


def _valid_id(engagement_id: str) -> bool:
    return valid_engagement_id(engagement_id)


@router.get("/engagements/{engagement_id}/report", response_class=HTMLResponse)
async def report(request: Request, engagement_id: str, store: EventStoreDep) -> HTMLResponse:
    """The seed's one-page report, generated from the recorded events; print it to PDF from the browser."""
    log = await store.verified_log(engagement_id) if _valid_id(engagement_id) else None
    if log is None:
        return not_found(request)
    return render(request, "report.html", r=build_report(engagement_id, log.events), chain=log.chain)


@router.get("/engagements/{engagement_id}/audit", response_class=HTMLResponse)
async def audit(request: Request, engagement_id: str, store: EventStoreDep) -> HTMLResponse:
    """監査ログ: the ordered log with actors and hashes, the chain verdict, and an export."""
    log = await store.verified_log(engagement_id) if _valid_id(engagement_id) else None
    if log is None:
        return not_found(request)
    timeline = [entry(e, reader_lang(request)) for e in log.events]
    names = await actor_names(request, log.events)
    return render(request, "audit.html", log=log, timeline=timeline, actor_names=names)


@router.get("/engagements/{engagement_id}/audit/log.json")
async def audit_export(request: Request, engagement_id: str, store: EventStoreDep) -> Response:
    """The audit page's export: the ordered log with the chain verdict, as the API's events route gives it."""
    log = await store.verified_log(engagement_id) if _valid_id(engagement_id) else None
    if log is None:
        return not_found(request)
    return JSONResponse(
        log.model_dump(mode="json"),
        headers={"Content-Disposition": f'attachment; filename="{engagement_id}-log.json"'},
    )


@router.get("/experts", response_class=HTMLResponse)
async def experts(
    request: Request,
    search: ExpertSearchDep,
    web: WebReadsDep,
    q: OptionalText = None,
    ministry: OptionalText = None,
    period: OptionalText = None,
    availability: OptionalText = None,
    seniority: OptionalText = None,
    as_of: OptionalText = None,
    limit: OptionalText = None,
) -> HTMLResponse:
    """有識者検索 with the API's filters, the evidence for each official (personal or team, explained), the
    searched terms and why; evidence links to the event on its timeline. A filter the form could not have
    sent is named on the page (422) and nothing is searched."""
    ministries, periods = await web.ministries(), await web.periods()
    params = {"ministry": ministry, "period": period, "availability": availability}
    params |= {"seniority": seniority, "as_of": as_of, "limit": limit}
    filters = read_filters(params, ministries, reader_lang(request))
    results = None
    if q and q.strip() and not filters.errors:
        results = await search.search(q, **filters.search_args())
        note_read(request, "official", [e.official_id for e in results.experts])  # whose records were read
    return render(
        request,
        "experts.html",
        status_code=422 if filters.errors else 200,
        q=q or "",
        results=results,
        term_groups=term_groups(results),
        filters=filters,
        ministries=ministries,
        periods=periods,
        availabilities=list(Availability),
        seniorities=list(Seniority),
        limits=LIMITS,
    )


@router.get("/explorer", response_class=HTMLResponse)
async def explorer(request: Request, kind: OptionalText = None, key: OptionalText = None) -> HTMLResponse:
    """グラフ探索: start from any official, municipality, body or programme and expand neighbours."""
    start_kind = kind if kind in NODE_KINDS else "municipality"
    return render(request, "explorer.html", kinds=list(NODE_KINDS), kind=start_kind, key=key or "")


@router.get("/explorer/neighbours")
async def neighbours(
    request: Request, web: WebReadsDep, kind: OptionalText = None, key: OptionalText = None
) -> Response:
    """A node and its neighbours as Cytoscape elements, named in the reader's language (404 when unknown)."""
    if kind not in NODE_KINDS or not key:
        return JSONResponse({"nodes": [], "edges": []}, status_code=404)
    found: dict[str, Any] | None = await web.neighbours(kind, nfkc(key), lang=reader_lang(request))
    if found is None:
        return JSONResponse({"nodes": [], "edges": []}, status_code=404)
    return JSONResponse(found)
