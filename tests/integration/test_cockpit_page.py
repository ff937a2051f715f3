"""The cockpit (支援状況) on the real servers with the 大船渡 demo, in a real headless Chromium.

The module's graph holds three periods: the demo engagements (support under way), the demo intake with
its first proposal (call opened in the past, matching under review), and a later period whose call opens
next month. The cockpit opens on the running period — the intake under review, not the newest number —
and draws its charts (ECharts) from data that must match the graph.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Page, expect
from temporalio.client import Client

from banso.demo.load import period_steps
from services.api.period_commands import PeriodCommands
from services.api.problems import Unavailable
from services.settings import Settings
from tests.browser import SCREENSHOTS, chromium, served
from tests.conftest import Keycloak, next_period
from tests.integration.test_demo_and_experts import load
from tests.integration.test_web_app import STAFF, Site

pytestmark = pytest.mark.servers

DEMO = Path(__file__).resolve().parents[2] / "banso" / "demo" / "engagements.json"
CHARTS = ("chart-stages", "chart-months", "chart-contact", "chart-map")


@dataclass
class Cockpit:
    """The served site and the module's three periods."""

    site: Site
    support: int  # the demo engagements (大船渡市, 岡谷市)
    matching: int  # the demo intake: 18 volunteers, 6 applications, a proposal under review
    upcoming: int  # a call that opens next month


@pytest.fixture(scope="module")
async def cockpit(
    module_api: httpx.AsyncClient, prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
) -> AsyncIterator[Cockpit]:
    support, matching, upcoming = next_period(), next_period(), next_period()
    await load(module_api, support)
    headers = {"X-Banso-Actor": "demo-loader"}
    for step in period_steps(matching):
        response = await module_api.post(
            step["path"], json=step["body"], headers=headers | {"Idempotency-Key": step["key"]}
        )
        assert response.status_code in (200, 201), response.text
    opens = date.today() + timedelta(days=30)
    call = {
        "period": upcoming,
        "opens_on": opens.isoformat(),
        "closes_on": (opens + timedelta(days=30)).isoformat(),
        "themes_on_offer": ["観光振興"],
    }
    response = await module_api.post(
        "/api/v1/periods", json=call, headers=headers | {"Idempotency-Key": f"cockpit-upcoming-{upcoming}"}
    )
    assert response.status_code in (200, 201), response.text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        yield Cockpit(Site(url, browser, keycloak, support, support, matching), support, matching, upcoming)


@dataclass
class Tab:
    page: Page
    errors: list[str]


async def open_tab(cockpit: Cockpit, width: int = 1440, lang: str = "ja") -> Tab:
    context = await cockpit.site.context_of(STAFF)
    await context.close()
    context = await cockpit.site.browser.new_context(
        locale="ja-JP" if lang == "ja" else "en-GB",
        viewport={"width": width, "height": 900},
        storage_state=cockpit.site.signed_in[STAFF],
    )
    page = await context.new_page()
    errors: list[str] = []
    # console errors and failed loads, with their URL; Chromium's own favicon request is not the page's
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith("/favicon.ico") else None
        ),
    )
    return Tab(page, errors)


@pytest.fixture
async def tab(cockpit: Cockpit) -> AsyncIterator[Tab]:
    t = await open_tab(cockpit)
    yield t
    await t.page.context.close()


async def chart_data(page: Page) -> dict[str, Any]:
    text = await page.locator("#chart-data").text_content()
    assert text
    data: dict[str, Any] = json.loads(text)
    return data


async def charts_drawn(page: Page) -> None:
    """Every chart has a canvas of its container's size (ECharts drew it)."""
    for chart in CHARTS:
        canvas = page.locator(f"#{chart} canvas").first
        await expect(canvas).to_be_attached()
        box = await canvas.bounding_box()
        assert box, chart
        assert box["width"] > 100, (chart, box)
        assert box["height"] > 100, (chart, box)
    drawn = await page.evaluate(
        "ids => ids.map(id => !!window.echarts.getInstanceByDom(document.getElementById(id)))", list(CHARTS)
    )
    assert all(drawn), drawn


