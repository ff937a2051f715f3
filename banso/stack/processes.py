"""Child processes of the local stack: start with a log file and pid file, wait, stop cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from banso.stack.errors import StackError

LOG_TAIL_LINES = 30


def ensure_port_free(port: int, service: str, setting: str) -> None:
    """Fail with advice when something already listens on 127.0.0.1:`port`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise StackError(
                f"ポート {port} は既に使用中です（{service}）。別のポートを {setting} で指定するか、"
                f"使用中のプロセスを停止してください。\n"
                f"Port {port} is already in use ({service}). Set {setting} to another port or stop "
                f"whatever listens there (`banso status`, `ss -ltnp 'sport = :{port}'`)."
            )


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    """A TCP port that is free right now on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a log file, for error messages."""
    if not path.exists():
        return "(no log written)"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:]) or "(log is empty)"


@dataclass
class Child:
    """One running child process of the stack."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    pid_path: Path

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM, wait, then SIGKILL; removes the pid file."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.pid_path.unlink(missing_ok=True)


def start_child(name: str, args: list[str], run_dir: Path, env: dict[str, str] | None = None) -> Child:
    """Start `args` in its own session, logging to run_dir/<name>.log, pid in run_dir/<name>.pid."""
    run_dir.mkdir(parents=True, exist_ok=True)
    log_path = run_dir / f"{name}.log"
    pid_path = run_dir / f"{name}.pid"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            args,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    pid_path.write_text(json.dumps({"pid": process.pid, "args": args}), encoding="utf-8")
    return Child(name=name, process=process, log_path=log_path, pid_path=pid_path)


def wait_until(child: Child, ready: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `ready` until true; fail with the log tail if the child exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if not child.alive():
            raise StackError(
                f"{what} が起動途中で終了しました (exit {child.process.returncode}) / "
                f"{what} exited during start-up (exit {child.process.returncode}).\n"
                f"--- {child.log_path} (tail) ---\n{log_tail(child.log_path)}"
            )
        time.sleep(0.25)
    child.stop(timeout=5)
    raise StackError(
        f"{what} が {timeout:.0f} 秒以内に起動しませんでした / {what} did not come up within {timeout:.0f} s "
        f"(raise BANSO_START_TIMEOUT_S on a slow machine).\n--- {child.log_path} (tail) ---\n{log_tail(child.log_path)}"
    )


def stop_from_pid_files(run_dir: Path, order: list[str], timeout: float = 30.0) -> list[str]:
    """Stop the children a previous `banso up` recorded, in `order`; returns the names stopped."""
    stopped = []
    for name in order:
        pid_path = run_dir / f"{name}.pid"
        if not pid_path.exists():
            continue
        pid = int(json.loads(pid_path.read_text(encoding="utf-8"))["pid"])
        if _signal(pid, signal.SIGTERM):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and _alive(pid):
                time.sleep(0.2)
            if _alive(pid):
                _signal(pid, signal.SIGKILL)
            stopped.append(name)
        pid_path.unlink(missing_ok=True)
    return stopped


def recorded_pid(run_dir: Path, name: str) -> int | None:
    """The pid a previous `banso up` recorded for `name`, if that process still runs."""
    pid_path = run_dir / f"{name}.pid"
    if not pid_path.exists():
        return None
    pid = int(json.loads(pid_path.read_text(encoding="utf-8"))["pid"])
    return pid if _alive(pid) else None


def recorded_pid_any(run_dir: Path, name: str) -> int | None:
    """The pid recorded for `name`, whether or not that process still runs (None without a pid file)."""
    try:
        return int(json.loads((run_dir / f"{name}.pid").read_text(encoding="utf-8"))["pid"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def pid_alive(pid: int) -> bool:
    """Whether process `pid` exists (a zombie child of ours is reaped and counts as gone)."""
    return pid > 0 and _alive(pid)


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether `pid` has exited but its parent (e.g. the supervisor, between two looks) has not reaped it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _signal(pid: int, sig: signal.Signals) -> bool:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True
