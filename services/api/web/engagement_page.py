"""One engagement: its page (facts, timeline, forms), its one-page report and its audit log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from schemas.calendar import today_jst
from schemas.envelope import EventEnvelope
from services.api.deps import EventStoreDep, GraphReadsDep
from services.api.engagement_commands import EngagementCommands
from services.api.problems import NotFound
from services.api.redaction import page_log
from services.api.web.form_fields import required_fields
from services.api.web.money import money_reader, travel_totals
from services.api.web.page_common import not_found, valid_id
from services.api.web.paperwork_form_data import FormState, TravelChoice, travel_choices
from services.api.web.render import may, reader_lang, render, signed_in
from services.api.web.timeline import TimelineEntry, municipality_of, select, timeline
from services.graph.reads.engagement_reads import GraphReads
from services.graph.reads.paperwork_reads import PaperworkReads
from services.graph.store.actors import ActorDirectory
from services.graph.store.event_store import EventStore
from services.workflow.engagement.report import build_report

router = APIRouter(include_in_schema=False)
TRAVEL_FORM = "/engagements/{engagement_id}/travel/{what}"


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
    travel_form: FormState | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The engagement page, with one form open and its errors and values when a submission failed (a record
    form's in `errors`/`values`, a travel form's in `travel_form`)."""
    if not valid_id(engagement_id):
        return not_found(request)
    detail = await reads.engagement(engagement_id)
    log = await store.verified_log(engagement_id)
    if detail is None or log is None:
        return not_found(request)
    report = build_report(engagement_id, log.events)  # its facts carry no amounts; a redacted event would not parse
    log = page_log(request, log)  # 支援旅費 amounts only for staff, admin and auditors
    names = await actor_names(request, log.events)
    # 支援旅費: the travel lines and their amounts, for the roles that see money only (nothing read otherwise)
    travel = None
    if money_reader(signed_in(request)):
        paperwork: PaperworkReads = request.app.state.paperwork_reads
        travel = await paperwork.travel_lines(engagement_id=engagement_id)
    choices = await travel_form_choices(request, engagement_id) if travel is not None else None
    return render(
        request,
        "engagement.html",
        status_code=status_code,
        e=detail,
        report=report,
        timeline=timeline(log.events, reader_lang(request), names),
        actor_names=names,
        chain=log.chain,
        form=form,
        required_fields=required_fields(form or "activity"),
        errors=errors or {},
        values=values or {},
        saved=request.query_params.get("saved"),
        key=str(uuid.uuid4()),
        travel_lines=travel,
        travel_totals=travel_totals(travel) if travel is not None else None,
        travel_choices=choices,
        today=today_jst().isoformat(),
        travel_form=travel_form or opened_travel_form(request),
    )


async def travel_form_choices(request: Request, engagement_id: str) -> list[TravelChoice] | None:
    """The visits' participants whose travel may be planned or settled, for a reader who may post the travel
    forms (staff, admin), else None (from the workflow's own state: what it would accept)."""
    if not may(signed_in(request), TRAVEL_FORM, "POST"):
        return None
    commands: EngagementCommands = request.app.state.engagement_commands
    try:
        return travel_choices(await commands.state(engagement_id))
    except NotFound:
        return []


def opened_travel_form(request: Request) -> FormState | None:
    """The travel form a link opened (`?travel=plan|settle&line=<visit event id>/<official id>`)."""
    what, line = request.query_params.get("travel", ""), request.query_params.get("line", "")
    return FormState(what, line) if what in {"plan", "settle"} and line else None


async def actor_names(request: Request, events: Sequence[EventEnvelope]) -> dict[str, str]:
    """The display names of the events' actors (the log records ids; people read names)."""
    directory: ActorDirectory = request.app.state.actors
    return await directory.names(e.actor for e in events)


@router.get("/engagements/{engagement_id}/report", response_class=HTMLResponse)
async def report(request: Request, engagement_id: str, store: EventStoreDep) -> HTMLResponse:
    """The seed's one-page report, generated from the recorded events; print it to PDF from the browser."""
    log = await store.verified_log(engagement_id) if valid_id(engagement_id) else None
    if log is None:
        return not_found(request)
    return render(request, "report.html", r=build_report(engagement_id, log.events), chain=log.chain)


@router.get("/engagements/{engagement_id}/audit", response_class=HTMLResponse)
async def audit(request: Request, engagement_id: str, store: EventStoreDep) -> HTMLResponse:
    """監査ログ: the ordered log with business dates, recording times (JST), actors by name, content and hashes,
    the chain verdict, and an export; `?actor=` and a business-date range (`?from=`, `?to=`) narrow the rows."""
    log = await store.verified_log(engagement_id) if valid_id(engagement_id) else None
    if log is None:
        return not_found(request)
    log = page_log(request, log)  # 支援旅費 amounts only for staff, admin and auditors
    lang = reader_lang(request)
    entries = timeline(log.events, lang, await actor_names(request, log.events))
    params = request.query_params
    actor = params.get("actor", "").strip()
    since, until = _day(params.get("from")), _day(params.get("to"))
    bad = [name for name, day in (("from", since), ("to", until)) if day is None and params.get(name, "").strip()]
    place = municipality_of(log.events)
    return render(
        request,
        "audit.html",
        log=log,
        entries=select(entries, actor=actor or None, since=since, until=until),
        total=len(entries),
        actors=_actors(entries),
        filters={
            "actor": actor,
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
        },
        bad=bad,
        place_name=_place_name(place, lang) if place else engagement_id,
    )


def _place_name(place: tuple[str, str], lang: str) -> str:
    """大船渡市（岩手県） in Japanese, 大船渡市 (岩手県) in English."""
    name, prefecture = place
    if not prefecture:
        return name
    return f"{name}（{prefecture}）" if lang == "ja" else f"{name} ({prefecture})"


def _day(value: str | None) -> date | None:
    """A date parameter (YYYY-MM-DD, as a date input sends it), or None when absent or not a date."""
    try:
        return date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def _actors(entries: Sequence[TimelineEntry]) -> list[tuple[str, str]]:
    """Each actor of the log once, (id, name), by name: the choices of the audit page's actor filter."""
    return sorted({(e.actor, e.actor_name) for e in entries}, key=lambda pair: (pair[1], pair[0]))


@router.get("/engagements/{engagement_id}/audit/log.json")
async def audit_export(request: Request, engagement_id: str, store: EventStoreDep) -> Response:
    """The audit page's export: the ordered log with the chain verdict, as the API's events route gives it."""
    log = await store.verified_log(engagement_id) if valid_id(engagement_id) else None
    if log is None:
        return not_found(request)
    return JSONResponse(
        page_log(request, log).model_dump(mode="json"),
        headers={"Content-Disposition": f'attachment; filename="{engagement_id}-log.json"'},
    )
