"""OpenTelemetry set-up: export only when the standard OTEL_* variables ask for it."""

from __future__ import annotations

import os
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import Span


def _exporter_from_env() -> SpanExporter | None:
    choice = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    has_endpoint = bool(
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )
    if choice == "console":
        return ConsoleSpanExporter()
    if choice == "otlp" or (not choice and has_endpoint):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    return None


def configure_tracing(service_name: str) -> TracerProvider:
    """Install a tracer provider for this process; spans are exported only if OTEL_* says where."""
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME", service_name)})
    )
    exporter = _exporter_from_env()
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return provider


def url_without_query(span: Span, scope: dict[str, Any]) -> None:
    """FastAPI server-span hook: record the request's URL without its query string.

    Queries carry what people searched for (an official's name in `/experts?q=…`); traces carry no
    personal data, so the query is dropped from `http.url` / `url.full` and blanked in `url.query`.
    """
    recorded = getattr(span, "attributes", None)  # the SDK's span; a no-op span records nothing anyway
    if not span.is_recording() or not scope.get("query_string") or not recorded:
        return
    for key in ("http.url", "url.full"):
        if isinstance(url := recorded.get(key), str):
            span.set_attribute(key, url.split("?", 1)[0])
    if "url.query" in recorded:
        span.set_attribute("url.query", "")
