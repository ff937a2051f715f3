"""The programme's paperwork in the back office, on the real servers with the 大船渡 demo and its paperwork, in
a real headless Chromium: the period page's 併任 and 支援旅費 sections, the cockpit's budget chart and the
engagement page's travel lines — for staff, admin and auditors only; amounts as ¥ with separators, dates in
和暦; the download links give the API's files. Screenshots at 390 px and 1280 px of each changed page."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Page, expect
from temporalio.client import Client

from banso.demo.load import demo_steps, load_demo, paperwork_steps, period_steps, step_body
from banso.reference.load import travel_rate_steps
from schemas.commands import rates_stream
from services.api.web.money import yen
from services.settings import Settings
from tests.browser import SCREENSHOTS, SignedInBrowser, chromium, served
from tests.conftest import Keycloak, next_period, reset_streams
from tests.integration.test_accessibility import readable, violations

pytestmark = pytest.mark.servers

STAFF, ANALYST, AUDITOR = "jimukyoku", "bunseki", "kansa"
WIDTHS = (1280, 390)
NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"
HEADERS = {"X-Banso-Actor": "demo-loader"}


@dataclass
class Site(SignedInBrowser):
    """The served app with the demo engagements and their paperwork in `period`."""

    period: int

    @property
    def engagement(self) -> str:
        return f"engagement-{self.period}-032034"


async def _post(api: httpx.AsyncClient, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
    response = await api.post(path, json=body, headers=HEADERS | {"Idempotency-Key": key})
    assert response.status_code in (200, 201), f"{path}: {response.text}"
    answer: dict[str, Any] = response.json()
    return answer


async def load_paperwork_demo(api: httpx.AsyncClient, temporal: Client) -> int:
    """The travel rates, then the 大船渡 demo and its paperwork re-homed in a fresh period (returned)."""
    # the travel rates: fixed streams, restarted so the module's empty graph gets them again
    await reset_streams(temporal, [rates_stream(s.body["rates_id"]) for s in travel_rate_steps()])
    salt = uuid.uuid4().hex
    for rates in travel_rate_steps():
        await _post(api, rates.path, rates.body, rates.key(salt))
    period = next_period()
    receipts: dict[str, dict[str, Any]] = {}
    for step in demo_steps(period) + paperwork_steps(period):
        receipts[step["key"]] = await _post(api, step["path"], step_body(step, receipts), step["key"])
    return period


@pytest.fixture(scope="module")
async def site(
    module_api: httpx.AsyncClient, prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
) -> AsyncIterator[Site]:
    period = await load_paperwork_demo(module_api, temporal)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        yield Site(url, browser, keycloak, period)


async def _page(site: Site, user: str, width: int = 1280) -> Page:
    context = await site.context_of(user, viewport={"width": width, "height": 900})
    return await context.new_page()


async def _errors(page: Page) -> list[str]:
    """The page's script errors, as they happen."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


async def _api(site: Site, path: str) -> Any:
    async with httpx.AsyncClient(base_url=site.url, headers=site.bearer(AUDITOR)) as client:
        response = await client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_period_page_shows_appointments_and_travel_to_staff(site: Site) -> None:
    summary = await _api(site, f"/api/v1/periods/{site.period}/travel")
    for width in WIDTHS:
        page = await _page(site, STAFF, width)
        await page.goto(f"{site.url}/periods/{site.period}?on=2025-06-01")
        await expect(page.locator("h1")).to_have_text(f"第{site.period}期")
        rows = page.locator("#appointments-table tbody tr")
        await expect(rows).to_have_count(3)
        await expect(page.locator("#appointments-table")).to_contain_text("石川 亨")
        await expect(page.locator("#appointments-table")).to_contain_text("令和7年4月30日")
        # 岡谷市's team (placeholder names, no appointment recorded) is listed; 大船渡市's members are appointed
        await expect(page.locator("#gaps-alert")).to_contain_text("令和7年6月1日時点で3件")
        await expect(page.locator("#gaps-table tbody tr")).to_have_count(3)
        await expect(page.locator("#gaps-table tbody")).not_to_contain_text("大船渡市")
        await expect(page.locator("#tr-budget")).to_have_text("¥1,600,000")
        await expect(page.locator("#tr-planned")).to_have_text(yen(summary["total"]["planned_yen"]))
        await expect(page.locator("#tr-settled")).to_have_text(yen(summary["total"]["settled_yen"]))
        await expect(page.locator("#over-share")).to_contain_text("大船渡市")
        await expect(page.locator("#travel-teams tbody tr[data-code]")).to_have_count(len(summary["teams"]))
        await expect(page.locator("#travel-ministries tbody tr")).to_have_count(3)
        ofunato = page.locator("#travel-teams tr[data-code='032034']")
        await expect(ofunato).to_contain_text("¥800,000")
        await expect(ofunato.locator(".badge")).to_have_text("配分超過")
        await page.screenshot(path=str(SCREENSHOTS / f"period-paperwork-{width}.png"), full_page=True)
        assert await page.evaluate(NO_SIDEWAYS), width
        await page.context.close()


