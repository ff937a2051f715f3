"""Schemathesis against the real app (uvicorn over real HTTP, the session's real Temporal, Neo4j and worker).

Every operation of the OpenAPI document gets valid (positive) and invalid (negative) generated requests on
a bounded budget; each response must not be a 5xx, and its status code, content type, headers and body
must be the ones the document declares. Hypothesis runs in a thread so the session's event loop keeps
serving the app and running the worker; every finding is collected (not just the first) and reported
with a curl line to reproduce it.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from neo4j import AsyncDriver
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from temporalio.client import Client

from services.api.app import build_services, create_app
from services.settings import Settings
from tests.auth import default_auth
from tests.integration.flows import advance, post

pytestmark = pytest.mark.servers

# Per operation and generation mode; 52 operations × (20 + 10) requests take about a minute on 2 cores.
POSITIVE_EXAMPLES = 20
NEGATIVE_EXAMPLES = 10
# Operations whose answer never ends (the feed's Server-Sent Events): a request is read up to its status,
# headers and first event, then closed; the body cannot be checked against a schema.
ENDLESS = {"GET /api/v1/feed/stream"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class Findings:
    """What the fuzzing saw: requests per operation and the distinct failures with one reproduction each."""

    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[tuple[str, str], str] = field(default_factory=dict)
    no_negative: list[str] = field(default_factory=list)  # nothing in the operation can be made invalid


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


Operation = APIOperation[Any, Any, Any, Any]


def fuzz_operation(
    operation: Operation, mode: GenerationMode, base_url: str, findings: Findings, real: dict[str, Any]
) -> None:
    """Send `operation`'s generated requests and record every check that fails (blocking; run in a thread).

    Valid requests name the engagement and period that exist (`real`), so they reach the workflows.
    """
    label = operation.label
    session = requests.Session()
    session.auth = BearerFromKeycloak()  # every generated request carries a real token (the demo admin)
    names = {p.name for p in operation.path_parameters}
    fixed = {k: v for k, v in real.items() if k in names} if mode is GenerationMode.POSITIVE else None

    @settings(
        max_examples=POSITIVE_EXAMPLES if mode is GenerationMode.POSITIVE else NEGATIVE_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed or None))
    def run(case: Case[Operation]) -> None:
        if label in ENDLESS:
            check_endless(case, base_url, session, findings)
            return
        response = case.call(base_url=base_url, session=session, timeout=90)
        findings.requests[label] += 1
        findings.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                findings.failures.setdefault(
                    (label, failure.title),
                    f"{mode.value}: {failure.message[:300]}\n    {case.as_curl_command(base_url=base_url)[:600]}",
                )

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        findings.no_negative.append(label)  # e.g. no parameters and no body: reported below, not skipped silently


def check_endless(case: Case[Operation], base_url: str, session: requests.Session, findings: Findings) -> None:
    """An endless stream answers a problem at once, or 200 text/event-stream whose first line comes."""
    label = case.operation.label
    kwargs = case.as_transport_kwargs(base_url=base_url)
    with session.request(**kwargs, timeout=90, stream=True) as response:
        findings.requests[label] += 1
        findings.statuses[response.status_code] += 1
        content_type = response.headers.get("content-type", "")
        if response.status_code == 200:
            first = next(response.iter_lines(), b"")
            ok = content_type.startswith("text/event-stream") and first.startswith(b"retry:")
        else:
            ok = response.status_code < 500 and content_type.startswith("application/problem+json")
        if not ok:
            findings.failures.setdefault(
                (label, "endless stream"),
                f"{response.status_code} {content_type}\n    {case.as_curl_command(base_url=base_url)[:600]}",
            )


class BearerFromKeycloak(requests.auth.AuthBase):
    """The demo admin's current access token on every request Schemathesis sends (renewed as it expires)."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {default_auth().token}"
        return request


async def _real_workflows(base_url: str, code: str, period: int) -> dict[str, Any]:
    """An engagement after its kickoff and an open period, created through the API."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60, auth=default_auth()) as api:
        eid = await advance(api, code, "kickoff")
        call = {"period": period, "opens_on": "2025-04-01", "closes_on": "2025-05-01"}
        assert (await post(api, "/api/v1/periods", call)).status_code == 201
    return {"engagement_id": eid, "period": period}


async def test_schemathesis_finds_no_server_error_and_nothing_undocumented(
    clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str, fresh_period: int
) -> None:
    app = create_app(clean, build_services(clean, temporal, driver))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not serving.done(), "uvicorn did not start"
            await asyncio.sleep(0.05)
        base_url = f"http://127.0.0.1:{port}"
        real = await _real_workflows(base_url, municipality_code, fresh_period)
        schema = schemathesis.openapi.from_dict(app.openapi())
        operations = []
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), f"operation the fuzzer cannot use: {result.err()}"
            operations.append(result.ok())
        findings = Findings()
        started = time.monotonic()
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                await asyncio.to_thread(fuzz_operation, operation, mode, base_url, findings, real)
        elapsed = time.monotonic() - started
    finally:
        server.should_exit = True
        await serving
    print(
        f"\nschemathesis: {len(operations)} operations, {sum(findings.requests.values())} requests in {elapsed:.0f}s, "
        f"statuses {dict(sorted(findings.statuses.items()))}; no invalid request possible for {findings.no_negative}"
    )
    assert len(operations) >= 45
    missed = [op.label for op in operations if findings.requests[op.label] == 0]
    assert not missed, f"operations that got no request: {missed}"
    report = "\n".join(f"{op} — {title}\n    {detail}" for (op, title), detail in sorted(findings.failures.items()))
    assert not findings.failures, f"{len(findings.failures)} distinct failures:\n{report}"
