"""What routes depend on: one `Annotated` alias per long-lived client or service, each read from app state.

The app's lifespan builds every client once (`services.api.app.build_services`) and puts each on
`app.state` under its own name; a route declares only the aliases it uses, so its signature says which
engines it can touch (and which outages it can meet).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from neo4j import AsyncDriver
from starlette.datastructures import State
from temporalio.client import Client

from services.api.auth.principal import Principal
from services.api.engagement_commands import ENGAGEMENT_ID_PATTERN, EngagementCommands
from services.api.period_commands import PeriodCommands
from services.api.problems import Unauthorized
from services.api.reference_commands import ReferenceCommands
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
from services.graph.store.event_store import EventStore
from services.graph.store.feed import EventFeed
from services.graph.store.webhooks import WebhookStore
from services.settings import Settings
from services.workflow.webhooks.commands import WebhookCommands


@dataclass(frozen=True)
class Services:
    """The process's clients and services, built once by the lifespan; each goes on app state by its name."""

    settings: Settings
    temporal: Client
    driver: AsyncDriver
    engagement_commands: EngagementCommands
    reference_commands: ReferenceCommands
    period_commands: PeriodCommands
    event_store: EventStore
    graph_reads: GraphReads
    reference_reads: ReferenceReads
    expert_search: ExpertSearch
    connection_search: ConnectionSearch
    reuse_search: ReuseSearch
    period_reads: PeriodReads
    web_reads: WebReads
    access_log: AccessLog
    actors: ActorDirectory
    export_reads: ExportReads
    event_feed: EventFeed
    audit_bundles: AuditBundles
    webhooks: WebhookCommands
    webhook_store: WebhookStore
    paperwork_reads: PaperworkReads

    def install(self, state: State) -> None:
        """Put every client on `state` under its field name (where the aliases below look for it)."""
        for field in fields(self):
            setattr(state, field.name, getattr(self, field.name))


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _temporal(request: Request) -> Client:
    temporal: Client = request.app.state.temporal
    return temporal


def _driver(request: Request) -> AsyncDriver:
    driver: AsyncDriver = request.app.state.driver
    return driver


def _engagement_commands(request: Request) -> EngagementCommands:
    commands: EngagementCommands = request.app.state.engagement_commands
    return commands


def _reference_commands(request: Request) -> ReferenceCommands:
    commands: ReferenceCommands = request.app.state.reference_commands
    return commands


def _period_commands(request: Request) -> PeriodCommands:
    commands: PeriodCommands = request.app.state.period_commands
    return commands


def _event_store(request: Request) -> EventStore:
    store: EventStore = request.app.state.event_store
    return store


def _graph_reads(request: Request) -> GraphReads:
    reads: GraphReads = request.app.state.graph_reads
    return reads


def _reference_reads(request: Request) -> ReferenceReads:
    reads: ReferenceReads = request.app.state.reference_reads
    return reads


def _expert_search(request: Request) -> ExpertSearch:
    search: ExpertSearch = request.app.state.expert_search
    return search


def _connection_search(request: Request) -> ConnectionSearch:
    search: ConnectionSearch = request.app.state.connection_search
    return search


def _reuse_search(request: Request) -> ReuseSearch:
    search: ReuseSearch = request.app.state.reuse_search
    return search


def _period_reads(request: Request) -> PeriodReads:
    reads: PeriodReads = request.app.state.period_reads
    return reads


def _web_reads(request: Request) -> WebReads:
    reads: WebReads = request.app.state.web_reads
    return reads


def _access_log(request: Request) -> AccessLog:
    log: AccessLog = request.app.state.access_log
    return log


SettingsDep = Annotated[Settings, Depends(_settings)]
TemporalDep = Annotated[Client, Depends(_temporal)]
DriverDep = Annotated[AsyncDriver, Depends(_driver)]
EngagementCommandsDep = Annotated[EngagementCommands, Depends(_engagement_commands)]
ReferenceCommandsDep = Annotated[ReferenceCommands, Depends(_reference_commands)]
PeriodCommandsDep = Annotated[PeriodCommands, Depends(_period_commands)]
EventStoreDep = Annotated[EventStore, Depends(_event_store)]
GraphReadsDep = Annotated[GraphReads, Depends(_graph_reads)]
ReferenceReadsDep = Annotated[ReferenceReads, Depends(_reference_reads)]
ExpertSearchDep = Annotated[ExpertSearch, Depends(_expert_search)]
ConnectionSearchDep = Annotated[ConnectionSearch, Depends(_connection_search)]
ReuseSearchDep = Annotated[ReuseSearch, Depends(_reuse_search)]
PeriodReadsDep = Annotated[PeriodReads, Depends(_period_reads)]
WebReadsDep = Annotated[WebReads, Depends(_web_reads)]
AccessLogDep = Annotated[AccessLog, Depends(_access_log)]


def _event_feed(request: Request) -> EventFeed:
    feed: EventFeed = request.app.state.event_feed
    return feed


EventFeedDep = Annotated[EventFeed, Depends(_event_feed)]


def _actors(request: Request) -> ActorDirectory:
    actors: ActorDirectory = request.app.state.actors
    return actors


ActorsDep = Annotated[ActorDirectory, Depends(_actors)]

KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,200}$"
ACTOR_PATTERN = r"^[A-Za-z0-9._@:-]{1,200}$"  # the web form's actor field only, until web sign-in replaces it


def _principal(request: Request) -> Principal:
    """The caller the enforcement point authenticated (services/api/auth/enforce.py); 401 when none."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise Unauthorized(headers={"WWW-Authenticate": 'Bearer realm="banso"'})
    return principal


# Who is asking: the authenticated principal. Its `actor` is what events record, never a header or a field.
PrincipalDep = Annotated[Principal, Depends(_principal)]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=KEY_PATTERN,
        description="A retried request with the same key is answered once and writes nothing new.",
    ),
]

EngagementId = Annotated[
    str, Path(pattern=ENGAGEMENT_ID_PATTERN, description="engagement-<period>-<municipality code>")
]

Limit = Annotated[int, Query(ge=1, le=500, description="1ページの件数 / page size")]
MAX_OFFSET = 1_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="先頭からの位置 / items to skip")]


def _export_reads(request: Request) -> ExportReads:
    reads: ExportReads = request.app.state.export_reads
    return reads


ExportReadsDep = Annotated[ExportReads, Depends(_export_reads)]


def _audit_bundles(request: Request) -> AuditBundles:
    bundles: AuditBundles = request.app.state.audit_bundles
    return bundles


AuditBundlesDep = Annotated[AuditBundles, Depends(_audit_bundles)]


def _webhooks(request: Request) -> WebhookCommands:
    commands: WebhookCommands = request.app.state.webhooks
    return commands


def _webhook_store(request: Request) -> WebhookStore:
    store: WebhookStore = request.app.state.webhook_store
    return store


WebhooksDep = Annotated[WebhookCommands, Depends(_webhooks)]
WebhookStoreDep = Annotated[WebhookStore, Depends(_webhook_store)]


def _paperwork_reads(request: Request) -> PaperworkReads:
    reads: PaperworkReads = request.app.state.paperwork_reads
    return reads


PaperworkReadsDep = Annotated[PaperworkReads, Depends(_paperwork_reads)]
