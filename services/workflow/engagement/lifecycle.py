"""The engagement lifecycle as pure rules: which command may be recorded in which state.

No I/O and no Temporal imports: the workflow, the tests and any replay use the same rules.
The state fold lives beside it in `fold.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.events import (
    ApplicationWithdrawn,
    CompanyVisitMade,
    CoordinationHeld,
    EngagementClosed,
    EngagementResumed,
    EngagementStalled,
    EngagementWithdrawn,
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
)
from schemas.views import EngagementState, Stage

AFTER_KICKOFF = (Stage.KICKOFF, Stage.VISITS, Stage.OUTCOMES)
TEAM_FORMED = (Stage.MATCHING, *AFTER_KICKOFF)
OPEN = (Stage.APPLICATION, *TEAM_FORMED)
CONTACTS = (OnlineMeetingHeld, SiteVisitMade, CompanyVisitMade, CoordinationHeld)
TEAM_MIN, TEAM_MAX = 2, 3


@dataclass(frozen=True)
class LifecycleViolation(Exception):
    """A command that the engagement's current state does not allow (→ HTTP 409)."""

    code: str
    message_ja: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.message_ja} / {self.message_en}"


_STAGE_JA = {
    Stage.NEW: "未応募",
    Stage.APPLICATION: "応募",
    Stage.MATCHING: "マッチング",
    Stage.KICKOFF: "キックオフ",
    Stage.VISITS: "訪問・会議",
    Stage.OUTCOMES: "成果",
    Stage.CLOSED: "終了",
    Stage.WITHDRAWN: "取下げ",
}


def _stage(state: EngagementState, action_ja: str, action_en: str, allowed: tuple[Stage, ...]) -> None:
    if state.stage.terminal:
        raise LifecycleViolation(
            "engagement_ended",
            f"この伴走支援は{_STAGE_JA[state.stage]}済みのため、{action_ja}は記録できません",
            f"the engagement is {state.stage.value}; {action_en} cannot be recorded",
        )
    if state.stage not in allowed:
        names_ja = "・".join(_STAGE_JA[s] for s in allowed)
        names_en = ", ".join(s.value for s in allowed)
        raise LifecycleViolation(
            "wrong_stage",
            f"現在の段階（{_STAGE_JA[state.stage]}）では{action_ja}は記録できません（可能な段階: {names_ja}）",
            f"{action_en} is not allowed in stage {state.stage.value} (allowed in: {names_en})",
        )


def _current_ids(state: EngagementState) -> set[str]:
    return {o.official_id for o in state.team}


def _ever_member(state: EngagementState, official_id: str) -> None:
    if official_id not in {m.official.official_id for m in state.memberships}:
        raise LifecycleViolation(
            "not_a_member",
            f"支援官 {official_id} はこのチームのメンバーではありません",
            f"official {official_id} is not a member of this team",
        )


def _team_rule(message_ja: str, message_en: str) -> LifecycleViolation:
    return LifecycleViolation(
        "team_rule",
        f"{message_ja}（例外とする場合は override_reason に理由を記入）",
        f"{message_en} (give override_reason to record an exception)",
    )


def _check_join(state: EngagementState, p: MemberJoined) -> None:
    _stage(state, "支援官の追加", "a member joining", TEAM_FORMED)
    if p.official.official_id in _current_ids(state):
        raise LifecycleViolation(
            "already_member", "この支援官は既にチームのメンバーです", "this official is already on the team"
        )
    if p.override_reason:
        return
    if len(state.team) + 1 > TEAM_MAX:
        raise _team_rule(f"チームは{TEAM_MAX}名までです", f"a team has at most {TEAM_MAX} members")
    if p.official.ministry in {o.ministry for o in state.team}:
        raise _team_rule(
            f"{p.official.ministry}の支援官は既にチームにいます",
            f"the team already has a member from {p.official.ministry}",
        )


def _check_leave(state: EngagementState, p: MemberLeft) -> None:
    _stage(state, "支援官の離脱", "a member leaving", TEAM_FORMED)
    if p.official_id not in _current_ids(state):
        raise LifecycleViolation(
            "not_a_member",
            f"支援官 {p.official_id} は現在このチームのメンバーではありません",
            f"official {p.official_id} is not currently on this team",
        )
    if not p.override_reason and len(state.team) - 1 < TEAM_MIN:
        raise _team_rule(f"チームは{TEAM_MIN}名以上が必要です", f"a team needs at least {TEAM_MIN} members")


def check(state: EngagementState, payload: Payload) -> None:
    """Raise LifecycleViolation when `payload` may not be recorded in `state`."""
    match payload:
        case MunicipalityApplied():
            if state.stage is not Stage.NEW:
                raise LifecycleViolation(
                    "already_applied",
                    "この自治体はこの期に既に応募しています",
                    "this municipality has already applied in this period",
                )
        case ApplicationWithdrawn():
            _stage(state, "応募取下げ", "an application withdrawal", (Stage.APPLICATION,))
        case TeamAssigned():
            _stage(state, "チーム編成", "a team assignment", (Stage.APPLICATION,))
        case MemberJoined():
            _check_join(state, payload)
        case MemberLeft():
            _check_leave(state, payload)
        case KickoffHeld():
            _stage(state, "キックオフ", "a kickoff", (Stage.MATCHING,))
        case OnlineMeetingHeld() | SiteVisitMade() | CompanyVisitMade() | CoordinationHeld():
            _stage(state, "活動", "an activity", AFTER_KICKOFF)
        case (
            SupportThemesChanged()
            | SupportFlowRecorded()
            | FundingApplicationSupported()
            | OutcomeRecorded()
            | ReportSubmitted()
        ):
            _stage(state, "この記録", type(payload).__name__, AFTER_KICKOFF)
        case PolicyFeedbackRecorded():
            _stage(state, "フィードバック", "policy feedback", AFTER_KICKOFF)
        case IntroductionMade():
            _stage(state, "紹介", "an introduction", AFTER_KICKOFF)
            if payload.by_official_id:
                _ever_member(state, payload.by_official_id)
        case SurveyAnswered():
            _stage(state, "アンケート回答", "a survey answer", AFTER_KICKOFF)
            _ever_member(state, payload.official_id)
        case EngagementStalled():
            _stage(state, "停滞", "a stall", AFTER_KICKOFF)
            if state.stalled:
                raise LifecycleViolation("already_stalled", "既に停滞中です", "the engagement is already stalled")
        case EngagementResumed():
            if not state.stalled:
                raise LifecycleViolation("not_stalled", "停滞していません", "the engagement is not stalled")
        case FinalReportDue():
            _stage(state, "報告期限通知", "a report reminder", AFTER_KICKOFF)
        case EngagementClosed():
            _stage(state, "終了", "closing", (Stage.OUTCOMES,))
        case EngagementWithdrawn():
            _stage(state, "取下げ", "a withdrawal", OPEN)
        case StreamRepaired():
            pass  # recorded by `banso repair` in any stage the workflow still runs in
        case _:
            raise TypeError(f"no lifecycle rule for {type(payload).__name__}")


def is_contact(payload: Payload) -> bool:
    """Meetings, visits and coordination count as contact for stall detection."""
    return isinstance(payload, CONTACTS)
