"""Session fixtures: real servers, one in-process worker, the API over ASGI, data reset per test."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.client import Client
from temporalio.service import RPCError

from banso.reference.load import TRAVEL_RATES_PATH, load_reference, reference_steps
from banso.stack.keycloak import (
    INTEGRATION_CLIENT,
    Credentials,
    client_credentials,
    load_or_create_credentials,
    password_grant,
)
from banso.stack.servers import prepare_graph, register_search_attributes
from schemas.commands import body_stream, prefecture_stream, rates_stream
from schemas.text import municipality_check_digit
from services.api.app import build_services, create_app
from services.graph.driver import neo4j_driver
from services.settings import Settings
from services.workflow.clients import connect_temporal
from services.workflow.webhooks.models import webhook_workflow_id
from services.workflow.worker import build_worker
from tests.auth import default_auth, register
from tests.servers import running_keycloak, running_servers, test_settings

SPANS = InMemorySpanExporter()
EXERCISED = {"events": 0, "streams": 0}


@pytest.fixture(scope="session")
def span_exporter() -> InMemorySpanExporter:
    """Every span of the session, captured in memory (installed before any client is built)."""
    return SPANS


@pytest.fixture(scope="session")
def servers() -> Iterator[Settings]:
    """Real Temporal dev server and real Neo4j on free ports for the whole session."""
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(SPANS))
    trace.set_tracer_provider(provider)
    with running_servers(test_settings(Path(tempfile.mkdtemp(prefix="banso-test-")))) as settings:
        yield settings


@dataclass(frozen=True)
class Keycloak:
    """The session's real Keycloak (realm banso): its settings, and real tokens for the demo users."""

    settings: Settings
    credentials: Credentials

    @property
    def issuer(self) -> str:
        """The realm's issuer URL."""
        return self.settings.oidc_issuer or ""

    def token_for(self, username: str) -> str:
        """An access token of a demo user (jimukyoku, shienkan, bunseki, kansa, kanri) by direct grant."""
        return str(password_grant(self.settings, username, self.credentials.users[username])["access_token"])

    def client_token(self) -> str:
        """An access token of the integration client by client credentials."""
        secret = self.credentials.clients[INTEGRATION_CLIENT]
        return str(client_credentials(self.settings, INTEGRATION_CLIENT, secret)["access_token"])

    def oidc_settings(self, base: Settings) -> Settings:
        """`base` (e.g. the `servers` settings) pointed at this Keycloak."""
        s = self.settings
        return base.model_copy(
            update={
                "oidc_issuer": s.oidc_issuer,
                "oidc_client_id": s.oidc_client_id,
                "oidc_client_secret": s.oidc_client_secret,
                "oidc_audience": s.oidc_audience,
                "keycloak_port": s.keycloak_port,
            }
        )

    def token_answer(self, username: str | None) -> dict[str, Any]:
        """A token endpoint's answer (access_token, expires_in) for a demo user, or the integration client."""
        if username is None:
            return client_credentials(self.settings, INTEGRATION_CLIENT, self.credentials.clients[INTEGRATION_CLIENT])
        return password_grant(self.settings, username, self.credentials.users[username])


@pytest.fixture(scope="session")
def keycloak() -> Iterator[Keycloak]:
    """A real Keycloak on a free port with the banso realm (every API test's tokens come from it)."""
    with running_keycloak(test_settings(Path(tempfile.mkdtemp(prefix="banso-keycloak-")))) as settings:
        kc = Keycloak(settings, load_or_create_credentials(settings))
        register(lambda user: lambda: kc.token_answer(user), kc.issuer)
        yield kc


@pytest.fixture(scope="session")
async def prepared(servers: Settings, keycloak: Keycloak) -> Settings:
    """Servers with Banso's search attributes, constraints and indexes in place; tokens from the real Keycloak."""
    await register_search_attributes(servers)
    await prepare_graph(servers)
    # one principal (the demo admin) sends every test's requests: the per-caller rate limit is tested on its own
    limits = {"rate_limit_per_s": 100_000.0, "rate_limit_burst": 100_000}
    return keycloak.oidc_settings(servers).model_copy(update=limits)


@pytest.fixture(scope="session")
async def temporal(prepared: Settings) -> Client:
    """The session's Temporal client (pydantic converter, tracing interceptor)."""
    return await connect_temporal(prepared)


@pytest.fixture(scope="session")
async def driver(prepared: Settings) -> AsyncIterator[AsyncDriver]:
    """The session's Neo4j driver."""
    drv = neo4j_driver(prepared)
    yield drv
    await drv.close()


@pytest.fixture(scope="session")
async def worker(prepared: Settings, temporal: Client, driver: AsyncDriver) -> AsyncIterator[None]:
    """The real worker, polling in this process for the whole session."""
    w = build_worker(temporal, driver, prepared)
    task = asyncio.create_task(w.run())
    yield
    await w.shutdown()
    await task


