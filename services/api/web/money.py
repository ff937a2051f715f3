"""The back office's view of the programme's paperwork: amounts as people read them, and who may see them.

Amounts stay whole yen (ints) from the graph to the page; here they become text (¥1,234,567), never
rounded. Who may see amounts and appointment details is the policy's: staff, admin and auditors
(`services.api.auth.policy.sees_money`); a page asks `money_reader` before it reads any of them, so the
other roles' pages neither show nor read them.
"""

from __future__ import annotations

from datetime import date, timedelta

from schemas.paperwork_views import AppointmentTermView, BudgetLine, TravelLineView, TravelSummary
from services.api.auth.policy import sees_money
from services.api.auth.principal import Principal

MINUS = "−"  # U+2212, the minus sign of an amount left below zero


def money_reader(principal: Principal | None) -> bool:
    """Whether a page may show amounts and appointment details to `principal` (staff, admin, auditors)."""
    return principal is not None and sees_money(principal)


def yen(amount: int | None) -> str:
    """¥1,234,567 (¥0 for nothing; −¥40,300 below zero)."""
    value = amount or 0
    return f"{MINUS}¥{-value:,}" if value < 0 else f"¥{value:,}"


def over_share(summary: TravelSummary) -> list[BudgetLine]:
    """The teams whose plans pass their share, in the summary's order (the period page's alerts)."""
    codes = set(summary.over_share)
    return [t for t in summary.teams if t.over_share or t.key in codes]


def travel_totals(lines: list[TravelLineView]) -> dict[str, int]:
    """An engagement's travel: planned and settled sums, and how many lines await settlement."""
    return {
        "planned": sum(line.planned.total_yen for line in lines),
        "settled": sum(line.settled.total_yen for line in lines if line.settled is not None),
        "open": sum(1 for line in lines if line.settled is None),
    }


def day_or(value: str | None, default: date) -> date:
    """A date parameter (YYYY-MM-DD, as a date input sends it), or `default` when absent or not a date."""
    try:
        return date.fromisoformat(value.strip()) if value and value.strip() else default
    except ValueError:
        return default


def last_covered(term: AppointmentTermView) -> date | None:
    """The last day a closed term covered its team (its `to_date` is the first day it no longer does)."""
    return term.to_date - timedelta(days=1) if term.to_date is not None else None
