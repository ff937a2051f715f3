"""Accessibility measured with axe-core (npm, MPL-2.0) on every page in both languages, and a visit recorded by
keyboard alone.

axe-core is injected by evaluating its source through Playwright: `page.add_script_tag` would add an inline
`<script>`, which the pages' Content-Security-Policy (`script-src 'self'`) rightly refuses; an evaluation goes
through the DevTools protocol and leaves the policy as it is. Every violation of impact serious or critical
fails the test, printed one per line with its rule, its help text and the elements concerned.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.browser import SCREENSHOTS, every_page
from tests.integration import test_web_app
from tests.integration.test_web_app import ADMIN, STAFF, Site

pytestmark = pytest.mark.servers

site = test_web_app.site  # the fixture: the demo served to a real Chromium, for this module too

AXE = Path(__file__).resolve().parents[2] / "services" / "api" / "web" / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              why: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240)}))}));
}"""
BLOCKING = {"serious", "critical"}


def readable(found: list[tuple[str, dict[str, Any]]]) -> str:
    lines = []
    for where, v in found:
        lines.append(f"{where}: [{v['impact']}] {v['id']} — {v['help']} ({v['url']})")
        lines.extend(f"    {n['target']}  {n['html']}\n      {n['why']}" for n in v["nodes"][:6])
    return "\n".join(lines)


@pytest.fixture(scope="module")
async def admin(site: Site) -> AsyncIterator[BrowserContext]:
    """管理者 reaches every page (the access log and webhooks included)."""
    context = await site.context_of(ADMIN)
    yield context
    await context.close()


async def violations(page: Page) -> list[dict[str, Any]]:
    if not await page.evaluate("typeof axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = await page.evaluate(RUN_AXE)
    return [v for v in found if v["impact"] in BLOCKING]


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_no_serious_or_critical_violation_on_any_page(site: Site, admin: BrowserContext, lang: str) -> None:
    engagement = f"engagement-{site.pristine}-032034"
    paths = list(every_page(engagement, site.matching).values())
    paths += [f"/engagements/{engagement}?form={form}" for form in ("coordination", "introduction", "outcome")]
    paths += [f"/explorer?kind=engagement&key={engagement}"]
    page = await admin.new_page()
    log = await test_web_app.events(site, engagement)  # a site visit's and an outcome's correction pages
    for kind in ("SiteVisitMade", "OutcomeRecorded"):
        paths += [f"/engagements/{engagement}/events/{e['id']}/correct" for e in log if e["type"] == kind][:1]
    found: list[tuple[str, dict[str, Any]]] = []
    for path in paths:
        response = await page.goto(f"{site.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert response is not None, path
        assert response.ok, (path, response.status)
        assert await page.get_attribute("html", "lang") == lang, path
        if path.startswith("/explorer?"):
            await expect(page.locator("#graph-list button").first).to_be_visible()  # the graph drawn
        found += [(path, v) for v in await violations(page)]
    # a refused save shows its errors at the fields; on a phone the navigation opens over the page
    await page.goto(f"{site.url}/engagements/{engagement}?lang={lang}")
    await page.select_option("#in-kind", "site_visit")
    await page.click("form[aria-label] button[type=submit]")
    await expect(page.locator("#err-start_date")).to_be_visible()
    found += [("refused save", v) for v in await violations(page)]
    await page.set_viewport_size({"width": 390, "height": 900})
    await page.goto(f"{site.url}/?lang={lang}")
    await page.click("#menu-toggle")
    found += [("menu open at 390 px", v) for v in await violations(page)]
    await page.close()
    assert found == [], "serious or critical accessibility violations:\n" + readable(found)


async def tab_to(page: Page, condition: str, limit: int = 150) -> None:
    """Press Tab until `condition` (a JS expression about document.activeElement) holds."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate(condition):
            return
    raise AssertionError(f"Tab never reached {condition}")


async def date_keys(page: Page, year: str, month: str, day: str) -> str:
    """The digits that type a date into this browser's date field, whose segments follow the browser's own
    locale (year first for Japanese, month first for US English), whatever the page's language."""
    await page.evaluate(
        "() => { const probe = document.createElement('input'); probe.type = 'date'; probe.id = 'date-probe';"
        " document.body.prepend(probe); }"
    )
    await page.focus("#date-probe")
    await page.keyboard.type("20260102")
    year_first = await page.evaluate("document.getElementById('date-probe').value") == "2026-01-02"
    await page.evaluate("document.getElementById('date-probe').remove()")
    return year + month + day if year_first else month + day + year


async def test_a_site_visit_recorded_with_the_keyboard_alone(site: Site) -> None:
    context = await site.context_of(STAFF)
    page = await context.new_page()
    await page.set_viewport_size({"width": 390, "height": 900})
    await page.goto(f"{site.url}/engagements")
    keys = await date_keys(page, "2026", "11", "20")
    # from the list to the engagement: Tab to its link, Enter
    await tab_to(
        page, f"document.activeElement.getAttribute('href') === '/engagements/engagement-{site.period}-032034'"
    )
    await page.keyboard.press("Enter")
    await expect(page.locator("h1")).to_contain_text("大船渡市")
    await tab_to(page, "document.activeElement.id === 'in-kind'")
    for _ in range(5):  # the arrow keys choose in a closed select: 会議 → 現地訪問
        if await page.evaluate("document.activeElement.value") == "site_visit":
            break
        await page.keyboard.press("ArrowDown")
    assert await page.evaluate("document.activeElement.value") == "site_visit"
    await tab_to(page, "document.activeElement.id === 'in-start_date'")
    await page.keyboard.type(keys)
    assert await page.evaluate("document.activeElement.value") == "2026-11-20"
    await tab_to(page, "document.activeElement.id === 'in-place'")
    await page.keyboard.type("大船渡港 野々田ふ頭")
    await page.keyboard.press("Shift+Tab")  # and back: Shift+Tab reaches the end date
    assert await page.evaluate("document.activeElement.id") == "in-end_date"
    await tab_to(
        page, "document.activeElement.type === 'submit' && !!document.activeElement.closest('form[aria-label]')"
    )
    outline = await page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert outline[0] != "none", outline  # the focus is seen (:focus-visible)
    assert float(outline[1].removesuffix("px")) >= 2, outline
    await page.screenshot(path=str(SCREENSHOTS / "keyboard-visit-focus.png"))
    await page.keyboard.press("Enter")
    await expect(page.locator("[role=status]")).to_have_text("記録しました")
    visit = page.locator(".timeline li", has_text="大船渡港 野々田ふ頭")
    await expect(visit).to_contain_text("現地訪問")
    await expect(visit).to_contain_text("令和8年11月20日")
    await page.screenshot(path=str(SCREENSHOTS / "keyboard-visit-recorded.png"), full_page=True)
    await context.close()
