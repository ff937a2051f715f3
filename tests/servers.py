"""Starts the real Temporal dev server, the real Neo4j and (when asked) the real Keycloak, on free ports."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import SecretStr
from rich.console import Console

from banso.stack.java import build_launcher, find_java, find_maven, launcher_classpath
from banso.stack.keycloak import ensure_keycloak, keycloak_ready, load_or_create_credentials, start_keycloak
from banso.stack.processes import free_port, wait_until
from banso.stack.servers import neo4j_ready, start_neo4j, start_temporal, temporal_ready
from services.settings import Settings


def test_settings(data_dir: Path) -> Settings:
    """Settings for a private stack under `data_dir`, every port free right now."""
    return Settings(
        data_dir=data_dir,
        temporal_port=free_port(),
        temporal_ui_port=free_port(),
        temporal_headless=True,
        neo4j_port=free_port(),
        neo4j_password=SecretStr("banso-test-password"),
        neo4j_heap_mb=512,
        neo4j_pagecache_mb=64,
        api_port=free_port(),
        keycloak_port=free_port(),
        keycloak_start=False,
        temporal_task_queue="banso-test",
        start_timeout_s=180,
    )


@contextmanager
def running_servers(settings: Settings) -> Iterator[Settings]:
    """Temporal and Neo4j started with the project's own launcher code, stopped afterwards."""
    run_dir = settings.data_dir / "run"
    java = find_java()
    classpath = launcher_classpath() or build_launcher(java, find_maven(), run_dir / "neo4j-build.log")
    temporal = start_temporal(settings, run_dir)
    neo4j = start_neo4j(settings, run_dir, java, classpath)
    try:
        wait_until(temporal, lambda: temporal_ready(settings), settings.start_timeout_s, "Temporal")
        wait_until(neo4j, lambda: neo4j_ready(settings), settings.start_timeout_s, "Neo4j")
        # Later fixtures connect by address, exactly as to servers run elsewhere.
        yield settings.model_copy(update={"temporal_address": settings.temporal_target, "neo4j_uri": settings.bolt_uri})
    finally:
        neo4j.stop()
        temporal.stop()
        shutil.rmtree(settings.data_dir, ignore_errors=True)


@contextmanager
def running_keycloak(settings: Settings) -> Iterator[Settings]:
    """Keycloak with the banso realm imported (users' passwords and client secrets generated under the data
    dir), started with the project's own code and ready when its realm's OpenID configuration answers;
    yields the settings with the web client's secret, stopped (and its data dir removed) afterwards."""
    run_dir = settings.data_dir / "run"
    java = find_java()
    dist = ensure_keycloak(java, settings.cache_dir, Console(file=sys.stderr), run_dir)
    keycloak = start_keycloak(settings, run_dir, java, dist)
    try:
        wait_until(keycloak, lambda: keycloak_ready(settings), settings.start_timeout_s, "Keycloak")
        secret = load_or_create_credentials(settings).clients[settings.oidc_client_id]
        yield settings.model_copy(update={"oidc_client_secret": SecretStr(secret)})
    finally:
        keycloak.stop()
        shutil.rmtree(settings.data_dir, ignore_errors=True)
