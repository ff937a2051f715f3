"""The period's rules as pure functions: which event may follow, how it changes the state, what breaks a team.

Used by PeriodWorkflow (validators and the fold) and unit-tested without any server.
"""

from __future__ import annotations

from collections import Counter

from schemas.events import (
    ApplicationReceived,
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
)
from schemas.matching import Pairing
from schemas.periods import PeriodPhase, PeriodState
from services.workflow.engagement.lifecycle import LifecycleViolation


class PeriodViolation(LifecycleViolation):
    """A command the period's current phase or rules do not allow (→ HTTP 409, like an engagement's)."""


_PHASE_NAMES = {
    PeriodPhase.NEW: "募集前",
    PeriodPhase.OPEN: "募集中",
    PeriodPhase.INTAKE_CLOSED: "締切後",
    PeriodPhase.PROPOSED: "マッチング案の確認中",
    PeriodPhase.APPROVED: "決定済み",
}


def _need_phase(state: PeriodState, allowed: set[PeriodPhase], what_ja: str, what_en: str) -> None:
    if state.phase not in allowed:
        raise PeriodViolation(
            "wrong_phase",
            f"{_PHASE_NAMES[state.phase]}の期には{what_ja}できません",
            f"cannot {what_en} while the period is {state.phase.value}",
        )


def teams_of(state: PeriodState, official_id: str) -> list[str]:
    """The municipality codes of the teams `official_id` is on now."""
    return [code for code, members in state.teams.items() if official_id in members]


