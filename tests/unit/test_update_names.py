"""Each workflow's updates are named after their attributes and checked by a validator.

Update names are what callers and the committed replay histories use; `command_update` takes the name
explicitly, so this holds an attribute and its update name together.
"""

from __future__ import annotations

import inspect

import pytest
from temporalio.workflow import UpdateMethodMultiParam

from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.period.workflow import PeriodWorkflow
from services.workflow.reference.workflow import ReferenceStreamWorkflow

WORKFLOWS = [EngagementWorkflow, PeriodWorkflow, ReferenceStreamWorkflow]


def _updates(cls: type) -> dict[str, UpdateMethodMultiParam[..., object]]:
    return {name: m for name, m in inspect.getmembers(cls) if isinstance(m, UpdateMethodMultiParam)}


@pytest.mark.parametrize("cls", WORKFLOWS, ids=lambda c: c.__name__)
def test_every_update_is_named_after_its_attribute(cls: type) -> None:
    updates = _updates(cls)
    assert updates, f"{cls.__name__} declares no updates"
    for attribute, update in updates.items():
        assert update._defn.name == attribute


@pytest.mark.parametrize("cls", WORKFLOWS, ids=lambda c: c.__name__)
def test_every_update_has_a_validator(cls: type) -> None:
    missing = {name for name, u in _updates(cls).items() if u._defn.validator is None}
    assert not missing


def test_the_engagement_commands_are_the_ones_callers_and_histories_use() -> None:
    assert set(_updates(EngagementWorkflow)) == {
        "apply", "withdraw_application", "assign_team", "join_member", "leave_member", "hold_kickoff",
        "change_themes", "record_activity", "record_support_flow", "record_coordination", "record_introduction",
        "record_funding_application", "record_outcome", "submit_report", "answer_survey",
        "record_policy_feedback", "close", "withdraw", "reconcile", "correct", "retract", "plan_travel",
        "settle_travel",
    }  # fmt: skip
    assert set(_updates(PeriodWorkflow)) == {
        "open_call", "volunteer", "receive_application", "close_intake", "run_matching", "edit_proposal",
        "approve", "summarise", "reconcile", "issue_appointment", "change_appointment", "end_appointment",
        "allocate_travel_budget",
    }  # fmt: skip
    assert set(_updates(ReferenceStreamWorkflow)) == {"record", "reconcile"}
