"""Subjects that connect: challenges, themes and outcomes about one subject word link their engagements,
the connection says so in words, an empty bounded answer says how far the nearest path is, and a
rebuild of the log draws the same subjects."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver

from schemas.text import municipality_check_digit
from services.graph.store.rebuild import rebuild_projection
from services.settings import Settings
from tests.integration.flows import KICKOFF, OUTCOME, TEAM, application, command, engagement_id, post
from tests.integration.graph_dump import graph_checksum

pytestmark = pytest.mark.servers

HARBOUR = "港湾"


def okinawa_code(code: str) -> str:
    """A second code for the test: the fixture's fresh Tokyo number under 沖縄県's prefix (47), which no
    other test uses."""
    first_five = "47" + code[2:5]
    return first_five + municipality_check_digit(first_five)


async def apply(api: httpx.AsyncClient, code: str, challenges: list[str]) -> str:
    prefecture = "沖縄県" if code.startswith("47") else "東京都"
    body: dict[str, Any] = application(code) | {
        "challenges": challenges,
        "desired_themes": [],
        "prefecture": prefecture,
    }
    response = await post(api, "/api/v1/applications", body)
    assert response.status_code in (200, 201), response.text
    return engagement_id(code)


async def two_towns(api: httpx.AsyncClient, code: str) -> tuple[str, str]:
    """Two engagements in two prefectures whose challenges differ in wording but share the subject 港湾
    (and nothing else: no desired themes, no team yet)."""
    a = await apply(api, code, ["港湾の活性化"])
    b = await apply(api, okinawa_code(code), ["港湾計画の見直しと企業誘致"])
    return a, b


async def connect(api: httpx.AsyncClient, a: str, b: str, max_hops: int) -> dict[str, Any]:
    params: dict[str, str | int] = {"from": f"engagement:{a}", "to": f"engagement:{b}", "max_hops": max_hops}
    response = await api.get("/api/v1/connections", params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_engagements_whose_challenges_share_a_subject_are_connected_through_it(
    api: httpx.AsyncClient, municipality_code: str
) -> None:
    a, b = await two_towns(api, municipality_code)

    result = await connect(api, a, b, 4)

    through = [p for p in result["paths"] if {"kind": "subject", "key": HARBOUR, "name": HARBOUR} in p["nodes"]]
    assert through, result
    path = through[0]
    assert [n["kind"] for n in path["nodes"]] == ["engagement", "challenge", "subject", "challenge", "engagement"]
    assert path["length"] == 4 == sum(s["hops"] for s in path["steps"])
    assert [s["hops"] for s in path["steps"]] == [1, 2, 1]
    assert path["steps"][1]["ja"] == "同じ課題：港湾（「港湾の活性化」と「港湾計画の見直しと企業誘致」）"
    assert path["steps"][1]["en"].startswith("Same subject of challenges: 港湾")
    assert "同じ課題：港湾" in path["summary_ja"]
    assert result["nearest_hops"] is None
    assert result["note_ja"] is None


async def test_an_empty_bounded_answer_says_how_far_the_nearest_connection_is(
    api: httpx.AsyncClient, municipality_code: str
) -> None:
    a, b = await two_towns(api, municipality_code)

    result = await connect(api, a, b, 3)

    assert result["paths"] == []
    assert result["nearest_hops"] == 4
    assert result["nearest_bound"] == 10
    assert result["note_ja"] == "3 ホップ以内のつながりはありません。最短のつながりは 4 ホップです。"
    assert result["note_en"] == "No connection within 3 hops. The nearest is 4 hops away."


async def test_an_answer_with_no_path_even_within_the_bound_says_so(
    api: httpx.AsyncClient, municipality_code: str
) -> None:
    a = await apply(api, municipality_code, ["港湾の活性化"])
    lone = {"kind": "funding_program", "name": "どこにもつながらない交付金", "parent_ministry": "内閣府"}
    assert (await post(api, "/api/v1/bodies", lone)).status_code == 201
    params: dict[str, str | int] = {"from": f"engagement:{a}", "to": "body:どこにもつながらない交付金", "max_hops": 4}
    result = (await api.get("/api/v1/connections", params=params)).json()
    assert result["paths"] == []
    assert result["nearest_hops"] is None
    assert result["note_ja"] == "4 ホップ以内のつながりはありません。10 ホップ以内にもありません。"


async def test_subjects_are_rebuilt_identically_from_the_log(
    api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings, municipality_code: str
) -> None:
    a, _ = await two_towns(api, municipality_code)
    for name, body in (("team", TEAM), ("kickoff", KICKOFF), ("outcomes", OUTCOME)):
        response = await command(api, a, name, body)
        assert response.status_code == 200, response.text
    records, _, _ = await driver.execute_query(
        "MATCH (n)-[:ABOUT]->(s:Subject) RETURN labels(n)[0] AS label, count(*) AS edges ORDER BY label"
    )
    about = {r["label"]: r["edges"] for r in records}
    assert set(about) == {"Challenge", "Theme", "Outcome"}, about
    incremental = await graph_checksum(driver)

    await rebuild_projection(driver, clean.neo4j_database, batch=3)

    assert await graph_checksum(driver) == incremental
