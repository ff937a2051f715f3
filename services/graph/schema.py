"""Constraints and indexes, applied idempotently at start-up."""

from __future__ import annotations

from neo4j import AsyncDriver

from services.graph import schema_queries as q
from services.graph.search.fulltext_queries import CREATE_INDEX as EVIDENCE_FULLTEXT_INDEX
from services.graph.store.access_log_queries import SCHEMA as ACCESS_LOG_SCHEMA


async def apply_schema(driver: AsyncDriver, database: str) -> None:
    """Create every constraint and index that does not exist yet, then wait for them to come online."""
    for statement in (*q.CONSTRAINTS, *q.INDEXES, *ACCESS_LOG_SCHEMA, EVIDENCE_FULLTEXT_INDEX):
        await driver.execute_query(statement, database_=database)
    await driver.execute_query(q.AWAIT_INDEXES, database_=database)
