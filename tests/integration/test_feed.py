"""The global feed over the real API, Temporal and Neo4j: one order, no gaps, no repeats, stable, pushed too."""

from __future__ import annotations

import asyncio
import json
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from temporalio.client import Client

from services.api.routers.feed import STREAMS_PER_CALLER
from services.graph.store.feed import backfill_positions
from services.graph.store.rebuild import rebuild_projection
from services.settings import Settings
from tests.auth import auth_for
from tests.browser import served
from tests.conftest import new_municipality_code
from tests.integration.flows import MEETING, advance, command

pytestmark = pytest.mark.servers


async def follow(api: httpx.AsyncClient, after: str = "0", limit: int = 7, **params: str) -> list[dict[str, Any]]:
    """Every item after `after`, page by page, following next_cursor."""
    items: list[dict[str, Any]] = []
    while True:
        response = await api.get("/api/v1/feed", params={"after": after, "limit": limit, **params})
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        if not page["items"]:
            assert page["next_cursor"] == after
            return items
        assert page["next_cursor"] == str(page["items"][-1]["position"])
        after = page["next_cursor"]


async def stored_count(driver: AsyncDriver) -> int:
    records, _, _ = await driver.execute_query("MATCH (e:Event) RETURN count(e) AS n")
    return int(records[0]["n"])


