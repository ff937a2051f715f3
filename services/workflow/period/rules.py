"""The period's rules as pure functions: which event may follow, how it changes the state, what breaks a team.

Used by PeriodWorkflow (validators and the fold) and unit-tested without any server.
"""

from __future__ import annotations

from collections import Counter

from schemas.events import (
    ApplicationReceived,
    AppointmentChanged,
    AppointmentEnded,
    AppointmentIssued,
    CallOpened,
    EditAction,
    EngagementsStarted,
    IntakeClosed,
    MatchingProposed,
    OfficialVolunteered,
    Payload,
    PeriodSummarised,
    ProposalApproved,
    ProposalEdited,
    StreamRepaired,
    TravelBudgetAllocated,
)
from schemas.matching import Pairing
from schemas.periods import PeriodPhase, PeriodState
from schemas.text import compared
from services.i18n.message import N_, NC_, Msg
from services.workflow.period.appointment_rules import check_paperwork, folded_paperwork
from services.workflow.period.violation import PeriodViolation

PHASE = "phase of a period"
PHASE_NAMES = {
    PeriodPhase.NEW: NC_("phase of a period", "not opened"),
    PeriodPhase.OPEN: NC_("phase of a period", "open"),
    PeriodPhase.INTAKE_CLOSED: NC_("phase of a period", "past the intake"),
    PeriodPhase.PROPOSED: NC_("phase of a period", "reviewing a proposal"),
    PeriodPhase.APPROVED: NC_("phase of a period", "approved"),
}
WRONG_PHASE = N_("Cannot %(action)s while the period is %(phase)s")


def _need_phase(state: PeriodState, allowed: set[PeriodPhase], action: str) -> None:
    if state.phase not in allowed:
        phase = Msg(PHASE_NAMES[state.phase], context=PHASE)
        raise PeriodViolation("wrong_phase", Msg(WRONG_PHASE, {"action": Msg(action), "phase": phase}))


def teams_of(state: PeriodState, official_id: str) -> list[str]:
    """The municipality codes of the teams `official_id` is on now."""
    return [code for code, members in state.teams.items() if official_id in members]


def team_problems(state: PeriodState, teams: dict[str, list[str]]) -> list[Msg]:
    """Every way `teams` break the period's rules, as messages (translated by the API); empty when sound."""
    problems: list[Msg] = []
    lo, hi = state.min_team_size, state.max_team_size
    for code in state.applications:
        if code not in teams:
            name = state.applications[code].municipality_name
            problems.append(Msg(N_("%(name)s (%(code)s) has no team"), {"name": name, "code": code}))
    for code, members in teams.items():
        name = state.applications[code].municipality_name if code in state.applications else code
        if not lo <= len(members) <= hi:
            problems.append(
                Msg(
                    N_("The team of %(name)s (%(code)s) has %(n)s members (%(lo)s-%(hi)s)"),
                    {"name": name, "code": code, "n": len(members), "lo": lo, "hi": hi},
                )
            )
        ministries = Counter(compared(state.volunteers[m].official.ministry) for m in members if m in state.volunteers)
        for ministry, n in sorted(ministries.items()):
            if n > 1:
                problems.append(
                    Msg(
                        N_("The team of %(name)s (%(code)s) has %(n)s members from %(ministry)s"),
                        {"name": name, "code": code, "n": n, "ministry": ministry},
                    )
                )
        for m in members:
            if m in state.excluded:
                problems.append(
                    Msg(
                        N_("The team of %(name)s (%(code)s) includes the excluded official %(official_id)s"),
                        {"name": name, "code": code, "official_id": m},
                    )
                )
    load = Counter(m for members in teams.values() for m in members)
    for official_id, n in sorted(load.items()):
        capacity = state.volunteers[official_id].capacity if official_id in state.volunteers else 0
        if n > capacity:
            problems.append(
                Msg(
                    N_("Official %(official_id)s is on %(n)s teams (capacity %(capacity)s)"),
                    {"official_id": official_id, "n": n, "capacity": capacity},
                )
            )
    return problems


