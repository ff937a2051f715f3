"""The restart schedule: 1 s doubling to 30 s, back to 1 s after a run of a minute or more."""

from __future__ import annotations

from banso.stack.backoff import Backoff, describe_exit
from services.settings import Settings


def test_doubles_from_one_second_up_to_thirty() -> None:
    backoff = Backoff()
    assert [backoff.delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 30, 30, 30]
    assert backoff.delay(0) == 0


def test_a_long_run_starts_the_schedule_over() -> None:
    backoff = Backoff(reset_after_s=60)
    assert backoff.failures_after_exit(5, uptime_s=3) == 6
    assert backoff.failures_after_exit(5, uptime_s=60) == 1
    assert backoff.failures_after_exit(0, uptime_s=1) == 1


def test_reads_the_settings() -> None:
    settings = Settings(restart_backoff_s=0.5, restart_backoff_max_s=4, restart_reset_after_s=10)
    backoff = Backoff.from_settings(settings)
    assert [backoff.delay(n) for n in range(1, 6)] == [0.5, 1, 2, 4, 4]
    assert backoff.reset_after_s == 10


def test_exit_codes_name_the_signal() -> None:
    assert describe_exit(-9) == "exit -9 (SIGKILL)"
    assert describe_exit(3) == "exit 3"
    assert describe_exit(None) == "still running"
