"""The seed's 大船渡市 engagement loaded through the API, and expertise search over it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from banso.demo.load import demo_steps

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
        assert len(log["events"]) == 37
        assert log["chain_valid"] is True


class TestExperts:
    @pytest.mark.parametrize("q", ["港湾", "port", "港", "ＰＯＲＴ", "harbour"])
    async def test_port_words_find_the_ofunato_team_with_evidence(
        self, api: httpx.AsyncClient, fresh_period: int, q: str
    ) -> None:
        await load(api, fresh_period)
        eid = f"engagement-{fresh_period}-032034"
        result = (await api.get("/api/v1/experts", params={"q": q})).json()
        names = {e["name"] for e in result["experts"]}
        assert {"石川 亨", "白水 伸英", "古田 匠"} <= names
        assert not names & {"支援官（防衛省・氏名未掲載）"}
        expert = next(e for e in result["experts"] if e["name"] == "石川 亨")
        kinds = {ev["kind"] for ev in expert["evidence"]}
        assert {"title", "outcome", "body:FundingProgram"} <= kinds
        log = (await api.get(f"/api/v1/engagements/{eid}/events")).json()
        ids = {e["id"]: e["sequence"] for e in log["events"]}
        for ev in expert["evidence"]:
            assert ev["engagement_id"] == eid
            assert ids[ev["event_id"]] == ev["event_sequence"]

    async def test_regional_bureau_is_evidence(self, api: httpx.AsyncClient, fresh_period: int) -> None:
        await load(api, fresh_period)
        result = (await api.get("/api/v1/experts", params={"q": "東北地方整備局"})).json()
        assert {e["name"] for e in result["experts"]} == {"石川 亨", "白水 伸英", "古田 匠"}
        for expert in result["experts"]:
            assert {ev["kind"] for ev in expert["evidence"]} == {"body:RegionalBureau"}

    async def test_unrelated_words_find_nobody(self, api: httpx.AsyncClient, fresh_period: int) -> None:
        await load(api, fresh_period)
        result = (await api.get("/api/v1/experts", params={"q": "宇宙開発"})).json()
        assert result["experts"] == []

    @pytest.mark.parametrize("q", ['港" OR 1=1', "*", "港) RETURN 1 //", "' } MATCH (n) DETACH DELETE n //"])
    async def test_query_syntax_in_input_is_just_text(self, api: httpx.AsyncClient, fresh_period: int, q: str) -> None:
        await load(api, fresh_period)
        response = await api.get("/api/v1/experts", params={"q": q})
        assert response.status_code == 200
        assert (await api.get("/api/v1/engagements")).json()["total"] == 2

    async def test_empty_query_is_422(self, api: httpx.AsyncClient) -> None:
        assert (await api.get("/api/v1/experts", params={"q": ""})).status_code == 422
