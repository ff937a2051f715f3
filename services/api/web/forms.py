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
from services.api.auth.principal import Principal
from services.api.deps import (
    KEY_PATTERN,
    EngagementCommandsDep,
    EventStoreDep,
    GraphReadsDep,
    PeriodCommandsDep,
)
from services.api.engagement_commands import command_meta, valid_engagement_id
from services.api.period_commands import PeriodCommands
from services.api.problems import ProblemError
from services.api.web.access import SignInRequired
from services.api.web.csrf import CSRF_FIELD
from services.api.web.engagement_page import engagement_view
from services.api.web.form_fields import RULE_FIELDS
from services.api.web.i18n import Lang
from services.api.web.page_common import not_found
from services.api.web.periods_page import period_page
from services.api.web.render import reader_lang, signed_in
from services.i18n.validation import problem_text
from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.period.workflow import PeriodWorkflow

router = APIRouter(include_in_schema=False)

KEY = re.compile(KEY_PATTERN)
# Form fields that are not the payload: the idempotency key, the CSRF token, and an `actor` an old page may
# still send (ignored: the actor is the signed-in principal, never a field).
NOT_PAYLOAD = frozenset({"key", CSRF_FIELD, "actor"})
# Checkbox groups: a form field sent once per ticked box, read as a list of official ids.
PEOPLE_LISTS = ("participant_ids", "contributor_ids")

RECORDS: dict[str, tuple[TypeAdapter[Any], Any]] = {
    "activity": (TypeAdapter(ActivityPayload), EngagementWorkflow.record_activity),
    "coordination": (TypeAdapter(CoordinationHeld), EngagementWorkflow.record_coordination),
    "introduction": (TypeAdapter(IntroductionMade), EngagementWorkflow.record_introduction),
    "outcome": (TypeAdapter(OutcomeRecorded), EngagementWorkflow.record_outcome),
}


def _fields(form: dict[str, str]) -> dict[str, Any]:
    """Form values as a payload dict: blanks dropped, `body_kind`/`body_name` nested as `body`."""
    data: dict[str, Any] = {k: v.strip() for k, v in form.items() if k not in NOT_PAYLOAD and v.strip()}
    if "body_kind" in data or "body_name" in data:
        data["body"] = {"kind": data.pop("body_kind", ""), "name": data.pop("body_name", "")}
    if "member" in data:  # "official_id@municipality_code" from the review page's lock form
        data["official_id"], _, data["municipality_code"] = data.pop("member").partition("@")
    return data


async def _people(request: Request) -> dict[str, list[str]]:
    """The ticked team members of each checkbox group (none ticked: no field, so the record is the team's)."""
    form = await request.form()
    lists = {name: [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()] for name in PEOPLE_LISTS}
    return {name: ids for name, ids in lists.items() if ids}


def _with_people(data: dict[str, Any], people: dict[str, list[str]]) -> dict[str, Any]:
    """The payload dict with its checkbox groups; on the form whoever led also took part (the API asks for both)."""
    data = data | {name: list(ids) for name, ids in people.items()}
    lead = data.get("led_by")
    if isinstance(lead, str) and lead not in data.get("participant_ids", []):
        data["participant_ids"] = [*data.get("participant_ids", []), lead]
    return data


def field_errors(err: ValidationError, lang: Lang) -> dict[str, str]:
    """The first message per form field in the reader's language only (a nested `body.name` shows at
    `body_name`; a rule of our own is read by its code, never by the validator's own words)."""
    errors: dict[str, str] = {}
    for e in err.errors():
        loc = [str(p) for p in e["loc"] if not str(p).isdigit()]
        if loc and loc[0] in {"online_meeting", "site_visit", "company_visit"}:
            loc = loc[1:]
        if loc:
            name = "_".join(loc[:2]) if loc[:1] == ["body"] else loc[0]
        else:  # a rule of several fields: shown at the field a person would change
            name = RULE_FIELDS.get(str(e["type"]), "_form")
        errors.setdefault(name, problem_text(e, lang))  # by the error's type or rule code, through the catalogue
    return errors


def _principal(request: Request) -> Principal:
    """Who posts the form: the signed-in principal (the enforcement point refused the post otherwise)."""
    principal = signed_in(request)
    if principal is None:
        raise SignInRequired()
    return principal


