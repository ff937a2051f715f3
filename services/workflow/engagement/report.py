"""The seed's one-page engagement report, folded from the engagement's recorded events (pure, no I/O).

A domain fold beside the engagement's state fold (fold.py): the API serves its result as JSON and the
back office renders it as the printable page, so both show the same facts from the same log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from schemas.calendar import JST
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
from schemas.wareki import fiscal_year, nendo, seed_dates, wareki_month
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


def _group(outcome: OutcomeRecorded) -> tuple[str, str]:
    """The outcome's 【】 group (as recorded, else its theme, else — for outcomes recorded before v4 — the
    text before a colon) and the text to print."""
    if outcome.group:
        return outcome.group, outcome.description
    if outcome.theme:
        return outcome.theme, outcome.description
    head, sep, rest = outcome.description.partition(": ")
    if sep and len(head) <= 20:
        return head, rest
    return "その他", outcome.description


def _by_heading(items: list[ReportOutcome]) -> list[ReportOutcome]:
    """The group's outcomes with each ○ heading's together, at the place its first outcome was recorded."""
    first: dict[str | None, int] = {}
    for i, o in enumerate(items):
        first.setdefault(o.heading, i)
    return sorted(items, key=lambda o: first[o.heading])  # stable: in recorded order under each heading


def _partner_subject(outcome: OutcomeRecorded, text: str) -> str:
    """What the team worked on with a body an outcome names: the outcome's ○ heading — the report shows the
    outcome's sentence above, under that heading — else the programmes it names, else (an outcome recorded
    without either) its text."""
    programmes = [b.name for b in outcome.related if BodyKind(b.kind) is BodyKind.FUNDING_PROGRAM]
    return outcome.heading or "、".join(programmes) or text


def _partners(pairs: list[tuple[str, str]]) -> list[ReportPartner]:
    """One line per subject, naming every body worked with on it (each body and subject once, in order)."""
    subjects: dict[str, list[str]] = {}
    for body, what in pairs:
        bodies = subjects.setdefault(what, [])
        if body not in bodies:
            bodies.append(body)
    return [
        ReportPartner(mark=CIRCLED[i] if i < len(CIRCLED) else f"({i + 1})", body="・".join(bodies), what=what)
        for i, (what, bodies) in enumerate(subjects.items())
    ]


def build_report(
    engagement_id: str, events: Sequence[EventEnvelope], generated_on: date | None = None
) -> EngagementReport:
    """Fold the engagement's events, as corrected, into the report's facts, dated `generated_on` (today in JST if
    not given); `events` counts the whole log."""
    today = generated_on or datetime.now(JST).date()
    r = EngagementReport(engagement_id=engagement_id, events=len(events), generated_on=today)
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
                r.challenge_heading = p.challenge_heading
                r.population_as_of = f"{wareki_month(p.population_as_of)}時点" if p.population_as_of else None
            case TeamAssigned():
                team = {o.official_id: o for o in p.officials}
            case MemberJoined():
                team[p.official.official_id] = p.official
            case MemberLeft():
                team.pop(p.official_id, None)
            case KickoffHeld():
                r.title, r.themes, r.nendo = p.title, list(p.themes), nendo(p.held_on)
                r.fiscal_year = fiscal_year(p.held_on)
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
                group, text = _group(p)
                status = p.status.value
                line = ReportOutcome(description=text, heading=p.heading, status=status, event_id=event.id)
                r.outcomes.setdefault(group, []).append(line)  # status_ja: the API's
                subject = _partner_subject(p, text)
                partners += [(b.name, subject) for b in p.related if BodyKind(b.kind) in PARTNER_KINDS]
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
    r.outcomes = {group: _by_heading(items) for group, items in r.outcomes.items()}
    r.partners = _partners(partners)
    return r
