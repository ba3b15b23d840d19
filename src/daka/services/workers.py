"""Reports over many people, evaluated on every CPU: worker processes beside the caller.

One Python process evaluates on one CPU at a time (the GIL), and a month report of
thousands of people is CPU work: evaluation and day reports, not the database. So a report
call over many person-days is cut into slices: the calling thread evaluates the first, each
worker process one of the others. A worker has its own engine on the same database and its
own cache of corp views, checked against the corp's revision as the server's is; a slice a
worker evaluated on a view at another revision than the caller's (the org changed in
between) is evaluated again by the caller, so an answer never mixes two revisions. A worker
that fails or dies costs speed, never an answer: the caller evaluates that slice itself.

Workers start on the first report call and load that corp's view in the background; until
they are ready the caller evaluates everything, as it does for small calls and where there
are no workers (``processes`` 0, or an in-memory SQLite database no other process can open).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.engine import Connection

from daka.services.corpview import CorpView, CorpViews
from daka.services.heap import tune_collector
from daka.storage.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[Connection, Store, CorpView, Sequence[str], Sequence[date], int], dict[str, T]]

RETRY_AFTER = 60.0  # seconds before starting workers again after they failed to start

# Below this many person-days a call is cheaper evaluated in place than shipped to a
# process and back; a call of 100 people and one day (about 12 ms of work, half of it
# reading) is worth splitting.
MIN_PERSON_DAYS = 100


def default_processes() -> int:
    """One worker per CPU beyond the caller's own, at most 7; none on one CPU."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(0, min((cpus or 1) - 1, 7))


def shareable(db_url: str) -> bool:
    """Whether other processes can open ``db_url`` (an in-memory SQLite database is private)."""
    from sqlalchemy.engine import make_url

    from daka.storage.engine import is_sqlite, normalize_url

    url = normalize_url(db_url)
    if not is_sqlite(url):
        return True
    database = make_url(url).database or ""
    return database not in ("", ":memory:") and "mode=memory" not in url


class Stale(Exception):
    """The worker's corp view is at another revision than the caller's."""


