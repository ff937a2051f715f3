"""Running the `banso` command line as a person does, against a private stack on free ports."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from banso.stack.processes import free_port

BANSO = [sys.executable, "-m", "banso.cli"]


def banso(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`banso ARGS` with `env`, its output captured."""
    return subprocess.run([*BANSO, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)


@contextmanager
def private_stack_env(data_dir: Path, **settings: str) -> Iterator[dict[str, str]]:
    """Settings for a headless private stack under `data_dir` (every port free), stopped afterwards."""
    env = {
        **os.environ,
        "BANSO_DATA_DIR": str(data_dir),
        "BANSO_TEMPORAL_PORT": str(free_port()),
        "BANSO_TEMPORAL_HEADLESS": "true",
        "BANSO_NEO4J_PORT": str(free_port()),
        "BANSO_API_PORT": str(free_port()),
        "COLUMNS": "200",
        **settings,
    }
    try:
        yield env
    finally:
        banso(env, "down", timeout=180)
