"""The supervising process behind `banso up` (foreground or --detach): `python -m banso.stack.daemon`.

It starts the stack in order, reports `starting` / `ready` / `failed` in `run/up-state.json`, then keeps
every child running (`banso.stack.supervisor`) until SIGTERM (`banso down`, or Ctrl-C in the
foreground `banso up`), when it stops them in reverse order. Its output goes to `run/up.log`; every exit
and restart is also appended, with the time, to `run/supervisor.log`.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import FrameType

from rich.console import Console

from banso.stack.backoff import Backoff
from banso.stack.errors import StackError
from banso.stack.holds import write_json_atomically
from banso.stack.local import LocalStack
from banso.stack.supervisor import Supervisor
from services.settings import get_settings

STATE_FILE = "up-state.json"
SUPERVISOR_LOG = "supervisor.log"


def write_up_state(run_dir: Path, state: str, error: str | None = None) -> None:
    """What the launching `banso up` waits for."""
    write_json_atomically(run_dir / STATE_FILE, {"pid": os.getpid(), "state": state, "error": error})


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def supervisor_log(run_dir: Path, console: Console) -> Callable[[str], None]:
    """Print a line to the console (run/up.log) and append it, timestamped, to run/supervisor.log."""

    def log(line: str) -> None:
        stamped = f"{datetime.now().astimezone().isoformat(timespec='seconds')} {line}"
        console.print(f"supervisor: {line}", markup=False, highlight=False)
        with (run_dir / SUPERVISOR_LOG).open("a", encoding="utf-8") as out:
            out.write(stamped + "\n")

    return log


def main() -> int:
    """Start, supervise until SIGTERM, stop; exit 1 when the stack could not be started."""
    settings = get_settings()
    run_dir = settings.data_dir.resolve() / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    console = Console(force_terminal=False, width=200)
    signal.signal(signal.SIGTERM, _interrupt)
    (run_dir / "up.pid").write_text(json.dumps({"pid": os.getpid(), "args": sys.argv}), encoding="utf-8")
    write_up_state(run_dir, "starting")
    stack = LocalStack(settings, console)
    supervisor = Supervisor(run_dir, Backoff.from_settings(settings), supervisor_log(run_dir, console))
    try:
        stack.up()
        for service, child in stack.started:
            supervisor.adopt(service, child)
        write_up_state(run_dir, "ready")
        supervisor.log(f"supervising {', '.join(s.name for s, _ in stack.started)} (pid {os.getpid()})")
        supervisor.run()
    except StackError as err:
        console.print(str(err), markup=False, highlight=False)
        write_up_state(run_dir, "failed", str(err))
        return 1
    except KeyboardInterrupt:
        supervisor.log("stopping every child")
    finally:
        supervisor.stop_all()
        stack.started.clear()
        (run_dir / "up.pid").unlink(missing_ok=True)
    write_up_state(run_dir, "stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
