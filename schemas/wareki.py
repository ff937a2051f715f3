"""Dates as the programme's readers write them: 和暦 (令和7年5月29日), 年度, and the seed's short lists.

Pure functions; unit-tested in tests/unit/test_wareki.py.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from schemas.calendar import JST

# (first day, name, Latin initial) — newest first.
ERAS: tuple[tuple[date, str, str], ...] = (
    (date(2019, 5, 1), "令和", "R"),
    (date(1989, 1, 8), "平成", "H"),
    (date(1926, 12, 25), "昭和", "S"),
)


def _era(day: date) -> tuple[str, str, int] | None:
    """(era, Latin initial, year of the era), or None before 昭和 (such a date is written in 西暦)."""
    for start, name, initial in ERAS:
        if day >= start:
            return name, initial, day.year - start.year + 1
    return None


def _year(n: int) -> str:
    return "元" if n == 1 else str(n)


def _era_year(day: date) -> str:
    """令和7年, or 西暦1900年 for a date outside the eras above (no stored date can break a page)."""
    era = _era(day)
    if era is None:
        return f"西暦{day.year}年"
    name, _, n = era
    return f"{name}{_year(n)}年"


def wareki(day: date) -> str:
    """令和7年5月29日."""
    return f"{_era_year(day)}{day.month}月{day.day}日"


def wareki_month(day: date) -> str:
    """令和8年2月末 on a month's last day, else 令和8年2月27日 (for 時点 and 基準日)."""
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return f"{_era_year(day)}{day.month}月末"
    return wareki(day)


def fiscal_year(day: date) -> int:
    """The Western year the 年度 (April to March) of `day` starts in."""
    return day.year if day.month >= 4 else day.year - 1


def nendo(day: date) -> str:
    """令和7年度 (the 年度 is named by the era of its last day, so 2019年度 is 令和元年度)."""
    start = fiscal_year(day)
    if start + 1 > date.max.year:
        return f"西暦{start}年度"
    end = date(start + 1, 3, 31)
    era_start = next((first for first, _, _ in ERAS if end >= first), None)
    era = _era(end)
    if era_start is None or era is None:
        return f"西暦{start}年度"
    return f"{era[0]}{_year(start - era_start.year + 1)}年度"


def _span(start: date, end: date | None) -> str:
    if end is None or end == start:
        return f"{start.month}/{start.day}"
    if end.month == start.month and end.year == start.year:
        return f"{start.month}/{start.day}-{end.day}"
    return f"{start.month}/{start.day}-{end.month}/{end.day}"


def seed_dates(spans: Sequence[tuple[date, date | None]]) -> str:
    """The seed's list of dates: 5/29-30、8/1-3、R8 2/19-20 — the era year printed when the year changes."""
    parts: list[str] = []
    year: int | None = None
    for start, end in sorted(spans):
        text = _span(start, end)
        if year is not None and start.year != year:
            era = _era(start)
            text = f"{era[1]}{era[2]} {text}" if era else f"{start.year} {text}"
        year = start.year
        parts.append(text)
    return "、".join(parts)


# English month abbreviations (the pages' English dates read "19 Feb 2026", not a locale's choice).
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def english_date(day: date) -> str:
    """19 Feb 2026."""
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class DateRange:
    """A date or a range as its two halves, so a page can keep each half on one line (nowrap) and let the
    line break only at the separator; str() is the text."""

    start: str
    end: str | None = None
    separator: str = "〜"

    def __str__(self) -> str:
        return self.start if self.end is None else f"{self.start}{self.separator}{self.end}"


def wareki_range_parts(start: date, end: date | None = None) -> DateRange:
    """令和7年5月29日〜30日, 令和7年5月29日〜6月2日, 令和7年12月30日〜令和8年1月2日: the era year is written again
    only when it changes (平成31年4月30日〜令和元年5月1日 changes era within one Western year)."""
    if end is None or end == start:
        return DateRange(wareki(start))
    if _era_year(end) != _era_year(start):
        return DateRange(wareki(start), wareki(end))
    if end.month != start.month:
        return DateRange(wareki(start), f"{end.month}月{end.day}日")
    return DateRange(wareki(start), f"{end.day}日")


def wareki_range(start: date, end: date | None = None) -> str:
    """The compact 和暦 range as one text (see `wareki_range_parts`)."""
    return str(wareki_range_parts(start, end))


def english_range_parts(start: date, end: date | None = None) -> DateRange:
    """29–30 May 2025, 29 May – 2 Jun 2025, 30 Dec 2025 – 2 Jan 2026."""
    if end is None or end == start:
        return DateRange(english_date(start))
    if end.year != start.year:
        return DateRange(english_date(start), english_date(end), " – ")
    if end.month != start.month:
        return DateRange(f"{start.day} {MONTHS_EN[start.month - 1]}", english_date(end), " – ")
    return DateRange(str(start.day), english_date(end), "–")


def date_range_parts(start: date, end: date | None, lang: str) -> DateRange:
    """The range as the page's language writes it: 和暦 in Japanese, day month year in English."""
    return wareki_range_parts(start, end) if lang == "ja" else english_range_parts(start, end)


def date_range(start: date, end: date | None, lang: str) -> str:
    """The range as one text in `lang`."""
    return str(date_range_parts(start, end, lang))


def jst_time(moment: datetime | str, lang: str) -> str:
    """令和8年2月19日 14:03 JST, 19 Feb 2026 14:03 JST: a recorded time (UTC or ISO 8601 text) in Japan's clock."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(JST)
    day = wareki(local.date()) if lang == "ja" else english_date(local.date())
    return f"{day} {local:%H:%M} JST"
