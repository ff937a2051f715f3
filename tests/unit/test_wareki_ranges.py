"""Compact 和暦 ranges and recorded times in JST, as the timeline and the audit page print them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from schemas.wareki import (
    DateRange,
    date_range,
    date_range_parts,
    english_date,
    english_range_parts,
    jst_time,
    wareki_range,
    wareki_range_parts,
)


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2025, 5, 29), None, "令和7年5月29日"),
        (date(2025, 5, 29), date(2025, 5, 29), "令和7年5月29日"),
        (date(2025, 5, 29), date(2025, 5, 30), "令和7年5月29日〜30日"),
        (date(2025, 5, 29), date(2025, 6, 2), "令和7年5月29日〜6月2日"),
        (date(2025, 12, 30), date(2026, 1, 2), "令和7年12月30日〜令和8年1月2日"),
        (date(2026, 2, 19), date(2026, 2, 20), "令和8年2月19日〜20日"),
        # One Western year, two eras: the era is written again.
        (date(2019, 4, 30), date(2019, 5, 1), "平成31年4月30日〜令和元年5月1日"),
        (date(2019, 5, 1), date(2019, 5, 3), "令和元年5月1日〜3日"),
        (date(1989, 1, 7), date(1989, 1, 8), "昭和64年1月7日〜平成元年1月8日"),
        # Before 昭和 the Western year stands in for the era year and is compacted the same way.
        (date(1900, 1, 1), date(1900, 1, 3), "西暦1900年1月1日〜3日"),
    ],
)
def test_wareki_ranges_repeat_only_what_changes(start: date, end: date | None, text: str) -> None:
    assert wareki_range(start, end) == text
    assert date_range(start, end, "ja") == text


def test_a_range_keeps_its_halves_apart_for_nowrap() -> None:
    assert wareki_range_parts(date(2025, 5, 29), date(2025, 6, 2)) == DateRange("令和7年5月29日", "6月2日", "〜")
    assert wareki_range_parts(date(2025, 5, 29)) == DateRange("令和7年5月29日")
    assert str(DateRange("a")) == "a"


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2025, 5, 29), None, "29 May 2025"),
        (date(2025, 5, 29), date(2025, 5, 30), "29–30 May 2025"),
        (date(2025, 5, 29), date(2025, 6, 2), "29 May – 2 Jun 2025"),
        (date(2025, 12, 30), date(2026, 1, 2), "30 Dec 2025 – 2 Jan 2026"),
        (date(2019, 4, 30), date(2019, 5, 1), "30 Apr – 1 May 2019"),
    ],
)
def test_english_ranges(start: date, end: date | None, text: str) -> None:
    assert date_range(start, end, "en") == text
    assert str(english_range_parts(start, end)) == text


def test_english_halves() -> None:
    assert date_range_parts(date(2025, 5, 29), date(2025, 6, 2), "en") == DateRange("29 May", "2 Jun 2025", " – ")
    assert english_date(date(2026, 2, 19)) == "19 Feb 2026"


def test_recorded_times_read_in_jst() -> None:
    assert jst_time("2026-02-19T05:03:00.000000Z", "ja") == "令和8年2月19日 14:03 JST"
    assert jst_time("2026-02-19T05:03:00.000000Z", "en") == "19 Feb 2026 14:03 JST"
    # 15:30 UTC on 31 Dec is already the next day (and year) in Japan.
    assert jst_time(datetime(2025, 12, 31, 15, 30, tzinfo=UTC), "ja") == "令和8年1月1日 00:30 JST"
    assert jst_time(datetime(2019, 4, 30, 15, 0), "ja") == "令和元年5月1日 00:00 JST"  # naive means UTC
