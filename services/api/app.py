"""The FastAPI application: lifespan-built clients, routers, problem handlers, tracing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from neo4j import AsyncDriver
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from temporalio.client import Client

from services.api.access_log import AccessRecorder, unavailable_answer
from services.api.auth.enforce import Access, enforce
from services.api.deps import Services
from services.api.engagement_commands import EngagementCommands
from services.api.json_guard import JsonBodyGuard
from services.api.period_commands import PeriodCommands
from services.api.problems import install_problem_handlers, problem_responses
from services.api.reference_commands import ReferenceCommands
from services.api.routers import access_log as access_log_api
from services.api.routers import audit as audit_api
from services.api.routers import (
    codec,
    engagement_records,
    engagements,
    exports,
    feed,
    graph,
    paperwork,
    periods,
    reference,
    reference_reads,
    search,
)
from services.api.routers import imports as imports_api
from services.api.routers import webhooks as webhooks_api
from services.api.update_guard import UpdateGuard
from services.api.web import access_log_page as web_access_log
from services.api.web import cockpit_page as web_cockpit
from services.api.web import corrections_page as web_corrections
from services.api.web import engagement_page as web_engagement
from services.api.web import engagements_page as web_engagements
from services.api.web import experts_page as web_experts
from services.api.web import explorer_page as web_explorer
from services.api.web import export_downloads as web_exports
from services.api.web import forms as web_forms
from services.api.web import paperwork_downloads as web_paperwork
from services.api.web import paperwork_forms as web_paperwork_forms
from services.api.web import periods_page as web_periods
from services.api.web import render as web_render
from services.api.web import signin as web_signin
from services.api.web import webhooks_page as web_webhooks
from services.api.web.access import install_page_access_handlers
from services.api.web.guard import page_guard
from services.api.web.headers import SecurityHeaders
from services.api.web.session import WebSessions
from services.graph.driver import neo4j_driver
from services.graph.reads.engagement_reads import GraphReads
from services.graph.reads.export_reads import ExportReads
from services.graph.reads.paperwork_reads import PaperworkReads
from services.graph.reads.period_reads import PeriodReads
from services.graph.reads.reference_reads import ReferenceReads
from services.graph.reads.web_reads import WebReads
from services.graph.search.connections import ConnectionSearch
from services.graph.search.experts import ExpertSearch
from services.graph.search.similarity import ReuseSearch
from services.graph.store.access_log import AccessLog
from services.graph.store.actors import ActorDirectory
from services.graph.store.audit_bundles import AuditBundles
from services.graph.store.audit_signing import load_or_create_audit_signing_key
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.graph.store.feed import EventFeed
from services.graph.store.webhooks import WebhookStore
from services.settings import Settings, get_settings
from services.telemetry import url_without_query
from services.workflow.clients import connect_temporal
from services.workflow.webhooks.commands import WebhookCommands

WEB = Path(__file__).parent / "web"
# The API only reads from Neo4j (writes go through the workflows): a read that meets an outage is retried
# this long, then answers 503 with Retry-After rather than holding the request for the driver's 30 s.
GRAPH_RETRY_S = 5.0
ENFORCED = [Depends(enforce)]
VENDOR = {
    "cytoscape": WEB / "node_modules/cytoscape/dist",
    "htmx": WEB / "node_modules/htmx.org/dist",
    "echarts": WEB / "node_modules/echarts/dist",  # Apache-2.0
    "japan": WEB / "node_modules/@svg-maps/japan",  # CC BY 4.0, credited on the cockpit
}


def build_services(
    settings: Settings, temporal: Client, driver: AsyncDriver, guard: UpdateGuard | None = None
) -> Services:
    """Wire the route-facing services around one Temporal client, one Neo4j driver and one admission gate."""
    guard = guard or UpdateGuard()
    chain_key = load_or_create_chain_key(settings)  # seals the events and the access records
    return Services(
        settings=settings,
        temporal=temporal,
        driver=driver,
        engagement_commands=EngagementCommands(temporal, settings, guard),
        reference_commands=ReferenceCommands(temporal, settings, guard),
        period_commands=PeriodCommands(temporal, settings, guard),
        event_store=EventStore(driver, settings.neo4j_database, chain_key),
        graph_reads=GraphReads(driver, settings.neo4j_database),
        reference_reads=ReferenceReads(driver, settings.neo4j_database),
        expert_search=ExpertSearch(driver, settings.neo4j_database, settings.expertise_half_life_days),
        connection_search=ConnectionSearch(driver, settings.neo4j_database),
        reuse_search=ReuseSearch(driver, settings.neo4j_database),
        period_reads=PeriodReads(driver, settings.neo4j_database),
        web_reads=WebReads(driver, settings.neo4j_database),
        access_log=AccessLog(driver, settings.neo4j_database, chain_key),
        actors=ActorDirectory(driver, settings.neo4j_database),
        export_reads=ExportReads(driver, settings.neo4j_database),
        event_feed=EventFeed(driver, settings.neo4j_database),
        webhooks=WebhookCommands(temporal, settings),
        webhook_store=WebhookStore(driver, settings.neo4j_database),
        paperwork_reads=PaperworkReads(driver, settings.neo4j_database),
        audit_bundles=AuditBundles(
            driver, settings.neo4j_database, chain_key, load_or_create_audit_signing_key(settings)
        ),
    )


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """The API; with `services` given (tests), the lifespan builds nothing of its own."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services is not None:
            services.install(app.state)
            yield
            return
        driver = neo4j_driver(settings, retry_s=GRAPH_RETRY_S)
        try:
            temporal = await connect_temporal(settings)
            build_services(settings, temporal, driver).install(app.state)
            yield
        finally:
            await driver.close()

    app = FastAPI(
        title="Banso API — 地方創生伴走支援制度",
        version="0.1.0",
        description="伴走支援の記録・検索 API / Records and searches the programme's engagements.",
        lifespan=lifespan,
    )
    app.state.access = Access.from_settings(settings)  # bearer tokens, rate limits (services/api/auth)
    install_problem_handlers(app, web_render.problem_page)  # pages answer problems as pages, not JSON
    install_page_access_handlers(app)  # no session → /auth/login; refused → a 403 page
    # Innermost: a personal read's answer waits for its access record (who read what), or becomes a 503.
    app.add_middleware(AccessRecorder, unavailable=unavailable_answer(web_render.problem_page))
    app.add_middleware(WebSessions)  # the pages' server-side session (Neo4j), not the JSON API's
    app.add_middleware(JsonBodyGuard)
    app.add_middleware(codec.CodecCors, settings=settings)  # the Temporal UI calls the codec routes only
    # Every API route may answer invalid input (422) and an unreachable server (503) as problem+json.
    for api in (
        engagements,
        engagement_records,
        reference,
        reference_reads,
        search,
        graph,
        periods,
        codec,
        access_log_api,
        feed,
        exports,
        audit_api,
        webhooks_api,
        imports_api,
        paperwork,
    ):
        # Every API route is decided by the access policy table (services/api/auth), before anything is sent.
        app.include_router(api.router, responses=problem_responses(401, 403, 422, 429, 503), dependencies=ENFORCED)
    # The back office: every page and form decided by the policy table for the session's principal.
    for web in (
        web_cockpit,
        web_engagements,
        web_engagement,
        web_experts,
        web_explorer,
        web_forms,
        web_corrections,
        web_periods,
        web_signin,
        web_access_log,
        web_exports,
        web_paperwork,
        web_paperwork_forms,
        web_webhooks,
    ):
        app.include_router(web.router, dependencies=[Depends(page_guard)])
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    for name, folder in VENDOR.items():  # installed from npm by scripts/setup
        if folder.is_dir():
            app.mount(f"/vendor/{name}", StaticFiles(directory=folder), name=f"vendor-{name}")
    app.add_middleware(SecurityHeaders, settings=settings)  # outermost: on every response, errors included
    FastAPIInstrumentor.instrument_app(app, server_request_hook=url_without_query)  # no search terms in traces
    return app
