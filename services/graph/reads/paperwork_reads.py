"""The programme's paperwork as staff, admin and auditors read it: 併任, the roster, 支援旅費 and its budget.

The reads fetch plain rows (Cypher in `paperwork_read_queries.py`); the figures are worked out by the pure
functions below (`appointment_gaps`, `roster`, `travel_summary`), so they are tested without a graph. Every
amount is an int of yen: sums of ints, an even split by floor division with the remainder handed out one yen
at a time (the shares add up to the budget exactly), never a float.
"""

from __future__ import annotations

import calendar
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from schemas.paperwork_views import (
    Amounts,
    AppointmentGap,
    AppointmentView,
    BudgetLine,
    BudgetPoint,
    RatesView,
    RosterRow,
    TravelLineView,
    TravelSummary,
)
from services.graph.reads import paperwork_read_queries as q
from services.graph.reads.reader import GraphReader

UNKNOWN_MINISTRY = "不明"


@dataclass(frozen=True)
class Member:
    """One membership of a period's team (MEMBER_OF), as the gaps and the roster need it."""

    engagement_id: str
    municipality_code: str
    municipality_name: str | None
    official_id: str
    name: str
    ministry: str
    post: str | None
    from_date: date | None
    to_date: date | None

    def active_on(self, day: date) -> bool:
        """On the team on `day` (as `schemas.views.Membership.active_on`: from ≤ day < to)."""
        return (self.from_date is None or self.from_date <= day) and (self.to_date is None or day < self.to_date)


@dataclass(frozen=True)
class Team:
    """An engagement of the period: its municipality, stage and whether it has a team."""

    engagement_id: str
    municipality_code: str
    municipality_name: str | None
    stage: str | None
    has_team: bool


@dataclass(frozen=True)
class Allocation:
    """One budget allocation (TravelBudgetRevision): the budget as it stood from `allocated_on`."""

    event_id: str
    amount_yen: int
    allocated_on: date


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def member_from(row: dict[str, Any]) -> Member:
    """A MEMBERSHIPS row as a Member."""
    return Member(
        engagement_id=row["engagement_id"],
        municipality_code=row["municipality_code"],
        municipality_name=row["municipality_name"],
        official_id=row["official_id"],
        name=row["name"],
        ministry=row["ministry"] or UNKNOWN_MINISTRY,
        post=row["post"],
        from_date=_date(row["from_date"]),
        to_date=_date(row["to_date"]),
    )


def line_from(row: dict[str, Any]) -> TravelLineView:
    """A TRAVEL_LINES row as the ledger's line (the visit's day from the activity, else its event's data)."""
    visit_date = row["visit_date"]
    if visit_date is None and isinstance(row["visit_data"], str):
        visit_date = json.loads(row["visit_data"]).get("start_date")
    settled = None
    if row["settlement_event_id"] is not None:
        settled = Amounts(
            transport_yen=row["settled_transport_yen"],
            lodging_yen=row["settled_lodging_yen"],
            daily_allowance_yen=row["settled_daily_allowance_yen"],
        )
    return TravelLineView(
        key=row["key"],
        engagement_id=row["engagement_id"],
        period=row["period"],
        municipality_code=row["municipality_code"],
        municipality_name=row["municipality_name"],
        visit_event_id=row["visit_event_id"],
        visit_kind=row["visit_kind"],
        visit_date=visit_date,
        official_id=row["official_id"],
        name=row["name"],
        ministry=row["ministry"],
        departs_on=row["departs_on"],
        returns_on=row["returns_on"],
        nights=row["nights"],
        origin=row["origin"],
        rates_id=row["rates_id"],
        planned_on=row["planned_on"],
        planned=Amounts(
            transport_yen=row["planned_transport_yen"],
            lodging_yen=row["planned_lodging_yen"],
            daily_allowance_yen=row["planned_daily_allowance_yen"],
        ),
        plan_event_id=row["plan_event_id"],
        settled_on=row["settled_on"],
        settled=settled,
        settlement_event_id=row["settlement_event_id"],
        note=row["note"],
    )


def current(appointments: Iterable[AppointmentView]) -> AppointmentView | None:
    """Of one official's appointments, the one in force (not ended), else the latest issued."""
    ranked = sorted(appointments, key=lambda a: (a.ended_on is None, a.appointed_on, a.event_id))
    return ranked[-1] if ranked else None


def _covered_on(a: AppointmentView, day: date) -> list[str]:
    """The teams `a` covers on `day` (none when it is not valid that day)."""
    return [t.municipality_code for t in a.terms if a.valid_on(day, t.municipality_code)]


