"""The recording forms in a real Chromium: a refused save lands on an error summary that has focus, messages in
the page's language only, required marks from the payload models, the recorder and the team, and the user's
characters kept as typed (found by a search typed in ASCII)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from playwright.async_api import Browser, Page, StorageState, expect
from temporalio.client import Client

from services.settings import Settings
from tests.browser import SCREENSHOTS, chromium, served, sign_in
from tests.conftest import Keycloak, next_period
from tests.integration.test_demo_and_experts import load

pytestmark = pytest.mark.servers

STAFF = "jimukyoku"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


@dataclass
class Forms:
    url: str
    browser: Browser
    keycloak: Keycloak
    period: int
    state: StorageState | None = None

    async def page(self, lang: str = "ja", width: int = 1280, height: int = 900) -> Page:
        if self.state is None:
            context = await self.browser.new_context(locale="ja-JP")
            tab = await context.new_page()
            await sign_in(tab, f"{self.url}/", STAFF, self.keycloak.credentials.users[STAFF])
            self.state = await context.storage_state()
            await context.close()
        context = await self.browser.new_context(
            locale="ja-JP", viewport={"width": width, "height": height}, storage_state=self.state
        )
        tab = await context.new_page()
        if lang == "en":
            await tab.goto(f"{self.url}/?lang=en")  # the choice is kept in a cookie
        return tab

    @property
    def engagement(self) -> str:
        return f"{self.url}/engagements/engagement-{self.period}-032034"

    async def log(self) -> list[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.keycloak.token_for('kansa')}"}
        async with httpx.AsyncClient(base_url=self.url, headers=headers, timeout=60) as client:
            answer = await client.get(f"/api/v1/engagements/engagement-{self.period}-032034/events")
        events: list[dict[str, Any]] = answer.json()["events"]
        return events


@pytest.fixture(scope="module")
async def forms(
    module_api: httpx.AsyncClient, prepared: Settings, temporal: Client, driver: AsyncDriver, keycloak: Keycloak
) -> AsyncIterator[Forms]:
    period = next_period()
    await load(module_api, period)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with served(keycloak.oidc_settings(prepared), temporal, driver) as url, chromium() as browser:
        yield Forms(url, browser, keycloak, period)


async def _refused_visit(page: Page, forms: Forms) -> None:
    """A site visit ending before it starts, with no place: refused by the payload's own rule."""
    await page.goto(forms.engagement)
    await page.select_option("#in-kind", "site_visit")
    await page.fill("#in-start_date", "2026-11-20")
    await page.fill("#in-end_date", "2026-11-19")
    await page.click("#record-form button[type=submit]")
    await page.wait_for_load_state("load")


async def _summary_has_focus_in_view(page: Page) -> None:
    await expect(page.locator("#error-summary")).to_be_visible()
    await expect(page.locator("#error-summary")).to_be_focused()  # document.activeElement is the summary
    assert await page.evaluate("document.activeElement.id") == "error-summary"
    box = await page.evaluate(
        "(() => { const r = document.getElementById('error-summary').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, height: innerHeight}; })()"
    )
    assert -2 <= box["top"] < box["height"] / 2, box  # the summary is on screen (at its top), not 1,700 px below
    assert page.url.endswith("#record-form")


@pytest.mark.parametrize("width", [390, 1440])
async def test_a_refused_save_focuses_an_error_summary_at_the_form(forms: Forms, width: int) -> None:
    page = await forms.page(width=width)
    before = len(await forms.log())
    await _refused_visit(page, forms)
    await _summary_has_focus_in_view(page)
    summary = page.locator("#error-summary")
    link = summary.locator("a[href='#in-end_date']")
    await expect(link).to_have_text("終了日 (複数日の場合): 終了日が開始日より前です")
    field = page.locator("#in-end_date")
    await expect(field).to_have_attribute("aria-invalid", "true")
    await expect(field).to_have_attribute("aria-describedby", "err-end_date")
    await expect(page.locator("#err-end_date")).to_have_text("終了日が開始日より前です")
    await expect(page.locator("#in-start_date")).to_have_value("2026-11-20")  # what was typed is kept
    await page.screenshot(path=str(SCREENSHOTS / f"record-form-refused-{width}.png"))
    await link.click()
    assert await page.evaluate("location.hash") == "#in-end_date"
    assert len(await forms.log()) == before  # nothing written
    await page.context.close()


