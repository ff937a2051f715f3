"""The programme's clock: Japan Standard Time, in which its days and 年度 begin."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9))


def today_jst() -> date:
    """Today in Japan (the programme's calendar)."""
    return datetime.now(JST).date()
