"""The downloadable template workbook: one sheet per part with its headers, and a 説明 sheet (ignored on import)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from schemas.imports.template import SHEETS

INTRO = (
    "伴走支援の取込テンプレート (案件・チーム・活動・成果)。詳しくは docs/import-template.md。",
    "日付は 和暦 (令和7年5月29日, R7.5.29) でも 西暦 (2025-05-29, 2025/5/29) でもよく、全角数字も読めます。",
    "支援官と市町村は登録済みの参照データから探します (未登録なら取込前の検証で行ごとに指摘します)。",
    "セルの結合は使わないでください。このシート (説明) は取り込まれません。",
)


def template_workbook() -> bytes:
    """The template as .xlsx bytes."""
    book = Workbook()
    intro = book.active
    assert intro is not None  # noqa: S101 (a new workbook always has its first sheet)
    intro.title = "説明"
    for line in INTRO:
        intro.append([line])
    intro.append([])
    intro.append(["シート", "列", "必須", "例", "説明"])
    for spec in SHEETS:
        for column in spec.columns:
            intro.append([spec.name, column.header, "○" if column.required else "", column.example, column.note])
        sheet = book.create_sheet(spec.name)
        sheet.append([c.header for c in spec.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
