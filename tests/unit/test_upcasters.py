"""Older payload versions are read as the current one; the stored form is never rewritten."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.events import (
    CoordinationHeld,
    MunicipalityApplied,
    OnlineMeetingHeld,
    OutcomeKind,
    OutcomeRecorded,
    parse_payload,
)
from schemas.events.activities import _ActivityPayload

HISTORIES = Path(__file__).parents[1] / "replay" / "histories"
HISTORY = HISTORIES / "v1-happy-path.json"


def stored_event(event_type: str, history: Path = HISTORY) -> dict[str, Any]:
    """The first `event_type` event as older code stored it (taken from a committed workflow history)."""
    for e in json.loads(history.read_text(encoding="utf-8"))["events"]:
        scheduled = e.get("activityTaskScheduledEventAttributes")
        if scheduled:
            data = json.loads(base64.b64decode(scheduled["input"]["payloads"][0]["data"]))
            event: dict[str, Any] | None = data.get("event") if isinstance(data, dict) else None
            if event and event["type"] == event_type:
                return event
    raise AssertionError(f"no {event_type} in {history.name}")


def stored_v1_outcome() -> dict[str, Any]:
    """The OutcomeRecorded event as v1 code stored it."""
    return stored_event("OutcomeRecorded")


def test_a_stored_v1_outcome_is_read_as_v4() -> None:
    event = stored_v1_outcome()
    assert event["schema_version"] == 1
    assert event["data"]["kind"] == "選定"
    payload = parse_payload(event["type"], event["data"])
    assert isinstance(payload, OutcomeRecorded)
    assert payload.schema_version == 4
    assert payload.kind is OutcomeKind.SELECTION
    assert payload.kind_detail is None
    assert payload.contributor_ids == []
    assert payload.achieved_on is None
    assert (payload.group, payload.heading) == (None, None)
    assert payload.stored_form() == event["data"]


def test_a_v2_outcome_is_read_as_v4_and_kept_as_stored() -> None:
    stored = {
        "event_type": "OutcomeRecorded",
        "schema_version": 2,
        "recorded_on": "2025-09-01",
        "kind": "guideline",
        "description": "産業振興指針を策定",
        "status": "achieved",
    }
    payload = parse_payload("OutcomeRecorded", stored)
    assert isinstance(payload, OutcomeRecorded)
    assert (payload.schema_version, payload.contributor_ids, payload.achieved_on) == (4, [], None)
    assert payload.stored_form() == stored
    assert payload.stored_version == 2


def test_a_v3_outcome_is_read_as_v4_under_no_heading_and_kept_as_stored() -> None:
    """v3 had no report structure: the outcome is grouped by its theme, under no ○ heading."""
    stored = {
        "event_type": "OutcomeRecorded",
        "schema_version": 3,
        "theme": "産業振興",
        "kind": "selection",
        "description": "現在募集中のサーキュラーエコノミーポートへの選定を目指す",
        "status": "in_progress",
        "contributor_ids": [],
        "achieved_on": "2026-03-31",
    }
    payload = parse_payload("OutcomeRecorded", stored)
    assert isinstance(payload, OutcomeRecorded)
    assert (payload.schema_version, payload.group, payload.heading, payload.theme) == (4, None, None, "産業振興")
    assert payload.stored_form() == stored
    assert payload.stored_version == 3


def test_a_v4_outcome_keeps_its_group_and_heading() -> None:
    payload = OutcomeRecorded.model_validate(
        {
            "group": "交流人口の拡大",
            "heading": "地域経済の活性化に資する多目的広場の整備に向けた支援",
            "kind": "other",
            "description": "多目的広場を拠点とした交流人口の拡大のため、地域未来交付金の申請を支援",
            "status": "achieved",
        }
    )
    assert payload.stored_version == 4
    assert payload.stored_form()["heading"] == "地域経済の活性化に資する多目的広場の整備に向けた支援"


def test_a_v1_application_is_read_as_v2_without_a_challenge_heading() -> None:
    stored = {
        "event_type": "MunicipalityApplied",
        "schema_version": 1,
        "period": 2,
        "municipality_code": "032034",
        "municipality_name": "大船渡市",
        "prefecture": "岩手県",
        "challenges": ["全国的な人口減少"],
    }
    payload = parse_payload("MunicipalityApplied", stored)
    assert isinstance(payload, MunicipalityApplied)
    assert (payload.schema_version, payload.challenge_heading) == (2, None)
    assert payload.stored_form() == stored
    with pytest.raises(ValidationError, match="has no challenge_heading"):
        MunicipalityApplied.model_validate({**stored, "challenge_heading": "全国的な人口減少と大規模林野火災"})


def test_a_stored_v1_site_visit_is_read_as_v2_with_nobody_named() -> None:
    event = stored_event("SiteVisitMade")
    assert event["schema_version"] == 1
    assert "participant_ids" not in event["data"]
    payload = parse_payload(event["type"], event["data"])
    assert isinstance(payload, _ActivityPayload)
    assert (payload.schema_version, payload.participant_ids, payload.led_by) == (2, [], None)
    assert payload.stored_form() == event["data"]  # never rewritten: the chain's hash stays valid


@pytest.mark.parametrize(
    ("event_type", "extra"),
    [("OnlineMeetingHeld", {}), ("CompanyVisitMade", {"company_count": 2, "companies": ["A社"]})],
)
def test_a_v1_activity_is_read_as_v2_with_nobody_named(event_type: str, extra: dict[str, Any]) -> None:
    stored = {"event_type": event_type, "schema_version": 1, "start_date": "2025-06-01", **extra}
    payload = parse_payload(event_type, stored)
    assert isinstance(payload, _ActivityPayload)
    assert (payload.schema_version, payload.participant_ids, payload.led_by) == (2, [], None)
    assert payload.stored_form() == stored


def test_a_v1_coordination_is_read_as_v2_with_nobody_named() -> None:
    stored = {
        "event_type": "CoordinationHeld",
        "schema_version": 1,
        "held_on": "2025-06-01",
        "body": {"kind": "regional_bureau", "name": "東北地方整備局"},
        "topic": "港湾計画",
        "participants": ["石川 亨"],
    }
    payload = CoordinationHeld.model_validate(stored)
    assert (payload.schema_version, payload.participant_ids, payload.led_by) == (2, [], None)
    assert payload.participants == ["石川 亨"]
    assert payload.stored_form() == stored


def test_an_older_version_with_the_new_fields_is_refused() -> None:
    """v1 had no participant_ids (v2 outcomes no contributor_ids): a body claiming the old version with them
    is refused, not silently emptied by the upcaster."""
    with pytest.raises(ValidationError, match="has no participant_ids"):
        OnlineMeetingHeld.model_validate({"schema_version": 1, "start_date": "2025-06-01", "participant_ids": ["a"]})
    with pytest.raises(ValidationError, match="has no achieved_on"):
        OutcomeRecorded.model_validate(
            {
                "schema_version": 2,
                "kind": "other",
                "description": "d",
                "status": "achieved",
                "achieved_on": "2025-06-01",
            }
        )
    with pytest.raises(ValidationError, match="has no heading"):
        OutcomeRecorded.model_validate(
            {"schema_version": 3, "kind": "other", "description": "d", "status": "achieved", "heading": "h"}
        )


def test_unmapped_v1_kind_keeps_its_text() -> None:
    payload = OutcomeRecorded.model_validate(
        {"schema_version": 1, "kind": "人材育成", "description": "高校との連携", "status": "in_progress"}
    )
    assert payload.kind is OutcomeKind.OTHER
    assert payload.kind_detail == "人材育成"
    assert payload.stored_version == 1


def test_current_version_is_not_upcast() -> None:
    payload = OutcomeRecorded.model_validate({"kind": "guideline", "description": "指針", "status": "achieved"})
    assert payload.stored_version == 4
    assert payload.stored_form()["kind"] == "guideline"


def test_a_version_from_the_future_is_refused() -> None:
    with pytest.raises(ValidationError):
        OutcomeRecorded.model_validate(
            {"schema_version": 5, "kind": "guideline", "description": "d", "status": "achieved"}
        )
