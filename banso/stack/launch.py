"""The `banso up` side of the supervising process: start it, wait until it is ready, follow its log, stop it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from banso.stack.daemon import STATE_FILE
from banso.stack.errors import StackError
from banso.stack.processes import log_tail, recorded_pid
from services.settings import Settings


@dataclass
class LogFollower:
    """Hands on the lines appended to a log file since the last call."""

    path: Path
    offset: int = 0

    @classmethod
    def from_end(cls, path: Path) -> LogFollower:
        """Follow only what is written from now on."""
        return cls(path, path.stat().st_size if path.exists() else 0)

    def new_lines(self) -> list[str]:
        """Complete lines written since the last call."""
        if not self.path.exists():
            return []
        with self.path.open("rb") as log:
            log.seek(self.offset)
            data = log.read()
        end = data.rfind(b"\n") + 1
        self.offset += end
        return data[:end].decode("utf-8", errors="replace").splitlines()


@dataclass
class Supervised:
    """A running supervising process started by this `banso up`."""

    process: subprocess.Popen[bytes]
    run_dir: Path
    log: LogFollower

    def state(self) -> dict[str, Any]:
        """The state the process last reported (`starting`, `ready`, `failed`, `stopped`)."""
        try:
            data: dict[str, Any] = json.loads((self.run_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {"state": "starting", "error": None}
        return data

    def wait_ready(self, echo: Callable[[str], None], timeout: float) -> None:
        """Echo its output until it reports ready; StackError with its reason when it fails."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.log.new_lines():
                echo(line)
            state = self.state()
            if state.get("state") == "ready" and state.get("pid") == self.process.pid:
                return
            if self.process.poll() is not None:
                for line in self.log.new_lines():
                    echo(line)
                raise StackError(
                    state.get("error")
                    or f"banso up の監視プロセスが終了しました / the supervising process exited "
                    f"(exit {self.process.returncode}).\n--- {self.log.path} (tail) ---\n{log_tail(self.log.path)}"
                )
            time.sleep(0.25)
        raise StackError(f"Banso did not start within {timeout:.0f} s; see {self.log.path}")

    def follow(self, echo: Callable[[str], None]) -> int:
        """Echo its output until it exits (stopped by `banso down` elsewhere); its exit code."""
        while self.process.poll() is None:
            for line in self.log.new_lines():
                echo(line)
            time.sleep(0.5)
        for line in self.log.new_lines():
            echo(line)
        return self.process.returncode

    def stop(self, echo: Callable[[str], None], timeout: float = 120.0) -> None:
        """SIGTERM (it stops its children first), wait, SIGKILL as a last resort."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.process.poll() is None and time.monotonic() < deadline:
                for line in self.log.new_lines():
                    echo(line)
                time.sleep(0.25)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
        for line in self.log.new_lines():
            echo(line)


def start_supervised(settings: Settings) -> Supervised:
    """Start the supervising process in its own session, its output in run/up.log."""
    run_dir = settings.data_dir.resolve() / "run"
    if (pid := recorded_pid(run_dir, "up")) is not None or recorded_pid(run_dir, "api") is not None:
        raise StackError(
            f"Banso は既に起動しています（{settings.api_url}）。停止するには `banso down`。\n"
            f"Banso is already running ({settings.api_url}{f', supervised by pid {pid}' if pid else ''}); "
            f"stop it with `banso down`."
        )
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / STATE_FILE).unlink(missing_ok=True)
    log_path = run_dir / "up.log"
    follower = LogFollower.from_end(log_path)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "banso.stack.daemon"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    return Supervised(process, run_dir, follower)
