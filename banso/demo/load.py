"""Loads the demo engagements and their paperwork through the API, each step with a fixed Idempotency-Key.

The paperwork (paperwork.json: 併任 appointments, the period's travel budget, travel plans and settlements)
comes after the engagements: a travel step names the demo step that recorded its visit (`visit`), and the
loader puts that visit's event id, from the receipt the API answered, into the body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.progress import Progress

DEMO_FILE = Path(__file__).with_name("engagements.json")
PERIOD_FILE = Path(__file__).with_name("period.json")
PAPERWORK_FILE = Path(__file__).with_name("paperwork.json")
DEMO_PERIOD = 3
ENGAGEMENTS_PERIOD = 2


@dataclass(frozen=True)
class DemoResult:
    """How many steps were sent and how many new events they wrote."""

    steps: int
    new_events: int


class DemoLoadError(Exception):
    """A demo step was refused by the API."""


def demo_steps(period: int | None = None) -> list[dict[str, Any]]:
    """The demo's API calls, in order; `period` re-homes them in another period (for tests)."""
    text = DEMO_FILE.read_text(encoding="utf-8")
    steps: list[dict[str, Any]] = json.loads(text)["steps"]
    if period is None:
        return steps
    for step in steps:
        step["path"] = step["path"].replace("/engagement-2-", f"/engagement-{period}-")
        step["key"] = f"{step['key']}-p{period}"
        if "period" in step["body"]:
            step["body"]["period"] = period
    return steps


def period_steps(period: int | None = None) -> list[dict[str, Any]]:
    """The demo period's intake and first matching run; `period` re-homes them (for tests)."""
    steps: list[dict[str, Any]] = json.loads(PERIOD_FILE.read_text(encoding="utf-8"))["steps"]
    if period is None:
        return steps
    for step in steps:
        step["path"] = step["path"].replace(f"/periods/{DEMO_PERIOD}/", f"/periods/{period}/")
        step["key"] = f"{step['key']}-p{period}"
        if "period" in step["body"]:
            step["body"]["period"] = period
    return steps


def paperwork_steps(period: int | None = None) -> list[dict[str, Any]]:
    """The demo's appointments, travel budget and travel of the 大船渡市 team; `period` re-homes them (for
    tests) the way `demo_steps(period)` re-homes the engagements, so the visits they name are the re-homed ones."""
    steps: list[dict[str, Any]] = json.loads(PAPERWORK_FILE.read_text(encoding="utf-8"))["steps"]
    if period is None:
        return steps
    for step in steps:
        step["path"] = (
            step["path"]
            .replace(f"/periods/{ENGAGEMENTS_PERIOD}/", f"/periods/{period}/")
            .replace(f"/engagement-{ENGAGEMENTS_PERIOD}-", f"/engagement-{period}-")
        )
        step["key"] = f"{step['key']}-p{period}"
        if "visit" in step:
            step["visit"] = f"{step['visit']}-p{period}"
    return steps


def step_body(step: dict[str, Any], receipts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The body to send: a travel step gets the event id of the visit its `visit` step recorded."""
    visit = step.get("visit")
    if visit is None:
        return dict(step["body"])
    receipt = receipts.get(visit)
    if receipt is None or not receipt.get("event_id"):
        raise DemoLoadError(f"{step['key']}: the visit step {visit} has not been sent")
    return {**step["body"], "visit_event_id": receipt["event_id"]}


def load_demo(client: httpx.Client, progress: Progress | None = None, period: int | None = None) -> DemoResult:
    """Send every demo step; a second run is answered from the idempotency keys and writes nothing.

    The engagements come first: the period's matching reads their officials' work as evidence.
    """
    steps = demo_steps(period) + paperwork_steps(period) + period_steps(None if period is None else period + 1)
    before = _event_count(client, steps)
    task = progress.add_task("デモデータ / demo data", total=len(steps)) if progress else None
    receipts: dict[str, dict[str, Any]] = {}
    for step in steps:
        response = client.post(
            step["path"],
            json=step_body(step, receipts),
            headers={"Idempotency-Key": step["key"]},
        )
        if response.status_code >= 400:
            raise DemoLoadError(f"{step['path']} ({step['key']}) → {response.status_code}: {response.text}")
        receipts[step["key"]] = response.json()
        if progress is not None and task is not None:
            progress.advance(task)
    return DemoResult(steps=len(steps), new_events=_event_count(client, steps) - before)


def _event_count(client: httpx.Client, steps: list[dict[str, Any]]) -> int:
    total = 0
    for engagement_id in sorted({s["path"].split("/")[4] for s in steps if "/engagements/" in s["path"]}):
        response = client.get(f"/api/v1/engagements/{engagement_id}")
        if response.status_code == 200:
            total += int(response.json()["events"])
    periods = {s["body"]["period"] for s in steps if s["path"] == "/api/v1/periods"}
    periods |= {int(s["path"].split("/")[4]) for s in steps if s["path"].startswith("/api/v1/periods/")}
    for period in sorted(periods):
        response = client.get(f"/api/v1/periods/{period}")
        if response.status_code == 200:
            total += int(response.json()["events"])
    return total
