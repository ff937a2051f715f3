"""Committed histories of real paths replay on the current workflow code: any non-determinism fails."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from schemas.envelope import EventEnvelope, compute_hash
from schemas.events import parse_payload
from services.workflow.codec import PayloadKeyring, banso_data_converter
from services.workflow.engagement.workflow import KEPT_TIMER_PATCH, EngagementWorkflow
from services.workflow.period.workflow import PeriodWorkflow

HISTORIES = {
    p.stem: p.read_text(encoding="utf-8") for p in sorted(Path(__file__).with_name("histories").glob("*.json"))
}


def test_there_are_histories_to_replay() -> None:
    assert len(HISTORIES) >= 2


@pytest.mark.parametrize("name", sorted(HISTORIES))
async def test_history_replays_on_current_code(name: str) -> None:
    history = WorkflowHistory.from_json(name, HISTORIES[name])
    # The converter every worker runs with (encryption codec included): these histories were recorded in
    # plaintext, which the codec passes through.
    converter = banso_data_converter(PayloadKeyring.generate())
    replayer = Replayer(workflows=[EngagementWorkflow, PeriodWorkflow], data_converter=converter)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None


def _updates_and_events(history_json: str) -> tuple[list[tuple[str, dict[str, Any]]], list[dict[str, Any]]]:
    """The update inputs (name, payload) accepted in a history, and the events its activities stored."""
    events = json.loads(history_json)["events"]
    updates, stored = [], []
    for e in events:
        accepted = e.get("workflowExecutionUpdateAcceptedEventAttributes")
        if accepted:
            request = accepted["acceptedRequest"]["input"]
            payload = json.loads(base64.b64decode(request["args"]["payloads"][0]["data"]))["payload"]
            updates.append((request["name"], payload))
        scheduled = e.get("activityTaskScheduledEventAttributes")
        if scheduled:
            stored.append(json.loads(base64.b64decode(scheduled["input"]["payloads"][0]["data"]))["event"])
    return updates, stored


# Only histories recorded with regular activities carry each event in the history; later ones record
# events through a local activity, whose input the history does not keep.
WITH_ACTIVITY_INPUTS = sorted(
    n for n in HISTORIES if "activityTaskScheduledEventAttributes" in HISTORIES[n] and "-period-" not in n
)


def test_there_are_histories_with_activity_inputs() -> None:
    assert WITH_ACTIVITY_INPUTS


@pytest.mark.parametrize("name", WITH_ACTIVITY_INPUTS)
def test_old_commands_rebuild_identical_events(name: str) -> None:
    """A workflow started on older code and continued on this one extends the same hash chain."""
    updates, stored = _updates_and_events(HISTORIES[name])
    assert len(updates) == len(stored)
    for (_, payload), event in zip(updates, stored, strict=True):
        rebuilt = parse_payload(event["type"], payload)
        assert rebuilt.stored_form() == event["data"]
        assert rebuilt.stored_version == event["schema_version"]
        assert compute_hash(EventEnvelope.model_validate(event)) == event["hash"]


def _patches(history_json: str) -> set[str]:
    """The ids of the patches a history's markers record."""
    found = set()
    for e in json.loads(history_json)["events"]:
        marker = e.get("markerRecordedEventAttributes")
        if marker and marker["markerName"] == "core_patch":
            data = marker["details"]["patch-data"]["payloads"][0]["data"]
            found.add(json.loads(base64.b64decode(data))["id"])
    return found


def test_the_histories_cover_the_paths_they_are_named_after() -> None:
    assert "timerFiredEventAttributes" in HISTORIES["v2-stalled-and-resumed"]
    # The deadline timer kept across contacts (KEPT_TIMER_PATCH): the stall still fires, then the resumption.
    assert KEPT_TIMER_PATCH in _patches(HISTORIES["v5-stalled-and-resumed"])
    assert "timerFiredEventAttributes" in HISTORIES["v5-stalled-and-resumed"]
    assert KEPT_TIMER_PATCH not in _patches(HISTORIES["v4-stalled-and-resumed"])
    continued = [n for n in HISTORIES if n.startswith("v2-continue-as-new-run-")]
    assert continued
    assert all("workflowExecutionContinuedAsNewEventAttributes" in HISTORIES[n] for n in continued)
    assert "workflowExecutionUpdateAcceptedEventAttributes" in HISTORIES["v2-member-transferred"]
    period = "".join(h for n, h in HISTORIES.items() if n.startswith("v3-period-review"))  # across continue-as-new
    assert all(f'"{u}"' in period for u in ("open_call", "run_matching", "edit_proposal", "approve"))
