"""The supervision loop with real child processes: restart after kill -9 with backoff, holds, logging."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from banso.stack.backoff import Backoff
from banso.stack.holds import hold_path, read_hold, service_state, supervisor_state, write_json_atomically
from banso.stack.processes import Child, start_child
from banso.stack.supervisor import Service, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return tmp_path / "run"


@pytest.fixture
def supervised(run_dir: Path) -> Iterator[tuple[Supervisor, Clock, list[str]]]:
    clock, lines = Clock(), list[str]()
    supervisor = Supervisor(run_dir, Backoff(first_s=1, max_s=4, reset_after_s=60), lines.append, clock)
    service = Service("sleeper", lambda: start_child("sleeper", SLEEPER, run_dir), lambda: True)
    supervisor.adopt(service, service.start())
    yield supervisor, clock, lines
    supervisor.stop_all()


def kill9(child: Child | None) -> None:
    assert child is not None
    os.kill(child.process.pid, signal.SIGKILL)
    child.process.wait(timeout=10)


def tick_until(supervisor: Supervisor, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not done() and time.monotonic() < deadline:
        supervisor.tick()
        time.sleep(0.05)
    assert done()


def test_a_killed_child_is_restarted_after_a_growing_wait(supervised: tuple[Supervisor, Clock, list[str]]) -> None:
    supervisor, clock, lines = supervised
    watched = supervisor.watched[0]
    first_pid = watched.child.process.pid if watched.child else 0

    kill9(watched.child)
    supervisor.tick()
    assert watched.child is None
    assert "sleeper exited (exit -9 (SIGKILL))" in lines[-1]
    assert "restart #1 in 1 s" in lines[-1]
    supervisor.tick()
    assert watched.child is None, "no restart before the wait is over"
    clock.now += 1
    supervisor.tick()
    assert watched.child is not None
    assert watched.child.process.pid != first_pid
    assert watched.child.alive()
    assert watched.restarts == 1

    clock.now += 2  # died again quickly: the wait doubles
    kill9(watched.child)
    supervisor.tick()
    assert "restart #2 in 2 s (2 in a row)" in lines[-1]
    clock.now += 2
    supervisor.tick()
    assert watched.child is not None

    clock.now += 61  # a good run: back to the first wait
    kill9(watched.child)
    supervisor.tick()
    assert "restart #3 in 1 s (1 in a row)" in lines[-1]


def test_the_state_file_reports_each_child(supervised: tuple[Supervisor, Clock, list[str]], run_dir: Path) -> None:
    supervisor, _, _ = supervised
    state = supervisor_state(run_dir)
    assert state is not None
    assert state["services"]["sleeper"]["state"] == "running"
    kill9(supervisor.watched[0].child)
    supervisor.tick()
    assert service_state(run_dir, "sleeper") == "restarting"
    assert supervisor_state(run_dir)["services"]["sleeper"]["last_exit"] == "exit -9 (SIGKILL)"  # type: ignore[index]


def test_a_hold_stops_the_child_until_it_is_released(
    supervised: tuple[Supervisor, Clock, list[str]], run_dir: Path
) -> None:
    supervisor, _, lines = supervised
    watched = supervisor.watched[0]
    old = watched.child
    write_json_atomically(hold_path(run_dir, "sleeper"), {"pid": os.getpid(), "reason": "backup"})
    supervisor.tick()
    assert old is not None
    assert not old.alive()
    assert service_state(run_dir, "sleeper") == "held"
    assert "sleeper stopped for backup" in lines[-1]
    supervisor.tick()
    assert watched.child is None
    hold_path(run_dir, "sleeper").unlink()
    supervisor.tick()
    assert watched.child is not None
    assert watched.child.alive()
    assert service_state(run_dir, "sleeper") == "running"


def test_a_hold_whose_owner_died_is_ignored(run_dir: Path) -> None:
    gone = start_child("gone", [sys.executable, "-c", "pass"], run_dir)
    gone.process.wait(timeout=10)
    write_json_atomically(hold_path(run_dir, "x"), {"pid": gone.process.pid, "reason": "restore"})
    assert read_hold(run_dir, "x") is None
    assert not hold_path(run_dir, "x").exists()


def test_a_child_that_cannot_start_is_retried_later(run_dir: Path) -> None:
    clock, lines = Clock(), list[str]()
    supervisor = Supervisor(run_dir, Backoff(first_s=1), lines.append, clock)
    attempts: list[float] = []

    def start() -> Child:
        attempts.append(clock.now)
        raise OSError("no such program")

    child = start_child("short", [sys.executable, "-c", "pass"], run_dir)
    supervisor.adopt(Service("short", start, lambda: True), child)
    tick_until(supervisor, lambda: supervisor.watched[0].restart_at is not None)
    clock.now += 1
    supervisor.tick()
    assert attempts == [1001.0]
    assert "could not be started (no such program); next try in 2 s" in lines[-1]
