"""The period's reports PDF without servers: one A4 landscape page per report, Japanese fonts embedded."""

from __future__ import annotations

import io

import pytest
from weasyprint import CSS  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

from services.api.exports.reports_pdf import FONT_SIZES, REPORT_CSS, PeriodReport, _render, write_reports_pdf
from services.api.web.i18n import Lang
from services.workflow.engagement.report import build_report
from tests.pdf_facts import pdf_facts
from tests.unit.test_report import ENGAGEMENT, envelopes, ofunato


def ofunato_report() -> PeriodReport:
    return PeriodReport(report=build_report(ENGAGEMENT, envelopes(ofunato())), chain_valid=True)


def test_one_landscape_page_per_report_with_fonts_embedded() -> None:
    out = io.BytesIO()
    pages = write_reports_pdf([ofunato_report(), ofunato_report()], out, "第2期 一枚報告（2件）")
    facts = pdf_facts(out.getvalue())
    assert pages == 2
    assert facts.pages == 2
    assert facts.media_boxes == {(842, 595)}  # A4 landscape in points
    assert facts.embedded_fonts
    assert all("Noto" in f for f in facts.embedded_fonts)
    assert facts.maps_text("大船渡市")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_ofunato_report_fits_one_page_at_the_pages_own_type_size(lang: Lang) -> None:
    """The seed's case needs no shrinking: 9 pt, as Chromium prints the page, in three columns."""
    fonts = FontConfiguration()
    document = _render(ofunato_report(), lang, fonts, CSS(filename=str(REPORT_CSS), font_config=fonts), FONT_SIZES[0])
    assert len(document.pages) == 1
    out = io.BytesIO()
    assert write_reports_pdf([ofunato_report()], out, "第2期", lang) == 1
    assert pdf_facts(out.getvalue()).pages == 1


def test_a_report_too_long_for_a_page_is_set_smaller_until_it_fits() -> None:
    long = ofunato_report()
    longer = long.report.model_copy(update={"challenges": ["人口減少と大規模林野火災からの復興、被災木の利活用"] * 12})
    out = io.BytesIO()
    assert write_reports_pdf([PeriodReport(longer, True), long], out, "第2期") == 2
    assert pdf_facts(out.getvalue()).pages == 2


def test_a_report_that_cannot_fit_even_in_the_smallest_type_keeps_every_page() -> None:
    """Nothing is cut: the report takes the pages it needs, each with its provenance footer."""
    long = ofunato_report()
    challenge = "人口減少と大規模林野火災からの復興、被災木の利活用"
    endless = long.report.model_copy(update={"challenges": [challenge] * 120})
    out = io.BytesIO()
    pages = write_reports_pdf([PeriodReport(endless, True), long], out, "第2期")
    assert pages >= 3
    assert pdf_facts(out.getvalue()).pages == pages


def test_the_document_is_titled_for_the_whole_period() -> None:
    out = io.BytesIO()
    write_reports_pdf([ofunato_report(), ofunato_report()], out, "第2期 一枚報告（2件）")
    assert "第2期 一枚報告（2件）" in pdf_facts(out.getvalue()).titles
