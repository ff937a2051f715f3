"""One OpenTelemetry trace spans the HTTP request, the workflow update, the activity and the Neo4j write."""

from __future__ import annotations

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.integration.flows import SITE_VISIT, advance, command, event_log

pytestmark = pytest.mark.servers


async def test_one_trace_covers_api_workflow_activity_and_neo4j(
    api: httpx.AsyncClient, span_exporter: InMemorySpanExporter, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    span_exporter.clear()

    response = await command(api, eid, "activities", SITE_VISIT)
    assert response.status_code == 200

    spans = span_exporter.get_finished_spans()
    server = next(s for s in spans if s.name == "POST /api/v1/engagements/{engagement_id}/activities")
    trace_id = server.context.trace_id
    in_trace = {s.name for s in spans if s.context.trace_id == trace_id}
    assert "StartWorkflowUpdate:record_activity" in in_trace
    assert "ValidateUpdate:record_activity" in in_trace
    assert "HandleUpdate:record_activity" in in_trace
    assert "StartActivity:record_event" in in_trace
    assert "RunActivity:record_event" in in_trace
    assert "neo4j.record_event" in in_trace
    neo4j_span = next(s for s in spans if s.name == "neo4j.record_event" and s.context.trace_id == trace_id)
    assert neo4j_span.attributes is not None
    assert neo4j_span.attributes["banso.event.subject"] == eid

    stored = (await event_log(api, eid))["events"][-1]
    assert stored["trace_id"] == f"{trace_id:032x}"
