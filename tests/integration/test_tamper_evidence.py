"""Tamper evidence against database writers: a rewrite with a recomputed hash chain is caught by the seals."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest
from neo4j import AsyncDriver

from schemas.envelope import verify_chain
from services.graph.store.chain_key import chain_key_path, load_or_create_chain_key
from services.graph.store.event_store import EventStore, event_params
from services.graph.store.rebuild import rebuild_projection
from services.settings import Settings
from tests.forgery import rewritten
from tests.integration.flows import MEETING, advance, command, event_log

pytestmark = pytest.mark.servers

REWRITE = """
UNWIND $rows AS row
MATCH (e:Event {id: row.id})
SET e.data = row.data, e.prev_hash = row.prev_hash, e.hash = row.hash
"""


async def banso_verify(settings: Settings, stream: str) -> subprocess.CompletedProcess[str]:
    """`banso verify <stream>` as an operator runs it, against the test servers and the test's key."""
    env = {
        **os.environ,
        "BANSO_NEO4J_URI": settings.bolt_uri,
        "BANSO_NEO4J_USER": settings.neo4j_user,
        "BANSO_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "BANSO_NEO4J_DATABASE": settings.neo4j_database,
        "BANSO_CHAIN_KEY_FILE": str(chain_key_path(settings).resolve()),
        "COLUMNS": "400",
    }
    args = [sys.executable, "-m", "banso", "verify", stream]
    return await asyncio.to_thread(subprocess.run, args, env=env, capture_output=True, text=True, timeout=120)


async def test_a_normal_stream_verifies_sealed(
    api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "visits")

    log = await event_log(api, eid)

    assert log["chain_valid"] is True
    seals = log["chain"]["seals"]
    assert seals["valid"] is True
    assert (seals["verified"], seals["unsealed"], seals["bad"]) == (len(log["events"]), 0, 0)
    assert seals["key_id"] == load_or_create_chain_key(clean).key_id
    records, _, _ = await driver.execute_query(
        "MATCH (e:Event {subject: $s}) RETURN count(e.seal) AS sealed, collect(DISTINCT e.seal_key_id) AS keys", s=eid
    )
    assert (records[0]["sealed"], records[0]["keys"]) == (len(log["events"]), [seals["key_id"]])
    verified = await banso_verify(clean, eid)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "✓ chain valid" in verified.stdout
    assert f"✓ sealed {len(log['events'])} events verified" in verified.stdout


async def test_a_rewrite_with_a_recomputed_chain_is_reported_as_altered_without_the_key(
    api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    for _ in range(3):
        assert (await command(api, eid, "activities", MEETING)).status_code == 200
    key = load_or_create_chain_key(clean)
    store = EventStore(driver, clean.neo4j_database, key)
    events = await store.stream(eid)
    target = events[-2]
    assert target.data["start_date"] == "2025-05-08"

    # A database writer without the key: new data, every later hash and prev_hash recomputed.
    forged = rewritten(events, target.sequence, {**target.data, "start_date": "2025-05-09"})
    rows = [event_params(e, key) for e in forged if e.sequence >= target.sequence]
    await driver.execute_query(REWRITE, rows=[{k: r[k] for k in ("id", "data", "prev_hash", "hash")} for r in rows])

    assert verify_chain(await store.stream(eid)).valid  # the unkeyed chain is fooled
    log = await event_log(api, eid)
    assert log["chain_valid"] is False
    assert log["chain"]["first_bad_sequence"] == target.sequence
    assert "altered by someone without the key" in log["chain"]["reason"]
    seals = log["chain"]["seals"]
    assert seals["chain_valid"] is True
    assert (seals["valid"], seals["first_bad_sequence"], seals["bad"]) == (False, target.sequence, 2)
    assert seals["verified"] == len(events) - 2
    assert seals["key_matches"] is True

    verified = await banso_verify(clean, eid)
    assert verified.returncode == 1, verified.stdout + verified.stderr
    assert "✓ chain valid" in verified.stdout
    assert f"✗ seal wrong {eid}: first bad event #{target.sequence}" in verified.stdout
    assert "altered by someone without the key" in verified.stdout
    page = await api.get(f"/engagements/{eid}/audit")
    assert f"#{target.sequence} の封印が一致しません" in page.text, "the auditor's page says so too"


async def test_rebuilding_the_graph_keeps_the_events_and_their_seals(
    api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "visits")
    query = "MATCH (e:Event {subject: $s}) RETURN e {.*} AS event ORDER BY e.sequence"
    before, _, _ = await driver.execute_query(query, s=eid)

    await rebuild_projection(driver, clean.neo4j_database)

    after, _, _ = await driver.execute_query(query, s=eid)
    assert [r["event"] for r in after] == [r["event"] for r in before]
    assert all(r["event"]["seal"] for r in after)
    assert (await event_log(api, eid))["chain"]["seals"]["verified"] == len(after)