async def test_messages_are_in_the_pages_language_only(forms: Forms) -> None:
    ja = await forms.page()
    await _refused_visit(ja, forms)
    text = await ja.locator("#error-summary").inner_text()
    assert "終了日が開始日より前です" in text
    assert " / " not in text
    assert not ENGLISH_WORD.search(text), text
    await ja.context.close()

    en = await forms.page("en")
    await _refused_visit(en, forms)
    await _summary_has_focus_in_view(en)
    text = await en.locator("#error-summary").inner_text()
    assert "The end date is before the start date" in text
    assert not JAPANESE.search(text), text
    await expect(en.locator("#err-end_date")).to_have_text("The end date is before the start date")
    await en.context.close()


async def test_required_fields_are_marked_from_the_payload_model(forms: Forms) -> None:
    page = await forms.page()
    await page.goto(forms.engagement)
    await expect(page.locator(".form-legend")).to_contain_text("必須")
    for name in ("kind", "start_date"):
        await expect(page.locator(f"#in-{name}")).to_have_attribute("aria-required", "true")
        await expect(page.locator(f"label[for=in-{name}] .required-mark")).to_have_text("*")
    for name in ("end_date", "place", "notes"):
        await expect(page.locator(f"#in-{name}")).not_to_have_attribute("aria-required", "true")
        await expect(page.locator(f"label[for=in-{name}] .required-mark")).to_have_count(0)
    await page.goto(f"{forms.engagement}?form=coordination")
    for name in ("held_on", "body_kind", "body_name", "topic"):
        await expect(page.locator(f"#in-{name}")).to_have_attribute("required", "")
    # the recorder is the signed-in person; the participants are the team, none ticked until chosen
    recorder = await page.locator(".recorder strong").inner_text()
    await expect(page.locator(".recorder")).to_have_text(f"記録者: {recorder}")
    await expect(page.locator("#whoami")).to_contain_text(recorder)
    boxes = page.locator("#in-participant_ids input[type=checkbox]")
    await expect(boxes).to_have_count(3)
    for i in range(3):
        await expect(boxes.nth(i)).not_to_be_checked()
    await expect(page.locator("#in-participant_ids")).to_contain_text("石川 亨（国土交通省）")
    await page.context.close()


async def test_characters_are_kept_as_typed_and_found_by_an_ascii_search(forms: Forms) -> None:
    page = await forms.page()
    await page.goto(forms.engagement)
    await page.select_option("#in-kind", "site_visit")
    await page.fill("#in-start_date", "2026-11-24")
    await page.fill("#in-place", "野々田ふ頭（ＱＵＡＲＫ実証）")
    await page.fill("#in-notes", "　ＱＵＡＲＫ（実証）の打合せ ")
    await page.click("#record-form button[type=submit]")
    await expect(page.locator("[role=status]")).to_have_text("記録しました")
    fresh = page.locator(".timeline .ev.fresh")
    await expect(fresh).to_contain_text("野々田ふ頭（ＱＵＡＲＫ実証）")  # shown as typed
    await expect(fresh).to_contain_text("ＱＵＡＲＫ（実証）の打合せ")  # the notes typed in, on the timeline
    event = (await forms.log())[-1]
    assert event["actor"] == f"user:{STAFF}"
    assert event["data"]["place"] == "野々田ふ頭（ＱＵＡＲＫ実証）"  # stored as typed
    assert event["data"]["notes"] == "ＱＵＡＲＫ（実証）の打合せ"  # stripped only
    headers = {"Authorization": f"Bearer {forms.keycloak.token_for('bunseki')}"}  # an analyst searches
    async with httpx.AsyncClient(base_url=forms.url, headers=headers, timeout=60) as client:
        for q in ("quark(実証)", "QUARK", "野々田ふ頭(QUARK"):
            answer = await client.get("/api/v1/experts", params={"q": q, "period": forms.period})
            assert answer.status_code == 200, answer.text
            texts = [e["text"] for x in answer.json()["experts"] for e in x["evidence"]]
            assert any("ＱＵＡＲＫ（実証）" in t for t in texts), (q, texts)
    await page.context.close()
