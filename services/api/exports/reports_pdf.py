"""A period's one-page reports as one PDF, rendered on the server with WeasyPrint (no browser).

Each engagement's report is the back office's report page (the same template, report.css: A4 landscape)
rendered on its own; a report too long for one page is rendered again at a smaller type size until it
fits (FONT_SIZES), so the PDF has one page per engagement — or, for a report that does not fit even in the
smallest type, every page it takes (nothing is cut; the provenance footer is on each page). Fonts (Noto Sans
CJK JP) are embedded, subset to the characters used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from weasyprint import CSS, HTML  # type: ignore[import-untyped]
from weasyprint.document import Document, Page  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

from schemas.report import EngagementReport
from services.api.web.i18n import Lang, label
from services.api.web.render import templates

WEB = Path(__file__).resolve().parent.parent / "web"
REPORT_CSS = WEB / "static" / "report.css"
# The type sizes tried, largest first: the page's own 9 pt, then smaller until the report fits one page.
FONT_SIZES = (9.0, 8.5, 8.0, 7.0, 6.0)
PDF_MEDIA_TYPE = "application/pdf"


@dataclass(frozen=True)
class PeriodReport:
    """One engagement's report and whether its event log's hash chain verified."""

    report: EngagementReport
    chain_valid: bool


@dataclass(frozen=True)
class _Chain:
    valid: bool


def _render(item: PeriodReport, lang: Lang, fonts: FontConfiguration, css: CSS, size: float) -> Document:
    html = (
        templates(lang)
        .env.get_template("report_pdf.html")
        .render(
            r=item.report,
            chain=_Chain(item.chain_valid),
            lang=lang,
            label=lambda prefix, value: label(prefix, value, lang),
            font_pt=size,
        )
    )
    return HTML(string=html, base_url=str(WEB)).render(stylesheets=[css], font_config=fonts)


def _pages(item: PeriodReport, lang: Lang, fonts: FontConfiguration, css: CSS) -> tuple[Document, list[Page]]:
    """The report at the largest type size that fits one page; at the smallest size, every page it takes —
    a report is never cut (its provenance footer is on every page)."""
    for size in FONT_SIZES[:-1]:
        document = _render(item, lang, fonts, css, size)
        if len(document.pages) == 1:
            return document, document.pages
    document = _render(item, lang, fonts, css, FONT_SIZES[-1])
    return document, document.pages


def write_reports_pdf(reports: list[PeriodReport], out: IO[bytes], title: str, lang: Lang = "ja") -> int:
    """Write each report on one A4 landscape page (more only when it cannot fit even in the smallest type) into
    `out`, the document titled `title` (blocking: run it in a worker thread); the page count."""
    fonts = FontConfiguration()
    css = CSS(filename=str(REPORT_CSS), font_config=fonts)
    rendered = [_pages(item, lang, fonts, css) for item in reports]
    if not rendered:
        rendered = [_empty(lang, fonts, css)]
    pages = [page for _, document_pages in rendered for page in document_pages]
    document = rendered[0][0].copy(pages)
    document.metadata.title = title
    document.write_pdf(out)
    return len(pages)


def _empty(lang: Lang, fonts: FontConfiguration, css: CSS) -> tuple[Document, list[Page]]:
    """A period with no engagement yet still answers a PDF: one page saying so."""
    text = "この期の伴走支援はまだありません。" if lang == "ja" else "This period has no engagements yet."
    document = HTML(string=f"<!doctype html><html lang='{lang}'><body><p>{text}</p></body></html>").render(
        stylesheets=[css], font_config=fonts
    )
    return document, document.pages
