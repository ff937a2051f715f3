"""`banso up` / `status` / `verify` / `down` as a person runs them, on a private data directory."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client

from banso.stack.processes import free_port, recorded_pid
from tests.conftest import Keycloak
from tests.integration.stack_cli import BANSO, banso, bearer
from tests.listening import listening, not_loopback

pytestmark = pytest.mark.servers


@pytest.fixture
def stack_env(tmp_path: Path, keycloak: Keycloak) -> Iterator[dict[str, str]]:
    """A private `banso up`'s settings; the CLI signs in with the session's Keycloak (`keycloak`), so this
    module also runs on its own."""
    env = {
        **os.environ,
        "BANSO_DATA_DIR": str(tmp_path / "data"),
        "BANSO_TEMPORAL_PORT": str(free_port()),
        "BANSO_TEMPORAL_UI_PORT": str(free_port()),
        "BANSO_NEO4J_PORT": str(free_port()),
        "BANSO_API_PORT": str(free_port()),
        "BANSO_KEYCLOAK_PORT": str(free_port()),
        "COLUMNS": "200",
    }
    yield env
    subprocess.run([*BANSO, "down"], env=env, capture_output=True, timeout=120, check=False)


def assert_every_server_on_loopback(env: dict[str, str]) -> None:
    """Temporal (gRPC + UI), Neo4j (Bolt), Keycloak (HTTP) and the API each listen, on 127.0.0.1 only."""
    run_dir = Path(env["BANSO_DATA_DIR"]) / "run"
    expected = {
        "temporal": {env["BANSO_TEMPORAL_PORT"], env["BANSO_TEMPORAL_UI_PORT"]},
        "neo4j": {env["BANSO_NEO4J_PORT"]},
        "keycloak": {env["BANSO_KEYCLOAK_PORT"]},
        "api": {env["BANSO_API_PORT"]},
        "worker": set(),
    }
    for name, ports in expected.items():
        pid = recorded_pid(run_dir, name)
        assert pid is not None, name
        addresses = listening(pid)
        print(name, addresses)
        assert not_loopback(addresses) == [], (name, addresses)
        assert {str(port) for _, port in addresses} >= ports, (name, addresses)


def assert_demo_sign_in(env: dict[str, str], up_output: str) -> None:
    """`banso up` printed the demo users; `banso token` gives each a token, the integration client too."""
    credentials = json.loads((Path(env["BANSO_DATA_DIR"]) / "keys" / "keycloak.json").read_text(encoding="utf-8"))
    assert oct((Path(env["BANSO_DATA_DIR"]) / "keys" / "keycloak.json").stat().st_mode & 0o777) == "0o600"
    for user, password in credentials["users"].items():
        assert user in up_output
        assert password in up_output
    for args in (("token", "shienkan"), ("token", "--client")):
        token = banso(env, *args)
        assert token.returncode == 0, token.stdout + token.stderr
        payload = token.stdout.strip().split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert claims["aud"] == "banso-api"
        assert claims["roles"] == (["official"] if args[1] == "shienkan" else ["integration"])
    assert banso(env, "token", "nobody").returncode == 1


def workflow_ids(env: dict[str, str], query: str) -> list[str]:
    async def run() -> list[str]:
        client = await Client.connect(f"127.0.0.1:{env['BANSO_TEMPORAL_PORT']}", namespace="banso")
        return sorted([wf.id async for wf in client.list_workflows(query)])

    return asyncio.run(run())


def test_up_records_verifies_and_restarts_without_duplicates(stack_env: dict[str, str]) -> None:
    api = f"http://127.0.0.1:{stack_env['BANSO_API_PORT']}"

    first = banso(stack_env, "up", "--detach")
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"{api}/docs" in first.stdout
    assert f"http://127.0.0.1:{stack_env['BANSO_TEMPORAL_UI_PORT']}" in first.stdout
    assert "116 new events" in first.stdout  # 42 engagements, 47 of their paperwork, 27 for the 第3期 intake
    assert "reference data: 170 streams" in first.stdout  # with the two tables of travel rates
    status = banso(stack_env, "status")
    assert status.returncode == 0, status.stdout
    assert "keycloak" in status.stdout
    assert_every_server_on_loopback(stack_env)
    assert_demo_sign_in(stack_env, first.stdout)

    visit = httpx.post(
        f"{api}/api/v1/engagements/engagement-2-032034/activities",
        json={"kind": "site_visit", "start_date": "2026-11-20", "place": "大船渡港"},
        headers={**bearer(stack_env, "jimukyoku"), "Idempotency-Key": "stack-visit"},
        timeout=60,
    )
    assert visit.status_code == 200, visit.text
    assert visit.json()["sequence"] == 84  # 40 demo events, 43 of its travel
    verified = banso(stack_env, "verify", "engagement-2-032034")
    assert verified.returncode == 0, verified.stdout
    assert "84 events" in verified.stdout
    assert workflow_ids(stack_env, "BansoStage = 'outcomes' AND BansoPrefecture = '岩手県'") == ["engagement-2-032034"]
    rebuilt = banso(stack_env, "graph", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "replayed 287 events" in rebuilt.stdout  # 170 reference + 116 demo + 1 visit
    proposal = httpx.get(f"{api}/api/v1/periods/3/proposal", headers=bearer(stack_env), timeout=30).json()
    assert proposal["phase"] == "proposed"
    assert len(proposal["teams"]) == 6
    assert (
        httpx.get(f"{api}/api/v1/engagements/engagement-2-032034", headers=bearer(stack_env), timeout=30).json()[
            "counts"
        ]["site_visits"]
        == 6
    )

    assert banso(stack_env, "down").returncode == 0
    assert banso(stack_env, "status").returncode == 1

    second = banso(stack_env, "up", "--detach")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 new events" in second.stdout
    log = httpx.get(
        f"{api}/api/v1/engagements/engagement-2-032034/events", headers=bearer(stack_env), timeout=30
    ).json()
    assert len(log["events"]) == 84
    assert log["chain_valid"] is True
    assert log["events"][-1]["actor"] == "user:jimukyoku"  # the token's user, never a header
    assert httpx.get(f"{api}/api/v1/municipalities", headers=bearer(stack_env), timeout=30).json()["total"] == 1741
    again = banso(stack_env, "graph", "rebuild")
    assert "replayed 287 events" in again.stdout  # the second up wrote no reference event twice


def test_up_refuses_a_port_in_use(stack_env: dict[str, str]) -> None:
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", int(stack_env["BANSO_TEMPORAL_PORT"])))
        listener.listen()
        result = banso(stack_env, "up", "--detach", "--no-demo")
    assert result.returncode == 1
    assert "BANSO_TEMPORAL_PORT" in result.stdout


def test_verify_reports_a_missing_engagement_readably(stack_env: dict[str, str]) -> None:
    result = banso(stack_env | {"BANSO_NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}, "verify", "engagement-2-032034")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "Neo4j" in result.stdout