async def test_the_downloads_are_the_apis_files(site: Site) -> None:
    page = await _page(site, AUDITOR)
    await page.goto(f"{site.url}/periods/{site.period}")
    for link in ("#roster-downloads a", "#ledger-downloads a"):
        await expect(page.locator(link)).to_have_count(2)
    ledger = await page.request.get(f"{site.url}/periods/{site.period}/travel-ledger.csv")
    assert ledger.status == 200
    rows = list(csv.reader(io.StringIO((await ledger.body()).decode("utf-8-sig"))))
    lines = await _api(site, f"/api/v1/engagements/{site.engagement}/travel")
    assert len(rows) == 1 + len(lines) + 1  # header, one row per line, the totals
    assert rows[-1][0] == "合計"
    roster = await page.request.get(f"{site.url}/periods/{site.period}/roster.xlsx?on=2025-06-01")
    assert roster.status == 200
    assert (await roster.body())[:2] == b"PK"
    await page.context.close()


async def test_the_cockpit_draws_the_budget_for_money_roles_only(site: Site) -> None:
    for width in WIDTHS:
        page = await _page(site, STAFF, width)
        errors = await _errors(page)
        await page.goto(f"{site.url}/?period={site.period}")
        card = page.locator("#travel-budget")
        await expect(card).to_be_visible()
        await expect(card.locator("#tb-budget")).to_have_text("¥1,600,000")
        await expect(card.locator("#tb-alert")).to_be_visible()
        canvas = page.locator("#chart-budget canvas").first
        await expect(canvas).to_be_attached()
        box = await canvas.bounding_box()
        assert box is not None
        assert box["width"] > 100, box
        assert box["height"] > 100, box
        await expect(page.locator("#table-budget tbody tr").first).to_contain_text("令和7年")
        await card.scroll_into_view_if_needed()
        await page.screenshot(path=str(SCREENSHOTS / f"cockpit-budget-{width}.png"), full_page=True)
        assert await page.evaluate(NO_SIDEWAYS), width
        assert not errors, errors
        await page.context.close()
    # every read of the amounts is in the access log: the staff's cockpit visits, with the period they pictured
    async with httpx.AsyncClient(base_url=site.url, headers=site.bearer("kanri")) as client:
        params: dict[str, str | int] = {"actor": f"user:{STAFF}", "object": f"period:{site.period}", "limit": 500}
        log = (await client.get("/api/v1/access-log", params=params)).json()
    assert len([e for e in log["records"] if e["route"] == "GET /"]) >= len(WIDTHS)
    page = await _page(site, ANALYST)
    await page.goto(f"{site.url}/?period={site.period}")
    await expect(page.locator("#chart-stages")).to_be_attached()
    await expect(page.locator("#travel-budget")).to_have_count(0)
    assert "¥" not in await page.locator("main").inner_text()
    await page.context.close()


async def test_the_engagement_page_lists_its_travel_for_money_roles_only(site: Site) -> None:
    lines = await _api(site, f"/api/v1/engagements/{site.engagement}/travel")
    for width in WIDTHS:
        page = await _page(site, STAFF, width)
        await page.goto(f"{site.url}/engagements/{site.engagement}")
        table = page.locator("#travel-lines")
        await expect(table.locator("tbody tr")).to_have_count(len(lines))
        await expect(table.locator("tr[data-settled='false']")).to_have_count(3)  # the 2026-05 site visit
        planned = sum(
            line["planned"]["transport_yen"] + line["planned"]["lodging_yen"] + line["planned"]["daily_allowance_yen"]
            for line in lines
        )
        await expect(page.locator("#et-planned")).to_have_text(yen(planned))
        await expect(table).to_contain_text("令和7年5月29日〜30日")
        # the page is long (every event of the log): the screenshot is the travel section and what is around it
        await page.locator("#travel").scroll_into_view_if_needed()
        await page.screenshot(path=str(SCREENSHOTS / f"engagement-travel-{width}.png"))
        await page.locator("#travel").screenshot(path=str(SCREENSHOTS / f"engagement-travel-section-{width}.png"))
        assert await page.evaluate(NO_SIDEWAYS), width
        await page.context.close()
    page = await _page(site, ANALYST)
    await page.goto(f"{site.url}/engagements/{site.engagement}")
    await expect(page.locator("h1")).to_contain_text("大船渡市")
    await expect(page.locator("#travel")).to_have_count(0)
    await page.context.close()


