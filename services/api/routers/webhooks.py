"""Webhook subscriptions under /api/v1/webhooks: register (secret shown once), list, show, pause, resume,
redeliver from a position, delete, and the delivery log. A client sees only its own subscriptions."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Query, Response

from schemas.webhooks import (
    CreatedSubscription,
    DeliveryLog,
    NewSubscription,
    Redelivery,
    SubscriptionList,
    SubscriptionView,
)
from services.api.auth.principal import Principal, Role
from services.api.deps import EventFeedDep, PrincipalDep, WebhooksDep, WebhookStoreDep
from services.api.problems import Conflict, InvalidInput, NotFound, Timeout, problem_responses
from services.graph.store.webhooks import WebhookStore
from services.workflow.webhooks.commands import RedeliveryAhead, WebhookCommandTimeout, WebhookEnded

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

SUBSCRIPTION_ID_PATTERN = r"^wh_[0-9a-f]{20}$"
SubscriptionId = Annotated[str, Path(pattern=SUBSCRIPTION_ID_PATTERN, description="wh_<20 hex digits>")]
NO_STORE = {"Cache-Control": "no-store"}
T = TypeVar("T")


class WebhookNotFound(NotFound):
    """No subscription with this id that the caller may see (404)."""

    code = "webhook_not_found"


class WebhookEndedProblem(Conflict):
    """The subscription was disabled by a 410 or deleted; it takes no more changes (409)."""

    code = "webhook_ended"


class PositionAhead(Conflict):
    """Redelivery from a position past the cursor (409)."""

    code = "webhook_position_ahead"


class CursorAheadProblem(InvalidInput):
    """A starting position beyond the feed's newest (422)."""

    code = "webhook_cursor_ahead"


def owner_filter(principal: Principal) -> str | None:
    """Whose subscriptions the caller sees: staff and admin every one (None), anyone else their own."""
    return None if principal.has(Role.STAFF, Role.ADMIN) else principal.actor


async def visible(store: WebhookStore, principal: Principal, subscription_id: str) -> SubscriptionView:
    """The subscription, if the caller may see it (another client's is answered as unknown)."""
    sub = await store.subscription(subscription_id)
    owner = owner_filter(principal)
    if sub is None or (owner is not None and sub.owner != owner):
        raise WebhookNotFound()
    return sub


async def command(call: Awaitable[T]) -> T:
    """A command to a subscription's workflow, its refusals and a workflow that does not answer as problems."""
    try:
        return await call
    except WebhookEnded as err:
        raise WebhookEndedProblem() from err
    except RedeliveryAhead as err:
        raise PositionAhead() from err
    except WebhookCommandTimeout as err:
        raise Timeout() from err


async def changed(store: WebhookStore, subscription_id: str) -> SubscriptionView:
    """The stored subscription after an update (the workflow stored it before answering)."""
    sub = await store.subscription(subscription_id)
    if sub is None:
        raise WebhookNotFound()
    return sub


@router.post(
    "",
    status_code=201,
    responses=problem_responses(422, 503, 504),
    summary="Webhookの登録 / Register a webhook subscription",
)
async def register(
    new: NewSubscription,
    principal: PrincipalDep,
    commands: WebhooksDep,
    store: WebhookStoreDep,
    feed: EventFeedDep,
    response: Response,
) -> CreatedSubscription:
    """Start delivering the feed's events (of `event_types`; all when empty) after `after` (default: the newest
    position) to `url`, signed per Standard Webhooks with `secret` — which this answer shows once, and never again."""
    head = await feed.head()
    after = head if new.after is None else new.after
    if after > head:
        raise CursorAheadProblem()
    subscription_id, secret = await command(commands.register(principal.actor, new, after))
    response.headers.update(NO_STORE)
    return CreatedSubscription(**(await visible(store, principal, subscription_id)).model_dump(), secret=secret)


@router.get("", responses=problem_responses(503), summary="Webhookの一覧 / Webhook subscriptions")
async def subscriptions(principal: PrincipalDep, store: WebhookStoreDep) -> SubscriptionList:
    """The caller's subscriptions (staff and admin: every one), newest first, without secrets."""
    return SubscriptionList(items=await store.subscriptions(owner_filter(principal)))


@router.get("/{subscription_id}", responses=problem_responses(404, 503), summary="Webhook / A subscription")
async def subscription(
    subscription_id: SubscriptionId, principal: PrincipalDep, store: WebhookStoreDep
) -> SubscriptionView:
    """One subscription: status (active, paused, disabled), cursor, last delivery; never the secret."""
    return await visible(store, principal, subscription_id)


@router.get("/{subscription_id}/deliveries", responses=problem_responses(404, 503), summary="配信記録 / Delivery log")
async def deliveries(
    subscription_id: SubscriptionId,
    principal: PrincipalDep,
    store: WebhookStoreDep,
    limit: Annotated[int, Query(ge=1, le=500, description="件数 / how many")] = 100,
) -> DeliveryLog:
    """The latest deliveries, newest first: position, event, status, HTTP status, latency, attempts."""
    await visible(store, principal, subscription_id)
    return DeliveryLog(items=await store.deliveries(subscription_id, limit))


@router.post(
    "/{subscription_id}/pause", responses=problem_responses(404, 409, 503, 504), summary="一時停止 / Pause deliveries"
)
async def pause(
    subscription_id: SubscriptionId, principal: PrincipalDep, commands: WebhooksDep, store: WebhookStoreDep
) -> SubscriptionView:
    """Stop delivering until resumed (an event being retried is sent again, first, on resume)."""
    await visible(store, principal, subscription_id)
    await command(commands.pause(subscription_id, principal.actor))
    return await changed(store, subscription_id)


@router.post(
    "/{subscription_id}/resume", responses=problem_responses(404, 409, 503, 504), summary="再開 / Resume deliveries"
)
async def resume(
    subscription_id: SubscriptionId, principal: PrincipalDep, commands: WebhooksDep, store: WebhookStoreDep
) -> SubscriptionView:
    """Deliver again from the cursor, after a pause by hand or after repeated failures."""
    await visible(store, principal, subscription_id)
    await command(commands.resume(subscription_id, principal.actor))
    return await changed(store, subscription_id)


@router.post(
    "/{subscription_id}/redeliveries",
    responses=problem_responses(404, 409, 503, 504),
    summary="再送 / Redeliver from a position",
)
async def redeliver(
    subscription_id: SubscriptionId,
    body: Redelivery,
    principal: PrincipalDep,
    commands: WebhooksDep,
    store: WebhookStoreDep,
) -> SubscriptionView:
    """Move the cursor back: every event from `from_position` on is delivered again, in order (same webhook-id)."""
    await visible(store, principal, subscription_id)
    await command(commands.redeliver(subscription_id, principal.actor, body.from_position))
    return await changed(store, subscription_id)


@router.delete(
    "/{subscription_id}", status_code=204, responses=problem_responses(404, 503, 504), summary="削除 / Delete"
)
async def delete(
    subscription_id: SubscriptionId, principal: PrincipalDep, commands: WebhooksDep, store: WebhookStoreDep
) -> Response:
    """End the subscription: no more deliveries; its record and delivery log are deleted."""
    await visible(store, principal, subscription_id)
    try:
        await commands.delete(subscription_id, principal.actor)
    except WebhookEnded:
        await store.delete(subscription_id)  # disabled (its workflow has ended): only the record is left
    except WebhookCommandTimeout as err:
        raise Timeout() from err
    return Response(status_code=204)