def check(state: PeriodState, payload: Payload) -> None:
    """Raise PeriodViolation unless `payload` may be recorded now."""
    match payload:
        case CallOpened():
            _need_phase(state, {PeriodPhase.NEW}, N_("open the call"))
            if payload.period != state.period:
                raise PeriodViolation("wrong_period", Msg(N_("The call is for another period")))
        case OfficialVolunteered():
            _need_phase(state, {PeriodPhase.OPEN}, N_("accept volunteers"))
            if payload.official.official_id in state.volunteers:
                raise PeriodViolation("already_volunteered", Msg(N_("This official has already volunteered")))
        case ApplicationReceived():
            _need_phase(state, {PeriodPhase.OPEN}, N_("accept applications"))
            if payload.application.period != state.period:
                raise PeriodViolation("wrong_period", Msg(N_("The application is for another period")))
            if payload.application.municipality_code in state.applications:
                raise PeriodViolation("already_applied", Msg(N_("This municipality has already applied")))
        case IntakeClosed():
            _need_phase(state, {PeriodPhase.OPEN}, N_("close the intake"))
        case MatchingProposed():
            _need_phase(state, {PeriodPhase.INTAKE_CLOSED, PeriodPhase.PROPOSED}, N_("run the matching"))
            _check_can_match(state)
        case ProposalEdited():
            _need_phase(state, {PeriodPhase.PROPOSED}, N_("edit the proposal"))
            _check_edit(state, payload)
        case ProposalApproved():
            _need_phase(state, {PeriodPhase.PROPOSED}, N_("approve the proposal"))
            problems = team_problems(state, state.teams)
            if problems:
                raise PeriodViolation("rules_broken", Msg(N_("Cannot approve: %(problem)s"), {"problem": problems[0]}))
        case EngagementsStarted():
            _need_phase(state, {PeriodPhase.APPROVED}, N_("start the engagements"))
        case PeriodSummarised():
            if state.phase is PeriodPhase.NEW:
                raise PeriodViolation("wrong_phase", Msg(N_("The period has not opened")))
        case AppointmentIssued() | AppointmentChanged() | AppointmentEnded() | TravelBudgetAllocated():
            check_paperwork(state, payload)  # in any phase: a past period's paperwork too
        case StreamRepaired():
            pass  # recorded by `banso repair` in any phase
        case _:
            raise PeriodViolation(
                "wrong_stream", Msg(N_("%(event)s is not a period event"), {"event": type(payload).__name__})
            )


def _check_can_match(state: PeriodState) -> None:
    if not state.applications:
        raise PeriodViolation("no_applications", Msg(N_("No municipality applied")))
    if not state.volunteers:
        raise PeriodViolation("no_volunteers", Msg(N_("No official volunteered")))


def _unknown(official_id: str) -> PeriodViolation:
    return PeriodViolation(
        "unknown_official", Msg(N_("Official %(official_id)s did not volunteer"), {"official_id": official_id})
    )


def _check_edit(state: PeriodState, edit: ProposalEdited) -> None:
    if edit.official_id not in state.volunteers:
        raise _unknown(edit.official_id)
    if edit.other_official_id is not None and edit.other_official_id not in state.volunteers:
        raise _unknown(edit.other_official_id)
    if edit.municipality_code is not None and edit.municipality_code not in state.applications:
        raise PeriodViolation(
            "unknown_municipality",
            Msg(N_("Municipality %(code)s did not apply"), {"code": edit.municipality_code}),
        )
    if edit.action in (EditAction.SWAP, EditAction.MOVE):
        moved = [edit.official_id] + ([edit.other_official_id] if edit.other_official_id else [])
        for official_id in moved:
            if any(p.official_id == official_id for p in state.locked):
                raise PeriodViolation(
                    "locked",
                    Msg(N_("Official %(official_id)s is locked (unlock first)"), {"official_id": official_id}),
                )
    match edit.action:
        case EditAction.LOCK:
            if edit.municipality_code not in teams_of(state, edit.official_id):
                raise PeriodViolation(
                    "not_on_team", Msg(N_("Only an official on that municipality's team can be locked to it"))
                )
        case EditAction.UNLOCK:
            if _pairing(edit) not in state.locked:
                raise PeriodViolation("not_locked", Msg(N_("That pairing is not locked")))
        case EditAction.EXCLUDE:
            if edit.official_id in state.excluded:
                raise PeriodViolation("already_excluded", Msg(N_("This official is already excluded")))
        case EditAction.INCLUDE:
            if edit.official_id not in state.excluded:
                raise PeriodViolation("not_excluded", Msg(N_("This official is not excluded")))
        case EditAction.SWAP | EditAction.MOVE:
            before = set(team_problems(state, state.teams))
            problems = [p for p in team_problems(state, edited_teams(state, edit)) if p not in before]
            if problems:
                raise PeriodViolation(
                    "rules_broken", Msg(N_("This edit breaks a rule: %(problem)s"), {"problem": problems[0]})
                )


