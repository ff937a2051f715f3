"""Request bodies and helpers that move a test engagement through its lifecycle over the API."""

from __future__ import annotations

from typing import Any

import httpx

ACTOR: dict[str, str] = {}  # who writes is the token's principal (the default test client: the demo admin)
TEST_ACTOR = "user:kanri"

TEAM: dict[str, Any] = {
    "officials": [
        {
            "name": "石川 亨",
            "ministry": "国土交通省",
            "bureau": "水管理・国土保全局",
            "division": "総務課",
            "post": "総務課長",
        },
        {
            "name": "白水 伸英",
            "ministry": "内閣官房",
            "bureau": "内閣人事局",
            "post": "参事官",
            "seconded_from": "総務省",
        },
    ]
}
KICKOFF: dict[str, Any] = {
    "held_on": "2025-04-30",
    "title": "港を活かした産業振興",
    "themes": ["産業振興", "環境"],
}
SITE_VISIT: dict[str, Any] = {"kind": "site_visit", "start_date": "2025-05-29", "end_date": "2025-05-30"}
MEETING: dict[str, Any] = {"kind": "online_meeting", "start_date": "2025-05-08"}
COMPANY_VISIT: dict[str, Any] = {"kind": "company_visit", "start_date": "2025-07-15", "company_count": 3}
OUTCOME: dict[str, Any] = {
    "kind": "selection",
    "status": "in_progress",
    "description": "サーキュラーエコノミーポートへの選定を目指す",
    "related": [{"kind": "regional_bureau", "name": "東北地方整備局"}],
}
CLOSE: dict[str, Any] = {"closed_on": "2026-03-31", "summary": "最終報告を提出"}
WITHDRAW: dict[str, Any] = {"withdrawn_on": "2025-06-01", "reason": "本務多忙のため"}


def application(code: str, period: int = 2) -> dict[str, Any]:
    """A valid application body for municipality `code`."""
    return {
        "period": period,
        "municipality_code": code,
        "municipality_name": "テスト市",
        "prefecture": "東京都",
        "population": 12345,
        "challenges": ["人口減少", "港湾の活用"],
        "desired_themes": ["産業振興"],
    }


def engagement_id(code: str, period: int = 2) -> str:
    """The engagement id the API assigns."""
    return f"engagement-{period}-{code}"


async def post(api: httpx.AsyncClient, path: str, body: dict[str, Any], key: str | None = None) -> httpx.Response:
    """POST as the client's principal (with an Idempotency-Key when given)."""
    headers = dict(ACTOR)
    if key:
        headers["Idempotency-Key"] = key
    return await api.post(path, json=body, headers=headers)


async def command(api: httpx.AsyncClient, eid: str, name: str, body: dict[str, Any]) -> httpx.Response:
    """POST /engagements/{eid}/{name}."""
    return await post(api, f"/api/v1/engagements/{eid}/{name}", body)


async def advance(api: httpx.AsyncClient, code: str, through: str) -> str:
    """Create an engagement and move it up to and including stage `through`; returns its id."""
    eid = engagement_id(code)
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("application", "", application(code)),
        ("matching", "team", TEAM),
        ("kickoff", "kickoff", KICKOFF),
        ("visits", "activities", SITE_VISIT),
        ("outcomes", "outcomes", OUTCOME),
        ("closed", "close", CLOSE),
    ]
    for stage, name, body in steps:
        if name:
            response = await command(api, eid, name, body)
        else:
            response = await post(api, "/api/v1/applications", body)
        assert response.status_code in (200, 201), response.text
        assert response.json()["stage"] == stage
        if stage == through:
            return eid
    raise ValueError(f"unknown stage {through}")


async def event_log(api: httpx.AsyncClient, eid: str) -> dict[str, Any]:
    """GET the engagement's event log."""
    response = await api.get(f"/api/v1/engagements/{eid}/events")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
