"""The seed's 大船渡市 engagement loaded through the API; a lone kanji in expertise search."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from banso.demo.load import demo_steps
from tests.integration.flows import post

pytestmark = pytest.mark.servers


async def load(api: httpx.AsyncClient, period: int) -> list[dict[str, Any]]:
    responses = []
    for step in demo_steps(period):
        response = await api.post(
            step["path"],
            json=step["body"],
            headers={"X-Banso-Actor": "demo-loader", "Idempotency-Key": step["key"]},
        )
        assert response.status_code in (200, 201), response.text
        responses.append(response.json())
    return responses


class TestOfunatoDemo:
    async def test_carries_the_seed_facts(self, api: httpx.AsyncClient, fresh_period: int) -> None:
        await load(api, fresh_period)
        detail = (await api.get(f"/api/v1/engagements/engagement-{fresh_period}-032034")).json()
        assert detail["municipality_name"] == "大船渡市"
        assert detail["prefecture"] == "岩手県"
        assert detail["population"] == 31294
        assert detail["mayor"] == "瀧上 清"
        assert detail["title"] == "サーキュラーエコノミーポートを目指した産業振興と子育てにやさしい三陸の賑わい拠点へ"
        assert set(detail["themes"]) == {"産業振興", "子育て支援", "環境"}
        assert detail["counts"] == {
            "online_meetings": 16,
            "site_visits": 5,
            "company_visits": 4,
            "companies_visited": 8,
        }
        team = {m["name"]: m for m in detail["team"]}
        assert set(team) == {"石川 亨", "白水 伸英", "古田 匠"}
        assert team["白水 伸英"]["ministry"] == "内閣官房"
        assert team["白水 伸英"]["seconded_from"] == "総務省"
        assert team["石川 亨"]["post"] == "総務課長"
        assert team["古田 匠"]["division"] == "計画課"
        assert detail["stage"] == "outcomes"
        assert detail["outcomes"] == 9

    async def test_okaya_has_the_sources_ministries(self, api: httpx.AsyncClient, fresh_period: int) -> None:
        await load(api, fresh_period)
        detail = (await api.get(f"/api/v1/engagements/engagement-{fresh_period}-202045")).json()
        assert {m["ministry"] for m in detail["team"]} == {"防衛省", "経済産業省", "財務省"}

    async def test_loading_twice_adds_nothing(self, api: httpx.AsyncClient, fresh_period: int) -> None:
        first = await load(api, fresh_period)
        second = await load(api, fresh_period)
        assert first == second
        log = (await api.get(f"/api/v1/engagements/engagement-{fresh_period}-032034/events")).json()
        assert len(log["events"]) == 40
        assert log["chain_valid"] is True


class TestExpertsOverItsOwnData:
    async def test_a_lone_kanji_matches_inside_words(self, api: httpx.AsyncClient, fresh_period: int) -> None:
        await load(api, fresh_period)
        official = {"name": f"港湾 花子{fresh_period}", "ministry": "国土交通省", "bureau": "港湾局", "post": "係長"}
        assert (await post(api, "/api/v1/officials", {"official": official})).status_code == 201
        result = (await api.get("/api/v1/experts", params={"q": "港", "limit": 50})).json()
        texts = {ev["text"] for e in result["experts"] for ev in e["evidence"]}
        assert any("大船渡港" in t for t in texts), texts
        harbour = next(e for e in result["experts"] if e["name"] == official["name"])
        assert [(ev["kind"], ev["text"]) for ev in harbour["evidence"]] == [("post", "港湾局")]
        assert harbour["evidence"][0]["event_id"]
