"""What a person reads in a problem is in their language: detail_ja is Japanese, detail stays English.

pydantic's validation errors, the API's own date rules and a workflow's refusal, each through the real app.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.integration.flows import MEETING, advance, post

pytestmark = pytest.mark.servers

# An English word: three ASCII letters in a row (pydantic's "Input should be …", "JSON decode error");
# the date format a person is asked to type is not one.
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def english_in(text: str) -> re.Match[str] | None:
    return ENGLISH_WORD.search(text.replace("YYYY-MM-DD", ""))


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


async def test_an_out_of_range_limit_reads_in_japanese(api: httpx.AsyncClient) -> None:
    body = problem(await api.get("/api/v1/experts", params={"q": "観光", "limit": 501}), 422)
    assert body["detail_ja"] == "入力内容に誤りがあります（件数: 100 以下で指定してください）"
    assert not english_in(body["detail_ja"])
    assert "less than or equal to 100" in body["detail"]  # English stays pydantic's
    assert body["errors"][0]["msg_ja"] == "件数: 100 以下で指定してください"


async def test_an_invalid_date_and_broken_json_read_in_japanese(api: httpx.AsyncClient, municipality_code: str) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    path = f"/api/v1/engagements/{eid}/activities"
    bad_date = problem(await post(api, path, MEETING | {"start_date": "2025-02-30"}), 422)
    assert "開始日: 日付を YYYY-MM-DD で入力してください" in bad_date["detail_ja"]
    assert not english_in(bad_date["detail_ja"]), bad_date["detail_ja"]
    assert bad_date["errors"][0]["msg"] not in bad_date["detail_ja"]
    not_json = await api.post(path, content=b"{not json", headers={"Content-Type": "application/json"})
    broken = problem(not_json, 422)
    assert broken["detail_ja"].startswith("リクエスト本文を JSON として読み取れません")


async def test_a_date_too_far_ahead_names_the_field_in_japanese(api: httpx.AsyncClient, municipality_code: str) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    response = await post(api, f"/api/v1/engagements/{eid}/activities", MEETING | {"start_date": "2099-01-01"})
    body = problem(response, 422)
    assert body["detail_ja"].startswith("開始日が未来すぎます（2099-01-01")
    assert "start_date" in body["detail"]


async def test_a_workflows_refusal_is_translated_at_the_edge(api: httpx.AsyncClient, municipality_code: str) -> None:
    eid = await advance(api, municipality_code, "application")
    body = problem(await post(api, f"/api/v1/engagements/{eid}/activities", MEETING), 409)
    assert body["code"] == "wrong_stage"
    assert body["detail_ja"].startswith("現在の段階（応募）では活動は記録できません")
    assert body["detail"].startswith("In the current stage (application), an activity cannot be recorded")
