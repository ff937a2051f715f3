"""Engagement commands and reads under /api/v1."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from schemas.api_views import EngagementDetail, EngagementLog, EngagementStateView, EngagementSummary, Page
from schemas.commands import (
    ActivityCommand,
    AssignTeamCommand,
    CloseCommand,
    KickoffCommand,
    OutcomeCommand,
    WithdrawCommand,
)
from schemas.events import (
    ActivityPayload,
    EngagementClosed,
    EngagementWithdrawn,
    KickoffHeld,
    MunicipalityApplied,
    OutcomeRecorded,
    TeamAssigned,
)
from schemas.report import EngagementReport
from schemas.views import EventReceipt, Stage
from services.api.auth.policy import sees_money
from services.api.deps import (
    EngagementCommandsDep,
    EngagementId,
    EventStoreDep,
    GraphReadsDep,
    IdempotencyKey,
    Limit,
    Offset,
    PrincipalDep,
)
from services.api.engagement_commands import command_meta
from services.api.messages import report_texts, state_texts
from services.api.problems import NotFound, problem_responses
from services.api.redaction import log_for
from services.workflow.engagement.report import build_report
from services.workflow.engagement.workflow import EngagementWorkflow

router = APIRouter(prefix="/api/v1", tags=["engagements"])

WRITE_ERRORS = problem_responses(404, 409, 422, 429, 500, 503, 504)


@router.post(
    "/applications",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 422, 429, 500, 503, 504),
    summary="応募を登録し伴走支援を開始する / Register an application (starts the engagement)",
)
async def apply(
    body: MunicipalityApplied, commands: EngagementCommandsDep, principal: PrincipalDep, key: IdempotencyKey = None
) -> EventReceipt:
    """Create the engagement of one municipality in one period."""
    return await commands.apply(body, principal.actor, key)


@router.post("/engagements/{engagement_id}/team", responses=WRITE_ERRORS, summary="チーム編成 / Assign the team")
async def assign_team(
    engagement_id: EngagementId,
    body: TeamAssigned,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record the mixed-ministry team of 2–3 officials."""
    cmd = AssignTeamCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.assign_team, cmd, key)


@router.post("/engagements/{engagement_id}/kickoff", responses=WRITE_ERRORS, summary="キックオフ / Kickoff")
async def kickoff(
    engagement_id: EngagementId,
    body: KickoffHeld,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record the agreed support themes and title."""
    cmd = KickoffCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.hold_kickoff, cmd, key)


@router.post(
    "/engagements/{engagement_id}/activities",
    responses=WRITE_ERRORS,
    summary="活動の記録 / Record an activity",
)
async def record_activity(
    engagement_id: EngagementId,
    body: ActivityPayload,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record an online meeting, a site visit or a company visit (`kind`)."""
    cmd = ActivityCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.record_activity, cmd, key)


@router.post("/engagements/{engagement_id}/outcomes", responses=WRITE_ERRORS, summary="成果 / Record an outcome")
async def record_outcome(
    engagement_id: EngagementId,
    body: OutcomeRecorded,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Record an outcome and the bodies or programmes it involves."""
    cmd = OutcomeCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.record_outcome, cmd, key)


@router.post("/engagements/{engagement_id}/close", responses=WRITE_ERRORS, summary="終了 / Close")
async def close(
    engagement_id: EngagementId,
    body: EngagementClosed,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Close the engagement after its outcomes."""
    cmd = CloseCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.close, cmd, key)


