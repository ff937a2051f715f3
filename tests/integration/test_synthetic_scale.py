"""Synthetic national-scale data through the batch path: searchable, verifiable, and rebuilt identically."""

from __future__ import annotations

import httpx
import pytest
from neo4j import AsyncDriver

from banso.synthetic.generate import load_synthetic
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.rebuild import rebuild_projection
from services.settings import Settings
from tests.integration.graph_dump import graph_checksum

pytestmark = pytest.mark.servers


async def test_synthetic_programme_is_searchable_verifiable_and_rebuilds_identically(
    api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings
) -> None:
    seen: list[tuple[int, int]] = []
    written = await load_synthetic(
        driver,
        clean.neo4j_database,
        0.2,
        chain_key=load_or_create_chain_key(clean),
        batch=300,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1] == (written, written)
    engagements = (await api.get("/api/v1/engagements", params={"limit": 1})).json()
    assert engagements["total"] == 40

    some = (await api.get("/api/v1/engagements", params={"limit": 3})).json()["items"]
    for engagement in some:
        log = (await api.get(f"/api/v1/engagements/{engagement['engagement_id']}/events")).json()
        assert log["chain_valid"] is True
        assert log["events"][-1]["type"] == "EngagementClosed"

    experts = (await api.get("/api/v1/experts", params={"q": "観光"})).json()
    assert experts["experts"]
    evidence = [ev for e in experts["experts"] for ev in e["evidence"]]
    assert all(ev["event_id"] for ev in evidence)
    assert {"theme", "post"} <= {ev["kind"] for ev in evidence}  # 観光 themes, and posts in 観光地域振興部

    incremental = await graph_checksum(driver)
    assert await rebuild_projection(driver, clean.neo4j_database, batch=250) == written
    assert await graph_checksum(driver) == incremental
