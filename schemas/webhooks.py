"""Webhook subscriptions as the API shows them: registration, the subscription, its delivery log."""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

EVENT_TYPE_PATTERN = r"^[A-Za-z][A-Za-z0-9]{0,99}$"
MAX_EVENT_TYPES = 100


class SubscriptionStatus(StrEnum):
    """有効 (delivering), 一時停止 (paused: by hand or after repeated failures), 無効 (410 Gone: stopped for good)."""

    ACTIVE = "active"
    PAUSED = "paused"
    DISABLED = "disabled"


class DeliveryStatus(StrEnum):
    """How one event's delivery ended: acknowledged (2xx), or given up after the last attempt."""

    DELIVERED = "delivered"
    FAILED = "failed"
    GONE = "gone"


class NewSubscription(BaseModel):
    """What a client registers: where to send, and which event types (none: every type)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    url: str = Field(min_length=8, max_length=2000, description="http(s) URL that receives POSTs")
    event_types: list[str] = Field(default_factory=list, max_length=MAX_EVENT_TYPES, description="empty = all types")
    description: str = Field(default="", max_length=200)
    after: int | None = Field(
        default=None,
        ge=0,
        description="Deliver events after this feed position (0: from the first); default: the newest",
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname or parts.username or parts.password:
            raise ValueError("url must be an http(s) URL with a host and without credentials")
        return value

    @field_validator("event_types")
    @classmethod
    def _types(cls, value: list[str]) -> list[str]:
        bad = [t for t in value if not re.fullmatch(EVENT_TYPE_PATTERN, t)]
        if bad:
            raise ValueError(f"not event type names: {bad[:5]}")
        return sorted(set(value))


class SubscriptionView(BaseModel):
    """A subscription as stored (never its secret)."""

    model_config = ConfigDict(frozen=True)
    id: str
    owner: str = Field(description="The actor who registered it (client:<id> or user:<name>)")
    url: str
    event_types: list[str]
    description: str = ""
    status: SubscriptionStatus
    paused_reason: str | None = Field(default=None, description="manual, or failures (after the last attempt)")
    cursor: int = Field(ge=0, description="The feed position of the last event delivered (acknowledged)")
    created_at: str
    updated_at: str
    last_delivery_at: str | None = None
    last_http_status: int | None = None
    last_error: str | None = Field(default=None, description="The last failed attempt's error, while retrying")
    retrying_position: int | None = None
    failed_attempts: int = 0


class CreatedSubscription(SubscriptionView):
    """The answer to a registration: the subscription and its signing secret, shown this once."""

    secret: str = Field(description="Standard Webhooks signing secret (whsec_<base64>); not shown again")


class SubscriptionList(BaseModel):
    """The subscriptions the caller may see, newest first."""

    items: list[SubscriptionView]


class DeliveryRecord(BaseModel):
    """One event's delivery to one subscription."""

    model_config = ConfigDict(frozen=True)
    position: int
    event_id: str
    event_type: str
    status: DeliveryStatus
    http_status: int | None = None
    latency_ms: float = Field(description="The last attempt's request time")
    attempts: int = Field(ge=1)
    at: str
    error: str | None = None


class DeliveryLog(BaseModel):
    """A subscription's deliveries, newest first."""

    items: list[DeliveryRecord]


class Redelivery(BaseModel):
    """Deliver again from this feed position on (the cursor moves back to just before it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    from_position: int = Field(ge=1)