def team_problems(state: PeriodState, teams: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Every way `teams` break the period's rules, as (Japanese, English) sentences; empty when sound."""
    problems: list[tuple[str, str]] = []
    lo, hi = state.min_team_size, state.max_team_size
    for code in state.applications:
        if code not in teams:
            name = state.applications[code].municipality_name
            problems.append((f"{name}のチームがありません", f"{code} has no team"))
    for code, members in teams.items():
        name = state.applications[code].municipality_name if code in state.applications else code
        if not lo <= len(members) <= hi:
            problems.append(
                (
                    f"{name}のチームは{len(members)}名です（{lo}〜{hi}名）",
                    f"{code} has {len(members)} members ({lo}-{hi})",
                )
            )
        ministries = Counter(state.volunteers[m].official.ministry for m in members if m in state.volunteers)
        for ministry, n in sorted(ministries.items()):
            if n > 1:
                problems.append(
                    (f"{name}のチームに{ministry}の支援官が{n}名います", f"{code} has {n} members from {ministry}")
                )
        for m in members:
            if m in state.excluded:
                problems.append((f"{name}のチームに除外された支援官 {m} がいます", f"{code} includes excluded {m}"))
    load = Counter(m for members in teams.values() for m in members)
    for official_id, n in sorted(load.items()):
        capacity = state.volunteers[official_id].capacity if official_id in state.volunteers else 0
        if n > capacity:
            problems.append(
                (
                    f"支援官 {official_id} が{n}チームに入っています（上限{capacity}）",
                    f"{official_id} is on {n} teams (capacity {capacity})",
                )
            )
    return problems


def check(state: PeriodState, payload: Payload) -> None:
    """Raise PeriodViolation unless `payload` may be recorded now."""
    match payload:
        case CallOpened():
            _need_phase(state, {PeriodPhase.NEW}, "募集を開始", "open the call")
            if payload.period != state.period:
                raise PeriodViolation("wrong_period", "期の番号が一致しません", "the call is for another period")
        case OfficialVolunteered():
            _need_phase(state, {PeriodPhase.OPEN}, "支援官の応募を受付", "accept volunteers")
            if payload.official.official_id in state.volunteers:
                raise PeriodViolation("already_volunteered", "この支援官は応募済みです", "already volunteered")
        case ApplicationReceived():
            _need_phase(state, {PeriodPhase.OPEN}, "市町村の応募を受付", "accept applications")
            if payload.application.period != state.period:
                raise PeriodViolation("wrong_period", "応募の期が一致しません", "the application is for another period")
            if payload.application.municipality_code in state.applications:
                raise PeriodViolation(
                    "already_applied", "この市町村は応募済みです", "this municipality already applied"
                )
        case IntakeClosed():
            _need_phase(state, {PeriodPhase.OPEN}, "募集を締切", "close the intake")
        case MatchingProposed():
            _need_phase(
                state, {PeriodPhase.INTAKE_CLOSED, PeriodPhase.PROPOSED}, "マッチングを実行", "run the matching"
            )
            _check_can_match(state)
        case ProposalEdited():
            _need_phase(state, {PeriodPhase.PROPOSED}, "マッチング案を修正", "edit the proposal")
            _check_edit(state, payload)
        case ProposalApproved():
            _need_phase(state, {PeriodPhase.PROPOSED}, "マッチング案を決定", "approve the proposal")
            problems = team_problems(state, state.teams)
            if problems:
                ja, en = problems[0]
                raise PeriodViolation("rules_broken", f"決定できません: {ja}", f"cannot approve: {en}")
        case EngagementsStarted():
            _need_phase(state, {PeriodPhase.APPROVED}, "伴走支援を開始", "start the engagements")
        case PeriodSummarised():
            if state.phase is PeriodPhase.NEW:
                raise PeriodViolation("wrong_phase", "募集前の期は集計できません", "the period has not opened")
        case StreamRepaired():
            pass  # recorded by `banso repair` in any phase
        case _:
            raise PeriodViolation(
                "wrong_stream", "期の記録ではありません", f"{type(payload).__name__} is not a period event"
            )


def _check_can_match(state: PeriodState) -> None:
    if not state.applications:
        raise PeriodViolation("no_applications", "応募した市町村がありません", "no municipality applied")
    if not state.volunteers:
        raise PeriodViolation("no_volunteers", "応募した支援官がいません", "no official volunteered")


def _unknown(official_id: str) -> PeriodViolation:
    return PeriodViolation(
        "unknown_official", f"支援官 {official_id} は応募していません", f"{official_id} did not volunteer"
    )


def _check_edit(state: PeriodState, edit: ProposalEdited) -> None:
    if edit.official_id not in state.volunteers:
        raise _unknown(edit.official_id)
    if edit.other_official_id is not None and edit.other_official_id not in state.volunteers:
        raise _unknown(edit.other_official_id)
    if edit.municipality_code is not None and edit.municipality_code not in state.applications:
        raise PeriodViolation(
            "unknown_municipality", "この市町村は応募していません", f"{edit.municipality_code} did not apply"
        )
    if edit.action in (EditAction.SWAP, EditAction.MOVE):
        moved = [edit.official_id] + ([edit.other_official_id] if edit.other_official_id else [])
        for official_id in moved:
            if any(p.official_id == official_id for p in state.locked):
                raise PeriodViolation(
                    "locked",
                    f"支援官 {official_id} は固定されています（先に固定を外してください）",
                    f"{official_id} is locked",
                )
    match edit.action:
        case EditAction.LOCK:
            if edit.municipality_code not in teams_of(state, edit.official_id):
                raise PeriodViolation(
                    "not_on_team", "その市町村のチームにいない支援官は固定できません", "not on that team"
                )
        case EditAction.UNLOCK:
            if _pairing(edit) not in state.locked:
                raise PeriodViolation("not_locked", "この組合せは固定されていません", "that pairing is not locked")
        case EditAction.EXCLUDE:
            if edit.official_id in state.excluded:
                raise PeriodViolation("already_excluded", "この支援官は除外済みです", "already excluded")
        case EditAction.INCLUDE:
            if edit.official_id not in state.excluded:
                raise PeriodViolation("not_excluded", "この支援官は除外されていません", "not excluded")
        case EditAction.SWAP | EditAction.MOVE:
            before = set(team_problems(state, state.teams))
            problems = [p for p in team_problems(state, edited_teams(state, edit)) if p not in before]
            if problems:
                ja, en = problems[0]
                raise PeriodViolation(
                    "rules_broken", f"この修正はルールに反します: {ja}", f"this edit breaks a rule: {en}"
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
                    "入れ替えは別々のチームに1つずつ入っている二人の間でのみできます",
                    "swap needs two officials each on exactly one team, on different teams",
                )
            ta, tb = a_teams[0], b_teams[0]
            teams[ta] = [b if m == a else m for m in teams[ta]]
            teams[tb] = [a if m == b else m for m in teams[tb]]
        case EditAction.MOVE:
            target = edit.municipality_code or ""
            current = teams_of(state, a)
            if target in current:
                raise PeriodViolation("already_on_team", "その支援官はすでにそのチームにいます", "already on that team")
            if len(current) > 1:
                raise PeriodViolation(
                    "ambiguous_move",
                    "複数のチームにいる支援官は入れ替えで調整してください",
                    "on several teams; use swap",
                )
            if a in state.excluded:
                raise PeriodViolation("excluded", "除外された支援官は移せません", "the official is excluded")
            for code in current:
                teams[code] = [m for m in teams[code] if m != a]
            teams.setdefault(target, []).append(a)
        case EditAction.EXCLUDE:
            teams = {code: [m for m in members if m != a] for code, members in teams.items()}
        case _:
            pass
    return teams


def apply(state: PeriodState, payload: Payload, sequence: int, event_hash: str) -> PeriodState:
    """The state after `payload` was recorded as event `sequence` with hash `event_hash`."""
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
