"""Exponential backoff for restarting a crashed child: 1 s, 2 s, 4 s … up to 30 s, reset after a good run."""

from __future__ import annotations

import signal
from dataclasses import dataclass

from services.settings import Settings


@dataclass(frozen=True)
class Backoff:
    """How long to wait before the n-th restart in a row, and when a run counts as good."""

    first_s: float = 1.0
    max_s: float = 30.0
    reset_after_s: float = 60.0
    factor: float = 2.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Backoff:
        """The schedule the BANSO_RESTART_* settings ask for."""
        return cls(
            first_s=settings.restart_backoff_s,
            max_s=settings.restart_backoff_max_s,
            reset_after_s=settings.restart_reset_after_s,
        )

    def delay(self, failures: int) -> float:
        """The wait before restarting after `failures` crashes in a row (1 → first_s)."""
        if failures < 1:
            return 0.0
        return min(self.max_s, self.first_s * self.factor ** (failures - 1))

    def failures_after_exit(self, failures: int, uptime_s: float) -> int:
        """Crashes in a row once a child that ran `uptime_s` exits: a long enough run starts over at 1."""
        return 1 if uptime_s >= self.reset_after_s else failures + 1


def describe_exit(returncode: int | None) -> str:
    """`exit 3`, or `exit -9 (SIGKILL)` for a child killed by a signal."""
    if returncode is None:
        return "still running"
    if returncode < 0:
        try:
            return f"exit {returncode} ({signal.Signals(-returncode).name})"
        except ValueError:
            return f"exit {returncode}"
    return f"exit {returncode}"
