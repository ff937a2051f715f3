"""The Temporal worker: the one place that wires clients into workflows and activities."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from neo4j import AsyncDriver
from temporalio.client import Client
from temporalio.worker import Interceptor, Worker

from services.graph.driver import neo4j_driver
from services.graph.reads.period_reads import PeriodReads
from services.graph.schema import apply_schema
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.settings import Settings, get_settings
from services.telemetry import configure_tracing
from services.workflow.activities import EngagementActivities
from services.workflow.clients import connect_temporal
from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.period.activities import PeriodActivities
from services.workflow.period.workflow import PeriodWorkflow
from services.workflow.reference.workflow import ReferenceStreamWorkflow

log = logging.getLogger("banso.worker")


def build_worker(
    client: Client, driver: AsyncDriver, settings: Settings, interceptors: Sequence[Interceptor] = ()
) -> Worker:
    """A worker for the engagement task queue, its activities bound to `driver`."""
    activities = EngagementActivities(EventStore(driver, settings.neo4j_database, load_or_create_chain_key(settings)))
    period = PeriodActivities(client, PeriodReads(driver, settings.neo4j_database), settings)
    return Worker(
        client,
        task_queue=settings.temporal_task_queue,
        workflows=[EngagementWorkflow, ReferenceStreamWorkflow, PeriodWorkflow],
        activities=[activities.record_event, period.run_matching, period.start_engagement, period.period_figures],
        interceptors=interceptors,
    )


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
