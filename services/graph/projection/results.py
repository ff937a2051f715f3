"""Projection plans for what an engagement does and produces beyond meetings and visits."""

from __future__ import annotations

from typing import Any

from schemas.events import (
    BodyKind,
    CompanyVisitMade,
    CoordinationHeld,
    FundingApplicationSupported,
    IntroductionMade,
    OnlineMeetingHeld,
    PolicyFeedbackRecorded,
    ReportSubmitted,
    SiteVisitMade,
    SurveyAnswered,
)
from schemas.text import compared
from services.graph.projection import queries as q
from services.graph.projection.statements import BODY_LABELS, Statement, iso


def took_part(
    p: OnlineMeetingHeld | SiteVisitMade | CompanyVisitMade | CoordinationHeld, base: dict[str, Any]
) -> list[Statement]:
    """TOOK_PART of each named participant ('led' for led_by, else 'attended'); none for a team-level record."""
    if not p.participant_ids:
        return []
    people = [{"official_id": i, "role": "led" if i == p.led_by else "attended"} for i in p.participant_ids]
    return [Statement(q.TOOK_PART, base | {"people": people})]


def coordination(p: CoordinationHeld, base: dict[str, Any]) -> list[Statement]:
    """連携: an activity of kind coordination, linked to the body it was held with and who took part."""
    return [
        Statement(
            q.COORDINATION,
            base | {"held_on": iso(p.held_on), "topic": p.topic, "participants": p.participants},
        ),
        Statement(q.COORDINATION_BODY[BODY_LABELS[p.body.kind]], base | {"name": compared(p.body.name)}),
        *took_part(p, base),
    ]


def introduction(p: IntroductionMade, base: dict[str, Any]) -> list[Statement]:
    """紹介: an Introduction node, linked to the official who made it when known."""
    params = base | {
        "what": p.what.value,
        "subject": p.subject,
        "to_whom": p.to_whom,
        "made_on": iso(p.made_on),
        "by_official_id": p.by_official_id,
    }
    return [Statement(q.INTRODUCTION, params)]


def funding_application(p: FundingApplicationSupported, base: dict[str, Any]) -> list[Statement]:
    """申請支援: the engagement APPLIED_FOR the programme, with the latest status."""
    params = base | {
        "programme": p.programme,
        "status": p.status.value,
        "supported_on": iso(p.supported_on),
        "purpose": p.purpose,
    }
    return [Statement(q.FUNDING_APPLICATION, params)]


def report(p: ReportSubmitted, base: dict[str, Any]) -> list[Statement]:
    """報告: a Report node."""
    params = base | {"report": p.report.value, "submitted_on": iso(p.submitted_on), "summary": p.summary}
    return [Statement(q.REPORT, params)]


def survey(p: SurveyAnswered, base: dict[str, Any]) -> list[Statement]:
    """支援官の声: the official ANSWERED a SurveyAnswer ABOUT the engagement."""
    params = base | {
        "official_id": p.official_id,
        "answered_on": iso(p.answered_on),
        "field_experience": p.field_experience,
        "diverse_team": p.diverse_team,
        "useful_for_ministry_work": p.useful_for_ministry_work,
        "free_text": p.free_text,
    }
    return [Statement(q.SURVEY, params)]


def policy_feedback(p: PolicyFeedbackRecorded, base: dict[str, Any]) -> list[Statement]:
    """フィードバック: a PolicyFeedback node TO the body it addresses."""
    label = BODY_LABELS[BodyKind(p.to.kind)]
    params = base | {"feedback": p.feedback, "recorded_on": iso(p.recorded_on), "name": p.to.name}
    return [Statement(q.POLICY_FEEDBACK[label], params)]
