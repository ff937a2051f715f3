"""訂正・取消 from the back office: one recorded activity, outcome or survey answer, a form to correct it
(filled with the record as it reads now) and one to retract it, each with its reason.

The forms send the same EventCorrected / EventRetracted the API's /corrections and /retractions take, to
the same Temporal update; the original event is never touched.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError

from schemas.api_views import EngagementLog
from schemas.commands import CorrectCommand, RetractCommand
from schemas.envelope import EventEnvelope
from schemas.events import CORRECTABLE_TYPES, ActivityPayload, EventCorrected, EventRetracted, OutcomeRecorded
from schemas.events.corrections import ACTIVITY_TYPES
from schemas.events.results import SurveyAnswered
from schemas.views import EventReceipt
from services.api.deps import EngagementCommandsDep, EventStoreDep
from services.api.engagement_commands import command_meta
from services.api.problems import ProblemError
from services.api.web.engagement_page import actor_names
from services.api.web.forms import KEY, _fields, _form, _people, _principal, _problem_text, _with_people, field_errors
from services.api.web.page_common import not_found, valid_id
from services.api.web.render import reader_lang, render
from services.api.web.timeline import entry, officials_of, timeline
from services.graph.store.event_store import EventStore
from services.workflow.engagement.corrections import effective_events
from services.workflow.engagement.report import build_report
from services.workflow.engagement.workflow import EngagementWorkflow

router = APIRouter(include_in_schema=False)

FORMS: dict[str, TypeAdapter[Any]] = {
    "activity": TypeAdapter(ActivityPayload),
    "outcome": TypeAdapter(OutcomeRecorded),
    "survey": TypeAdapter(SurveyAnswered),
}
BOOLEANS = ("field_experience", "diverse_team", "useful_for_ministry_work")


def form_of(event_type: str) -> str:
    """Which form a record is corrected with."""
    if event_type in ACTIVITY_TYPES:
        return "activity"
    return "outcome" if event_type == "OutcomeRecorded" else "survey"


def form_values(data: dict[str, Any]) -> dict[str, str]:
    """A record's payload as the form's fields (lists of people space-separated, booleans as true/false)."""
    values: dict[str, str] = {}
    for name, value in data.items():
        if value is None or name in {"event_type", "schema_version"}:
            continue
        if isinstance(value, bool):
            values[name] = "true" if value else "false"
        elif isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                values[name] = " ".join(value)
        else:
            values[name] = str(value)
    return values


async def _record(
    store: EventStore, engagement_id: str, event_id: str
) -> tuple[EngagementLog, EventEnvelope, EventEnvelope]:
    """(the log, the original event, the record as it reads now) — or a LookupError when there is none."""
    log = await store.verified_log(engagement_id) if valid_id(engagement_id) else None
    if log is None:
        raise LookupError(engagement_id)
    original = next((e for e in log.events if e.id == event_id and e.type in CORRECTABLE_TYPES), None)
    if original is None:
        raise LookupError(event_id)
    now = next((e for e in effective_events(log.events) if e.id == event_id), None)
    return log, original, now or original


async def correction_view(
    request: Request,
    engagement_id: str,
    event_id: str,
    store: EventStore,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The correction page for one record, with a refused form's errors and values when there are some."""
    try:
        log, _, now = await _record(store, engagement_id, event_id)
    except LookupError:
        return not_found(request)
    lang = reader_lang(request)
    names = await actor_names(request, log.events)
    rows = {row.event_id: row for row in timeline(log.events, lang, names)}
    record = rows[event_id]
    linked = [rows[link.event_id] for link in (*record.corrected_by, record.retracted_by) if link is not None]
    reads_now = entry(now, lang, officials=officials_of(log.events), actor_names=names)
    report = build_report(engagement_id, log.events)
    return render(
        request,
        "correction.html",
        status_code=status_code,
        engagement_id=engagement_id,
        report=report,
        original=record,
        now=reads_now,
        linked=linked,
        retracted=record.retracted_by is not None,
        what=form_of(now.type),
        official_options=[(o.official_id, f"{o.name}（{o.ministry}）") for o in report.officials],
        errors=errors or {},
        values=values if values is not None else form_values(now.data),
        key=str(uuid.uuid4()),
    )