@router.post("/engagements/{engagement_id}/withdraw", responses=WRITE_ERRORS, summary="取下げ / Withdraw")
async def withdraw(
    engagement_id: EngagementId,
    body: EngagementWithdrawn,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> EventReceipt:
    """Withdraw the engagement from any open stage."""
    cmd = WithdrawCommand(meta=command_meta(principal.actor), payload=body)
    return await commands.send(engagement_id, EngagementWorkflow.withdraw, cmd, key)


# The list's text filters (shared with the exports' filters): each matches a part of the name, compared after
# NFKC normalisation of both sides, so a full name still finds exactly its own engagements.
PREFECTURE_TEXT = "都道府県（部分一致: 岩手 → 岩手県） / prefecture, a part of its name matches"
THEME_TEXT = "支援テーマ（部分一致） / support theme, a part of its name matches"
MINISTRY_TEXT = "チームの府省庁（部分一致） / a team member's ministry, a part of its name matches"
KEYWORD_TEXT = "市町村名・都道府県・タイトルのいずれかの一部 / a part of the municipality, prefecture or title"


@router.get("/engagements", summary="伴走支援の一覧 / List engagements")
async def list_engagements(
    reads: GraphReadsDep,
    stage: Stage | None = None,
    period: Annotated[int | None, Query(ge=1, le=99)] = None,
    prefecture: Annotated[str | None, Query(max_length=10, description=PREFECTURE_TEXT)] = None,
    theme: Annotated[str | None, Query(max_length=200, description=THEME_TEXT)] = None,
    ministry: Annotated[str | None, Query(max_length=200, description=MINISTRY_TEXT)] = None,
    stalled: Annotated[bool | None, Query(description="停滞中のみ / only stalled (true) or not (false)")] = None,
    q: Annotated[str | None, Query(max_length=200, description=KEYWORD_TEXT)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[EngagementSummary]:
    """Engagements filtered by stage, period, prefecture, theme, a member's ministry, stall and free text; each
    row with the current team's ministries and the day of the latest contact."""
    return await reads.list_engagements(
        stage=stage,
        period=period,
        prefecture=prefecture,
        theme=theme,
        ministry=ministry,
        stalled=stalled,
        text=q,
        limit=limit,
        offset=offset,
    )


@router.get("/engagements/{engagement_id}", responses=problem_responses(404, 422, 503), summary="伴走支援 / Engagement")
async def get_engagement(engagement_id: EngagementId, reads: GraphReadsDep) -> EngagementDetail:
    """The engagement's stage, team, themes, challenges and activity counts."""
    detail = await reads.engagement(engagement_id)
    if detail is None:
        raise NotFound()
    return detail


@router.get(
    "/engagements/{engagement_id}/events",
    responses=problem_responses(404, 422, 503),
    summary="監査ログ / Event log",
)
async def get_events(engagement_id: EngagementId, store: EventStoreDep, principal: PrincipalDep) -> EngagementLog:
    """The ordered event log with actors and the hash-chain verdict. A reader who may not see money (an
    official, an integration client) gets 支援旅費 events without their amounts (`"redacted": true`)."""
    log = await store.verified_log(engagement_id)
    if log is None:
        raise NotFound()
    return log_for(principal, log)


@router.get(
    "/engagements/{engagement_id}/report",
    responses=problem_responses(404, 422, 503),
    summary="一枚の報告 / The one-page report",
)
async def get_report(engagement_id: EngagementId, store: EventStoreDep) -> EngagementReport:
    """The seed's one-page report (基本情報, 活動実績, 地方創生支援官, 課題, 支援の流れ, 成果・展望, 関係機関との連携),
    folded from the engagement's recorded events: the same facts the back office's report page prints."""
    log = await store.verified_log(engagement_id)
    if log is None:
        raise NotFound()
    return report_texts(build_report(engagement_id, log.events))


@router.get(
    "/engagements/{engagement_id}/state",
    responses=problem_responses(404, 422, 503),
    summary="ワークフローの状態 / Workflow state",
)
async def get_state(
    engagement_id: EngagementId,
    commands: EngagementCommandsDep,
    principal: PrincipalDep,
    as_of: Annotated[date | None, Query(description="この日付時点のチーム / the team as of this date")] = None,
) -> EngagementStateView:
    """Stage, team (now and as of a date), themes, activity counts and last dates, alerts, chain head
    (`travel`, the amounts of 支援旅費, only for staff, admin and auditors: empty for anyone else)."""
    state = state_texts(await commands.state(engagement_id))
    if not sees_money(principal):
        state = state.model_copy(update={"travel": {}})
    return EngagementStateView(state=state, as_of=as_of, team_as_of=state.team_on(as_of) if as_of else None)
