"""The RFC 9457 problem document every API error is answered with."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Problem(BaseModel):
    """An RFC 9457 problem document with Banso's bilingual extensions."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    code: str
    title_ja: str
    detail_ja: str
    errors: list[dict[str, Any]] | None = None
