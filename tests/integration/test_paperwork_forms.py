"""The paperwork forms on the real servers with the 大船渡 demo and its paperwork, in a real headless Chromium:
staff plan and settle a visit participant's 支援旅費 on the engagement page, and appoint (併任発令) and end (解除)
on the period page. Each form sends the API's payload and Temporal update (the log shows the event, with 宿泊
and 日当 estimated from the rates when left empty); a bad amount is a field error and writes nothing; a refusal
reads as a message in the page's language; analysts and officials may not post them. Screenshots of each form
at 390 px and 1280 px."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Page, expect
from temporalio.client import Client

from schemas.money import Rates, estimate, rates_on
from services.settings import Settings
from tests.browser import SCREENSHOTS, chromium, served
from tests.conftest import Keycloak
from tests.integration.test_accessibility import readable, violations
from tests.integration.test_paperwork_pages import NO_SIDEWAYS, Site, _post, load_paperwork_demo

pytestmark = pytest.mark.servers

STAFF, OFFICIAL, ANALYST, AUDITOR = "jimukyoku", "shienkan", "bunseki", "kansa"
ISHIKAWA = "official-d2304643-d001-5e6c-b600-d0195959edee"
FURUTA = "official-3c9ff1db-13a9-5501-a3a8-2ef270e6558f"
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
async def site(
    module_api: httpx.AsyncClient, prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
) -> AsyncIterator[Site]:
    period = await load_paperwork_demo(module_api, temporal)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        yield Site(url, browser, keycloak, period)


@pytest.fixture(scope="module")
async def visit(site: Site, module_api: httpx.AsyncClient) -> str:
    """A site visit of 石川 and 古田 (no travel recorded yet): the event id the travel forms are for."""
    body = {
        "kind": "site_visit",
        "start_date": "2026-06-10",
        "end_date": "2026-06-11",
        "place": "大船渡市",
        "participant_ids": [ISHIKAWA, FURUTA],
    }
    receipt = await _post(module_api, f"/api/v1/engagements/{site.engagement}/activities", body, f"forms-{site.period}")
    return str(receipt["event_id"])


async def _page(site: Site, user: str, width: int = 1280) -> Page:
    context = await site.context_of(user, viewport={"width": width, "height": 900})
    return await context.new_page()


async def _log(site: Site) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=site.url, headers=site.bearer(AUDITOR), timeout=60) as client:
        answer = await client.get(f"/api/v1/engagements/{site.engagement}/events")
    assert answer.status_code == 200, answer.text
    events: list[dict[str, Any]] = answer.json()["events"]
    return events


async def _api(site: Site, path: str) -> Any:
    async with httpx.AsyncClient(base_url=site.url, headers=site.bearer(AUDITOR), timeout=60) as client:
        response = await client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


async def _open_plan(page: Page, site: Site, line: str) -> None:
    await page.goto(f"{site.url}/engagements/{site.engagement}")
    await page.locator(f"#travel-choices li[data-line='{line}'] a").first.click()
    await expect(page.locator("#travel-form")).to_be_visible()


async def test_a_bad_amount_is_a_field_error_and_writes_nothing(site: Site, visit: str) -> None:
    before = len(await _log(site))
    for amount, message in (("1.5", "整数を入力してください"), ("-100", "0 以上")):
        page = await _page(site, STAFF)
        await _open_plan(page, site, f"{visit}/{ISHIKAWA}")
        await page.fill("#tv-transport_yen", amount)
        await page.click("#travel-form button[type=submit]")
        await expect(page.locator("#tv-errors")).to_be_visible()
        await expect(page.locator("#tv-errors a[href='#tv-transport_yen']")).to_contain_text("交通費（円）")
        await expect(page.locator("#err-tv-transport_yen")).to_contain_text(message)
        await expect(page.locator("#tv-transport_yen")).to_have_attribute("aria-invalid", "true")
        await expect(page.locator("#tv-transport_yen")).to_have_value(amount)  # what was typed is kept
        if amount == "1.5":
            await page.screenshot(path=str(SCREENSHOTS / "travel-plan-form-refused-1280.png"))
        await page.context.close()
    assert len(await _log(site)) == before


async def test_a_plan_from_the_form_is_travel_planned_with_estimated_amounts(site: Site, visit: str) -> None:
    for width in WIDTHS:  # the form, as staff see it
        page = await _page(site, STAFF, width)
        await _open_plan(page, site, f"{visit}/{ISHIKAWA}")
        await expect(page.locator("#tv-departs_on")).to_have_value("2026-06-10")
        await expect(page.locator("#tv-returns_on")).to_have_value("2026-06-11")
        await page.locator("#travel-form").scroll_into_view_if_needed()
        await page.screenshot(path=str(SCREENSHOTS / f"travel-plan-form-{width}.png"))
        await page.locator("#travel").screenshot(path=str(SCREENSHOTS / f"travel-forms-section-{width}.png"))
        assert await page.evaluate(NO_SIDEWAYS), width
        await page.context.close()
    page = await _page(site, STAFF)
    await _open_plan(page, site, f"{visit}/{ISHIKAWA}")
    await page.fill("#tv-origin", "東京")
    await page.fill("#tv-transport_yen", "３４,０００")  # 全角 digits and a separator, as people type them
    await page.click("#travel-form button[type=submit]")
    await expect(page.locator("#travel-saved")).to_have_text("記録しました")
    event = (await _log(site))[-1]
    assert event["type"] == "TravelPlanned"
    assert event["actor"] == f"user:{STAFF}"
    data = event["data"]
    rates = [Rates.model_validate(r) for r in await _api(site, "/api/v1/travel-rates")]
    chosen = rates_on(rates, date(2026, 6, 10))
    assert chosen is not None
    guess = estimate(chosen, date(2026, 6, 10), date(2026, 6, 11), 1)
    assert (data["transport_yen"], data["nights"], data["rates_id"]) == (34000, 1, chosen.rates_id)
    assert (data["lodging_yen"], data["daily_allowance_yen"]) == (guess.lodging_yen, guess.daily_allowance_yen)
    assert data["lodging_yen"] > 0
    line = page.locator(f"#travel-choices li[data-line='{visit}/{ISHIKAWA}']")
    await expect(line).to_have_attribute("data-planned", "true")
    await page.context.close()


async def test_a_settlement_from_the_form(site: Site, visit: str) -> None:
    page = await _page(site, STAFF)
    await page.goto(f"{site.url}/engagements/{site.engagement}")
    line = page.locator(f"#travel-choices li[data-line='{visit}/{ISHIKAWA}']")
    await line.locator("a", has_text="精算を記録").click()
    await expect(page.locator("#h-travel-form")).to_have_text("旅費の精算")
    await expect(page.locator("#tv-transport_yen")).to_have_value("34000")  # the plan's amounts to start from
    await page.locator("#travel-form").scroll_into_view_if_needed()
    await page.screenshot(path=str(SCREENSHOTS / "travel-settle-form-1280.png"))
    await page.fill("#tv-settled_on", "2026-06-30")
    await page.fill("#tv-transport_yen", "35260")
    await page.fill("#tv-note", "座席指定の実費")
    await page.click("#travel-form button[type=submit]")
    await expect(page.locator("#travel-saved")).to_have_text("記録しました")
    event = (await _log(site))[-1]
    assert event["type"] == "TravelSettled"
    assert event["data"]["transport_yen"] == 35260
    assert event["data"]["note"] == "座席指定の実費"
    await expect(page.locator(f"#travel-choices li[data-line='{visit}/{ISHIKAWA}']")).to_have_count(0)
    row = page.locator(f"#travel-lines tr[data-key='{visit}/{ISHIKAWA}']")
    await expect(row).to_have_attribute("data-settled", "true")
    await page.context.close()
    small = await _page(site, STAFF, 390)
    await small.goto(f"{site.url}/engagements/{site.engagement}?travel=settle&line={visit}/{ISHIKAWA}")
    await expect(small.locator("#travel-form")).to_have_count(0)  # settled: no form any more
    await small.goto(f"{site.url}/engagements/{site.engagement}")
    planned = small.locator("#travel-choices li[data-planned='true'] a", has_text="精算を記録").first
    await planned.click()
    await small.locator("#travel-form").scroll_into_view_if_needed()
    await small.screenshot(path=str(SCREENSHOTS / "travel-settle-form-390.png"))
    assert await small.evaluate(NO_SIDEWAYS)
    await small.context.close()


async def test_auditors_see_the_lines_without_the_forms(site: Site, visit: str) -> None:
    page = await _page(site, AUDITOR)
    await page.goto(f"{site.url}/engagements/{site.engagement}")
    await expect(page.locator("#travel-lines")).to_be_visible()
    await expect(page.locator("#travel-choices")).to_have_count(0)
    await expect(page.locator("#h-travel-record")).to_have_count(0)
    await page.goto(f"{site.url}/periods/{site.period}")
    await expect(page.locator("#appointments-table")).to_be_visible()
    await expect(page.locator("#appoint-form")).to_have_count(0)
    await expect(page.locator(".end-link")).to_have_count(0)
    await page.context.close()


async def _appointment(site: Site, official_id: str) -> dict[str, Any] | None:
    views = await _api(site, f"/api/v1/periods/{site.period}/appointments")
    return next((v for v in views if v["official_id"] == official_id and v["ended_on"] is None), None) or next(
        (v for v in views if v["official_id"] == official_id), None
    )


async def test_an_appointment_and_its_end_from_the_period_page(site: Site) -> None:
    for width in WIDTHS:
        page = await _page(site, STAFF, width)
        await page.goto(f"{site.url}/periods/{site.period}")
        await page.locator("#appoint-form").scroll_into_view_if_needed()
        await page.locator("#appoint-form").screenshot(path=str(SCREENSHOTS / f"appoint-form-{width}.png"))
        assert await page.evaluate(NO_SIDEWAYS), width
        await page.context.close()
    page = await _page(site, STAFF)
    await page.goto(f"{site.url}/periods/{site.period}")
    options = page.locator("#ap-member option[value*='@']")
    assert await options.count() > 0
    member = await options.first.get_attribute("value")
    assert member
    official_id = member.partition("@")[0]
    await page.select_option("#ap-member", member)
    await page.fill("#ap-appointed_on", "2026-07-01")
    await page.fill("#ap-term_ends_on", "2026-06-30")  # before the appointment: refused at its field
    await page.click("#appoint-form button[type=submit]")
    await expect(page.locator("#err-ap-term_ends_on")).to_have_text("任期の末日が発令日より前です")
    assert await _appointment(site, official_id) is None  # nothing written
    await page.fill("#ap-term_ends_on", "2027-03-31")  # the fiscal year's end: months ahead
    await page.fill("#ap-notice", "府地創第1号（テスト）")
    await page.click("#appoint-form button[type=submit]")
    await expect(page.locator("p.ok[role=status]")).to_have_text("記録しました")
    issued = await _appointment(site, official_id)
    assert issued is not None
    assert issued["appointed_on"] == "2026-07-01"
    assert issued["term_ends_on"] == "2027-03-31"
    assert issued["ended_on"] is None
    row = page.locator(f"#appointments-table tr[data-official='{official_id}']")
    await row.locator(".end-link").click()
    await expect(page.locator("#end-form")).to_be_visible()
    await page.locator("#end-form").screenshot(path=str(SCREENSHOTS / "appointment-end-form-1280.png"))
    await page.fill("#ae-ended_on", "2026-09-30")
    await page.select_option("#ae-reason", "other")  # other without a note: refused at the note
    await page.click("#end-form button[type=submit]")
    await expect(page.locator("#err-ae-note")).to_have_text("解除の理由をメモに記入してください")
    await page.fill("#ae-note", "本務の都合（テスト）")
    await page.click("#end-form button[type=submit]")
    await expect(page.locator("p.ok[role=status]")).to_have_text("記録しました")
    ended = await _appointment(site, official_id)
    assert ended is not None
    assert (ended["ended_on"], ended["end_reason"]) == ("2026-09-30", "other")
    await page.context.close()
    small = await _page(site, STAFF, 390)
    await small.goto(f"{site.url}/periods/{site.period}?end={ISHIKAWA}")
    await small.locator("#end-form").scroll_into_view_if_needed()
    await small.locator("#end-form").screenshot(path=str(SCREENSHOTS / "appointment-end-form-390.png"))
    assert await small.evaluate(NO_SIDEWAYS)
    await small.context.close()


async def test_a_refusal_reads_as_a_message_in_the_pages_language(site: Site) -> None:
    page = await _page(site, STAFF)
    await page.goto(f"{site.url}/periods/{site.period}")
    token = await page.locator("#appoint-form input[name=csrf_token]").get_attribute("value")
    assert token
    form: dict[str, str | float | bool] = {
        "csrf_token": token,
        "member": f"{ISHIKAWA}@032034",
        "appointed_on": "2026-07-01",
        "key": "again-1",
    }
    posted = await page.request.post(
        f"{site.url}/periods/{site.period}/appointments/issue", form=form, headers={"Origin": site.url}
    )
    assert posted.status == 409
    await page.set_content(await posted.text())
    errors = page.locator("#ap-errors")
    await expect(errors).to_contain_text("記録できませんでした")
    text = await errors.inner_text()
    assert "併任" in text, text
    await page.context.close()


@pytest.mark.parametrize("user", [ANALYST, OFFICIAL])
async def test_analysts_and_officials_may_not_post_them(site: Site, visit: str, user: str) -> None:
    page = await _page(site, user)
    await page.goto(f"{site.url}/")
    token = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token
    before = len(await _log(site))
    appointments = await _api(site, f"/api/v1/periods/{site.period}/appointments")
    posts: dict[str, dict[str, str | float | bool]] = {
        f"/engagements/{site.engagement}/travel/plan": {
            "visit_event_id": visit,
            "official_id": FURUTA,
            "departs_on": "2026-06-10",
            "returns_on": "2026-06-11",
            "transport_yen": "1000",
        },
        f"/periods/{site.period}/appointments/end": {
            "official_id": FURUTA,
            "ended_on": "2026-07-01",
            "reason": "team_change",
        },
    }
    for path, form in posts.items():
        posted = await page.request.post(
            f"{site.url}{path}", form=form | {"csrf_token": token}, headers={"Origin": site.url}
        )
        assert posted.status == 403, (user, path)
        assert "この操作はあなたの役割では許可されていません" in await posted.text()
    assert len(await _log(site)) == before
    assert await _api(site, f"/api/v1/periods/{site.period}/appointments") == appointments
    await page.context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_the_open_forms_have_no_serious_accessibility_violation(site: Site, visit: str, lang: str) -> None:
    page = await _page(site, STAFF)
    found: list[tuple[str, dict[str, Any]]] = []
    for path in (
        f"/engagements/{site.engagement}?travel=plan&line={visit}/{FURUTA}",
        f"/periods/{site.period}?end={FURUTA}",
    ):
        response = await page.goto(f"{site.url}{path}&lang={lang}")
        assert response is not None
        assert response.ok, path
        await expect(page.locator("#travel-form, #end-form")).to_have_count(1)
        found += [(path, v) for v in await violations(page)]
    assert not found, readable(found)
    await page.context.close()


async def test_a_form_sent_twice_records_once(site: Site, visit: str) -> None:
    page = await _page(site, STAFF)
    await _open_plan(page, site, f"{visit}/{FURUTA}")
    form = page.locator("#travel-form")
    sent: dict[str, str | float | bool] = {}
    for name in ("key", "csrf_token", "visit_event_id", "official_id", "departs_on", "returns_on"):
        value = await form.locator(f"input[name={name}]").get_attribute("value")
        assert value is not None
        sent[name] = value
    assert str(sent["key"]).startswith("travel-")  # not the record form's key on the same page
    before = len(await _log(site))
    for _ in range(2):  # a double click, a resent page: one submission, one key
        posted = await page.request.post(
            f"{site.url}/engagements/{site.engagement}/travel/plan",
            form=sent | {"transport_yen": "1200", "lodging_yen": "0", "daily_allowance_yen": "0"},
            headers={"Origin": site.url},
        )
        assert posted.ok, posted.status
    log = await _log(site)
    assert len(log) == before + 1
    assert log[-1]["type"] == "TravelPlanned"
    assert (log[-1]["data"]["transport_yen"], log[-1]["data"]["lodging_yen"]) == (1200, 0)
    await page.context.close()
