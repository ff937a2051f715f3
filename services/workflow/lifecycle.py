"""The engagement lifecycle as pure functions: which command is allowed when, and the state fold.

No I/O and no Temporal imports: the workflow, the tests and any replay use the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.events import (
    CompanyVisitMade,
    EngagementClosed,
    EngagementWithdrawn,
    KickoffHeld,
    MunicipalityApplied,
    OnlineMeetingHeld,
    OutcomeRecorded,
    Payload,
    SiteVisitMade,
    TeamAssigned,
)
from schemas.views import EngagementState, Stage

ACTIVITY_STAGES = (Stage.KICKOFF, Stage.VISITS, Stage.OUTCOMES)


@dataclass(frozen=True)
class LifecycleViolation(Exception):
    """A command that the engagement's current stage does not allow (→ HTTP 409)."""

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


def _violation(state: EngagementState, action_ja: str, action_en: str, allowed: tuple[Stage, ...]) -> None:
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
        case TeamAssigned():
            _violation(state, "チーム編成", "a team assignment", (Stage.APPLICATION,))
        case KickoffHeld():
            _violation(state, "キックオフ", "a kickoff", (Stage.MATCHING,))
        case OnlineMeetingHeld() | SiteVisitMade() | CompanyVisitMade():
            _violation(state, "活動", "an activity", ACTIVITY_STAGES)
        case OutcomeRecorded():
            _violation(state, "成果", "an outcome", ACTIVITY_STAGES)
        case EngagementClosed():
            _violation(state, "終了", "closing", (Stage.OUTCOMES,))
        case EngagementWithdrawn():
            _violation(
                state,
                "取下げ",
                "a withdrawal",
                (Stage.APPLICATION, Stage.MATCHING, Stage.KICKOFF, Stage.VISITS, Stage.OUTCOMES),
            )
        case _:
            raise TypeError(f"no lifecycle rule for {type(payload).__name__}")


def _after_activity(stage: Stage) -> Stage:
    return Stage.VISITS if stage is Stage.KICKOFF else stage


def apply(state: EngagementState, payload: Payload, sequence: int, head_hash: str) -> EngagementState:
    """The state after `payload` was recorded as event `sequence` with hash `head_hash`."""
    update: dict[str, object] = {"last_sequence": sequence, "head_hash": head_hash}
    counts = state.counts
    match payload:
        case MunicipalityApplied():
            update |= {
                "stage": Stage.APPLICATION,
                "period": payload.period,
                "municipality_code": payload.municipality_code,
                "municipality_name": payload.municipality_name,
                "prefecture": payload.prefecture,
            }
        case TeamAssigned():
            update |= {"stage": Stage.MATCHING, "team": list(payload.officials)}
        case KickoffHeld():
            update |= {"stage": Stage.KICKOFF, "title": payload.title, "themes": list(payload.themes)}
        case OnlineMeetingHeld():
            update |= {
                "stage": _after_activity(state.stage),
                "counts": counts.model_copy(update={"online_meetings": counts.online_meetings + 1}),
            }
        case SiteVisitMade():
            update |= {
                "stage": _after_activity(state.stage),
                "counts": counts.model_copy(update={"site_visits": counts.site_visits + 1}),
            }
        case CompanyVisitMade():
            update |= {
                "stage": _after_activity(state.stage),
                "counts": counts.model_copy(
                    update={
                        "company_visits": counts.company_visits + 1,
                        "companies_visited": counts.companies_visited + payload.company_count,
                    }
                ),
            }
        case OutcomeRecorded():
            update |= {"stage": Stage.OUTCOMES, "outcomes": state.outcomes + 1}
        case EngagementClosed():
            update |= {"stage": Stage.CLOSED}
        case EngagementWithdrawn():
            update |= {"stage": Stage.WITHDRAWN}
        case _:
            raise TypeError(f"no fold for {type(payload).__name__}")
    return state.model_copy(update=update)
