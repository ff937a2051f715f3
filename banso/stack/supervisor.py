"""Keeps the local stack's children running: a crashed one is restarted with exponential backoff.

A small loop of our own rather than a kept process supervisor. `supervisor` 4.3 (supervisord) and
`circus` 0.19 are maintained, but neither restarts with a backoff that grows and resets after a good
run (supervisord restarts a running program at once and only backs off, +1 s per try, while it fails
to start, then gives up for good; circus waits a fixed `retry_in` and stops after `max_retry`), both run
as one more daemon with their own config file and control socket, and neither knows when Temporal or
Neo4j is *ready*, which `LocalStack.up` already waits for in order. What is left here is a loop that
polls each child twice a second, logs every exit with its code, waits 1 s, 2 s, 4 s … 30 s
(`banso.stack.backoff`), starts it again with the same arguments (same Neo4j store, same Temporal
SQLite file), and stops a child while a backup or restore holds it (`banso.stack.holds`).
Tested with real processes in tests/unit/test_stack_supervisor.py.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from banso.stack.backoff import Backoff, describe_exit
from banso.stack.holds import STATE_FILE, read_hold, write_json_atomically
from banso.stack.processes import Child


@dataclass(frozen=True)
class Service:
    """A child of the stack: its name, how to start it, and how to tell it is ready."""

    name: str
    start: Callable[[], Child]
    ready: Callable[[], bool]


@dataclass
class Watched:
    """What the supervisor knows about one service."""

    service: Service
    child: Child | None
    started_at: float
    failures: int = 0
    restarts: int = 0
    restart_at: float | None = None
    last_exit: str | None = None
    held_by: str | None = None

    @property
    def state(self) -> str:
        """`held`, `restarting` or `running`."""
        if self.held_by is not None:
            return "held"
        return "running" if self.child is not None else "restarting"


@dataclass
class Supervisor:
    """Restarts crashed children with backoff; stops and starts one on a hold request."""

    run_dir: Path
    backoff: Backoff
    log: Callable[[str], None]
    clock: Callable[[], float] = time.monotonic
    watched: list[Watched] = field(default_factory=list)

    def adopt(self, service: Service, child: Child) -> None:
        """Watch `child`, already started (and ready) for `service`."""
        self.watched.append(Watched(service=service, child=child, started_at=self.clock()))
        self.write_state()

    def run(self, interval: float = 0.5) -> None:
        """Supervise until interrupted (KeyboardInterrupt, which SIGTERM is turned into)."""
        while True:
            self.tick()
            time.sleep(interval)

    def tick(self) -> None:
        """One look at every child: honour holds, notice exits, restart when the wait is over."""
        changed = False
        for w in self.watched:
            changed |= self._tick_one(w)
        if changed:
            self.write_state()

    def _tick_one(self, w: Watched) -> bool:
        name, now = w.service.name, self.clock()
        hold = read_hold(self.run_dir, name)
        if hold is not None and w.held_by is None:
            if w.child is not None:
                w.child.stop()
            w.child, w.restart_at, w.held_by = None, None, hold.reason
            self.log(f"{name} stopped for {hold.reason} (pid {hold.pid}); it stays stopped until that ends")
            return True
        if hold is None and w.held_by is not None:
            self.log(f"{name} started again after {w.held_by}")
            w.held_by, w.failures = None, 0
            self._start(w)
            return True
        if w.held_by is not None:
            return False
        if w.child is not None and not w.child.alive():
            uptime = now - w.started_at
            w.failures = self.backoff.failures_after_exit(w.failures, uptime)
            delay = self.backoff.delay(w.failures)
            w.last_exit = describe_exit(w.child.process.returncode)
            w.child, w.restart_at = None, now + delay
            self.log(
                f"{name} exited ({w.last_exit}) after {uptime:.1f} s; restart #{w.restarts + 1} in {delay:g} s "
                f"({w.failures} in a row)"
            )
            return True
        if w.child is None and w.restart_at is not None and now >= w.restart_at:
            w.restarts += 1
            self._start(w)
            return True
        return False

    def _start(self, w: Watched) -> None:
        try:
            w.child = w.service.start()
        except Exception as err:  # a start that fails outright counts as one more crash
            w.failures += 1
            delay = self.backoff.delay(w.failures)
            w.child, w.restart_at = None, self.clock() + delay
            self.log(f"{w.service.name} could not be started ({err}); next try in {delay:g} s")
            return
        w.started_at, w.restart_at = self.clock(), None
        self.log(f"{w.service.name} started (pid {w.child.process.pid}), restart #{w.restarts}")

    def stop_all(self) -> None:
        """Stop every child, last started first."""
        for w in reversed(self.watched):
            if w.child is not None:
                w.child.stop()
                w.child = None
        (self.run_dir / STATE_FILE).unlink(missing_ok=True)

    def snapshot(self) -> dict[str, Any]:
        """What `run/supervisor.json` says: each service's state, pid, restarts and last exit."""
        return {
            "pid": os.getpid(),
            "services": {
                w.service.name: {
                    "state": w.state,
                    "pid": w.child.process.pid if w.child is not None else None,
                    "restarts": w.restarts,
                    "last_exit": w.last_exit,
                    "held_by": w.held_by,
                }
                for w in self.watched
            },
        }

    def write_state(self) -> None:
        """Publish the snapshot for `banso status`, backup and restore."""
        write_json_atomically(self.run_dir / STATE_FILE, self.snapshot())
