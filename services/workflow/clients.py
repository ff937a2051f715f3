"""Builds the long-lived Temporal client from settings (one per process; the Neo4j driver is services.graph.driver)."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.converter import DataConverter

from services.settings import Settings
from services.workflow.codec import banso_data_converter
from services.workflow.payload_keys import load_or_create_payload_keys
from services.workflow.tracing import BansoTracingInterceptor


def data_converter(settings: Settings) -> DataConverter:
    """The data converter of every client, worker and replayer: pydantic values, encrypted payloads."""
    return banso_data_converter(load_or_create_payload_keys(settings))


async def connect_temporal(settings: Settings) -> Client:
    """A Temporal client with the encrypting pydantic converter and OpenTelemetry propagation."""
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
        interceptors=[BansoTracingInterceptor()],
    )
