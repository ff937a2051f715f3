"""An engine outage answers 503 with Retry-After wherever it is met: reads, queries and back-office pages.

No mocks: a fresh app is built by its own lifespan (its own driver, as in production) against a Bolt
port where no Neo4j listens, or handed a real Temporal client whose server is not there. API routes
answer problem+json; pages answer a readable page in the reader's language (Japanese by default).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from neo4j import AsyncDriver
from temporalio.client import Client
from temporalio.service import RetryConfig

from services.api.app import build_services, create_app
from services.graph.store.chain_key import chain_key_path, create_chain_key
from services.settings import Settings
from services.workflow.clients import data_converter
from tests.auth import default_auth

pytestmark = pytest.mark.servers

PROBLEM = "application/problem+json"
EID = "engagement-1-012025"


def dead_port() -> int:
    """A port nothing listens on (bound and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@asynccontextmanager
async def over_asgi(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app over ASGI with its lifespan run."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://banso.test", timeout=60, auth=default_auth()
        ) as client:
            yield client


def assert_unavailable_problem(response: httpx.Response) -> None:
    assert response.status_code == 503, (response.request.url, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert (body["status"], body["code"]) == (503, "unavailable")
    assert int(response.headers["Retry-After"]) >= 1


def assert_unavailable_page(response: httpx.Response, words: str = "接続できません") -> None:
    assert response.status_code == 503, (response.request.url, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    assert words in response.text
    assert int(response.headers["Retry-After"]) >= 1


async def test_reads_and_pages_answer_503_while_neo4j_is_unreachable(prepared: Settings, tmp_path: Path) -> None:
    """A graph outage inside a read used to fall into the catch-all (500); it is a 503 like any outage."""
    settings = prepared.model_copy(update={"data_dir": tmp_path, "neo4j_uri": f"bolt://127.0.0.1:{dead_port()}"})
    create_chain_key(chain_key_path(settings))  # a Neo4j elsewhere: the key is provided, as in production
    async with over_asgi(create_app(settings)) as api:  # the lifespan builds its own driver and clients
        api_reads, pages = await asyncio.gather(
            asyncio.gather(
                api.get("/api/v1/experts", params={"q": "港湾"}),
                api.get("/api/v1/engagements"),
                api.get(f"/api/v1/engagements/{EID}"),
                api.get(f"/api/v1/engagements/{EID}/events"),
                api.get(f"/api/v1/engagements/{EID}/report"),
                api.get("/api/v1/prefectures"),
            ),
            asyncio.gather(
                api.get("/engagements"),
                api.get(f"/engagements/{EID}/audit"),
                api.get("/experts", params={"q": "港湾", "lang": "en"}),
            ),
        )
        for response in api_reads:
            assert_unavailable_problem(response)
        engagements, audit, experts_en = pages
        assert_unavailable_page(engagements)
        assert_unavailable_page(audit)
        assert_unavailable_page(experts_en, "cannot be reached")
        health = await api.get("/api/v1/health")
        assert health.status_code == 503
        assert health.json()["neo4j"] is False


async def test_pages_answer_503_while_temporal_is_unreachable(clean: Settings, driver: AsyncDriver) -> None:
    """A page reading a workflow's state meets Temporal's outage as a page, not JSON and not a 500."""
    nowhere = await Client.connect(
        f"127.0.0.1:{dead_port()}",
        lazy=True,
        retry_config=RetryConfig(max_retries=1),
        data_converter=data_converter(clean),
    )
    async with over_asgi(create_app(clean, build_services(clean, nowhere, driver))) as api:
        assert_unavailable_page(await api.get("/periods/1"))
        assert_unavailable_problem(await api.get("/api/v1/periods/1"))
