"""Client-side rate limiting: a sliding one-minute window per endpoint, sans-I/O.

WeCom blocks an endpoint for 60 s once its per-minute limit is exceeded
(docs/wecom-api.md §16), so it
is cheaper to wait a little before sending than to be blocked. The limiter only *decides*: its
``reserve`` either takes a slot (returns 0) or says how long to wait; the clients sleep. The
clock is injected, so tests drive it by hand.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from types import MappingProxyType

from daka.wire.endpoints import rate_limits

__all__ = ["DEFAULT_RATE_LIMITS", "RateLimiter"]

# Documented per-minute limits, from the endpoint registry. Endpoints without a documented
# limit (getcheckinoption, rule management, hardware, media) are not limited client-side.
DEFAULT_RATE_LIMITS: Mapping[str, int] = MappingProxyType(rate_limits())

WINDOW_SEC = 60.0


class RateLimiter:
    """At most ``limits[endpoint]`` sends per ``window`` seconds (a sliding window log).

    Thread-safe; the lock is only held to update the log, never while waiting.
    """

    def __init__(
        self,
        limits: Mapping[str, int] | None = None,
        *,
        window: float = WINDOW_SEC,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = dict(DEFAULT_RATE_LIMITS if limits is None else limits)
        self.window = window
        self.clock = clock
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def reserve(self, endpoint: str) -> float:
        """Take a slot for one send now (returns 0.0), or return the seconds to wait first."""
        limit = self.limits.get(endpoint)
        if limit is None or limit <= 0:
            return 0.0
        with self._lock:
            now = self.clock()
            sent = self._sent.setdefault(endpoint, deque())
            while sent and sent[0] <= now - self.window:
                sent.popleft()
            if len(sent) < limit:
                sent.append(now)
                return 0.0
            return max(sent[0] + self.window - now, 1e-3)
