"""The access log's store against real Neo4j: the chain, concurrent appenders in separate processes, tampering."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys

import pytest
from neo4j import AsyncDriver

from schemas.access_log import access_hash
from schemas.envelope import GENESIS_HASH
from services.graph.store.access_log import AccessLog, record_from_node
from services.graph.store.chain_key import chain_key_path, load_or_create_chain_key
from services.settings import Settings
from tests.access_writer import entry

pytestmark = pytest.mark.servers

ALL_RECORDS = "MATCH (a:Access) RETURN a {.*} AS record ORDER BY a.sequence"


def access_log(settings: Settings, driver: AsyncDriver) -> AccessLog:
    """A fresh AccessLog (as a new API process builds it: no head remembered)."""
    return AccessLog(driver, settings.neo4j_database, load_or_create_chain_key(settings))


def writer_env(settings: Settings) -> dict[str, str]:
    """The environment of another process writing to the test's Neo4j with the test's chain key."""
    return {
        **os.environ,
        "BANSO_NEO4J_URI": settings.bolt_uri,
        "BANSO_NEO4J_USER": settings.neo4j_user,
        "BANSO_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "BANSO_NEO4J_DATABASE": settings.neo4j_database,
        "BANSO_CHAIN_KEY_FILE": str(chain_key_path(settings).resolve()),
    }


async def test_records_chain_from_genesis_with_seals(clean: Settings, driver: AsyncDriver) -> None:
    log = access_log(clean, driver)

    first = await log.append(entry("kansa", 1))
    second = await log.append(entry("kansa", 2))

    assert (first.sequence, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.sequence, second.prev_hash) == (2, first.hash)
    assert second.hash == access_hash(second)
    records, _, _ = await driver.execute_query(
        "MATCH (a:Access)-[:NEXT]->(b:Access) RETURN a.sequence AS a, b.sequence AS b, b.seal_key_id AS key"
    )
    assert [(r["a"], r["b"], r["key"]) for r in records] == [(1, 2, load_or_create_chain_key(clean).key_id)]
    verdict = await log.verify()
    assert verdict.valid
    assert verdict.records == 2
    assert verdict.head_sequence == 2


async def test_pages_filter_by_actor_and_object(clean: Settings, driver: AsyncDriver) -> None:
    log = access_log(clean, driver)
    for n, who in enumerate(["kansa", "bunseki", "kansa", "kansa"]):
        await log.append(entry(who, n))

    by_actor = await log.page(actor="user:kansa", limit=2)
    assert [r.sequence for r in by_actor.records] == [1, 3]
    assert by_actor.next_after == 3
    rest = await log.page(actor="user:kansa", after=3, limit=2)
    assert [r.sequence for r in rest.records] == [4]
    assert rest.next_after is None
    by_id = await log.page(obj="engagement-3-00001")
    by_kind_id = await log.page(obj="engagement:engagement-3-00001")
    assert [r.actor for r in by_id.records] == [r.actor for r in by_kind_id.records] == ["user:bunseki"]


async def test_two_processes_appending_at_once_keep_one_chain(clean: Settings, driver: AsyncDriver) -> None:
    await access_log(clean, driver).append(entry("before", 0))
    args = [sys.executable, "-m", "tests.access_writer", "60"]
    runs = await asyncio.gather(
        *(
            asyncio.to_thread(
                subprocess.run, [*args, tag], env=writer_env(clean), capture_output=True, text=True, timeout=300
            )
            for tag in ("one", "two")
        )
    )

    assert [r.returncode for r in runs] == [0, 0], [r.stderr[-2000:] for r in runs]
    got = [json.loads(r.stdout) for r in runs]
    assert sorted(got[0] + got[1]) == list(range(2, 122))  # every position once: no fork, no gap
    assert set(got[0]) & set(got[1]) == set()
    records, _, _ = await driver.execute_query(ALL_RECORDS)
    chain = [record_from_node(dict(r["record"])) for r in records]
    assert [r.sequence for r in chain] == list(range(1, 122))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
    assert {r.actor for r in chain[1:]} == {"user:one", "user:two"}
    links, _, _ = await driver.execute_query("MATCH (:Access)-[n:NEXT]->(:Access) RETURN count(n) AS n")
    assert links[0]["n"] == 120
    assert (await access_log(clean, driver).verify()).valid


@pytest.mark.parametrize(
    ("edit", "sequence", "reason"),
    [
        ("MATCH (a:Access {sequence: 2}) SET a.actor = 'user:someone-else'", 2, "altered"),
        ("MATCH (a:Access {sequence: 3}) DETACH DELETE a", 3, "sequence gap"),
        ("MATCH (a:Access {sequence: 4}) DETACH DELETE a", 4, "removed from its end"),
        ("MATCH (a:Access {sequence: 2}) REMOVE a.seal, a.seal_key_id", 2, "no seal"),
        ("MATCH (a:Access {sequence: 1}) SET a.status = 'two hundred'", 1, "unreadable"),
    ],
)
async def test_verify_finds_a_tampered_record(
    clean: Settings, driver: AsyncDriver, edit: str, sequence: int, reason: str
) -> None:
    log = access_log(clean, driver)
    for n in range(4):
        await log.append(entry("kansa", n))
    assert (await log.verify()).valid

    await driver.execute_query(edit)

    verdict = await log.verify()
    assert not verdict.valid
    assert verdict.first_bad_sequence == sequence
    assert reason in (verdict.reason or "")


async def test_a_rewrite_with_recomputed_hashes_is_caught_by_the_seals(clean: Settings, driver: AsyncDriver) -> None:
    log = access_log(clean, driver)
    records = [await log.append(entry("kansa", n)) for n in range(3)]
    # Someone with write access to Neo4j but not the chain key rewrites record 2 and every hash after it.
    forged = records[1].model_copy(update={"actor": "user:nobody"}).sealed()
    after = records[2].model_copy(update={"prev_hash": forged.hash}).sealed()
    for rec in (forged, after):
        await driver.execute_query(
            "MATCH (a:Access {sequence: $s}) SET a.actor = $actor, a.prev_hash = $prev, a.hash = $hash",
            s=rec.sequence,
            actor=rec.actor,
            prev=rec.prev_hash,
            hash=rec.hash,
        )
    await driver.execute_query("MATCH (h:AccessHead) SET h.hash = $hash", hash=after.hash)

    verdict = await log.verify()
    assert not verdict.valid
    assert verdict.first_bad_sequence == 2
    assert "seal of record #2 does not match" in (verdict.reason or "")


async def test_concurrent_reads_in_one_process_are_committed_together_in_order(
    clean: Settings, driver: AsyncDriver
) -> None:
    log = access_log(clean, driver)

    stored = await asyncio.gather(*(log.append(entry("kansa", n)) for n in range(50)))

    assert sorted(r.sequence for r in stored) == list(range(1, 51))
    links, _, _ = await driver.execute_query(
        "MATCH (a:Access)-[:NEXT]->(b:Access) RETURN a.sequence AS a, b.sequence AS b"
    )
    assert sorted((r["a"], r["b"]) for r in links) == [(n, n + 1) for n in range(1, 50)]
    assert (await log.verify()).valid
