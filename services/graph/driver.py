"""The process's Neo4j driver: one factory for the worker, the API, the operator tools and the tests."""

from __future__ import annotations

from neo4j import AsyncDriver, AsyncGraphDatabase, NotificationDisabledClassification, NotificationMinimumSeverity

from services.settings import Settings


def neo4j_driver(settings: Settings, *, retry_s: float = 30.0) -> AsyncDriver:
    """The process's shared async Neo4j driver; a transaction that meets an outage is retried for `retry_s`."""
    return AsyncGraphDatabase.driver(
        settings.bolt_uri,
        max_transaction_retry_time=retry_s,
        auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        notifications_min_severity=NotificationMinimumSeverity.WARNING,
        # "property key does not exist" on a fresh database is expected, not worth a log line.
        notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
    )
