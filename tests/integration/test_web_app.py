"""The back office in a real headless Chromium over real HTTP, on the real servers, with the 大船渡 demo."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Browser, Page, expect
from temporalio.client import Client

from banso.demo.load import period_steps
from services.settings import Settings
from tests.browser import SCREENSHOTS, chromium, served
from tests.conftest import api_client, next_period
from tests.integration.flows import KICKOFF, MEETING, advance, command
from tests.integration.test_demo_and_experts import load
from tests.integration.test_periods import swappable
from tests.integration.test_timers import wait_for_state

pytestmark = pytest.mark.servers


@dataclass(frozen=True)
class Site:
    """The served app, the browser, and the demo's periods."""

    url: str
    browser: Browser
    period: int  # the demo engagements, changed by the tests that write
    pristine: int  # the demo engagements again, only read
    matching: int  # the demo 第N期 intake with its first proposal


@pytest.fixture(scope="module")
async def site(
    module_api: httpx.AsyncClient, prepared: Settings, temporal: Client, driver: AsyncDriver
) -> AsyncIterator[Site]:
    period, pristine, matching = next_period(), next_period(), next_period()
    await load(module_api, period)
    await load(module_api, pristine)
    for step in period_steps(matching):
        response = await module_api.post(
            step["path"], json=step["body"], headers={"X-Banso-Actor": "demo-loader", "Idempotency-Key": step["key"]}
        )
        assert response.status_code in (200, 201), response.text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(prepared, temporal, driver) as url, chromium() as browser:
        yield Site(url, browser, period, pristine, matching)


@pytest.fixture
async def page(site: Site) -> AsyncIterator[Page]:
    context = await site.browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    tab = await context.new_page()
    yield tab
    await context.close()


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def events(site: Site, engagement_id: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=site.url) as client:
        log: list[dict[str, Any]] = (await client.get(f"/api/v1/engagements/{engagement_id}/events")).json()["events"]
    return log


