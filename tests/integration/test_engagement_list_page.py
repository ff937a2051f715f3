"""伴走支援一覧 as the programme office uses it, on the real servers: filters chosen from the reference data,
names matched by a part (岩手 finds 岩手県), the team's ministries and the last contact in each row, paging
that says which rows it shows, a real empty state, and no header broken inside a word at a phone's or a
desk's width (screenshots under test-output/screenshots).

The module's graph holds the national reference data, the 大船渡 demo and a synthetic programme of 120
engagements (第11期 and 第12期, 60 each) for paging. 事務局 signs in once through Keycloak's own login page;
the HTML is then read with httpx carrying that real session, and the screenshots are taken in Chromium.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Browser, Page, expect
from temporalio.client import Client

from banso.synthetic.generate import FIRST_PERIOD, load_synthetic
from schemas.calendar import JST
from schemas.wareki import wareki
from services.graph.store.chain_key import load_or_create_chain_key
from services.settings import Settings
from tests.browser import SCREENSHOTS, chromium, served, sign_in
from tests.conftest import Keycloak, LoadedReference, next_period
from tests.integration.test_demo_and_experts import load

pytestmark = pytest.mark.servers

STAFF = "jimukyoku"
SYNTHETIC_FACTOR = 0.6  # 120 engagements: 第11期 and 第12期 of 60 each
PER_PERIOD = 60
JIS_FIRST = ["北海道", "青森県", "岩手県", "宮城県", "秋田県"]


@dataclass
class Site:
    url: str
    browser: Browser
    period: int  # the 大船渡 demo's period
    state: Any  # 事務局's signed-in browser storage (cookies)
    keycloak: Keycloak

    def client(self) -> httpx.AsyncClient:
        """An HTTP client carrying 事務局's session cookies."""
        cookies = httpx.Cookies()
        for c in self.state["cookies"]:
            cookies.set(c["name"], c["value"], domain=c["domain"], path=c["path"])
        return httpx.AsyncClient(base_url=self.url, cookies=cookies, timeout=60, follow_redirects=False)

    async def page(self, **params: str) -> str:
        async with self.client() as client:
            response = await client.get("/engagements", params=params)
        assert response.status_code == 200, response.text
        return response.text

    async def api(self, path: str, **params: str) -> Any:
        """The JSON API with 事務局's bearer token (the API takes tokens, the pages the session)."""
        headers = {"Authorization": f"Bearer {self.keycloak.token_for(STAFF)}"}
        async with httpx.AsyncClient(base_url=self.url, headers=headers, timeout=60) as client:
            response = await client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def tab(self, width: int) -> Page:
        context = await self.browser.new_context(
            locale="ja-JP", viewport={"width": width, "height": 900}, storage_state=self.state
        )
        return await context.new_page()


@pytest.fixture(scope="module")
async def site(
    module_api: httpx.AsyncClient,
    reference_module: LoadedReference,
    prepared: Settings,
    temporal: Client,
    driver: AsyncDriver,
    keycloak: Keycloak,
) -> AsyncIterator[Site]:
    period = next_period()
    await load(module_api, period)
    await load_synthetic(
        driver, prepared.neo4j_database, SYNTHETIC_FACTOR, chain_key=load_or_create_chain_key(prepared), batch=500
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        context = await browser.new_context(locale="ja-JP")
        tab = await context.new_page()
        await sign_in(tab, f"{url}/engagements", STAFF, keycloak.credentials.users[STAFF])
        state = await context.storage_state()
        await context.close()
        yield Site(url, browser, period, state, keycloak)


def text_of(fragment: str) -> str:
    """Markup as a reader sees it: no tags, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def rows(page: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    return re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []


def options(page: str, select_id: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each option of a select."""
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select, select_id
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))
    return [(html.unescape(v), html.unescape(t), bool(s)) for v, s, t in found]