def _pairing(edit: ProposalEdited) -> Pairing:
    return Pairing(official_id=edit.official_id, municipality_code=edit.municipality_code or "")


def edited_teams(state: PeriodState, edit: ProposalEdited) -> dict[str, list[str]]:
    """The teams after a swap, move or exclusion (locks and inclusions leave them as they are)."""
    teams = {code: list(members) for code, members in state.teams.items()}
    a = edit.official_id
    match edit.action:
        case EditAction.SWAP:
            b = edit.other_official_id or ""
            a_teams, b_teams = teams_of(state, a), teams_of(state, b)
            if len(a_teams) != 1 or len(b_teams) != 1 or a_teams == b_teams:
                raise PeriodViolation(
                    "cannot_swap",
                    Msg(N_("A swap needs two officials each on exactly one team, on different teams")),
                )
            ta, tb = a_teams[0], b_teams[0]
            teams[ta] = [b if m == a else m for m in teams[ta]]
            teams[tb] = [a if m == b else m for m in teams[tb]]
        case EditAction.MOVE:
            target = edit.municipality_code or ""
            current = teams_of(state, a)
            if target in current:
                raise PeriodViolation("already_on_team", Msg(N_("The official is already on that team")))
            if len(current) > 1:
                raise PeriodViolation("ambiguous_move", Msg(N_("The official is on several teams; use a swap instead")))
            if a in state.excluded:
                raise PeriodViolation("excluded", Msg(N_("An excluded official cannot be moved")))
            for code in current:
                teams[code] = [m for m in teams[code] if m != a]
            teams.setdefault(target, []).append(a)
        case EditAction.EXCLUDE:
            teams = {code: [m for m in members if m != a] for code, members in teams.items()}
        case _:
            pass
    return teams


def apply(state: PeriodState, payload: Payload, sequence: int, event_hash: str, event_id: str = "") -> PeriodState:
    """The state after `payload` was recorded as event `sequence` (id `event_id`) with hash `event_hash`."""
    update: dict[str, object] = {"last_sequence": sequence, "head_hash": event_hash}
    match payload:
        case CallOpened():
            update |= {"call": payload, "phase": PeriodPhase.OPEN}
        case OfficialVolunteered():
            update["volunteers"] = state.volunteers | {payload.official.official_id: payload}
        case ApplicationReceived():
            update["applications"] = state.applications | {payload.application.municipality_code: payload.application}
        case IntakeClosed():
            update["phase"] = PeriodPhase.INTAKE_CLOSED
        case MatchingProposed():
            teams = {t.municipality_code: [m.official_id for m in t.members] for t in payload.proposal.teams}
            update |= {
                "phase": PeriodPhase.PROPOSED,
                "runs": payload.run,
                "proposal": payload.proposal,
                "teams": teams,
                "edits": 0,
            }
        case ProposalEdited():
            update |= _edited(state, payload)
        case ProposalApproved():
            update |= {"phase": PeriodPhase.APPROVED, "approved_on": payload.approved_on}
        case EngagementsStarted():
            update["started"] = [*state.started, *payload.engagements]
        case PeriodSummarised():
            update |= {"figures": payload.figures, "figures_as_of": payload.as_of}
        case AppointmentIssued() | AppointmentChanged() | AppointmentEnded() | TravelBudgetAllocated():
            update |= folded_paperwork(state, payload, event_id)
    return state.model_copy(update=update)


def _edited(state: PeriodState, edit: ProposalEdited) -> dict[str, object]:
    changes: dict[str, object] = {"edits": state.edits + 1}
    match edit.action:
        case EditAction.LOCK:
            changes["locked"] = [*state.locked, _pairing(edit)]
        case EditAction.UNLOCK:
            changes["locked"] = [p for p in state.locked if p != _pairing(edit)]
        case EditAction.EXCLUDE:
            changes["excluded"] = [*state.excluded, edit.official_id]
            changes["locked"] = [p for p in state.locked if p.official_id != edit.official_id]
            changes["teams"] = edited_teams(state, edit)
        case EditAction.INCLUDE:
            changes["excluded"] = [o for o in state.excluded if o != edit.official_id]
        case EditAction.SWAP | EditAction.MOVE:
            changes["teams"] = edited_teams(state, edit)
    return changes
