"""Day reports kept between console requests while nothing they depend on has changed.

A settled day's report depends only on the person's punches and approvals (their *user
version*, bumped by every write that touches them) and on the corp's rules, directory and
holidays (the corp *revision*). Both are in the key, so an entry is never stale: a late
punch, a correction or an approval makes a new key and the old entry ages out. Filtering a
1,000-person month by exception, or drawing its trends, then evaluates each person once.

One thing besides the data moves a settled day's report: the clock, while a window of the
day is still open (yesterday's 下班 window reaches into this morning; a night shift's
longer). Until the last window of a run's last day has closed, its key also carries a
ten-minute time bucket, so a 缺卡 shows at most ten minutes after its window closes; after
that, the key is the data alone.

:meth:`ReportMemo.warm` fills the memo in the background (the console asks for this month
when someone opens it), so that the month's grid, filters and trends answer from memory.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date, timedelta

from daka.domain.calendar import day_start, local_date
from daka.domain.evaluation import slot_instances
from daka.domain.reports import DayReport
from daka.services.checkin import resolve_days
from daka.services.corpview import CorpView
from daka.services.reports import day_reports
from daka.services.workers import ReportWorkers, in_place
from daka.storage.store import Store

log = logging.getLogger("daka.memo")

MAX_PERSON_DAYS = 200_000  # ≈ 6,500 people's months; a few hundred MB at most
BUCKET_SEC = 600
WARM_CHUNK = 200  # people evaluated at a time by the warmer

Key = tuple[int, int, str, int, date, date, int]
ONE_DAY = timedelta(days=1)


def final_at(store: Store, view: CorpView, userids: Sequence[str], day: date) -> int:
    """When the last punch window of ``day`` closes for any of ``userids``: from then on
    their reports of the day no longer move with the clock."""
    latest = day_start(day + ONE_DAY, view.tz)
    with store.read() as conn:
        lists = resolve_days(conn, store, view, userids, [day - ONE_DAY, day, day + ONE_DAY])
    seen: set[int] = set()
    for userid in userids:
        days = lists[userid]
        if id(days) in seen:
            continue
        seen.add(id(days))
        for instance in slot_instances(days):
            if instance.day == day:
                latest = max(latest, instance.span_close)
    return latest


class ReportMemo:
    """An LRU of each person's day reports over a run of settled days."""

    def __init__(self, max_person_days: int = MAX_PERSON_DAYS) -> None:
        self.max_person_days = max_person_days
        self._entries: OrderedDict[Key, tuple[DayReport, ...]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self._warmed: set[tuple[int, int, date, date]] = set()
        self._warmers: list[threading.Thread] = []
        self._closing = threading.Event()

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
        bucket = self._bucket(store, view, userids, days[-1], now)
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

    @staticmethod
    def _bucket(store: Store, view: CorpView, userids: Sequence[str], last: date, now: int) -> int:
        """0 when the run's last day is final; else the current ten-minute bucket."""
        if (local_date(now, view.tz) - last).days > 2:
            return 0  # windows never reach more than a day past their day
        return 0 if now >= final_at(store, view, userids, last) else 1 + now // BUCKET_SEC

    def warm(
        self,
        store: Store,
        view: CorpView,
        userids: Sequence[str],
        days: Sequence[date],
        now: int,
        workers: ReportWorkers | None = None,
    ) -> bool:
        """Evaluate ``userids``' reports of ``days`` into the memo in a background thread,
        once per corp revision and run of days. Whether a warmer started."""
        if not days or not userids or len(userids) * len(days) > self.max_person_days // 2:
            return False
        key = (view.corp.id, view.corp.revision, days[0], days[-1])
        with self._lock:
            if key in self._warmed or self._closing.is_set():
                return False
            self._warmed.add(key)
            self._warmers = [t for t in self._warmers if t.is_alive()]
            thread = threading.Thread(
                target=self._warm,
                args=(store, view, list(userids), list(days), now, workers),
                name="daka-memo-warmer",
                daemon=True,
            )
            self._warmers.append(thread)
        thread.start()
        return True

    def _warm(
        self,
        store: Store,
        view: CorpView,
        userids: list[str],
        days: list[date],
        now: int,
        workers: ReportWorkers | None,
    ) -> None:
        try:
            for k in range(0, len(userids), WARM_CHUNK):
                if self._closing.is_set():
                    return
                self.day_reports(store, view, userids[k : k + WARM_CHUNK], days, now, workers)
        except Exception:  # a warmer only saves time: a failure costs nothing else
            log.exception("warming the report memo failed")

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the warmers to finish."""
        with self._lock:
            threads = list(self._warmers)
        for thread in threads:
            thread.join(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Stop the warmers (each finishes the chunk it is on)."""
        self._closing.set()
        self.wait(timeout)

    def _put(self, key: Key, reports: tuple[DayReport, ...]) -> None:
        if key in self._entries:
            return
        self._entries[key] = reports
        self._size += max(1, len(reports))
        while self._size > self.max_person_days and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._size -= max(1, len(dropped))