@router.get("/engagements/{engagement_id}/events/{event_id}/correct", response_class=HTMLResponse)
async def correction(request: Request, engagement_id: str, event_id: str, store: EventStoreDep) -> HTMLResponse:
    """訂正・取消: the record as it reads now, the form to correct it and the form to retract it."""
    return await correction_view(request, engagement_id, event_id, store)


def _corrected_payload(what: str, form: dict[str, str], people: dict[str, list[str]]) -> Any:
    data = _with_people(_fields({k: v for k, v in form.items() if k not in people and k != "reason"}), people)
    if what == "survey":
        data |= {name: form.get(name) == "true" for name in BOOLEANS}
    return FORMS[what].validate_python(data)


async def _send(
    request: Request,
    engagement_id: str,
    event_id: str,
    store: EventStore,
    send: Callable[[str | None], Awaitable[EventReceipt]],
    form: dict[str, str],
) -> Response:
    """Send the command; a refusal shows the page again with the reason, acceptance goes to the timeline."""
    key = form.get("key") if KEY.fullmatch(form.get("key", "")) else None
    try:
        receipt = await send(key)
    except ProblemError as err:
        errors = {"_form": _problem_text(request, err)}
        return await correction_view(
            request, engagement_id, event_id, store, errors=errors, values=form, status_code=err.status
        )
    url = f"/engagements/{engagement_id}?saved={receipt.event_id}#event-{receipt.event_id}"
    return RedirectResponse(url, status_code=303)


@router.post("/engagements/{engagement_id}/events/{event_id}/correct", response_class=HTMLResponse)
async def correct(
    request: Request, engagement_id: str, event_id: str, commands: EngagementCommandsDep, store: EventStoreDep
) -> Response:
    """Correct the record: the form's facts replace it from now on, with the reason given."""
    try:
        _, _, now = await _record(store, engagement_id, event_id)
    except LookupError:
        return not_found(request)
    form = await _form(request)
    people = await _people(request)
    form |= {name: " ".join(ids) for name, ids in people.items()}
    actor = _principal(request).actor
    try:
        corrected = _corrected_payload(form_of(now.type), form, people)
        payload = EventCorrected(corrects_event_id=event_id, reason=form.get("reason", ""), corrected=corrected)
    except ValidationError as err:
        errors = field_errors(err, reader_lang(request))
        return await correction_view(
            request, engagement_id, event_id, store, errors=errors, values=form, status_code=422
        )
    command = CorrectCommand(meta=command_meta(actor), payload=payload)
    return await _send(
        request,
        engagement_id,
        event_id,
        store,
        lambda key: commands.send(engagement_id, EngagementWorkflow.correct, command, key),
        form,
    )


@router.post("/engagements/{engagement_id}/events/{event_id}/retract", response_class=HTMLResponse)
async def retract(
    request: Request, engagement_id: str, event_id: str, commands: EngagementCommandsDep, store: EventStoreDep
) -> Response:
    """Retract the record: it should not have been made (the reason is required)."""
    try:
        await _record(store, engagement_id, event_id)
    except LookupError:
        return not_found(request)
    form = await _form(request)
    actor = _principal(request).actor
    try:
        payload = EventRetracted(retracts_event_id=event_id, reason=form.get("retract_reason", ""))
    except ValidationError as err:
        errors = {"retract_" + k if k == "reason" else k: v for k, v in field_errors(err, reader_lang(request)).items()}
        return await correction_view(
            request, engagement_id, event_id, store, errors=errors, values=None, status_code=422
        )
    command = RetractCommand(meta=command_meta(actor), payload=payload)
    return await _send(
        request,
        engagement_id,
        event_id,
        store,
        lambda key: commands.send(engagement_id, EngagementWorkflow.retract, command, key),
        form,
    )
