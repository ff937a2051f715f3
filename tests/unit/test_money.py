"""Travel estimated from rates: nights × 宿泊, days × 日当, the table valid on the first day, integers only."""

from __future__ import annotations

from datetime import date

from schemas.money import Rates, estimate, rates_on

OLD = Rates(
    rates_id="r6",
    valid_from=date(2024, 4, 1),
    valid_to=date(2025, 3, 31),
    lodging_yen_per_night=10_900,
    daily_allowance_yen_per_day=2_200,
)
NEW = Rates(rates_id="r7", valid_from=date(2025, 4, 1), lodging_yen_per_night=11_800, daily_allowance_yen_per_day=2_400)


def test_the_table_valid_on_the_first_day() -> None:
    assert rates_on([OLD, NEW], date(2025, 3, 31)) == OLD
    assert rates_on([OLD, NEW], date(2025, 4, 1)) == NEW
    assert rates_on([OLD, NEW], date(2024, 3, 31)) is None
    revised = NEW.model_copy(update={"rates_id": "r7b", "valid_from": date(2025, 10, 1)})
    assert rates_on([OLD, NEW, revised], date(2025, 10, 2)) == revised


def test_nights_and_days() -> None:
    two_days = estimate(NEW, date(2025, 6, 19), date(2025, 6, 20))
    assert (two_days.lodging_yen, two_days.daily_allowance_yen, two_days.rates_id) == (11_800, 4_800, "r7")
    day_trip = estimate(NEW, date(2025, 6, 19), date(2025, 6, 19))
    assert (day_trip.lodging_yen, day_trip.daily_allowance_yen) == (0, 2_400)
    stayed_with_family = estimate(NEW, date(2025, 6, 19), date(2025, 6, 21), nights=1)
    assert (stayed_with_family.lodging_yen, stayed_with_family.daily_allowance_yen) == (11_800, 7_200)
    assert isinstance(stayed_with_family.lodging_yen, int)
