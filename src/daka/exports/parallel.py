"""An export from the local database on every CPU: batches rendered by worker processes.

Evaluating and rendering a batch of people is CPU work, and one process has one CPU (the
GIL). So worker processes take batches, evaluate and render them as
:class:`~daka.exports.sources.LocalSource` and :mod:`daka.exports.render` do, and send the
cells back; the exporting process only writes them, in order. A few batches are in flight
at a time, so memory stays that of a few batches however many people there are.

The workers are forked from the exporter once it has loaded the corp's view: they start
at once, with daka already imported and the very view the exporter holds, so the whole
file is made on one revision, as with ``--jobs 1``. The exporter is single-threaded when it
forks, and it closes its database connections first, so no worker inherits one: each opens
its own. A batch whose worker failed or died is rendered by the exporter: a lost worker
costs time, never a row. Where processes cannot be forked (not on Linux or macOS), the
export runs in one process.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from typing import NamedTuple

from daka.exports.layouts import Frame
from daka.exports.render import Rendered, renderer
from daka.exports.sources import LocalSource, Progress, batches


class Job(NamedTuple):
    """What every batch of one export shares."""

    kind: str  # day or month
    fmt: str  # xlsx or csv
    frame: Frame
    first: date
    last: date


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def rendered_rows(
    source: LocalSource, people: Sequence[str], job: Job, jobs: int, progress: Progress
) -> Iterator[Rendered]:
    """Every rendered row, people in order, ``jobs`` worker processes rendering."""
    global _forked
    source.store.engine.dispose()  # no connection crosses the fork
    # The workers are forked at the first submit, and inherit what _forked holds then.
    _forked = (source, job)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            pending: deque[tuple[Sequence[str], Future[list[Rendered]]]] = deque()
            for batch in batches(people):
                pending.append((batch, pool.submit(_render, batch)))
                if len(pending) >= 2 * jobs:
                    yield from _next(pending, source, job, progress)
            while pending:
                yield from _next(pending, source, job, progress)
    finally:
        _forked = None


def _next(
    pending: deque[tuple[Sequence[str], Future[list[Rendered]]]],
    source: LocalSource,
    job: Job,
    progress: Progress,
) -> Iterator[Rendered]:
    batch, future = pending.popleft()
    try:
        rows = future.result()
    except Exception:  # a worker that died or failed: this process renders the batch
        rows = render_batch(source, job, batch)
    yield from rows
    progress(len(batch))


def render_batch(source: LocalSource, job: Job, batch: Sequence[str]) -> list[Rendered]:
    """One batch of people, evaluated by ``source`` and rendered."""
    render = renderer(job.kind, job.fmt, job.frame)
    if job.kind == "day":
        return [render(row) for row in source.days(batch, job.first, job.last)]
    return [render(row) for row in source.months(batch, job.first, job.last)]


# -- inside a worker process ----------------------------------------------------------------

# What the workers render with: set by rendered_rows while they are forked.
_forked: tuple[LocalSource, Job] | None = None


def _render(batch: Sequence[str]) -> list[Rendered]:
    assert _forked is not None, "a worker forked outside rendered_rows"
    source, job = _forked
    return render_batch(source, job, batch)
