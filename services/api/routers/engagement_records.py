"""Commands beyond the core lifecycle: team changes, themes, coordination, results, feedback."""

from __future__ import annotations

import logging

from fastapi import APIRouter

from schemas.commands import (
    CoordinationCommand,
    CorrectCommand,
    FeedbackCommand,
    FundingCommand,
    IntroductionCommand,
    MemberJoinCommand,
    MemberLeaveCommand,
    ReportCommand,
    RetractCommand,
    SupportFlowCommand,
    SurveyCommand,
    ThemesCommand,
    WithdrawApplicationCommand,
)
from schemas.events import (
    ApplicationWithdrawn,
    AppointmentEnded,
    CoordinationHeld,
    EventCorrected,
    EventRetracted,
    FundingApplicationSupported,
    IntroductionMade,
    MemberJoined,
    MemberLeft,
    PolicyFeedbackRecorded,
    ReportSubmitted,
    SupportFlowRecorded,
    SupportThemesChanged,
    SurveyAnswered,
)
from schemas.views import EventReceipt
from services.api.deps import EngagementCommandsDep, EngagementId, IdempotencyKey, PeriodCommandsDep, PrincipalDep
from services.api.engagement_commands import command_meta
from services.api.paperwork import departure_follow_up, follow_up_key
from services.api.period_commands import PeriodCommands
from services.api.problems import NotFound, ProblemError, problem_responses
from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.period.workflow import PeriodWorkflow

log = logging.getLogger("banso.api")

router = APIRouter(prefix="/api/v1/engagements/{engagement_id}", tags=["engagement records"])

ERRORS = problem_responses(404, 409, 422, 429, 500, 503, 504)


@router.post("/application-withdrawal", responses=ERRORS, summary="応募取下げ / Withdraw the application")
async def withdraw_application(
    engagement_id: EngagementId,
    body: ApplicationWithdrawn,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Withdraw an application before a team is formed."""
    cmd = WithdrawApplicationCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.withdraw_application, cmd, key)


@router.post("/members", responses=ERRORS, summary="支援官の追加 / A member joins")
async def join_member(
    engagement_id: EngagementId,
    body: MemberJoined,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Add an official to the team (2–3 members from distinct ministries, unless override_reason)."""
    cmd = MemberJoinCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.join_member, cmd, key)


@router.post("/member-departures", responses=ERRORS, summary="支援官の離脱 / A member leaves")
async def leave_member(
    engagement_id: EngagementId,
    body: MemberLeft,
    commands: EngagementCommandsDep,
    periods: PeriodCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record an official leaving the team (人事異動, 本務多忙, other). When they hold an active 併任 covering
    this team in the period, it follows as the programme does it: changed to their other teams, or ended
    (人事異動 for a transfer, else a team change) from the day they left — sent once, keyed by the MemberLeft
    event. Should that follow-up fail, the departure stands and the period's gaps list shows the appointment."""
    cmd = MemberLeaveCommand(meta=command_meta(principal.actor), payload=body)
    receipt = await commands.send(engagement_id, EngagementWorkflow.leave_member, cmd, key)
    await _follow_departure(periods, engagement_id, body, receipt.event_id, principal.actor)
    return receipt


async def _follow_departure(
    periods: PeriodCommands, engagement_id: str, left: MemberLeft, left_event_id: str, actor: str
) -> None:
    _, period, code = engagement_id.split("-")
    try:
        state = await periods.state(int(period))
        follow = departure_follow_up(left, left_event_id, code, state.appointments.get(left.official_id))
        if isinstance(follow, AppointmentEnded):
            await periods.send(int(period), PeriodWorkflow.end_appointment, follow, actor, follow_up_key(left_event_id))
        elif follow is not None:
            await periods.send(
                int(period), PeriodWorkflow.change_appointment, follow, actor, follow_up_key(left_event_id)
            )
    except NotFound:
        return  # no period workflow: nobody is appointed in that period
    except ProblemError as err:  # the departure stands; the period's gaps list shows the appointment
        log.warning(
            "appointment follow-up of %s in %s not recorded: %s %s", left_event_id, engagement_id, err.code, err
        )


@router.post("/themes", responses=ERRORS, summary="支援テーマの変更 / Change the support themes")
async def change_themes(
    engagement_id: EngagementId,
    body: SupportThemesChanged,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Replace the agreed support themes."""
    cmd = ThemesCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.change_themes, cmd, key)


@router.post("/coordinations", responses=ERRORS, summary="関係機関との連携 / Coordination with a body")
async def record_coordination(
    engagement_id: EngagementId,
    body: CoordinationHeld,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record coordination with a regional bureau, prefectural department, ministry or organisation."""
    cmd = CoordinationCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.record_coordination, cmd, key)


@router.post("/support-flows", responses=ERRORS, summary="支援の流れ / How the team supports one area")
async def record_support_flow(
    engagement_id: EngagementId,
    body: SupportFlowRecorded,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record one area of support with its concrete actions (the report's 支援の流れ)."""
    cmd = SupportFlowCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.record_support_flow, cmd, key)


@router.post("/introductions", responses=ERRORS, summary="紹介 / An introduction")
async def record_introduction(
    engagement_id: EngagementId,
    body: IntroductionMade,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record a programme, case, expert or company the team introduced."""
    cmd = IntroductionCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.record_introduction, cmd, key)


@router.post("/funding-applications", responses=ERRORS, summary="申請支援 / Funding application support")
async def record_funding_application(
    engagement_id: EngagementId,
    body: FundingApplicationSupported,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record support for an application to a funding programme, with its status."""
    cmd = FundingCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.record_funding_application, cmd, key)


@router.post("/reports", responses=ERRORS, summary="報告 / Submit a report")
async def submit_report(
    engagement_id: EngagementId,
    body: ReportSubmitted,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record an interim (中間) or final (最終) report."""
    cmd = ReportCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.submit_report, cmd, key)


@router.post("/surveys", responses=ERRORS, summary="支援官の声 / Survey answer")
async def answer_survey(
    engagement_id: EngagementId,
    body: SurveyAnswered,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record one team member's answers to the programme survey."""
    cmd = SurveyCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.answer_survey, cmd, key)


@router.post("/policy-feedback", responses=ERRORS, summary="国の業務へのフィードバック / Policy feedback")
async def record_policy_feedback(
    engagement_id: EngagementId,
    body: PolicyFeedbackRecorded,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record feedback from the engagement to a ministry's policy work."""
    cmd = FeedbackCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.record_policy_feedback, cmd, key)


@router.post("/corrections", responses=ERRORS, summary="訂正 / Correct a record")
async def correct(
    engagement_id: EngagementId,
    body: EventCorrected,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Correct an activity, outcome or survey answer: `corrected` is the whole record as it should read
    (the same kind of record), `reason` why. The original event stays in the log; the fold, the report,
    search and the graph read the corrected facts; the log shows both, linked by `corrects_event_id`.
    409 `not_correctable`, `already_retracted`, `correction_changes_kind`, `correction_changes_nothing`."""
    cmd = CorrectCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.correct, cmd, key)


@router.post("/retractions", responses=ERRORS, summary="取消 / Retract a record")
async def retract(
    engagement_id: EngagementId,
    body: EventRetracted,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Retract an activity, outcome or survey answer that should not have been recorded, with a reason.
    The original event stays in the log; every read leaves the record out from then on.
    409 `not_correctable`, `already_retracted`."""
    cmd = RetractCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.retract, cmd, key)
