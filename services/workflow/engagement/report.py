"""The seed's one-page engagement report, folded from the engagement's recorded events (pure, no I/O).

A domain fold beside the engagement's state fold (fold.py): the API serves its result as JSON and the
back office renders it as the printable page, so both show the same facts from the same log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from schemas.envelope import EventEnvelope
from schemas.events import (
    BodyKind,
    CompanyVisitMade,
    CoordinationHeld,
    KickoffHeld,
    MemberJoined,
    MemberLeft,
    MunicipalityApplied,
    OfficialRef,
    OnlineMeetingHeld,
    OutcomeRecorded,
    SiteVisitMade,
    SupportFlowRecorded,
    SupportThemesChanged,
    TeamAssigned,
    parse_payload,
)
from schemas.report import ActivityLine, EngagementReport, ReportFlow, ReportOfficial, ReportOutcome, ReportPartner
from schemas.wareki import nendo, seed_dates, wareki_month
from services.workflow.engagement.corrections import effective_events

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
PARTNER_KINDS = {BodyKind.MINISTRY, BodyKind.REGIONAL_BUREAU, BodyKind.PREFECTURAL_DEPARTMENT}


def _post_line(o: OfficialRef) -> str:
    """国土交通省水管理・国土保全局総務課長: a post that names its division (総務課長) is not preceded by it."""
    division = None if o.division and o.post and o.post.startswith(o.division) else o.division
    parts = [o.ministry, o.bureau, division, o.post]
    return "".join(p.replace(" ", "").replace("\u3000", "") for p in parts if p)


def _line(spans: list[tuple[date, date | None]], count: int | None = None) -> ActivityLine:
    return ActivityLine(count=len(spans) if count is None else count, visits=len(spans), dates=seed_dates(spans))


def _heading(outcome: OutcomeRecorded) -> tuple[str, str]:
    """The outcome's heading (its theme, or the text before a colon) and the rest of its text."""
    head, sep, rest = outcome.description.partition(": ")
    if outcome.theme:
        return outcome.theme, outcome.description
    if sep and len(head) <= 20:
        return head, rest
    return "その他", outcome.description


def build_report(engagement_id: str, events: Sequence[EventEnvelope]) -> EngagementReport:
    """Fold the engagement's events, as corrected, into the report's facts (`events` counts the whole log)."""
    r = EngagementReport(engagement_id=engagement_id, events=len(events))
    events = effective_events(events)
    team: dict[str, OfficialRef] = {}
    sites: list[tuple[date, date | None]] = []
    companies: list[tuple[date, date | None]] = []
    company_count = 0
    online: list[tuple[date, date | None]] = []
    partners: list[tuple[str, str]] = []
    for event in events:
        p = parse_payload(event.type, event.data)
        match p:
            case MunicipalityApplied():
                r.municipality_name, r.prefecture, r.mayor = p.municipality_name, p.prefecture, p.mayor
                r.population, r.challenges = p.population, list(p.challenges)
                r.population_as_of = f"{wareki_month(p.population_as_of)}時点" if p.population_as_of else None
            case TeamAssigned():
                team = {o.official_id: o for o in p.officials}
            case MemberJoined():
                team[p.official.official_id] = p.official
            case MemberLeft():
                team.pop(p.official_id, None)
            case KickoffHeld():
                r.title, r.themes, r.nendo = p.title, list(p.themes), nendo(p.held_on)
            case SupportThemesChanged():
                r.themes = list(p.themes)
            case SiteVisitMade():
                sites.append((p.start_date, p.end_date))
            case CompanyVisitMade():
                companies.append((p.start_date, p.end_date))
                company_count += p.company_count or 1
            case OnlineMeetingHeld():
                online.append((p.start_date, p.end_date))
            case SupportFlowRecorded():
                r.flows.append(ReportFlow(area=p.area, description=p.description, actions=list(p.actions)))
            case OutcomeRecorded():
                heading, text = _heading(p)
                status = p.status.value
                line = ReportOutcome(description=text, status=status, event_id=event.id)  # status_ja: the API's
                r.outcomes.setdefault(heading, []).append(line)
                partners += [(b.name, text) for b in p.related if BodyKind(b.kind) in PARTNER_KINDS]
            case CoordinationHeld():
                if BodyKind(p.body.kind) in PARTNER_KINDS:
                    partners.append((p.body.name, p.topic))
            case _:
                pass
    r.ministries = [o.ministry for o in team.values()]
    r.officials = [
        ReportOfficial(
            mark=CIRCLED[i] if i < len(CIRCLED) else f"({i + 1})",
            official_id=o.official_id,
            name=o.name,
            ministry=o.ministry,
            post_line=_post_line(o),
            seconded_from=o.seconded_from,
        )
        for i, o in enumerate(team.values())
    ]
    r.site_visits, r.online_meetings = _line(sites), _line(online)
    r.company_visits = _line(companies, company_count)
    r.partners = [
        ReportPartner(mark=CIRCLED[i] if i < len(CIRCLED) else f"({i + 1})", body=body, what=what)
        for i, (body, what) in enumerate(partners)
    ]
    return r