async def test_opens_on_the_running_period_with_its_matching_status(cockpit: Cockpit, tab: Tab) -> None:
    page = tab.page
    await page.goto(f"{cockpit.site.url}/")
    await expect(page.locator("h1")).to_contain_text(f"第{cockpit.matching}期")
    await expect(page.locator("#period")).to_have_value(str(cockpit.matching))
    status = page.locator("#period-status")
    await expect(status).to_have_attribute("data-phase", "proposed")
    await expect(status.locator("#phase")).to_have_text("マッチング案の確認中")
    await expect(status.locator("#running")).to_be_visible()
    await expect(status.locator("#st-volunteers")).to_have_text("18")
    await expect(status.locator("#st-applications")).to_have_text("6")
    assert int(await status.locator("#st-proposal").inner_text()) > 0
    await expect(status).to_contain_text("令和8年2月2日〜令和8年2月27日")
    review = page.locator("#review-link")
    await expect(review).to_have_attribute("href", f"/periods/{cockpit.matching}")
    # the period under review has no engagements yet: the figures and charts are the support under way
    await expect(page.locator("#engagements-summary")).to_have_attribute("data-period", str(cockpit.support))
    await expect(page.locator("#shown-note")).to_contain_text(f"第{cockpit.support}期")
    await expect(page.locator("#fig-teams")).to_have_text("2チーム")
    await charts_drawn(page)
    assert tab.errors == []
    await review.click()
    await expect(page).to_have_url(f"{cockpit.site.url}/periods/{cockpit.matching}")


async def test_the_upcoming_and_the_support_periods_can_still_be_chosen(cockpit: Cockpit, tab: Tab) -> None:
    page = tab.page
    await page.goto(f"{cockpit.site.url}/?period={cockpit.upcoming}")
    await expect(page.locator("#period-status")).to_have_attribute("data-phase", "open")
    await expect(page.locator("#running")).to_have_count(0)
    await page.goto(f"{cockpit.site.url}/?period={cockpit.support}")
    await expect(page.locator("#period-status")).to_have_count(0)  # no call was opened through Banso
    await expect(page.locator("#shown-note")).to_have_count(0)
    await expect(page.locator("#fig-officials .n")).to_have_text("6")
    await expect(page.locator("#fig-online .n")).to_have_text("16")
    await expect(page.locator("#fig-site .n")).to_have_text("5")
    await expect(page.locator("#fig-company .n")).to_have_text(
        "4"
    )  # visits (8 companies: the engagement page counts those)


