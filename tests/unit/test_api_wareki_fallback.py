"""The 和暦 renderer never raises: a date outside its eras is written in 西暦, so no stored date breaks a page."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from schemas.wareki import nendo, seed_dates, wareki, wareki_month


def test_a_date_before_showa_is_written_in_the_western_calendar() -> None:
    assert wareki(date(1, 1, 1)) == "西暦1年1月1日"
    assert wareki(date(1926, 12, 24)) == "西暦1926年12月24日"
    assert wareki(date(1926, 12, 25)) == "昭和元年12月25日"
    assert wareki_month(date(1900, 2, 28)) == "西暦1900年2月末"
    assert nendo(date(1, 1, 1)) == "西暦0年度"
    assert nendo(date(9999, 12, 31)) == "西暦9999年度"
    assert (
        seed_dates([(date(2025, 5, 29), None), (date(1, 1, 1), None), (date(2, 3, 4), None)]) == "1/1、2 3/4、R7 5/29"
    )


def test_dates_in_the_eras_are_unchanged() -> None:
    assert wareki(date(2025, 5, 29)) == "令和7年5月29日"
    assert wareki_month(date(2026, 2, 28)) == "令和8年2月末"
    assert nendo(date(2019, 6, 1)) == "令和元年度"


@given(st.dates())
def test_every_date_renders(day: date) -> None:
    for text in (wareki(day), wareki_month(day), nendo(day), seed_dates([(day, None), (date(2025, 5, 1), day)])):
        assert text
