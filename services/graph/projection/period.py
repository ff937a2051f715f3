"""Projection of a period's events: the call on :Period, who volunteered, which municipalities applied.

Proposals, edits and approvals stay in the period's event log (the audit record); the teams reach the
graph through each engagement's own TeamAssigned event.
"""

from __future__ import annotations

from typing import Any

from schemas.events import ApplicationReceived, CallOpened, OfficialVolunteered, PeriodSummarised
from services.graph.projection.statements import Statement, iso

CALL = """
MERGE (per:Period {number: $period})
SET per.opens_on = $opens_on, per.closes_on = $closes_on, per.themes_on_offer = $themes,
    per.call_event_id = $event_id
"""

VOLUNTEERED = """
MERGE (per:Period {number: $period})
MERGE (p:Official {id: $official_id})
SET p.name = coalesce(p.name, $name)
MERGE (m:Ministry {name: $ministry})
MERGE (p)-[:BELONGS_TO]->(m)
MERGE (p)-[v:VOLUNTEERED_FOR]->(per)
SET v.seniority = $seniority, v.capacity = $capacity, v.expertise = $expertise,
    v.preferred_themes = $preferred_themes, v.event_id = $event_id
"""

APPLIED = """
MERGE (per:Period {number: $period})
MERGE (pref:Prefecture {name: $prefecture})
MERGE (m:Municipality {code: $municipality_code})
SET m.name = coalesce(m.name, $municipality_name)
MERGE (m)-[:IN_PREFECTURE]->(pref)
MERGE (m)-[a:APPLIED_TO]->(per)
SET a.applied_on = $applied_on, a.challenges = $challenges, a.event_id = $event_id
"""

SUMMARISED = """
MERGE (per:Period {number: $period})
SET per.officials = $officials, per.teams = $teams, per.municipalities = $municipalities,
    per.figures_as_of = $as_of, per.figures_event_id = $event_id
"""


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
    return [Statement(CALL, params)]


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
    return [Statement(VOLUNTEERED, params)]


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
    return [Statement(APPLIED, params)]


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
    return [Statement(SUMMARISED, params)]
