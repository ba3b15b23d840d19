"""An export from the local database on every CPU: batches rendered by worker processes.

Evaluating and rendering a batch of people is CPU work, and one process has one CPU (the
GIL). So worker processes each open the database, take a batch, evaluate and render it as
:class:`~daka.exports.sources.LocalSource` and :mod:`daka.exports.render` do, and send the
cells back; the exporting process only writes them, in order. A few batches are in flight
at a time, so memory stays that of a few batches however many people there are.

A worker's corp view is checked against the exporting process's revision: a batch rendered
on another revision (the org changed mid-export) is rendered again by the exporter with its
own view, so the whole file is made on one revision, as a serial export is. So is a batch
whose worker failed or died: a lost worker costs time, never a row.
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
from daka.services.workers import start_worker, worker_store, worker_view


class Job(NamedTuple):
    """What every batch of one export shares."""

    kind: str  # day or month
    fmt: str  # xlsx or csv
    frame: Frame
    first: date
    last: date
    corp_id: int
    revision: int
    now: int


def rendered_rows(
    source: LocalSource, people: Sequence[str], job: Job, jobs: int, progress: Progress
) -> Iterator[Rendered]:
    """Every rendered row, people in order, ``jobs`` worker processes rendering."""
    url = source.store.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=start_worker, initargs=(url,)
    ) as pool:
        pending: deque[tuple[Sequence[str], Future[list[Rendered]]]] = deque()
        todo = batches(people)
        for batch in todo:
            pending.append((batch, pool.submit(_render, job, batch)))
            if len(pending) >= 2 * jobs:
                yield from _next(pending, source, job, progress)
        while pending:
            yield from _next(pending, source, job, progress)


def _next(
    pending: deque[tuple[Sequence[str], Future[list[Rendered]]]],
    source: LocalSource,
    job: Job,
    progress: Progress,
) -> Iterator[Rendered]:
    batch, future = pending.popleft()
    try:
        rows = future.result()
    except Exception:  # Stale, or a worker that died: this process renders the batch
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


def _render(job: Job, batch: Sequence[str]) -> list[Rendered]:
    store = worker_store()
    with store.read() as conn:
        view = worker_view(conn, job.corp_id, job.revision)
    return render_batch(LocalSource(store, view, job.now), job, batch)