async def test_cockpit_shows_the_period_and_links_to_the_list(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/?period={site.period}")
    await expect(page.locator("h1")).to_contain_text(f"第{site.period}期")
    await expect(page.locator("#fig-officials .n")).to_have_text("6")
    await expect(page.locator("#fig-teams .n")).to_have_text("2")
    await expect(page.locator("#fig-municipalities .n")).to_have_text("2")
    await shot(page, "cockpit")
    await page.click("a[data-stage='outcomes']")
    await expect(page).to_have_url(re.compile(rf"period={site.period}&stage=outcomes"))
    await expect(page.locator("#result-count")).to_have_text("1件")


async def test_cockpit_lists_stalled_engagements_and_reports_falling_due(
    site: Site, page: Page, prepared: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
) -> None:
    settings = prepared.model_copy(update={"stall_after_days": 3 / 86400})  # days take seconds
    due = date.today() + timedelta(days=20)
    async with api_client(settings, temporal, driver) as api:
        eid = await advance(api, municipality_code, "matching")
        assert (await command(api, eid, "kickoff", KICKOFF | {"final_report_due": due.isoformat()})).status_code == 200
        assert (await command(api, eid, "activities", MEETING)).status_code == 200
        await wait_for_state(api, eid, "stalled", True)
    await page.goto(f"{site.url}/?period=2")
    quiet = (date.today() - date.fromisoformat(MEETING["start_date"])).days
    stalled = page.locator("section", has=page.locator("h2", has_text="停滞中の伴走支援"))
    await expect(stalled.locator(f"a[href='/engagements/{eid}']")).to_be_visible()
    await expect(stalled).to_contain_text(f"最終接触から{quiet}日")
    reports = page.locator("section", has=page.locator("h2", has_text="最終報告の期限"))
    await expect(reports).to_contain_text("あと20日")
    await page.click("a[href='/engagements?period=2&stalled=true']")
    await expect(page.locator("#result-count")).to_have_text("1件")
    await expect(page.locator("#f-stalled")).to_be_checked()


async def test_list_filters_live_in_the_url(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/engagements")
    await page.select_option("#f-period", str(site.period))
    await page.fill("#f-prefecture", "岩手県")
    await page.fill("#f-ministry", "国土交通省")
    await page.click("form.filters button[type=submit]")
    await expect(page.locator("#result-count")).to_have_text("1件")
    assert "prefecture=%E5%B2%A9%E6%89%8B%E7%9C%8C" in page.url
    shared = page.url
    await shot(page, "engagements")
    other = await page.context.new_page()
    await other.goto(shared)  # a bookmarked or shared view shows the same list
    await expect(other.locator("table.list tbody tr")).to_have_count(1)
    await other.click("text=大船渡市（岩手県）")
    await expect(other.locator("h1")).to_contain_text("サーキュラーエコノミーポート")


async def test_record_a_site_visit_through_the_form(site: Site, page: Page) -> None:
    engagement_id = f"engagement-{site.period}-032034"
    before = len(await events(site, engagement_id))
    await page.goto(f"{site.url}/engagements/{engagement_id}")
    await expect(page.locator("#h-basic + dl")).to_contain_text("31,294人（令和8年2月末時点）")
    await page.fill("#in-actor", "cao.suzuki")
    await page.select_option("#in-kind", "site_visit")
    await page.click("form[aria-label] button[type=submit]")  # no start date: refused, shown at the field
    await expect(page.locator("#err-start_date")).to_be_visible()
    await expect(page.locator("#in-start_date")).to_have_attribute("aria-invalid", "true")
    assert len(await events(site, engagement_id)) == before
    await page.fill("#in-start_date", "2026-11-20")
    await page.fill("#in-place", "大船渡港 野々田ふ頭")
    await page.click("form[aria-label] button[type=submit]")
    await expect(page.locator("[role=status]")).to_have_text("記録しました")
    fresh = page.locator(".timeline .ev.fresh")
    await expect(fresh).to_contain_text("現地訪問")
    await expect(fresh).to_contain_text("大船渡港 野々田ふ頭")
    await expect(fresh).to_contain_text("令和8年11月20日")
    await shot(page, "engagement")
    log = await events(site, engagement_id)
    assert len(log) == before + 1
    assert log[-1]["actor"] == "cao.suzuki"
    await page.reload()  # the redirect's page reloaded: no second event
    assert len(await events(site, engagement_id)) == before + 1


async def test_expertise_search_follows_evidence_to_the_timeline(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/experts")
    await page.fill("#q", "港湾")
    await page.press("#q", "Enter")
    first = page.locator(".expert").filter(has_text="石川 亨").first
    await expect(first).to_be_visible()
    await shot(page, "experts")
    link = first.locator(".evidence a").first
    href = await link.get_attribute("href")
    assert href is not None
    await link.click()
    event_id = href.split("#event-")[1]
    await expect(page.locator(f"#event-{event_id}")).to_be_visible()
    assert await page.evaluate("location.hash") == f"#event-{event_id}"


SEED_FACTS = [
    "大船渡市（岩手県）「サーキュラーエコノミーポートを目指した産業振興と子育てにやさしい三陸の賑わい拠点へ」",
    "産業振興×子育て支援×環境",
    "人口：31,294人",
    "令和8年2月末時点",
    "市長：瀧上 清",
    "現地訪問：5回 (5/29-30、8/1-3、11/25-26、R8 2/19-20、5/14-15)",
    "首都圏の企業訪問：8社 (7/15-16、R8 1/29、2/10、3/11)",
    "オンライン会議：16回 (4/30、5/8、5/16、6/4、6/30、7/2、7/31、9/12、9/17、11/7、11/27、12/24、"
    "R8 1/8、3/4、3/30、4/28)",
    "①石川 亨 国土交通省水管理・国土保全局総務課長",
    "②白水 伸英 内閣官房内閣人事局参事官(総務省)",
    "③古田 匠 文部科学省大臣官房文教施設企画・防災部計画課専門官",
    "※カッコ内は出向元省庁",
    "全国的な人口減少",
    "大規模林野火災",
    "○産業振興・企業誘致等の取組",
    "関係企業等へのヒアリング・誘致の調整・同席",
    "アンケートの実施、企業誘致を中心とした産業振興指針の策定等",
    "○子ども子育て環境の充実に資する取組",
    "企業誘致に向けた条例の改正、被災木の利用、連携協定の締結",
    "○交流人口の拡大に関する取組",
    "【産業振興】",
    "サーキュラーエコノミーポートへの選定を目指す",
    "首都圏の一社が市への工場進出を検討するため現地を視察",
    "市の企業立地奨励条例等を改正し、対象業種を追加",
    "大手企業の一社が立地を前向きに検討中",
    "【交流人口の拡大】",
    "地域未来交付金の申請を支援",
    "DMO等と連携し観光庁事業に応募",
    "東北地方整備局",
    "岩手県農林水産部",
    "内閣官房",
]


async def test_the_report_carries_every_fact_of_the_seed_page(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/engagements/engagement-{site.pristine}-032034/report")
    text = await page.locator("#report").inner_text()
    missing = [fact for fact in SEED_FACTS if fact not in text]
    assert missing == []
    await shot(page, "report")
    pdf = await page.pdf(path=str(SCREENSHOTS / "report.pdf"), format="A4", landscape=True, print_background=True)
    assert pdf.startswith(b"%PDF")


async def test_the_json_report_has_the_facts_the_page_prints(site: Site) -> None:
    """GET /api/v1/engagements/{id}/report is the same fold the printable page renders."""
    eid = f"engagement-{site.pristine}-032034"
    async with httpx.AsyncClient(base_url=site.url) as client:
        answer = await client.get(f"/api/v1/engagements/{eid}/report")
        page_text = html.unescape((await client.get(f"/engagements/{eid}/report")).text)
        unknown = await client.get("/api/v1/engagements/engagement-99-999999/report")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["engagement_id"] == eid
    headings = list(report["outcomes"])
    assert headings
    assert re.findall(r"<h3>【(.+?)】</h3>", page_text) == headings
    outcomes = [o["description"] for items in report["outcomes"].values() for o in items]
    assert page_text.count('<span class="status">') == len(outcomes)
    assert all(text in page_text for text in outcomes)
    assert report["officials"]
    assert all(f"{o['mark']}{o['name']} {o['post_line']}" in page_text for o in report["officials"])
    for line in ("site_visits", "company_visits", "online_meetings"):
        assert report[line]["dates"] in page_text
    assert f"{report['municipality_name']}（{report['prefecture']}）「{report['title']}」" in page_text
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")


async def test_audit_view_shows_the_chain_and_exports_the_log(site: Site, page: Page) -> None:
    engagement_id = f"engagement-{site.pristine}-032034"
    await page.goto(f"{site.url}/engagements/{engagement_id}/audit")
    await expect(page.locator("#verdict")).to_contain_text("ハッシュチェーンは正しくつながっています (40件)")
    await expect(page.locator("#seals")).to_contain_text("40件の封印をデータベースにない鍵")
    await expect(page.locator("table.audit tbody tr")).to_have_count(40)
    await expect(page.locator("table.audit tbody tr").first).to_contain_text("demo-loader")
    await shot(page, "audit")
    async with page.expect_download() as download_info:
        await page.click("text=ログをJSONで書き出す")
    download = await download_info.value
    path = await download.path()
    assert '"prev_hash"' in path.read_text(encoding="utf-8")


async def test_graph_explorer_starts_from_an_official_by_name(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/explorer")
    await page.select_option("#x-kind", "official")
    await page.fill("#x-key", "石川 亨")
    await page.press("#x-key", "Enter")
    await expect(page.locator("#graph-list button").filter(has_text="(team)").first).to_be_visible()


async def test_graph_explorer_expands_neighbours(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/explorer?kind=engagement&key=engagement-{site.pristine}-032034")
    buttons = page.locator("#graph-list button")
    await expect(buttons.first).to_be_visible()
    count = await buttons.count()
    await buttons.filter(has_text="(municipality)").first.click()
    await expect(buttons).not_to_have_count(count)
    await shot(page, "explorer")


async def test_matching_review_swap_and_approve(site: Site, page: Page) -> None:
    async with httpx.AsyncClient(base_url=site.url) as client:
        proposal = (await client.get(f"/api/v1/periods/{site.matching}/proposal")).json()
    a, b = swappable(proposal)
    await page.goto(f"{site.url}/periods/{site.matching}")
    await expect(page.locator("table.proposal tbody tr")).to_have_count(6)
    await shot(page, "period")
    await page.select_option("#swap-a", a["official_id"])
    await page.select_option("#swap-b", b["official_id"])
    await page.fill("#swap-reason", "地元との関係を優先")
    await page.fill("#swap-actor", "cao.reviewer")
    await page.click("form[aria-labelledby=h-swap] button")
    await expect(page.locator("[role=status]")).to_be_visible()
    await expect(page.locator(f"li[data-official='{a['official_id']}']")).to_have_count(1)
    untouched = next(t for t in proposal["teams"] if a not in t["members"] and b not in t["members"])
    kept = untouched["members"][0]
    member = f"{kept['official_id']}@{untouched['municipality_code']}"
    await page.select_option("#lock-member", member)
    await page.fill("#lock-actor", "cao.reviewer")
    await page.click("form[aria-labelledby=h-lock] button")  # no reason: refused, nothing written
    await expect(page.locator("#decision-errors")).to_contain_text("reason")
    await page.select_option("#lock-member", member)
    await page.fill("#lock-reason", "本人の希望")
    await page.fill("#lock-actor", "cao.reviewer")
    await page.click("form[aria-labelledby=h-lock] button")
    await expect(page.locator(f"li[data-official='{kept['official_id']}'] .badge")).to_have_text("固定")
    await page.fill("#approve-actor", "cao.reviewer")
    await page.click("form[aria-labelledby=h-approve] button")
    await expect(page.locator("#phase")).to_have_attribute("data-phase", "approved")
    await expect(page.locator("#phase")).to_have_text("決定済み")
    started = page.locator("a[href^='/engagements/engagement-']")
    await expect(started).to_have_count(6)


UNLABELED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(el => !(el.id && document.querySelector(`label[for="${el.id}"]`)) && !el.getAttribute('aria-label'))
    .map(el => el.name)"""


async def test_keyboard_reaches_every_control_and_every_control_has_a_label(site: Site, page: Page) -> None:
    engagement = f"/engagements/engagement-{site.pristine}-032034"
    pages = ["/", "/engagements", "/experts?q=港湾", "/explorer", f"/periods/{site.matching}", engagement]
    pages += [f"{engagement}?form={form}" for form in ("coordination", "introduction")]
    for path in pages:
        await page.goto(f"{site.url}{path}")
        assert await page.evaluate(UNLABELED) == [], path
    await page.goto(f"{site.url}{engagement}?form=outcome")
    assert await page.evaluate(UNLABELED) == []
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.className") == "skip"
    seen: set[str] = set()
    for _ in range(200):
        await page.keyboard.press("Tab")
        seen.add(await page.evaluate("document.activeElement.id || ''"))
        if "in-description" in seen:
            break
    assert {"in-actor", "in-kind", "in-status", "in-description"} <= seen


async def test_english_switch_keeps_the_choice(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/?period={site.period}")
    await page.click("a.lang")
    await expect(page.locator("h1")).to_contain_text(f"Cockpit — Period {site.period}")
    await page.click("text=Engagements")
    await expect(page.locator("h1")).to_have_text("Engagements")


async def test_unknown_pages_answer_404_in_html(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.url) as client:
        for path in ("/engagements/engagement-99-999999", "/engagements/nope", "/periods/98", "/nothing-here"):
            response = await client.get(path)
            assert response.status_code == 404, path
        response = await client.post(f"/engagements/engagement-{site.pristine}-032034/record/unknown", data={})
        assert response.status_code == 404
        for query in ("kind=nope&key=x", "kind=official&key=official-unknown", "kind=period&key=abc", "kind=team"):
            assert (await client.get(f"/explorer/neighbours?{query}")).status_code == 404, query
        found = await client.get(f"/explorer/neighbours?kind=period&key={site.pristine}")
        assert found.status_code == 200
        assert any(n["data"]["kind"] == "engagement" for n in found.json()["nodes"])
