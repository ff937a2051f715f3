"""What a test needs to know of a PDF without a PDF library: pages, page size, embedded fonts, mapped text.

WeasyPrint compresses objects into streams; each Flate stream is inflated and the objects read as text.
Text is "extractable" when the fonts' ToUnicode maps name every character (what a text extractor uses).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]")
FONT_FILE = re.compile(rb"/FontFile[23]?\b")
BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/\[<>]+)")
UNICODE = re.compile(rb"<([0-9A-Fa-f]{4,})>")
TITLE = re.compile(rb"/Title\s*<([0-9A-Fa-f]+)>")  # the document's and its bookmarks' titles (UTF-16 hex)


@dataclass(frozen=True)
class PdfFacts:
    """Pages, page sizes (points), embedded font names, the code points the ToUnicode maps name, and the titles
    (the document's and its bookmarks')."""

    pages: int
    media_boxes: set[tuple[int, int]]
    embedded_fonts: set[str]
    mapped: set[int]
    titles: list[str]

    def maps_text(self, text: str) -> bool:
        """Whether every character of `text` is named by a font's ToUnicode map."""
        return all(ord(ch) in self.mapped for ch in text)


def pdf_facts(pdf: bytes) -> PdfFacts:
    """The facts of `pdf` (as WeasyPrint writes it)."""
    assert pdf.startswith(b"%PDF-")
    parts = [pdf]
    for m in STREAM.finditer(pdf):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue  # an image or font program that is not Flate text
    text = b"\n".join(parts)
    boxes = {(round(float(m[2]) - float(m[0])), round(float(m[3]) - float(m[1]))) for m in MEDIA_BOX.findall(text)}
    fonts = {m.decode() for m in BASE_FONT.findall(text)} if FONT_FILE.search(text) else set()
    mapped: set[int] = set()
    for cmap in re.findall(rb"beginbf(?:char|range)(.*?)endbf(?:char|range)", text, re.S):
        for hex_ in UNICODE.findall(cmap):
            if len(hex_) == 4:
                mapped.add(int(hex_, 16))
    titles = [bytes.fromhex(m.decode()).decode("utf-16") for m in TITLE.findall(text)]
    return PdfFacts(len(PAGE.findall(text)), boxes, fonts, mapped, titles)
