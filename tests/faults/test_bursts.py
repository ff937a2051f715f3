"""Bursts of concurrent writes to one engagement: every write answered once, nothing lost, nothing wedged.

Before the fix, 11+ concurrent writes lost a workflow task after its event was committed; the retried
task sealed the event again and the engagement refused every later write (chain_conflict).
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from schemas.commands import ActivityCommand, CommandMeta
from schemas.events import OnlineMeetingHeld
from services.workflow.engagement.workflow import EngagementWorkflow
from tests.faults.ledger import Ledger, figures, post_until_answered
from tests.integration.flows import advance, command

pytestmark = pytest.mark.servers
MEETING = {"kind": "online_meeting", "start_date": "2025-06-05"}


@pytest.mark.parametrize("size", [12, 20, 40])
async def test_a_burst_through_the_api_is_absorbed(
    api: httpx.AsyncClient, driver: AsyncDriver, temporal: Client, municipality_code: str, size: int
) -> None:
    eid = await advance(api, municipality_code, "visits")
    ledger = Ledger()
    path = f"/api/v1/engagements/{eid}/activities"

    await asyncio.gather(*(post_until_answered(api, path, MEETING, f"burst{size}-{i}", ledger) for i in range(size)))

    result = await figures(driver, temporal, eid, ledger, f"record_activity:burst{size}-")
    print(result.line(f"burst of {size} through the API ({ledger.retries} retries)"))
    assert ledger.refused == {}
    assert result.acknowledged == size
    assert result.sound, result
    assert (await command(api, eid, "activities", MEETING)).status_code == 200, "the engagement is wedged"


async def _raw_update(temporal: Client, eid: str, key: str, ledger: Ledger) -> None:
    """One update straight to Temporal (no API gate), asked again with its id until it is answered."""
    handle = temporal.get_workflow_handle_for(EngagementWorkflow.run, eid)
    cmd = ActivityCommand(meta=CommandMeta(actor="cao.burst"), payload=OnlineMeetingHeld.model_validate(MEETING))
    while True:
        try:
            receipt = await handle.execute_update(EngagementWorkflow.record_activity, cmd, id=f"record_activity:{key}")
        except Exception as err:
            if not isinstance(err, RPCError):
                ledger.refused[key] = f"{type(err).__name__} {err} {err.__cause__!r}"
                return
            # The engine's in-flight limit, or an update aborted with its workflow task: ask again, same id.
            if err.status not in (RPCStatusCode.RESOURCE_EXHAUSTED, RPCStatusCode.UNAVAILABLE):
                ledger.refused[key] = f"{err.status} {type(err).__name__} {err}"
                return
            ledger.retries += 1
            await asyncio.sleep(0.2)
            continue
        ledger.acked[key] = receipt.model_dump(mode="json")
        return


async def test_a_raw_burst_past_the_engines_update_limit_does_not_fork_the_stream(
    api: httpx.AsyncClient, driver: AsyncDriver, temporal: Client, municipality_code: str
) -> None:
    """40 updates at once straight to Temporal: the engine refuses some (in-flight limit), retried."""
    eid = await advance(api, municipality_code, "visits")
    ledger = Ledger()

    await asyncio.gather(*(_raw_update(temporal, eid, f"raw-{i}", ledger) for i in range(40)))

    result = await figures(driver, temporal, eid, ledger, "record_activity:raw-")
    print(result.line(f"raw burst of 40 to Temporal ({ledger.retries} retries: in-flight limit or aborted update)"))
    assert ledger.refused == {}
    assert result.sound, result
    assert (await command(api, eid, "activities", MEETING)).status_code == 200, "the engagement is wedged"
