"""One export from start to end: the frame, the rows from a source, the writer."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from daka.exports import csv, parallel, xlsx
from daka.exports.layouts import Frame
from daka.exports.parallel import Job, can_fork
from daka.exports.render import Rendered, renderer
from daka.exports.sources import BATCH, LocalSource, Progress, Source, day_rows, month_rows


@dataclass(frozen=True, slots=True)
class Export:
    """What to export: ``kind`` day or month, ``fmt`` xlsx or csv, over since..until."""

    kind: str
    fmt: str
    since: date
    until: date
    made_at: int
    out: Path | None = None

    @property
    def target(self) -> Path | None:
        """The file written: ``--out``, else WeCom's file name for xlsx; None is stdout."""
        if self.out is not None or self.fmt == "csv":
            return self.out
        name = "日报" if self.kind == "day" else "月报"
        return Path(f"上下班打卡_{name}_{self.since:%Y%m%d}-{self.until:%Y%m%d}.xlsx")


@dataclass(frozen=True, slots=True)
class Written:
    rows: int
    target: str


def run_export(
    source: Source, people: Sequence[str], export: Export, progress: Progress, jobs: int = 1
) -> Written:
    """Write ``people``'s reports as ``export`` says; rows stream from source to file.

    ``jobs`` worker processes render a local source's batches (1: this process does).
    """
    frame = Frame(
        source.tz, export.since, export.until, export.made_at, source.leaves(), source.segments()
    )
    rows = _rendered(source, people, export, frame, progress, jobs)
    target = export.target
    if export.fmt == "csv":
        written = _csv(target, lambda out: csv.write_csv(out, export.kind, frame, rows))
    else:
        assert target is not None
        write = xlsx.write_day_workbook if export.kind == "day" else xlsx.write_month_workbook
        written = write(target, frame, rows)
    return Written(written, str(target) if target is not None else "stdout")


def _rendered(
    source: Source,
    people: Sequence[str],
    export: Export,
    frame: Frame,
    progress: Progress,
    jobs: int,
) -> Iterator[Rendered]:
    if jobs > 1 and isinstance(source, LocalSource) and len(people) > BATCH and can_fork():
        job = Job(export.kind, export.fmt, frame, export.since, export.until)
        return parallel.rendered_rows(source, people, job, jobs, progress)
    render = renderer(export.kind, export.fmt, frame)
    if export.kind == "day":
        return map(render, day_rows(source, people, export.since, export.until, progress))
    return map(render, month_rows(source, people, export.since, export.until, progress))


def _csv(target: Path | None, write: Callable[[TextIO], int]) -> int:
    if target is None:
        return write(sys.stdout)
    # Plain UTF-8, no BOM: the CSV is for programs, which would read a BOM into the first name.
    with target.open("w", encoding="utf-8", newline="") as out:
        return write(out)
