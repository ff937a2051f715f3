"""Who read what, through the API with real Keycloak tokens: records, the 503 without one, two API processes."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client

from banso.stack.local import child_env
from banso.stack.processes import free_port
from services.api.app import build_services, create_app
from services.graph.driver import neo4j_driver
from services.graph.store.access_log import AccessLog, record_from_node
from services.graph.store.chain_key import load_or_create_chain_key
from services.settings import Settings
from tests.auth import auth_for
from tests.integration.flows import advance

pytestmark = pytest.mark.servers

RECORDS = "MATCH (a:Access) RETURN a {.*} AS record ORDER BY a.sequence"
KANSA = "user:kansa"


async def records(driver: AsyncDriver) -> list[dict[str, Any]]:
    """Every stored access record, in order."""
    rows, _, _ = await driver.execute_query(RECORDS)
    return [dict(r["record"]) for r in rows]


@asynccontextmanager
async def client_as(app_client: httpx.AsyncClient, user: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the same app with another demo user's real tokens."""
    async with httpx.AsyncClient(
        transport=app_client._transport, base_url=str(app_client.base_url), timeout=60, auth=auth_for(user)
    ) as client:
        yield client


async def test_a_personal_read_leaves_exactly_one_record(
    api: httpx.AsyncClient, driver: AsyncDriver, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    before = await records(driver)

    async with client_as(api, "kansa") as auditor:
        answer = await auditor.get(f"/api/v1/engagements/{eid}", headers={"User-Agent": "audit-test/1"})

    assert answer.status_code == 200
    new = (await records(driver))[len(before) :]
    assert len(new) == 1
    record = record_from_node(new[0])
    assert record.actor == KANSA
    assert record.actor_name  # the display name from the token (田中 美咲)
    assert record.roles == ["auditor"]
    assert record.route == "GET /api/v1/engagements/{engagement_id}"
    assert record.objects == [f"engagement:{eid}"]
    assert (record.path, record.status, record.user_agent) == (f"/api/v1/engagements/{eid}", 200, "audit-test/1")
    assert record.client_ip == "127.0.0.1"


async def test_search_records_the_query_and_the_officials_it_showed(
    api: httpx.AsyncClient, driver: AsyncDriver, municipality_code: str
) -> None:
    await advance(api, municipality_code, "visits")
    answer = await api.get("/api/v1/experts", params={"q": "港湾"})
    assert answer.status_code == 200
    shown = {f"official:{e['official_id']}" for e in answer.json()["experts"]}

    record = record_from_node((await records(driver))[-1])
    assert record.route == "GET /api/v1/experts"
    assert record.query == "q=港湾"
    assert set(record.objects) == shown


async def test_non_personal_routes_and_unidentified_callers_leave_none(
    api: httpx.AsyncClient, driver: AsyncDriver
) -> None:
    before = len(await records(driver))

    assert (await api.get("/api/v1/health")).status_code in (200, 503)
    assert (await api.get("/api/v1/prefectures")).status_code == 200
    assert (await api.get("/api/v1/engagements")).status_code == 200
    async with httpx.AsyncClient(transport=api._transport, base_url=str(api.base_url)) as anonymous:
        assert (await anonymous.get("/api/v1/engagements/engagement-2-131016")).status_code == 401

    assert len(await records(driver)) == before


async def test_a_refused_read_is_recorded_with_its_status(api: httpx.AsyncClient, driver: AsyncDriver) -> None:
    async with client_as(api, "bunseki") as analyst:  # analysts may not read the access log
        assert (await analyst.get("/api/v1/access-log")).status_code == 403

    record = record_from_node((await records(driver))[-1])
    assert (record.actor, record.status, record.route) == ("user:bunseki", 403, "GET /api/v1/access-log")


async def test_no_record_no_answer_when_the_log_cannot_be_written(
    clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
) -> None:
    dead = neo4j_driver(clean.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{free_port()}"}), retry_s=1.0)
    services = build_services(clean, temporal, driver)
    # The graph answers reads; only the access log's writes meet a Neo4j that is down.
    broken = dataclasses.replace(
        services, access_log=AccessLog(dead, clean.neo4j_database, load_or_create_chain_key(clean))
    )
    app = create_app(clean, broken)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://banso.test", timeout=60, auth=auth_for("kanri")
            ) as client:
                eid = await advance(client, municipality_code, "kickoff")
                answer = await client.get(f"/api/v1/engagements/{eid}")
                page = await client.get(f"/api/v1/engagements/{eid}/events")
                health = await client.get("/api/v1/health")
    finally:
        await dead.close()

    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["Retry-After"]
    assert municipality_code not in answer.text.replace(f"/api/v1/engagements/{eid}", "")  # no data of the read
    assert "team" not in answer.json()
    assert page.status_code == 503
    assert health.status_code in (200, 503)  # not personal: answered without a record
    assert await records(driver) == []


@contextmanager
def api_process(settings: Settings) -> Iterator[str]:
    """One more API process (uvicorn, as `banso up` runs it) on the test's servers; yields its base URL."""
    port = free_port()
    env = {**os.environ, **child_env(settings), "BANSO_RATE_LIMIT_BURST": "1000", "BANSO_RATE_LIMIT_PER_S": "1000"}
    args = [sys.executable, "-m", "uvicorn", "services.api.main:app", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def until_up(base: str) -> None:
    """Wait until the process answers its health route."""
    async with httpx.AsyncClient(base_url=base, timeout=5) as probe:
        for _ in range(120):
            try:
                await probe.get("/api/v1/health")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.5)
    raise AssertionError(f"the API at {base} did not start")


async def test_two_api_processes_reading_at_once_keep_one_unbroken_chain(
    api: httpx.AsyncClient, clean: Settings, driver: AsyncDriver, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    per_process = 40
    with api_process(clean) as one, api_process(clean) as two:
        await asyncio.gather(until_up(one), until_up(two))
        auth = auth_for("kansa")
        async with (
            httpx.AsyncClient(base_url=one, timeout=60, auth=auth) as a,
            httpx.AsyncClient(base_url=two, timeout=60, auth=auth) as b,
        ):
            answers = await asyncio.gather(
                *(c.get(f"/api/v1/engagements/{eid}") for _ in range(per_process) for c in (a, b))
            )

    assert [r.status_code for r in answers] == [200] * (2 * per_process)
    stored = [record_from_node(r) for r in await records(driver)]
    assert [r.sequence for r in stored] == list(range(1, len(stored) + 1))  # no gap, no fork
    reads = [r for r in stored if r.actor == KANSA and r.objects == [f"engagement:{eid}"]]
    assert len(reads) == 2 * per_process
    verdict = await AccessLog(driver, clean.neo4j_database, load_or_create_chain_key(clean)).verify()
    assert verdict.valid, verdict.reason
    assert verdict.records == len(stored)


async def test_auditors_page_and_verify_the_log(api: httpx.AsyncClient, driver: AsyncDriver) -> None:
    async with client_as(api, "kansa") as auditor:
        for _ in range(3):
            await auditor.get("/api/v1/engagements/engagement-2-131016")  # 404s are attempts, recorded too
        first = (await auditor.get("/api/v1/access-log", params={"limit": 2, "actor": KANSA})).json()
        rest = (await auditor.get("/api/v1/access-log", params={"after": first["next_after"], "actor": KANSA})).json()
        about = (await auditor.get("/api/v1/access-log", params={"object": "engagement-2-131016"})).json()
        verdict = (await auditor.get("/api/v1/access-log/verify")).json()
        await driver.execute_query("MATCH (a:Access {sequence: 2}) SET a.path = '/somewhere/else'")
        broken = (await auditor.get("/api/v1/access-log/verify")).json()

    assert [r["sequence"] for r in first["records"]] == [1, 2]
    assert [r["status"] for r in first["records"]] == [404, 404]
    assert [r["sequence"] for r in rest["records"]] == [3, 4]  # the fourth: reading the access log itself
    assert rest["records"][1]["route"] == "GET /api/v1/access-log"
    assert len(about["records"]) == 3
    assert verdict["valid"] is True
    assert verdict["records"] >= 5
    assert broken["valid"] is False
    assert broken["first_bad_sequence"] == 2
    assert "altered" in broken["reason"]


async def test_a_position_beyond_64_bits_is_a_422_not_a_500(api: httpx.AsyncClient) -> None:
    """Found by the fuzzer: Neo4j's integers are 64-bit, so a larger `after` is refused before the query."""
    answer = await api.get("/api/v1/access-log", params={"after": str(2**78)}, auth=auth_for("kansa"))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
