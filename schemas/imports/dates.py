"""Dates as a programme office types them: 和暦 (令和7年5月29日, R7.5.29) or 西暦 (2025-05-29, 2025/5/29).

Full-width digits and separators are accepted (NFKC). Pure; the era table is schemas.wareki's.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from schemas.text import nfkc
from schemas.wareki import ERAS

_ERA_START = {name: start for start, name, _ in ERAS} | {initial: start for start, _, initial in ERAS}
_WESTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_WAREKI = re.compile(r"^(令和|平成|昭和|[RHSrhs])\s*(元|\d{1,2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?$")


class DateUnreadable(ValueError):
    """The text is not a date in any accepted form."""


class DateImpossible(ValueError):
    """The text reads as a date that does not exist (令和8年2月30日) or lies outside its era."""


def parse_date(text: str | date | datetime) -> date:
    """The date `text` names; DateUnreadable or DateImpossible otherwise."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    value = nfkc(text)
    if (m := _WESTERN.match(value)) is not None:
        return _day(int(m[1]), int(m[2]), int(m[3]))
    if (m := _WAREKI.match(value)) is not None:
        start = _ERA_START[m[1].upper() if len(m[1]) == 1 else m[1]]
        era_year = 1 if m[2] == "元" else int(m[2])
        if era_year < 1:
            raise DateImpossible(value)
        day = _day(start.year + era_year - 1, int(m[3]), int(m[4]))
        following = next((s for s, _, _ in reversed(ERAS) if s > start), None)
        if day < start or (following is not None and day >= following):
            raise DateImpossible(value)
        return day
    raise DateUnreadable(value)


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as err:
        raise DateImpossible(f"{year}-{month}-{day}") from err
