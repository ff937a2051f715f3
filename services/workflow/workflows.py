"""EngagementWorkflow: the single writer of one engagement's events. Deterministic, no I/O."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from schemas.commands import (
        ActivityCommand,
        ApplyCommand,
        AssignTeamCommand,
        CloseCommand,
        CommandMeta,
        EngagementStart,
        KickoffCommand,
        OutcomeCommand,
        WithdrawCommand,
    )
    from schemas.envelope import GENESIS_HASH, EventEnvelope, format_time
    from schemas.events import Payload
    from schemas.views import EngagementState, EventReceipt
    from services.workflow import search_attributes as sa
    from services.workflow.activities import EngagementActivities, RecordEventInput
    from services.workflow.lifecycle import LifecycleViolation, check
    from services.workflow.lifecycle import apply as fold

RECORD_TIMEOUT = timedelta(seconds=30)
RECORD_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))


def _rejection(err: LifecycleViolation) -> ApplicationError:
    return ApplicationError(
        str(err),
        {"code": err.code, "ja": err.message_ja, "en": err.message_en},
        type="LifecycleViolation",
        non_retryable=True,
    )


@workflow.defn
class EngagementWorkflow:
    """伴走支援 — one municipality's engagement in one period, from application to close."""

    @workflow.init
    def __init__(self, start: EngagementStart) -> None:
        self._state = EngagementState(engagement_id=start.engagement_id)
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, start: EngagementStart) -> EngagementState:
        """Live until the engagement is closed or withdrawn and every update has been answered."""
        await workflow.wait_condition(lambda: self._state.stage.terminal and workflow.all_handlers_finished())
        return self._state

    @workflow.query
    def state(self) -> EngagementState:
        """The current state: stage, team, themes, activity counts and the chain head."""
        return self._state

    def _validate(self, payload: Payload) -> None:
        try:
            check(self._state, payload)
        except LifecycleViolation as err:
            raise _rejection(err) from err

    async def _record(self, meta: CommandMeta, payload: Payload) -> EventReceipt:
        # Updates run concurrently; the lock makes sequence numbers and the chain strictly serial.
        async with self._lock:
            self._validate(payload)
            sequence = self._state.last_sequence + 1
            event = EventEnvelope(
                id=str(workflow.uuid4()),
                type=type(payload).__name__,
                subject=self._state.engagement_id,
                sequence=sequence,
                time=format_time(workflow.now()),
                actor=meta.actor,
                trace_id=meta.trace_id,
                schema_version=payload.schema_version,
                data=payload.model_dump(mode="json"),
                prev_hash=self._state.head_hash or GENESIS_HASH,
            ).sealed()
            await workflow.execute_activity_method(
                EngagementActivities.record_event,
                RecordEventInput(event=event),
                start_to_close_timeout=RECORD_TIMEOUT,
                retry_policy=RECORD_RETRY,
            )
            previous_stage = self._state.stage
            self._state = fold(self._state, payload, sequence, event.hash)
            if self._state.stage is not previous_stage:
                workflow.upsert_search_attributes([sa.STAGE.value_set(self._state.stage.value)])
            return EventReceipt(
                engagement_id=self._state.engagement_id,
                event_id=event.id,
                event_type=event.type,
                sequence=sequence,
                hash=event.hash,
                stage=self._state.stage,
            )

    @workflow.update
    async def apply(self, cmd: ApplyCommand) -> EventReceipt:
        """応募 — the first event; sent with Update-with-Start."""
        return await self._record(cmd.meta, cmd.payload)

    @apply.validator
    def _validate_apply(self, cmd: ApplyCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def assign_team(self, cmd: AssignTeamCommand) -> EventReceipt:
        """マッチング — record the team of 2–3 officials from distinct ministries."""
        return await self._record(cmd.meta, cmd.payload)

    @assign_team.validator
    def _validate_assign_team(self, cmd: AssignTeamCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def hold_kickoff(self, cmd: KickoffCommand) -> EventReceipt:
        """キックオフ — the support themes are agreed."""
        return await self._record(cmd.meta, cmd.payload)

    @hold_kickoff.validator
    def _validate_hold_kickoff(self, cmd: KickoffCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def record_activity(self, cmd: ActivityCommand) -> EventReceipt:
        """An online meeting, site visit or company visit."""
        return await self._record(cmd.meta, cmd.payload)

    @record_activity.validator
    def _validate_record_activity(self, cmd: ActivityCommand) -> None:
        self._validate(cmd.payload)

    @workflow.update
    async def record_outcome(self, cmd: OutcomeCommand) -> EventReceipt:
        """成果 — an outcome achieved, in progress or planned."""
        return await self._record(cmd.meta, cmd.payload)

    @record_outcome.validator
    def _validate_record_outcome(self, cmd: OutcomeCommand) -> None:
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
