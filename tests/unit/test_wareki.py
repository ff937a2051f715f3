"""和暦, 年度 and the seed's short date lists."""

from __future__ import annotations

from datetime import date

from schemas.wareki import fiscal_year, nendo, seed_dates, wareki, wareki_month


def test_wareki_dates_and_era_boundaries() -> None:
    assert wareki(date(2025, 5, 29)) == "令和7年5月29日"
    assert wareki(date(2019, 5, 1)) == "令和元年5月1日"
    assert wareki(date(2019, 4, 30)) == "平成31年4月30日"
    assert wareki(date(1989, 1, 7)) == "昭和64年1月7日"


def test_month_end_reads_as_the_seed_writes_it() -> None:
    assert wareki_month(date(2026, 2, 28)) == "令和8年2月末"
    assert wareki_month(date(2024, 2, 28)) == "令和6年2月28日"  # 2024 is a leap year
    assert wareki_month(date(2024, 2, 29)) == "令和6年2月末"


def test_nendo_runs_april_to_march() -> None:
    assert nendo(date(2025, 4, 1)) == "令和7年度"
    assert nendo(date(2026, 3, 31)) == "令和7年度"
    assert nendo(date(2019, 4, 1)) == "令和元年度"
    assert fiscal_year(date(2026, 1, 8)) == 2025


def test_seed_date_lists_mark_the_new_year_once() -> None:
    visits = [
        (date(2025, 5, 29), date(2025, 5, 30)),
        (date(2025, 8, 1), date(2025, 8, 3)),
        (date(2025, 11, 25), date(2025, 11, 26)),
        (date(2026, 2, 19), date(2026, 2, 20)),
        (date(2026, 5, 14), date(2026, 5, 15)),
    ]
    assert seed_dates(visits) == "5/29-30、8/1-3、11/25-26、R8 2/19-20、5/14-15"
    assert seed_dates([(date(2025, 7, 31), date(2025, 8, 1)), (date(2025, 4, 30), None)]) == "4/30、7/31-8/1"
    assert seed_dates([]) == ""