@pytest.fixture
async def clean(prepared: Settings, temporal: Client, driver: AsyncDriver, worker: None) -> Settings:
    """An empty graph for each test; workflows are isolated by ids unique to each test, and a webhook
    subscription an earlier test left (e.g. one the fuzzer registered) stops polling the feed."""
    await end_webhook_workflows(temporal, driver)
    records, _, _ = await driver.execute_query(
        "MATCH (e:Event) RETURN count(e) AS events, count(DISTINCT e.subject) AS streams"
    )
    EXERCISED["events"] += records[0]["events"]
    EXERCISED["streams"] += records[0]["streams"]
    await driver.execute_query("MATCH (n) DETACH DELETE n")
    return prepared


async def end_webhook_workflows(temporal: Client, driver: AsyncDriver) -> None:
    """Terminate the workflow of every webhook subscription the graph knows."""
    rows, _, _ = await driver.execute_query("MATCH (s:WebhookSubscription) RETURN s.id AS id")
    for row in rows:
        with suppress(RPCError):
            await temporal.get_workflow_handle(webhook_workflow_id(row["id"])).terminate("test over")


@asynccontextmanager
async def api_client(
    settings: Settings, temporal: Client, driver: AsyncDriver, auth: httpx.Auth | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The real FastAPI app over ASGI with `settings`, wired to the session's real clients; every request
    carries a real access token (`auth`, by default the demo admin's from the session's Keycloak)."""
    app = create_app(settings, build_services(settings, temporal, driver))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://banso.test", timeout=60, auth=auth or default_auth()
        ) as client:
            yield client


@pytest.fixture
async def api(clean: Settings, temporal: Client, driver: AsyncDriver) -> AsyncIterator[httpx.AsyncClient]:
    """The API with the default settings."""
    async with api_client(clean, temporal, driver) as client:
        yield client


async def reset_streams(temporal: Client, subjects: list[str]) -> None:
    """End the writers of streams whose ids are fixed by real data (a prefecture, 東北地方整備局, …).

    Such streams cannot get ids unique to a test, and the graph is wiped between tests; a fresh run of
    the writer starts the stream again from its first event.
    """
    for subject in subjects:
        with suppress(RPCError):  # never started, or already ended
            await temporal.get_workflow_handle(subject).terminate("test reset")


def reference_subjects() -> list[str]:
    """The streams the shipped reference data writes."""
    subjects = []
    for step in reference_steps():
        if step.path.endswith("/prefectures"):
            subjects.append(prefecture_stream(step.body["prefecture_code"]))
        elif step.path == TRAVEL_RATES_PATH:
            subjects.append(rates_stream(step.body["rates_id"]))
        else:
            subjects.append(body_stream(step.body["kind"], step.body["name"]))
    return subjects


@dataclass(frozen=True)
class LoadedReference:
    """How many reference streams a test loaded, and the key generation it used."""

    streams: int
    salt: str


async def load_fresh_reference(api: httpx.AsyncClient, temporal: Client) -> LoadedReference:
    """The national reference data loaded through the API after restarting its streams' writers.

    Temporal remembers an update id even after its workflow ends, so each load uses its own key
    generation.
    """
    await reset_streams(temporal, reference_subjects())
    salt = uuid.uuid4().hex
    return LoadedReference(await load_reference(api, salt=salt), salt)


@pytest.fixture(scope="module")
async def module_api(
    prepared: Settings, temporal: Client, driver: AsyncDriver, worker: None
) -> AsyncIterator[httpx.AsyncClient]:
    """For a module of read-mostly tests: one empty graph and one API client for the whole module.

    Tests using it must not also use `clean`/`api` (which would wipe the module's data) and may only
    add data of their own that the module's other tests do not count.
    """
    await driver.execute_query("MATCH (n) DETACH DELETE n")
    async with api_client(prepared, temporal, driver) as client:
        yield client


@pytest.fixture(scope="module")
async def reference_module(module_api: httpx.AsyncClient, temporal: Client) -> LoadedReference:
    """The module's graph with the national reference data, loaded once."""
    return await load_fresh_reference(module_api, temporal)


_codes = itertools.count(100)
_periods = itertools.count(10)  # 1–9 are the seed's and the unit tests', 97–99 the probes for "no such period"
LAST_TEST_PERIOD = 96


def next_period() -> int:
    """A period number no other test used (also for module fixtures): periods are workflows that outlive a
    test's reset, and a period is a number from 1 to 99."""
    period = next(_periods)
    if period > LAST_TEST_PERIOD:
        raise RuntimeError(f"the test session used every period number from 10 to {LAST_TEST_PERIOD}")
    return period


def new_municipality_code() -> str:
    """A valid 全国地方公共団体コード (Tokyo prefix) no other test used."""
    first_five = f"13{next(_codes):03d}"
    return first_five + municipality_check_digit(first_five)


@pytest.fixture
def municipality_code() -> str:
    """A fresh valid 全国地方公共団体コード (Tokyo prefix) for one test."""
    return new_municipality_code()


@pytest.fixture
def fresh_period() -> int:
    """A period number no other test used, for loading the demo afresh."""
    return next_period()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how much the real servers were exercised (events counted before each reset)."""
    if EXERCISED["events"]:
        terminalreporter.write_line(
            f"exercised on real servers: {EXERCISED['events']} events in {EXERCISED['streams']} streams "
            "(counted at each reset; the last test's data is not counted)"
        )
