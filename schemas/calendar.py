"""The programme's clock: Japan Standard Time, in which its days and 年度 begin."""

from __future__ import annotations

from datetime import timedelta, timezone

JST = timezone(timedelta(hours=9))
