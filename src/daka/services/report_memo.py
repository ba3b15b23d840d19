"""Day reports kept between console requests while nothing they depend on has changed.

A settled day's report depends only on the person's punches and approvals (their *user
version*, bumped by every write that touches them) and on the corp's rules, directory and
holidays (the corp *revision*). Both are in the key, so an entry is never stale: a late
punch, a correction or an approval makes a new key and the old entry ages out. Filtering a
1,000-person month by exception, or drawing its trends, then evaluates each person once.

One thing besides the data moves a settled day's report: the clock, while a window of the
day (a night shift's 下班 reaches into the next morning) is still open. Runs ending within
the last two days therefore also carry a ten-minute time bucket in their key, so a 缺卡
shows at most ten minutes after its window closes; older runs are keyed on data alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date

from daka.domain.calendar import local_date
from daka.domain.reports import DayReport
from daka.services.corpview import CorpView
from daka.services.reports import day_reports
from daka.services.workers import ReportWorkers, in_place
from daka.storage.store import Store

MAX_PERSON_DAYS = 200_000  # ≈ 6,500 people's months; a few hundred MB at most

Key = tuple[int, int, str, int, date, date, int]
FRESH_DAYS = 2  # runs ending this close to today may still have open windows
BUCKET_SEC = 600


class ReportMemo:
    """An LRU of each person's day reports over a run of settled days."""

    def __init__(self, max_person_days: int = MAX_PERSON_DAYS) -> None:
        self.max_person_days = max_person_days
        self._entries: OrderedDict[Key, tuple[DayReport, ...]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def day_reports(
        self,
        store: Store,
        view: CorpView,
        userids: Sequence[str],
        days: Sequence[date],
        now: int,
        workers: ReportWorkers | None = None,
    ) -> dict[str, list[DayReport]]:
        """Each user's reports for ``days`` (consecutive and all settled), from the memo
        where the person's data is unchanged, evaluated otherwise (spread over ``workers``
        when there are many)."""
        if not days or not userids:
            return {u: [] for u in userids}
        corp, revision = view.corp.id, view.corp.revision
        today = local_date(now, view.tz)
        bucket = now // BUCKET_SEC if (today - days[-1]).days <= FRESH_DAYS else 0
        with store.read() as conn:
            versions = store.user_versions(conn, corp, userids)
            keys = {u: (corp, revision, u, versions[u], days[0], days[-1], bucket) for u in userids}
            found: dict[str, list[DayReport]] = {}
            with self._lock:
                for u, key in keys.items():
                    entry = self._entries.get(key)
                    if entry is not None:
                        self._entries.move_to_end(key)
                        found[u] = list(entry)
        missing = [u for u in userids if u not in found]
        if missing and workers is not None:
            found.update(workers.run(day_reports, store, view, missing, days, now))
        elif missing:
            found.update(in_place(day_reports, store, view, missing, days, now))
        with self._lock:
            self.hits += len(userids) - len(missing)
            self.misses += len(missing)
            for u in missing:
                self._put(keys[u], tuple(found[u]))
        return {u: found[u] for u in userids}

    def _put(self, key: Key, reports: tuple[DayReport, ...]) -> None:
        if key in self._entries:
            return
        self._entries[key] = reports
        self._size += max(1, len(reports))
        while self._size > self.max_person_days and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._size -= max(1, len(dropped))
