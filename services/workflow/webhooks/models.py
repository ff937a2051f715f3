"""The inputs and results of the webhook workflow, its updates and its activities (one model each)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.webhooks import DeliveryRecord, SubscriptionStatus
from services.graph.store.webhooks import SubscriptionRecord
from services.settings import Settings


def webhook_workflow_id(subscription_id: str) -> str:
    """The workflow of one subscription."""
    return f"webhook-{subscription_id}"


class DeliveryPolicy(BaseModel):
    """How hard a subscription's deliveries are tried, fixed when it is registered."""

    model_config = ConfigDict(frozen=True)
    max_attempts: int = Field(ge=1)
    backoff_s: float = Field(gt=0)
    backoff_max_s: float = Field(gt=0)
    timeout_s: float = Field(gt=0)
    deliveries_per_run: int = Field(ge=1)
    max_history_events: int = Field(ge=100)

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        """The policy the settings give new subscriptions."""
        return cls(
            max_attempts=settings.webhook_max_attempts,
            backoff_s=settings.webhook_backoff_s,
            backoff_max_s=settings.webhook_backoff_max_s,
            timeout_s=settings.webhook_timeout_s,
            deliveries_per_run=settings.webhook_deliveries_per_run,
            max_history_events=settings.max_history_events,
        )


class WebhookStart(BaseModel):
    """Input of WebhookWorkflow.run: the subscription, its secret (only here, encrypted by the codec), its state."""

    model_config = ConfigDict(frozen=True)
    subscription: SubscriptionRecord
    secret: str
    policy: DeliveryPolicy
    delivered: int = Field(default=0, ge=0, description="Deliveries so far (the delivery log's keys)")


class SubscriptionState(BaseModel):
    """What the workflow answers to its updates (never the secret)."""

    model_config = ConfigDict(frozen=True)
    id: str
    status: SubscriptionStatus
    paused_reason: str | None
    cursor: int
    revision: int


class PauseRequest(BaseModel):
    """Pause deliveries (by hand) until resumed."""

    model_config = ConfigDict(frozen=True)
    actor: str


class ResumeRequest(BaseModel):
    """Resume deliveries from the cursor (the failed event first)."""

    model_config = ConfigDict(frozen=True)
    actor: str


class RedeliverRequest(BaseModel):
    """Move the cursor back: deliver again from `from_position` on."""

    model_config = ConfigDict(frozen=True)
    actor: str
    from_position: int = Field(ge=1)


class DeleteRequest(BaseModel):
    """End the subscription and forget its log."""

    model_config = ConfigDict(frozen=True)
    actor: str


class PollInput(BaseModel):
    """Wait for events after `after` (of `types`, all when empty)."""

    model_config = ConfigDict(frozen=True)
    after: int = Field(ge=0)
    types: list[str]
    limit: int = Field(ge=1)


class EventRef(BaseModel):
    """An event to deliver, by its feed position (its content is read again when delivered)."""

    model_config = ConfigDict(frozen=True)
    position: int
    event_id: str
    type: str


class PollResult(BaseModel):
    """Events found (oldest first) and how far the feed was read (`scanned_to` ≥ the last event's position)."""

    model_config = ConfigDict(frozen=True)
    events: list[EventRef]
    scanned_to: int


class DeliverInput(BaseModel):
    """One event to POST to one subscriber."""

    model_config = ConfigDict(frozen=True)
    subscription_id: str
    url: str
    secret: str
    event: EventRef
    timeout_s: float


class DeliverResult(BaseModel):
    """An acknowledged delivery (2xx), or the last failed attempt's answer (in a failure's details)."""

    model_config = ConfigDict(frozen=True)
    http_status: int | None
    latency_ms: float
    attempts: int
    error: str | None = None


class RecordInput(BaseModel):
    """One delivery for the log, with the subscription's state after it."""

    model_config = ConfigDict(frozen=True)
    subscription: SubscriptionRecord
    seq: int
    record: DeliveryRecord
