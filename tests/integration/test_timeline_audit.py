"""The engagement timeline and the audit page in a real Chromium, on the real servers, with the 大船渡 demo:
business dates for every event, compact 和暦 ranges kept on one line, names instead of ids, JST, content,
the audit page's filters, and screenshots at 1440 and 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser import SCREENSHOTS
from tests.integration.test_web_app import Site, events, page, site  # noqa: F401 (the module's fixtures)

pytestmark = pytest.mark.servers


def oofunato(served: Site) -> str:
    """The 大船渡市 engagement of the demo the tests only read."""
    return f"/engagements/engagement-{served.pristine}-032034"


async def test_the_audit_page_names_the_municipality_and_shows_each_events_content(site: Site, page: Page) -> None:  # noqa: F811
    await page.goto(f"{site.url}{oofunato(site)}/audit")
    await expect(page.locator("h1")).to_have_text("監査ログ: 大船渡市（岩手県）")
    await expect(page.locator(".crumbs")).to_contain_text("大船渡市（岩手県）")
    rows = page.locator("table.audit tbody tr")
    await expect(rows).to_have_count(40)
    await expect(page.locator("#audit-count")).to_have_text("40件中40件")
    headers = await page.locator("table.audit thead th").all_inner_texts()
    assert headers == ["番号", "業務日付", "記録日時（JST）", "記録者", "種類", "内容", "ハッシュ"]
    applied = rows.first
    await expect(applied.locator("td.type")).to_have_text("応募")
    await expect(applied.locator("td.biz")).to_have_text("日付の記録なし")  # the demo's application has no date
    await expect(applied.locator("td.rec")).to_have_text(re.compile(r"^令和\d+年\d+月\d+日 \d\d:\d\d JST$"))
    await expect(applied.locator("td.content")).to_contain_text("31,294人（令和8年2月末時点）")
    # The demo was loaded by the demo admin (鈴木 一郎): the name is shown, the account id under it.
    await expect(applied.locator("td.who")).to_contain_text("鈴木")
    log = await events(site, oofunato(site).rsplit("/", 1)[1])
    await expect(applied.locator("td.who small")).to_have_text(log[0]["actor"])
    await expect(applied.locator("td.hash code")).to_have_attribute("title", log[0]["hash"])
    matching = rows.nth(1)
    await expect(matching.locator("td.type")).to_have_text("マッチング")
    await expect(matching.locator("td.biz")).to_have_text("編成日 令和7年4月30日")
    visit = rows.filter(has_text="令和7年5月29日〜30日")
    await expect(visit).to_have_count(1)
    await expect(visit.locator("td.type")).to_have_text("現地訪問")
    await expect(visit.locator("td.content")).to_contain_text("石川 亨、白水 伸英、古田 匠")
    await expect(visit.locator("td.content")).not_to_contain_text("official-")
    outcome = rows.filter(has_text="首都圏の一社が市への工場進出を検討するため現地を視察")
    await expect(outcome.locator("td.biz")).to_have_text("成果の日付 令和8年2月19日")
    await expect(outcome.locator("td.content")).to_contain_text("石川 亨、古田 匠")


async def test_the_audit_page_filters_by_business_date_and_actor(site: Site, page: Page) -> None:  # noqa: F811
    await page.goto(f"{site.url}{oofunato(site)}/audit")
    await page.fill("#f-from", "2025-05-29")
    await page.fill("#f-to", "2025-05-31")
    await page.click("#audit-filters button[type=submit]")
    await expect(page).to_have_url(re.compile(r"from=2025-05-29&to=2025-05-31"))
    rows = page.locator("table.audit tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("令和7年5月29日〜30日")
    await expect(page.locator("#audit-count")).to_contain_text("40件中1件")
    # A range meets an event's own range: 5/30 alone still finds the visit of 5/29–30.
    await page.goto(f"{site.url}{oofunato(site)}/audit?from=2025-05-30&to=2025-05-30")
    await expect(rows).to_have_count(1)
    # 令和7年度末 (2026-03-31): the seven outcomes dated then (the demo dates undated outcomes so).
    await page.goto(f"{site.url}{oofunato(site)}/audit?from=2026-03-31&to=2026-03-31")
    await expect(rows).to_have_count(7)
    assert set(await page.locator("table.audit tbody td.type").all_inner_texts()) == {"成果"}
    # By actor: the one who loaded the demo recorded every event; nobody else did.
    actor = (await events(site, oofunato(site).rsplit("/", 1)[1]))[0]["actor"]
    await page.goto(f"{site.url}{oofunato(site)}/audit")
    await page.select_option("#f-actor", actor)
    await page.click("#audit-filters button[type=submit]")
    await expect(rows).to_have_count(40)
    await page.goto(f"{site.url}{oofunato(site)}/audit?actor=user:nobody")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_have_text("この条件に当てはまる記録はありません。")
    # A date that is not one is reported and not applied.
    await page.goto(f"{site.url}{oofunato(site)}/audit?from=2025-13-01")
    await expect(page.locator("#f-bad")).to_be_visible()
    await expect(rows).to_have_count(40)


async def test_the_audit_page_in_english(site: Site, page: Page) -> None:  # noqa: F811
    await page.set_viewport_size({"width": 1440, "height": 900})
    await page.goto(f"{site.url}{oofunato(site)}/audit?lang=en&from=2025-05-29&to=2025-05-31")
    await expect(page.locator("h1")).to_have_text("Audit log: 大船渡市 (岩手県)")
    row = page.locator("table.audit tbody tr").first
    await expect(row.locator("td.type")).to_have_text("Site visit")
    await expect(row.locator("td.biz")).to_have_text("Held on 29–30 May 2025")
    await expect(row.locator("td.rec")).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d JST$"))
    await expect(row.locator("td.content")).to_contain_text("Officials taking part")
    await page.screenshot(path=str(SCREENSHOTS / "timeline-audit-en-1440.png"), full_page=True)
    await page.goto(f"{site.url}{oofunato(site)}/audit?lang=ja")  # the language cookie back to Japanese


async def test_the_timeline_dates_every_event_and_grows_with_the_page(site: Site, page: Page) -> None:  # noqa: F811
    await page.goto(f"{site.url}{oofunato(site)}")
    timeline = page.locator("ol.timeline")
    entries = timeline.locator("li.ev")
    await expect(entries).to_have_count(40)
    whens = await timeline.locator(".ev-head .when").all_inner_texts()
    assert all(text.strip() for text in whens)  # a date, or what stands for it
    assert sum("日付の記録なし" in text for text in whens) == 1  # only the application, which has none
    await expect(entries.filter(has_text="令和8年2月19日〜20日")).to_have_count(1)
    assert not [text for text in whens if re.search(r"〜令和8年2月20日", text)]  # the era is not repeated
    await expect(entries.first.locator(".ev-meta")).to_contain_text("JST")
    await expect(entries.first.locator(".ev-meta")).to_contain_text("鈴木")
    style = await timeline.evaluate(
        "el => [getComputedStyle(el).maxHeight, getComputedStyle(el).overflowY, el.scrollHeight - el.clientHeight]"
    )
    assert style == ["none", "visible", 0]


@pytest.mark.parametrize("width", [1440, 390])
async def test_screenshots_of_the_timeline_and_the_audit_page(site: Site, page: Page, width: int) -> None:  # noqa: F811
    await page.set_viewport_size({"width": width, "height": 900})
    await page.goto(f"{site.url}{oofunato(site)}")
    dates = page.locator(".when time.d")
    await expect(dates.first).to_be_visible()
    # No date breaks inside itself: each half of a range is one line box, at any width.
    lines = await dates.evaluate_all("els => els.map(e => e.getClientRects().length)")
    assert set(lines) == {1}
    await page.screenshot(path=str(SCREENSHOTS / f"timeline-engagement-{width}.png"), full_page=True)
    await page.goto(f"{site.url}{oofunato(site)}/audit")
    lines = await page.locator(".when time.d").evaluate_all("els => els.map(e => e.getClientRects().length)")
    assert set(lines) == {1}
    right = await page.locator("table.audit").evaluate("el => el.getBoundingClientRect().right - window.innerWidth")
    assert right <= 0  # the table fits the window (cards on a phone), no sideways scrolling
    await page.screenshot(path=str(SCREENSHOTS / f"timeline-audit-{width}.png"), full_page=True)
