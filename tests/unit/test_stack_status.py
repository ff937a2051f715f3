"""`banso status`'s worker verdict: this worker's poller, seen recently; a dead pid is down at once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from banso.stack.health import worker_health, worker_verdict
from banso.stack.processes import pid_alive, start_child
from services.settings import Settings


def test_a_recent_poll_from_this_pid_is_up() -> None:
    health = worker_verdict(123, {"123@host": 4.0, "99@host": 1.0}, 60, "q")
    assert health.ok
    assert health.detail == "polled q 4 s ago"


def test_another_process_polling_does_not_count_for_this_pid() -> None:
    health = worker_verdict(123, {"99@host": 1.0}, 60, "q")
    assert not health.ok
    assert health.detail == "no poller on q from pid 123"


def test_a_stale_poll_is_down() -> None:
    health = worker_verdict(123, {"123@host": 75.0}, 60, "q")
    assert not health.ok
    assert "75 s ago" in health.detail


def test_without_a_local_worker_any_recent_poller_counts() -> None:
    assert worker_verdict(None, {"7@elsewhere": 10.0}, 60, "q").ok
    assert not worker_verdict(None, {}, 60, "q").ok


@pytest.mark.asyncio
async def test_a_dead_worker_pid_is_down_without_asking_temporal(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    child = start_child("worker", [sys.executable, "-c", "pass"], run_dir)
    child.process.wait(timeout=10)
    settings = Settings(data_dir=tmp_path, temporal_port=1)
    health = await worker_health(settings)
    assert not health.ok
    assert health.detail == f"pid {child.process.pid} is not running"


def test_an_exited_child_its_parent_has_not_reaped_yet_counts_as_dead() -> None:
    # A parent (like the supervisor between two looks) whose child exited and is not waited for yet.
    parent = subprocess.Popen(
        [sys.executable, "-c", ZOMBIE_PARENT], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert parent.stdout is not None
        zombie = int(parent.stdout.readline())
        deadline = time.monotonic() + 10
        while Path(f"/proc/{zombie}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert not pid_alive(zombie)
        assert pid_alive(parent.pid)
    finally:
        parent.kill()
        parent.wait()


ZOMBIE_PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "pass"])
print(child.pid, flush=True)
time.sleep(60)
"""
