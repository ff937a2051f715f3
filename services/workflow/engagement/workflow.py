"""EngagementWorkflow: the single writer of one engagement's events. Deterministic, no I/O."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from schemas.calendar import JST
    from schemas.commands import (
        ActivityCommand,
        ApplyCommand,
        AssignTeamCommand,
        CarriedState,
        CloseCommand,
        CommandMeta,
        CoordinationCommand,
        EngagementStart,
        FeedbackCommand,
        FundingCommand,
        IntroductionCommand,
        KickoffCommand,
        MemberJoinCommand,
        MemberLeaveCommand,
        OutcomeCommand,
        RepairCommand,
        ReportCommand,
        SupportFlowCommand,
        SurveyCommand,
        ThemesCommand,
        WithdrawApplicationCommand,
        WithdrawCommand,
    )
    from schemas.envelope import EventEnvelope, parse_time
    from schemas.events import EngagementResumed, EngagementStalled, FinalReportDue, Payload, parse_payload
    from schemas.views import EngagementState, EventReceipt, StreamHead
    from services.workflow.answers import Answers
    from services.workflow.engagement import search_attributes as sa
    from services.workflow.engagement.fold import apply as fold
    from services.workflow.engagement.lifecycle import AFTER_KICKOFF, LifecycleViolation, check, is_contact
    from services.workflow.rejection import rejected
    from services.workflow.stream import append_event, current_command_id, history_is_long

# Workflows started before this patch ran without timers or continue-as-new; replay keeps them so.
TIMERS_PATCH = "stall-timer-and-continue-as-new"
RECEIPTS_KEPT = 2_000
SYSTEM_ACTOR = "system:banso-workflow"


@workflow.defn
class EngagementWorkflow:
    """伴走支援 — one municipality's engagement in one period, from application to close."""

    @workflow.init
    def __init__(self, start: EngagementStart) -> None:
        carried = start.carried
        self._start = start
        self._state = carried.state if carried else EngagementState(engagement_id=start.engagement_id)
        self._answers = Answers[EventReceipt](carried.receipts if carried else {}, RECEIPTS_KEPT)
        self._lock = asyncio.Lock()
        self._changes = 0

    @workflow.run
    async def run(self, start: EngagementStart) -> EngagementState:
        """Live until closed or withdrawn: raise stall and report alerts, continue-as-new when long."""
        if not workflow.patched(TIMERS_PATCH):
            await workflow.wait_condition(lambda: self._state.stage.terminal and workflow.all_handlers_finished())
            return self._state
        while not self._state.stage.terminal:
            if self._history_is_long():
                await workflow.wait_condition(lambda: workflow.all_handlers_finished() and not self._lock.locked())
                carried = CarriedState(state=self._state, receipts=self._answers.carried())
                workflow.continue_as_new(start.model_copy(update={"carried": carried}))
            timeout = self._seconds_to_next_deadline()
            if timeout is not None and timeout <= 0:
                await self._raise_due_alerts()
                continue
            try:
                await workflow.wait_condition(self._woken_by(self._changes), timeout=timeout)
            except TimeoutError:
                await self._raise_due_alerts()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    @workflow.query
    def state(self) -> EngagementState:
        """The current state: stage, team, themes, activity counts, alerts and the chain head."""
        return self._state

    @workflow.query
    def stream_head(self) -> StreamHead:
        """The last sequence and hash this workflow carries on from (what `banso repair` compares)."""
        return StreamHead(
            subject=self._state.engagement_id, sequence=self._state.last_sequence, hash=self._state.head_hash
        )

    def _woken_by(self, seen: int) -> Callable[[], bool]:
        """A wait condition: a new event, the end, or a history long enough to continue-as-new."""
        return lambda: self._changes != seen or self._state.stage.terminal or self._history_is_long()

    def _history_is_long(self) -> bool:
        return history_is_long(self._start.max_history_events)

    def _deadlines(self) -> dict[str, datetime]:
        s, deadlines = self._state, {}
        if s.stage in AFTER_KICKOFF and not s.stalled and s.last_contact_at:
            last = parse_time(s.last_contact_at)
            deadlines["stall"] = last + timedelta(seconds=self._start.stall_after_s)
        if s.final_report_due and not s.final_report_reminded and "final" not in s.reports:
            due = datetime.combine(s.final_report_due, time(0, 0), JST)
            deadlines["report"] = due - timedelta(seconds=self._start.report_reminder_s)
        return deadlines

    def _seconds_to_next_deadline(self) -> float | None:
        deadlines = self._deadlines()
        if not deadlines:
            return None
        return (min(deadlines.values()) - workflow.now()).total_seconds()

    async def _raise_due_alerts(self) -> None:
        async with self._lock:
            now = workflow.now()
            due = {kind for kind, at in self._deadlines().items() if at <= now}
            meta = CommandMeta(actor=SYSTEM_ACTOR)
            # A position taken by a lost task's event (None) changes the state: the run loop looks again.
            if "stall" in due and self._state.last_contact_at:
                last = parse_time(self._state.last_contact_at)
                silent = (now - last).total_seconds() / 86400
                stalled = EngagementStalled(last_contact_recorded_at=self._state.last_contact_at, silent_days=silent)
                if await self._append(meta, stalled) is None:
                    return
            if "report" in due and self._state.final_report_due:
                await self._append(meta, FinalReportDue(due_on=self._state.final_report_due))

    def _validate(self, payload: Payload) -> None:
        if self._answers.answer(current_command_id()) is not None:
            return  # a retried command: answered again, not checked again
        try:
            check(self._state, payload)
        except LifecycleViolation as err:
            raise rejected(err) from err

    async def _append(self, meta: CommandMeta, payload: Payload, command_id: str | None = None) -> EventReceipt | None:
        """Build, store and fold one event; the caller holds the lock and has checked the rules.

        None when the position was taken by another command's event (a lost workflow task wrote it): that
        event is folded in instead, and the caller checks its command again against the new state.
        """
        sequence = self._state.last_sequence + 1
        written = await append_event(
            self._state.engagement_id, sequence, self._state.head_hash, meta, payload, command_id
        )
        if not written.ours:
            self._adopt(written.event)
            return None
        return self._fold(payload, written.event)

    def _fold(self, payload: Payload, event: EventEnvelope) -> EventReceipt:
        previous = self._state
        self._state = fold(self._state, payload, event.sequence, event.hash, event.time)
        self._changes += 1
        self._upsert_search_attributes(previous)
        return EventReceipt(
            engagement_id=self._state.engagement_id,
            event_id=event.id,
            event_type=event.type,
            sequence=event.sequence,
            hash=event.hash,
            stage=self._state.stage,
        )

    def _adopt(self, event: EventEnvelope) -> None:
        """Fold an event this run did not write itself, and answer its command from it if it comes again."""
        receipt = self._fold(parse_payload(event.type, event.data), event)
        if event.command_id is not None:
            self._answers.remember(event.command_id, receipt)

    def _upsert_search_attributes(self, previous: EngagementState) -> None:
        s = self._state
        updates: list[SearchAttributeUpdate[Any]] = []
        if s.stage is not previous.stage:
            updates.append(sa.STAGE.value_set(s.stage.value))
        if workflow.patched(TIMERS_PATCH):
            if s.themes != previous.themes:
                updates.append(sa.THEMES.value_set(list(s.themes)))
            if s.stalled != previous.stalled:
                updates.append(sa.STALLED.value_set(s.stalled))
            if s.last_contact_at != previous.last_contact_at and s.last_contact_at:
                last = parse_time(s.last_contact_at)
                updates.append(sa.LAST_CONTACT.value_set(last))
        if updates:
            workflow.upsert_search_attributes(updates)

    async def _record(self, meta: CommandMeta, payload: Payload) -> EventReceipt:
        # Updates interleave at awaits; the lock keeps sequence numbers and the chain strictly serial.
        async with self._lock:
            command_id = current_command_id()
            while True:  # again after adopting a lost task's event, against the state it leads to
                answered = self._answers.answer(command_id)
                if answered is not None:
                    return answered
                self._validate(payload)
                if is_contact(payload) and self._state.stalled:
                    resumed = EngagementResumed(resumed_by=type(payload).__name__)
                    if await self._append(meta, resumed) is None:
                        continue
                receipt = await self._append(meta, payload, command_id)
                if receipt is not None:
                    break
            if command_id is not None:
                self._answers.remember(command_id, receipt)
            return receipt

    @workflow.update
    async def apply(self, cmd: ApplyCommand) -> EventReceipt:
        """応募 — the first event; sent with Update-with-Start."""
        return await self._record(cmd.meta, cmd.payload)

    @apply.validator
    def _validate_apply(self, cmd: ApplyCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def withdraw_application(self, cmd: WithdrawApplicationCommand) -> EventReceipt:
        """応募取下げ — before a team is formed."""
        return await self._record(cmd.meta, cmd.payload)

    @withdraw_application.validator
    def _validate_withdraw_application(self, cmd: WithdrawApplicationCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def assign_team(self, cmd: AssignTeamCommand) -> EventReceipt:
        """マッチング — record the team of 2–3 officials from distinct ministries."""
        return await self._record(cmd.meta, cmd.payload)

    @assign_team.validator
    def _validate_assign_team(self, cmd: AssignTeamCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def join_member(self, cmd: MemberJoinCommand) -> EventReceipt:
        """支援官の追加."""
        return await self._record(cmd.meta, cmd.payload)

    @join_member.validator
    def _validate_join_member(self, cmd: MemberJoinCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def leave_member(self, cmd: MemberLeaveCommand) -> EventReceipt:
        """支援官の離脱 (人事異動, 本務多忙, …)."""
        return await self._record(cmd.meta, cmd.payload)

    @leave_member.validator
    def _validate_leave_member(self, cmd: MemberLeaveCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def hold_kickoff(self, cmd: KickoffCommand) -> EventReceipt:
        """キックオフ — the support themes are agreed."""
        return await self._record(cmd.meta, cmd.payload)

    @hold_kickoff.validator
    def _validate_hold_kickoff(self, cmd: KickoffCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def change_themes(self, cmd: ThemesCommand) -> EventReceipt:
        """支援テーマの変更."""
        return await self._record(cmd.meta, cmd.payload)

    @change_themes.validator
    def _validate_change_themes(self, cmd: ThemesCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def record_activity(self, cmd: ActivityCommand) -> EventReceipt:
        """An online meeting, site visit or company visit."""
        return await self._record(cmd.meta, cmd.payload)

    @record_activity.validator
    def _validate_record_activity(self, cmd: ActivityCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def record_support_flow(self, cmd: SupportFlowCommand) -> EventReceipt:
        """支援の流れ — how the team supports one area."""
        return await self._record(cmd.meta, cmd.payload)

    @record_support_flow.validator
    def _validate_record_support_flow(self, cmd: SupportFlowCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def record_coordination(self, cmd: CoordinationCommand) -> EventReceipt:
        """関係機関との連携."""
        return await self._record(cmd.meta, cmd.payload)

    @record_coordination.validator
    def _validate_record_coordination(self, cmd: CoordinationCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def record_introduction(self, cmd: IntroductionCommand) -> EventReceipt:
        """情報提供・紹介."""
        return await self._record(cmd.meta, cmd.payload)

    @record_introduction.validator
    def _validate_record_introduction(self, cmd: IntroductionCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def record_funding_application(self, cmd: FundingCommand) -> EventReceipt:
        """交付金等の申請支援."""
        return await self._record(cmd.meta, cmd.payload)

    @record_funding_application.validator
    def _validate_record_funding_application(self, cmd: FundingCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def record_outcome(self, cmd: OutcomeCommand) -> EventReceipt:
        """成果 — an outcome achieved, in progress or planned."""
        return await self._record(cmd.meta, cmd.payload)

    @record_outcome.validator
    def _validate_record_outcome(self, cmd: OutcomeCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def submit_report(self, cmd: ReportCommand) -> EventReceipt:
        """中間報告 / 最終報告."""
        return await self._record(cmd.meta, cmd.payload)

    @submit_report.validator
    def _validate_submit_report(self, cmd: ReportCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def answer_survey(self, cmd: SurveyCommand) -> EventReceipt:
        """支援官の声."""
        return await self._record(cmd.meta, cmd.payload)

    @answer_survey.validator
    def _validate_answer_survey(self, cmd: SurveyCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def record_policy_feedback(self, cmd: FeedbackCommand) -> EventReceipt:
        """国の業務へのフィードバック."""
        return await self._record(cmd.meta, cmd.payload)

    @record_policy_feedback.validator
    def _validate_record_policy_feedback(self, cmd: FeedbackCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def close(self, cmd: CloseCommand) -> EventReceipt:
        """終了 — the engagement ends normally."""
        return await self._record(cmd.meta, cmd.payload)

    @close.validator
    def _validate_close(self, cmd: CloseCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def withdraw(self, cmd: WithdrawCommand) -> EventReceipt:
        """取下げ — the engagement is withdrawn from any open stage."""
        return await self._record(cmd.meta, cmd.payload)

    @withdraw.validator
    def _validate_withdraw(self, cmd: WithdrawCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def reconcile(self, cmd: RepairCommand) -> EventReceipt:
        """記録の修復 — take over what the log holds beyond this workflow's head, then record the repair."""
        return await self._record(cmd.meta, cmd.payload)

    @reconcile.validator
    def _validate_reconcile(self, cmd: RepairCommand) -> None:
        self._validate(cmd.payload)
