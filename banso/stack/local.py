"""The embedded stack (Temporal, Neo4j, worker, API): started in order as children, stopped in reverse."""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console

from banso.stack.errors import StackError
from banso.stack.java import Java, build_launcher, find_java, find_maven, launcher_classpath
from banso.stack.processes import (
    Child,
    ensure_port_free,
    log_tail,
    recorded_pid,
    start_child,
    stop_from_pid_files,
    wait_until,
)
from banso.stack.servers import (
    neo4j_ready,
    prepare_graph,
    register_search_attributes,
    start_neo4j,
    start_temporal,
    temporal_ready,
)
from banso.stack.supervisor import Service
from services.settings import Settings

STOP_ORDER = ["api", "worker", "neo4j", "temporal"]


def child_env(settings: Settings) -> dict[str, str]:
    """Settings handed to the worker and API so they find the same servers."""
    return {
        "BANSO_TEMPORAL_ADDRESS": settings.temporal_target,
        "BANSO_TEMPORAL_NAMESPACE": settings.temporal_namespace,
        "BANSO_TEMPORAL_TASK_QUEUE": settings.temporal_task_queue,
        "BANSO_NEO4J_URI": settings.bolt_uri,
        "BANSO_NEO4J_USER": settings.neo4j_user,
        "BANSO_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "BANSO_NEO4J_DATABASE": settings.neo4j_database,
        "BANSO_DATA_DIR": str(settings.data_dir.resolve()),
        "PYTHONUNBUFFERED": "1",
    }


def ensure_launcher(java: Java, console: Console, run_dir: Path) -> str:
    """The Neo4j launcher's classpath, building it first (with a progress line) when needed."""
    classpath = launcher_classpath()
    if classpath is not None:
        return classpath
    mvn = find_maven()
    started = time.monotonic()
    label = "Neo4j launcher: mvn package (first time downloads ~160 MB from Maven Central)"
    console.print(f"… {label}")
    classpath = build_launcher(java, mvn, run_dir / "neo4j-build.log")
    console.print(f"✓ {label} ({time.monotonic() - started:.0f} s)")
    return classpath


def api_healthy(settings: Settings) -> bool:
    """Whether the API answers /api/v1/health with both servers reachable."""
    try:
        return httpx.get(f"{settings.api_url}/api/v1/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def api_args(settings: Settings) -> list[str]:
    """The API process: uvicorn serving services.api.main:app."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "services.api.main:app",
        "--host",
        settings.api_host,
        "--port",
        str(settings.api_port),
        "--no-access-log",
    ]


@dataclass
class LocalStack:
    """Starts what the settings do not point elsewhere, in order, and stops it in reverse.

    Each child is kept with its `Service` (how to start it again, how to tell it is ready) so that the
    supervisor can restart it with exactly the same arguments: the same Neo4j store, the same SQLite file.
    """

    settings: Settings
    console: Console
    started: list[tuple[Service, Child]] = field(default_factory=list)

    @property
    def run_dir(self) -> Path:
        """Where logs and pid files live."""
        return self.settings.data_dir.resolve() / "run"

    def up(self) -> None:
        """Start every service and wait until each is ready; raises StackError on any failure."""
        s = self.settings
        if recorded_pid(self.run_dir, "api") is not None:
            raise StackError(
                f"Banso は既に起動しています（{s.api_url}）。停止するには `banso down`。\n"
                f"Banso is already running ({s.api_url}); stop it with `banso down`."
            )
        try:
            if s.temporal_address is None:
                self._start_temporal()
            if s.neo4j_uri is None:
                self._start_neo4j()
            self._prepare()
            self._start_app()
        except BaseException:
            self.down()
            raise

    def _launch(self, service: Service, label: str, what: str) -> Child:
        started = time.monotonic()
        self.console.print(f"… {label}")
        child = service.start()
        self.started.append((service, child))
        wait_until(child, service.ready, self.settings.start_timeout_s, what)
        self.console.print(f"✓ {label} ({time.monotonic() - started:.1f} s)")
        return child

    def _start_temporal(self) -> None:
        s, run_dir = self.settings, self.run_dir
        ensure_port_free(s.temporal_port, "Temporal", "BANSO_TEMPORAL_PORT")
        if not s.temporal_headless:
            ensure_port_free(s.temporal_ui_port, "Temporal UI", "BANSO_TEMPORAL_UI_PORT")
        service = Service("temporal", lambda: start_temporal(s, run_dir), lambda: temporal_ready(s))
        self._launch(service, f"Temporal dev server :{s.temporal_port}", "Temporal")

    def _start_neo4j(self) -> None:
        s, run_dir = self.settings, self.run_dir
        java = find_java()
        classpath = ensure_launcher(java, self.console, run_dir)
        ensure_port_free(s.neo4j_port, "Neo4j Bolt", "BANSO_NEO4J_PORT")
        service = Service("neo4j", lambda: start_neo4j(s, run_dir, java, classpath), lambda: neo4j_ready(s))
        self._launch(service, f"Neo4j 5.26 (Java {java.major}) bolt :{s.neo4j_port}", "Neo4j")

    def _prepare(self) -> None:
        label, started = "search attributes, constraints, indexes", time.monotonic()
        self.console.print(f"… {label}")
        asyncio.run(register_search_attributes(self.settings))
        asyncio.run(prepare_graph(self.settings))
        self.console.print(f"✓ {label} ({time.monotonic() - started:.1f} s)")

    def _start_app(self) -> None:
        s, run_dir = self.settings, self.run_dir
        ensure_port_free(s.api_port, "API", "BANSO_API_PORT")
        env = child_env(s)
        label, started = "worker + API", time.monotonic()
        self.console.print(f"… {label}")
        worker_service = Service(
            "worker",
            lambda: start_child("worker", [sys.executable, "-m", "services.workflow.worker"], run_dir, env),
            lambda: True,
        )
        worker = worker_service.start()
        self.started.append((worker_service, worker))
        api_service = Service("api", lambda: start_child("api", api_args(s), run_dir, env), lambda: api_healthy(s))
        api = api_service.start()
        self.started.append((api_service, api))

        def ready() -> bool:
            if not worker.alive():
                raise StackError(
                    f"worker が起動途中で終了しました / the worker exited during start-up "
                    f"(exit {worker.process.returncode}).\n"
                    f"--- {worker.log_path} (tail) ---\n{log_tail(worker.log_path)}"
                )
            return api_healthy(s)

        wait_until(api, ready, s.start_timeout_s, "API")
        self.console.print(f"✓ {label} ({time.monotonic() - started:.1f} s)")

    def down(self) -> None:
        """Stop this process's children in reverse start order."""
        for _, child in reversed(self.started):
            child.stop()
        self.started.clear()


def stop_recorded(settings: Settings) -> list[str]:
    """Stop a stack started by another `banso up` (its own process first, then any leftovers)."""
    run_dir = settings.data_dir.resolve() / "run"
    # The supervising process stops its children itself (Neo4j may take a while to shut down cleanly).
    stopped = stop_from_pid_files(run_dir, ["up"], timeout=120)
    return stopped + stop_from_pid_files(run_dir, STOP_ORDER)
