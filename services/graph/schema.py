"""Constraints and indexes, applied idempotently at start-up."""

from __future__ import annotations

import re

from neo4j import AsyncDriver

from services.graph import schema_queries as q
from services.graph.search import fulltext_queries as fulltext
from services.graph.store.access_log_queries import SCHEMA as ACCESS_LOG_SCHEMA
from services.graph.store.feed import backfill_positions

_NAMED = re.compile(r"CREATE (?:CONSTRAINT|(?:FULLTEXT )?INDEX) (\w+) IF NOT EXISTS")


async def apply_schema(driver: AsyncDriver, database: str) -> None:
    """Create every constraint and index that does not exist yet, then wait for them to come online.

    The evidence full-text index is created again when it covers other labels or properties than this
    version of Banso indexes (Neo4j cannot alter a full-text index in place).
    """
    records, _, _ = await driver.execute_query(fulltext.SHOW_INDEX, name=fulltext.INDEX_NAME, database_=database)
    if records and (
        sorted(records[0]["labelsOrTypes"]) != sorted(fulltext.INDEXED_LABELS)
        or sorted(records[0]["properties"]) != sorted(fulltext.INDEXED_PROPERTIES)
    ):
        await driver.execute_query(fulltext.DROP_INDEX, database_=database)
    existing = await existing_names(driver, database)
    for statement in (*q.CONSTRAINTS, *q.INDEXES, *ACCESS_LOG_SCHEMA, fulltext.CREATE_INDEX):
        if name_of(statement) not in existing:  # a restart sends two SHOW queries, not forty schema statements
            await driver.execute_query(statement, database_=database)
    await driver.execute_query(q.AWAIT_INDEXES, database_=database)
    await backfill_positions(driver, database)


def name_of(statement: str) -> str:
    """The name a `CREATE CONSTRAINT|INDEX <name> IF NOT EXISTS …` statement gives."""
    match = _NAMED.match(statement)
    if match is None:
        raise ValueError(f"schema statement without a name: {statement[:60]}")
    return match.group(1)


async def existing_names(driver: AsyncDriver, database: str) -> set[str]:
    """Names of the constraints and indexes the database has (one round trip each, not one per statement)."""
    constraints, _, _ = await driver.execute_query(q.CONSTRAINT_NAMES, database_=database)
    indexes, _, _ = await driver.execute_query(q.INDEX_NAMES, database_=database)
    return {r["name"] for r in constraints} | {r["name"] for r in indexes}