def _why_not(mine: list[AppointmentView], day: date) -> tuple[AppointmentView | None, str]:
    """The appointment that matters for a member without a valid one for their team on `day`, and why."""
    if not mine:
        return None, "none"
    valid = [a for a in mine if a.valid_on(day)]
    if valid:
        return current(valid), "team_not_covered"
    started = [a for a in mine if a.appointed_on <= day]
    if not started:
        return min(mine, key=lambda a: (a.appointed_on, a.event_id)), "before_appointment"
    latest = max(started, key=lambda a: (a.appointed_on, a.event_id))
    if latest.ended_on is not None and latest.ended_on <= day:
        return latest, "after_end"
    return latest, "after_term"


def appointment_gaps(
    period: int, appointments: list[AppointmentView], members: list[Member], on: date
) -> list[AppointmentGap]:
    """Who is on a team on `on` without a valid appointment for it (`unappointed`), and who is appointed for
    a team that day without being on it (`not_on_team`: `left_team` when they had left it, else `none`)."""
    by_official: dict[str, list[AppointmentView]] = defaultdict(list)
    for a in appointments:
        by_official[a.official_id].append(a)
    gaps: dict[tuple[str, str, str], AppointmentGap] = {}
    for m in members:
        if not m.active_on(on):
            continue
        mine = by_official[m.official_id]
        if any(a.valid_on(on, m.municipality_code) for a in mine):
            continue
        appointment, reason = _why_not(mine, on)
        gaps[("unappointed", m.municipality_code, m.official_id)] = AppointmentGap(
            kind="unappointed",
            on=on,
            engagement_id=m.engagement_id,
            municipality_code=m.municipality_code,
            municipality_name=m.municipality_name,
            official_id=m.official_id,
            name=m.name,
            ministry=m.ministry,
            appointment_event_id=appointment.event_id if appointment else None,
            reason=reason,
        )
    on_team = {(m.official_id, m.municipality_code) for m in members if m.active_on(on)}
    left = {
        (m.official_id, m.municipality_code) for m in members if m.to_date is not None and m.to_date <= on
    } - on_team
    for a in appointments:
        names = {t.municipality_code: t.municipality_name for t in a.terms}
        for code in _covered_on(a, on):
            if (a.official_id, code) in on_team:
                continue
            gaps[("not_on_team", code, a.official_id)] = AppointmentGap(
                kind="not_on_team",
                on=on,
                engagement_id=f"engagement-{period}-{code}",
                municipality_code=code,
                municipality_name=names.get(code),
                official_id=a.official_id,
                name=a.name,
                ministry=a.ministry,
                appointment_event_id=a.event_id,
                reason="left_team" if (a.official_id, code) in left else "none",
            )
    return [gaps[k] for k in sorted(gaps, key=lambda k: (k[1], gaps[k].name, k[2], k[0]))]


def roster(
    appointments: list[AppointmentView], members: list[Member], names: dict[str, str], on: date | None = None
) -> list[RosterRow]:
    """名簿: every official of the period's teams or appointments (on `on`, when given), by ministry and name.

    The appointment is the one valid on `on` (else none), or without a date the one in force, else the
    latest. Its teams are the ones it covers on `on`, else its current teams, else (ended) the ones it
    covered at its end. Officials without an appointment are listed with the teams they are on.
    """
    by_official: dict[str, list[AppointmentView]] = defaultdict(list)
    for a in appointments:
        by_official[a.official_id].append(a)
    memberships: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        memberships[m.official_id].append(m)
    people = {m.official_id for m in members if on is None or m.active_on(on)}
    people |= {a.official_id for a in appointments if on is None or a.valid_on(on)}
    rows = []
    for official_id in people:
        mine = by_official[official_id]
        held = current([x for x in mine if x.valid_on(on)]) if on is not None else current(mine)
        if held is not None:
            if on is not None:
                codes = _covered_on(held, on)
            elif held.ended_on is None:
                codes = list(held.team_codes)
            else:
                codes = [t.municipality_code for t in held.terms if t.to_date == held.ended_on]
            row = RosterRow(
                official_id=official_id,
                name=held.name,
                ministry=held.ministry,
                bureau=held.bureau,
                division=held.division,
                post=held.post,
                team_codes=codes,
                teams=[names.get(c, c) for c in codes],
                appointed_on=held.appointed_on,
                term_ends_on=held.term_ends_on,
                ended_on=held.ended_on,
                end_reason=held.end_reason,
                appointment_event_id=held.event_id,
            )
        else:
            theirs = memberships[official_id]
            active = [m for m in theirs if (m.active_on(on) if on is not None else m.to_date is None)] or theirs
            codes = list(dict.fromkeys(m.municipality_code for m in active))
            first = theirs[0]
            row = RosterRow(
                official_id=official_id,
                name=first.name,
                ministry=first.ministry,
                post=first.post,
                team_codes=codes,
                teams=[names.get(c, c) for c in codes],
            )
        rows.append(row)
    return sorted(rows, key=lambda r: (r.ministry, r.name, r.official_id))


