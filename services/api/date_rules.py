"""Dates a person types: a recorded visit or meeting cannot lie far in the future."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

from pydantic import BaseModel

from services.api.problems import InvalidInput

JST = timezone(timedelta(hours=9))
# Deadlines are about the future by nature.
FORWARD_LOOKING = frozenset({"final_report_due", "opens_on", "closes_on", "ends_on"})


def _dates(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, date]]:
    for name, value in model:
        if name in FORWARD_LOOKING:
            continue
        if isinstance(value, date):
            yield f"{prefix}{name}", value
        elif isinstance(value, BaseModel):
            yield from _dates(value, f"{prefix}{name}.")


def reject_far_future(payload: BaseModel, limit_days: int, now: datetime | None = None) -> None:
    """Raise a 422 problem when a date in `payload` lies more than `limit_days` after today (JST)."""
    today = (now or datetime.now(UTC)).astimezone(JST).date()
    latest = today + timedelta(days=limit_days)
    for field, value in _dates(payload):
        if value > latest:
            raise InvalidInput(
                f"{field} が未来すぎます（{value.isoformat()}、上限 {latest.isoformat()}）",
                f"{field} lies too far in the future ({value.isoformat()}, latest allowed {latest.isoformat()})",
            )
