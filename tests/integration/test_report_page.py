"""The one-page report printed from Chromium: one A4 landscape page for the 大船渡 case, in both languages.

The page is the back office's report template (report.html with report.css, as GET /engagements/{id}/report
renders it) folded from the 大船渡 demo's events; Chromium loads it from a routed origin, so no servers run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, Route, ViewportSize

from schemas.report import EngagementReport
from services.api.web.i18n import Lang, label
from services.api.web.render import templates
from services.workflow.engagement.report import build_report
from tests.browser import SCREENSHOTS, chromium
from tests.pdf_facts import pdf_facts
from tests.unit.test_report import ENGAGEMENT, envelopes, ofunato

ORIGIN = "http://report.test"
STATIC = Path(__file__).resolve().parents[2] / "services" / "api" / "web" / "static"
GENERATED = date(2026, 11, 30)
# A4 landscape less report.css's @page margins (8 mm, 9 mm), in CSS pixels: what one printed page holds.
PRINTABLE = ViewportSize(width=round((297 - 18) / 25.4 * 96), height=round((210 - 16) / 25.4 * 96))
TYPES = {".css": "text/css", ".js": "text/javascript"}


def a4_landscape(boxes: set[tuple[int, int]]) -> bool:
    """A4 landscape in points (842 × 595), as Chromium rounds it (843 × 596)."""
    return len(boxes) == 1 and all(abs(w - 842) <= 1 and abs(h - 595) <= 1 for w, h in boxes)


@dataclass(frozen=True)
class _Chain:
    valid: bool


def report() -> EngagementReport:
    return build_report(ENGAGEMENT, envelopes(ofunato()), generated_on=GENERATED)


def page_html(r: EngagementReport, lang: Lang) -> str:
    """The report page as the route renders it (report.html, the same article the period PDF uses)."""
    return (
        templates(lang)
        .env.get_template("report.html")
        .render(r=r, chain=_Chain(True), lang=lang, label=lambda prefix, value: label(prefix, value, lang))
    )


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as b:
        yield b


async def open_report(browser: Browser, r: EngagementReport, lang: Lang, width: int = 1440) -> Page:
    page = await browser.new_page(viewport={"width": width, "height": 900})
    body = page_html(r, lang)

    async def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path.startswith("/static/"):
            file = STATIC / path.removeprefix("/static/")
            await route.fulfill(body=file.read_bytes(), content_type=TYPES.get(file.suffix, "text/plain"))
        else:
            await route.fulfill(body=body, content_type="text/html; charset=utf-8")

    await page.route(f"{ORIGIN}/**", serve)
    await page.goto(f"{ORIGIN}/engagements/{ENGAGEMENT}/report?lang={lang}")
    return page


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_the_ofunato_report_prints_on_one_a4_landscape_page(browser: Browser, lang: Lang) -> None:
    page = await open_report(browser, report(), lang)
    try:
        pdf = await page.pdf(
            path=str(SCREENSHOTS / f"report-print-{lang}.pdf"), format="A4", landscape=True, print_background=True
        )
        css_sized = await page.pdf(prefer_css_page_size=True, print_background=True)
        await page.emulate_media(media="print")
        await page.set_viewport_size(PRINTABLE)
        await page.screenshot(path=str(SCREENSHOTS / f"report-print-{lang}.png"), full_page=True)
        height = await page.evaluate("document.getElementById('report').getBoundingClientRect().bottom")
    finally:
        await page.close()
    facts = pdf_facts(pdf)
    assert facts.pages == 1
    assert a4_landscape(facts.media_boxes)
    assert height <= PRINTABLE["height"]  # the print layout fits inside @page's margins (with room: see the png)
    css_facts = pdf_facts(css_sized)
    assert css_facts.pages == 1  # report.css's @page says the same
    assert a4_landscape(css_facts.media_boxes)


async def test_the_printed_page_keeps_the_seeds_structure(browser: Browser) -> None:
    page = await open_report(browser, report(), "ja")
    try:
        text = await page.locator("#report").inner_text()
        groups = await page.locator("#prospects h3").all_inner_texts()
        headings = await page.locator("#prospects h4").all_inner_texts()
        challenge = await page.locator("#challenges h3").all_inner_texts()
        partners = await page.locator("#partners li").all_inner_texts()
        outcomes = await page.locator("#prospects li").all_inner_texts()
        columns = await page.locator(".grid > .col").evaluate_all("cs => cs.map(c => c.getBoundingClientRect().left)")
        await page.screenshot(path=str(SCREENSHOTS / "report-1440.png"), full_page=True)
    finally:
        await page.close()
    assert groups == ["【産業振興】", "【子育て】", "【交流人口の拡大】"]
    assert headings == [
        "○サーキュラーエコノミーポートへの選定",
        "○関連する企業の誘致・指針の策定・人材育成への支援",
        "○企業誘致に向けた条例の改正",
        "○令和8年度中の企業誘致と建設時の被災木の利用等",
        "○地域経済の活性化に資する多目的広場の整備に向けた支援",
        "○地域資源の観光活用に向けた検討",
    ]
    assert challenge == ["○全国的な人口減少と大規模林野火災"]
    assert columns == sorted(set(columns))  # three columns side by side
    assert len(columns) == 3
    # 関係機関との連携 names what was done; the outcome sentences are printed once, in 成果・展望
    for sentence in (o.split("（")[0] for o in outcomes):
        assert text.count(sentence) == 1, sentence
    assert partners[0] == "①東北地方整備局・国土交通省：サーキュラーエコノミーポートへの選定"
    assert "令和7年度" in text
    assert "令和8年11月30日 作成" in text


async def test_the_english_page_is_dated_in_english(browser: Browser) -> None:
    page = await open_report(browser, report(), "en")
    try:
        meta = await page.locator("header .meta").inner_text()
    finally:
        await page.close()
    assert "Generated 30 Nov 2026" in meta
    assert "FY2025" in meta


async def test_on_a_phone_the_columns_stack(browser: Browser) -> None:
    page = await open_report(browser, report(), "ja", width=390)
    try:
        lefts = await page.locator(".grid > .col").evaluate_all("cs => cs.map(c => c.getBoundingClientRect().left)")
        scroll = await page.evaluate("document.documentElement.scrollWidth")
        await page.screenshot(path=str(SCREENSHOTS / "report-390.png"), full_page=True)
    finally:
        await page.close()
    assert len(set(lefts)) == 1
    assert scroll <= 390
