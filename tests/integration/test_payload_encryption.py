"""Temporal's history of a real engagement holds no plaintext personal data; the codec (and only it) reads it.

The engagement runs through the real API and worker on the real Temporal dev server; its history is then
fetched raw (as the server stores it, as the Temporal UI and `temporal workflow show` see it without the
codec endpoint) and searched for names, posts, notes and the municipality's name.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from services.settings import Settings
from services.workflow.codec import ENCODING, PayloadKeyring, banso_data_converter
from services.workflow.engagement.workflow import EngagementWorkflow
from tests.integration.flows import MEETING, advance, command

pytestmark = pytest.mark.servers

NOTES = "石川さんと白水さんが町長と打合せ"
# What the engagement's commands carry that is personal or names the municipality (the flows' data).
PERSONAL = ["石川", "白水", "総務課長", "参事官", "テスト市", "打合せ"]
# Server-side fields the codec cannot encrypt: they carry no personal data (checked below all the same).
NOT_ENCODED = {"searchAttributes", "header"}


def _payloads(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every payload (proto3 JSON) in a history, with the field path that leads to it."""
    if isinstance(node, list):
        for item in node:
            yield from _payloads(item, path)
    elif isinstance(node, dict):
        if isinstance(node.get("metadata"), dict) and set(node) <= {"metadata", "data", "externalPayloads"}:
            yield path, node
            return
        for key, value in node.items():
            yield from _payloads(value, (*path, key))


def _encoding(payload: dict[str, Any]) -> bytes:
    return base64.b64decode(payload["metadata"].get("encoding", ""))


async def _history(temporal: Client, workflow_id: str) -> WorkflowHistory:
    """The history as stored: fetch_history never runs the codec, whatever the client's converter."""
    return await temporal.get_workflow_handle(workflow_id).fetch_history()


async def test_a_real_engagement_leaves_no_plaintext_personal_data_in_temporal(
    api: httpx.AsyncClient, temporal: Client, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "visits")
    assert (await command(api, eid, "activities", MEETING | {"notes": NOTES})).status_code == 200

    raw = await Client.connect(clean.temporal_target, namespace=clean.temporal_namespace)  # no codec at all
    history = await _history(raw, eid)
    stored = b"".join(event.SerializeToString() for event in history.events)
    for text in PERSONAL:
        assert text.encode() not in stored, f"{text} in plaintext in the history of {eid}"
        assert text not in history.to_json()

    seen: dict[str, int] = {}
    for path, payload in _payloads(json.loads(history.to_json())):
        where = ".".join(p for p in path[1:] if not p.endswith("EventAttributes"))  # without "events"
        if NOT_ENCODED & set(path):
            continue
        marker = "markerRecordedEventAttributes" in path and path[path.index("details") + 1] != "result"
        if marker:  # the SDK core's own marker data: patch ids, local activity type, id and time
            continue
        assert _encoding(payload) == ENCODING, f"{where}: {_encoding(payload)!r}"
        seen[where] = seen.get(where, 0) + 1
    assert any("acceptedRequest.input.args.payloads" in w for w in seen), seen  # update arguments
    assert any("outcome.success.payloads" in w for w in seen), seen  # update results
    assert any(w == "input.payloads" for w in seen), seen  # the workflow's input
    assert any(w.startswith("details.result") for w in seen), seen  # the local activity's stored event

    # The session's client (the codec converter) reads every update's arguments back.
    decoded = []
    for event in history.events:
        if event.HasField("workflow_execution_update_accepted_event_attributes"):
            args = event.workflow_execution_update_accepted_event_attributes.accepted_request.input.args
            decoded += await temporal.data_converter.decode(args.payloads)
    text = json.dumps(decoded, ensure_ascii=False)
    assert "石川 亨" in text
    assert NOTES in text

    # The history replays with the workers' converter, and not without the key.
    replayed = await Replayer(workflows=[EngagementWorkflow], data_converter=temporal.data_converter).replay_workflow(
        history, raise_on_replay_failure=False
    )
    assert replayed.replay_failure is None
    for stranger in (pydantic_data_converter, banso_data_converter(PayloadKeyring.generate())):
        failed = await Replayer(workflows=[EngagementWorkflow], data_converter=stranger).replay_workflow(
            history, raise_on_replay_failure=False
        )
        assert failed.replay_failure is not None


