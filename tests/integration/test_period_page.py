"""The matching review page in plain Japanese for staff, on the real servers with the demo 第N期 intake and its
first proposal: no solver figures but for administrators (folded away), capacity in words, swap selects that
start on a placeholder, and no sideways scrolling on a phone."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import expect
from temporalio.client import Client

from banso.demo.load import period_steps
from services.settings import Settings
from tests.browser import SCREENSHOTS, SignedInBrowser, chromium, served
from tests.conftest import Keycloak, next_period

pytestmark = pytest.mark.servers

STAFF, ADMIN = "jimukyoku", "kanri"
JARGON = re.compile(r"optimal|feasible|objective|gap|目的関数|ギャップ")
NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


@dataclass
class Site(SignedInBrowser):
    """The served app with the demo's period."""

    period: int


@pytest.fixture(scope="module")
async def site(
    module_api: httpx.AsyncClient, prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
) -> AsyncIterator[Site]:
    period = next_period()
    for step in period_steps(period):  # the demo intake: call, volunteers, applications, one matching run
        response = await module_api.post(
            step["path"], json=step["body"], headers={"X-Banso-Actor": "demo-loader", "Idempotency-Key": step["key"]}
        )
        assert response.status_code in (200, 201), response.text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        yield Site(url, browser, keycloak, period)


async def test_staff_read_the_outcome_in_plain_japanese_with_capacity_in_words(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.url, headers=site.bearer(ADMIN)) as client:
        proposal = (await client.get(f"/api/v1/periods/{site.period}/proposal")).json()
        volunteers = (await client.get(f"/api/v1/periods/{site.period}/volunteers")).json()
    capacity = {v["official"]["official_id"]: v["capacity"] for v in volunteers}
    on_teams: dict[str, int] = {}
    for team in proposal["teams"]:
        for m in team["members"]:
            on_teams[m["official_id"]] = on_teams.get(m["official_id"], 0) + 1
    for width, height in ((1440, 1000), (390, 844)):
        context = await site.context_of(STAFF, viewport={"width": width, "height": height})
        page = await context.new_page()
        await page.goto(f"{site.url}/periods/{site.period}")
        outcome = page.locator("#matching-outcome")
        await expect(outcome).to_contain_text("組み合わせが見つかりました")
        assert not JARGON.search(await page.locator("main").inner_text())  # no solver figures for staff
        await expect(page.locator("#matching-outcome details")).to_have_count(0)
        for official_id, n in on_teams.items():
            badge = page.locator(f"li[data-official='{official_id}'] .badge.capacity")
            if capacity[official_id] > 1 or n > 1:
                await expect(badge.first).to_have_text(f"{capacity[official_id]}チームまで担当可（現在{n}チーム）")
            else:
                await expect(badge).to_have_count(0)
        assert any(c > 1 for c in capacity.values())  # the demo has officials who take two teams
        for select in ("#swap-a", "#swap-b", "#lock-member"):
            await expect(page.locator(select)).to_have_value("")
            await expect(page.locator(f"{select} option:checked")).to_have_text("選択してください")
        await page.screenshot(path=str(SCREENSHOTS / f"period-{width}.png"), full_page=True)
        assert await page.evaluate(NO_SIDEWAYS), width
        await context.close()


async def test_admins_find_the_figures_folded_and_an_unchosen_swap_is_refused_by_name(site: Site) -> None:
    context = await site.context_of(ADMIN, viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(f"{site.url}/periods/{site.period}")
    details = page.locator("#matching-outcome details")
    await expect(details).to_have_count(1)
    await expect(details.locator("dd").first).not_to_be_visible()  # folded until opened
    await details.locator("summary").click()
    await expect(details).to_contain_text("目的関数値")
    await page.fill("#swap-reason", "地元との関係を優先")
    await page.click("form[aria-labelledby=h-swap] button")  # neither official chosen: nothing recorded
    errors = page.locator("#decision-errors")
    await expect(errors).to_contain_text("支援官")
    assert "official_id" not in await errors.inner_text()
    assert await page.evaluate(NO_SIDEWAYS)
    await page.goto(f"{site.url}/periods/{site.period}?lang=en")
    await expect(page.locator("#matching-outcome")).to_contain_text("combination")
    await context.close()
