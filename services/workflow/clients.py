"""Builds the long-lived Temporal client and Neo4j driver from settings (one of each per process)."""

from __future__ import annotations

from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    NotificationDisabledClassification,
    NotificationMinimumSeverity,
)
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from banso.settings import Settings
from services.workflow.tracing import BansoTracingInterceptor


async def connect_temporal(settings: Settings) -> Client:
    """A Temporal client with the pydantic converter and OpenTelemetry propagation."""
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        interceptors=[BansoTracingInterceptor()],
    )


def neo4j_driver(settings: Settings) -> AsyncDriver:
    """The process's shared async Neo4j driver."""
    return AsyncGraphDatabase.driver(
        settings.bolt_uri,
        auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        notifications_min_severity=NotificationMinimumSeverity.WARNING,
        # "property key does not exist" on a fresh database is expected, not worth a log line.
        notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
    )
