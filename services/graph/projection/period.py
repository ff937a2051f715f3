"""Projection of a period's events: the call on :Period, who volunteered, which municipalities applied.

Proposals, edits and approvals stay in the period's event log (the audit record); the teams reach the
graph through each engagement's own TeamAssigned event.
"""

from __future__ import annotations

from typing import Any

from schemas.events import ApplicationReceived, CallOpened, OfficialVolunteered, PeriodSummarised
from services.graph.projection import queries as q
from services.graph.projection.statements import Statement, iso


def period_number(subject: str) -> int:
    """The period of a `period-N` stream."""
    return int(subject.removeprefix("period-"))


def call_opened(p: CallOpened, base: dict[str, Any]) -> list[Statement]:
    """The call's dates and themes on the period node."""
    params = {
        "period": p.period,
        "opens_on": iso(p.opens_on),
        "closes_on": iso(p.closes_on),
        "themes": p.themes_on_offer,
        "event_id": base["event_id"],
    }
    return [Statement(q.CALL_OPENED, params)]


def volunteered(p: OfficialVolunteered, base: dict[str, Any]) -> list[Statement]:
    """The official VOLUNTEERED_FOR the period, with what they offered."""
    params = {
        "period": period_number(base["engagement_id"]),
        "official_id": p.official.official_id,
        "name": p.official.name,
        "ministry": p.official.ministry,
        "seniority": p.seniority.value,
        "capacity": p.capacity,
        "expertise": p.expertise,
        "preferred_themes": p.preferred_themes,
        "event_id": base["event_id"],
    }
    return [Statement(q.OFFICIAL_VOLUNTEERED, params)]


def application_received(p: ApplicationReceived, base: dict[str, Any]) -> list[Statement]:
    """The municipality APPLIED_TO the period."""
    a = p.application
    params = {
        "period": a.period,
        "prefecture": a.prefecture,
        "municipality_code": a.municipality_code,
        "municipality_name": a.municipality_name,
        "applied_on": iso(a.applied_on),
        "challenges": a.challenges,
        "event_id": base["event_id"],
    }
    return [Statement(q.APPLICATION_RECEIVED, params)]


def summarised(p: PeriodSummarised, base: dict[str, Any]) -> list[Statement]:
    """The period's headline figures on its node."""
    f = p.figures
    params = {
        "period": period_number(base["engagement_id"]),
        "officials": f.officials,
        "teams": f.teams,
        "municipalities": f.municipalities,
        "as_of": iso(p.as_of),
        "event_id": base["event_id"],
    }
    return [Statement(q.PERIOD_SUMMARISED, params)]
