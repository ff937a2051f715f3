"""An import file as the workflow updates it makes, each checked first by the engagement's own pure rules.

Per engagement: application → team → kickoff → members joining and leaving, activities and outcomes in
date order → close. Every command is built as its payload model, its dates checked as the API checks
them, and folded through `lifecycle.check` / `fold.apply` — so what the workflow would refuse is found
before anything is sent. Each command gets an idempotency key from its content (engagement, update,
payload, and how many identical commands came before it), so the same rows always make the same update
ids and a second run is answered from the first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby, pairwise
from typing import Any

from pydantic import ValidationError

from schemas.commands import engagement_id_for
from schemas.events import (
    BodyRef,
    CompanyVisitMade,
    CoordinationHeld,
    EngagementClosed,
    KickoffHeld,
    MemberJoined,
    MemberLeft,
    MunicipalityApplied,
    OnlineMeetingHeld,
    OutcomeRecorded,
    Payload,
    SiteVisitMade,
    TeamAssigned,
)
from schemas.imports.reference import ImportReference
from schemas.imports.report import MAX_PROBLEMS, ImportCounts, ImportProblem, ImportReport
from schemas.imports.rows import ActivityRow, EngagementKey, EngagementRow, ImportRows, MemberRow, OutcomeRow, read_rows
from schemas.imports.sheets import read_workbook
from schemas.imports.template import ACTIVITIES, ENGAGEMENTS, OUTCOMES, TEAM, SheetSpec
from schemas.views import EngagementState
from services.i18n.message import N_, Msg
from services.workflow.answers import command_id
from services.workflow.engagement.fold import apply as fold
from services.workflow.engagement.lifecycle import TEAM_MAX, LifecycleViolation, check

MIN_DATE = date(2015, 1, 1)  # as the API's date rule: 地方創生 began in 2014
FORWARD_LOOKING = frozenset({"final_report_due"})
# payload field → template column, for pydantic's errors
COLUMNS: dict[str, str] = {
    "applied_on": "applied_on",
    "challenges": "challenges",
    "desired_themes": "desired_themes",
    "officials": "official_id",
    "assigned_on": "assigned_on",
    "held_on": "kickoff_on",
    "title": "title",
    "themes": "themes",
    "final_report_due": "final_report_due",
    "official": "official_id",
    "joined_on": "joined_on",
    "left_on": "left_on",
    "start_date": "start_date",
    "end_date": "end_date",
    "participant_ids": "participants",
    "led_by": "led_by",
    "place": "place",
    "company_count": "company_count",
    "body": "body",
    "topic": "notes",
    "notes": "notes",
    "kind": "kind",
    "status": "status",
    "description": "description",
    "theme": "theme",
    "achieved_on": "achieved_on",
    "recorded_on": "recorded_on",
    "contributor_ids": "contributors",
    "closed_on": "closed_on",
}


@dataclass(frozen=True)
class PlannedCommand:
    """One workflow update: its name, payload, the row it comes from and its idempotency key."""

    update: str
    payload: Payload
    sheet: str
    row: int
    key: str = ""

    @property
    def update_id(self) -> str:
        """The Temporal update id, as the API makes it from an Idempotency-Key and a body."""
        return command_id(self.update, self.key, self.payload.model_dump(mode="json"))


@dataclass
class EngagementPlan:
    """The commands of one engagement, in the order they are sent."""

    engagement_id: str
    rows: int
    commands: list[PlannedCommand] = field(default_factory=list)


@dataclass
class ImportPlan:
    """The report, and the commands per engagement (sent only when the report has no problem)."""

    report: ImportReport
    engagements: list[EngagementPlan]


def file_digest(data: bytes) -> str:
    """The file's SHA-256 (hex): the job's file key."""
    return hashlib.sha256(data).hexdigest()


def plan_import(data: bytes, file_name: str, reference: ImportReference, today: date) -> ImportPlan:
    """Read, check and plan `data`; Unreadable (schemas.imports.sheets) when it is no spreadsheet at all."""
    wb = read_workbook(data, file_name)
    rows = read_rows(wb, reference)
    problems = rows.problems
    plans = [_plan(e, rows, problems, today) for e in rows.engagements.values()]
    counts = ImportCounts(
        engagements=len(wb.rows(ENGAGEMENTS.key)),
        team_rows=len(wb.rows(TEAM.key)),
        activity_rows=len(wb.rows(ACTIVITIES.key)),
        outcome_rows=len(wb.rows(OUTCOMES.key)),
    )
    ordered = sorted(problems, key=_problem_order)
    report = ImportReport(
        file_name=file_name,
        sha256=file_digest(data),
        counts=counts,
        commands=sum(len(p.commands) for p in plans),
        problems=ordered[:MAX_PROBLEMS],
        problems_total=len(ordered),
    )
    return ImportPlan(report, plans)


SHEET_ORDER = {s.name: i for i, s in enumerate((ENGAGEMENTS, TEAM, ACTIVITIES, OUTCOMES))}


def _problem_order(p: ImportProblem) -> tuple[int, int, str]:
    return SHEET_ORDER.get(p.sheet or "", -1), p.row or 0, p.column or ""


class _Checker:
    """Builds each command, checks it, and folds it into the engagement's state."""

    def __init__(self, engagement: EngagementRow, problems: list[ImportProblem], today: date) -> None:
        self.engagement_id = engagement_id_for(engagement.period, engagement.place.code)
        self.state = EngagementState(engagement_id=self.engagement_id)
        self.problems = problems
        self.today = today
        self.folding = engagement.sound
        self.commands: list[PlannedCommand] = []

    def problem(self, spec: SheetSpec, row: int, column: str | None, code: str, message: Msg) -> None:
        header = spec.column(column).header if column else None
        self.problems.append(ImportProblem.of(code, message, spec.name, row, header))

    def build(self, spec: SheetSpec, row: int, make: Callable[[], Payload]) -> Payload | None:
        try:
            return make()
        except ValidationError as err:
            for e in err.errors():
                loc = [str(x) for x in e.get("loc", ())]
                column = next((COLUMNS[x] for x in loc if x in COLUMNS), None)
                header = spec.column(column).header if column and _has(spec, column) else None
                self.problems.append(ImportProblem.invalid(e, spec.name, row, header))
            return None

    def dates_plausible(self, spec: SheetSpec, row: int, values: dict[str, date | None]) -> bool:
        ok = True
        for column, day in values.items():
            if day is None:
                continue
            latest = self.today + timedelta(days=3653) if column in FORWARD_LOOKING else self.today
            if day < MIN_DATE or day > latest:
                ok = False
                self.problem(
                    spec,
                    row,
                    column,
                    "date_out_of_range",
                    Msg(
                        N_("%(date)s is outside the dates an engagement can have (%(earliest)s to %(latest)s)"),
                        {"date": day.isoformat(), "earliest": MIN_DATE.isoformat(), "latest": latest.isoformat()},
                    ),
                )
        return ok

    def record(self, update: str, payload: Payload, spec: SheetSpec, row: int, column: str | None) -> None:
        """Check `payload` by the lifecycle's rules, fold it, and keep it as a command."""
        if self.folding:
            try:
                check(self.state, payload)
            except LifecycleViolation as err:
                self.problem(spec, row, column, f"lifecycle_{err.code}", err.message)
                return
            self.state = fold(self.state, payload, self.state.last_sequence + 1, "", "")
        self.commands.append(PlannedCommand(update, payload, spec.name, row))