async def test_chart_data_matches_the_graph_and_the_demo(cockpit: Cockpit, tab: Tab, driver: AsyncDriver) -> None:
    page = tab.page
    await page.goto(f"{cockpit.site.url}/?period={cockpit.support}")
    data = await chart_data(page)
    # engagements by stage, as the graph has them
    records, _, _ = await driver.execute_query(
        "MATCH (e:Engagement {period: $p}) RETURN e.stage AS stage, count(*) AS n", p=cockpit.support
    )
    in_graph = {r["stage"]: r["n"] for r in records}
    stage_keys = [link.rsplit("=", 1)[1] for link in data["stages"]["links"]]
    shown = dict(zip(stage_keys, data["stages"]["values"], strict=True))
    assert {k: v for k, v in shown.items() if v} == in_graph
    assert data["stages"]["labels"][stage_keys.index("outcomes")] == "成果"
    # activities per month: the demo file's activities, month by month and kind by kind
    steps = json.loads(DEMO.read_text(encoding="utf-8"))["steps"]
    expected = Counter(
        (s["body"]["start_date"][:7], s["body"]["kind"]) for s in steps if s["path"].endswith("/activities")
    )
    months = data["months"]["months"]
    drawn = Counter(
        {(m, s["kind"]): n for s in data["months"]["series"] for m, n in zip(months, s["values"], strict=True) if n}
    )
    assert drawn == expected
    assert (months[0], months[-1], len(months)) == ("2025-04", "2026-05", 14)  # empty months kept
    assert data["months"]["full"][0] == "令和7年4月"
    names = {s["kind"]: s["name"] for s in data["months"]["series"]}
    assert (names["online_meeting"], names["site_visit"]) == ("オンライン会議", "現地訪問")
    # last contact: every open engagement with a contact, quietest first, each linked to its page
    records, _, _ = await driver.execute_query(
        "MATCH (e:Engagement {period: $p}) WHERE e.last_contact IS NOT NULL AND NOT e.stage IN ['closed','withdrawn'] "
        "RETURN e.id AS id, e.last_contact AS last",
        p=cockpit.support,
    )
    ofunato = f"engagement-{cockpit.support}-032034"
    contact = data["contact"]
    assert contact["links"] == [f"/engagements/{r['id']}" for r in records] == [f"/engagements/{ofunato}"]
    last = date.fromisoformat(str(records[0]["last"]))
    assert contact["values"] == [(date.today() - last).days]
    assert contact["labels"] == ["大船渡市（岩手県）"]
    # the prefectures: 大船渡市 in 岩手県, 岡谷市 in 長野県
    assert {a["id"]: a["value"] for a in data["map"]["areas"]} == {"iwate": 1, "nagano": 1}
    assert data["map"]["names"]["iwate"] == "岩手県"
    # the tables say the same in text
    await expect(page.locator("#table-map tr[data-prefecture='iwate']")).to_contain_text("岩手県")
    await expect(page.locator("#table-contact tbody tr")).to_have_count(1)
    assert tab.errors == []


