"""Builds the long-lived Temporal client from settings (one per process; the Neo4j driver is services.graph.driver)."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from services.settings import Settings
from services.workflow.tracing import BansoTracingInterceptor


async def connect_temporal(settings: Settings) -> Client:
    """A Temporal client with the pydantic converter and OpenTelemetry propagation."""
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        interceptors=[BansoTracingInterceptor()],
    )