def _has(spec: SheetSpec, key: str) -> bool:
    return any(c.key == key for c in spec.columns)


def _plan(e: EngagementRow, rows: ImportRows, problems: list[ImportProblem], today: date) -> EngagementPlan:
    c = _Checker(e, problems, today)
    key: EngagementKey = (e.period, e.place.code)
    members = [m for m in rows.members if m.key == key]
    activities = [a for a in rows.activities if a.key == key]
    outcomes = [o for o in rows.outcomes if o.key == key]
    before = len(problems)
    _opening(c, e, members)
    if len(problems) > before:
        c.folding = False  # later rows would only repeat that the engagement never started
    dated: list[tuple[date, int, Callable[[], None]]] = []
    for m in members:
        if m.joined_on is not None and e.assigned_on is not None and m.joined_on > e.assigned_on:
            dated.append((m.joined_on, 0, lambda m=m: _join(c, e, m)))  # type: ignore[misc]
        if m.left_on is not None:
            dated.append((m.left_on, 1, lambda m=m: _leave(c, e, m)))  # type: ignore[misc]
    for a in activities:
        if a.start_date is not None:
            dated.append((a.start_date, 2, lambda a=a: _activity(c, e, a)))  # type: ignore[misc]
    undated: list[Callable[[], None]] = []
    for o in outcomes:
        day = o.achieved_on or o.recorded_on
        if day is None:
            undated.append(lambda o=o: _outcome(c, e, o))  # type: ignore[misc]
        else:
            dated.append((day, 3, lambda o=o: _outcome(c, e, o)))  # type: ignore[misc]
    dated.sort(key=lambda item: (item[0], item[1]))
    for _, same_day in groupby(dated, key=lambda item: item[0]):
        steps = list(same_day)
        joins = sum(1 for s in steps if s[1] == 0)
        if joins and len(c.state.team) + joins > TEAM_MAX:
            steps.sort(key=lambda s: (s[1] != 1, s[1]))  # a full team: the transfer out first, then the replacement
        for _, _, step in steps:
            step()
    for step in undated:
        step()
    if e.closed_on is not None and c.dates_plausible(ENGAGEMENTS, e.row, {"closed_on": e.closed_on}):
        closed = c.build(ENGAGEMENTS, e.row, lambda: EngagementClosed(closed_on=e.closed_on))
        if closed is not None:
            c.record("close", closed, ENGAGEMENTS, e.row, "closed_on")
    _keys(c)
    return EngagementPlan(c.engagement_id, 1 + len(members) + len(activities) + len(outcomes), c.commands)


