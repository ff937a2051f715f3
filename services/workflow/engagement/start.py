"""How an engagement workflow is started: one place for its id, timing rules and search attributes."""

from __future__ import annotations

from temporalio.client import WithStartWorkflowOperation
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)

from schemas.commands import EngagementStart, engagement_id_for
from schemas.events import MunicipalityApplied
from schemas.views import EngagementState
from services.settings import Settings
from services.workflow.engagement import search_attributes as sa
from services.workflow.engagement.workflow import EngagementWorkflow


def start_operation(
    payload: MunicipalityApplied, settings: Settings
) -> WithStartWorkflowOperation[EngagementWorkflow, EngagementState]:
    """Start (or reuse, if running) the engagement of `payload`'s municipality and period."""
    engagement_id = engagement_id_for(payload.period, payload.municipality_code)
    return WithStartWorkflowOperation(
        EngagementWorkflow.run,
        EngagementStart(
            engagement_id=engagement_id,
            period=payload.period,
            municipality_code=payload.municipality_code,
            prefecture=payload.prefecture,
            stall_after_s=settings.stall_after_days * 86400,
            report_reminder_s=settings.report_reminder_days * 86400,
            max_history_events=settings.max_history_events,
        ),
        id=engagement_id,
        task_queue=settings.temporal_task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        search_attributes=TypedSearchAttributes(
            [
                SearchAttributePair(sa.STAGE, "new"),
                SearchAttributePair(sa.PERIOD, payload.period),
                SearchAttributePair(sa.PREFECTURE, payload.prefecture),
                SearchAttributePair(sa.MUNICIPALITY_CODE, payload.municipality_code),
                SearchAttributePair(sa.STALLED, False),
            ]
        ),
    )
