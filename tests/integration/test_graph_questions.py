"""Connections, similar engagements, programme reuse and collaborators over the demo (loaded once)."""

from __future__ import annotations

import itertools

import httpx
import pytest

from tests.conftest import LoadedReference, next_period
from tests.integration.test_demo_and_experts import load

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
async def periods(module_api: httpx.AsyncClient, reference_module: LoadedReference) -> tuple[int, int]:
    """The demo in two periods, over the national reference data."""
    first, second = next_period(), next_period()
    await load(module_api, first)
    await load(module_api, second)
    return first, second


@pytest.fixture
def api(module_api: httpx.AsyncClient, periods: tuple[int, int]) -> httpx.AsyncClient:
    """The module's client."""
    return module_api


async def team(api: httpx.AsyncClient, engagement_id: str) -> dict[str, str]:
    detail = (await api.get(f"/api/v1/engagements/{engagement_id}")).json()
    return {m["name"]: m["official_id"] for m in detail["team"]}


async def test_team_mates_are_connected_through_their_team(api: httpx.AsyncClient, periods: tuple[int, int]) -> None:
    ids = await team(api, f"engagement-{periods[0]}-032034")
    response = await api.get(
        "/api/v1/connections", params={"from": f"official:{ids['石川 亨']}", "to": f"official:{ids['古田 匠']}"}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["source"]["name"] == "石川 亨"
    shortest = result["paths"][0]
    assert shortest["length"] == 2
    assert shortest["summary_ja"] == "石川 亨と古田 匠は同じチーム"
    assert [n["kind"] for n in shortest["nodes"]] == ["official", "team", "official"]
    assert shortest["steps"][0]["ja"].startswith("石川 亨は")


async def test_every_pair_of_demo_officials_is_explained(api: httpx.AsyncClient, periods: tuple[int, int]) -> None:
    people = await team(api, f"engagement-{periods[0]}-032034") | await team(api, f"engagement-{periods[0]}-202045")
    assert len(people) == 6
    for (a_name, a), (b_name, b) in itertools.combinations(sorted(people.items()), 2):
        result = (
            await api.get("/api/v1/connections", params={"from": f"official:{a}", "to": f"official:{b}", "max_hops": 6})
        ).json()
        assert result["paths"], (a_name, b_name)
        for path in result["paths"]:
            assert sum(s["hops"] for s in path["steps"]) == path["length"] == len(path["nodes"]) - 1
            assert path["nodes"][0]["name"] == a_name
            assert path["nodes"][-1]["name"] == b_name
            assert a_name in path["summary_ja"]
            assert b_name in path["summary_en"]


async def test_an_official_reaches_a_regional_bureau_through_the_work(
    api: httpx.AsyncClient, periods: tuple[int, int]
) -> None:
    ids = await team(api, f"engagement-{periods[0]}-032034")
    result = (
        await api.get("/api/v1/connections", params={"from": f"official:{ids['石川 亨']}", "to": "body:東北地方整備局"})
    ).json()
    assert result["paths"]
    path = result["paths"][0]
    assert path["nodes"][-1] == {"kind": "body", "key": "東北地方整備局", "name": "東北地方整備局"}
    assert "東北地方整備局" in path["summary_ja"]
    assert any("東北地方整備局" in s["ja"] for s in path["steps"])


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"from": "official:nobody", "to": "body:東北地方整備局"}, 404),
        ({"from": "castle:x", "to": "body:東北地方整備局"}, 422),
        ({"from": "official", "to": "body:東北地方整備局"}, 422),
        ({"from": "body:東北地方整備局", "to": "body:東北地方整備局"}, 422),
        ({"from": "body:東北地方整備局", "to": "prefecture:岩手県", "max_hops": 9}, 422),
    ],
)
async def test_bad_connection_questions_are_problems(
    api: httpx.AsyncClient, params: dict[str, str | int], status: int
) -> None:
    response = await api.get("/api/v1/connections", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_same_town_in_another_period_is_most_similar(
    api: httpx.AsyncClient, periods: tuple[int, int]
) -> None:
    first, second = periods
    result = (await api.get(f"/api/v1/engagements/engagement-{first}-032034/similar")).json()
    top = result[0]
    assert top["engagement_id"] == f"engagement-{second}-032034"
    kinds = {s["kind"] for s in top["shared"]}
    assert {"challenge", "theme", "body", "programme", "municipality"} <= kinds
    assert top["reason_ja"].startswith("共通点 — 課題: ")
    assert set(top["team"]) == {"石川 亨", "白水 伸英", "古田 匠"}
    assert all(r["engagement_id"] != f"engagement-{first}-032034" for r in result)


async def test_teams_sharing_a_regional_bureau(api: httpx.AsyncClient, periods: tuple[int, int]) -> None:
    first, second = periods
    result = (await api.get(f"/api/v1/engagements/engagement-{first}-032034/similar", params={"share": "body"})).json()
    assert [r["engagement_id"] for r in result] == [f"engagement-{second}-032034"]
    assert {s["kind"] for s in result[0]["shared"]} == {"body"}
    assert "東北地方整備局" in {s["name"] for s in result[0]["shared"]}


async def test_programmes_used_by_towns_with_the_same_challenges(
    api: httpx.AsyncClient, periods: tuple[int, int]
) -> None:
    first, second = periods
    result = (await api.get(f"/api/v1/engagements/engagement-{first}-032034/programme-reuse")).json()
    mirai = next(p for p in result if p["programme"] == "地域未来交付金")
    assert mirai["ministry"] == "内閣府"
    assert {x["engagement_id"] for x in mirai["experiences"]} == {f"engagement-{second}-032034"}
    assert all(x["event_id"] for x in mirai["experiences"])
    assert mirai["because"]


async def test_who_worked_with_a_body(api: httpx.AsyncClient, periods: tuple[int, int]) -> None:
    result = (await api.get("/api/v1/collaborators", params={"body": "東北地方整備局"})).json()
    assert {c["name"] for c in result} == {"石川 亨", "白水 伸英", "古田 匠"}
    for collaborator in result:
        assert {w["engagement_id"] for w in collaborator["work"]} == {f"engagement-{p}-032034" for p in periods}
        assert all(w["event_id"] for w in collaborator["work"])
    missing = await api.get("/api/v1/collaborators", params={"body": "存在しない局"})
    assert missing.status_code == 404


async def test_similar_for_an_unknown_engagement_is_404(api: httpx.AsyncClient) -> None:
    assert (await api.get("/api/v1/engagements/engagement-2-999999/similar")).status_code == 404
