"""Asking the supervisor to stop one child for a while (backup, restore) and to start it again after.

The request is a file, `run/hold/<name>.json`, naming the process that asked: while it exists the
supervisor keeps that child stopped instead of restarting it; when it goes (or its process dies) the
supervisor starts the child again at once. The supervisor reports what it did in `run/supervisor.json`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from banso.stack.errors import StackError
from banso.stack.processes import pid_alive

STATE_FILE = "supervisor.json"


@dataclass(frozen=True)
class Hold:
    """Who asked for a child to stay stopped, and why."""

    pid: int
    reason: str


def hold_path(run_dir: Path, name: str) -> Path:
    """Where the hold request for `name` lives."""
    return run_dir / "hold" / f"{name}.json"


def read_hold(run_dir: Path, name: str) -> Hold | None:
    """The live hold on `name`, if any; a hold whose process died is removed and ignored."""
    path = hold_path(run_dir, name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        hold = Hold(pid=int(data["pid"]), reason=str(data["reason"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)
        return None
    if not pid_alive(hold.pid):
        path.unlink(missing_ok=True)
        return None
    return hold


def write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    """Replace `path` with `data` so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def supervisor_state(run_dir: Path) -> dict[str, Any] | None:
    """What the running supervisor last reported, or None when no supervisor runs."""
    try:
        state: dict[str, Any] = json.loads((run_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return state if pid_alive(int(state.get("pid", 0))) else None


def service_state(run_dir: Path, name: str) -> str | None:
    """`running`, `restarting` or `held` for one child of the running supervisor."""
    state = supervisor_state(run_dir)
    if state is None:
        return None
    service = state.get("services", {}).get(name)
    return None if service is None else str(service.get("state"))


@contextmanager
def held(run_dir: Path, name: str, reason: str, timeout: float = 90.0) -> Iterator[None]:
    """Keep `name` stopped by the supervisor inside the block; it is started again on leaving."""
    path = hold_path(run_dir, name)
    write_json_atomically(path, {"pid": os.getpid(), "reason": reason})
    try:
        _wait_for(run_dir, name, "held", timeout)
        yield
    finally:
        path.unlink(missing_ok=True)
    _wait_for(run_dir, name, "running", timeout)


def _wait_for(run_dir: Path, name: str, wanted: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = service_state(run_dir, name)
        if state == wanted:
            return
        if state is None:
            raise StackError(
                f"スーパーバイザーが応答しません / the supervisor of `banso up` stopped while waiting for "
                f"{name} to be {wanted}. See {run_dir / 'up.log'}."
            )
        time.sleep(0.2)
    raise StackError(
        f"{name} が {timeout:.0f} 秒以内に {wanted} になりませんでした / {name} was not {wanted} within "
        f"{timeout:.0f} s. See {run_dir / 'supervisor.log'}."
    )
