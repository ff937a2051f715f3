"""What the API asks of webhook workflows: register (start + wait until stored), pause, resume, redeliver, delete."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from schemas.webhooks import NewSubscription, SubscriptionStatus
from services.graph.store.webhooks import SubscriptionRecord
from services.settings import Settings
from services.workflow.webhooks.models import (
    DeleteRequest,
    DeliveryPolicy,
    PauseRequest,
    RedeliverRequest,
    ResumeRequest,
    SubscriptionState,
    WebhookStart,
    webhook_workflow_id,
)
from services.workflow.webhooks.signing import new_secret
from services.workflow.webhooks.workflow import CURSOR_AHEAD_TYPE, DISABLED_TYPE, WebhookWorkflow


class WebhookEnded(Exception):
    """The subscription's workflow has ended (disabled by a 410, or deleted): it takes no more changes."""


class RedeliveryAhead(Exception):
    """Redelivery asked from a position the subscription has not reached."""


class WebhookCommandTimeout(Exception):
    """The subscription's workflow did not answer in time (e.g. no worker): the command may still take effect."""


# How long a command waits for the subscription's workflow to answer (the API's update timeout, too).
COMMAND_TIMEOUT_S = 60.0


def new_subscription_id() -> str:
    """A fresh subscription id (`wh_` + 20 hex digits)."""
    return "wh_" + secrets.token_hex(10)


class WebhookCommands:
    """Starts and updates subscription workflows through the process's Temporal client."""

    def __init__(self, client: Client, settings: Settings, timeout_s: float = COMMAND_TIMEOUT_S) -> None:
        self._client = client
        self._settings = settings
        self._timeout_s = timeout_s

    async def _bounded(self, call: Awaitable[object]) -> None:
        try:
            await asyncio.wait_for(call, self._timeout_s)
        except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError) as err:  # the client's own, or ours
            raise WebhookCommandTimeout(f"no answer within {self._timeout_s:.0f} s") from err

    async def register(self, owner: str, new: NewSubscription, cursor: int) -> tuple[str, str]:
        """Start the subscription's workflow (delivering events after `cursor`); its id and secret, once stored."""
        subscription_id, secret = new_subscription_id(), new_secret()
        record = SubscriptionRecord(
            id=subscription_id,
            owner=owner,
            url=new.url,
            event_types=new.event_types,
            description=new.description,
            status=SubscriptionStatus.ACTIVE,
            paused_reason=None,
            cursor=cursor,
            revision=0,
        )
        start = WebhookStart(subscription=record, secret=secret, policy=DeliveryPolicy.from_settings(self._settings))
        operation = WithStartWorkflowOperation(
            WebhookWorkflow.run,
            start,
            id=webhook_workflow_id(subscription_id),
            task_queue=self._settings.temporal_task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
        await self._bounded(
            self._client.execute_update_with_start_workflow(
                WebhookWorkflow.registered, start_workflow_operation=operation
            )
        )
        return subscription_id, secret

    async def pause(self, subscription_id: str, actor: str) -> SubscriptionState:
        """Pause deliveries by hand."""
        return await self._update(
            subscription_id, lambda h: h.execute_update(WebhookWorkflow.pause, PauseRequest(actor=actor))
        )

    async def resume(self, subscription_id: str, actor: str) -> SubscriptionState:
        """Resume deliveries (after a pause by hand or after failures)."""
        return await self._update(
            subscription_id, lambda h: h.execute_update(WebhookWorkflow.resume, ResumeRequest(actor=actor))
        )

    async def redeliver(self, subscription_id: str, actor: str, from_position: int) -> SubscriptionState:
        """Deliver again from `from_position` on."""
        request = RedeliverRequest(actor=actor, from_position=from_position)
        return await self._update(subscription_id, lambda h: h.execute_update(WebhookWorkflow.redeliver, request))

    async def delete(self, subscription_id: str, actor: str) -> SubscriptionState:
        """End the subscription and forget it."""
        return await self._update(
            subscription_id, lambda h: h.execute_update(WebhookWorkflow.delete, DeleteRequest(actor=actor))
        )

    async def _update(
        self,
        subscription_id: str,
        send: Callable[[WorkflowHandle[WebhookWorkflow, None]], Awaitable[SubscriptionState]],
    ) -> SubscriptionState:
        handle = self._client.get_workflow_handle_for(WebhookWorkflow.run, webhook_workflow_id(subscription_id))
        try:
            return await asyncio.wait_for(send(handle), self._timeout_s)
        except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError) as err:
            raise WebhookCommandTimeout(f"no answer within {self._timeout_s:.0f} s") from err
        except WorkflowUpdateFailedError as err:
            cause = err.cause
            if isinstance(cause, ApplicationError) and cause.type == CURSOR_AHEAD_TYPE:
                raise RedeliveryAhead(str(cause)) from err
            if isinstance(cause, ApplicationError) and cause.type == DISABLED_TYPE:
                raise WebhookEnded(str(cause)) from err
            raise
        except RPCError as err:
            if err.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
                raise WebhookEnded(str(err)) from err
            raise
