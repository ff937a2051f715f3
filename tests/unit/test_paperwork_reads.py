"""The paperwork reads' figures, without a graph: gaps, the roster, shares, the budget lines and the curve."""

from __future__ import annotations

from datetime import date

from schemas.paperwork_views import Amounts, AppointmentTermView, AppointmentView, TravelLineView
from services.graph.reads.paperwork_reads import (
    Allocation,
    Member,
    Team,
    appointment_gaps,
    roster,
    team_shares,
    travel_summary,
)

OFUNATO, RIKUZEN, KAMAISHI = "032034", "032107", "032115"


def member(official_id: str, code: str, start: date | None, end: date | None = None) -> Member:
    return Member(
        engagement_id=f"engagement-2-{code}",
        municipality_code=code,
        municipality_name={OFUNATO: "大船渡市", RIKUZEN: "陸前高田市"}.get(code),
        official_id=official_id,
        name={"a": "石川 亨", "b": "白水 伸英", "c": "古田 匠"}[official_id],
        ministry={"a": "国土交通省", "b": "内閣官房", "c": "総務省"}[official_id],
        post=None,
        from_date=start,
        to_date=end,
    )


def appointment(
    official_id: str,
    terms: list[tuple[str, date, date | None]],
    appointed_on: date,
    ended_on: date | None = None,
    term_ends_on: date | None = None,
) -> AppointmentView:
    return AppointmentView(
        event_id=f"issued-{official_id}-{appointed_on}",
        period=2,
        official_id=official_id,
        name={"a": "石川 亨", "b": "白水 伸英", "c": "古田 匠"}[official_id],
        ministry={"a": "国土交通省", "b": "内閣官房", "c": "総務省"}[official_id],
        appointed_on=appointed_on,
        term_ends_on=term_ends_on,
        ended_on=ended_on,
        team_codes=[] if ended_on else [c for c, _, to in terms if to is None],
        terms=[AppointmentTermView(municipality_code=c, from_date=f, to_date=t) for c, f, t in terms],
    )


def test_gaps_name_the_unappointed_and_the_appointed_off_team() -> None:
    on = date(2025, 8, 1)
    members = [
        member("a", OFUNATO, date(2025, 4, 1)),  # appointed from 5/1: fine on 8/1
        member("b", OFUNATO, date(2025, 4, 1)),  # appointed from 9/1: before_appointment
        member("c", OFUNATO, date(2025, 4, 1), date(2025, 7, 1)),  # left on 7/1, still appointed: not_on_team
        member("c", RIKUZEN, date(2025, 7, 1)),  # moved here, appointment does not cover it: team_not_covered
    ]
    appointments = [
        appointment("a", [(OFUNATO, date(2025, 5, 1), None)], date(2025, 5, 1)),
        appointment("b", [(OFUNATO, date(2025, 9, 1), None)], date(2025, 9, 1)),
        appointment("c", [(OFUNATO, date(2025, 4, 1), None)], date(2025, 4, 1)),
    ]
    gaps = appointment_gaps(2, appointments, members, on)
    assert [(g.kind, g.official_id, g.municipality_code, g.reason) for g in gaps] == [
        ("not_on_team", "c", OFUNATO, "left_team"),
        ("unappointed", "b", OFUNATO, "before_appointment"),
        ("unappointed", "c", RIKUZEN, "team_not_covered"),
    ]
    assert gaps[0].engagement_id == f"engagement-2-{OFUNATO}"
    assert all(g.on == on for g in gaps)


def test_gap_reasons_after_end_after_term_and_none() -> None:
    on = date(2025, 12, 1)
    members = [member("a", OFUNATO, None), member("b", OFUNATO, None), member("c", OFUNATO, None)]
    appointments = [
        appointment(
            "a", [(OFUNATO, date(2025, 4, 1), date(2025, 11, 1))], date(2025, 4, 1), ended_on=date(2025, 11, 1)
        ),
        appointment("b", [(OFUNATO, date(2025, 4, 1), None)], date(2025, 4, 1), term_ends_on=date(2025, 11, 30)),
    ]
    reasons = {g.official_id: g.reason for g in appointment_gaps(2, appointments, members, on)}
    assert reasons == {"a": "after_end", "b": "after_term", "c": "none"}
    # the day of 解除 is no longer appointed, the day before still is
    assert "a" not in {g.official_id for g in appointment_gaps(2, appointments, members, date(2025, 10, 31))}


