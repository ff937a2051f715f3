"""`banso up` / `down` / `status`: the embedded stack (Temporal, Neo4j, worker, API) as children."""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from banso.settings import Settings
from banso.stack.errors import StackError
from banso.stack.java import Java, build_launcher, find_java, find_maven, launcher_classpath
from banso.stack.processes import (
    Child,
    ensure_port_free,
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


def ensure_launcher(java: Java, progress: Progress, run_dir: Path) -> str:
    """The Neo4j launcher's classpath, building it first (with a progress line) when needed."""
    classpath = launcher_classpath()
    if classpath is not None:
        return classpath
    mvn = find_maven()
    started = time.monotonic()
    label = "Neo4j launcher: mvn package (first time downloads ~160 MB from Maven Central)"
    task = progress.add_task(label, total=None)
    classpath = build_launcher(java, mvn, run_dir / "neo4j-build.log")
    progress.update(task, description=f"[green]✓[/] {label} ({time.monotonic() - started:.0f} s)", total=1, completed=1)
    return classpath


def api_healthy(settings: Settings) -> bool:
    """Whether the API answers /api/v1/health with both servers reachable."""
    try:
        return httpx.get(f"{settings.api_url}/api/v1/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class LocalStack:
    """Starts what the settings do not point elsewhere, in order, and stops it in reverse."""

    settings: Settings
    console: Console
    children: list[Child] = field(default_factory=list)

    @property
    def run_dir(self) -> Path:
        """Where logs and pid files live."""
        return self.settings.data_dir.resolve() / "run"

    def _step(self, progress: Progress, label: str) -> TaskID:
        return progress.add_task(label, total=None)

    def up(self) -> None:
        """Start every service and wait until each is ready; raises StackError on any failure."""
        s = self.settings
        if recorded_pid(self.run_dir, "api") is not None:
            raise StackError(
                f"Banso は既に起動しています（{s.api_url}）。停止するには `banso down`。\n"
                f"Banso is already running ({s.api_url}); stop it with `banso down`."
            )
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=self.console, transient=False) as progress:
            try:
                if s.temporal_address is None:
                    self._start_temporal(progress)
                if s.neo4j_uri is None:
                    self._start_neo4j(progress)
                self._prepare(progress)
                self._start_app(progress)
            except BaseException:
                self.down()
                raise

    def _finish(self, progress: Progress, task: TaskID, label: str, started: float) -> None:
        progress.update(
            task,
            description=f"[green]✓[/] {label} ({time.monotonic() - started:.1f} s)",
            total=1,
            completed=1,
        )

    def _start_temporal(self, progress: Progress) -> None:
        s = self.settings
        ensure_port_free(s.temporal_port, "Temporal", "BANSO_TEMPORAL_PORT")
        if not s.temporal_headless:
            ensure_port_free(s.temporal_ui_port, "Temporal UI", "BANSO_TEMPORAL_UI_PORT")
        label, started = f"Temporal dev server :{s.temporal_port}", time.monotonic()
        task = self._step(progress, label)
        child = start_temporal(s, self.run_dir)
        self.children.append(child)
        wait_until(child, lambda: temporal_ready(s), s.start_timeout_s, "Temporal")
        self._finish(progress, task, label, started)

    def _start_neo4j(self, progress: Progress) -> None:
        s = self.settings
        java = find_java()
        classpath = ensure_launcher(java, progress, self.run_dir)
        ensure_port_free(s.neo4j_port, "Neo4j Bolt", "BANSO_NEO4J_PORT")
        label, started = f"Neo4j 5.26 (Java {java.major}) bolt :{s.neo4j_port}", time.monotonic()
        task = self._step(progress, label)
        child = start_neo4j(s, self.run_dir, java, classpath)
        self.children.append(child)
        wait_until(child, lambda: neo4j_ready(s), s.start_timeout_s, "Neo4j")
        self._finish(progress, task, label, started)

    def _prepare(self, progress: Progress) -> None:
        label, started = "search attributes, constraints, indexes", time.monotonic()
        task = self._step(progress, label)
        asyncio.run(register_search_attributes(self.settings))
        asyncio.run(prepare_graph(self.settings))
        self._finish(progress, task, label, started)

    def _start_app(self, progress: Progress) -> None:
        s = self.settings
        ensure_port_free(s.api_port, "API", "BANSO_API_PORT")
        env = child_env(s)
        label, started = "worker + API", time.monotonic()
        task = self._step(progress, label)
        worker = start_child("worker", [sys.executable, "-m", "services.workflow.worker"], self.run_dir, env)
        self.children.append(worker)
        api = start_child(
            "api",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "services.api.main:app",
                "--host",
                s.api_host,
                "--port",
                str(s.api_port),
                "--no-access-log",
            ],
            self.run_dir,
            env,
        )
        self.children.append(api)
        wait_until(api, lambda: api_healthy(s) and worker.alive(), s.start_timeout_s, "API")
        self._finish(progress, task, label, started)

    def watch(self) -> None:
        """Block until a child exits (then raise with its log) or the process is interrupted."""
        while True:
            for child in self.children:
                if not child.alive():
                    raise StackError(
                        f"{child.name} が停止しました (exit {child.process.returncode}) / {child.name} stopped. "
                        f"See {child.log_path}"
                    )
            time.sleep(1)

    def down(self) -> None:
        """Stop this process's children in reverse start order."""
        for child in reversed(self.children):
            child.stop()
        self.children.clear()


def stop_recorded(settings: Settings) -> list[str]:
    """Stop a stack started by another `banso up` (its own process first, then any leftovers)."""
    run_dir = settings.data_dir.resolve() / "run"
    return stop_from_pid_files(run_dir, ["up", *STOP_ORDER])
