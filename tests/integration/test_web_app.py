"""The back office in a real headless Chromium over real HTTP, on the real servers, with the 大船渡 demo.

Every page test runs signed in: each demo user signs in once per module through Keycloak's own login page
(authorization code with PKCE), and the tests' browser contexts start from that user's cookies.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Page, expect
from temporalio.client import Client

from banso.demo.load import period_steps
from services.settings import Settings
from tests.browser import SCREENSHOTS, SignedInBrowser, chromium, served, sign_in
from tests.conftest import Keycloak, api_client, next_period
from tests.integration.flows import KICKOFF, MEETING, advance, command
from tests.integration.test_demo_and_experts import load
from tests.integration.test_periods import swappable
from tests.integration.test_timers import wait_for_state
from tests.pdf_facts import pdf_facts

pytestmark = pytest.mark.servers


STAFF, OFFICIAL, ANALYST, AUDITOR, ADMIN = "jimukyoku", "shienkan", "bunseki", "kansa", "kanri"


@dataclass
class Site(SignedInBrowser):
    """The served app, the browser, the demo's periods, and each demo user's signed-in cookies."""

    period: int  # the demo engagements, changed by the tests that write
    pristine: int  # the demo engagements again, only read
    matching: int  # the demo 第N期 intake with its first proposal

    def bearer(self, username: str = AUDITOR) -> dict[str, str]:
        """An Authorization header for the JSON API, as the auditor unless told otherwise."""
        return super().bearer(username)


@pytest.fixture(scope="module")
async def site(
    module_api: httpx.AsyncClient, prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
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
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        yield Site(url, browser, keycloak, period, pristine, matching)


@pytest.fixture
async def page(site: Site) -> AsyncIterator[Page]:
    """A tab signed in as 事務局 (staff: every page, every engagement form)."""
    context = await site.context_of(STAFF)
    tab = await context.new_page()
    yield tab
    await context.close()


@pytest.fixture
async def admin_page(site: Site) -> AsyncIterator[Page]:
    """A tab signed in as 管理者 (admin: also approves a period's teams)."""
    context = await site.context_of(ADMIN)
    tab = await context.new_page()
    yield tab
    await context.close()


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def events(site: Site, engagement_id: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=site.url, headers=site.bearer()) as client:
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
    await page.select_option("#f-prefecture", "岩手県")
    await page.select_option("#f-ministry", "国土交通省")
    await page.click("form.filters button[type=submit]")
    await expect(page.locator("#result-count")).to_have_text("1件")
    assert "prefecture=%E5%B2%A9%E6%89%8B%E7%9C%8C" in page.url
    shared = page.url
    await shot(page, "engagements")
    other = await page.context.new_page()
    await other.goto(shared)  # a bookmarked or shared view shows the same list
    await expect(other.locator("table.list tbody tr")).to_have_count(1)
    await other.click("table.list a:text-is('大船渡市')")
    await expect(other.locator("h1")).to_contain_text("サーキュラーエコノミーポート")


async def test_record_a_site_visit_through_the_form(site: Site, page: Page) -> None:
    engagement_id = f"engagement-{site.period}-032034"
    before = len(await events(site, engagement_id))
    await page.goto(f"{site.url}/engagements/{engagement_id}")
    await expect(page.locator("#h-basic + dl")).to_contain_text("31,294人（令和8年2月末時点）")
    await expect(page.locator("#in-actor")).to_have_count(0)  # no actor field: who records is who signed in
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
    assert log[-1]["actor"] == f"user:{STAFF}"
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
    assert pdf_facts(pdf).pages == 1  # the served page prints on one A4 landscape page


async def test_the_json_report_has_the_facts_the_page_prints(site: Site, page: Page) -> None:
    """GET /api/v1/engagements/{id}/report is the same fold the printable page renders."""
    eid = f"engagement-{site.pristine}-032034"
    page_text = html.unescape(await (await page.request.get(f"{site.url}/engagements/{eid}/report")).text())
    async with httpx.AsyncClient(base_url=site.url, headers=site.bearer()) as client:
        answer = await client.get(f"/api/v1/engagements/{eid}/report")
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
    first = (await events(site, engagement_id))[0]["actor"]  # who loaded the demo through the API
    await expect(page.locator("table.audit tbody tr").first).to_contain_text(first)
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
    await expect(page.locator("#graph-list button[data-kind=team]").first).to_be_visible()


async def test_graph_explorer_expands_neighbours(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/explorer?kind=engagement&key=engagement-{site.pristine}-032034")
    buttons = page.locator("#graph-list button")
    await expect(buttons.first).to_be_visible()
    count = await buttons.count()
    await page.locator("#graph-list button[data-kind=municipality]").first.click()
    await expect(buttons).not_to_have_count(count)
    await shot(page, "explorer")


async def test_matching_review_swap_and_approve(site: Site, admin_page: Page) -> None:
    page = admin_page
    async with httpx.AsyncClient(base_url=site.url, headers=site.bearer(ADMIN)) as client:
        proposal = (await client.get(f"/api/v1/periods/{site.matching}/proposal")).json()
    a, b = swappable(proposal)
    await page.goto(f"{site.url}/periods/{site.matching}")
    await expect(page.locator("table.proposal tbody tr")).to_have_count(6)
    await shot(page, "period")
    await page.select_option("#swap-a", a["official_id"])
    await page.select_option("#swap-b", b["official_id"])
    await page.fill("#swap-reason", "地元との関係を優先")
    await page.click("form[aria-labelledby=h-swap] button")
    await expect(page.locator("[role=status]")).to_be_visible()
    await expect(page.locator(f"li[data-official='{a['official_id']}']")).to_have_count(1)
    untouched = next(t for t in proposal["teams"] if a not in t["members"] and b not in t["members"])
    kept = untouched["members"][0]
    member = f"{kept['official_id']}@{untouched['municipality_code']}"
    await page.select_option("#lock-member", member)
    await page.click("form[aria-labelledby=h-lock] button")  # no reason: refused, nothing written
    await expect(page.locator("#decision-errors")).to_contain_text("理由")
    await page.select_option("#lock-member", member)
    await page.fill("#lock-reason", "本人の希望")
    await page.click("form[aria-labelledby=h-lock] button")
    await expect(page.locator(f"li[data-official='{kept['official_id']}'] .badge")).to_have_text("固定")
    await page.click("form[aria-labelledby=h-approve] button")
    await expect(page.locator("#phase")).to_have_attribute("data-phase", "approved")
    await expect(page.locator("#phase")).to_have_text("決定済み")
    started = page.locator("#started a[href^='/engagements/engagement-']")  # the paperwork below links them too
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
    assert {"in-kind", "in-status", "in-description"} <= seen


async def test_english_switch_keeps_the_choice(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/?period={site.period}")
    await page.click("a.lang")
    await expect(page.locator("h1")).to_contain_text(f"Cockpit — Period {site.period}")
    await page.click("text=Engagements")
    await expect(page.locator("h1")).to_have_text("Engagements")


async def test_unknown_pages_answer_404_in_html(site: Site, page: Page) -> None:
    client = page.request  # the signed-in tab's cookies
    for path in ("/engagements/engagement-99-999999", "/engagements/nope", "/periods/98"):
        response = await client.get(f"{site.url}{path}")
        assert response.status == 404, path
    engagement = f"/engagements/engagement-{site.pristine}-032034"
    token = await csrf_token_of(page, f"{site.url}{engagement}")
    response = await client.post(
        f"{site.url}{engagement}/record/unknown", form={"csrf_token": token}, headers={"Origin": site.url}
    )
    assert response.status == 404
    for query in ("kind=nope&key=x", "kind=official&key=official-unknown", "kind=period&key=abc", "kind=team"):
        assert (await client.get(f"{site.url}/explorer/neighbours?{query}")).status == 404, query
    found = await client.get(f"{site.url}/explorer/neighbours?kind=period&key={site.pristine}")
    assert found.status == 200
    assert any(n["data"]["kind"] == "engagement" for n in (await found.json())["nodes"])
    async with httpx.AsyncClient(base_url=site.url) as anonymous:  # no route: 404 even before sign-in
        assert (await anonymous.get("/nothing-here")).status_code == 404


async def csrf_token_of(page: Page, url: str) -> str:
    """The CSRF token a page of the session carries in its forms."""
    await page.goto(url)
    token = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token
    return token


# --- sign-in, session, CSRF, headers, roles -----------------------------------------------------------


async def test_a_page_without_a_session_goes_through_keycloaks_login_page_and_back(site: Site) -> None:
    for width, name in ((390, "mobile"), (1280, "desktop")):
        context = await site.browser.new_context(locale="ja-JP", viewport={"width": width, "height": 900})
        page = await context.new_page()
        wanted = f"{site.url}/engagements?period={site.period}"
        await page.goto(wanted)
        assert page.url.startswith(site.keycloak.issuer)  # Keycloak's own page, not ours
        assert "code_challenge_method=S256" in page.url
        await expect(page.locator("#username")).to_be_visible()
        await page.screenshot(path=str(SCREENSHOTS / f"login-redirect-{name}.png"), full_page=True)
        await page.fill("#username", STAFF)
        await page.fill("#password", site.keycloak.credentials.users[STAFF])
        await page.click("#kc-login")
        await page.wait_for_url(wanted)  # back on the page asked for
        await expect(page.locator("#result-count")).to_have_text("2件")
        await expect(page.locator("#whoami")).to_contain_text("事務局")
        await page.goto(f"{site.url}/?period={site.period}")
        await expect(page.locator("#fig-officials .n")).to_have_text("6")
        await page.screenshot(path=str(SCREENSHOTS / f"cockpit-signed-in-{name}.png"), full_page=True)
        cookie = next(c for c in await context.cookies(site.url) if c["name"] == "banso_session")
        assert cookie["httpOnly"]
        assert cookie["sameSite"] == "Lax"
        assert cookie["path"] == "/"
        assert not cookie["secure"]  # served over http here; over https the cookie is Secure
        await context.close()


async def test_without_a_session_pages_redirect_htmx_gets_401_and_posts_write_nothing(site: Site) -> None:
    engagement = f"/engagements/engagement-{site.period}-032034"
    before = len(await events(site, engagement.rsplit("/", 1)[1]))
    async with httpx.AsyncClient(base_url=site.url) as anonymous:
        page = await anonymous.get(f"{engagement}?form=outcome")
        assert page.status_code == 303
        assert page.headers["location"] == "/auth/login?next=" + quote(f"{engagement}?form=outcome", safe="")
        htmx = await anonymous.get("/engagements", headers={"HX-Request": "true"})
        assert htmx.status_code == 401
        assert htmx.headers["HX-Redirect"] == "/auth/login?next=%2Fengagements"
        posted = await anonymous.post(f"{engagement}/record/activity", data=dict(VISIT))
        assert posted.status_code == 401
        assert "サインインしてください" in posted.text
        assert (await anonymous.get("/api/v1/health")).status_code == 200  # the JSON API is not the pages
    async with httpx.AsyncClient(base_url=site.url, cookies={"banso_session": "x" * 43}) as forged:
        assert (await forged.get(engagement)).status_code == 303  # an id nobody was given
    assert len(await events(site, engagement.rsplit("/", 1)[1])) == before


VISIT = {"kind": "site_visit", "start_date": "2026-11-21", "place": "盛町"}


async def test_a_form_from_a_foreign_origin_or_without_the_token_is_refused_and_writes_nothing(
    site: Site, page: Page
) -> None:
    engagement_id = f"engagement-{site.period}-032034"
    url = f"{site.url}/engagements/{engagement_id}/record/activity"
    before = len(await events(site, engagement_id))
    token = await csrf_token_of(page, f"{site.url}/engagements/{engagement_id}")
    refusals: dict[str, tuple[dict[str, str | float | bool], dict[str, str]]] = {
        "foreign Origin": ({**VISIT, "csrf_token": token}, {"Origin": "https://evil.example"}),
        "foreign Referer": ({**VISIT, "csrf_token": token}, {"Referer": "https://evil.example/form.html"}),
        "no token": (dict(VISIT), {"Origin": site.url}),
        "wrong token": ({**VISIT, "csrf_token": "A" * 43}, {"Origin": site.url}),
    }
    for why, (form, headers) in refusals.items():
        response = await page.request.post(url, form=form, headers=headers, max_redirects=0)
        assert response.status == 403, why
        assert "このフォームは受け付けられません" in await response.text(), why
    assert len(await events(site, engagement_id)) == before
    # a real page elsewhere posting to the form: Chromium sends no SameSite=Lax cookie cross-site, and the
    # post is refused all the same
    await page.route(
        "https://evil.example/",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<form method="post" action="{url}"><input name="kind" value="site_visit">'
            f'<input name="start_date" value="2026-11-21"><input name="csrf_token" value="{token}">'
            '<button id="go">go</button></form>',
        ),
    )
    await page.goto("https://evil.example/")
    async with page.expect_response(url) as answer:
        await page.click("#go")
    assert (await answer.value).status in (401, 403)
    assert len(await events(site, engagement_id)) == before
    # the same form from the page itself, with its token, is recorded
    await page.goto(f"{site.url}/engagements/{engagement_id}")
    await page.select_option("#in-kind", "site_visit")
    await page.fill("#in-start_date", "2026-11-21")
    await page.click("form[aria-label] button[type=submit]")
    await expect(page.locator("[role=status]")).to_have_text("記録しました")
    assert len(await events(site, engagement_id)) == before + 1


async def test_logout_ends_the_session_here_and_at_keycloak(site: Site) -> None:
    context = await site.browser.new_context(locale="ja-JP")
    page = await context.new_page()
    await sign_in(page, f"{site.url}/", ANALYST, site.keycloak.credentials.users[ANALYST])
    await expect(page.locator("#whoami")).to_contain_text("分析担当")
    old = next(c for c in await context.cookies(site.url) if c["name"] == "banso_session")
    await page.click("#sign-out")
    await page.wait_for_url(re.compile(rf"^{re.escape(site.url)}/auth/signed-out"))  # back from Keycloak's logout
    await expect(page.locator("#signed-out")).to_have_text("サインアウトしました")
    assert not [c for c in await context.cookies(site.url) if c["name"] == "banso_session"]
    await page.goto(f"{site.url}/experts")  # Keycloak's session ended too: its login form, not a silent SSO
    await expect(page.locator("#username")).to_be_visible()
    async with httpx.AsyncClient(base_url=site.url, cookies={"banso_session": old["value"]}) as replay:
        assert (await replay.get("/experts")).status_code == 303  # the old cookie is worth nothing now
    await context.close()


PAGES = ["/", "/engagements", "/experts?q=港湾", "/explorer", "/periods"]


async def test_every_page_sends_the_security_headers_and_raises_no_csp_violation(site: Site, page: Page) -> None:
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None
    )
    await page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    engagement = f"/engagements/engagement-{site.pristine}-032034"
    paths = [*PAGES, f"/periods/{site.matching}", engagement, f"{engagement}/report", f"{engagement}/audit"]
    for path in paths:
        response = await page.goto(f"{site.url}{path}")
        assert response is not None
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in headers  # http here; https adds HSTS
        # no inline script; a data block (<script type="application/json">, never run) is not one
        inline = "script:not([src]):not([type='application/json'])"
        assert await page.evaluate(f"document.querySelectorAll({inline!r}).length") == 0, path
        assert (
            await page.evaluate(
                "[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
                ".some(a => a.name.startsWith('on'))).length"
            )
            == 0
        ), path
    await page.goto(f"{site.url}/explorer?kind=engagement&key=engagement-{site.pristine}-032034")
    await expect(page.locator("#graph-list button").first).to_be_visible()  # Cytoscape ran under the policy
    assert await page.evaluate("typeof htmx") == "object"  # and htmx loaded
    await page.goto(f"{site.url}/?period={site.period}")
    await page.select_option("#period", str(site.pristine))  # the select submits through static JS
    await expect(page).to_have_url(re.compile(rf"period={site.pristine}"))
    assert violations == [], "\n".join(violations)


async def test_roles_decide_the_pages_and_a_refusal_reads_in_japanese(site: Site) -> None:
    mine, other = f"engagement-{site.pristine}-032034", f"engagement-{site.pristine}-202045"
    expected = {
        OFFICIAL: {
            "/": 200,
            f"/engagements/{mine}": 200,
            f"/engagements/{other}": 403,
            "/experts": 403,
            "/engagements": 403,
            f"/engagements/{mine}/audit": 200,
            "/periods": 403,
        },
        ANALYST: {
            "/": 200,
            "/experts?q=港湾": 200,
            "/explorer": 200,
            f"/engagements/{mine}": 200,
            f"/engagements/{mine}/audit": 403,
            "/periods": 403,
        },
        AUDITOR: {
            "/": 200,
            f"/engagements/{mine}/audit": 200,
            f"/engagements/{mine}/audit/log.json": 200,
            "/experts": 403,
            "/periods": 200,
        },
    }
    for user, pages in expected.items():
        context = await site.context_of(user)
        page = await context.new_page()
        for path, status in pages.items():
            if path.endswith(".json"):  # a download: fetched with the tab's cookies
                assert (await page.request.get(f"{site.url}{path}")).status == status, (user, path)
                continue
            response = await page.goto(f"{site.url}{path}")
            assert response is not None
            assert response.status == status, (user, path)
            if status == 403:
                await expect(page.locator("#refused")).to_have_text("権限がありません")
        await page.goto(f"{site.url}/engagements/{mine}")
        forms = await page.locator("form[method=post][action*='/record/']").count()
        assert forms == (1 if user == OFFICIAL else 0), user  # forms only for roles that may write
        await context.close()
    context = await site.context_of(ANALYST)  # and a post by a role that may not write is refused
    page = await context.new_page()
    token = await csrf_token_of(page, f"{site.url}/engagements/{mine}")
    before = len(await events(site, mine))
    posted = await page.request.post(
        f"{site.url}/engagements/{mine}/record/activity",
        form={**VISIT, "csrf_token": token},
        headers={"Origin": site.url},
    )
    assert posted.status == 403
    assert "この操作はあなたの役割では許可されていません" in await posted.text()
    assert len(await events(site, mine)) == before
    await context.close()
