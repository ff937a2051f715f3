"""Webhook subscriptions and their delivery log in Neo4j: metadata only, never the signing secret."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncDriver, RoutingControl
from pydantic import BaseModel, ConfigDict

from schemas.webhooks import DeliveryRecord, SubscriptionStatus, SubscriptionView
from services.graph.store.webhook_queries import (
    DELETE_SUBSCRIPTION,
    DELIVERIES,
    NOTE_FAILED_ATTEMPT,
    RECORD_DELIVERY,
    SAVE_SUBSCRIPTION,
    SUBSCRIPTION,
    SUBSCRIPTIONS,
)

MAX_LISTED = 1000


class SubscriptionRecord(BaseModel):
    """What the workflow saves of its subscription (its state at `revision`)."""

    model_config = ConfigDict(frozen=True)
    id: str
    owner: str
    url: str
    event_types: list[str]
    description: str
    status: SubscriptionStatus
    paused_reason: str | None
    cursor: int
    revision: int
    clear_error: bool = False


def now_iso() -> str:
    """The current time as stored on subscriptions (UTC, ISO 8601)."""
    return datetime.now(UTC).isoformat()


def _view(node: dict[str, Any]) -> SubscriptionView:
    return SubscriptionView.model_validate({k: v for k, v in node.items() if k in SubscriptionView.model_fields})


class WebhookStore:
    """Reads for the API and the back office; writes for the subscription's workflow (its activities)."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def save(self, sub: SubscriptionRecord) -> None:
        """Store the subscription's state, unless a newer revision is stored already."""
        await self._driver.execute_query(
            SAVE_SUBSCRIPTION, sub.model_dump(mode="json"), now=now_iso(), database_=self._database
        )

    async def record_delivery(self, sub: SubscriptionRecord, seq: int, record: DeliveryRecord) -> None:
        """Log delivery number `seq` (once, however often retried) and store `sub`'s state after it."""
        delivery = record.model_dump(mode="json") | {"seq": seq}
        await self._driver.execute_query(
            RECORD_DELIVERY,
            id=sub.id,
            key=f"{sub.id}:{seq}",
            delivery=delivery,
            cursor=sub.cursor,
            status=sub.status.value,
            paused_reason=sub.paused_reason,
            revision=sub.revision,
            database_=self._database,
        )

    async def note_failed_attempt(
        self, subscription_id: str, position: int, attempt: int, error: str, http_status: int | None
    ) -> None:
        """Show a failed attempt on the subscription while the delivery is retried."""
        await self._driver.execute_query(
            NOTE_FAILED_ATTEMPT,
            id=subscription_id,
            position=position,
            attempt=attempt,
            error=error,
            http_status=http_status,
            database_=self._database,
        )

    async def delete(self, subscription_id: str) -> None:
        """Forget a subscription and its delivery log."""
        await self._driver.execute_query(DELETE_SUBSCRIPTION, id=subscription_id, database_=self._database)

    async def subscriptions(self, owner: str | None = None) -> list[SubscriptionView]:
        """Every subscription (of `owner` when given), newest first."""
        records, _, _ = await self._driver.execute_query(
            SUBSCRIPTIONS, owner=owner, limit=MAX_LISTED, routing_=RoutingControl.READ, database_=self._database
        )
        return [_view(dict(r["subscription"])) for r in records]

    async def subscription(self, subscription_id: str) -> SubscriptionView | None:
        """One subscription, or None."""
        records, _, _ = await self._driver.execute_query(
            SUBSCRIPTION, id=subscription_id, routing_=RoutingControl.READ, database_=self._database
        )
        return _view(dict(records[0]["subscription"])) if records else None

    async def deliveries(self, subscription_id: str, limit: int = 100) -> list[DeliveryRecord]:
        """The subscription's latest deliveries, newest first."""
        records, _, _ = await self._driver.execute_query(
            DELIVERIES, id=subscription_id, limit=limit, routing_=RoutingControl.READ, database_=self._database
        )
        return [DeliveryRecord.model_validate(dict(r["delivery"])) for r in records]
