"""有識者検索 as an analyst reads it: the API's filters on the page, the hit count, evidence kinds and scores
explained in Japanese, personal vs team evidence, readable errors for a hand-edited URL, and the page at a
phone's and a desk's width (screenshots under test-output/screenshots).

The analyst (分析担当) signs in once through Keycloak's own login page; the server-rendered HTML is then read
with httpx carrying that real session, and the screenshots are taken in Debian's Chromium.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Browser
from temporalio.client import Client

from services.settings import Settings
from tests.browser import SCREENSHOTS, chromium, served, sign_in
from tests.conftest import Keycloak, next_period
from tests.integration.test_demo_and_experts import load

pytestmark = pytest.mark.servers

ANALYST = "bunseki"
ENGLISH_KINDS = ("outcome", "activity", "challenge", "theme", "programme", "title", "body", "introduction")


@dataclass
class Site:
    url: str
    browser: Browser
    period: int
    state: Any  # the analyst's signed-in browser storage (cookies)

    def client(self) -> httpx.AsyncClient:
        """An HTTP client carrying the analyst's session cookies."""
        cookies = httpx.Cookies()
        for c in self.state["cookies"]:
            cookies.set(c["name"], c["value"], domain=c["domain"], path=c["path"])
        return httpx.AsyncClient(base_url=self.url, cookies=cookies, timeout=60, follow_redirects=False)


@pytest.fixture(scope="module")
async def site(
    module_api: httpx.AsyncClient, prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
) -> AsyncIterator[Site]:
    period = next_period()
    await load(module_api, period)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        context = await browser.new_context(locale="ja-JP")
        tab = await context.new_page()
        await sign_in(tab, f"{url}/experts", ANALYST, keycloak.credentials.users[ANALYST])
        state = await context.storage_state()
        await context.close()
        yield Site(url, browser, period, state)


async def page_of(site: Site, **params: str) -> tuple[int, str]:
    async with site.client() as client:
        response = await client.get("/experts", params=params)
    return response.status_code, response.text


def experts_in(page: str) -> list[str]:
    heads = re.findall(r'<li class="expert"[^>]*>\s*<div class="expert-head">\s*<h2>([^<]+)</h2>', page)
    return [html.unescape(n) for n in heads]


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: no tags, no attribute values."""
    body = page.split("<main", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


async def test_the_hit_count_evidence_kinds_and_badges_read_in_japanese(site: Site) -> None:
    status, page = await page_of(site, q="港")
    assert status == 200
    names = experts_in(page)
    assert "石川 亨" in names, names
    count = re.search(r'<p id="hit-count"[^>]*>(\d+)名が該当', page)
    assert count is not None, page
    assert int(count.group(1)) >= len(names) > 0
    text = visible_text(page)
    for japanese in ("本人", "チーム", "なぜ？", "関連度", "新しさ", "重み", "半減期", "検索した語"):
        assert japanese in text, japanese
    assert re.search(r"本人・(主担当|参加|貢献|紹介|所属)", text), "a personal badge names the part the official took"
    kinds = set(re.findall(r'<span class="kind">([^<]+)</span>', page))
    assert kinds, page
    japanese_kinds = {"支援の題目", "支援テーマ", "市町村の課題", "活動", "成果", "関係機関", "制度・事業"}
    japanese_kinds |= {"所属", "紹介"}
    assert kinds <= japanese_kinds, kinds
    words = set(re.findall(r"[A-Za-z]+", text))
    assert not words & set(ENGLISH_KINDS), words & set(ENGLISH_KINDS)
    assert "令和" in text  # dates in 和暦
    terms = page.split('id="terms"', 1)[1].split("</details>", 1)[0]
    assert "入力した語" in terms  # the searched terms, each with why
    assert re.search(r"(辞書（JMdict）|事業の用語集)（「港」から）", html.unescape(terms)), terms
    assert f"第{site.period}期" in text
    assert re.search(rf'<a href="/engagements/engagement-{site.period}-\d+">大船渡市</a>', page)


async def test_the_english_page_says_it_in_english(site: Site) -> None:
    status, page = await page_of(site, q="港", lang="en")
    assert status == 200
    text = visible_text(page)
    assert re.search(r"Officials matched: \d+", text)
    assert "Why?" in text
    assert "Personal" in text
    assert "本人の実績" not in text
    assert "なぜ" not in text


async def test_filters_narrow_the_results(site: Site) -> None:
    _, everyone = await page_of(site, q="港")
    all_names = experts_in(everyone)
    assert len(all_names) >= 2, all_names

    _, mlit = await page_of(site, q="港", ministry="国土交通省")
    narrowed = experts_in(mlit)
    assert "石川 亨" in narrowed
    assert set(narrowed) < set(all_names)
    assert re.search(r'<option value="国土交通省" selected>', mlit)  # the form shows what was chosen

    _, this_period = await page_of(site, q="港", period=str(site.period))
    assert "石川 亨" in experts_in(this_period)
    _, other_period = await page_of(site, q="港", period=str(site.period + 1))
    assert experts_in(other_period) == []
    empty = visible_text(other_period)
    assert "当てはまる記録のある支援官はいません" in empty
    assert "絞り込み" in empty
    assert 'id="hit-count"' not in other_period

    _, busy = await page_of(site, q="港", availability="on_team")
    _, free = await page_of(site, q="港", availability="free")
    assert "石川 亨" in experts_in(busy)
    assert "石川 亨" not in experts_in(free)
    assert 'class="badge free"' not in busy
    assert 'class="badge busy"' not in free

    _, one = await page_of(site, q="港", limit="10")
    assert len(experts_in(one)) <= 10

    _, before = await page_of(site, q="港", as_of="2000-01-02")  # before anything happened
    assert experts_in(before) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "abc"}, "期は1〜99の数字で指定してください"),
        ({"as_of": "2026-13-01"}, "日付として読めません"),
        ({"availability": "busy"}, "稼働状況は一覧から選んでください"),
        ({"seniority": "boss"}, "役職の区分は一覧から選んでください"),
        ({"ministry": "存在しない省"}, "所属の人はいません"),
        ({"limit": "1000"}, "件数は1〜100で指定してください"),
    ],
)
async def test_a_filter_the_form_could_not_send_is_named_not_a_500(
    site: Site, params: dict[str, str], message: str
) -> None:
    status, page = await page_of(site, q="港", **params)
    assert status == 422
    assert 'id="filter-errors"' in page
    assert message in visible_text(page)
    assert experts_in(page) == []  # nothing was searched


async def test_the_page_at_a_phones_and_a_desks_width(site: Site) -> None:
    violations: list[str] = []
    for width in (390, 1440):
        context = await site.browser.new_context(
            locale="ja-JP", viewport={"width": width, "height": 900}, storage_state=site.state
        )
        tab = await context.new_page()
        tab.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        await tab.goto(f"{site.url}/experts?q=港")
        await tab.locator("#hit-count").wait_for()
        await tab.locator(".expert .why summary").first.click()  # the explanation opens
        assert await tab.locator(".expert .why table").first.is_visible()
        overflow = await tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
        await tab.screenshot(path=str(SCREENSHOTS / f"experts-{width}.png"), full_page=True)
        await context.close()
    assert violations == []
