"""訂正・取消 from the back office in Chromium: the record's page, a refused form, a correction and a retraction
that reach the log, linked to the original, and the engagement's timeline."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Page, expect
from temporalio.client import Client

from services.settings import Settings
from tests.browser import SCREENSHOTS, chromium, served, sign_in
from tests.conftest import Keycloak, new_municipality_code
from tests.integration.flows import MEETING, advance, command, event_log

pytestmark = pytest.mark.servers

STAFF = "jimukyoku"


@pytest.fixture(scope="module")
async def engagement(module_api: httpx.AsyncClient) -> str:
    eid = await advance(module_api, new_municipality_code(), "visits")
    assert (await command(module_api, eid, "activities", MEETING)).status_code == 200
    return eid


@pytest.fixture(scope="module")
async def site(
    engagement: str, prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
) -> AsyncIterator[tuple[str, Page]]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        context = await browser.new_context(locale="ja-JP")
        page = await context.new_page()
        await sign_in(page, f"{url}/", STAFF, keycloak.credentials.users[STAFF])
        yield url, page
        await context.close()


def of_type(log: dict[str, Any], event_type: str) -> list[dict[str, Any]]:
    return [e for e in log["events"] if e["type"] == event_type]


async def test_a_visit_is_corrected_and_a_meeting_retracted_from_the_page(
    site: tuple[str, Page], engagement: str, module_api: httpx.AsyncClient
) -> None:
    url, page = site
    log = await event_log(module_api, engagement)
    visit, meeting = of_type(log, "SiteVisitMade")[0], of_type(log, "OnlineMeetingHeld")[0]

    await page.goto(f"{url}/engagements/{engagement}/events/{visit['id']}/correct")
    await expect(page.locator("h1")).to_have_text("記録の訂正・取消")
    await expect(page.locator("#in-start_date")).to_have_value("2025-05-29")  # the record as it reads now
    await page.fill("#in-start_date", "2025-06-19")
    await page.fill("#in-end_date", "2025-06-20")
    await page.click("form[aria-labelledby=h-correct] button[type=submit]")  # no reason: refused at the field
    await expect(page.locator("#err-reason")).to_be_visible()
    assert len((await event_log(module_api, engagement))["events"]) == len(log["events"])

    await page.fill("#in-reason", "日付の入力誤り（訪問は6月）")
    await page.click("form[aria-labelledby=h-correct] button[type=submit]")
    await expect(page.locator("[role=status]")).to_be_visible()
    await page.screenshot(path=str(SCREENSHOTS / "correction-saved.png"), full_page=True)
    correction = of_type(await event_log(module_api, engagement), "EventCorrected")[0]
    assert correction["data"]["corrects_event_id"] == visit["id"]
    assert correction["data"]["reason"] == "日付の入力誤り（訪問は6月）"  # as typed: full-width brackets kept
    assert correction["data"]["corrected"]["start_date"] == "2025-06-19"
    assert correction["actor"] == f"user:{STAFF}"

    await page.goto(f"{url}/engagements/{engagement}/events/{visit['id']}/correct")
    await expect(page.locator(".correction-record")).to_contain_text(f"#{correction['sequence']}")
    await expect(page.locator("#in-start_date")).to_have_value("2025-06-19")

    await page.goto(f"{url}/engagements/{engagement}/events/{meeting['id']}/correct")
    await page.fill("#in-retract_reason", "重複して記録したため")
    await page.click("form[aria-labelledby=h-retract] button[type=submit]")
    await expect(page.locator("[role=status]")).to_be_visible()
    retraction = of_type(await event_log(module_api, engagement), "EventRetracted")[0]
    assert retraction["data"]["retracts_event_id"] == meeting["id"]
    await page.goto(f"{url}/engagements/{engagement}/events/{meeting['id']}/correct")
    await expect(page.locator("main")).to_contain_text("取り消されています")
    await expect(page.locator("#in-retract_reason")).to_have_count(0)
    await page.screenshot(path=str(SCREENSHOTS / "correction-retracted.png"), full_page=True)


async def test_only_activities_outcomes_and_surveys_have_a_correction_page(
    site: tuple[str, Page], engagement: str, module_api: httpx.AsyncClient
) -> None:
    url, page = site
    kickoff = of_type(await event_log(module_api, engagement), "KickoffHeld")[0]
    for path in (f"{engagement}/events/{kickoff['id']}", f"{engagement}/events/no-such-event", "nope/events/x"):
        response = await page.goto(f"{url}/engagements/{path}/correct")
        assert response is not None
        assert response.status == 404