def team_shares(budget_yen: int | None, named: dict[str, int], teams: list[Team]) -> dict[str, int]:
    """Each team's share: the named ones, and what they leave split evenly among the period's other teams
    (assigned, not withdrawn), in whole yen — the first `remainder` teams by code get one yen more."""
    if budget_yen is None:
        return {}
    shares = dict(named)
    rest = sorted(
        t.municipality_code for t in teams if t.has_team and t.stage != "withdrawn" and t.municipality_code not in named
    )
    if rest:
        left = max(budget_yen - sum(named.values()), 0)
        each, remainder = divmod(left, len(rest))
        for i, code in enumerate(rest):
            shares[code] = each + (1 if i < remainder else 0)
    return shares


def _committed(line: TravelLineView) -> int:
    return line.settled.total_yen if line.settled is not None else line.planned.total_yen


def budget_line(key: str, label: str, share_yen: int | None, lines: list[TravelLineView]) -> BudgetLine:
    """Planned, settled, committed and left of some lines against a share (none: nothing is left or over)."""
    committed = sum(_committed(x) for x in lines)
    return BudgetLine(
        key=key,
        label=label,
        share_yen=share_yen,
        planned_yen=sum(x.planned.total_yen for x in lines),
        settled_yen=sum(x.settled.total_yen for x in lines if x.settled is not None),
        committed_yen=committed,
        left_yen=None if share_yen is None else share_yen - committed,
        lines=len(lines),
        over_share=share_yen is not None and committed > share_yen,
    )


def _month_end(month: tuple[int, int]) -> date:
    year, m = month
    return date(year, m, calendar.monthrange(year, m)[1])


def _months(first: date, last: date) -> list[tuple[int, int]]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def budget_series(
    allocations: list[Allocation], current_event_id: str | None, lines: list[TravelLineView], today: date
) -> list[BudgetPoint]:
    """The budget picture at the end of each month, from the first line's or allocation's month to today's.

    The budget of a month is the last allocation made by its end (of two on one day, the one in force now,
    else the later event id); planned and settled are cumulative; left = budget − what is committed by then
    (settled lines at their amounts, the others planned by then at their planned amounts).
    """
    starts = [x.planned_on for x in lines] + [a.allocated_on for a in allocations]
    if not starts:
        return []
    ordered = sorted(allocations, key=lambda a: (a.allocated_on, a.event_id == current_event_id, a.event_id))
    points = []
    for month in _months(min(starts), today):
        end = _month_end(month)
        made = [a for a in ordered if a.allocated_on <= end]
        budget = made[-1].amount_yen if made else 0
        planned = [x for x in lines if x.planned_on <= end]
        settled = [x for x in lines if x.settled is not None and x.settled_on is not None and x.settled_on <= end]
        settled_by_end = {x.key for x in settled}
        committed = sum(
            x.settled.total_yen if x.key in settled_by_end and x.settled is not None else x.planned.total_yen
            for x in planned
        )
        points.append(
            BudgetPoint(
                month=f"{month[0]:04d}-{month[1]:02d}",
                budget_yen=budget,
                planned_yen=sum(x.planned.total_yen for x in planned),
                settled_yen=sum(x.settled.total_yen for x in settled if x.settled is not None),
                left_yen=budget - committed,
            )
        )
    return points


