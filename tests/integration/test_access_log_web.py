"""閲覧記録 in a real Chromium: an auditor signed in through Keycloak reads an engagement page, then sees that
read in the access log page, verifies the chain, and an analyst is refused the page."""

from __future__ import annotations

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import expect
from temporalio.client import Client

from services.settings import Settings
from tests.browser import SCREENSHOTS, chromium, served, sign_in
from tests.conftest import Keycloak
from tests.integration.flows import advance

pytestmark = pytest.mark.servers


async def test_an_auditor_sees_who_read_what_in_the_back_office(
    api: httpx.AsyncClient,
    clean: Settings,
    temporal: Client,
    driver: AsyncDriver,
    keycloak: Keycloak,
    municipality_code: str,
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    async with served(clean, temporal, driver) as url, chromium() as browser:
        context = await browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        await sign_in(page, f"{url}/engagements/{eid}", "kansa", keycloak.credentials.users["kansa"])
        await expect(page.locator("h1")).to_be_visible()

        await page.click("nav >> text=閲覧記録")
        await expect(page.locator("h1")).to_have_text("閲覧記録")
        row = page.locator("#access-records tbody tr", has_text=f"/engagements/{eid}").first
        await expect(row).to_contain_text("田中 美咲")
        await expect(row).to_contain_text("監査")
        await expect(row).to_contain_text(f"engagement:{eid}")
        await expect(row).to_contain_text("200")

        await page.click("#verify")
        await expect(page.locator("#verdict")).to_contain_text("正しくつながっています")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / "access_log.png"), full_page=True)

        await page.fill("input[name=object]", "no-such-thing")
        await page.click("form.filters button")
        await expect(page.locator("#no-records")).to_be_visible()
        await context.close()

        analyst = await browser.new_context(locale="ja-JP")
        tab = await analyst.new_page()
        await sign_in(tab, f"{url}/", "bunseki", keycloak.credentials.users["bunseki"])
        await expect(tab.locator("nav >> text=閲覧記録")).to_have_count(0)
        refused = await tab.request.get(f"{url}/access-log")
        assert refused.status == 403
        await analyst.close()