def test_the_roster_lists_appointments_and_members_by_ministry() -> None:
    members = [member("a", OFUNATO, date(2025, 4, 1)), member("c", RIKUZEN, date(2025, 4, 1))]
    appointments = [
        appointment(
            "a", [(OFUNATO, date(2025, 4, 1), date(2025, 7, 1)), (RIKUZEN, date(2025, 4, 1), None)], date(2025, 4, 1)
        )
    ]
    names = {OFUNATO: "大船渡市", RIKUZEN: "陸前高田市"}
    rows = roster(appointments, members, names)
    assert [(r.ministry, r.official_id, r.team_codes) for r in rows] == [
        ("国土交通省", "a", [RIKUZEN]),
        ("総務省", "c", [RIKUZEN]),
    ]
    assert rows[0].appointed_on == date(2025, 4, 1)
    assert rows[0].appointment_event_id
    assert rows[1].appointment_event_id is None
    assert rows[1].teams == ["陸前高田市"]
    on_june = roster(appointments, members, names, date(2025, 6, 1))
    assert on_june[0].team_codes == [OFUNATO, RIKUZEN]
    assert roster(appointments, members, names, date(2025, 3, 1)) == []


def test_shares_split_what_named_shares_leave_to_the_yen() -> None:
    teams = [
        Team(f"engagement-2-{c}", c, None, stage, True)
        for c, stage in ((OFUNATO, "visits"), (RIKUZEN, "kickoff"), (KAMAISHI, "matching"), ("011002", "withdrawn"))
    ]
    shares = team_shares(1_000_000, {OFUNATO: 500_000}, teams)
    assert shares == {OFUNATO: 500_000, RIKUZEN: 250_000, KAMAISHI: 250_000}
    odd = team_shares(100, {}, teams[:3])
    assert odd == {OFUNATO: 34, RIKUZEN: 33, KAMAISHI: 33}
    assert sum(odd.values()) == 100
    assert all(type(v) is int for v in odd.values())
    assert team_shares(None, {}, teams) == {}


def line(
    key: str, code: str, ministry: str, planned: int, planned_on: date, settled: int | None = None
) -> TravelLineView:
    return TravelLineView(
        key=key,
        engagement_id=f"engagement-2-{code}",
        period=2,
        municipality_code=code,
        visit_event_id=key,
        official_id="a",
        ministry=ministry,
        departs_on=planned_on,
        returns_on=planned_on,
        nights=0,
        planned_on=planned_on,
        planned=Amounts(transport_yen=planned),
        plan_event_id=f"plan-{key}",
        settled_on=None if settled is None else date(planned_on.year, planned_on.month + 1, 1),
        settled=None if settled is None else Amounts(transport_yen=settled),
        settlement_event_id=None if settled is None else f"settle-{key}",
    )


def test_the_summary_adds_up_per_team_per_ministry_and_over_the_months() -> None:
    teams = [
        Team(f"engagement-2-{c}", c, n, "visits", True) for c, n in ((OFUNATO, "大船渡市"), (RIKUZEN, "陸前高田市"))
    ]
    lines = [
        line("v1", OFUNATO, "国土交通省", 40_000, date(2025, 5, 20), settled=38_000),
        line("v2", OFUNATO, "内閣官房", 70_000, date(2025, 6, 2)),
        line("v3", RIKUZEN, "国土交通省", 10_000, date(2025, 7, 1)),
    ]
    allocations = [Allocation("b1", 200_000, date(2025, 4, 1)), Allocation("b2", 150_000, date(2025, 6, 15))]
    budget = {"amount_yen": 150_000, "allocated_on": "2025-06-15", "event_id": "b2"}
    summary = travel_summary(2, budget, allocations, {RIKUZEN: 50_000}, teams, lines, date(2025, 8, 3))

    assert summary.budget_yen == 150_000
    assert (summary.total.planned_yen, summary.total.settled_yen, summary.total.committed_yen) == (
        120_000,
        38_000,
        118_000,
    )
    assert summary.total.left_yen == 32_000
    ofunato, rikuzen = summary.teams
    assert (ofunato.share_yen, ofunato.committed_yen, ofunato.left_yen, ofunato.over_share) == (
        100_000,
        108_000,
        -8_000,
        True,
    )
    assert (rikuzen.share_yen, rikuzen.left_yen, rikuzen.over_share) == (50_000, 40_000, False)
    assert summary.over_share == [OFUNATO]
    assert {m.key: m.committed_yen for m in summary.ministries} == {"内閣官房": 70_000, "国土交通省": 48_000}
    assert all(m.share_yen is None and m.left_yen is None for m in summary.ministries)
    months = {p.month: p for p in summary.series}
    assert list(months) == ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08"]
    assert (months["2025-04"].budget_yen, months["2025-04"].left_yen) == (200_000, 200_000)
    assert (months["2025-05"].planned_yen, months["2025-05"].settled_yen, months["2025-05"].left_yen) == (
        40_000,
        0,
        160_000,
    )
    assert (months["2025-06"].budget_yen, months["2025-06"].settled_yen, months["2025-06"].left_yen) == (
        150_000,
        38_000,
        150_000 - 38_000 - 70_000,
    )
    assert months["2025-08"].left_yen == summary.total.left_yen


def test_a_period_without_budget_or_lines() -> None:
    summary = travel_summary(3, None, [], {}, [], [], date(2025, 8, 3))
    assert summary.budget_yen is None
    assert summary.total.left_yen is None
    assert summary.teams == []
    assert summary.series == []
