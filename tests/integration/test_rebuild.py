"""`banso graph rebuild`: replaying the log gives exactly the graph that was built incrementally."""

from __future__ import annotations

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client

from services.graph.search import fulltext_queries as fulltext
from services.graph.store.rebuild import rebuild_projection
from services.settings import Settings
from tests.conftest import load_fresh_reference
from tests.integration.flows import SITE_VISIT, advance, command, event_log, post
from tests.integration.graph_dump import NOT_PROJECTION, graph_checksum
from tests.integration.test_demo_and_experts import load
from tests.integration.test_engagement_records import COORDINATION, NEW_MEMBER, THEMES

pytestmark = pytest.mark.servers


async def test_rebuild_reproduces_the_incremental_graph(
    api: httpx.AsyncClient,
    driver: AsyncDriver,
    temporal: Client,
    clean: Settings,
    fresh_period: int,
    municipality_code: str,
) -> None:
    await load_fresh_reference(api, temporal)  # 47 prefectures, 1,741 municipalities, 121 bodies
    await load(api, fresh_period)
    eid = await advance(api, municipality_code, "outcomes")
    for name, body in (("members", NEW_MEMBER), ("themes", THEMES), ("coordinations", COORDINATION)):
        assert (await command(api, eid, name, body)).status_code == 200
    # A correction and a retraction: the rebuild draws the corrected visit again and leaves the outcome out.
    log = (await event_log(api, eid))["events"]
    visit, outcome = (next(e for e in log if e["type"] == t) for t in ("SiteVisitMade", "OutcomeRecorded"))
    moved = SITE_VISIT | {"event_type": "SiteVisitMade", "start_date": "2025-06-19", "end_date": "2025-06-20"}
    correction = {"corrects_event_id": visit["id"], "reason": "日付の誤り", "corrected": moved}
    assert (await command(api, eid, "corrections", correction)).status_code == 200
    retraction = {"retracts_event_id": outcome["id"], "reason": "別の記録と重複"}
    assert (await command(api, eid, "retractions", retraction)).status_code == 200
    # A body no other test defines: reference streams outlive a test's graph reset.
    programme = {"kind": "funding_program", "name": "地域未来交付金（再構築テスト）", "parent_ministry": "内閣府"}
    assert (await post(api, "/api/v1/bodies", programme)).status_code == 201
    # Two transfers of one official land in one replay batch: their order must survive batching.
    official = {"name": f"異動 太郎{fresh_period}", "ministry": "総務省", "bureau": "自治行政局", "post": "係長"}
    registered = await post(api, "/api/v1/officials", {"official": official})
    assert registered.status_code == 201, registered.text
    official_id = str(registered.json()["subject"]).removeprefix("reference-")
    for day, ministry, bureau in (
        ("2026-04-01", "内閣府", "地方創生推進事務局"),
        ("2026-07-01", "国土交通省", "港湾局"),
    ):
        change = {"changed_on": day, "ministry": ministry, "bureau": bureau, "post": "課長補佐"}
        assert (await post(api, f"/api/v1/officials/{official_id}/post-changes", change)).status_code == 200
    incremental = await graph_checksum(driver)
    records, _, _ = await driver.execute_query("MATCH (e:Event) RETURN count(e) AS n")
    events = records[0]["n"]

    seen: list[tuple[int, int]] = []
    replayed = await rebuild_projection(
        driver, clean.neo4j_database, batch=7, progress=lambda d, t: seen.append((d, t)), drop_indexes=True
    )

    assert replayed == events
    assert seen[-1] == (events, events)
    assert await graph_checksum(driver) == incremental
    # the bulk path dropped the full-text index during the load and created it again as it was
    index, _, _ = await driver.execute_query(fulltext.SHOW_INDEX, name=fulltext.INDEX_NAME)
    assert sorted(index[0]["labelsOrTypes"]) == sorted(fulltext.INDEXED_LABELS)
    assert sorted(index[0]["properties"]) == sorted(fulltext.INDEXED_PROPERTIES)
    detail = (await api.get(f"/api/v1/engagements/engagement-{fresh_period}-032034")).json()
    assert detail["counts"]["online_meetings"] == 16
    # the demo's attribution is part of what was rebuilt (so the checksum compared it): 71 TOOK_PART, 11 CONTRIBUTED_TO
    personal, _, _ = await driver.execute_query(
        "MATCH (e:Engagement {id: $eid}) RETURN COUNT { (e)-[:HAS_ACTIVITY]->()<-[:TOOK_PART]-() } AS took_part,"
        " COUNT { (e)-[:ACHIEVED]->()<-[:CONTRIBUTED_TO]-() } AS contributed",
        {"eid": f"engagement-{fresh_period}-032034"},
    )
    assert (personal[0]["took_part"], personal[0]["contributed"]) == (71, 11)


async def test_rebuild_of_a_wiped_projection_restores_it(
    api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "visits")
    before = await graph_checksum(driver)
    await driver.execute_query(f"MATCH (n) WHERE NOT ({NOT_PROJECTION}) DETACH DELETE n")
    assert (await api.get(f"/api/v1/engagements/{eid}")).status_code == 404

    await rebuild_projection(driver, clean.neo4j_database)

    assert await graph_checksum(driver) == before
    assert (await api.get(f"/api/v1/engagements/{eid}")).json()["stage"] == "visits"