def travel_summary(
    period: int,
    budget: dict[str, Any] | None,
    allocations: list[Allocation],
    named: dict[str, int],
    teams: list[Team],
    lines: list[TravelLineView],
    today: date,
) -> TravelSummary:
    """支援旅費 of the period: the whole, per team (against its share), per ministry, the alerts, the curve."""
    budget_yen = int(budget["amount_yen"]) if budget else None
    shares = team_shares(budget_yen, named, teams)
    names = {t.municipality_code: t.municipality_name for t in teams}
    by_team: dict[str, list[TravelLineView]] = defaultdict(list)
    by_ministry: dict[str, list[TravelLineView]] = defaultdict(list)
    for x in lines:
        by_team[x.municipality_code].append(x)
        by_ministry[x.ministry or UNKNOWN_MINISTRY].append(x)
    team_lines = [
        budget_line(code, names.get(code) or code, shares.get(code), by_team[code])
        for code in sorted(set(shares) | set(by_team))
    ]
    return TravelSummary(
        period=period,
        budget_yen=budget_yen,
        allocated_on=budget["allocated_on"] if budget else None,
        budget_event_id=budget["event_id"] if budget else None,
        total=budget_line("period", f"第{period}期", budget_yen, lines),
        teams=team_lines,
        ministries=[budget_line(m, m, None, by_ministry[m]) for m in sorted(by_ministry)],
        over_share=[t.key for t in team_lines if t.over_share],
        series=budget_series(allocations, budget["event_id"] if budget else None, lines, today),
    )


class PaperworkReads(GraphReader):
    """Appointments, the roster, travel lines, the budget and the rates (Cypher in paperwork_read_queries)."""

    async def appointments(self, period: int) -> list[AppointmentView]:
        """The period's appointments, by name, each with its terms."""
        rows = await self._read(q.APPOINTMENTS, period=period, official_id=None)
        return [AppointmentView.model_validate(r) for r in rows]

    async def appointment(self, period: int, official_id: str) -> AppointmentView | None:
        """The official's appointment in the period: the one in force, else the latest issued."""
        rows = await self._read(q.APPOINTMENTS, period=period, official_id=official_id)
        return current(AppointmentView.model_validate(r) for r in rows)

    async def members(self, period: int) -> list[Member]:
        """Every membership of the period's teams."""
        return [member_from(r) for r in await self._read(q.MEMBERSHIPS, period=period)]

    async def teams(self, period: int) -> list[Team]:
        """The period's engagements."""
        return [Team(**r) for r in await self._read(q.ENGAGEMENTS, period=period)]

    async def appointment_gaps(self, period: int, on: date) -> list[AppointmentGap]:
        """Members of the period's teams on `on` without a valid appointment for that team, and appointments
        in force that day for a team the official is not on."""
        return appointment_gaps(period, await self.appointments(period), await self.members(period), on)

    async def roster(self, period: int, on: date | None = None) -> list[RosterRow]:
        """名簿 of the period (of `on`, when given)."""
        names = await self.engagement_codes(period)
        return roster(await self.appointments(period), await self.members(period), names, on)

    async def engagement_codes(self, period: int) -> dict[str, str]:
        """The period's engagements: 団体コード → municipality name."""
        return {t.municipality_code: t.municipality_name or t.municipality_code for t in await self.teams(period)}

    async def travel_lines(self, period: int | None = None, engagement_id: str | None = None) -> list[TravelLineView]:
        """The travel ledger's lines of an engagement, of a period, or all, by departure."""
        if engagement_id is not None:
            rows = await self._read(q.TRAVEL_LINES_OF_ENGAGEMENT, engagement_id=engagement_id)
        elif period is not None:
            rows = await self._read(q.TRAVEL_LINES_OF_PERIOD, period=period)
        else:
            rows = await self._read(q.TRAVEL_LINES)
        lines = [line_from(r) for r in rows]
        return [x for x in lines if period is None or x.period == period]

    async def travel_summary(self, period: int, today: date) -> TravelSummary:
        """支援旅費 of the period: budget, per team and ministry, alerts and the monthly curve up to `today`."""
        budget = await self._read(q.BUDGET, period=period)
        allocations = [
            Allocation(r["event_id"], r["amount_yen"], date.fromisoformat(r["allocated_on"]))
            for r in await self._read(q.BUDGET_REVISIONS, period=period)
        ]
        named = {r["municipality_code"]: r["amount_yen"] for r in await self._read(q.SHARES, period=period)}
        return travel_summary(
            period,
            budget[0] if budget else None,
            allocations,
            named,
            await self.teams(period),
            await self.travel_lines(period=period),
            today,
        )

    async def settled_total(self, period: int) -> int:
        """What the period's settled travel adds up to (yen)."""
        return int((await self._read(q.SETTLED_TOTAL, period=period))[0]["total"])

    async def travel_rates(self) -> list[RatesView]:
        """Every table of travel rates, by the day it applies from."""
        return [RatesView.model_validate(r) for r in await self._read(q.RATES)]
