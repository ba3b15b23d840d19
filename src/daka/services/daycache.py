"""Evaluated rows of *settled* user-days, kept in memory and checked against the database.

A day is settled once every punch window of it has closed: from then on its rows change only
if the user's punches or schedule change (the user's version in the database is bumped in the
same transaction) or the corp's rules or directory change (the corp's revision is bumped).
Entries are keyed by both, so a cached day is served only while both still match what is
stored: several server processes on one database never serve each other's stale rows.

The cache is bounded by the number of rows it holds; the least recently used users go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from daka.domain.evaluation import Row

DEFAULT_MAX_ROWS = 200_000


@dataclass(slots=True)
class _Entry:
    revision: int
    version: int
    days: dict[date, tuple[Row, ...]] = field(default_factory=dict)


class DayCache:
    """Rows of settled user-days, for one process."""

    def __init__(self, max_rows: int = DEFAULT_MAX_ROWS) -> None:
        self.max_rows = max_rows
        self._entries: OrderedDict[tuple[int, str], _Entry] = OrderedDict()
        self._rows = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(
        self, corp_id: int, userid: str, revision: int, version: int, days: Iterable[date]
    ) -> list[Row] | None:
        """The rows of ``days`` if every one of them is cached at this revision and version."""
        key = (corp_id, userid)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.revision != revision or entry.version != version:
                self.misses += 1
                return None
            rows: list[Row] = []
            for day in days:
                cached = entry.days.get(day)
                if cached is None:
                    self.misses += 1
                    return None
                rows.extend(cached)
            self._entries.move_to_end(key)
            self.hits += 1
            return rows

    def put(
        self,
        corp_id: int,
        userid: str,
        revision: int,
        version: int,
        days: Mapping[date, tuple[Row, ...]],
    ) -> None:
        """Remember the rows of settled days (replacing an entry of another version)."""
        if self.max_rows <= 0 or not days:
            return
        key = (corp_id, userid)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.revision != revision or entry.version != version:
                if entry is not None:
                    self._rows -= sum(len(r) for r in entry.days.values())
                entry = self._entries[key] = _Entry(revision, version)
            for day, rows in days.items():
                old = entry.days.get(day)
                self._rows += len(rows) - (len(old) if old is not None else 0)
                entry.days[day] = rows
            self._entries.move_to_end(key)
            while self._rows > self.max_rows and len(self._entries) > 1:
                _, evicted = self._entries.popitem(last=False)
                self._rows -= sum(len(r) for r in evicted.days.values())

    @property
    def rows(self) -> int:
        return self._rows
