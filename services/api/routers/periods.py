"""Programme periods under /api/v1/periods: the call, intake, matching, review and approval."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from schemas.api_views import EngagementLog
from schemas.events import (
    ApplicationReceived,
    CallOpened,
    IntakeClosed,
    MunicipalityApplied,
    OfficialVolunteered,
    ProposalEdited,
)
from schemas.periods import (
    ApprovalRequest,
    MatchingRunRequest,
    PeriodReceipt,
    SummaryRequest,
)
from services.api.deps import EventStoreDep, IdempotencyKey, PeriodCommandsDep, PrincipalDep
from services.api.messages import texts
from services.api.period_views import PeriodSummary, ProposalView, proposal_view, summary
from services.api.problems import InvalidInput, NotFound, problem_responses
from services.i18n.message import N_, Msg
from services.workflow.period.workflow import PeriodWorkflow, period_stream

router = APIRouter(prefix="/api/v1/periods", tags=["periods and matching"])

PeriodNumber = Annotated[int, Path(ge=1, le=99, description="期 (第N期)")]
WRITE_ERRORS = problem_responses(404, 409, 422, 429, 500, 503, 504)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 422, 429, 500, 503, 504),
    summary="募集開始 / Open a period's call",
)
async def open_call(
    body: CallOpened, periods: PeriodCommandsDep, principal: PrincipalDep, key: IdempotencyKey = None
) -> PeriodReceipt:
    """Start the period (one workflow and one event stream per 第N期) with its call."""
    return await periods.open_call(body, principal.actor, key)


@router.get("/{period}", responses=problem_responses(404, 422, 503), summary="期の状況 / A period at a glance")
async def get_period(period: PeriodNumber, periods: PeriodCommandsDep) -> PeriodSummary:
    """Phase, intake counts, matching runs, approval, started engagements and the latest figures."""
    return summary(await periods.state(period))


@router.get("/{period}/volunteers", responses=problem_responses(404, 422, 503), summary="支援官の応募一覧")
async def list_volunteers(period: PeriodNumber, periods: PeriodCommandsDep) -> list[OfficialVolunteered]:
    """Every official who volunteered for the period."""
    return list((await periods.state(period)).volunteers.values())


@router.post("/{period}/volunteers", status_code=201, responses=WRITE_ERRORS, summary="支援官の応募 / Volunteer")
async def volunteer(
    period: PeriodNumber,
    body: OfficialVolunteered,
    periods: PeriodCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """Record an official's offer to serve in the period (ministry, post, seniority, expertise, capacity)."""
    return await periods.send(period, PeriodWorkflow.volunteer, body, principal.actor, key)


@router.get("/{period}/applications", responses=problem_responses(404, 422, 503), summary="市町村の応募一覧")
async def list_applications(period: PeriodNumber, periods: PeriodCommandsDep) -> list[MunicipalityApplied]:
    """Every municipality's application to the period."""
    return list((await periods.state(period)).applications.values())


@router.post("/{period}/applications", status_code=201, responses=WRITE_ERRORS, summary="市町村の応募 / Apply")
async def receive_application(
    period: PeriodNumber,
    body: MunicipalityApplied,
    periods: PeriodCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """Receive a municipality's application; its engagement starts when the teams are approved."""
    if body.period != period:
        raise InvalidInput(
            *texts(
                Msg(
                    N_("the application's period (%(body)s) differs from the path's (%(path)s)"),
                    {"body": body.period, "path": period},
                )
            )
        )
    payload = ApplicationReceived(application=body)
    return await periods.send(period, PeriodWorkflow.receive_application, payload, principal.actor, key)


@router.post("/{period}/intake-closure", responses=WRITE_ERRORS, summary="募集締切 / Close the intake")
async def close_intake(
    period: PeriodNumber,
    body: IntakeClosed,
    periods: PeriodCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """No more volunteers or applications; the matching can run."""
    return await periods.send(period, PeriodWorkflow.close_intake, body, principal.actor, key)


@router.post("/{period}/matching-runs", status_code=201, responses=WRITE_ERRORS, summary="マッチングの実行 / Run")
async def run_matching(
    period: PeriodNumber,
    body: MatchingRunRequest,
    periods: PeriodCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """Run the optimiser with the current locks and exclusions; the proposal replaces the previous one."""
    return await periods.send(period, PeriodWorkflow.run_matching, body, principal.actor, key)


@router.get("/{period}/proposal", responses=problem_responses(404, 422, 503), summary="マッチング案 / Proposal")
async def get_proposal(period: PeriodNumber, periods: PeriodCommandsDep) -> ProposalView:
    """The teams as they stand after the reviewer's edits, with explanations and the rule check."""
    view = proposal_view(await periods.state(period))
    if view is None:
        raise NotFound(*texts(Msg(N_("no proposal yet"))), code="no_proposal")
    return view


@router.post("/{period}/proposal/edits", status_code=201, responses=WRITE_ERRORS, summary="案の修正 / Edit")
async def edit_proposal(
    period: PeriodNumber,
    body: ProposalEdited,
    periods: PeriodCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """Swap, move, lock, unlock, exclude or include — each with a reason; an edit that breaks a rule is refused."""
    return await periods.send(period, PeriodWorkflow.edit_proposal, body, principal.actor, key)


@router.post("/{period}/proposal/approval", responses=WRITE_ERRORS, summary="マッチング決定 / Approve")
async def approve(
    period: PeriodNumber,
    body: ApprovalRequest,
    periods: PeriodCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """Approve the teams; each engagement starts with its application and team (idempotently)."""
    return await periods.send(period, PeriodWorkflow.approve, body, principal.actor, key)


@router.post("/{period}/summary", status_code=201, responses=WRITE_ERRORS, summary="期の集計 / Summarise")
async def summarise(
    period: PeriodNumber,
    body: SummaryRequest,
    periods: PeriodCommandsDep,
    principal: PrincipalDep,
    key: IdempotencyKey = None,
) -> PeriodReceipt:
    """Compute 支援状況 and 支援官の声 from the recorded events and record them as an event."""
    return await periods.send(period, PeriodWorkflow.summarise, body, principal.actor, key)


@router.get("/{period}/events", responses=problem_responses(404, 422, 503), summary="期の記録 / The period's log")
async def period_events(period: PeriodNumber, store: EventStoreDep) -> EngagementLog:
    """The period's hash-chained log with its chain verdict (every decision with its actor and reason)."""
    log = await store.verified_log(period_stream(period))
    if log is None:
        raise NotFound(*texts(Msg(N_("this period has not been opened"))), code="period_not_found")
    return log
