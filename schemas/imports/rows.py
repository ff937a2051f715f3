"""The rows of each sheet as typed records, names resolved against the reference data (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from schemas.events import BodyKind, LeaveReason, OfficialRef, OutcomeKind, OutcomeStatus
from schemas.imports.cells import RowReader
from schemas.imports.reference import ImportReference, ListedPlace, name_key
from schemas.imports.report import ImportProblem
from schemas.imports.sheets import Workbook
from schemas.imports.template import (
    ACTIVITIES,
    ACTIVITY_KINDS,
    BODY_KINDS,
    ENGAGEMENTS,
    LEAVE_REASONS,
    OUTCOME_KINDS,
    OUTCOME_STATUSES,
    OUTCOMES,
    TEAM,
)
from services.i18n.message import N_, Msg

EngagementKey = tuple[int, str]  # (期, 市町村コード)


@dataclass
class EngagementRow:
    """案件: one municipality's engagement in one period."""

    row: int
    period: int
    place: ListedPlace
    applied_on: date | None
    challenges: list[str]
    desired_themes: list[str]
    assigned_on: date | None
    kickoff_on: date | None
    title: str | None
    themes: list[str]
    final_report_due: date | None
    closed_on: date | None
    sound: bool  # every cell read (else only its other rows' own cells are checked)


@dataclass
class MemberRow:
    """チーム: an official on the team, from a day, maybe until a day."""

    row: int
    key: EngagementKey
    official: OfficialRef | None
    joined_on: date | None
    left_on: date | None
    leave_reason: LeaveReason | None
    sound: bool


@dataclass
class ActivityRow:
    """活動: a meeting, visit or coordination."""

    row: int
    key: EngagementKey
    kind: str | None
    start_date: date | None
    end_date: date | None
    participants: list[str | None]  # official ids; None for a name that did not resolve
    led_by: str | None
    place: str | None
    company_count: int | None
    body: str | None
    body_kind: BodyKind | None
    notes: str | None
    sound: bool


@dataclass
class OutcomeRow:
    """成果: something the engagement achieved, is working on or plans."""

    row: int
    key: EngagementKey
    kind: OutcomeKind | None
    status: OutcomeStatus | None
    description: str | None
    theme: str | None
    achieved_on: date | None
    recorded_on: date | None
    contributors: list[str | None]
    sound: bool


@dataclass
class ImportRows:
    """Every sheet's rows, typed; problems found while reading them."""

    engagements: dict[EngagementKey, EngagementRow] = field(default_factory=dict)
    members: list[MemberRow] = field(default_factory=list)
    activities: list[ActivityRow] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


class _Reading:
    def __init__(self, reference: ImportReference, out: ImportRows) -> None:
        self.ref = reference
        self.out = out

    def place(self, r: RowReader) -> ListedPlace | None:
        code, name = r.text("municipality_code"), r.text("municipality")
        if code is not None:
            place = self.ref.municipalities.get(code)
            if place is None:
                r.problem(
                    "unknown_municipality",
                    Msg(N_("No municipality has the code %(code)s"), {"code": code}),
                    "municipality_code",
                )
            elif name is not None and name_key(name) != name_key(place.name):
                r.problem(
                    "municipality_mismatch",
                    Msg(
                        N_("The code %(code)s is %(listed)s, not %(name)s"),
                        {"code": code, "listed": place.name, "name": name},
                    ),
                    "municipality",
                )
                return None
            return place
        if name is None:
            r.problem(
                "missing_value", Msg(N_("Give the municipality code or the municipality's name")), "municipality_code"
            )
            return None
        codes = self.ref.places_named(name)
        if len(codes) == 1:
            return self.ref.municipalities[codes[0]]
        if not codes:
            r.problem(
                "unknown_municipality", Msg(N_("No municipality is named %(name)s"), {"name": name}), "municipality"
            )
        else:
            r.problem(
                "ambiguous_municipality",
                Msg(N_("Several municipalities are named %(name)s: give the municipality code"), {"name": name}),
                "municipality",
            )
        return None

    def where(self, r: RowReader) -> EngagementKey | None:
        period = r.number("period", required=True)
        if period is not None and not 1 <= period <= 99:
            r.problem("bad_number", Msg(N_("A period is a number from 1 to 99")), "period")
            period = None
        place = self.place(r)
        if period is None or place is None:
            return None
        return period, place.code

    def official(self, r: RowReader, token: str, key: str, team: set[str]) -> OfficialRef | None:
        if token.startswith("official-"):
            found = self.ref.officials.get(token)
            if found is None:
                r.problem("unknown_official", Msg(N_("No official has the id %(official)s"), {"official": token}), key)
            return found
        ids = self.ref.officials_named(token)
        on_team = [i for i in ids if i in team]
        chosen = on_team if len(on_team) == 1 else ids
        if len(chosen) == 1:
            return self.ref.officials[chosen[0]]
        if not chosen:
            r.problem(
                "unknown_official", Msg(N_("No registered official is named %(official)s"), {"official": token}), key
            )
        else:
            r.problem(
                "ambiguous_official",
                Msg(N_("Several officials are named %(official)s: give the official id"), {"official": token}),
                key,
            )
        return None

    def people(self, r: RowReader, key: str, team: set[str]) -> list[str | None]:
        found = [self.official(r, token, key, team) for token in r.items(key)]
        return [o.official_id if o else None for o in found]


