"""Reading one row's cells into values, each problem noted with the sheet, row and column it is in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TypeVar

from schemas.imports.dates import DateImpossible, parse_date
from schemas.imports.report import ImportProblem
from schemas.imports.sheets import Row
from schemas.imports.template import SheetSpec
from schemas.text import nfkc
from services.i18n.message import N_, Msg

V = TypeVar("V")
_LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
_LINE_SEPARATORS = re.compile(r"[;；\n]+")


class RowReader:
    """Typed access to a row's cells; a cell that does not read adds a problem and gives None."""

    def __init__(self, spec: SheetSpec, row: Row, problems: list[ImportProblem]) -> None:
        self.spec = spec
        self.row = row
        self.problems = problems

    def problem(self, code: str, message: Msg, key: str | None = None) -> None:
        """Note a problem in this row (in the column of `key`, when given)."""
        column = self.spec.column(key).header if key else None
        self.problems.append(ImportProblem.of(code, message, self.spec.name, self.row.number, column))

    def _missing(self, key: str) -> None:
        self.problem("missing_value", Msg(N_("This column must be filled")), key)

    def text(self, key: str, required: bool = False) -> str | None:
        """The cell as text (NFKC)."""
        value = self.row.cells.get(key)
        text = nfkc(value.isoformat() if isinstance(value, date) else value) if value is not None else ""
        if not text:
            if required:
                self._missing(key)
            return None
        return text

    def items(self, key: str, lines: bool = False) -> list[str]:
        """The cell as a list (、 , ; or new lines between items; only ; and new lines when `lines`)."""
        text = self.text(key)
        if text is None:
            return []
        separators = _LINE_SEPARATORS if lines else _LIST_SEPARATORS
        return [item.strip() for item in separators.split(text) if item.strip()]

    def date(self, key: str, required: bool = False) -> date | None:
        """The cell as a date (和暦 or 西暦)."""
        value = self.row.cells.get(key)
        if isinstance(value, date):
            return value
        text = self.text(key, required)
        if text is None:
            return None
        try:
            return parse_date(text)
        except DateImpossible:
            self.problem("impossible_date", Msg(N_("%(value)s is not a date that exists"), {"value": text}), key)
        except ValueError:
            self.problem(
                "bad_date",
                Msg(N_("%(value)s is not a date (write 令和7年5月29日, R7.5.29 or 2025-05-29)"), {"value": text}),
                key,
            )
        return None

    def number(self, key: str, required: bool = False) -> int | None:
        """The cell as a whole number."""
        text = self.text(key, required)
        if text is None:
            return None
        if not text.isdigit():
            self.problem("bad_number", Msg(N_("%(value)s is not a whole number"), {"value": text}), key)
            return None
        return int(text)

    def choice(self, key: str, choices: Mapping[str, V], required: bool = False) -> V | None:
        """The cell as one of the template's words."""
        text = self.text(key, required)
        if text is None:
            return None
        if text not in choices:
            self.problem(
                "bad_choice",
                Msg(N_("%(value)s is not one of: %(expected)s"), {"value": text, "expected": " / ".join(choices)}),
                key,
            )
            return None
        return choices[text]
