"""An engagement with thousands of updates continues-as-new and keeps its chain and idempotency."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from neo4j import AsyncDriver
from temporalio.client import Client

from services.settings import Settings
from tests.conftest import api_client
from tests.integration.flows import MEETING, advance, event_log, post

pytestmark = pytest.mark.servers

UPDATES = int(os.environ.get("BANSO_LONG_HISTORY_UPDATES", "2000"))
CONCURRENCY = 8


async def test_thousands_of_updates_continue_as_new(
    clean: Settings, temporal: Client, driver: AsyncDriver, municipality_code: str
) -> None:
    settings = clean.model_copy(update={"max_history_events": 500})
    async with api_client(settings, temporal, driver) as api:
        eid = await advance(api, municipality_code, "kickoff")
        path = f"/api/v1/engagements/{eid}/activities"
        gate = asyncio.Semaphore(CONCURRENCY)
        receipts: dict[int, dict[str, Any]] = {}

        async def send(i: int) -> None:
            async with gate:
                response = await post(api, path, MEETING | {"notes": f"会議 {i}"}, key=f"meeting-{i}")
                assert response.status_code == 200, response.text
                receipts[i] = response.json()

        await asyncio.gather(*(send(i) for i in range(UPDATES)))

        log = await event_log(api, eid)
        assert log["chain_valid"] is True
        assert [e["sequence"] for e in log["events"]] == list(range(1, UPDATES + 4))
        assert sorted(r["sequence"] for r in receipts.values()) == list(range(4, UPDATES + 4))
        runs = [wf async for wf in temporal.list_workflows(f"WorkflowId = '{eid}'")]
        assert len(runs) > 1, "the workflow never continued-as-new"

        state = (await api.get(f"/api/v1/engagements/{eid}/state")).json()["state"]
        assert state["last_sequence"] == UPDATES + 3
        assert state["counts"]["online_meetings"] == UPDATES
        assert state["head_hash"] == log["events"][-1]["hash"]

        last = UPDATES - 1
        again = await post(api, path, MEETING | {"notes": f"会議 {last}"}, key=f"meeting-{last}")
        assert again.json() == receipts[last]
        assert len((await event_log(api, eid))["events"]) == UPDATES + 3
        assert (await api.get(f"/api/v1/engagements/{eid}")).json()["counts"]["online_meetings"] == UPDATES
