"""Committed histories of real paths replay on the current workflow code: any non-determinism fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from services.workflow.workflows import EngagementWorkflow

HISTORIES = {
    p.stem: p.read_text(encoding="utf-8") for p in sorted(Path(__file__).with_name("histories").glob("*.json"))
}


def test_there_are_histories_to_replay() -> None:
    assert len(HISTORIES) >= 2


@pytest.mark.parametrize("name", sorted(HISTORIES))
async def test_history_replays_on_current_code(name: str) -> None:
    history = WorkflowHistory.from_json(name, HISTORIES[name])
    replayer = Replayer(workflows=[EngagementWorkflow], data_converter=pydantic_data_converter)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None