async def test_other_roles_neither_see_nor_download_the_paperwork(site: Site) -> None:
    page = await _page(site, ANALYST)
    answer = await page.goto(f"{site.url}/periods/{site.period}")
    assert answer is not None
    assert answer.status == 403
    for name in ("roster.csv", "roster.xlsx", "travel-ledger.csv", "travel-ledger.xlsx"):
        download = await page.request.get(f"{site.url}/periods/{site.period}/{name}")
        assert download.status == 403, name
    await page.context.close()


async def test_a_gap_shows_once_an_appointment_ends(site: Site) -> None:
    furuta = "official-3c9ff1db-13a9-5501-a3a8-2ef270e6558f"
    async with httpx.AsyncClient(base_url=site.url, headers=site.bearer("kanri")) as client:
        ended = await client.post(
            f"/api/v1/periods/{site.period}/appointments/{furuta}/end",
            json={"official_id": furuta, "ended_on": "2026-01-01", "reason": "personnel_transfer"},
            headers={"Idempotency-Key": f"paperwork-pages-end-{site.period}"},
        )
    assert ended.status_code in (200, 201), ended.text
    page = await _page(site, STAFF)
    await page.goto(f"{site.url}/periods/{site.period}?on=2026-02-01")
    gap = page.locator(f"#gaps-table tr[data-official='{furuta}']")
    await expect(gap).to_contain_text("古田 匠")
    await expect(gap).to_contain_text("チームにいるが併任なし")
    await expect(page.locator("#gaps-alert")).to_contain_text("令和8年2月1日時点で4件")
    row = page.locator(f"#appointments-table tr[data-official='{furuta}']")
    await expect(row).to_contain_text("人事異動")
    await expect(row).to_contain_text("大船渡市（令和7年4月30日〜12月31日）")  # the last day the term covered
    await page.context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_the_changed_pages_have_no_serious_accessibility_violation(site: Site, lang: str) -> None:
    page = await _page(site, STAFF)
    found: list[tuple[str, dict[str, Any]]] = []
    for path in (f"/periods/{site.period}?on=2025-06-01", f"/?period={site.period}", f"/engagements/{site.engagement}"):
        response = await page.goto(f"{site.url}{path}&lang={lang}" if "?" in path else f"{site.url}{path}?lang={lang}")
        assert response is not None
        assert response.ok, path
        found += [(path, v) for v in await violations(page)]
        if lang == "en" and path.startswith("/periods/"):
            await page.screenshot(path=str(SCREENSHOTS / "period-paperwork-1280-en.png"), full_page=True)
    assert not found, readable(found)
    await page.context.close()


async def test_the_demo_loader_sends_the_paperwork_once(site: Site) -> None:
    """`banso up`'s loader: engagements, their paperwork (visit ids from the receipts) and the next period's
    intake; a second run writes nothing."""
    period = next_period()
    assert next_period() == period + 1  # load_demo puts the intake in the period after the engagements'
    with httpx.Client(base_url=site.url, headers=site.bearer("kanri"), timeout=120) as client:
        first = await asyncio.to_thread(load_demo, client, None, period)
        again = await asyncio.to_thread(load_demo, client, None, period)
    assert first.steps == again.steps == len(demo_steps()) + len(paperwork_steps()) + len(period_steps())
    assert first.new_events >= len(demo_steps()) + len(paperwork_steps())
    assert again.new_events == 0
    lines = await _api(site, f"/api/v1/engagements/engagement-{period}-032034/travel")
    assert len(lines) == sum(1 for s in paperwork_steps() if s["path"].endswith("/travel-plans"))
    assert {line["rates_id"] for line in lines if line["planned"]["lodging_yen"]} == {"r7", "r8"}
