"""The validation report of an import: every problem with where it is (sheet, row, column) and what is wrong.

A problem's text is data (a catalogue message, or a pydantic error by type and ctx): the edge (API, CLI)
renders it in Japanese and in English, so nothing below the API translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.i18n.message import Msg

MAX_PROBLEMS = 1000  # kept in a report; `problems_total` still counts every one


class ImportProblem(BaseModel):
    """One thing wrong with the file: where (sheet, row, column) and what (a message or a pydantic error)."""

    model_config = ConfigDict(frozen=True)
    sheet: str | None = Field(default=None, description="シート名 (CSV では区分名)")
    row: int | None = Field(default=None, description="行番号 (1から、表計算ソフトの表示どおり)")
    column: str | None = Field(default=None, description="列名 (見出し)")
    code: str = Field(description="problem kind, e.g. bad_date, unknown_official, lifecycle")
    message: dict[str, Any] | None = Field(default=None, description="catalogue message (msgid, params)")
    error: dict[str, Any] | None = Field(default=None, description="pydantic error (type, msg, ctx)")

    @classmethod
    def of(
        cls, code: str, message: Msg, sheet: str | None = None, row: int | None = None, column: str | None = None
    ) -> ImportProblem:
        """A problem described by a catalogue message."""
        return cls(sheet=sheet, row=row, column=column, code=code, message=message.to_dict())

    @classmethod
    def invalid(cls, error: Mapping[str, Any], sheet: str | None, row: int | None, column: str | None) -> ImportProblem:
        """A problem from one pydantic error (its ctx as text, so the report stays plain JSON)."""
        ctx = {k: str(v) for k, v in dict(error.get("ctx") or {}).items()}
        data = {"type": str(error.get("type", "value_error")), "msg": str(error.get("msg", "")), "ctx": ctx}
        data["loc"] = [str(part) for part in error.get("loc", ())]
        return cls(sheet=sheet, row=row, column=column, code="invalid_value", error=data)


class ImportCounts(BaseModel):
    """What a file holds, by sheet."""

    model_config = ConfigDict(frozen=True)
    engagements: int = 0
    team_rows: int = 0
    activity_rows: int = 0
    outcome_rows: int = 0

    @property
    def rows(self) -> int:
        """Data rows over every sheet."""
        return self.engagements + self.team_rows + self.activity_rows + self.outcome_rows


class ImportReport(BaseModel):
    """The dry run's answer: what the file holds, how many commands it makes, and every problem found."""

    model_config = ConfigDict(frozen=True)
    file_name: str
    sha256: str
    counts: ImportCounts = Field(default_factory=ImportCounts)
    commands: int = Field(default=0, description="workflow updates the file makes when valid")
    problems: list[ImportProblem] = Field(default_factory=list)
    problems_total: int = 0

    @property
    def ok(self) -> bool:
        """Whether the file may be imported."""
        return self.problems_total == 0
