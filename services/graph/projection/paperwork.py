"""Projection of the programme's paperwork: 併任 appointments (period stream), 支援旅費 plans and settlements
(engagement stream), the period's travel budget (period stream) and the travel rates (reference streams).

The nodes stand alone, with no relationship to anything (see `paperwork_queries.py`): amounts and
appointment details are read only through the paperwork reads, joined by key properties.
"""

from __future__ import annotations

from typing import Any

from schemas.events import (
    AppointmentChanged,
    AppointmentEnded,
    AppointmentIssued,
    TravelBudgetAllocated,
    TravelPlanned,
    TravelRatesDefined,
    TravelSettled,
    travel_key,
)
from schemas.text import compared
from services.graph.projection import paperwork_queries as q
from services.graph.projection.period import period_number
from services.graph.projection.statements import Statement, iso

ENGAGEMENT_PREFIX = "engagement-"


def engagement_parts(engagement_id: str) -> tuple[int, str]:
    """The period and 全国地方公共団体コード of an engagement id `engagement-<period>-<code>`."""
    period, _, code = engagement_id.removeprefix(ENGAGEMENT_PREFIX).partition("-")
    if not engagement_id.startswith(ENGAGEMENT_PREFIX) or not period.isdigit() or not code:
        raise ValueError(f"not an engagement id: {engagement_id!r}")
    return int(period), code


def appointment_issued(p: AppointmentIssued, base: dict[str, Any]) -> list[Statement]:
    """併任発令: the Appointment as issued and an open AppointmentTerm per team."""
    o = p.official
    params = {
        "event_id": base["event_id"],
        "period": period_number(base["engagement_id"]),
        "official_id": o.official_id,
        "name": o.name,
        "ministry": compared(o.ministry),
        "bureau": o.bureau,
        "division": o.division,
        "post": o.post,
        "appointed_on": iso(p.appointed_on),
        "term_ends_on": iso(p.term_ends_on),
        "notice": p.notice,
        "team_codes": list(p.team_codes),
    }
    return [Statement(q.APPOINTMENT_ISSUED, params)]


def appointment_changed(p: AppointmentChanged, base: dict[str, Any]) -> list[Statement]:
    """併任内容の変更: the teams' terms closed and opened on `changed_on`."""
    params = {
        "event_id": base["event_id"],
        "period": period_number(base["engagement_id"]),
        "official_id": p.official_id,
        "team_codes": list(p.team_codes),
        "changed_on": iso(p.changed_on),
    }
    return [Statement(q.APPOINTMENT_CHANGED, params)]


def appointment_ended(p: AppointmentEnded, base: dict[str, Any]) -> list[Statement]:
    """併任解除: the appointment and its open terms end on `ended_on`."""
    params = {
        "event_id": base["event_id"],
        "period": period_number(base["engagement_id"]),
        "official_id": p.official_id,
        "ended_on": iso(p.ended_on),
        "reason": p.reason.value,
    }
    return [Statement(q.APPOINTMENT_ENDED, params)]


def travel_planned(p: TravelPlanned, base: dict[str, Any]) -> list[Statement]:
    """旅費の見込み: the TravelLine of the visit and official, with the planned amounts and their total."""
    engagement_id = base["engagement_id"]
    period, code = engagement_parts(engagement_id)
    params = {
        "key": travel_key(p.visit_event_id, p.official_id),
        "engagement_id": engagement_id,
        "period": period,
        "municipality_code": code,
        "visit_event_id": p.visit_event_id,
        "official_id": p.official_id,
        "departs_on": iso(p.departs_on),
        "returns_on": iso(p.returns_on),
        "nights": p.nights,
        "origin": p.origin,
        "rates_id": p.rates_id,
        "planned_on": iso(p.planned_on),
        "transport_yen": p.transport_yen,
        "lodging_yen": p.lodging_yen,
        "daily_allowance_yen": p.daily_allowance_yen,
        "total_yen": p.total_yen,
        "event_id": base["event_id"],
    }
    return [Statement(q.TRAVEL_PLANNED, params)]


def travel_settled(p: TravelSettled, base: dict[str, Any]) -> list[Statement]:
    """旅費の精算: the actual amounts on the planned line."""
    params = {
        "key": travel_key(p.visit_event_id, p.official_id),
        "settled_on": iso(p.settled_on),
        "transport_yen": p.transport_yen,
        "lodging_yen": p.lodging_yen,
        "daily_allowance_yen": p.daily_allowance_yen,
        "total_yen": p.total_yen,
        "note": p.note,
        "event_id": base["event_id"],
    }
    return [Statement(q.TRAVEL_SETTLED, params)]


def travel_budget_allocated(p: TravelBudgetAllocated, base: dict[str, Any]) -> list[Statement]:
    """予算配分: the period's TravelBudget, a TravelBudgetRevision, the TravelShares replaced."""
    params = {
        "period": period_number(base["engagement_id"]),
        "amount_yen": p.amount_yen,
        "allocated_on": iso(p.allocated_on),
        "reason": p.reason,
        "shares": [{"municipality_code": s.municipality_code, "amount_yen": s.amount_yen} for s in p.team_shares],
        "event_id": base["event_id"],
    }
    return [Statement(q.TRAVEL_BUDGET_ALLOCATED, params)]


def travel_rates_defined(p: TravelRatesDefined, base: dict[str, Any]) -> list[Statement]:
    """旅費の基準額: the TravelRates table as defined last."""
    params = {
        "rates_id": p.rates_id,
        "name": p.name,
        "valid_from": iso(p.valid_from),
        "valid_to": iso(p.valid_to),
        "lodging_yen_per_night": p.lodging_yen_per_night,
        "daily_allowance_yen_per_day": p.daily_allowance_yen_per_day,
        "source": p.source,
        "event_id": base["event_id"],
    }
    return [Statement(q.TRAVEL_RATES_DEFINED, params)]