async def test_no_personal_data_in_ids_search_attributes_or_spans(
    api: httpx.AsyncClient, temporal: Client, span_exporter: InMemorySpanExporter, municipality_code: str
) -> None:
    span_exporter.clear()
    eid = await advance(api, municipality_code, "visits")
    assert (await command(api, eid, "activities", MEETING | {"notes": NOTES})).status_code == 200
    assert (await api.get("/api/v1/experts", params={"q": "石川"})).status_code == 200

    described = await temporal.get_workflow_handle(eid).describe()
    visible = json.dumps(
        [described.id, {p.key.name: p.value for p in described.typed_search_attributes}],
        ensure_ascii=False,
        default=str,
    )
    assert "東京都" in visible  # the search attributes were read (the prefecture is not personal)
    memo = await described.memo()
    for text in PERSONAL:
        assert text not in visible
    assert memo == {}

    for span in span_exporter.get_finished_spans():
        shown = json.dumps(
            [span.name, dict(span.attributes or {}), [dict(e.attributes or {}) for e in span.events]],
            ensure_ascii=False,
            default=str,
        )
        for text in PERSONAL:
            assert text not in shown, f"{text} in span {span.name}: {shown}"


UI = "http://127.0.0.1:{port}"


async def test_the_codec_endpoint_opens_a_real_history_for_the_temporal_ui(
    api: httpx.AsyncClient, temporal: Client, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "matching")
    history = json.loads((await _history(temporal, eid)).to_json())
    sealed = [p for path, p in _payloads(history) if "args" in path]
    assert sealed
    assert all(_encoding(p) == ENCODING for p in sealed)

    origin = UI.format(port=clean.temporal_ui_port)
    headers = {"Origin": origin, "X-Namespace": clean.temporal_namespace}
    response = await api.post("/api/v1/codec/decode", json={"payloads": sealed}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == origin
    opened = response.json()["payloads"]
    assert {base64.b64decode(p["metadata"]["encoding"]) for p in opened} == {b"json/plain"}
    assert "石川 亨" in "".join(base64.b64decode(p["data"]).decode() for p in opened)

    # encode then decode: the UI's own inputs (start, signal) are sealed like a worker's
    again = await api.post("/api/v1/codec/encode", json={"payloads": opened}, headers=headers)
    assert again.status_code == 200
    assert {_encoding(p) for p in again.json()["payloads"]} == {ENCODING}
    back = await api.post("/api/v1/codec/decode", json=again.json(), headers=headers)
    assert back.json()["payloads"] == opened

    # plaintext passes through; a tampered payload is refused as invalid input, never a 500
    passthrough = await api.post("/api/v1/codec/decode", json={"payloads": opened})
    assert passthrough.json()["payloads"] == opened
    tampered = dict(sealed[0], data=base64.b64encode(b"\0" * 40).decode())
    refused = await api.post("/api/v1/codec/decode", json={"payloads": [tampered]})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await api.post("/api/v1/codec/decode", json={"payloads": [{"data": "%%"}]})).status_code == 422


async def test_only_the_codec_routes_answer_the_temporal_ui_origin(api: httpx.AsyncClient, clean: Settings) -> None:
    origin = UI.format(port=clean.temporal_ui_port)
    preflight = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-namespace,authorization",
    }
    allowed = await api.options("/api/v1/codec/decode", headers=preflight)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == origin
    assert allowed.headers["access-control-allow-credentials"] == "true"

    foreign = await api.options("/api/v1/codec/decode", headers=preflight | {"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in foreign.headers
    other_route = await api.get("/api/v1/engagements", headers={"Origin": origin})
    assert "access-control-allow-origin" not in other_route.headers