def _keys(c: _Checker) -> None:
    seen: dict[str, int] = {}
    for i, command in enumerate(c.commands):
        body = json.dumps(
            [c.engagement_id, command.update, command.payload.model_dump(mode="json")],
            ensure_ascii=False,
            sort_keys=True,
        )
        occurrence = seen.get(body, 0)
        seen[body] = occurrence + 1
        digest = hashlib.sha256(f"{body}#{occurrence}".encode()).hexdigest()[:32]
        c.commands[i] = PlannedCommand(command.update, command.payload, command.sheet, command.row, f"import-{digest}")


def _opening(c: _Checker, e: EngagementRow, members: list[MemberRow]) -> None:
    """応募, チーム編成 and キックオフ, with the order of their dates."""
    ok = c.dates_plausible(
        ENGAGEMENTS,
        e.row,
        {
            "applied_on": e.applied_on,
            "assigned_on": e.assigned_on,
            "kickoff_on": e.kickoff_on,
            "final_report_due": e.final_report_due,
            "closed_on": e.closed_on,
        },
    )
    order = [
        ("applied_on", e.applied_on),
        ("assigned_on", e.assigned_on),
        ("kickoff_on", e.kickoff_on),
        ("closed_on", e.closed_on),
    ]
    known = [(k, d) for k, d in order if d is not None]
    for (k1, d1), (k2, d2) in pairwise(known):
        if d2 < d1:
            ok = False
            c.problem(
                ENGAGEMENTS,
                e.row,
                k2,
                "dates_out_of_order",
                Msg(
                    N_("%(later)s (%(later_date)s) is before %(earlier)s (%(earlier_date)s)"),
                    {
                        "later": ENGAGEMENTS.column(k2).header,
                        "later_date": d2.isoformat(),
                        "earlier": ENGAGEMENTS.column(k1).header,
                        "earlier_date": d1.isoformat(),
                    },
                ),
            )
    if not e.sound or not ok:
        c.folding = False
        return
    applied = c.build(
        ENGAGEMENTS,
        e.row,
        lambda: MunicipalityApplied(
            period=e.period,
            municipality_code=e.place.code,
            municipality_name=e.place.name,
            prefecture=e.place.prefecture,
            challenges=e.challenges,
            desired_themes=e.desired_themes,
            applied_on=e.applied_on,
        ),
    )
    if applied is not None:
        c.record("apply", applied, ENGAGEMENTS, e.row, None)
    founding = [m for m in members if m.joined_on is None or m.joined_on == e.assigned_on]
    if not founding:
        c.problem(ENGAGEMENTS, e.row, None, "no_team", Msg(N_("The sheet チーム has no member for this engagement")))
        return
    if not all(m.sound and m.official for m in founding):
        c.folding = False
        return
    first = founding[0]
    team = c.build(
        TEAM,
        first.row,
        lambda: TeamAssigned(officials=[m.official for m in founding if m.official], assigned_on=e.assigned_on),
    )
    if team is not None:
        c.record("assign_team", team, TEAM, first.row, "official_id")
    kickoff = c.build(
        ENGAGEMENTS,
        e.row,
        lambda: KickoffHeld(
            held_on=e.kickoff_on,
            title=e.title,
            themes=e.themes,
            final_report_due=e.final_report_due,
        ),
    )
    if kickoff is not None:
        c.record("hold_kickoff", kickoff, ENGAGEMENTS, e.row, "kickoff_on")


