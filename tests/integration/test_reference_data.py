"""Reference data through events: officials, their transfers, bodies and the prefectures they cover."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client

from schemas.commands import body_stream
from tests.conftest import reset_streams
from tests.integration.flows import post

pytestmark = pytest.mark.servers

ISHIKAWA: dict[str, Any] = {
    "official": {
        "name": "石川 亨",
        "ministry": "国土交通省",
        "bureau": "水管理・国土保全局",
        "division": "総務課",
        "post": "総務課長",
    },
    "seniority": "senior",
}
TOHOKU: dict[str, Any] = {
    "kind": "regional_bureau",
    "name": "東北地方整備局",
    "parent_ministry": "国土交通省",
    "covers_prefectures": ["青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県"],
}


_names = itertools.count(1)


@pytest.fixture
def official() -> dict[str, Any]:
    """A registration body for an official no other test registered (streams outlive a test)."""
    return ISHIKAWA | {"official": ISHIKAWA["official"] | {"name": f"石川 亨{next(_names)}"}}


async def register(api: httpx.AsyncClient, official: dict[str, Any]) -> str:
    response = await post(api, "/api/v1/officials", official)
    assert response.status_code == 201, response.text
    return str(response.json()["subject"]).removeprefix("reference-")


async def test_register_and_transfer_an_official(
    api: httpx.AsyncClient, driver: AsyncDriver, official: dict[str, Any]
) -> None:
    official_id = await register(api, official)
    moved = await post(
        api,
        f"/api/v1/officials/{official_id}/post-changes",
        {
            "changed_on": "2026-07-01",
            "ministry": "国土交通省",
            "bureau": "港湾局",
            "division": "計画課",
            "post": "課長",
        },
    )
    assert moved.status_code == 200, moved.text

    log = (await api.get(f"/api/v1/officials/{official_id}/events")).json()
    assert log["chain_valid"] is True
    assert [e["type"] for e in log["events"]] == ["OfficialRegistered", "OfficialPostChanged"]
    records, _, _ = await driver.execute_query(
        "MATCH (:Official {id: $id})-[w:WORKS_IN]->(b:Bureau) RETURN b.name AS unit, w.to AS to ORDER BY unit",
        id=official_id,
    )
    assert [(r["unit"], r["to"]) for r in records] == [("総務課", "2026-07-01"), ("計画課", None)]


async def test_registering_twice_is_409_and_a_retry_is_answered_once(
    api: httpx.AsyncClient, official: dict[str, Any]
) -> None:
    key = f"register-{official['official']['name'].removeprefix('石川 亨')}"
    first = await post(api, "/api/v1/officials", official, key=key)
    again = await post(api, "/api/v1/officials", official, key=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    duplicate = await post(api, "/api/v1/officials", official)
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "already_registered"
    official_id = str(first.json()["subject"]).removeprefix("reference-")
    assert len((await api.get(f"/api/v1/officials/{official_id}/events")).json()["events"]) == 1


async def test_post_change_for_an_unknown_official_is_404(api: httpx.AsyncClient) -> None:
    response = await post(
        api,
        "/api/v1/officials/official-00000000-0000-5000-8000-000000000000/post-changes",
        {"changed_on": "2026-07-01", "ministry": "財務省"},
    )
    assert response.status_code == 404


async def test_a_regional_bureau_covers_its_prefectures(
    api: httpx.AsyncClient, driver: AsyncDriver, temporal: Client
) -> None:
    await reset_streams(temporal, [body_stream("regional_bureau", "東北地方整備局")])
    response = await post(api, "/api/v1/bodies", TOHOKU)
    assert response.status_code == 201, response.text
    records, _, _ = await driver.execute_query(
        "MATCH (b:RegionalBureau {name: '東北地方整備局'})-[:COVERS]->(p:Prefecture) "
        "MATCH (b)-[:PART_OF]->(m:Ministry) RETURN m.name AS ministry, collect(p.name) AS prefectures"
    )
    assert records[0]["ministry"] == "国土交通省"
    assert sorted(records[0]["prefectures"]) == sorted(TOHOKU["covers_prefectures"])


async def test_invalid_reference_bodies_are_422(api: httpx.AsyncClient) -> None:
    assert (await post(api, "/api/v1/bodies", TOHOKU | {"kind": "castle"})).status_code == 422
    assert (await post(api, "/api/v1/officials", {"official": {"name": "x"}})).status_code == 422