async def test_the_map_shades_iwate_and_the_contact_bar_opens_the_engagement(cockpit: Cockpit, tab: Tab) -> None:
    page = tab.page
    await page.goto(f"{cockpit.site.url}/?period={cockpit.support}")
    await charts_drawn(page)
    fills = await page.evaluate(
        """names => {
          const chart = echarts.getInstanceByDom(document.getElementById('chart-map'));
          const data = chart.getModel().getSeriesByIndex(0).getData();
          return Object.fromEntries(names.map(n => {
            const i = data.indexOfName(n);
            const style = i < 0 ? null : data.getItemVisual(i, 'style');
            return [n, {value: i < 0 ? null : data.get('value', i), fill: style ? style.fill : null}];
          }));
        }""",
        ["iwate", "nagano"],
    )
    assert fills["iwate"]["value"] == 1, fills
    assert fills["iwate"]["fill"], fills
    assert fills["nagano"]["fill"] == fills["iwate"]["fill"]
    # the region iwate is drawn with that fill: read the pixel at its centre from the canvas
    shaded = await page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('chart-map'));
          const region = chart.getModel().getSeriesByIndex(0).coordinateSystem.getRegion('iwate');
          const [x, y] = chart.convertToPixel({seriesIndex: 0}, region.getCenter());
          const canvas = document.querySelector('#chart-map canvas');
          const ratio = canvas.width / canvas.getBoundingClientRect().width;
          const pixel = canvas.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1);
          const [r, g, b] = pixel.data;
          return [r, g, b];
        }"""
    )
    assert shaded != [242, 244, 247], shaded  # not the unshaded grey
    assert shaded[2] > shaded[0], shaded  # but bluish
    await expect(page.locator(".credit")).to_contain_text("CC BY 4.0")
    # a click on the 大船渡市 bar opens its engagement
    canvas = page.locator("#chart-contact canvas").first
    await canvas.scroll_into_view_if_needed()
    x, y = await page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('chart-contact'));
          const days = chart.getOption().series[0].data[0];
          return chart.convertToPixel({seriesIndex: 0}, [days / 2, 0]);
        }"""
    )
    box = await canvas.bounding_box()
    assert box
    await page.mouse.click(box["x"] + x, box["y"] + y)
    await expect(page).to_have_url(f"{cockpit.site.url}/engagements/engagement-{cockpit.support}-032034")
    # a click on 岩手県 opens the period's engagements there
    await page.goto(f"{cockpit.site.url}/?period={cockpit.support}")
    await charts_drawn(page)
    canvas = page.locator("#chart-map canvas").first
    await canvas.scroll_into_view_if_needed()
    x, y = await page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('chart-map'));
          const region = chart.getModel().getSeriesByIndex(0).coordinateSystem.getRegion('iwate');
          return chart.convertToPixel({seriesIndex: 0}, region.getCenter());
        }"""
    )
    box = await canvas.bounding_box()
    assert box
    await page.mouse.click(box["x"] + x, box["y"] + y)
    await expect(page).to_have_url(
        re.compile(rf"/engagements\?period={cockpit.support}&prefecture=%E5%B2%A9%E6%89%8B%E7%9C%8C$")
    )
    await expect(page.locator("main")).to_contain_text("大船渡市")
    assert tab.errors == []


@pytest.mark.parametrize("width", [1440, 390])
async def test_the_charts_render_at_desktop_and_phone_widths(cockpit: Cockpit, width: int) -> None:
    t = await open_tab(cockpit, width)
    page = t.page
    try:
        for period, name in ((None, "running"), (cockpit.support, "support")):
            await page.goto(f"{cockpit.site.url}/" + (f"?period={period}" if period else ""))
            await charts_drawn(page)
            for chart in CHARTS:
                box = await page.locator(f"#{chart}").bounding_box()
                assert box, chart
                assert box["x"] >= 0, (chart, box)
                assert box["x"] + box["width"] <= width + 1, (chart, box)
            await page.screenshot(path=str(SCREENSHOTS / f"cockpit-{name}-{width}.png"), full_page=True)
        # resizing the window redraws the charts at the new width
        await page.set_viewport_size({"width": 1440 if width == 390 else 390, "height": 900})
        await page.wait_for_timeout(300)
        inner = await page.evaluate(
            "() => [document.getElementById('chart-map').clientWidth, "
            "echarts.getInstanceByDom(document.getElementById('chart-map')).getWidth()]"
        )
        assert abs(inner[0] - inner[1]) <= 1, inner
        assert t.errors == []
    finally:
        await page.context.close()


async def test_english_labels(cockpit: Cockpit) -> None:
    t = await open_tab(cockpit, lang="en")
    page = t.page
    try:
        await page.goto(f"{cockpit.site.url}/?period={cockpit.support}&lang=en")
        data = await chart_data(page)
        assert data["stages"]["title"] == "Engagements by stage"
        assert "Outcomes" in data["stages"]["labels"]
        assert data["map"]["names"]["iwate"] == "Iwate"
        assert data["contact"]["unit"] == "{n} days"
        await charts_drawn(page)
        await page.screenshot(path=str(SCREENSHOTS / "cockpit-support-1440-en.png"), full_page=True)
        assert t.errors == []
    finally:
        await page.context.close()


async def test_without_the_workflow_engine_the_cockpit_still_shows_the_records(
    cockpit: Cockpit, tab: Tab, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def away(self: PeriodCommands, period: int) -> None:
        raise Unavailable()

    monkeypatch.setattr(PeriodCommands, "state", away)
    page = tab.page
    response = await page.goto(f"{cockpit.site.url}/")
    assert response is not None
    assert response.status == 200
    await expect(page.locator("h1")).to_contain_text(f"第{cockpit.matching}期")
    await expect(page.locator("#status-unavailable")).to_be_visible()
    await expect(page.locator("#status-unavailable a")).to_have_attribute("href", f"/periods/{cockpit.matching}")
    await expect(page.locator("#period-status")).to_have_count(0)
    await charts_drawn(page)
