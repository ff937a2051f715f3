"""Forms for the programme's paperwork: 支援旅費 plans and settlements on the engagement page, 併任発令 and
解除 on the period page (staff and admin).

Each form becomes the API's payload (services/api/routers/paperwork.py: `TravelPlanRequest` and `planned()`,
`TravelSettled`, `AppointmentIssued`, `AppointmentEnded`) and the same Temporal update; a payload that does
not validate comes back with the message at its field, a refusal (409) as the form's message in the page's
language, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from schemas.commands import TravelPlanCommand, TravelSettleCommand
from schemas.events import AppointmentEnded, AppointmentIssued, TravelSettled
from schemas.periods import PeriodReceipt
from services.api.deps import EngagementCommandsDep, EventStoreDep, GraphReadsDep, PaperworkReadsDep, PeriodCommandsDep
from services.api.engagement_commands import command_meta, valid_engagement_id
from services.api.paperwork import TravelPlanRequest, check_team_codes, planned
from services.api.problems import ProblemError
from services.api.web.engagement_page import engagement_view
from services.api.web.forms import KEY, _form, _principal, _problem_text, _with_retry_after, field_errors
from services.api.web.page_common import not_found
from services.api.web.paperwork_form_data import FormState, appointment_fields, at_form_fields, payload_fields
from services.api.web.periods_page import period_page
from services.api.web.render import reader_lang
from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.period.workflow import PeriodWorkflow

router = APIRouter(include_in_schema=False)

TRAVEL: dict[str, type[BaseModel]] = {"plan": TravelPlanRequest, "settle": TravelSettled}
APPOINTMENTS: dict[str, type[BaseModel]] = {"issue": AppointmentIssued, "end": AppointmentEnded}


def _key(form: dict[str, str]) -> str | None:
    """The submission's idempotency key (one per form as the page drew it): a resent form records once."""
    key = form.get("key", "")
    return key if KEY.fullmatch(key) else None


def _validate(model: type[BaseModel], data: dict[str, Any], request: Request) -> tuple[Any, dict[str, str]]:
    """The payload, or the messages by form field in the reader's language."""
    try:
        return model.model_validate(data), {}
    except ValidationError as err:
        return None, at_form_fields(field_errors(err, reader_lang(request)))


@router.post("/engagements/{engagement_id}/travel/{what}", response_class=HTMLResponse)
async def travel(
    request: Request,
    engagement_id: str,
    what: str,
    commands: EngagementCommandsDep,
    reads: GraphReadsDep,
    store: EventStoreDep,
    paperwork: PaperworkReadsDep,
) -> Response:
    """Plan one participant's travel for a visit (宿泊・日当 left empty are estimated from the rates), or settle it."""
    if what not in TRAVEL or not valid_engagement_id(engagement_id):
        return not_found(request)
    form = await _form(request)
    target = f"{form.get('visit_event_id', '')}/{form.get('official_id', '')}"
    actor = _principal(request).actor

    async def again(errors: dict[str, str], status: int) -> Response:
        state = FormState(what, target, errors, form)
        return await engagement_view(request, engagement_id, reads, store, travel_form=state, status_code=status)

    body, errors = _validate(TRAVEL[what], payload_fields(form), request)
    if errors:
        return await again(errors, 422)
    try:
        if isinstance(body, TravelPlanRequest):
            event = planned(body, await paperwork.travel_rates() if body.needs_rates else [])
            plan = TravelPlanCommand(meta=command_meta(actor), payload=event)
            receipt = await commands.send(engagement_id, EngagementWorkflow.plan_travel, plan, _key(form))
        else:
            settle = TravelSettleCommand(meta=command_meta(actor), payload=body)
            receipt = await commands.send(engagement_id, EngagementWorkflow.settle_travel, settle, _key(form))
    except ProblemError as err:
        return _with_retry_after(await again({"_form": _problem_text(request, err)}, err.status), err)
    return RedirectResponse(f"/engagements/{engagement_id}?saved={receipt.event_id}#travel", status_code=303)


@router.post("/periods/{period}/appointments/{what}", response_class=HTMLResponse)
async def appointment(
    request: Request,
    period: int,
    what: str,
    periods: PeriodCommandsDep,
    paperwork: PaperworkReadsDep,
) -> Response:
    """併任発令 of a member of one of the period's teams, or 解除 of an appointment in force."""
    if what not in APPOINTMENTS or not 1 <= period <= 99:
        return not_found(request)
    form = await _form(request)
    actor = _principal(request).actor

    async def again(errors: dict[str, str], status: int) -> Response:
        state = FormState(what, form.get("official_id", ""), errors, form)
        return await period_page(request, period, periods, status_code=status, paperwork_form=state)

    data = appointment_fields(form, await paperwork.members(period)) if what == "issue" else payload_fields(form)
    body, errors = _validate(APPOINTMENTS[what], data, request)
    if errors:
        return await again(errors, 422)
    try:
        receipt: PeriodReceipt
        if isinstance(body, AppointmentIssued):
            check_team_codes(period, body.team_codes, await paperwork.engagement_codes(period))
            update = PeriodWorkflow.issue_appointment
            receipt = await periods.send_starting(period, update, body, actor, _key(form))
        else:
            receipt = await periods.send(period, PeriodWorkflow.end_appointment, body, actor, _key(form))
    except ProblemError as err:
        return _with_retry_after(await again({"_form": _problem_text(request, err)}, err.status), err)
    return RedirectResponse(f"/periods/{period}?saved={receipt.event_id}#appointments", status_code=303)
