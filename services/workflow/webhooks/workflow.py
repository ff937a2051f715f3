"""WebhookWorkflow: one per subscription, the single writer of its delivery state (cursor, status, log).

It reads the feed after its cursor (a long poll that returns as soon as events exist, so an idle
subscription adds a few history events a minute), delivers one event at a time with backoff retries,
and moves the cursor only on a 2xx. After the last attempt fails it pauses and waits for a resume; a
410 Gone disables it for good. Pause, resume, redeliver (move the cursor back) and delete are Updates;
each cancels the delivery or poll in flight, so it takes effect at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from schemas.webhooks import DeliveryRecord, DeliveryStatus, SubscriptionStatus
    from services.graph.store.webhooks import SubscriptionRecord
    from services.workflow.webhooks.activities import GONE, WebhookActivities
    from services.workflow.webhooks.models import (
        DeleteRequest,
        DeliverInput,
        DeliverResult,
        EventRef,
        PauseRequest,
        PollInput,
        PollResult,
        RecordInput,
        RedeliverRequest,
        ResumeRequest,
        SubscriptionState,
        WebhookStart,
    )

STORE_TIMEOUT = timedelta(seconds=30)
STORE_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))
POLL_HEARTBEAT = timedelta(seconds=10)
POLL_MARGIN = timedelta(seconds=30)
POLL_BATCH = 100
DELIVER_MARGIN = timedelta(seconds=5)
MANUAL, FAILURES = "manual", "failures"
DISABLED_TYPE = "WebhookDisabled"
CURSOR_AHEAD_TYPE = "WebhookCursorAhead"
T = TypeVar("T")


@workflow.defn
class WebhookWorkflow:
    """Webhook配信 — delivers the event feed to one subscriber, in order, at least once."""

    @workflow.init
    def __init__(self, start: WebhookStart) -> None:
        self._start = start
        self._sub = start.subscription
        self._delivered = start.delivered
        self._saved = False
        self._deleted = False
        self._gone = False
        self._generation = 0  # moves when an update changes what the loop should do next
        self._in_flight: workflow.ActivityHandle[object] | None = None

    @workflow.run
    async def run(self, start: WebhookStart) -> None:
        """Deliver until deleted or disabled; continue-as-new after a bounded run."""
        if workflow.info().continued_run_id is None:
            await self._save()
        self._saved = True
        run_deliveries = 0
        while not self._deleted and self._sub.status != SubscriptionStatus.DISABLED:
            if self._sub.status == SubscriptionStatus.PAUSED:
                await workflow.wait_condition(lambda: self._deleted or self._sub.status != SubscriptionStatus.PAUSED)
                continue
            if run_deliveries >= start.policy.deliveries_per_run or self._history_is_long():
                break
            run_deliveries += await self._deliver_next()
        if self._deleted:
            await self._store_activity(WebhookActivities.delete_subscription, self._sub)
            self._gone = True
            return
        if self._sub.status == SubscriptionStatus.DISABLED:
            return
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(start.model_copy(update={"subscription": self._sub, "delivered": self._delivered}))

    def _history_is_long(self) -> bool:
        info = workflow.info()
        return info.is_continue_as_new_suggested() or (
            info.get_current_history_length() >= self._start.policy.max_history_events
        )

    async def _deliver_next(self) -> int:
        """Wait for events after the cursor and deliver them in order; how many were delivered."""
        generation = self._generation
        poll = PollInput(after=self._sub.cursor, types=self._sub.event_types, limit=POLL_BATCH)
        found = await self._interruptible(
            workflow.start_activity_method(
                WebhookActivities.poll_feed,
                poll,
                start_to_close_timeout=timedelta(seconds=60) + POLL_MARGIN,
                heartbeat_timeout=POLL_HEARTBEAT,
                retry_policy=STORE_RETRY,
            )
        )
        if not isinstance(found, PollResult) or generation != self._generation:
            return 0
        delivered = 0
        for event in found.events:
            if generation != self._generation or self._sub.status != SubscriptionStatus.ACTIVE or self._deleted:
                return delivered
            if not await self._deliver(event):
                return delivered
            delivered += 1
        if generation == self._generation and found.scanned_to > self._sub.cursor:
            self._change(cursor=found.scanned_to)  # events of other types: read past, nothing to send
        return delivered

    async def _deliver(self, event: EventRef) -> bool:
        """One event, with retries; True when acknowledged (the cursor moved on)."""
        generation = self._generation
        policy = self._start.policy
        inp = DeliverInput(
            subscription_id=self._sub.id,
            url=self._sub.url,
            secret=self._start.secret,
            event=event,
            timeout_s=policy.timeout_s,
        )
        try:
            result = await self._interruptible(
                workflow.start_activity_method(
                    WebhookActivities.deliver,
                    inp,
                    start_to_close_timeout=timedelta(seconds=policy.timeout_s) + DELIVER_MARGIN,
                    retry_policy=RetryPolicy(
                        initial_interval=timedelta(seconds=policy.backoff_s),
                        maximum_interval=timedelta(seconds=policy.backoff_max_s),
                        backoff_coefficient=2.0,
                        maximum_attempts=policy.max_attempts,
                        non_retryable_error_types=[GONE],
                    ),
                )
            )
        except ActivityError as err:
            await self._failed(event, err)
            return False
        if not isinstance(result, DeliverResult) or generation != self._generation:
            return False
        self._change(cursor=event.position)
        await self._record(event, DeliveryStatus.DELIVERED, result)
        return True

    async def _failed(self, event: EventRef, err: ActivityError) -> None:
        """The last attempt failed: pause (or disable on 410 Gone) and log it."""
        cause = err.cause
        details = cause.details if isinstance(cause, ApplicationError) else ()
        last = (
            DeliverResult.model_validate(details[0])
            if details
            else DeliverResult(
                http_status=None, latency_ms=0.0, attempts=self._start.policy.max_attempts, error=str(cause or err)
            )
        )
        if isinstance(cause, ApplicationError) and cause.type == GONE:
            self._change(status=SubscriptionStatus.DISABLED, paused_reason=None)
            await self._record(event, DeliveryStatus.GONE, last)
        else:
            self._change(status=SubscriptionStatus.PAUSED, paused_reason=FAILURES)
            await self._record(event, DeliveryStatus.FAILED, last)

    async def _interruptible(self, handle: workflow.ActivityHandle[T]) -> T | None:
        """The activity's result, or None when an update cancelled it to change course."""
        generation = self._generation
        self._in_flight = handle
        try:
            return await handle
        except (ActivityError, asyncio.CancelledError):
            if self._generation != generation:
                return None
            raise
        finally:
            self._in_flight = None

    def _interrupt(self) -> None:
        """Make the loop start over from the current state (cancel the poll or delivery in flight)."""
        self._generation += 1
        if self._in_flight is not None:
            self._in_flight.cancel()

    def _change(self, **changes: object) -> None:
        """A new revision of the subscription's state (what the store keeps is the newest revision)."""
        self._sub = self._sub.model_copy(update={**changes, "revision": self._sub.revision + 1, "clear_error": False})

    async def _save(self, *, clear_error: bool = False) -> None:
        await self._store_activity(
            WebhookActivities.save_subscription, self._sub.model_copy(update={"clear_error": clear_error})
        )

    async def _record(self, event: EventRef, status: DeliveryStatus, result: DeliverResult) -> None:
        self._delivered += 1
        record = DeliveryRecord(
            position=event.position,
            event_id=event.event_id,
            event_type=event.type,
            status=status,
            http_status=result.http_status,
            latency_ms=result.latency_ms,
            attempts=result.attempts,
            at=workflow.now().isoformat(),
            error=result.error,
        )
        inp = RecordInput(subscription=self._sub, seq=self._delivered, record=record)
        await workflow.execute_activity_method(
            WebhookActivities.record_delivery, inp, start_to_close_timeout=STORE_TIMEOUT, retry_policy=STORE_RETRY
        )

    async def _store_activity(
        self, method: Callable[[WebhookActivities, SubscriptionRecord], Awaitable[None]], sub: SubscriptionRecord
    ) -> None:
        await workflow.execute_activity_method(
            method, sub, start_to_close_timeout=STORE_TIMEOUT, retry_policy=STORE_RETRY
        )

    def _state(self) -> SubscriptionState:
        s = self._sub
        return SubscriptionState(
            id=s.id, status=s.status, paused_reason=s.paused_reason, cursor=s.cursor, revision=s.revision
        )

    @workflow.query
    def state(self) -> SubscriptionState:
        """Status and cursor as the workflow holds them (never the secret)."""
        return self._state()

    @workflow.update
    async def registered(self) -> SubscriptionState:
        """Answers once the subscription is stored (the API's registration waits for it)."""
        await workflow.wait_condition(lambda: self._saved)
        return self._state()

    @workflow.update
    async def pause(self, req: PauseRequest) -> SubscriptionState:
        """Stop delivering (the event in flight is sent again on resume)."""
        if self._sub.status != SubscriptionStatus.PAUSED or self._sub.paused_reason != MANUAL:
            self._change(status=SubscriptionStatus.PAUSED, paused_reason=MANUAL)
            self._interrupt()
            await self._save()
        return self._state()

    @workflow.update
    async def resume(self, req: ResumeRequest) -> SubscriptionState:
        """Deliver again from the cursor: the event that failed first, its attempts counted afresh."""
        if self._sub.status != SubscriptionStatus.ACTIVE:
            self._change(status=SubscriptionStatus.ACTIVE, paused_reason=None)
            self._interrupt()
            await self._save(clear_error=True)
        return self._state()

    @workflow.update
    async def redeliver(self, req: RedeliverRequest) -> SubscriptionState:
        """Move the cursor back so that every event from `from_position` on is delivered again, in order."""
        self._change(cursor=req.from_position - 1)
        self._interrupt()
        await self._save()
        return self._state()

    @workflow.update
    async def delete(self, req: DeleteRequest) -> SubscriptionState:
        """End the subscription: its workflow stops and its stored record and log are deleted."""
        self._deleted = True
        self._interrupt()
        await workflow.wait_condition(lambda: self._gone)
        return self._state()

    @pause.validator
    def _may_pause(self, req: PauseRequest) -> None:
        self._must_be_live()

    @resume.validator
    def _may_resume(self, req: ResumeRequest) -> None:
        self._must_be_live()

    @redeliver.validator
    def _may_redeliver(self, req: RedeliverRequest) -> None:
        self._must_be_live()
        if req.from_position > self._sub.cursor + 1:
            raise ApplicationError(
                f"position {req.from_position} is past the cursor {self._sub.cursor}: nothing delivered there yet",
                {"cursor": self._sub.cursor},
                type=CURSOR_AHEAD_TYPE,
                non_retryable=True,
            )

    @delete.validator
    def _may_delete(self, req: DeleteRequest) -> None:
        if self._deleted:
            raise ApplicationError("the subscription is being deleted", type=DISABLED_TYPE, non_retryable=True)

    def _must_be_live(self) -> None:
        if self._deleted or self._sub.status == SubscriptionStatus.DISABLED:
            raise ApplicationError(
                "the subscription is disabled (410 Gone) or deleted: register a new one",
                type=DISABLED_TYPE,
                non_retryable=True,
            )