def _problem_text(request: Request, err: ProblemError) -> str:
    """A refused command's detail in the reader's language."""
    return err.detail_en if reader_lang(request) == "en" else err.detail_ja


def _with_retry_after(page: Response, err: ProblemError) -> Response:
    """A refused or deferred form's page, with Retry-After when the server asks to come back later."""
    if err.retry_after is not None and page.status_code == err.status:
        page.headers["Retry-After"] = str(err.retry_after)
    return page


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


@router.post("/engagements/{engagement_id}/record/{what}", response_class=HTMLResponse)
async def record(
    request: Request,
    engagement_id: str,
    what: str,
    commands: EngagementCommandsDep,
    reads: GraphReadsDep,
    store: EventStoreDep,
) -> Response:
    """Record an activity, coordination, introduction or outcome from the engagement page."""
    if what not in RECORDS or not valid_engagement_id(engagement_id):
        return not_found(request)  # never a command sent to a period's or a reference stream's workflow
    adapter, update = RECORDS[what]
    form = await _form(request)
    people = await _people(request)
    form |= {name: " ".join(ids) for name, ids in people.items()}  # shown again ticked when refused
    errors: dict[str, str] = {}
    actor = _principal(request).actor
    payload: BaseModel | None = None
    try:
        payload = adapter.validate_python(
            _with_people(_fields({k: v for k, v in form.items() if k not in people}), people)
        )
    except ValidationError as err:
        errors |= field_errors(err, reader_lang(request))
    if payload is None or errors:
        return await engagement_view(
            request, engagement_id, reads, store, form=what, errors=errors, values=form, status_code=422
        )
    key = form.get("key") if KEY.fullmatch(form.get("key", "")) else None
    try:
        receipt = await commands.send(
            engagement_id, update, Command[Any](meta=command_meta(actor), payload=payload), key
        )
    except ProblemError as err:
        page = await engagement_view(
            request,
            engagement_id,
            reads,
            store,
            form=what,
            errors={"_form": _problem_text(request, err)},
            values=form,
            status_code=err.status,
        )
        return _with_retry_after(page, err)
    url = f"/engagements/{engagement_id}?saved={receipt.event_id}#event-{receipt.event_id}"
    return RedirectResponse(url, status_code=303)


async def _decide(
    request: Request, period: int, commands: PeriodCommands, update: Any, model: type[BaseModel] | None, saved: str
) -> Response:
    """One reviewer decision from a form: validate, send to the period's workflow, show the outcome."""
    form = await _form(request)
    errors: dict[str, str] = {}
    actor = _principal(request).actor
    body: BaseModel = MatchingRunRequest()
    if model is not None:
        try:
            body = model.model_validate(_fields(form))
        except ValidationError as err:
            errors |= field_errors(err, reader_lang(request))
    if errors:
        return await period_page(request, period, commands, errors, 422)
    key = form.get("key") if KEY.fullmatch(form.get("key", "")) else None
    try:
        await commands.send(period, update, body, actor, key)
    except ProblemError as err:
        page = await period_page(request, period, commands, {"_form": _problem_text(request, err)}, err.status)
        return _with_retry_after(page, err)
    return RedirectResponse(f"/periods/{period}?saved={saved}", status_code=303)


@router.post("/periods/{period}/edit", response_class=HTMLResponse)
async def edit_proposal(request: Request, period: int, commands: PeriodCommandsDep) -> Response:
    """A reviewer's swap, move, lock, unlock, exclude or include, with its reason."""
    return await _decide(request, period, commands, PeriodWorkflow.edit_proposal, ProposalEdited, "edit")


@router.post("/periods/{period}/approve", response_class=HTMLResponse)
async def approve(request: Request, period: int, commands: PeriodCommandsDep) -> Response:
    """Approve the teams; the engagements start."""
    return await _decide(request, period, commands, PeriodWorkflow.approve, ApprovalRequest, "approved")


@router.post("/periods/{period}/rerun", response_class=HTMLResponse)
async def rerun(request: Request, period: int, commands: PeriodCommandsDep) -> Response:
    """Run the optimiser again with the locks and exclusions kept."""
    return await _decide(request, period, commands, PeriodWorkflow.run_matching, None, "rerun")
