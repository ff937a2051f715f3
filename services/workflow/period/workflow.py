"""PeriodWorkflow: the single writer of one period's events — call, intake, matching, review, approval."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict, Field
from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from schemas.calendar import JST
    from schemas.commands import Command, CommandMeta, RepairCommand
    from schemas.envelope import EventEnvelope
    from schemas.events import (
        ApplicationReceived,
        AppointmentChanged,
        AppointmentEnded,
        AppointmentEndReason,
        AppointmentIssued,
        ApprovedTeam,
        CallOpened,
        EngagementsStarted,
        IntakeClosed,
        MatchingProposed,
        OfficialVolunteered,
        Payload,
        PeriodSummarised,
        ProposalApproved,
        ProposalEdited,
        StartedEngagement,
        TeamAssigned,
        TravelBudgetAllocated,
    )
    from schemas.matching import Proposal
    from schemas.periods import ApprovalRequest, MatchingRunRequest, PeriodReceipt, PeriodState, SummaryRequest
    from schemas.views import StreamHead, receipt_fields
    from services.i18n.message import N_, Msg
    from services.workflow.period.activities import PeriodActivities, RunMatchingInput, StartEngagementInput
    from services.workflow.period.rules import apply, check
    from services.workflow.period.violation import PeriodViolation
    from services.workflow.rejection import rejected
    from services.workflow.stream import history_is_long
    from services.workflow.updates import command_update
    from services.workflow.writer import StreamWriter

MATCHING_TIMEOUT = timedelta(minutes=30)
START_TIMEOUT = timedelta(minutes=2)
READ_TIMEOUT = timedelta(minutes=1)
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))
PARALLEL_STARTS = 10
SYSTEM_ACTOR = "system:banso-period"
# From this patch on, the period's end also ends every 併任 still in force (AppointmentEnded, period_end).
APPOINTMENTS_END_PATCH = "appointments-end-with-period"


def period_stream(period: int) -> str:
    """The stream (and workflow id) of one period."""
    return f"period-{period}"


class PeriodStart(BaseModel):
    """Input of PeriodWorkflow.run: the period, and its state when continued-as-new."""

    model_config = ConfigDict(frozen=True)
    period: int
    max_history_events: int = Field(default=10_000, ge=100)
    state: PeriodState | None = None
    receipts: dict[str, PeriodReceipt] = Field(default_factory=dict)


@workflow.defn
class PeriodWorkflow:
    """第N期 — one call for applications, its intake, the matching proposal, its review and approval."""

    @workflow.init
    def __init__(self, start: PeriodStart) -> None:
        self._start = start
        self._state = start.state or PeriodState(period=start.period)
        self._writer = StreamWriter[PeriodReceipt](self.stream_head, self._fold, start.receipts)
        self._changes = 0

    @workflow.run
    async def run(self, start: PeriodStart) -> None:
        """Summarise the period when it ends; live on as its stream; continue-as-new when the history is long."""
        while not self._history_is_long():
            try:
                await workflow.wait_condition(self._woken_by(self._changes), timeout=self._seconds_to_period_end())
            except TimeoutError:
                await self._summarise_at_end()
        await self._writer.until_idle()
        workflow.continue_as_new(start.model_copy(update={"state": self._state, "receipts": self._writer.carried()}))

    @workflow.query
    def stream_head(self) -> StreamHead:
        """The last sequence and hash this workflow carries on from (what `banso repair` compares)."""
        s = self._state
        return StreamHead(subject=period_stream(s.period), sequence=s.last_sequence, hash=s.head_hash)

    def _woken_by(self, seen: int) -> Callable[[], bool]:
        """A wait condition: a new event (the call may have set the end) or a long history."""
        return lambda: self._changes != seen or self._history_is_long()

    def _history_is_long(self) -> bool:
        return history_is_long(self._start.max_history_events)

    def _seconds_to_period_end(self) -> float | None:
        """Until 0:00 JST after the call's `ends_on`, unless the period was already summarised as of then."""
        call = self._state.call
        if call is None or call.ends_on is None:
            return None
        if self._summarised_by(call.ends_on) and not self._appointments_to_end(call.ends_on):
            return None
        end = datetime.combine(call.ends_on + timedelta(days=1), time(0, 0), JST)
        return max((end - workflow.now()).total_seconds(), 0.001)

    async def _summarise_at_end(self) -> None:
        call = self._state.call
        if call is None or call.ends_on is None:
            return
        async with self._writer.lock:
            if not self._summarised_by(call.ends_on):  # no person summarised it meanwhile
                await self._summary(CommandMeta(actor=SYSTEM_ACTOR), call.ends_on)
            ended_on = call.ends_on + timedelta(days=1)
            for official_id in self._appointments_to_end(call.ends_on):
                reason = AppointmentEndReason.PERIOD_END
                ended = AppointmentEnded(official_id=official_id, ended_on=ended_on, reason=reason)
                await self._append(CommandMeta(actor=SYSTEM_ACTOR), ended)

    def _summarised_by(self, ends_on: date) -> bool:
        return self._state.figures_as_of is not None and self._state.figures_as_of >= ends_on

    def _appointments_to_end(self, ends_on: date) -> list[str]:
        """The 併任 the period's end ends (解除日: the day after its last day): those in force from before then.

        One appointed after the period's end is left to a person. Workflows started before
        APPOINTMENTS_END_PATCH hold no appointments, so the patch marker is only asked for when there are some.
        """
        after = ends_on + timedelta(days=1)
        due = sorted(
            a.official_id
            for a in self._state.appointments.values()
            if a.active and (a.changed_on or a.appointed_on) <= after
        )
        return due if due and workflow.patched(APPOINTMENTS_END_PATCH) else []

    @workflow.query
    def state(self) -> PeriodState:
        """The period as folded from its events."""
        return self._state

    def check_command(self, payload: Payload) -> None:
        """The validators' check (a retried command is answered, not checked again)."""
        if not self._writer.answered():
            self._check_rules(payload)

    async def write_command(self, meta: CommandMeta, payload: Payload) -> PeriodReceipt:
        """Check and write one command's event."""
        return await self._writer.command(lambda: self._append(meta, payload))

    async def _append(self, meta: CommandMeta, payload: Payload) -> PeriodReceipt:
        """Check and write one event of the command being handled (a command may write several)."""

        async def prepare(payload: Payload) -> None:
            self._check_rules(payload)

        return await self._writer.append(meta, payload, prepare)

    def _fold(self, payload: Payload, event: EventEnvelope) -> PeriodReceipt:
        self._state = apply(self._state, payload, event.sequence, event.hash, event.id)
        self._changes += 1
        return PeriodReceipt(subject=event.subject, phase=self._state.phase, **receipt_fields(event))

    def _check_rules(self, payload: Payload) -> None:
        try:
            check(self._state, payload)
        except PeriodViolation as err:
            raise rejected(err) from err

    open_call = command_update(
        "open_call", Command[CallOpened], PeriodReceipt, "募集開始 — sent with Update-with-Start."
    )
    volunteer = command_update("volunteer", Command[OfficialVolunteered], PeriodReceipt, "支援官の応募.")
    receive_application = command_update(
        "receive_application", Command[ApplicationReceived], PeriodReceipt, "市町村の応募受付."
    )
    close_intake = command_update("close_intake", Command[IntakeClosed], PeriodReceipt, "募集締切.")
    edit_proposal = command_update(
        "edit_proposal",
        Command[ProposalEdited],
        PeriodReceipt,
        "Swap, move, lock, unlock, exclude or include — one reviewer decision with its reason.",
    )
    issue_appointment = command_update(
        "issue_appointment", Command[AppointmentIssued], PeriodReceipt, "併任発令 — 地方創生支援官 for named teams."
    )
    change_appointment = command_update(
        "change_appointment", Command[AppointmentChanged], PeriodReceipt, "併任内容の変更 — the teams it covers."
    )
    end_appointment = command_update("end_appointment", Command[AppointmentEnded], PeriodReceipt, "併任解除.")
    allocate_travel_budget = command_update(
        "allocate_travel_budget",
        Command[TravelBudgetAllocated],
        PeriodReceipt,
        "支援旅費の予算配分 — the period's travel budget as it now stands.",
    )
    reconcile = command_update(
        "reconcile",
        RepairCommand,
        PeriodReceipt,
        "記録の修復 — take over what the log holds beyond this workflow's head, then record the repair.",
    )

    def _matching_placeholder(self, request: MatchingRunRequest) -> MatchingProposed:
        """A stand-in used only to ask the rules whether a run may start now."""
        empty = Proposal(status="pending", objective=0, best_bound=0, gap=0, teams=[], wall_seconds=0)
        return MatchingProposed(run=self._state.runs + 1, weights=request.weights, proposal=empty)

    @workflow.update
    async def run_matching(self, cmd: Command[MatchingRunRequest]) -> PeriodReceipt:
        """Run the optimiser with the current locks and exclusions and record its proposal."""

        async def body() -> PeriodReceipt:
            self._check_rules(self._matching_placeholder(cmd.payload))
            s = self._state
            proposal = await workflow.execute_activity_method(
                PeriodActivities.run_matching,
                RunMatchingInput(
                    period=s.period,
                    volunteers=list(s.volunteers.values()),
                    applications=list(s.applications.values()),
                    min_team_size=s.min_team_size,
                    max_team_size=s.max_team_size,
                    weights=cmd.payload.weights,
                    locked=s.locked,
                    excluded=s.excluded,
                    max_deterministic_time=cmd.payload.max_deterministic_time,
                    teams=s.teams,
                ),
                start_to_close_timeout=MATCHING_TIMEOUT,
                retry_policy=RETRY,
            )
            event = MatchingProposed(
                run=s.runs + 1, weights=cmd.payload.weights, locked=s.locked, excluded=s.excluded, proposal=proposal
            )
            return await self._append(cmd.meta, event)

        return await self._writer.command(body)

    @run_matching.validator
    def _validate_run_matching(self, cmd: Command[MatchingRunRequest]) -> None:
        self.check_command(self._matching_placeholder(cmd.payload))

    def _approval(self, request: ApprovalRequest) -> ProposalApproved:
        s = self._state
        teams = [
            ApprovedTeam(municipality_code=code, officials=[s.volunteers[m].official for m in members])
            for code, members in sorted(s.teams.items())
        ]
        if not teams:
            raise rejected(PeriodViolation("no_teams", Msg(N_("There are no teams to approve"))))
        return ProposalApproved(approved_on=request.approved_on, teams=teams)

    @workflow.update
    async def approve(self, cmd: Command[ApprovalRequest]) -> PeriodReceipt:
        """マッチング決定: record the approved teams, then start each engagement with its team."""

        async def body() -> PeriodReceipt:
            approval = self._approval(cmd.payload)
            await self._append(cmd.meta, approval)
            started = await self._start_engagements(cmd.meta, approval)
            return await self._append(cmd.meta, EngagementsStarted(engagements=started))

        return await self._writer.command(body)

    @approve.validator
    def _validate_approve(self, cmd: Command[ApprovalRequest]) -> None:
        self.check_command(self._approval(cmd.payload))

    async def _start_engagements(self, meta: CommandMeta, approval: ProposalApproved) -> list[StartedEngagement]:
        started: list[StartedEngagement] = []
        teams = list(approval.teams)
        for i in range(0, len(teams), PARALLEL_STARTS):
            batch = teams[i : i + PARALLEL_STARTS]
            started += await asyncio.gather(
                *(
                    workflow.execute_activity_method(
                        PeriodActivities.start_engagement,
                        StartEngagementInput(
                            application=self._state.applications[t.municipality_code],
                            team=TeamAssigned(officials=t.officials, assigned_on=approval.approved_on),
                            meta=meta,
                        ),
                        start_to_close_timeout=START_TIMEOUT,
                        retry_policy=RETRY,
                    )
                    for t in batch
                )
            )
        return started

    @workflow.update
    async def summarise(self, cmd: Command[SummaryRequest]) -> PeriodReceipt:
        """期の集計: compute the period's figures from the graph and record them."""

        return await self._writer.command(lambda: self._summary(cmd.meta, cmd.payload.as_of))

    async def _summary(self, meta: CommandMeta, as_of: date) -> PeriodReceipt:
        figures = await workflow.execute_activity_method(
            PeriodActivities.period_figures,
            self._state.period,
            start_to_close_timeout=READ_TIMEOUT,
            retry_policy=RETRY,
        )
        return await self._append(meta, PeriodSummarised(as_of=as_of, figures=figures))

    @summarise.validator
    def _validate_summarise(self, cmd: Command[SummaryRequest]) -> None:
        if self._writer.answered():
            return
        if self._state.call is None:
            raise rejected(PeriodViolation("wrong_phase", Msg(N_("The period has not opened"))))
