"""Forms that write: recording on an engagement and reviewing a period's proposal.

Each form becomes the same pydantic payload and the same Temporal update the API sends; a payload that
does not validate is shown again with the message next to its field, and nothing is written.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, TypeAdapter, ValidationError

from schemas.commands import Command
from schemas.events import ActivityPayload, CoordinationHeld, IntroductionMade, OutcomeRecorded, ProposalEdited
from schemas.periods import ApprovalRequest, MatchingRunRequest
from services.api.deps import ServicesDep
from services.api.engagement_commands import command_meta
from services.api.problems import ProblemError
from services.api.web.pages import engagement_view, not_found
from services.api.web.periods_page import period_page
from services.workflow.period_workflow import PeriodWorkflow
from services.workflow.workflows import EngagementWorkflow

router = APIRouter(include_in_schema=False)

ACTOR = re.compile(r"^[A-Za-z0-9._@:-]{1,200}$")
ACTOR_COOKIE = "banso_actor"
KEY = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")

RECORDS: dict[str, tuple[TypeAdapter[Any], Any]] = {
    "activity": (TypeAdapter(ActivityPayload), EngagementWorkflow.record_activity),
    "coordination": (TypeAdapter(CoordinationHeld), EngagementWorkflow.record_coordination),
    "introduction": (TypeAdapter(IntroductionMade), EngagementWorkflow.record_introduction),
    "outcome": (TypeAdapter(OutcomeRecorded), EngagementWorkflow.record_outcome),
}


def _fields(form: dict[str, str]) -> dict[str, Any]:
    """Form values as a payload dict: blanks dropped, `body_kind`/`body_name` nested as `body`."""
    data: dict[str, Any] = {k: v.strip() for k, v in form.items() if k not in {"actor", "key"} and v.strip()}
    if "body_kind" in data or "body_name" in data:
        data["body"] = {"kind": data.pop("body_kind", ""), "name": data.pop("body_name", "")}
    if "member" in data:  # "official_id@municipality_code" from the review page's lock form
        data["official_id"], _, data["municipality_code"] = data.pop("member").partition("@")
    return data


def field_errors(err: ValidationError) -> dict[str, str]:
    """The first message per form field (a nested `body.name` shows at `body_name`)."""
    errors: dict[str, str] = {}
    for e in err.errors():
        loc = [str(p) for p in e["loc"] if not str(p).isdigit()]
        if loc and loc[0] in {"online_meeting", "site_visit", "company_visit"}:
            loc = loc[1:]
        name = "_".join(loc[:2]) if loc[:1] == ["body"] else (loc[0] if loc else "_form")
        errors.setdefault(name, e["msg"].removeprefix("Value error, "))
    return errors


def _actor(form: dict[str, str], errors: dict[str, str]) -> str:
    actor = form.get("actor", "").strip()
    if not ACTOR.fullmatch(actor):
        errors["actor"] = "英数字と . _ @ : - で入力してください / letters, digits and . _ @ : - only"
    return actor


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


@router.post("/engagements/{engagement_id}/record/{what}", response_class=HTMLResponse)
async def record(request: Request, engagement_id: str, what: str, services: ServicesDep) -> Response:
    """Record an activity, coordination, introduction or outcome from the engagement page."""
    if what not in RECORDS:
        return not_found(request)
    adapter, update = RECORDS[what]
    form = await _form(request)
    errors: dict[str, str] = {}
    actor = _actor(form, errors)
    payload: BaseModel | None = None
    try:
        payload = adapter.validate_python(_fields(form))
    except ValidationError as err:
        errors |= field_errors(err)
    if payload is None or errors:
        return await engagement_view(
            request, engagement_id, services, form=what, errors=errors, values=form, status_code=422
        )
    key = form.get("key") if KEY.fullmatch(form.get("key", "")) else None
    try:
        receipt = await services.commands.send(
            engagement_id, update, Command[Any](meta=command_meta(actor), payload=payload), key
        )
    except ProblemError as err:
        return await engagement_view(
            request,
            engagement_id,
            services,
            form=what,
            errors={"_form": err.detail_ja},
            values=form,
            status_code=err.status,
        )
    url = f"/engagements/{engagement_id}?saved={receipt.event_id}#event-{receipt.event_id}"
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(ACTOR_COOKIE, actor, max_age=30 * 86400, samesite="lax")
    return response


@router.post("/periods/{period}/edit", response_class=HTMLResponse)
async def edit_proposal(request: Request, period: int, services: ServicesDep) -> Response:
    """A reviewer's swap, move, lock, unlock, exclude or include, with its reason."""
    form = await _form(request)
    errors: dict[str, str] = {}
    actor = _actor(form, errors)
    try:
        edit = ProposalEdited.model_validate(_fields(form))
    except ValidationError as err:
        return await period_page(request, period, services, errors | field_errors(err), 422)
    if errors:
        return await period_page(request, period, services, errors, 422)
    try:
        await services.periods.send(period, PeriodWorkflow.edit_proposal, edit, actor, form.get("key") or None)
    except ProblemError as err:
        return await period_page(request, period, services, {"_form": err.detail_ja}, err.status)
    return RedirectResponse(f"/periods/{period}?saved=edit", status_code=303)


@router.post("/periods/{period}/approve", response_class=HTMLResponse)
async def approve(request: Request, period: int, services: ServicesDep) -> Response:
    """Approve the teams; the engagements start."""
    form = await _form(request)
    errors: dict[str, str] = {}
    actor = _actor(form, errors)
    try:
        body = ApprovalRequest.model_validate(_fields(form))
    except ValidationError as err:
        return await period_page(request, period, services, errors | field_errors(err), 422)
    if errors:
        return await period_page(request, period, services, errors, 422)
    try:
        await services.periods.send(period, PeriodWorkflow.approve, body, actor, form.get("key") or None)
    except ProblemError as err:
        return await period_page(request, period, services, {"_form": err.detail_ja}, err.status)
    return RedirectResponse(f"/periods/{period}?saved=approved", status_code=303)


@router.post("/periods/{period}/rerun", response_class=HTMLResponse)
async def rerun(request: Request, period: int, services: ServicesDep) -> Response:
    """Run the optimiser again with the locks and exclusions kept."""
    form = await _form(request)
    errors: dict[str, str] = {}
    actor = _actor(form, errors)
    if errors:
        return await period_page(request, period, services, errors, 422)
    try:
        await services.periods.send(period, PeriodWorkflow.run_matching, MatchingRunRequest(), actor, None)
    except ProblemError as err:
        return await period_page(request, period, services, {"_form": err.detail_ja}, err.status)
    return RedirectResponse(f"/periods/{period}?saved=rerun", status_code=303)
