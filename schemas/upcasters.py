"""Upcasters: stored or sent payloads of an older schema_version, rewritten to the current one.

Each function takes the payload dict of version N of one event type and returns version N+1.
Events in the log are never rewritten; they are upcast every time they are read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

# 成果の種類: v1 carried free text; v2 has a code, with the text kept when no code fits.
OUTCOME_KIND_CODES: dict[str, str] = {
    "条例改正": "ordinance_revision",
    "指針策定": "guideline",
    "企業誘致": "company_attraction",
    "交付金採択": "grant_adopted",
    "選定": "selection",
    "連携協定": "partnership_agreement",
}


def _outcome_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    text = str(data.get("kind", ""))
    code = OUTCOME_KIND_CODES.get(text)
    return {**data, "kind": code or "other", "kind_detail": None if code else text, "schema_version": 2}


def _added(data: dict[str, Any], fields: dict[str, Any], version: int) -> dict[str, Any]:
    """`data` with the fields of the next version at their empty values; an older version never had them."""
    given = sorted(set(fields) & set(data))
    if given:
        raise ValueError(f"schema_version {data.get('schema_version')} has no {', '.join(given)}")
    return {**data, **fields, "schema_version": version}


def _outcome_v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    # Recorded before attribution and business dates: a team-level outcome dated only by recorded_on.
    return _added(data, {"contributor_ids": [], "achieved_on": None}, 3)


def _outcome_v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    # Recorded before the report's structure was data: grouped by its theme, under no ○ heading.
    return _added(data, {"group": None, "heading": None}, 4)


def _application_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Recorded before 市の課題 had a heading: the challenges are listed without one.
    return _added(data, {"challenge_heading": None}, 2)


def _people_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Recorded before attribution: the activity or coordination stays the whole team's (nobody named).
    return _added(data, {"participant_ids": [], "led_by": None}, 2)


UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("OutcomeRecorded", 1): _outcome_v1_to_v2,
    ("OutcomeRecorded", 2): _outcome_v2_to_v3,
    ("OutcomeRecorded", 3): _outcome_v3_to_v4,
    ("MunicipalityApplied", 1): _application_v1_to_v2,
    ("OnlineMeetingHeld", 1): _people_v1_to_v2,
    ("SiteVisitMade", 1): _people_v1_to_v2,
    ("CompanyVisitMade", 1): _people_v1_to_v2,
    ("CoordinationHeld", 1): _people_v1_to_v2,
}


def upcast(event_type: str, data: dict[str, Any], current: int) -> dict[str, Any]:
    """`data` at version `current`; a dict without schema_version is taken as current already."""
    version = int(data.get("schema_version", current))
    if version > current:
        raise ValueError(f"{event_type} schema_version {version} is newer than this server's {current}")
    while version < current:
        data = UPCASTERS[(event_type, version)](data)
        version = int(data["schema_version"])
    return data