class ReportWorkers:
    """A pool of ``processes`` worker processes on ``db_url`` for report calls."""

    def __init__(self, db_url: str, processes: int) -> None:
        self.db_url, self.processes = db_url, processes
        self.slices_sent = 0  # slices evaluated by workers
        self.slices_redone = 0  # slices a worker could not answer, evaluated in place
        self._pool: ProcessPoolExecutor | None = None
        self._ready: list[Future[Any]] = []
        self._lock = threading.Lock()
        self._closed = False
        self._failed_at: float | None = None

    def run(
        self,
        work: Work[T],
        store: Store,
        view: CorpView,
        userids: Sequence[str],
        days: Sequence[date],
        now: int,
    ) -> dict[str, T]:
        """``work(conn, store, view, userids, days, now)``, spread over the workers when they
        are ready and the call is big enough; the same answer either way."""
        pool = self._usable(view.corp.id)
        if pool is None or len(userids) * len(days) < MIN_PERSON_DAYS or len(userids) < 2:
            return in_place(work, store, view, userids, days, now)
        slices = _slices(userids, self.processes + 1)
        name = work.__name__
        futures = [self._submit(pool, name, view, part, days, now) for part in slices[1:]]
        out = in_place(work, store, view, slices[0], days, now)
        for part, future in zip(slices[1:], futures, strict=True):
            out.update(self._collect(future, work, store, view, part, days, now))
        return {u: out[u] for u in userids}

    def warm(self, corp_id: int, timeout: float | None = None) -> bool:
        """Start the workers if they are not, and wait up to ``timeout`` seconds for them to
        hold the corp's view. Whether they are ready."""
        self._usable(corp_id)
        with self._lock:
            futures = list(self._ready)
        if not futures:
            return False
        done, _ = wait(futures, timeout)
        return len(done) == len(futures) and self._usable(corp_id) is not None

    def pids(self) -> list[int]:
        """The worker processes' ids (none before they start)."""
        with self._lock:
            pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return sorted(processes)

    def _submit(
        self,
        pool: ProcessPoolExecutor,
        name: str,
        view: CorpView,
        part: Sequence[str],
        days: Sequence[date],
        now: int,
    ) -> Future[Any] | None:
        """The slice handed to a worker, or None when the pool broke (a worker died) before
        it could take it: the slice is then evaluated in place."""
        try:
            return pool.submit(_work, name, view.corp.id, view.corp.revision, part, days, now)
        except (BrokenProcessPool, RuntimeError):
            log.warning("the report workers are gone; a slice is evaluated in place")
            self._discard()
            return None

    def _collect(
        self,
        future: Future[dict[str, T]] | None,
        work: Work[T],
        store: Store,
        view: CorpView,
        part: Sequence[str],
        days: Sequence[date],
        now: int,
    ) -> dict[str, T]:
        if future is None:  # never handed out: the pool had broken
            self.slices_redone += 1
            return in_place(work, store, view, part, days, now)
        try:
            result = future.result()
            self.slices_sent += 1
            return result
        except Stale:
            pass
        except Exception:
            log.exception("a report worker failed; the slice is evaluated in place")
            self._discard()
        self.slices_redone += 1
        return in_place(work, store, view, part, days, now)

    def _usable(self, corp_id: int) -> ProcessPoolExecutor | None:
        """The pool if its workers are up (with this corp's view warm or warming); else
        start it and answer None for now."""
        if self.processes <= 0 or self._closed:
            return None
        with self._lock:
            if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_AFTER:
                return None
            if self._pool is None:
                context = multiprocessing.get_context("spawn")  # never fork a threaded server
                self._pool = ProcessPoolExecutor(
                    self.processes,
                    mp_context=context,
                    initializer=_start_worker,
                    initargs=(self.db_url,),
                )
                self._ready = [self._pool.submit(_warm, corp_id) for _ in range(self.processes)]
                return None
            if not all(f.done() for f in self._ready):
                return None
            if any(f.exception() is not None for f in self._ready):
                # The workers cannot open the database, or died starting: not again for a while.
                log.error("report workers failed to start: %s", _first_error(self._ready))
                self._failed_at = time.monotonic()
                pool, self._pool, self._ready = self._pool, None, []
                pool.shutdown(wait=False, cancel_futures=True)
                return None
            self._failed_at = None
            return self._pool

    def _discard(self) -> None:
        with self._lock:
            pool, self._pool, self._ready = self._pool, None, []
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers (the server is shutting down)."""
        self._closed = True
        self._discard()


def _first_error(futures: Sequence[Future[Any]]) -> BaseException | None:
    return next((e for f in futures if (e := f.exception()) is not None), None)


def in_place(
    work: Work[T],
    store: Store,
    view: CorpView,
    userids: Sequence[str],
    days: Sequence[date],
    now: int,
) -> dict[str, T]:
    """``work`` in this thread, in one read transaction."""
    with store.read() as conn:
        return work(conn, store, view, userids, days, now)


def _slices(userids: Sequence[str], n: int) -> list[Sequence[str]]:
    """``userids`` cut into ``n`` runs of nearly equal length (none empty)."""
    n = max(1, min(n, len(userids)))
    size, extra = divmod(len(userids), n)
    out: list[Sequence[str]] = []
    start = 0
    for k in range(n):
        stop = start + size + (1 if k < extra else 0)
        out.append(userids[start:stop])
        start = stop
    return out


# -- inside a worker process ----------------------------------------------------------------

_store: Store | None = None
_views: CorpViews | None = None


def _start_worker(db_url: str) -> None:
    """A worker process's start: its own engine on the database, its own view cache."""
    from daka.storage.engine import create_db_engine

    tune_collector()
    global _store, _views
    _store = Store(create_db_engine(db_url))
    _views = CorpViews(_store)


def _worker_view(conn: Connection, corp_id: int, revision: int) -> CorpView:
    """The worker's view of the corp, which must be at ``revision`` (else :class:`Stale`)."""
    assert _views is not None, "_start_worker first"
    view = _views.get(conn, corp_id)
    if view.corp.revision != revision:
        raise Stale(f"corp {corp_id} is at revision {view.corp.revision}, not {revision}")
    return view


def _worker_store() -> Store:
    assert _store is not None, "_start_worker first"
    return _store


def _warm(corp_id: int) -> None:
    """Load the corp's view, so the first slice does not wait for it."""
    with _worker_store().read() as conn:
        assert _views is not None
        _views.get(conn, corp_id)


def _work(
    name: str, corp_id: int, revision: int, userids: Sequence[str], days: Sequence[date], now: int
) -> dict[str, Any]:
    from daka.services import reports

    work: Work[Any] = getattr(reports, name)
    store = _worker_store()
    with store.read() as conn:
        return work(conn, store, _worker_view(conn, corp_id, revision), userids, days, now)
