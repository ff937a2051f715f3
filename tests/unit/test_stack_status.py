"""`banso status`'s worker verdict: this worker's poller, seen recently; a dead pid is down at once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from banso.settings import Settings
from banso.stack.health import worker_health, worker_verdict
from banso.stack.processes import start_child


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
