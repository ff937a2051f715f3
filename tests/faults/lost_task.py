"""A worker interceptor that loses a workflow task right after its event was committed.

The workflow's `record_event` local activity stores the event in Neo4j; then this interceptor raises
inside the workflow, so the worker reports the workflow task as failed and Temporal runs it again from
the last completed task — without the local activity's result. That is the lost task of the wedge bug:
the retried task seals the same event again (another `workflow.now()`), while the first one is stored.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from temporalio.worker import (
    Interceptor,
    StartLocalActivityInput,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
    WorkflowOutboundInterceptor,
)
from temporalio.workflow import ActivityHandle


class LostWorkflowTask(RuntimeError):
    """Raised in the workflow after a commit: fails the workflow task (Temporal retries it)."""


@dataclass
class LossPlan:
    """How many tasks to lose, at most once per event id; what was lost is counted."""

    budget: int = 0
    lost: set[str] = field(default_factory=set)

    def take(self, event_id: str) -> bool:
        if len(self.lost) >= self.budget or event_id in self.lost:
            return False
        self.lost.add(event_id)
        return True


# Shared with the workflow sandbox through this module's globals (the interceptor classes are not re-imported).
PLAN = LossPlan()


class _Outbound(WorkflowOutboundInterceptor):
    def start_local_activity(self, input: StartLocalActivityInput) -> ActivityHandle[Any]:
        handle = super().start_local_activity(input)
        if input.activity != "record_event":
            return handle
        event_id = input.args[0].event.id

        async def lose_after_commit() -> Any:
            result = await handle
            if PLAN.take(event_id):
                raise LostWorkflowTask(f"workflow task lost after {event_id} was committed")
            return result

        return asyncio.ensure_future(lose_after_commit())  # type: ignore[return-value]


class _Inbound(WorkflowInboundInterceptor):
    def init(self, outbound: WorkflowOutboundInterceptor) -> None:
        super().init(_Outbound(outbound))


class LoseTaskAfterCommit(Interceptor):
    """Worker interceptor: loses up to `PLAN.budget` workflow tasks, each right after a commit."""

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        return _Inbound
