"""The layout on a phone (390 px) and a desktop (1440 px): every page fits the width, the navigation folds.

Each page is opened signed in as 管理者 (the one role that reaches every page) at both widths, its full
screenshot kept in test-output/screenshots (`layout-<page>-<width>.png`, to look at), and the page may not
scroll sideways: `document.scrollingElement.scrollWidth <= innerWidth` (wide tables scroll in their own box
or stack). At 390 px the navigation folds behind a menu button; without script it stays unfolded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.browser import SCREENSHOTS, every_page
from tests.integration import test_web_app
from tests.integration.test_web_app import ADMIN, Site

site = test_web_app.site  # the fixture: the demo served to a real Chromium, for this module too

pytestmark = pytest.mark.servers

PHONE, DESKTOP = 390, 1440
OVERFLOW = "[document.scrollingElement.scrollWidth, window.innerWidth]"
# what sticks out on the right when the page overflows (for a readable failure)
WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}`)"""


@pytest.fixture(scope="module")
async def admin(site: Site) -> AsyncIterator[BrowserContext]:
    """One signed-in browser context for the module's tests (each tab sets its own width)."""
    context = await site.context_of(ADMIN)
    yield context
    await context.close()


async def tab(context: BrowserContext, width: int) -> Page:
    page = await context.new_page()
    await page.set_viewport_size({"width": width, "height": 900})
    return page


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
async def test_no_page_scrolls_sideways(site: Site, admin: BrowserContext, width: int) -> None:
    page = await tab(admin, width)
    wide: list[str] = []
    for name, path in every_page(f"engagement-{site.pristine}-032034", site.matching).items():
        response = await page.goto(f"{site.url}{path}")
        assert response is not None, path
        assert response.ok, (path, response.status)
        await page.wait_for_load_state("load")
        await page.screenshot(path=str(SCREENSHOTS / f"layout-{name}-{width}.png"), full_page=True)
        scroll_width, inner_width = await page.evaluate(OVERFLOW)
        if scroll_width > inner_width:
            wide.append(f"{path}: {scroll_width} > {inner_width} px, {await page.evaluate(WIDE)}")
    await page.close()
    assert wide == [], "pages wider than the window:\n" + "\n".join(wide)


async def test_the_navigation_folds_behind_a_menu_button_on_a_phone(site: Site, admin: BrowserContext) -> None:
    page = await tab(admin, PHONE)
    await page.goto(f"{site.url}/engagements")
    button = page.locator("#menu-toggle")
    links = page.locator("header nav a")
    await expect(button).to_be_visible()
    await expect(button).to_have_attribute("aria-expanded", "false")
    await expect(links.first).to_be_hidden()
    await expect(page.locator("#sign-out")).to_be_hidden()
    await button.click()
    await expect(button).to_have_attribute("aria-expanded", "true")
    for i in range(await links.count()):
        await expect(links.nth(i)).to_be_visible()
    await expect(page.locator("#sign-out")).to_be_visible()
    await page.screenshot(path=str(SCREENSHOTS / "layout-menu-open-390.png"))
    await page.keyboard.press("Escape")  # closes, and the focus goes back to the button
    await expect(links.first).to_be_hidden()
    assert await page.evaluate("document.activeElement.id") == "menu-toggle"
    await page.keyboard.press("Enter")  # the button opens from the keyboard too
    await expect(links.first).to_be_visible()
    await links.filter(has_text="有識者検索").click()
    await expect(page.locator("h1")).to_be_visible()
    assert page.url.endswith("/experts")
    await expect(page.locator("header nav a").first).to_be_hidden()  # a new page starts folded
    await page.close()


async def test_on_a_desktop_the_navigation_is_in_view_without_a_menu_button(site: Site, admin: BrowserContext) -> None:
    page = await tab(admin, DESKTOP)
    await page.goto(f"{site.url}/engagements")
    await expect(page.locator("#menu-toggle")).to_be_hidden()
    links = page.locator("header nav a")
    for i in range(await links.count()):
        await expect(links.nth(i)).to_be_visible()
    box = await page.locator("header.top").bounding_box()
    assert box is not None
    assert box["height"] < 80  # one line, not one character per line
    await page.close()


async def test_without_script_the_links_stay_in_view_and_nothing_scrolls_sideways(site: Site) -> None:
    context = await site.context_of(ADMIN, java_script_enabled=False)
    page = await tab(context, PHONE)
    for path in ("/engagements", f"/engagements/engagement-{site.pristine}-032034/audit"):
        await page.goto(f"{site.url}{path}")
        await expect(page.locator("#menu-toggle")).to_be_hidden()
        await expect(page.locator("header nav a").first).to_be_visible()
        scroll_width, inner_width = await page.evaluate(OVERFLOW)
        assert scroll_width <= inner_width, path
    await page.screenshot(path=str(SCREENSHOTS / "layout-no-script-390.png"), full_page=True)
    await context.close()


async def test_short_labels_do_not_break_inside_a_word(site: Site, admin: BrowserContext) -> None:
    """A table's column names and a stage's name stay on one line ("マッチン/グ" was one)."""
    page = await tab(admin, DESKTOP)
    await page.goto(f"{site.url}/engagements?period={site.pristine}")
    heights = await page.evaluate(
        "[...document.querySelectorAll('table.list th')].map(th => [th.textContent, th.getClientRects().length,"
        " Math.round(th.getBoundingClientRect().height)])"
    )
    line = await page.evaluate("parseFloat(getComputedStyle(document.querySelector('table.list th')).lineHeight)")
    tall = [(text, height) for text, _, height in heights if height > 2 * line]
    assert tall == [], tall
    await page.close()
