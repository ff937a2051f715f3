"""A token bucket per caller (principal or client id): `rate` requests a second, bursts up to `burst`."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_CALLERS = 10_000  # buckets kept (least recently used dropped first; a dropped bucket starts full)


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """In-process token buckets (each API replica limits on its own: the limit is per replica)."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, caller: str) -> int | None:
        """Take one token for `caller`: None when allowed, else the whole seconds to wait (Retry-After)."""
        now = self._clock()
        bucket = self._buckets.pop(caller, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        self._buckets[caller] = bucket
        while len(self._buckets) > MAX_CALLERS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - bucket.tokens) / self.rate))
