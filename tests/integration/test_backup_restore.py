"""`banso backup` / `banso restore`: a round trip under a running stack, and damaged backups refused readably."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from neo4j import GraphDatabase

from tests.conftest import Keycloak
from tests.integration.stack_cli import banso, bearer, neo4j_auth, private_stack_env

OFFICIAL = {
    "official": {
        "name": "復元 太郎",
        "ministry": "国土交通省",
        "bureau": "港湾局",
        "division": "計画課",
        "post": "課長",
    },
    "seniority": "senior",
}


@pytest.fixture
def env(tmp_path: Path, keycloak: Keycloak) -> Iterator[dict[str, str]]:
    with private_stack_env(tmp_path / "data") as settings:
        yield settings


def event_count(env: dict[str, str]) -> int:
    with GraphDatabase.driver(f"bolt://127.0.0.1:{env['BANSO_NEO4J_PORT']}", auth=neo4j_auth(env)) as d:
        records, _, _ = d.execute_query("MATCH (e:Event) RETURN count(e) AS n")
        return int(records[0]["n"])


def backup_path(output: str) -> Path:
    match = re.search(r"^backup: (\S+) \(", output, re.MULTILINE)
    assert match, output
    return Path(match.group(1))


def assert_readable_failure(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out, out
    for text in expected:
        assert text in out, out


@pytest.mark.servers
def test_restore_neo4j_only_brings_back_exactly_the_backed_up_events(env: dict[str, str], tmp_path: Path) -> None:
    up = banso(env, "up", "--detach", "--no-demo")
    assert up.returncode == 0, up.stdout + up.stderr
    before = event_count(env)

    backed_up = banso(env, "backup", "--to", str(tmp_path / "backups"))
    assert backed_up.returncode == 0, backed_up.stdout + backed_up.stderr
    print(backed_up.stdout)
    root = backup_path(backed_up.stdout)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["components"]) == {"temporal", "neo4j"}
    assert {f["path"] for f in manifest["components"]["temporal"]["files"]} == {"temporal/temporal.sqlite"}
    assert all(len(f["sha256"]) == 64 for c in manifest["components"].values() for f in c["files"])
    assert banso(env, "status").returncode == 0, "Neo4j is back after the backup"

    api = f"http://127.0.0.1:{env['BANSO_API_PORT']}"
    written = httpx.post(f"{api}/api/v1/officials", json=OFFICIAL, headers=bearer(env), timeout=60)
    assert written.status_code == 201, written.text
    assert event_count(env) == before + 1

    restored = banso(env, "restore", str(root), "--only", "neo4j")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    print(restored.stdout)
    assert "banso repair" in restored.stdout
    assert event_count(env) == before
    status = banso(env, "status")
    assert status.returncode == 0, status.stdout
    assert "restore" in (Path(env["BANSO_DATA_DIR"]) / "run" / "supervisor.log").read_text(encoding="utf-8")


def fake_stack_files(data_dir: Path) -> None:
    """A stopped stack's files: a real SQLite database and a store directory (no server needed)."""
    (data_dir / "temporal").mkdir(parents=True)
    with sqlite3.connect(data_dir / "temporal" / "temporal.sqlite") as db:
        db.execute("CREATE TABLE t (x TEXT)")
        db.executemany("INSERT INTO t VALUES (?)", [(f"row {i}",) for i in range(1000)])
    store = data_dir / "neo4j" / "data" / "databases" / "neo4j"
    store.mkdir(parents=True)
    (store / "neostore").write_bytes(os.urandom(50_000))


def test_a_stopped_stack_round_trips_and_damaged_backups_are_refused(env: dict[str, str], tmp_path: Path) -> None:
    data_dir = Path(env["BANSO_DATA_DIR"])
    fake_stack_files(data_dir)
    original = (data_dir / "neo4j" / "data" / "databases" / "neo4j" / "neostore").read_bytes()

    backed_up = banso(env, "backup", "--to", str(tmp_path / "backups"))
    assert backed_up.returncode == 0, backed_up.stdout + backed_up.stderr
    root = backup_path(backed_up.stdout)
    (data_dir / "neo4j" / "data" / "databases" / "neo4j" / "neostore").write_bytes(b"changed")

    restored = banso(env, "restore", str(root))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert (data_dir / "neo4j" / "data" / "databases" / "neo4j" / "neostore").read_bytes() == original
    with sqlite3.connect(data_dir / "temporal" / "temporal.sqlite") as db:
        assert db.execute("SELECT count(*) FROM t").fetchone() == (1000,)
    assert list((data_dir / "replaced").iterdir()), "the replaced files are kept"

    assert_readable_failure(banso(env, "restore", str(tmp_path / "nowhere")), "no backup at")

    edited = tmp_path / "edited"
    shutil.copytree(root, edited)
    manifest = json.loads((edited / "manifest.json").read_text(encoding="utf-8"))
    manifest["components"]["neo4j"]["files"][0]["size"] += 1
    (edited / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert_readable_failure(banso(env, "restore", str(edited)), "manifest checksum mismatch")

    damaged = tmp_path / "damaged"
    shutil.copytree(root, damaged)
    with (damaged / "temporal" / "temporal.sqlite").open("r+b") as f:
        f.seek(200)
        f.write(b"\xff\xfe")
    assert_readable_failure(
        banso(env, "restore", str(damaged), "--only", "temporal"), "checksum mismatch for temporal/temporal.sqlite"
    )

    (damaged / "manifest.json").write_text("{not json", encoding="utf-8")
    assert_readable_failure(banso(env, "restore", str(damaged)), "manifest is unreadable")
    assert_readable_failure(banso(env, "restore", str(tmp_path)), "manifest.json is missing")
