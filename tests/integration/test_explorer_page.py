"""The graph explorer on the real servers with the 大船渡 demo: names in the page language, one node per thing,
grouped expansion, reset and collapse, and a link from every node to its page (in a real Chromium)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Page, expect
from temporalio.client import Client

from services.settings import Settings
from tests.browser import SCREENSHOTS, SignedInBrowser, chromium, served
from tests.conftest import Keycloak, next_period
from tests.integration.test_demo_and_experts import load

pytestmark = pytest.mark.servers

STAFF = "jimukyoku"


@dataclass
class Site(SignedInBrowser):
    """The served app with the demo's period."""

    period: int


@pytest.fixture(scope="module")
async def site(
    module_api: httpx.AsyncClient, prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
) -> AsyncIterator[Site]:
    period = next_period()
    await load(module_api, period)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        yield Site(url, browser, keycloak, period)


@pytest.fixture
async def page(site: Site) -> AsyncIterator[Page]:
    context = await site.context_of(STAFF)
    tab = await context.new_page()
    yield tab
    await context.close()


async def neighbours(page: Page, site: Site, kind: str, key: str, lang: str = "ja") -> dict[str, Any]:
    response = await page.request.get(
        f"{site.url}/explorer/neighbours", params={"kind": kind, "key": key, "lang": lang}
    )
    assert response.status == 200, (kind, key)
    found: dict[str, Any] = await response.json()
    return found


