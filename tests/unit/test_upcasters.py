"""Older payload versions are read as the current one; the stored form is never rewritten."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.events import OutcomeKind, OutcomeRecorded, parse_payload

HISTORY = Path(__file__).parents[1] / "replay" / "histories" / "v1-happy-path.json"


def stored_v1_outcome() -> dict[str, Any]:
    """The OutcomeRecorded event as v1 code stored it (taken from a committed workflow history)."""
    for e in json.loads(HISTORY.read_text(encoding="utf-8"))["events"]:
        scheduled = e.get("activityTaskScheduledEventAttributes")
        if scheduled:
            event: dict[str, Any] = json.loads(base64.b64decode(scheduled["input"]["payloads"][0]["data"]))["event"]
            if event["type"] == "OutcomeRecorded":
                return event
    raise AssertionError("no OutcomeRecorded in the v1 history")


def test_a_stored_v1_outcome_is_read_as_v2() -> None:
    event = stored_v1_outcome()
    assert event["schema_version"] == 1
    assert event["data"]["kind"] == "選定"
    payload = parse_payload(event["type"], event["data"])
    assert isinstance(payload, OutcomeRecorded)
    assert payload.schema_version == 2
    assert payload.kind is OutcomeKind.SELECTION
    assert payload.kind_detail is None
    assert payload.stored_form() == event["data"]


def test_unmapped_v1_kind_keeps_its_text() -> None:
    payload = OutcomeRecorded.model_validate(
        {"schema_version": 1, "kind": "人材育成", "description": "高校との連携", "status": "in_progress"}
    )
    assert payload.kind is OutcomeKind.OTHER
    assert payload.kind_detail == "人材育成"
    assert payload.stored_version == 1


def test_current_version_is_not_upcast() -> None:
    payload = OutcomeRecorded.model_validate({"kind": "guideline", "description": "指針", "status": "achieved"})
    assert payload.stored_version == 2
    assert payload.stored_form()["kind"] == "guideline"


def test_a_version_from_the_future_is_refused() -> None:
    with pytest.raises(ValidationError):
        OutcomeRecorded.model_validate(
            {"schema_version": 3, "kind": "guideline", "description": "d", "status": "achieved"}
        )
