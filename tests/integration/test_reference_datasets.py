"""The shipped national reference data, loaded through events, read back through the paged endpoints."""

from __future__ import annotations

import httpx
import pytest
from neo4j import AsyncDriver

from banso.reference.load import load_reference
from tests.conftest import LoadedReference
from tests.integration.flows import post
from tests.integration.test_demo_and_experts import load

pytestmark = pytest.mark.servers


@pytest.fixture
def api(module_api: httpx.AsyncClient, reference_module: LoadedReference) -> httpx.AsyncClient:
    """The module's API client over the graph with the reference data (never wiped in this module)."""
    return module_api


@pytest.fixture
def reference_data(reference_module: LoadedReference) -> LoadedReference:
    """What the module loaded."""
    return reference_module


async def event_count(driver: AsyncDriver) -> int:
    records, _, _ = await driver.execute_query("MATCH (e:Event) RETURN count(e) AS n")
    return int(records[0]["n"])


async def test_all_prefectures_and_municipalities_are_listed(
    api: httpx.AsyncClient, reference_data: LoadedReference
) -> None:
    prefectures = (await api.get("/api/v1/prefectures", params={"limit": 100})).json()
    assert prefectures["total"] == 47
    assert sum(p["municipalities"] for p in prefectures["items"]) == 1741
    assert [p["code"] for p in prefectures["items"]][:3] == ["01", "02", "03"]
    assert (await api.get("/api/v1/municipalities")).json()["total"] == 1741

    iwate = (await api.get("/api/v1/municipalities", params={"prefecture": "岩手県", "limit": 100})).json()
    assert iwate["total"] == 33
    by_code = (await api.get("/api/v1/municipalities", params={"prefecture": "03", "name": "大船渡"})).json()
    assert [(m["code"], m["name"], m["kind"]) for m in by_code["items"]] == [("032034", "大船渡市", "city")]
    villages = (await api.get("/api/v1/municipalities", params={"kind": "village", "limit": 1})).json()
    assert villages["total"] == 183
    wards = (await api.get("/api/v1/municipalities", params={"kind": "special_ward", "limit": 50})).json()
    assert wards["total"] == 23
    assert {m["prefecture"] for m in wards["items"]} == {"東京都"}


async def test_pages_carry_the_total(api: httpx.AsyncClient, reference_data: LoadedReference) -> None:
    page = (await api.get("/api/v1/prefectures", params={"limit": 10, "offset": 40})).json()
    assert page["total"] == 47
    assert [p["name"] for p in page["items"]] == [
        "佐賀県",
        "長崎県",
        "熊本県",
        "大分県",
        "宮崎県",
        "鹿児島県",
        "沖縄県",
    ]
    # full-width input is NFKC-normalised like everything else
    kana = (await api.get("/api/v1/municipalities", params={"name": "おおふなと"})).json()
    assert [m["name"] for m in kana["items"]] == ["大船渡市"]


async def test_ministries_with_their_agencies(api: httpx.AsyncClient, reference_data: LoadedReference) -> None:
    page = (await api.get("/api/v1/ministries", params={"limit": 100})).json()
    ministries = {m["name"]: m for m in page["items"]}
    for name in ("内閣官房", "内閣府", "デジタル庁", "復興庁", "国土交通省", "農林水産省", "経済産業省"):
        assert name in ministries, name
    assert "こども家庭庁" in ministries["内閣府"]["agencies"]
    assert "観光庁" in ministries["国土交通省"]["agencies"]
    assert {"林野庁", "水産庁"} <= set(ministries["農林水産省"]["agencies"])
    assert "中小企業庁" in ministries["経済産業省"]["agencies"]
    assert "東北地方整備局" in ministries["国土交通省"]["regional_bureaus"]
    assert "観光庁" not in ministries  # 外局 are listed under their ministry, not beside it
    assert page["total"] == len(page["items"])


