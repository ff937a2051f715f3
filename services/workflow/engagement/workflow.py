"""EngagementWorkflow: the single writer of one engagement's events. Deterministic, no I/O."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
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
        CorrectCommand,
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
        RetractCommand,
        SupportFlowCommand,
        SurveyCommand,
        ThemesCommand,
        TravelPlanCommand,
        TravelSettleCommand,
        WithdrawApplicationCommand,
        WithdrawCommand,
    )
    from schemas.envelope import EventEnvelope, parse_time
    from schemas.events import EngagementResumed, EngagementStalled, FinalReportDue, Payload
    from schemas.views import EngagementState, EventReceipt, StreamHead, receipt_fields
    from services.workflow.engagement import search_attributes as sa
    from services.workflow.engagement.fold import apply as fold
    from services.workflow.engagement.lifecycle import AFTER_KICKOFF, LifecycleViolation, check, is_contact
    from services.workflow.rejection import rejected
    from services.workflow.stream import history_is_long
    from services.workflow.updates import command_update
    from services.workflow.writer import StreamWriter

# Workflows started before this patch ran without timers or continue-as-new; replay keeps them so.
TIMERS_PATCH = "stall-timer-and-continue-as-new"
SYSTEM_ACTOR = "system:banso-workflow"
# Workflows started before this patch restart their deadline timer on every event (a TIMER_CANCELED and a
# TIMER_STARTED per contact); from it on, one timer is kept until it fires.
KEPT_TIMER_PATCH = "deadline-timer-kept"


@workflow.defn
class EngagementWorkflow:
    """伴走支援 — one municipality's engagement in one period, from application to close."""

    @workflow.init
    def __init__(self, start: EngagementStart) -> None:
        carried = start.carried
        self._start = start
        self._state = carried.state if carried else EngagementState(engagement_id=start.engagement_id)
        self._writer = StreamWriter[EventReceipt](self._head, self._fold, carried.receipts if carried else {})
        self._changes = 0
        # The kept deadline timer (KEPT_TIMER_PATCH) and when it fires.
        self._timer: asyncio.Task[None] | None = None
        self._timer_at = datetime.min.replace(tzinfo=UTC)

    @workflow.run
    async def run(self, start: EngagementStart) -> EngagementState:
        """Live until closed or withdrawn: raise stall and report alerts, continue-as-new when long."""
        if not workflow.patched(TIMERS_PATCH):
            await workflow.wait_condition(lambda: self._state.stage.terminal and workflow.all_handlers_finished())
            return self._state
        kept = workflow.patched(KEPT_TIMER_PATCH)
        while not self._state.stage.terminal:
            if self._history_is_long():
                await self._writer.until_idle()
                carried = CarriedState(state=self._state, receipts=self._writer.carried())
                workflow.continue_as_new(start.model_copy(update={"carried": carried}))
            if kept:
                await self._until_woken_or_due()
                continue
            timeout = self._seconds_to_next_deadline()
            if timeout is not None and timeout <= 0:
                await self._raise_due_alerts()
                continue
            try:
                await workflow.wait_condition(self._woken_by(self._changes), timeout=timeout)
            except TimeoutError:
                await self._raise_due_alerts()
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
        # Closed or withdrawn, it lives on until every planned trip is settled (a cancelled trip is settled at
        # ¥0); histories without travel end here as before.
        await workflow.wait_condition(lambda: workflow.all_handlers_finished() and not self._unsettled_travel())
        return self._state

    def _unsettled_travel(self) -> bool:
        return any(line.settlement_event_id is None for line in self._state.travel.values())

    async def _until_woken_or_due(self) -> None:
        """Raise what is due, or wait for a new event or the next deadline, on one kept timer.

        A contact moves the stall deadline later: the timer already running is kept (it fires early, and a
        new one covers the rest), so an event costs no timer commands. Only a deadline earlier than the
        running timer (a report reminder set meanwhile) replaces it.
        """
        deadline = self._next_deadline()
        now = workflow.now()
        if deadline is not None and deadline <= now:
            await self._raise_due_alerts()
            return
        timer = self._timer
        if deadline is not None and (timer is None or timer.done() or self._timer_at > deadline):
            if timer is not None and not timer.done():
                timer.cancel()
            self._timer = timer = asyncio.create_task(asyncio.sleep((deadline - now).total_seconds()))
            self._timer_at = deadline
        woken = self._woken_by(self._changes)
        running = timer if timer is not None and not timer.done() else None
        await workflow.wait_condition(lambda: woken() or (running is not None and running.done()))

    @workflow.query
    def state(self) -> EngagementState:
        """The current state: stage, team, themes, activity counts, alerts and the chain head."""
        return self._state

    @workflow.query
    def stream_head(self) -> StreamHead:
        """The last sequence and hash this workflow carries on from (what `banso repair` compares)."""
        return self._head()

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

    def _next_deadline(self) -> datetime | None:
        deadlines = self._deadlines()
        return min(deadlines.values()) if deadlines else None

    def _seconds_to_next_deadline(self) -> float | None:
        deadline = self._next_deadline()
        return None if deadline is None else (deadline - workflow.now()).total_seconds()

    async def _raise_due_alerts(self) -> None:
        async with self._writer.lock:
            now = workflow.now()
            due = {kind for kind, at in self._deadlines().items() if at <= now}
            meta = CommandMeta(actor=SYSTEM_ACTOR)
            # A position taken by a lost task's event (None) changes the state: the run loop looks again.
            if "stall" in due and self._state.last_contact_at:
                last = parse_time(self._state.last_contact_at)
                silent = (now - last).total_seconds() / 86400
                stalled = EngagementStalled(last_contact_recorded_at=self._state.last_contact_at, silent_days=silent)
                if await self._writer.append_raised(meta, stalled) is None:
                    return
            if "report" in due and self._state.final_report_due:
                await self._writer.append_raised(meta, FinalReportDue(due_on=self._state.final_report_due))

    def check_command(self, payload: Payload) -> None:
        """The validators' check: the lifecycle's rules (a retried command is answered, not checked again)."""
        if not self._writer.answered():
            self._check(payload)

    def _check(self, payload: Payload) -> None:
        try:
            check(self._state, payload)
        except LifecycleViolation as err:
            raise rejected(err) from err

    async def write_command(self, meta: CommandMeta, payload: Payload) -> EventReceipt:
        """Check and write one command's event, after an EngagementResumed when a contact ends a stall."""

        async def prepare(payload: Payload) -> None:
            while True:  # again after another command's event took the resumption's position
                self._check(payload)
                if not (is_contact(payload) and self._state.stalled):
                    return
                await self._writer.append_raised(meta, EngagementResumed(resumed_by=type(payload).__name__))

        return await self._writer.command(lambda: self._writer.append(meta, payload, prepare))

    def _head(self) -> StreamHead:
        s = self._state
        return StreamHead(subject=s.engagement_id, sequence=s.last_sequence, hash=s.head_hash)

    def _fold(self, payload: Payload, event: EventEnvelope) -> EventReceipt:
        previous = self._state
        self._state = fold(self._state, payload, event.sequence, event.hash, event.time, event.id)
        self._changes += 1
        self._upsert_search_attributes(previous)
        return EventReceipt(engagement_id=self._state.engagement_id, stage=self._state.stage, **receipt_fields(event))

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

    apply = command_update("apply", ApplyCommand, EventReceipt, "応募 — the first event; sent with Update-with-Start.")
    withdraw_application = command_update(
        "withdraw_application", WithdrawApplicationCommand, EventReceipt, "応募取下げ — before a team is formed."
    )
    assign_team = command_update(
        "assign_team",
        AssignTeamCommand,
        EventReceipt,
        "マッチング — the team of 2–3 officials from distinct ministries.",
    )
    join_member = command_update("join_member", MemberJoinCommand, EventReceipt, "支援官の追加.")
    leave_member = command_update(
        "leave_member", MemberLeaveCommand, EventReceipt, "支援官の離脱 (人事異動, 本務多忙, …)."
    )
    hold_kickoff = command_update(
        "hold_kickoff", KickoffCommand, EventReceipt, "キックオフ — the support themes are agreed."
    )
    change_themes = command_update("change_themes", ThemesCommand, EventReceipt, "支援テーマの変更.")
    record_activity = command_update(
        "record_activity", ActivityCommand, EventReceipt, "An online meeting, site visit or company visit."
    )
    record_support_flow = command_update(
        "record_support_flow", SupportFlowCommand, EventReceipt, "支援の流れ — how the team supports one area."
    )
    record_coordination = command_update("record_coordination", CoordinationCommand, EventReceipt, "関係機関との連携.")
    record_introduction = command_update("record_introduction", IntroductionCommand, EventReceipt, "情報提供・紹介.")
    record_funding_application = command_update(
        "record_funding_application", FundingCommand, EventReceipt, "交付金等の申請支援."
    )
    record_outcome = command_update(
        "record_outcome", OutcomeCommand, EventReceipt, "成果 — an outcome achieved, in progress or planned."
    )
    submit_report = command_update("submit_report", ReportCommand, EventReceipt, "中間報告 / 最終報告.")
    answer_survey = command_update("answer_survey", SurveyCommand, EventReceipt, "支援官の声.")
    record_policy_feedback = command_update(
        "record_policy_feedback", FeedbackCommand, EventReceipt, "国の業務へのフィードバック."
    )
    close = command_update("close", CloseCommand, EventReceipt, "終了 — the engagement ends normally.")
    withdraw = command_update(
        "withdraw", WithdrawCommand, EventReceipt, "取下げ — the engagement is withdrawn from any open stage."
    )
    correct = command_update(
        "correct", CorrectCommand, EventReceipt, "訂正 — an activity, outcome or survey answer reads as corrected."
    )
    retract = command_update(
        "retract", RetractCommand, EventReceipt, "取消 — an activity, outcome or survey answer is withdrawn."
    )
    plan_travel = command_update(
        "plan_travel", TravelPlanCommand, EventReceipt, "支援旅費の見込み — one participant's travel for a visit."
    )
    settle_travel = command_update(
        "settle_travel", TravelSettleCommand, EventReceipt, "支援旅費の精算 — the actual amounts of a planned trip."
    )
    reconcile = command_update(
        "reconcile",
        RepairCommand,
        EventReceipt,
        "記録の修復 — take over what the log holds beyond this workflow's head, then record the repair.",
    )
