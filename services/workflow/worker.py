"""The Temporal worker: the one place that wires clients into workflows and activities."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

import httpx
from neo4j import AsyncDriver
from temporalio.client import Client
from temporalio.worker import Interceptor, Worker

from services.graph.driver import neo4j_driver
from services.graph.reads.import_reads import ImportReads
from services.graph.reads.period_reads import PeriodReads
from services.graph.schema import apply_schema
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.graph.store.feed import EventFeed
from services.graph.store.import_files import ImportFiles
from services.graph.store.webhooks import WebhookStore
from services.settings import Settings, get_settings
from services.telemetry import configure_tracing
from services.workflow.activities import EngagementActivities
from services.workflow.clients import connect_temporal
from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.imports.activities import ImportActivities
from services.workflow.imports.workflow import ImportWorkflow
from services.workflow.period.activities import PeriodActivities
from services.workflow.period.workflow import PeriodWorkflow
from services.workflow.reference.workflow import ReferenceStreamWorkflow
from services.workflow.webhooks.activities import WebhookActivities
from services.workflow.webhooks.workflow import WebhookWorkflow

log = logging.getLogger("banso.worker")


def build_worker(
    client: Client, driver: AsyncDriver, settings: Settings, interceptors: Sequence[Interceptor] = ()
) -> Worker:
    """A worker for the engagement task queue, its activities bound to `driver`."""
    activities = EngagementActivities(EventStore(driver, settings.neo4j_database, load_or_create_chain_key(settings)))
    period = PeriodActivities(client, PeriodReads(driver, settings.neo4j_database), settings)
    db = settings.neo4j_database
    imports = ImportActivities(client, ImportReads(driver, db), ImportFiles(driver, db), settings)
    webhooks = WebhookActivities(
        EventFeed(driver, settings.neo4j_database),
        WebhookStore(driver, settings.neo4j_database),
        settings,
        httpx.AsyncClient(follow_redirects=False),
    )
    return Worker(
        client,
        task_queue=settings.temporal_task_queue,
        workflows=[EngagementWorkflow, ReferenceStreamWorkflow, PeriodWorkflow, WebhookWorkflow, ImportWorkflow],
        activities=[
            activities.record_event,
            period.run_matching,
            period.start_engagement,
            period.period_figures,
            *webhook_activities(webhooks),
            imports.validate_import,
            imports.import_engagement,
        ],
        interceptors=interceptors,
    )


def webhook_activities(webhooks: WebhookActivities) -> list[Callable[..., Awaitable[object]]]:
    """The webhook workflow's activities, bound to their clients."""
    return [
        webhooks.poll_feed,
        webhooks.deliver,
        webhooks.save_subscription,
        webhooks.record_delivery,
        webhooks.delete_subscription,
    ]


async def main() -> None:
    """Run the worker until cancelled."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = get_settings()
    configure_tracing("banso-worker")
    driver = neo4j_driver(settings)
    try:
        await apply_schema(driver, settings.neo4j_database)
        client = await connect_temporal(settings)
        log.info("worker polling %s on %s", settings.temporal_task_queue, settings.temporal_target)
        await build_worker(client, driver, settings).run()
    finally:
        await driver.close()


if __name__ == "__main__":
    asyncio.run(main())
