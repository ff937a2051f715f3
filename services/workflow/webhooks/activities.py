"""Side effects of the webhook workflow: wait for feed events, POST one signed event, write the log."""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired
from temporalio import activity
from temporalio.exceptions import ApplicationError

from schemas.feed import FeedEvent
from schemas.redaction import redacted
from services.graph.store.feed import EventFeed
from services.graph.store.webhooks import SubscriptionRecord, WebhookStore
from services.settings import Settings
from services.workflow.webhooks.models import (
    DeliverInput,
    DeliverResult,
    EventRef,
    PollInput,
    PollResult,
    RecordInput,
)
from services.workflow.webhooks.signing import signed_headers

log = logging.getLogger("banso.webhooks")

GONE = "WebhookGone"  # 410: the subscriber wants no more deliveries (non-retryable)
FAILED = "WebhookDeliveryFailed"  # any other failure: retried with backoff
EVENT_MISSING = "WebhookEventMissing"
ERROR_CHARS = 300


class WebhookActivities:
    """Built once in worker.py with the feed, the webhook store, one HTTP client and the settings."""

    def __init__(self, feed: EventFeed, store: WebhookStore, settings: Settings, http: httpx.AsyncClient) -> None:
        self._feed = feed
        self._store = store
        self._settings = settings
        self._http = http

    @activity.defn(name="webhook_poll_feed")
    async def poll_feed(self, inp: PollInput) -> PollResult:
        """Events after the cursor as soon as there are any, or none after ~webhook_poll_s (heartbeating)."""
        types = frozenset(inp.types) or None
        deadline = time.monotonic() + self._settings.webhook_poll_s
        while True:
            head = await self._feed.head()
            if head > inp.after:
                found = await self._feed.envelopes(inp.after, inp.limit, types)
                refs = [EventRef(position=p, event_id=e.id, type=e.type) for p, e in found]
                # Fewer than asked: every matching event up to the head (read before them) is here.
                full = len(refs) == inp.limit
                scanned = refs[-1].position if full else max([head, *(r.position for r in refs)])
                if refs or scanned > inp.after:
                    return PollResult(events=refs, scanned_to=scanned)
            if time.monotonic() >= deadline:
                return PollResult(events=[], scanned_to=inp.after)
            activity.heartbeat()
            await asyncio.sleep(self._settings.webhook_poll_interval_s)

    @activity.defn(name="webhook_deliver")
    async def deliver(self, inp: DeliverInput) -> DeliverResult:
        """POST the event (the published FeedEvent JSON, money and 併任 redacted) signed per Standard Webhooks;
        2xx acknowledges it."""
        attempt = activity.info().attempt
        found = await self._feed.envelopes(inp.event.position - 1, 1)
        if not found or found[0][0] != inp.event.position:
            raise ApplicationError(f"no event at position {inp.event.position}", type=EVENT_MISSING)
        # a webhook leaves Banso for another system: 支援旅費 amounts and 併任 details never go with it
        body = redacted(FeedEvent.publish(*found[0])).model_dump_json()
        headers = signed_headers(inp.secret, inp.event.event_id, int(time.time()), body)
        started = time.perf_counter()
        status: int | None = None
        try:
            answer = await self._http.post(inp.url, content=body.encode(), headers=headers, timeout=inp.timeout_s)
            status = answer.status_code
            error = None if answer.is_success else f"HTTP {status}"
        except httpx.HTTPError as err:
            error = f"{type(err).__name__}: {err}"[:ERROR_CHARS]
        latency_ms = (time.perf_counter() - started) * 1000
        result = DeliverResult(http_status=status, latency_ms=round(latency_ms, 2), attempts=attempt, error=error)
        if error is None:
            return result
        await self._note_failure(inp, attempt, error, status)
        raise ApplicationError(error, result, type=GONE if status == 410 else FAILED, non_retryable=status == 410)

    async def _note_failure(self, inp: DeliverInput, attempt: int, error: str, status: int | None) -> None:
        # Shown on the subscription while retrying; a lost note changes nothing, so it never fails the attempt.
        try:
            await self._store.note_failed_attempt(inp.subscription_id, inp.event.position, attempt, error, status)
        except (Neo4jError, ServiceUnavailable, SessionExpired) as err:
            log.warning("webhook %s: could not note failed attempt: %s", inp.subscription_id, err)

    @activity.defn(name="webhook_save_subscription")
    async def save_subscription(self, sub: SubscriptionRecord) -> None:
        """Store the subscription's state (a newer stored revision wins)."""
        await self._store.save(sub)

    @activity.defn(name="webhook_record_delivery")
    async def record_delivery(self, inp: RecordInput) -> None:
        """Log one delivery and move the stored cursor."""
        await self._store.record_delivery(inp.subscription, inp.seq, inp.record)

    @activity.defn(name="webhook_delete_subscription")
    async def delete_subscription(self, sub: SubscriptionRecord) -> None:
        """Forget the subscription and its log."""
        await self._store.delete(sub.id)
