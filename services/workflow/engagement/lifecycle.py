"""The engagement lifecycle as pure rules: which command may be recorded in which state.

No I/O and no Temporal imports: the workflow, the tests and any replay use the same rules.
The state fold lives beside it in `fold.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from schemas.events import (
    ApplicationWithdrawn,
    CompanyVisitMade,
    CoordinationHeld,
    EngagementClosed,
    EngagementResumed,
    EngagementStalled,
    EngagementWithdrawn,
    EventCorrected,
    EventRetracted,
    FinalReportDue,
    FundingApplicationSupported,
    IntroductionMade,
    KickoffHeld,
    MemberJoined,
    MemberLeft,
    MunicipalityApplied,
    OnlineMeetingHeld,
    OutcomeRecorded,
    Payload,
    PolicyFeedbackRecorded,
    ReportSubmitted,
    SiteVisitMade,
    StreamRepaired,
    SupportFlowRecorded,
    SupportThemesChanged,
    SurveyAnswered,
    TeamAssigned,
    TravelPlanned,
    TravelSettled,
)
from schemas.events.corrections import same_kind
from schemas.text import compared
from schemas.views import EngagementState, RecordState, Stage
from services.i18n.message import N_, NC_, Msg, Param
from services.workflow.engagement.travel_rules import TravelViolation, check_travel

AFTER_KICKOFF = (Stage.KICKOFF, Stage.VISITS, Stage.OUTCOMES)
TEAM_FORMED = (Stage.MATCHING, *AFTER_KICKOFF)
OPEN = (Stage.APPLICATION, *TEAM_FORMED)
CONTACTS = (OnlineMeetingHeld, SiteVisitMade, CompanyVisitMade, CoordinationHeld)
TEAM_MIN, TEAM_MAX = 2, 3


class LifecycleViolation(Exception):
    """A command that the engagement's current state does not allow (→ HTTP 409).

    It carries a code (what API clients match on) and a `Msg`: an English msgid with its parameters,
    translated where the reader's language is known (the API's problem, the web page), never here.
    """

    def __init__(self, code: str, message: Msg) -> None:
        self.code = code
        self.message = message
        super().__init__(code, message)

    @property
    def message_en(self) -> str:
        """The refusal in English (the msgid with its parameters filled)."""
        return self.message.render()

    def __str__(self) -> str:
        return f"{self.code}: {self.message_en}"


STAGE_NAMES = {
    Stage.NEW: NC_("stage of an engagement", "not applied"),
    Stage.APPLICATION: NC_("stage of an engagement", "application"),
    Stage.MATCHING: NC_("stage of an engagement", "matching"),
    Stage.KICKOFF: NC_("stage of an engagement", "kickoff"),
    Stage.VISITS: NC_("stage of an engagement", "visits and meetings"),
    Stage.OUTCOMES: NC_("stage of an engagement", "outcomes"),
    Stage.CLOSED: NC_("stage of an engagement", "closed"),
    Stage.WITHDRAWN: NC_("stage of an engagement", "withdrawn"),
}
ENDED = N_("The engagement is %(stage)s; %(action)s cannot be recorded any more")
WRONG_STAGE = N_("In the current stage (%(stage)s), %(action)s cannot be recorded; allowed in: %(allowed)s")
NOT_A_MEMBER = N_("Official %(official_id)s is not a member of this team")
NOT_ON_TEAM = N_("Official %(official_id)s is not currently on this team")
NOT_ON_TEAM_THEN = N_("Official %(official_id)s (%(role)s) was not a member of this team on %(day)s")
NOT_ON_TEAM_NOW = N_("Official %(official_id)s (%(role)s) is not a member of this team now")
ROLES = {
    "participant": N_("participant"),
    "lead": N_("lead"),
    "contributor": N_("contributor"),
    "introducer": N_("the official who introduced it"),
}
TEAM_RULE = N_("%(rule)s (give override_reason to record an exception)")


def _stage_name(stage: Stage) -> Msg:
    return Msg(STAGE_NAMES[stage], context="stage of an engagement")


def _stage(state: EngagementState, action: str, allowed: tuple[Stage, ...]) -> None:
    if state.stage.terminal:
        raise LifecycleViolation(
            "engagement_ended", Msg(ENDED, {"stage": _stage_name(state.stage), "action": Msg(action)})
        )
    if state.stage not in allowed:
        raise LifecycleViolation(
            "wrong_stage",
            Msg(
                WRONG_STAGE,
                {
                    "action": Msg(action),
                    "stage": _stage_name(state.stage),
                    "allowed": [_stage_name(s) for s in allowed],
                },
            ),
        )


def _current_ids(state: EngagementState) -> set[str]:
    return {o.official_id for o in state.team}


def _ever_member(state: EngagementState, official_id: str) -> None:
    if official_id not in {m.official.official_id for m in state.memberships}:
        raise LifecycleViolation("not_a_member", Msg(NOT_A_MEMBER, {"official_id": official_id}))


def _on_team(
    state: EngagementState, people: Iterable[tuple[str, str]], first: date | None, last: date | None = None
) -> None:
    """Each (official id, role) was a member of the team on some day from `first` to `last`.

    Without a date (an outcome recorded with neither achieved_on nor recorded_on) the team of today counts:
    the members who have not left.
    """
    for official_id, role in people:
        spans = [m for m in state.memberships if m.official.official_id == official_id]
        if first is None:
            member = any(m.left_on is None for m in spans)
        else:
            end = last or first
            member = any(
                (m.joined_on is None or m.joined_on <= end) and (m.left_on is None or first < m.left_on) for m in spans
            )
        if not member:
            params: dict[str, Param] = {"official_id": official_id, "role": Msg(ROLES[role])}
            if first is None:
                raise LifecycleViolation("not_a_member", Msg(NOT_ON_TEAM_NOW, params))
            raise LifecycleViolation("not_a_member", Msg(NOT_ON_TEAM_THEN, params | {"day": first.isoformat()}))


def _took_part(p: OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade | CoordinationHeld) -> list[tuple[str, str]]:
    people = [(i, "participant") for i in p.participant_ids]
    return people + ([(p.led_by, "lead")] if p.led_by and p.led_by not in p.participant_ids else [])


def _team_rule(rule: Msg) -> LifecycleViolation:
    return LifecycleViolation("team_rule", Msg(TEAM_RULE, {"rule": rule}))


def _check_join(state: EngagementState, p: MemberJoined) -> None:
    _stage(state, N_("a member joining"), TEAM_FORMED)
    if p.official.official_id in _current_ids(state):
        raise LifecycleViolation("already_member", Msg(N_("This official is already on the team")))
    if p.override_reason:
        return
    if len(state.team) + 1 > TEAM_MAX:
        raise _team_rule(Msg(N_("A team has at most %(n)s members"), {"n": TEAM_MAX}))
    if compared(p.official.ministry) in {compared(o.ministry) for o in state.team}:
        raise _team_rule(Msg(N_("The team already has a member from %(ministry)s"), {"ministry": p.official.ministry}))


def _check_leave(state: EngagementState, p: MemberLeft) -> None:
    _stage(state, N_("a member leaving"), TEAM_FORMED)
    if p.official_id not in _current_ids(state):
        raise LifecycleViolation("not_a_member", Msg(NOT_ON_TEAM, {"official_id": p.official_id}))
    if not p.override_reason and len(state.team) - 1 < TEAM_MIN:
        raise _team_rule(Msg(N_("A team needs at least %(n)s members"), {"n": TEAM_MIN}))


# What each record is called in a refusal ("… cannot be recorded").
RECORD_NAMES: dict[type[Payload], str] = {
    SupportThemesChanged: N_("a change of support themes"),
    SupportFlowRecorded: N_("a support flow"),
    FundingApplicationSupported: N_("support for a funding application"),
    OutcomeRecorded: N_("an outcome"),
    ReportSubmitted: N_("a report"),
}


def _standing(state: EngagementState, event_id: str) -> RecordState:
    """The record event `event_id` made, when it can still be corrected or retracted."""
    record = state.records.get(event_id)
    if record is None:
        msg = N_("Event %(event_id)s is not an activity, outcome or survey answer of this engagement")
        raise LifecycleViolation("not_correctable", Msg(msg, {"event_id": event_id}))
    if record.retracted_by is not None:
        msg = N_("Event %(event_id)s was retracted by event %(by)s")
        raise LifecycleViolation("already_retracted", Msg(msg, {"event_id": event_id, "by": record.retracted_by}))
    return record


def _check_correction(state: EngagementState, p: EventCorrected) -> None:
    record = _standing(state, p.corrects_event_id)
    if not same_kind(record.event_type, p.corrected.event_type):
        msg = N_("A correction keeps the kind of record: event %(event_id)s stays a %(kind)s")
        raise LifecycleViolation(
            "correction_changes_kind", Msg(msg, {"event_id": p.corrects_event_id, "kind": record.event_type})
        )
    if p.corrected.model_dump(mode="json") == record.data:
        msg = N_("The correction changes nothing in event %(event_id)s")
        raise LifecycleViolation("correction_changes_nothing", Msg(msg, {"event_id": p.corrects_event_id}))
    check(state, p.corrected)  # the corrected record obeys the rules a new one would


def _check_travel(state: EngagementState, payload: TravelPlanned | TravelSettled) -> None:
    # A trip planned before the close (or a withdrawal) is still settled afterwards: the accounts come later.
    if isinstance(payload, TravelPlanned) or not state.stage.terminal:
        action = N_("travel") if isinstance(payload, TravelPlanned) else N_("a travel settlement")
        _stage(state, action, AFTER_KICKOFF)
    try:
        check_travel(state, payload)
    except TravelViolation as err:
        raise LifecycleViolation(err.code, err.message) from err


def check(state: EngagementState, payload: Payload) -> None:
    """Raise LifecycleViolation when `payload` may not be recorded in `state`."""
    match payload:
        case MunicipalityApplied():
            if state.stage is not Stage.NEW:
                raise LifecycleViolation(
                    "already_applied", Msg(N_("This municipality has already applied in this period"))
                )
        case ApplicationWithdrawn():
            _stage(state, N_("an application withdrawal"), (Stage.APPLICATION,))
        case TeamAssigned():
            _stage(state, N_("a team assignment"), (Stage.APPLICATION,))
        case MemberJoined():
            _check_join(state, payload)
        case MemberLeft():
            _check_leave(state, payload)
        case KickoffHeld():
            _stage(state, N_("a kickoff"), (Stage.MATCHING,))
        case OnlineMeetingHeld() | SiteVisitMade() | CompanyVisitMade():
            _stage(state, N_("an activity"), AFTER_KICKOFF)
            _on_team(state, _took_part(payload), payload.start_date, payload.end_date)
        case CoordinationHeld():
            _stage(state, N_("an activity"), AFTER_KICKOFF)
            _on_team(state, _took_part(payload), payload.held_on)
        case (
            SupportThemesChanged()
            | SupportFlowRecorded()
            | FundingApplicationSupported()
            | OutcomeRecorded()
            | ReportSubmitted()
        ):
            _stage(state, RECORD_NAMES[type(payload)], AFTER_KICKOFF)
            if isinstance(payload, OutcomeRecorded):
                contributors = [(i, "contributor") for i in payload.contributor_ids]
                _on_team(state, contributors, payload.achieved_on or payload.recorded_on)
        case PolicyFeedbackRecorded():
            _stage(state, N_("policy feedback"), AFTER_KICKOFF)
        case IntroductionMade():
            _stage(state, N_("an introduction"), AFTER_KICKOFF)
            if payload.by_official_id:
                _on_team(state, [(payload.by_official_id, "introducer")], payload.made_on)
        case SurveyAnswered():
            _stage(state, N_("a survey answer"), AFTER_KICKOFF)
            _ever_member(state, payload.official_id)
        case EngagementStalled():
            _stage(state, N_("a stall"), AFTER_KICKOFF)
            if state.stalled:
                raise LifecycleViolation("already_stalled", Msg(N_("The engagement is already stalled")))
        case EngagementResumed():
            if not state.stalled:
                raise LifecycleViolation("not_stalled", Msg(N_("The engagement is not stalled")))
        case FinalReportDue():
            _stage(state, N_("a report reminder"), AFTER_KICKOFF)
        case EngagementClosed():
            _stage(state, N_("closing the engagement"), (Stage.OUTCOMES,))
        case EngagementWithdrawn():
            _stage(state, N_("a withdrawal"), OPEN)
        case EventCorrected():
            _check_correction(state, payload)
        case EventRetracted():
            _standing(state, payload.retracts_event_id)
        case TravelPlanned() | TravelSettled():
            _check_travel(state, payload)
        case StreamRepaired():
            pass  # recorded by `banso repair` in any stage the workflow still runs in
        case _:
            raise TypeError(f"no lifecycle rule for {type(payload).__name__}")


def is_contact(payload: Payload) -> bool:
    """Meetings, visits and coordination count as contact for stall detection."""
    return isinstance(payload, CONTACTS)