async def test_regional_bureaus_cover_prefectures(api: httpx.AsyncClient, reference_data: LoadedReference) -> None:
    iwate = (await api.get("/api/v1/regional-bureaus", params={"prefecture": "岩手県", "limit": 100})).json()
    names = {b["name"] for b in iwate["items"]}
    assert {"東北地方整備局", "東北運輸局", "東北経済産業局", "東北農政局", "東北地方環境事務所", "東北財務局"} <= names
    assert "関東地方整備局" not in names
    mlit = (await api.get("/api/v1/regional-bureaus", params={"ministry": "国土交通省", "limit": 100})).json()
    assert mlit["total"] == 18  # 8 地方整備局 + 北海道開発局 + 9 地方運輸局 (沖縄総合事務局 is 内閣府)
    tohoku = next(b for b in mlit["items"] if b["name"] == "東北地方整備局")
    assert tohoku["prefectures"] == ["青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県"]
    everything = (await api.get("/api/v1/regional-bureaus", params={"limit": 500})).json()
    covered = {p for b in everything["items"] for p in b["prefectures"]}
    assert len(covered) == 47


async def test_a_second_load_writes_nothing(
    api: httpx.AsyncClient, driver: AsyncDriver, reference_data: LoadedReference
) -> None:
    before = await event_count(driver)
    assert before == reference_data.streams
    assert await load_reference(api, salt=reference_data.salt) == reference_data.streams
    assert await event_count(driver) == before


async def test_programmes_and_officials_show_their_engagements(
    api: httpx.AsyncClient, reference_data: LoadedReference, fresh_period: int
) -> None:
    assert (await api.get("/api/v1/funding-programmes")).json()["total"] == 14
    await load(api, fresh_period)
    programmes = (await api.get("/api/v1/funding-programmes", params={"limit": 100})).json()
    mirai = next(p for p in programmes["items"] if p["name"] == "地域未来交付金")
    assert mirai["ministry"] == "内閣府"
    assert f"engagement-{fresh_period}-032034" in {u["engagement_id"] for u in mirai["uses"]}
    assert all(u["event_id"] for u in mirai["uses"])

    officials = (await api.get("/api/v1/officials", params={"ministry": "国土交通省"})).json()
    assert officials["total"] >= 1
    engagements = {e["engagement_id"] for o in officials["items"] for e in o["engagements"]}
    assert f"engagement-{fresh_period}-032034" in engagements

    # 人事異動: 石川 亨 leaves on 2025-08-01; as of a day, only the teams they were on that day
    eid = f"engagement-{fresh_period}-032034"
    ishikawa = next(o for o in officials["items"] if o["name"] == "石川 亨")
    departure = {"official_id": ishikawa["official_id"], "left_on": "2025-08-01", "reason": "transfer"}
    assert (await post(api, f"/api/v1/engagements/{eid}/member-departures", departure)).status_code == 200

    async def teams_on(day: str) -> set[str]:
        page = (await api.get("/api/v1/officials", params={"name": "石川 亨", "as_of": day})).json()
        return {e["engagement_id"] for o in page["items"] for e in o["engagements"]}

    assert eid in await teams_on("2025-07-15")
    assert eid not in await teams_on("2025-09-01")

    city = (await api.get("/api/v1/municipalities", params={"name": "大船渡市"})).json()["items"][0]
    assert city["engagements"] == [f"engagement-{fresh_period}-032034"]
    assert city["mayor"]  # from the application, beside the listing's kana


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/prefectures", {"limit": 0}),
        ("/api/v1/municipalities", {"kind": "castle"}),
        ("/api/v1/municipalities", {"offset": -1}),
        ("/api/v1/officials", {"limit": 501}),
    ],
)
async def test_bad_paging_and_filters_are_problems(
    api: httpx.AsyncClient, path: str, params: dict[str, int | str]
) -> None:
    response = await api.get(path, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
