"""Dates a person types: none before the programme's time, and a recorded visit or meeting not far ahead.

Checked on every command body at the API (not in the stored payload models, so old events still parse).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from schemas.calendar import JST
from services.api.problems import InvalidInput
from services.i18n.catalogue import translate
from services.i18n.fields import field_label
from services.i18n.message import N_, Msg

# Deadlines are about the future by nature, and so is the last day of a 併任's term (often the fiscal year's end).
FORWARD_LOOKING = frozenset({"final_report_due", "opens_on", "closes_on", "ends_on", "term_ends_on"})
# 地方創生 began in 2014 and the programme in the 令和 era: no recorded date of it lies before this day.
MIN_DATE = date(2015, 1, 1)
# A municipality's population may be quoted from an older census (the first 国勢調査: 1920-10-01).
HISTORICAL_MIN = {"population_as_of": date(1920, 10, 1)}
# Even a deadline lies within ten years (timers and 和暦 stay well inside the calendar).
FORWARD_LIMIT_DAYS = 3653
TOO_EARLY = N_("%(field)s lies too far in the past (%(date)s; the earliest allowed is %(earliest)s)")
TOO_LATE = N_("%(field)s lies too far in the future (%(date)s; the latest allowed is %(latest)s)")


def _dates(value: Any, prefix: str) -> Iterator[tuple[str, str, date]]:
    """(dotted path, field name, date) for every date in `value`, models and lists included."""
    if isinstance(value, date):
        yield prefix, prefix.rsplit(".", 1)[-1], value
    elif isinstance(value, BaseModel):
        for name, item in value:
            yield from _dates(item, f"{prefix}.{name}" if prefix else name)
    elif isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            yield from _dates(item, f"{prefix}.{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _dates(item, f"{prefix}.{key}")


def _refusal(msgid: str, path: str, **dates: date) -> tuple[str, str]:
    """(ja, en): the field in the user's words in Japanese, its path in English (what API clients send)."""
    values = {name: day.isoformat() for name, day in dates.items()}
    ja = translate(Msg(msgid, {"field": field_label(path.split(".")), **values}), "ja")
    en = translate(Msg(msgid, {"field": path, **values}), "en")
    return ja, en


def _too_early(path: str, value: date, earliest: date) -> InvalidInput:
    return InvalidInput(*_refusal(TOO_EARLY, path, date=value, earliest=earliest), code="date_out_of_range")


def reject_implausible_dates(payload: BaseModel, limit_days: int, now: datetime | None = None) -> None:
    """Raise a 422 problem for a date before MIN_DATE, or more than `limit_days` ahead (JST; deadlines: ten years)."""
    today = (now or datetime.now(UTC)).astimezone(JST).date()
    for path, field, value in _dates(payload, ""):
        earliest = HISTORICAL_MIN.get(field, MIN_DATE)
        if value < earliest:
            raise _too_early(path, value, earliest)
        latest = today + timedelta(days=FORWARD_LIMIT_DAYS if field in FORWARD_LOOKING else limit_days)
        if value > latest:
            raise InvalidInput(*_refusal(TOO_LATE, path, date=value, latest=latest))