def _within(
    c: _Checker, e: EngagementRow, spec: SheetSpec, row: int, column: str, day: date, first: date | None, name: str
) -> bool:
    """`day` lies on or after `first` (the team's formation or the kickoff) and not after the close."""
    if first is not None and day < first:
        c.problem(
            spec,
            row,
            column,
            "before_start",
            Msg(
                N_("%(date)s is before the %(what)s (%(start)s)"),
                {"date": day.isoformat(), "what": Msg(name), "start": first.isoformat()},
            ),
        )
        return False
    if e.closed_on is not None and day > e.closed_on:
        c.problem(
            spec,
            row,
            column,
            "after_close",
            Msg(
                N_("%(date)s is after the engagement closed (%(closed)s)"),
                {"date": day.isoformat(), "closed": e.closed_on.isoformat()},
            ),
        )
        return False
    return True


TEAM_FORMED = N_("team's formation")
KICKOFF = N_("kickoff")


def _join(c: _Checker, e: EngagementRow, m: MemberRow) -> None:
    if m.joined_on is None or not (
        m.sound and m.official and c.dates_plausible(TEAM, m.row, {"joined_on": m.joined_on})
    ):
        return
    if not _within(c, e, TEAM, m.row, "joined_on", m.joined_on, e.assigned_on, TEAM_FORMED):
        return
    official = m.official
    joined = c.build(TEAM, m.row, lambda: MemberJoined(official=official, joined_on=m.joined_on))
    if joined is not None:
        c.record("join_member", joined, TEAM, m.row, "joined_on")


def _leave(c: _Checker, e: EngagementRow, m: MemberRow) -> None:
    if m.left_on is None or not (
        m.sound and m.official and m.leave_reason and c.dates_plausible(TEAM, m.row, {"left_on": m.left_on})
    ):
        return
    if not _within(c, e, TEAM, m.row, "left_on", m.left_on, m.joined_on or e.assigned_on, TEAM_FORMED):
        return
    official, reason = m.official, m.leave_reason
    left = c.build(TEAM, m.row, lambda: MemberLeft(official_id=official.official_id, left_on=m.left_on, reason=reason))
    if left is not None:
        c.record("leave_member", left, TEAM, m.row, "left_on")


def _activity(c: _Checker, e: EngagementRow, a: ActivityRow) -> None:
    if a.start_date is None or not (
        a.sound and c.dates_plausible(ACTIVITIES, a.row, {"start_date": a.start_date, "end_date": a.end_date})
    ):
        return
    if not _within(c, e, ACTIVITIES, a.row, "start_date", a.start_date, e.kickoff_on, KICKOFF):
        return
    people: dict[str, Any] = {"participant_ids": [p for p in a.participants if p], "led_by": a.led_by}
    if a.kind == "coordination":
        payload = c.build(
            ACTIVITIES,
            a.row,
            lambda: CoordinationHeld(
                held_on=a.start_date,
                body=BodyRef(kind=a.body_kind, name=a.body),
                topic=a.notes,
                **people,
            ),
        )
        if payload is not None:
            c.record("record_coordination", payload, ACTIVITIES, a.row, "participants")
        return
    common: dict[str, Any] = {"start_date": a.start_date, "end_date": a.end_date, "notes": a.notes, **people}
    makers: dict[str, Callable[[], Payload]] = {
        "online_meeting": lambda: OnlineMeetingHeld(**common),
        "site_visit": lambda: SiteVisitMade(place=a.place, **common),
        "company_visit": lambda: CompanyVisitMade(place=a.place, company_count=a.company_count, **common),
    }
    payload = c.build(ACTIVITIES, a.row, makers[a.kind or "online_meeting"])
    if payload is not None:
        c.record("record_activity", payload, ACTIVITIES, a.row, "participants")


def _outcome(c: _Checker, e: EngagementRow, o: OutcomeRow) -> None:
    if not (
        o.sound and c.dates_plausible(OUTCOMES, o.row, {"achieved_on": o.achieved_on, "recorded_on": o.recorded_on})
    ):
        return
    day = o.achieved_on or o.recorded_on
    if day is not None and not _within(
        c, e, OUTCOMES, o.row, "achieved_on" if o.achieved_on else "recorded_on", day, e.kickoff_on, KICKOFF
    ):
        return
    payload = c.build(
        OUTCOMES,
        o.row,
        lambda: OutcomeRecorded(
            recorded_on=o.recorded_on,
            achieved_on=o.achieved_on,
            theme=o.theme,
            kind=o.kind,
            description=o.description,
            status=o.status,
            contributor_ids=[p for p in o.contributors if p],
        ),
    )
    if payload is not None:
        c.record("record_outcome", payload, OUTCOMES, o.row, "contributors")
