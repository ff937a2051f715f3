"""`banso up --detach` supervises its children: kill -9 any of them, `banso status` says so, it comes back."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from temporalio.client import Client

from tests.conftest import Keycloak
from tests.integration.stack_cli import banso, neo4j_auth, private_stack_env

pytestmark = pytest.mark.servers

# Long enough that `banso status` (a fresh Python process) runs before the restart even on a busy
# machine; the default first wait is 1 s.
BACKOFF_S = 5
BACK_WITHIN_S = 90


@pytest.fixture
def env(tmp_path: Path, keycloak: Keycloak) -> Iterator[dict[str, str]]:
    with private_stack_env(tmp_path / "data", BANSO_RESTART_BACKOFF_S=str(BACKOFF_S)) as settings:
        yield settings


def run_dir(env: dict[str, str]) -> Path:
    return Path(env["BANSO_DATA_DIR"]) / "run"


def pid_of(env: dict[str, str], name: str) -> int:
    return int(json.loads((run_dir(env) / f"{name}.pid").read_text(encoding="utf-8"))["pid"])


def status_row(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if f" {name} " in line)


def wait_healthy(env: dict[str, str], within: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < within:
        if banso(env, "status", timeout=60).returncode == 0:
            return time.monotonic() - started
        time.sleep(0.5)
    pytest.fail(f"not healthy within {within} s:\n{banso(env, 'status').stdout}")


def event_count(env: dict[str, str]) -> int:
    with GraphDatabase.driver(f"bolt://127.0.0.1:{env['BANSO_NEO4J_PORT']}", auth=neo4j_auth(env)) as d:
        records, _, _ = d.execute_query("MATCH (e:Event) RETURN count(e) AS n")
        return int(records[0]["n"])


def workflow_count(env: dict[str, str]) -> int:
    async def run() -> int:
        client = await Client.connect(f"127.0.0.1:{env['BANSO_TEMPORAL_PORT']}", namespace="banso")
        return len([wf async for wf in client.list_workflows()])

    return asyncio.run(run())


def test_killed_children_are_restarted_and_status_tells(env: dict[str, str]) -> None:
    up = banso(env, "up", "--detach", "--no-demo")
    assert up.returncode == 0, up.stdout + up.stderr
    first = banso(env, "status")
    assert first.returncode == 0, first.stdout
    assert "polled banso-engagements" in status_row(first.stdout, "worker")
    events, workflows = event_count(env), workflow_count(env)
    assert events >= 168  # the reference data

    for name in ("worker", "api", "neo4j", "temporal"):
        old = pid_of(env, name)
        os.kill(old, signal.SIGKILL)
        killed = time.monotonic()
        down = banso(env, "status")
        assert down.returncode == 1, f"{name} killed but status says all is well:\n{down.stdout}"
        assert " no " in status_row(down.stdout, name), down.stdout
        back = wait_healthy(env, BACK_WITHIN_S)
        new = pid_of(env, name)
        assert new != old
        log = (run_dir(env) / "supervisor.log").read_text(encoding="utf-8")
        assert f"{name} exited (exit -9 (SIGKILL))" in log
        assert f"{name} started (pid {new}), restart #1" in log
        print(f"{name}: kill -9 → healthy again after {time.monotonic() - killed:.1f} s ({back:.1f} s of polling)")

    assert event_count(env) == events, "Neo4j came back on the same store"
    assert workflow_count(env) == workflows, "Temporal came back on the same SQLite file"
    assert "restarts: temporal 1, neo4j 1, worker 1, api 1" in banso(env, "status").stdout
