"""Settings: one typed object, read at the edge (CLI flags and ``DAKA_*`` environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass
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

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from the environment, then explicit overrides (CLI flags)."""
        ttl = os.environ.get("DAKA_TOKEN_EXPIRES_IN", "7200")
        if not (ttl.isascii() and ttl.isdigit()) or int(ttl) <= 0:  # "²".isdigit() is true
            raise ValueError(f"DAKA_TOKEN_EXPIRES_IN must be a positive integer, not {ttl!r}")
        cache = os.environ.get("DAKA_DAY_CACHE_ROWS", "200000")
        if not (cache.isascii() and cache.isdigit()):
            raise ValueError(f"DAKA_DAY_CACHE_ROWS must be a whole number, not {cache!r}")
        values: dict[str, object] = {
            "db_url": os.environ.get("DAKA_DB", DEFAULT_DB),
            "token_ttl": int(ttl),
            "day_cache_rows": int(cache),
            "media_dir": Path(os.environ["DAKA_MEDIA_DIR"])
            if os.environ.get("DAKA_MEDIA_DIR") else None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
