"""Per-corp, per-endpoint, per-minute call limits, as WeCom enforces them (docs/wecom-api.md §16).

A window opens with the first call and lasts 60 s; once the limit is used up, every further
call gets 45009 until that window ends (WeCom blocks for the rest of the minute).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from daka.domain.errors import RateLimited
from daka.wire.endpoints import rate_limits

WINDOW_SEC = 60.0

# Endpoints without a documented limit (the registry's rate_limit) get WeCom's global
# per-corp limit.
GLOBAL_LIMIT = 10_000


@dataclass
class _Window:
    opened: float
    count: int


class RateLimiter:
    """Counts calls in memory (per server process)."""

    def __init__(self, enabled: bool = True, limits: Mapping[str, int] | None = None) -> None:
        self.enabled = enabled
        self.limits = dict(rate_limits() if limits is None else limits)
        self._windows: dict[tuple[int, str], _Window] = {}
        self._lock = threading.Lock()

    def limit_for(self, endpoint: str) -> int:
        return self.limits.get(endpoint, GLOBAL_LIMIT)

    def hit(self, corp_id: int, endpoint: str, now: float) -> None:
        """Count one call, or raise RateLimited if the window's limit is used up."""
        if not self.enabled:
            return
        key = (corp_id, endpoint)
        with self._lock:
            window = self._windows.get(key)
            if window is None or now - window.opened >= WINDOW_SEC:
                window = self._windows[key] = _Window(opened=now, count=0)
            if window.count >= self.limit_for(endpoint):
                retry = int(window.opened + WINDOW_SEC - now) + 1
                raise RateLimited(f"api freq out of limit, retry in {retry}s")
            window.count += 1
