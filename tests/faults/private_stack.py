"""A private Banso for process-level faults: its own Temporal and Neo4j, workers and API processes.

Every part is a real process started the way `banso up` starts it, so a fault test can kill -9 any of
them and start it again on the same store, the same SQLite file and the same port.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from banso.stack.java import build_launcher, find_java, find_maven, launcher_classpath
from banso.stack.local import api_healthy, child_env
from banso.stack.processes import Child, free_port, start_child, wait_until
from banso.stack.servers import (
    neo4j_ready,
    prepare_graph,
    register_search_attributes,
    start_neo4j,
    start_temporal,
    temporal_ready,
)
from services.graph.store.chain_key import chain_key_path, create_chain_key
from services.settings import Settings
from services.workflow.payload_keys import create_payload_keys, payload_keys_path
from tests.servers import test_settings


@dataclass
class PrivateStack:
    """Servers, workers and APIs of one fault test; `kill` is kill -9, `restart_*` starts a server again."""

    settings: Settings
    classpath: str
    run_dir: Path
    temporal: Child | None = None
    neo4j: Child | None = None
    workers: dict[str, Child] = field(default_factory=dict)
    apis: dict[str, tuple[Child, str]] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return child_env(self.settings)

    def start_temporal(self) -> None:
        self.temporal = start_temporal(self.settings, self.run_dir)
        wait_until(self.temporal, lambda: temporal_ready(self.settings), 120, "Temporal")

    def start_neo4j(self) -> None:
        self.neo4j = start_neo4j(self.settings, self.run_dir, find_java(), self.classpath)
        wait_until(self.neo4j, lambda: neo4j_ready(self.settings), 180, "Neo4j")

    def start_worker(self, name: str) -> Child:
        child = start_child(name, [sys.executable, "-m", "services.workflow.worker"], self.run_dir, self.env)
        self.workers[name] = child
        return child

    def start_api(self, name: str, port: int | None = None) -> str:
        port = port or free_port()
        args = [sys.executable, "-m", "uvicorn", "services.api.main:app", "--host", "127.0.0.1", "--port", str(port)]
        child = start_child(name, [*args, "--no-access-log"], self.run_dir, self.env)
        url = f"http://127.0.0.1:{port}"
        at_port = self.settings.model_copy(update={"api_port": port})
        wait_until(child, lambda: api_healthy(at_port), 120, name)
        self.apis[name] = (child, url)
        return url

    @staticmethod
    def kill(child: Child | None) -> None:
        """kill -9, as a crash would."""
        if child is not None and child.alive():
            os.kill(child.process.pid, signal.SIGKILL)
            child.process.wait(timeout=10)

    async def restart_neo4j(self, down_s: float) -> float:
        """kill -9 Neo4j, keep it down `down_s`, start it on the same store; returns seconds until it answered."""
        self.kill(self.neo4j)
        await asyncio.sleep(down_s)
        started = time.monotonic()
        await asyncio.to_thread(self.start_neo4j)
        return time.monotonic() - started

    async def restart_temporal(self, down_s: float) -> float:
        """kill -9 Temporal, keep it down `down_s`, start it on the same SQLite file."""
        self.kill(self.temporal)
        await asyncio.sleep(down_s)
        started = time.monotonic()
        await asyncio.to_thread(self.start_temporal)
        return time.monotonic() - started

    async def restart_worker(self, name: str, down_s: float) -> float:
        """kill -9 a worker, keep it down `down_s`, start it again as the supervisor would."""
        self.kill(self.workers[name])
        await asyncio.sleep(down_s)
        started = time.monotonic()
        self.start_worker(name)
        return time.monotonic() - started

    async def restart_api(self, name: str, down_s: float) -> float:
        """kill -9 an API process, keep it down `down_s`, start it again on the same port."""
        child, url = self.apis[name]
        self.kill(child)
        await asyncio.sleep(down_s)
        started = time.monotonic()
        await asyncio.to_thread(self.start_api, name, int(url.rsplit(":", 1)[1]))
        return time.monotonic() - started

    def keep_logs(self, into: Path) -> None:
        """Copy every process log of the run directory to `into` (the stack's own directory goes away)."""
        into.mkdir(parents=True, exist_ok=True)
        for log in self.run_dir.glob("*.log"):
            shutil.copy2(log, into / log.name)

    def stop(self) -> None:
        for child, _ in self.apis.values():
            child.stop(timeout=10)
        for child in self.workers.values():
            child.stop(timeout=10)
        for server in (self.neo4j, self.temporal):
            if server is not None:
                server.stop(timeout=30)


@contextmanager
def private_stack(oidc: Settings | None = None) -> Iterator[PrivateStack]:
    """Temporal and Neo4j on free ports in a temporary data directory, prepared for Banso.

    With BANSO_FAULT_LOGS set to a directory, every process log is copied there before the data goes.
    """
    settings = test_settings(Path(tempfile.mkdtemp(prefix="banso-faults-")))
    settings = settings.model_copy(update={"temporal_task_queue": "banso-faults"})
    if oidc is not None:  # the API processes check tokens of this issuer (the session's Keycloak)
        fields = ("oidc_issuer", "oidc_client_id", "oidc_client_secret", "oidc_audience", "keycloak_port")
        settings = settings.model_copy(update={f: getattr(oidc, f) for f in fields} | {"keycloak_start": False})
    run_dir = settings.data_dir / "run"
    classpath = launcher_classpath() or build_launcher(find_java(), find_maven(), run_dir / "neo4j-build.log")
    stack = PrivateStack(settings=settings, classpath=classpath, run_dir=run_dir)
    try:
        stack.start_temporal()
        stack.start_neo4j()
        connected = settings.model_copy(
            update={"temporal_address": settings.temporal_target, "neo4j_uri": settings.bolt_uri}
        )
        asyncio.run(register_search_attributes(connected))
        asyncio.run(prepare_graph(connected))
        stack.settings = connected
        create_chain_key(chain_key_path(connected))  # as `banso up` does for its own Neo4j
        create_payload_keys(payload_keys_path(connected))  # and for its own Temporal
        yield stack
    finally:
        stack.stop()
        if keep := os.environ.get("BANSO_FAULT_LOGS"):
            stack.keep_logs(Path(keep))
        shutil.rmtree(settings.data_dir, ignore_errors=True)
