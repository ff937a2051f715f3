"""What the back office's read pages share: a bounded text query, a number from a query string, the 404 page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from services.api.engagement_commands import valid_engagement_id
from services.api.web.render import render

OptionalText = Annotated[str | None, Query(max_length=200)]


def query_int(value: str | None, lo: int, hi: int) -> int | None:
    """A number from a query string, or None when it is missing or not a number in range."""
    if value is None or not value.strip().isdigit():
        return None
    n = int(value)
    return n if lo <= n <= hi else None


def not_found(request: Request) -> HTMLResponse:
    """The page for an unknown engagement, period or node."""
    return render(request, "not_found.html", status_code=404)


def valid_id(engagement_id: str) -> bool:
    """Whether a path segment can be an engagement id at all (anything else is a 404 without a read)."""
    return valid_engagement_id(engagement_id)
