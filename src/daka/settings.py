"""Settings: one typed object, read at the edge (CLI flags and ``DAKA_*`` environment)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DEFAULT_DB = "sqlite:///daka.db"


@dataclass(frozen=True, slots=True)
class Settings:
    """How a daka server runs.

    ``token_ttl`` (``DAKA_TOKEN_EXPIRES_IN``, default 7200) is the access-token lifetime
    returned as ``expires_in``. ``day_cache_rows`` (``DAKA_DAY_CACHE_ROWS``, default 200,000;
    0 turns it off) bounds the rows of settled days kept in memory. ``media_dir``
    (``DAKA_MEDIA_DIR``) is where uploaded media files live; ``None`` means beside the database
    (``path/daka.db`` → ``path/daka-media``, ``./daka-media`` for PostgreSQL).
    ``clock_shift`` (``DAKA_CLOCK``, see :func:`parse_clock`) is how many seconds the server's
    clock runs ahead of the wall clock (behind, if negative); 0 is the wall clock.
    ``report_workers`` (``DAKA_REPORT_WORKERS``) is how many worker processes evaluate large
    report calls beside the calling thread; ``None`` means one per CPU beyond the first
    (:func:`daka.services.workers.default_processes`), 0 none.
    """

    db_url: str = DEFAULT_DB
    org_file: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    rate_limits: bool = True
    demo: bool = False
    token_ttl: int = 7200
    day_cache_rows: int = 200_000
    media_dir: Path | None = None
    clock_shift: float = 0.0
    report_workers: int | None = None

    def clock(self) -> Callable[[], float]:
        """The server's clock: the wall clock, shifted by ``clock_shift``."""
        if not self.clock_shift:
            return time.time
        shift = self.clock_shift
        return lambda: time.time() + shift

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from the environment, then explicit overrides (CLI flags)."""
        ttl = os.environ.get("DAKA_TOKEN_EXPIRES_IN", "7200")
        if not (ttl.isascii() and ttl.isdigit()) or int(ttl) <= 0:  # "²".isdigit() is true
            raise ValueError(f"DAKA_TOKEN_EXPIRES_IN must be a positive integer, not {ttl!r}")
        cache = os.environ.get("DAKA_DAY_CACHE_ROWS", "200000")
        if not (cache.isascii() and cache.isdigit()):
            raise ValueError(f"DAKA_DAY_CACHE_ROWS must be a whole number, not {cache!r}")
        workers = os.environ.get("DAKA_REPORT_WORKERS", "")
        if workers and not (workers.isascii() and workers.isdigit()):
            raise ValueError(f"DAKA_REPORT_WORKERS must be a whole number, not {workers!r}")
        values: dict[str, object] = {
            "db_url": os.environ.get("DAKA_DB", DEFAULT_DB),
            "token_ttl": int(ttl),
            "day_cache_rows": int(cache),
            "media_dir": Path(os.environ["DAKA_MEDIA_DIR"])
            if os.environ.get("DAKA_MEDIA_DIR")
            else None,
            "report_workers": int(workers) if workers else None,
            "clock_shift": parse_clock(os.environ.get("DAKA_CLOCK", ""), time.time()),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


_SHIFT = re.compile(r"[+-]\d+(\.\d+)?")


def parse_clock(value: str, wall: float) -> float:
    """The clock shift that ``DAKA_CLOCK`` asks for, given the wall clock ``wall`` (Unix time).

    - empty: the wall clock (shift 0);
    - ``+N`` / ``-N``: N seconds ahead of (behind) the wall clock. Processes given the same
      shift agree to the second, which is what a test needs that compares its own "now" with
      a server's;
    - an ISO 8601 instant with a UTC offset (``2026-12-03T21:30:00+08:00``) or a Unix time:
      the clock starts there now and advances at real speed (for a demo at a chosen time).
    """
    text = value.strip()
    if not text:
        return 0.0
    if _SHIFT.fullmatch(text):
        return float(text)
    try:
        return float(text) - wall
    except ValueError:
        pass
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"DAKA_CLOCK must be +N/-N seconds, a Unix time or an ISO 8601 instant, not {value!r}"
        ) from None
    if start.tzinfo is None:
        raise ValueError(f"DAKA_CLOCK needs a UTC offset (…+08:00 or …Z), not {value!r}")
    return start.timestamp() - wall
