"""Running the `banso` command line as a person does, against a private stack on free ports."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from banso.stack.processes import free_port
from services.settings import NEO4J_PASSWORD_FILE
from tests.auth import auth_for, default_auth, session_issuer

BANSO = [sys.executable, "-m", "banso.cli"]


def banso(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`banso ARGS` with `env`, its output captured (loading data through the API as the session's demo admin
    when the stack checks the session Keycloak's tokens)."""
    if args and args[0] in ("up", "demo", "reference") and env.get("BANSO_OIDC_ISSUER") == session_issuer():
        env = env | {"BANSO_API_TOKEN": default_auth().token}
    return subprocess.run([*BANSO, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)


@contextmanager
def private_stack_env(data_dir: Path, **settings: str) -> Iterator[dict[str, str]]:
    """Settings for a headless private stack under `data_dir` (every port free), stopped afterwards."""
    env = {
        **os.environ,
        "BANSO_DATA_DIR": str(data_dir),
        "BANSO_TEMPORAL_PORT": str(free_port()),
        "BANSO_TEMPORAL_HEADLESS": "true",
        "BANSO_NEO4J_PORT": str(free_port()),
        "BANSO_API_PORT": str(free_port()),
        "BANSO_KEYCLOAK_PORT": str(free_port()),
        "BANSO_KEYCLOAK_START": "false",  # sign-in is not what these tests are about; test_local_stack starts it
        "COLUMNS": "200",
        **settings,
    }
    if issuer := session_issuer():  # the API checks tokens of the session's Keycloak (see `bearer`)
        env["BANSO_OIDC_ISSUER"] = issuer
    try:
        yield env
    finally:
        banso(env, "down", timeout=180)


def neo4j_auth(env: dict[str, str]) -> tuple[str, str]:
    """The private stack's Neo4j login: the password its first `banso up` generated into the data dir."""
    password = (Path(env["BANSO_DATA_DIR"]) / "keys" / NEO4J_PASSWORD_FILE).read_text(encoding="utf-8").strip()
    return ("neo4j", password)


_TOKENS: dict[tuple[str, str], tuple[float, str]] = {}


def bearer(env: dict[str, str], user: str = "kanri") -> dict[str, str]:
    """`Authorization: Bearer …` with a demo user's token from the stack's Keycloak (`banso token USER`),
    kept for two minutes (the realm's tokens live five)."""
    if env.get("BANSO_OIDC_ISSUER") and env.get("BANSO_OIDC_ISSUER") == session_issuer():
        return {"Authorization": f"Bearer {auth_for(user).token}"}
    key = (env.get("BANSO_DATA_DIR", ""), user)
    at, token = _TOKENS.get(key, (0.0, ""))
    if time.monotonic() - at > 120:
        answer = banso(env, "token", user)
        assert answer.returncode == 0, answer.stdout + answer.stderr
        at, token = time.monotonic(), answer.stdout.strip()
        _TOKENS[key] = (at, token)
    return {"Authorization": f"Bearer {token}"}
