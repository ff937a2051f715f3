"""Webhook配信: the back office's page of subscriptions — state, cursor, last delivery, recent log — with
forms to register one (its secret shown once), pause, resume and redeliver from a position."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from schemas.webhooks import NewSubscription
from services.api.deps import EventFeedDep, WebhooksDep, WebhookStoreDep
from services.api.web.access import SignInRequired
from services.api.web.render import render, signed_in
from services.graph.store.webhooks import WebhookStore
from services.workflow.webhooks.commands import RedeliveryAhead, WebhookEnded

router = APIRouter(include_in_schema=False)

RECENT = 10
SubscriptionId = Annotated[str, Path(pattern=r"^wh_[0-9a-f]{20}$")]
Action = Annotated[str, Path(pattern=r"^(pause|resume|redeliver)$")]


async def _form(request: Request) -> dict[str, str]:
    return {k: v.strip() for k, v in (await request.form()).items() if isinstance(v, str)}


async def webhooks_page(
    request: Request,
    reads: WebhookStore,
    *,
    created: tuple[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Every subscription, newest first, with its latest deliveries."""
    subs = await reads.subscriptions()
    logs = {s.id: await reads.deliveries(s.id, RECENT) for s in subs}
    return render(
        request,
        "webhooks.html",
        status_code=status_code,
        subscriptions=subs,
        logs=logs,
        created=created,
        error=error,
        done=request.query_params.get("done"),
    )


@router.get("/webhooks", response_class=HTMLResponse)
async def webhooks(request: Request, reads: WebhookStoreDep) -> HTMLResponse:
    """The subscriptions page."""
    return await webhooks_page(request, reads)


@router.post("/webhooks", response_class=HTMLResponse)
async def register(request: Request, commands: WebhooksDep, reads: WebhookStoreDep, feed: EventFeedDep) -> HTMLResponse:
    """Register a subscription from the form (URL, event types separated by spaces or commas)."""
    principal = signed_in(request)
    if principal is None:
        raise SignInRequired()
    form = await _form(request)
    types = [t for t in form.get("event_types", "").replace(",", " ").split() if t]
    try:
        new = NewSubscription(url=form.get("url", ""), event_types=types, description=form.get("description", ""))
    except ValidationError:
        return await webhooks_page(request, reads, error="invalid", status_code=422)
    subscription_id, secret = await commands.register(principal.actor, new, await feed.head())
    page = await webhooks_page(request, reads, created=(subscription_id, secret), status_code=201)
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post("/webhooks/{subscription_id}/{action}", response_class=HTMLResponse)
async def act(
    request: Request, subscription_id: SubscriptionId, action: Action, commands: WebhooksDep, reads: WebhookStoreDep
) -> Response:
    """Pause, resume or redeliver (from the position in the form), then back to the page."""
    principal = signed_in(request)
    if principal is None:
        raise SignInRequired()
    if await reads.subscription(subscription_id) is None:
        return render(request, "not_found.html", status_code=404)
    try:
        if action == "pause":
            await commands.pause(subscription_id, principal.actor)
        elif action == "resume":
            await commands.resume(subscription_id, principal.actor)
        else:
            position = (await _form(request)).get("from_position", "")
            if not position.isdigit() or not 1 <= int(position) < 10**12:
                return await webhooks_page(request, reads, error="position", status_code=422)
            await commands.redeliver(subscription_id, principal.actor, int(position))
    except WebhookEnded:
        return await webhooks_page(request, reads, error="ended", status_code=409)
    except RedeliveryAhead:
        return await webhooks_page(request, reads, error="ahead", status_code=409)
    return RedirectResponse(f"/webhooks?done={action}#{subscription_id}", status_code=303)
