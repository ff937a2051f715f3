"""Long-lived clients built in the app's lifespan, handed to routes through Depends aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from neo4j import AsyncDriver
from temporalio.client import Client

from services.api.engagement_commands import ENGAGEMENT_ID_PATTERN, EngagementCommands
from services.api.period_commands import PeriodCommands
from services.api.reference_commands import ReferenceCommands
from services.graph.reads.engagement_reads import GraphReads
from services.graph.reads.period_reads import PeriodReads
from services.graph.reads.reference_reads import ReferenceReads
from services.graph.reads.web_reads import WebReads
from services.graph.search.connections import ConnectionSearch
from services.graph.search.experts import ExpertSearch
from services.graph.search.similarity import ReuseSearch
from services.graph.store.event_store import EventStore
from services.settings import Settings


@dataclass(frozen=True)
class Services:
    """Everything a route may use, built once per process."""

    settings: Settings
    temporal: Client
    driver: AsyncDriver
    commands: EngagementCommands
    reference: ReferenceCommands
    periods: PeriodCommands
    events: EventStore
    reads: GraphReads
    reference_reads: ReferenceReads
    experts: ExpertSearch
    connections: ConnectionSearch
    reuse: ReuseSearch
    period_reads: PeriodReads
    web_reads: WebReads


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]

ACTOR_PATTERN = r"^[A-Za-z0-9._@:-]{1,200}$"
KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,200}$"

Actor = Annotated[
    str,
    Header(
        alias="X-Banso-Actor",
        min_length=1,
        max_length=200,
        pattern=ACTOR_PATTERN,
        description="Who issues the command (an account id; real authentication comes later).",
    ),
]

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
