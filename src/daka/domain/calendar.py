"""Local days in a corp's timezone, as Unix timestamps of their midnights."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def day_start(day: date, tz: ZoneInfo) -> int:
    """Unix timestamp of local 00:00 of ``day`` in ``tz``."""
    return int(datetime.combine(day, time(0), tzinfo=tz).timestamp())


def local_date(ts: int, tz: ZoneInfo) -> date:
    """The local calendar date of a Unix timestamp."""
    return datetime.fromtimestamp(ts, tz).date()


def date_range(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]