def element(page: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, element_id
    return found.group(0)


def href(page: str, element_id: str) -> str:
    found = re.search(rf'<a id="{element_id}"[^>]* href="([^"]*)"', page)
    assert found, element_id
    return html.unescape(found.group(1))


async def test_a_part_of_a_prefecture_finds_its_engagements(site: Site) -> None:
    page = await site.page(prefecture="岩手", period=str(site.period))
    listed = rows(page)
    assert len(listed) == 1
    assert "大船渡市" in text_of(listed[0])
    assert "岩手県" in text_of(listed[0])
    # a value that is not one of the choices still shows as the chosen one, as typed
    assert ("岩手", "岩手（部分一致）", True) in options(page, "f-prefecture")
    # the full name from the dropdown finds the same engagement
    assert len(rows(await site.page(prefecture="岩手県", period=str(site.period)))) == 1
    # free text over municipality, prefecture and title; NFKC only for matching, the box keeps what was typed
    typed = "ｻｰｷｭﾗｰｴｺﾉﾐｰ"
    found = await site.page(q=typed)
    assert [text_of(r).split()[0] for r in rows(found)] == ["大船渡市"]
    assert f'value="{typed}"' in found
    assert len(rows(await site.page(q="大船渡", period=str(site.period)))) == 1
    # the API reads the same way
    api = await site.api("/api/v1/engagements", prefecture="岩手", period=str(site.period))
    assert [e["municipality_name"] for e in api["items"]] == ["大船渡市"]
    assert (await site.api("/api/v1/engagements", q=typed))["total"] == 1


async def test_dropdown_choices_come_from_the_reference_data(site: Site) -> None:
    page = await site.page()
    prefectures = options(page, "f-prefecture")
    assert prefectures[0][0] == ""  # any
    names = [v for v, _, _ in prefectures[1:]]
    assert len(names) == 47
    assert names[:5] == JIS_FIRST  # JIS order, as the reference data lists them
    assert names[-1] == "沖縄県"
    ministries = options(page, "f-ministry")
    values = [v for v, _, _ in ministries]
    assert {"内閣官房", "国土交通省", "文部科学省", "総務省"} <= set(values)
    # 外局 follow their ministry, indented
    assert values.index("観光庁") > values.index("国土交通省")
    assert ("観光庁", "\u3000観光庁", False) in ministries
    themes = [v for v, _, _ in options(page, "f-theme")]
    assert {"産業振興", "子育て支援", "環境"} <= set(themes)
    chosen = await site.page(ministry="国土交通省", theme="産業振興", stage="visits")
    assert ("国土交通省", "国土交通省", True) in options(chosen, "f-ministry")
    assert ("産業振興", "産業振興", True) in options(chosen, "f-theme")
    # English: prefectures by their English names, the value stays the Japanese name
    english = await site.page(lang="en")
    assert ("岩手県", "Iwate", False) in options(english, "f-prefecture")


async def test_paging_says_which_rows_and_keeps_the_filters(site: Site) -> None:
    period = str(FIRST_PERIOD)
    first = await site.page(period=period)
    assert len(rows(first)) == 50
    assert text_of(element(first, "page-range")) == f"1–50 / {PER_PERIOD}件"
    assert text_of(element(first, "result-count")) == f"{PER_PERIOD}件"
    assert 'id="page-prev"' not in first
    nxt = href(first, "page-next")
    assert nxt == f"/engagements?period={period}&offset=50"
    assert text_of(element(first, "page-next")) == f"次の{PER_PERIOD - 50}件 →"
    async with site.client() as client:
        second = (await client.get(nxt)).text
    assert len(rows(second)) == PER_PERIOD - 50
    assert text_of(element(second, "page-range")) == f"51–{PER_PERIOD} / {PER_PERIOD}件"
    assert 'id="page-next"' not in second
    assert href(second, "page-prev") == f"/engagements?period={period}"
    everything = await site.page(stage="closed", offset="50")
    prev = href(everything, "page-prev")
    assert prev == "/engagements?stage=closed"
    english = await site.page(period=period, lang="en")
    assert text_of(element(english, "page-range")) == f"1–50 of {PER_PERIOD}"
    # no rows repeat or go missing across the pages
    names = [text_of(r) for r in rows(first) + rows(second)]
    assert len(set(names)) == PER_PERIOD


async def test_the_empty_state_says_what_was_searched_and_how_to_clear_it(site: Site) -> None:
    typed = "ｿﾝｻﾞｲｼﾅｲ町"
    page = await site.page(q=typed, prefecture="岩手", stage="closed")
    assert "<table" not in page
    assert 'id="page-range"' not in page
    empty = element(page, "empty-state")
    assert "条件に合う伴走支援はありません" in text_of(empty)
    searched = text_of(element(page, "searched"))
    assert typed in searched  # as typed, not normalised
    assert "岩手" in searched
    assert "終了" in searched
    assert href(page, "clear-filters") == "/engagements"
    assert text_of(element(page, "result-count")) == "0件"
    assert 'id="downloads"' not in page


async def test_rows_show_the_teams_ministries_and_the_last_contact(site: Site) -> None:
    page = await site.page(prefecture="岩手県", period=str(site.period))
    (row,) = rows(page)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert f'href="/engagements/engagement-{site.period}-032034"' in cells[0]
    assert text_of(cells[0]) == "大船渡市"
    assert text_of(cells[1]) == "岩手県"
    assert re.findall(r"<li>([^<]+)</li>", cells[3]) == ["内閣官房", "国土交通省", "文部科学省"]
    detail = await site.api(f"/api/v1/engagements/engagement-{site.period}-032034")
    last = date.fromisoformat(detail["last_contact"])
    assert detail["ministries"] == ["内閣官房", "国土交通省", "文部科学省"]
    days = (datetime.now(JST).date() - last).days
    assert f'<time class="nowrap" datetime="{last.isoformat()}">{wareki(last)}</time>' in cells[4]
    assert f"{days}日前" in text_of(cells[4])
    assert text_of(cells[5]) == f"第{site.period}期"


async def header_lines(tab: Page) -> list[dict[str, Any]]:
    """Each header cell and each no-wrap cell: its text, how many lines its text takes, and the height of its
    text against one line's (a cell as tall as its row says nothing: the row follows its tallest cell)."""
    lines: list[dict[str, Any]] = await tab.evaluate(
        """() => [...document.querySelectorAll('table.engagements th, table.engagements td.nowrap')].map(c => {
             const tops = [];
             const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
             for (let n = walker.nextNode(); n; n = walker.nextNode()) {
               if (!n.textContent.trim()) continue;
               const r = document.createRange(); r.selectNodeContents(n);
               for (const rect of r.getClientRects()) {
                 if (!tops.some(t => Math.abs(t - rect.top) < 3)) tops.push(rect.top);
               }
             }
             const all = document.createRange(); all.selectNodeContents(c);
             return {text: c.innerText.trim(), header: c.tagName === 'TH', lines: tops.length,
                     height: all.getBoundingClientRect().height, line: parseFloat(getComputedStyle(c).lineHeight)};
           })"""
    )
    return lines


@pytest.mark.parametrize("width", [390, 1440])
async def test_no_header_breaks_inside_a_word_on_a_phone_or_a_desk(site: Site, width: int) -> None:
    tab = await site.tab(width)
    try:
        await tab.goto(f"{site.url}/engagements?period={FIRST_PERIOD}")
        await expect(tab.locator("#page-range")).to_have_text(f"1–50 / {PER_PERIOD}件")
        await tab.screenshot(path=str(SCREENSHOTS / f"engagement-list-{width}.png"), full_page=True)
        cells = await header_lines(tab)
        headers = [c for c in cells if c["header"]]
        assert [c["text"] for c in headers] == [
            "市町村",
            "都道府県",
            "段階",
            "チームの府省庁",
            "最終接触",
            "期",
            "支援テーマ",
            "題目",
        ]
        for c in cells:
            assert c["lines"] == 1, c
            assert c["height"] <= c["line"] * 1.3, c
        # the table scrolls within its own region; the region is never wider than the window
        box = await tab.locator(".list-scroll").bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= width + 1
        await tab.goto(f"{site.url}/engagements?q=%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84")
        await expect(tab.locator("#empty-state")).to_be_visible()
        await tab.screenshot(path=str(SCREENSHOTS / f"engagement-list-empty-{width}.png"), full_page=True)
        await tab.click("#clear-filters")
        await expect(tab.locator("#page-range")).to_contain_text("1–50 / ")
        await tab.click("#page-next")
        await expect(tab.locator("#page-range")).to_contain_text("51–100 / ")
    finally:
        await tab.context.close()
