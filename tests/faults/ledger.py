"""What clients were told against what the log holds: the figures every fault test prints and asserts."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from neo4j import AsyncDriver
from temporalio.client import Client

from schemas.envelope import EventEnvelope, format_time, parse_time, verify_chain
from schemas.events import OnlineMeetingHeld
from services.graph.store.event_store import envelope_from_node
from services.workflow.engagement.workflow import EngagementWorkflow
from tests.integration.flows import ACTOR

RETRYABLE = {429, 502, 503, 504}


@dataclass
class Ledger:
    """Every answer a client was given, by the command's Idempotency-Key."""

    acked: dict[str, dict[str, Any]] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    retries: int = 0


@dataclass(frozen=True)
class Figures:
    """The outcome of one fault run on one stream."""

    acknowledged: int
    stored: int
    lost: int
    duplicated: int
    unacknowledged_stored: int
    chain_valid: bool
    workflow_sequence: int
    log_sequence: int

    @property
    def sound(self) -> bool:
        return (
            self.acknowledged == self.stored
            and self.lost == 0
            and self.duplicated == 0
            and self.unacknowledged_stored == 0
            and self.chain_valid
            and self.workflow_sequence == self.log_sequence
        )

    def line(self, label: str) -> str:
        return (
            f"{label}: acknowledged {self.acknowledged}, stored {self.stored}, lost {self.lost}, "
            f"duplicated {self.duplicated}, stored but unacknowledged {self.unacknowledged_stored}, "
            f"chain {'valid' if self.chain_valid else 'BROKEN'}, "
            f"workflow #{self.workflow_sequence} / log #{self.log_sequence}"
        )


async def post_until_answered(
    api: httpx.AsyncClient | Sequence[httpx.AsyncClient],
    path: str,
    body: dict[str, Any],
    key: str,
    ledger: Ledger,
    deadline_s: float = 240,
) -> None:
    """POST with `key`, retrying the same key on 429/5xx (after Retry-After) until a definite answer.

    With several API processes, each attempt goes to the next one (a client behind a load balancer).
    """
    apis = [api] if isinstance(api, httpx.AsyncClient) else list(api)
    headers = {**ACTOR, "Idempotency-Key": key}
    give_up = time.monotonic() + deadline_s
    attempt = 0
    while True:
        target = apis[(hash(key) + attempt) % len(apis)]
        attempt += 1
        try:
            response = await target.post(path, json=body, headers=headers)
        except httpx.TransportError:
            status, wait = 503, 1.0
        else:
            status = response.status_code
            if status in (200, 201):
                ledger.acked[key] = response.json()
                return
            if status not in RETRYABLE:
                ledger.refused[key] = f"{status} {response.text[:200]}"
                return
            wait = float(response.headers.get("Retry-After", "1"))
        if time.monotonic() > give_up:
            ledger.refused[key] = f"gave up after {status}"
            return
        ledger.retries += 1
        await asyncio.sleep(min(wait, 5) * (0.5 + random.random()))  # noqa: S311 - jitter, not crypto


def stray_meeting(head: EventEnvelope, body: dict[str, Any], command: str | None = None) -> EventEnvelope:
    """A meeting stored right after `head` without its workflow knowing (as a lost workflow task leaves it)."""
    payload = OnlineMeetingHeld.model_validate(body)
    return EventEnvelope(
        id=str(uuid.uuid4()),
        type="OnlineMeetingHeld",
        subject=head.subject,
        sequence=head.sequence + 1,
        time=format_time(parse_time(head.time) + timedelta(seconds=1)),
        actor="cao.tester",
        command_id=command,
        schema_version=payload.stored_version,
        data=payload.stored_form(),
        prev_hash=head.hash,
    ).sealed()


async def stored_events(driver: AsyncDriver, subject: str) -> list[EventEnvelope]:
    """The stream straight from Neo4j, in order."""
    records, _, _ = await driver.execute_query(
        "MATCH (e:Event {subject: $s}) RETURN e {.*} AS e ORDER BY e.sequence", s=subject
    )
    return [envelope_from_node(r["e"]) for r in records]


async def figures(driver: AsyncDriver, temporal: Client, eid: str, ledger: Ledger, command_prefix: str) -> Figures:
    """Compare the ledger with the log and the workflow; `command_prefix` picks this run's commands."""
    events = await stored_events(driver, eid)
    state = await temporal.get_workflow_handle_for(EngagementWorkflow.run, eid).query(EngagementWorkflow.state)
    by_id = {e.id: e for e in events}
    lost = sum(
        1
        for receipt in ledger.acked.values()
        if by_id.get(receipt["event_id"]) is None or by_id[receipt["event_id"]].sequence != receipt["sequence"]
    )
    ours = [e for e in events if e.command_id is not None and e.command_id.startswith(command_prefix)]
    per_command = Counter(e.command_id for e in ours)
    acked_ids = {r["event_id"] for r in ledger.acked.values()}
    return Figures(
        acknowledged=len(ledger.acked),
        stored=len(ours),
        lost=lost,
        duplicated=sum(n - 1 for n in per_command.values()),
        unacknowledged_stored=sum(1 for e in ours if e.id not in acked_ids),
        chain_valid=verify_chain(events).valid,
        workflow_sequence=state.last_sequence,
        log_sequence=events[-1].sequence if events else 0,
    )
