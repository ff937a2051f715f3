"""A rebuild of the projection keeps the access log: its records are records, not projection."""

from __future__ import annotations

import pytest
from neo4j import AsyncDriver

from services.graph.store.access_log import AccessLog
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.rebuild import rebuild_projection
from services.settings import Settings
from tests.access_writer import entry

pytestmark = pytest.mark.servers


async def test_a_rebuild_keeps_the_access_log(clean: Settings, driver: AsyncDriver) -> None:
    key = load_or_create_chain_key(clean)
    await AccessLog(driver, clean.neo4j_database, key).append(entry("kansa", 1))

    await rebuild_projection(driver, clean.neo4j_database)

    verdict = await AccessLog(driver, clean.neo4j_database, key).verify()
    assert verdict.valid
    assert verdict.records == 1
