"""The period's reports PDF without servers: one A4 landscape page per report, Japanese fonts embedded."""

from __future__ import annotations

import io

from services.api.exports.reports_pdf import PeriodReport, write_reports_pdf
from services.workflow.engagement.report import build_report
from tests.pdf_facts import pdf_facts
from tests.unit.test_report import ENGAGEMENT, envelopes, ofunato


def ofunato_report() -> PeriodReport:
    return PeriodReport(report=build_report(ENGAGEMENT, envelopes(ofunato())), chain_valid=True)


def test_one_landscape_page_per_report_with_fonts_embedded() -> None:
    out = io.BytesIO()
    pages = write_reports_pdf([ofunato_report(), ofunato_report()], out)
    facts = pdf_facts(out.getvalue())
    assert pages == 2
    assert facts.pages == 2
    assert facts.media_boxes == {(842, 595)}  # A4 landscape in points
    assert facts.embedded_fonts
    assert all("Noto" in f for f in facts.embedded_fonts)
    assert facts.maps_text("大船渡市")


def test_a_report_too_long_for_a_page_is_set_smaller_until_it_fits() -> None:
    long = ofunato_report()
    longer = long.report.model_copy(update={"challenges": ["人口減少と大規模林野火災からの復興、被災木の利活用"] * 40})
    out = io.BytesIO()
    assert write_reports_pdf([PeriodReport(longer, True), long], out) == 2
    assert pdf_facts(out.getvalue()).pages == 2