def every_node(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The nodes shown at once and those inside group nodes."""
    inside = [n["data"] for g in found["groups"].values() for n in g["nodes"]]
    return [n["data"] for n in found["nodes"]] + inside


async def test_neighbours_are_named_in_the_page_language_once_each_and_grouped(site: Site, page: Page) -> None:
    engagement = f"engagement-{site.period}-032034"
    ja = await neighbours(page, site, "engagement", engagement)
    en = await neighbours(page, site, "engagement", engagement, lang="en")
    for found in (ja, en):
        ids = [n["id"] for n in every_node(found)]
        assert len(ids) == len(set(ids)), "a node twice"
        assert all(n["label"] and not n["label"].isdigit() for n in every_node(found))
        edges = [e["data"] for e in found["edges"]] + [e["data"] for g in found["groups"].values() for e in g["edges"]]
        assert len({e["id"] for e in edges}) == len(edges)
    kinds_ja = {n["kind"]: n["kind_label"] for n in every_node(ja)}
    kinds_en = {n["kind"]: n["kind_label"] for n in every_node(en)}
    assert kinds_ja["team"] == "チーム"
    assert kinds_en["team"] == "Team"
    assert kinds_ja["municipality"] == "市町村"
    assert kinds_ja["engagement"] == "伴走支援"
    assert kinds_ja["theme"] == "テーマ"
    assert kinds_ja["period"] == "期"
    labels_ja = {n["id"]: n["label"] for n in every_node(ja)}
    labels_en = {n["id"]: n["label"] for n in every_node(en)}
    assert labels_ja[f"period:{site.period}"] == f"第{site.period}期"
    assert labels_en[f"period:{site.period}"] == f"Period {site.period}"
    assert {"チーム", "支援テーマ"} <= {e["data"]["label"] for e in ja["edges"]}
    # the 29 activities are more than a page: one group node, its members listed once under `groups`
    group = next(n["data"] for n in ja["nodes"] if n["data"]["kind"] == "group")
    assert group["of_kind"] == "activity"
    assert re.fullmatch(r"活動 \(\d+\)", group["label"]), group["label"]
    members = ja["groups"][group["id"]]["nodes"]
    assert len(members) == group["count"] > 12
    assert all(re.fullmatch(r"(会議|現地訪問|企業訪問|\S+) 令和\d+年\d+月\d+日", m["data"]["label"]) for m in members)
    assert all(m["data"]["href"].startswith(f"/engagements/{engagement}#event-") for m in members)
    assert not any(n["data"]["kind"] == "activity" for n in ja["nodes"])
    # every node links to its page
    hrefs = {n["kind"]: n.get("href") for n in every_node(ja)}
    assert hrefs["municipality"] == f"/engagements/{engagement}"
    assert str(hrefs["theme"]).startswith("/engagements?theme=")
    assert hrefs["period"] == f"/engagements?period={site.period}"


async def test_one_node_per_official_whether_found_by_name_or_by_id(site: Site, page: Page) -> None:
    by_name = await neighbours(page, site, "official", "石川 亨")
    source = by_name["nodes"][0]["data"]
    assert source["kind_label"] == "支援官"
    assert source["id"].startswith("official:official-")
    assert source["label"] == "石川 亨"
    by_id = await neighbours(page, site, "official", source["id"].removeprefix("official:"))
    assert by_id["nodes"][0]["data"]["id"] == source["id"]
    team = next(n["data"] for n in by_name["nodes"] if n["data"]["kind"] == "team")
    from_team = await neighbours(page, site, "team", team["id"].removeprefix("team:"))
    assert source["id"] in {n["id"] for n in every_node(from_team)}  # the same person, not a second node
    assert source["href"] == f"/engagements/engagement-{site.period}-032034"
    for kind, key in (("period", str(site.period)), ("municipality", "大船渡市"), ("ministry", "国土交通省")):
        found = await neighbours(page, site, kind, key)
        ids = [n["id"] for n in every_node(found)]
        assert len(ids) == len(set(ids)), kind
    assert (
        await page.request.get(f"{site.url}/explorer/neighbours?kind=municipality&key=どこにもない市")
    ).status == 404


NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"
SLOW = 20_000  # the neighbours are fetched after the page loads, on a machine shared with other test runs


async def test_explore_from_ofunato_expand_group_reset_and_follow_a_link(site: Site) -> None:
    for width, height in ((1440, 1000), (390, 844)):
        context = await site.context_of(STAFF, viewport={"width": width, "height": height})
        page = await context.new_page()
        await page.goto(f"{site.url}/explorer")
        await expect(page.locator("#x-legend li[data-kind=official]")).to_have_text("支援官", timeout=SLOW)
        await page.select_option("#x-kind", "municipality")
        await page.fill("#x-key", "大船渡市")
        await page.press("#x-key", "Enter")
        buttons = page.locator("#graph-list button")
        await expect(buttons.filter(has_text="大船渡市").first).to_be_visible(timeout=SLOW)
        await expect(page.locator("#x-name")).to_have_text("大船渡市", timeout=SLOW)
        start = await buttons.count()
        await page.locator("#graph-list button[data-kind=engagement]").click()  # expand the engagement
        group = page.locator("#graph-list button[data-kind=group]")
        await expect(group).to_have_text(re.compile(r"活動 \(\d+\)"), timeout=SLOW)
        shown = await buttons.count()
        assert shown > start
        ids = await page.evaluate("[...document.querySelectorAll('#graph-list button')].map(b => b.dataset.id)")
        assert len(ids) == len(set(ids))
        await group.click()  # the first page of activities
        await expect(buttons).to_have_count(shown + 12, timeout=SLOW)
        await expect(group).to_have_text(re.compile(r"活動 \(残り\d+件\)"), timeout=SLOW)
        await page.screenshot(path=str(SCREENSHOTS / f"explorer-{width}.png"), full_page=True)
        assert await page.evaluate(NO_SIDEWAYS), width
        await page.click("#x-reset")
        await expect(buttons).to_have_count(start, timeout=SLOW)
        # keyboard: choose a theme from the list, then follow its page link from the details panel
        await page.locator("#graph-list button[data-kind=engagement]").focus()
        await page.keyboard.press("Enter")
        await expect(page.locator("#x-kind-name")).to_have_text("伴走支援", timeout=SLOW)
        await page.click("#x-collapse")
        await expect(buttons).to_have_count(start, timeout=SLOW)
        await page.locator("#graph-list button[data-kind=municipality]").focus()
        await page.keyboard.press("Enter")
        link = page.locator("#x-page")
        await expect(link).to_have_attribute("href", f"/engagements/engagement-{site.period}-032034", timeout=SLOW)
        await link.focus()
        await page.keyboard.press("Enter")
        await expect(page).to_have_url(re.compile(rf"/engagements/engagement-{site.period}-032034$"), timeout=30_000)
        await context.close()


async def test_the_page_reads_in_english(site: Site, page: Page) -> None:
    await page.goto(f"{site.url}/explorer?kind=municipality&key=大船渡市&lang=en")
    await expect(page.locator("#x-legend li[data-kind=municipality]")).to_have_text("Municipality", timeout=SLOW)
    await expect(page.locator("#x-kind option[value=official]")).to_have_text("Official", timeout=SLOW)
    await expect(page.locator("#x-kind-name")).to_have_text("Municipality", timeout=SLOW)