def read_rows(wb: Workbook, reference: ImportReference) -> ImportRows:
    """Typed rows of every sheet, names resolved; each unreadable cell a problem."""
    out = ImportRows(problems=list(wb.problems))
    reading = _Reading(reference, out)
    for row in wb.rows(ENGAGEMENTS.key):
        _engagement(reading, RowReader(ENGAGEMENTS, row, out.problems))
    teams: dict[EngagementKey, set[str]] = {}
    for row in wb.rows(TEAM.key):
        member = _member(reading, RowReader(TEAM, row, out.problems))
        if member is not None and member.official is not None:
            teams.setdefault(member.key, set()).add(member.official.official_id)
    for row in wb.rows(ACTIVITIES.key):
        _activity(reading, RowReader(ACTIVITIES, row, out.problems), teams)
    for row in wb.rows(OUTCOMES.key):
        _outcome(reading, RowReader(OUTCOMES, row, out.problems), teams)
    return out


def _no_engagement(r: RowReader, key: EngagementKey, out: ImportRows) -> bool:
    if key in out.engagements:
        return False
    r.problem(
        "no_engagement",
        Msg(N_("No row of the sheet 案件 names period %(period)s, %(code)s"), {"period": key[0], "code": key[1]}),
        "municipality_code",
    )
    return True


def _engagement(reading: _Reading, r: RowReader) -> None:
    before = len(r.problems)
    period = r.number("period", required=True)
    if period is not None and not 1 <= period <= 99:
        r.problem("bad_number", Msg(N_("A period is a number from 1 to 99")), "period")
        period = None
    place = reading.place(r)
    values = EngagementRow(
        row=r.row.number,
        period=period or 0,
        place=place or ListedPlace("", "", ""),
        applied_on=r.date("applied_on"),
        challenges=r.items("challenges", lines=True),
        desired_themes=r.items("desired_themes"),
        assigned_on=r.date("assigned_on", required=True),
        kickoff_on=r.date("kickoff_on", required=True),
        title=r.text("title", required=True),
        themes=r.items("themes"),
        final_report_due=r.date("final_report_due"),
        closed_on=r.date("closed_on"),
        sound=False,
    )
    if not values.themes:
        r.problem("missing_value", Msg(N_("This column must be filled")), "themes")
    if period is None or place is None:
        return
    key = (period, place.code)
    if key in reading.out.engagements:
        r.problem(
            "duplicate_engagement",
            Msg(
                N_("Period %(period)s, %(code)s is already on row %(row)s"),
                {"period": period, "code": place.code, "row": reading.out.engagements[key].row},
            ),
            "municipality_code",
        )
        return
    values.sound = len(r.problems) == before
    reading.out.engagements[key] = values


def _member(reading: _Reading, r: RowReader) -> MemberRow | None:
    before = len(r.problems)
    key = reading.where(r)
    official_id, name = r.text("official_id"), r.text("name")
    official = None
    if official_id is None and name is None:
        r.problem("missing_value", Msg(N_("Give the official id or the official's name")), "official_id")
    else:
        official = reading.official(r, official_id or name or "", "official_id" if official_id else "name", set())
        if official and official_id and name and name_key(name) != name_key(official.name):
            r.problem(
                "official_mismatch",
                Msg(
                    N_("The official %(official)s is %(listed)s, not %(name)s"),
                    {"official": official_id, "listed": official.name, "name": name},
                ),
                "name",
            )
    joined_on, left_on = r.date("joined_on"), r.date("left_on")
    reason = r.choice("leave_reason", LEAVE_REASONS)
    if left_on is not None and reason is None and r.text("leave_reason") is None:
        r.problem("missing_value", Msg(N_("Give the reason the official left")), "leave_reason")
    if key is None or _no_engagement(r, key, reading.out):
        return None
    member = MemberRow(r.row.number, key, official, joined_on, left_on, reason, len(r.problems) == before)
    reading.out.members.append(member)
    return member


def _activity(reading: _Reading, r: RowReader, teams: dict[EngagementKey, set[str]]) -> None:
    before = len(r.problems)
    key = reading.where(r)
    team = teams.get(key, set()) if key else set()
    kind = r.choice("kind", ACTIVITY_KINDS, required=True)
    lead = r.text("led_by")
    lead_ref = reading.official(r, lead, "led_by", team) if lead else None
    row = ActivityRow(
        row=r.row.number,
        key=key or (0, ""),
        kind=kind,
        start_date=r.date("start_date", required=True),
        end_date=r.date("end_date"),
        participants=reading.people(r, "participants", team),
        led_by=lead_ref.official_id if lead_ref else None,
        place=r.text("place"),
        company_count=r.number("company_count", required=kind == "company_visit"),
        body=r.text("body", required=kind == "coordination"),
        body_kind=r.choice("body_kind", BODY_KINDS, required=kind == "coordination"),
        notes=r.text("notes", required=kind == "coordination"),
        sound=False,
    )
    if key is None or _no_engagement(r, key, reading.out):
        return
    row.sound = len(r.problems) == before
    reading.out.activities.append(row)


def _outcome(reading: _Reading, r: RowReader, teams: dict[EngagementKey, set[str]]) -> None:
    before = len(r.problems)
    key = reading.where(r)
    team = teams.get(key, set()) if key else set()
    row = OutcomeRow(
        row=r.row.number,
        key=key or (0, ""),
        kind=r.choice("kind", OUTCOME_KINDS, required=True),
        status=r.choice("status", OUTCOME_STATUSES, required=True),
        description=r.text("description", required=True),
        theme=r.text("theme"),
        achieved_on=r.date("achieved_on"),
        recorded_on=r.date("recorded_on"),
        contributors=reading.people(r, "contributors", team),
        sound=False,
    )
    if key is None or _no_engagement(r, key, reading.out):
        return
    row.sound = len(r.problems) == before
    reading.out.outcomes.append(row)
