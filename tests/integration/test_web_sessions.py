"""The back office's server-side sessions in the real Neo4j: stored by hash, expiry, idle timeout, purge."""

from __future__ import annotations

import asyncio
import secrets

import pytest
from neo4j import AsyncDriver

from services.graph.sessions import WebSessionStore, session_key
from services.settings import Settings

pytestmark = pytest.mark.servers


async def test_a_session_is_stored_under_its_ids_hash_and_ends_by_expiry_idleness_or_delete(
    prepared: Settings, driver: AsyncDriver
) -> None:
    db = prepared.neo4j_database
    store = WebSessionStore(driver, db, max_age_s=60, idle_s=60)
    sid = secrets.token_urlsafe(32)
    await store.save(sid, {"claims": {"sub": "s-1", "name": "佐藤 花子"}, "csrf": "t"})
    loaded = await store.load(sid)
    assert loaded is not None
    assert loaded[0] == {"claims": {"sub": "s-1", "name": "佐藤 花子"}, "csrf": "t"}
    records, _, _ = await driver.execute_query(
        "MATCH (s:WebSession) WHERE s.id IN $ids RETURN s.id AS id", ids=[sid, session_key(sid)], database_=db
    )
    assert [r["id"] for r in records] == [session_key(sid)]  # the database never holds a usable id
    assert await store.load(secrets.token_urlsafe(32)) is None

    idle = WebSessionStore(driver, db, max_age_s=60, idle_s=0.5)
    short = WebSessionStore(driver, db, max_age_s=0.5, idle_s=60)
    quiet, old = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    await idle.save(quiet, {"n": 1})
    await short.save(old, {"n": 2})
    await asyncio.sleep(1.0)
    assert await idle.load(quiet) is None  # idle too long
    assert await short.load(old) is None  # past its expiry, although seen just now
    assert await short.purge() >= 1  # the expired one (by its expiry: idle is 60 s for this store)
    assert await idle.purge() >= 1  # the idle one
    for gone in (quiet, old):
        records, _, _ = await driver.execute_query(
            "MATCH (s:WebSession {id: $id}) RETURN s", id=session_key(gone), database_=db
        )
        assert records == []

    kept = secrets.token_urlsafe(32)
    await store.save(kept, {"n": 3})
    await store.touch(kept)
    assert await store.load(kept) is not None
    await store.delete(kept)  # sign-out
    assert await store.load(kept) is None
