"""Where one update's time goes in the ingest benchmark: timers around the write path, CPU per process, history.

The probe wraps, for the benchmark's process only, the two calls that bound the stages of a write:
- the Temporal update round trip (`WorkflowHandle.execute_update`, what the API awaits), per side;
- the Neo4j transaction (`EventStore._write_batch`: one transaction for the events that queued up while
  the previous one was written — group commit — inside the `record_event` local activities).
The client's latency less the update round trip is the API (HTTP, auth, validation, codec); the round trip
less the Neo4j transaction is the engine (server, workflow task, validator, handler, local activity
plumbing). CPU seconds are read from /proc for this process (client, API and worker together), the
Temporal server and Neo4j; history events per update are counted from one workflow of each side.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle

from services.graph.store.event_store import EventStore

TICKS = os.sysconf("SC_CLK_TCK")
# History events that say what a workflow task did, counted per update.
COUNTED = {
    "EVENT_TYPE_WORKFLOW_TASK_COMPLETED": "tasks",
    "EVENT_TYPE_MARKER_RECORDED": "markers",
    "EVENT_TYPE_TIMER_STARTED": "timers started",
    "EVENT_TYPE_TIMER_CANCELED": "timers canceled",
    "EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES": "upserts",
}


def _processes() -> dict[str, list[int]]:
    """This process and its descendants' pids, named by role (bench, temporal, neo4j, keycloak)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    roles: dict[str, list[int]] = {"bench": [os.getpid()]}
    frontier = [os.getpid()]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent:
                frontier.append(pid)
                roles.setdefault(_role(pid), []).append(pid)
    return roles


def _role(pid: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    if "keycloak" in cmdline.lower():
        return "keycloak"
    if "jp.banso.neo4j" in cmdline or "neo4j" in cmdline.lower():
        return "neo4j"
    if "temporal" in cmdline:
        return "temporal"
    return "other"


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def cpu_by_role() -> dict[str, float]:
    """CPU seconds used so far by the benchmark's process, the Temporal server and Neo4j."""
    return {
        role: sum(_cpu_seconds(pid) for pid in pids)
        for role, pids in _processes().items()
        if role in ("bench", "temporal", "neo4j")
    }


@dataclass
class Stage:
    """Samples (seconds) of one timed stage."""

    samples: list[float] = field(default_factory=list)

    def mean_ms(self) -> float:
        return statistics.fmean(self.samples) * 1000 if self.samples else 0.0


@dataclass
class Probe:
    """Timers around the update round trip (by side) and the Neo4j write, reset for each measured run."""

    update: dict[str, Stage] = field(default_factory=dict)
    neo4j: Stage = field(default_factory=Stage)  # one sample per transaction
    neo4j_events: int = 0

    def reset(self) -> None:
        self.update, self.neo4j, self.neo4j_events = {}, Stage(), 0

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Wrap `execute_update` and `EventStore._write_batch` for as long as the block runs."""
        update_call = WorkflowHandle.execute_update
        write_call = EventStore._write_batch

        async def execute_update(handle: WorkflowHandle[Any, Any], *args: Any, **kwargs: Any) -> Any:
            side = "raw" if handle.id.startswith("bench-noop-") else "banso"
            return await self._timed(
                self.update.setdefault(side, Stage()), lambda: update_call(handle, *args, **kwargs)
            )

        async def write_batch(store: EventStore, events: list[Any]) -> Any:
            self.neo4j_events += len(events)
            return await self._timed(self.neo4j, lambda: write_call(store, events))

        WorkflowHandle.execute_update = execute_update  # type: ignore[assignment,method-assign]
        EventStore._write_batch = write_batch  # type: ignore[assignment,method-assign]
        try:
            yield
        finally:
            WorkflowHandle.execute_update = update_call  # type: ignore[method-assign]
            EventStore._write_batch = write_call  # type: ignore[method-assign]

    @staticmethod
    async def _timed(stage: Stage, call: Callable[[], Awaitable[Any]]) -> Any:
        started = time.perf_counter()
        try:
            return await call()
        finally:
            stage.samples.append(time.perf_counter() - started)


async def history_length(temporal: Client, workflow_id: str) -> int:
    """How many events the workflow's current run holds."""
    return (
        await temporal.get_workflow_handle(workflow_id).describe()
    ).raw_description.workflow_execution_info.history_length


async def history_counts(temporal: Client, workflow_id: str, after: int) -> Counter[str]:
    """The events after event `after` of the workflow's current run, counted by kind (COUNTED and all)."""
    counts: Counter[str] = Counter()
    async for event in temporal.get_workflow_handle(workflow_id).fetch_history_events():
        if event.event_id <= after:
            continue
        counts["events"] += 1
        name = COUNTED.get(EventType.Name(event.event_type))
        if name:
            counts[name] += 1
    return counts
