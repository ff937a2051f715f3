"""Stopping one local server for a backup or restore: through the supervisor when the stack runs.

- Stack running under `banso up`: the supervisor is asked to stop the child (`banso.stack.holds`) and
  starts it again, same store, when the block ends; we then wait until it answers again.
- Stack stopped: nothing to do.
- The server runs without a supervisor (a `banso up` from before supervision, or its supervisor was
  killed): refused with advice, since stopping it would leave nobody to start it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from banso.stack.errors import StackError
from banso.stack.holds import held, service_state
from banso.stack.local import api_healthy
from banso.stack.processes import port_open, recorded_pid
from banso.stack.servers import neo4j_ready, temporal_ready
from services.settings import Settings

SERVERS = ("neo4j", "temporal")


def is_local(settings: Settings, name: str) -> bool:
    """Whether `banso up` runs this server itself (not pointed elsewhere by a setting)."""
    return settings.neo4j_uri is None if name == "neo4j" else settings.temporal_address is None


def _port(settings: Settings, name: str) -> int:
    return settings.neo4j_port if name == "neo4j" else settings.temporal_port


def _ready(settings: Settings, name: str) -> bool:
    return neo4j_ready(settings) if name == "neo4j" else temporal_ready(settings)


@contextmanager
def server_stopped(settings: Settings, name: str, reason: str, echo: Callable[[str], None]) -> Iterator[None]:
    """Inside the block the local `name` server is not running; afterwards it runs as before."""
    run_dir = settings.data_dir.resolve() / "run"
    if not is_local(settings, name):
        raise StackError(
            f"{name} はこのスタックのサーバーではありません / {name} is not the local stack's server "
            f"(BANSO_{'NEO4J_URI' if name == 'neo4j' else 'TEMPORAL_ADDRESS'} is set); back it up with its own tools."
        )
    if service_state(run_dir, name) is not None:
        started = time.monotonic()
        echo(f"{name}: asking the supervisor to stop it for {reason}")
        with held(run_dir, name, reason, timeout=settings.start_timeout_s):
            echo(f"{name}: stopped ({time.monotonic() - started:.1f} s)")
            yield
            restarting = time.monotonic()
        deadline = time.monotonic() + settings.start_timeout_s
        # The server itself first, then the API, whose connections to it were cut.
        api_supervised = service_state(run_dir, "api") is not None
        while not (_ready(settings, name) and (not api_supervised or api_healthy(settings))):
            if time.monotonic() > deadline:
                raise StackError(f"{name} did not answer again within {settings.start_timeout_s:.0f} s after {reason}")
            time.sleep(0.5)
        echo(f"{name}: running again ({time.monotonic() - restarting:.1f} s until it and the API answer)")
        return
    if recorded_pid(run_dir, name) is not None or port_open(_port(settings, name)):
        raise StackError(
            f"{name} は監視プロセスなしで動いています / {name} runs without the supervisor of `banso up`, so "
            f"nobody would start it again. Run `banso down`, then retry (or `banso up` first)."
        )
    echo(f"{name}: not running; working on the files directly")
    yield
