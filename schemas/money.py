"""Money as the programme's paperwork counts it: whole yen, never floats, and travel estimated from rates.

`Yen` is a strict integer: JSON `1500.0`, `"1500"` and `-1` are refused by validation, so an amount is
exactly what was typed. `estimate` is the one place a planned trip's 宿泊 and 日当 are worked out from the
rates valid on the day it starts (the rates are reference data, `TravelRatesDefined`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

MAX_YEN = 10_000_000_000  # 100億円: above any period's travel budget; bounds sums well inside int64
Yen = Annotated[StrictInt, Field(ge=0, le=MAX_YEN, description="円 (整数)")]


class Rates(BaseModel):
    """The per-night and per-day amounts of one rate table (旅費の基準額)."""

    model_config = ConfigDict(frozen=True)
    rates_id: str
    valid_from: date
    valid_to: date | None = None
    lodging_yen_per_night: int
    daily_allowance_yen_per_day: int

    @classmethod
    def taken_from(cls, source: BaseModel) -> Rates:
        """The amounts of a rate table as another model holds them (the event, the read model)."""
        return cls.model_validate(source.model_dump(include=set(cls.model_fields)))

    def valid_on(self, day: date) -> bool:
        """Whether this table applies to a trip starting on `day` (`valid_to` is the last valid day)."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Estimate(BaseModel):
    """A trip's planned amounts as the rates give them."""

    model_config = ConfigDict(frozen=True)
    rates_id: str
    lodging_yen: int
    daily_allowance_yen: int


def trip_days(departs_on: date, returns_on: date) -> int:
    """Days away, counting both ends (a day trip is one day)."""
    return (returns_on - departs_on).days + 1


def trip_nights(departs_on: date, returns_on: date) -> int:
    """Nights away (a day trip has none)."""
    return (returns_on - departs_on).days


def rates_on(tables: list[Rates], day: date) -> Rates | None:
    """The table valid on `day`: of several, the one that started latest (a revision supersedes)."""
    valid = [t for t in tables if t.valid_on(day)]
    return max(valid, key=lambda t: (t.valid_from, t.rates_id)) if valid else None


def estimate(rates: Rates, departs_on: date, returns_on: date, nights: int | None = None) -> Estimate:
    """宿泊 = nights × the nightly rate (the nights stayed, default every night away), 日当 = days × the daily rate."""
    stayed = trip_nights(departs_on, returns_on) if nights is None else nights
    return Estimate(
        rates_id=rates.rates_id,
        lodging_yen=stayed * rates.lodging_yen_per_night,
        daily_allowance_yen=trip_days(departs_on, returns_on) * rates.daily_allowance_yen_per_day,
    )