async def test_every_event_once_in_one_order_without_gaps(api: httpx.AsyncClient, driver: AsyncDriver) -> None:
    codes = [new_municipality_code() for _ in range(4)]
    # four engagements written at the same time: their events interleave in the global order
    eids = await asyncio.gather(*(advance(api, code, "visits") for code in codes))
    await asyncio.gather(*(command(api, eid, "activities", MEETING | {"start_date": "2025-06-02"}) for eid in eids))

    items = await follow(api)
    positions = [item["position"] for item in items]
    assert positions == list(range(1, len(items) + 1)), "positions are 1, 2, 3, … with no gap"
    assert len(items) == await stored_count(driver), "every stored event is in the feed"
    assert len({item["id"] for item in items}) == len(items), "no event twice"
    for eid in eids:
        sequences = [item["sequence"] for item in items if item["subject"] == eid]
        assert sequences == list(range(1, len(sequences) + 1)), "each stream in its own order"
    head = (await api.get("/api/v1/feed", params={"after": "0", "limit": 1})).json()["head"]
    assert head == len(items)

    # a client that read half and comes back sees the rest, nothing twice
    half = str(positions[len(positions) // 2])
    assert [i["id"] for i in await follow(api, after=half, limit=3)] == [i["id"] for i in items[len(items) // 2 + 1 :]]

    types = await follow(api, types="OnlineMeetingHeld,SiteVisitMade")
    assert {i["type"] for i in types} == {"OnlineMeetingHeld", "SiteVisitMade"}
    assert [i["position"] for i in types] == sorted(i["position"] for i in types)
    assert len(types) == sum(1 for i in items if i["type"] in ("OnlineMeetingHeld", "SiteVisitMade"))


async def test_order_survives_a_rebuild(api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings) -> None:
    await advance(api, new_municipality_code(), "outcomes")
    before = await follow(api)
    await rebuild_projection(driver, clean.neo4j_database)
    after = await follow(api)
    assert after == before
    # and a write after the rebuild takes the next position
    eid = before[-1]["subject"]
    response = await command(api, eid, "activities", MEETING | {"start_date": "2025-06-03"})
    assert response.status_code in (200, 201), response.text
    (new,) = await follow(api, after=str(before[-1]["position"]))
    assert new["position"] == before[-1]["position"] + 1


async def test_events_stored_before_positions_get_them_at_start_up(
    api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings
) -> None:
    await advance(api, new_municipality_code(), "kickoff")
    await advance(api, new_municipality_code(), "kickoff")
    # as a log written by an older Banso: no positions, no head
    await driver.execute_query("MATCH (e:Event) REMOVE e.position")
    await driver.execute_query("MATCH (h:FeedHead) DELETE h")
    assert await backfill_positions(driver, clean.neo4j_database) == await stored_count(driver)
    assert await backfill_positions(driver, clean.neo4j_database) == 0, "once"
    items = await follow(api)
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    assert [(i["time"], i["subject"], i["sequence"]) for i in items] == sorted(
        (i["time"], i["subject"], i["sequence"]) for i in items
    ), "in recording order"


async def test_items_are_the_published_envelope_upcast(api: httpx.AsyncClient) -> None:
    await advance(api, new_municipality_code(), "outcomes")
    items = await follow(api, types="OutcomeRecorded")
    assert items
    outcome = items[0]
    assert outcome["schema_version"] == outcome["data"]["schema_version"]
    assert {"position", "id", "type", "subject", "sequence", "time", "actor", "hash", "prev_hash"} <= set(outcome)
    log = (await api.get(f"/api/v1/engagements/{outcome['subject']}/events")).json()["events"]
    stored = next(e for e in log if e["id"] == outcome["id"])
    assert stored["hash"] == outcome["hash"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"after": "abc"}, "invalid_cursor"),
        ({"after": "-1"}, "invalid_cursor"),
        ({"after": "999999999"}, "cursor_ahead"),
        ({"types": "NoSuchEvent"}, "unknown_event_type"),
    ],
)
async def test_bad_cursors_and_types_are_problems(api: httpx.AsyncClient, params: dict[str, str], code: str) -> None:
    response = await api.get("/api/v1/feed", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    stream = await api.get("/api/v1/feed/stream", params=params)
    assert stream.status_code == 422
    assert stream.json()["code"] == code


async def test_who_may_read_the_feed(
    api: httpx.AsyncClient, clean: Settings, temporal: Client, driver: AsyncDriver
) -> None:
    await advance(api, new_municipality_code(), "matching")
    for user, status in (("kansa", 200), (None, 200), ("shienkan", 403), ("bunseki", 403)):
        response = await api.get("/api/v1/feed", auth=auth_for(user))
        assert response.status_code == status, (user, response.text)


async def read_sse(client: httpx.AsyncClient, url: str, headers: dict[str, str], want: int) -> list[tuple[str, str]]:
    """(id, event) of the first `want` events of a Server-Sent Events stream."""
    got: list[tuple[str, str]] = []
    async with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        fields: dict[str, str] = {}
        async for line in response.aiter_lines():
            if line == "":
                if "id" in fields:
                    json.loads(fields["data"])
                    got.append((fields["id"], fields["event"]))
                    if len(got) == want:
                        return got
                fields = {}
            elif not line.startswith(":") and ":" in line:
                name, _, value = line.partition(":")
                fields[name] = value.lstrip()
    return got


async def test_stream_pushes_new_events_and_resumes_from_last_event_id(
    api: httpx.AsyncClient, clean: Settings, temporal: Client, driver: AsyncDriver
) -> None:
    eid = await advance(api, new_municipality_code(), "visits")
    existing = await follow(api)
    async with (
        served(clean, temporal, driver) as base,
        httpx.AsyncClient(base_url=base, auth=auth_for("kansa"), timeout=30) as client,
    ):
        # resume after the second event: the rest, then what is written while listening
        listening = asyncio.create_task(
            read_sse(client, "/api/v1/feed/stream", {"Last-Event-ID": "2"}, want=len(existing) - 2 + 1)
        )
        await asyncio.sleep(1.0)
        response = await command(api, eid, "activities", MEETING | {"start_date": "2025-06-04"})
        assert response.status_code in (200, 201), response.text
        got = await asyncio.wait_for(listening, timeout=30)
    assert [int(i) for i, _ in got] == list(range(3, len(existing) + 2))
    assert got[-1][1] == "OnlineMeetingHeld"


async def test_one_caller_cannot_hold_every_stream(
    api: httpx.AsyncClient, clean: Settings, temporal: Client, driver: AsyncDriver
) -> None:
    await advance(api, new_municipality_code(), "matching")
    async with (
        served(clean, temporal, driver) as base,
        httpx.AsyncClient(base_url=base, auth=auth_for("kansa"), timeout=30) as kansa,
        httpx.AsyncClient(base_url=base, auth=auth_for(None), timeout=30) as other,
        AsyncExitStack() as streams,
    ):
        for _ in range(STREAMS_PER_CALLER):
            opened = await streams.enter_async_context(kansa.stream("GET", "/api/v1/feed/stream"))
            assert opened.status_code == 200
        refused = await kansa.get("/api/v1/feed/stream")
        assert refused.status_code == 429
        assert refused.json()["code"] == "too_many_streams"
        # another client is not held up by the first one's streams
        assert (await read_sse(other, "/api/v1/feed/stream", {}, want=1))[0][0] == "1"
        await streams.aclose()
        await asyncio.sleep(0.5)
        assert (await read_sse(kansa, "/api/v1/feed/stream", {}, want=1))[0][0] == "1", "slots are given back"
