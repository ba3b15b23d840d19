"""One export from start to end: the frame, the rows from a source, the writer."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from daka.exports import csv, xlsx
from daka.exports.layouts import Frame
from daka.exports.sources import Progress, Source, day_rows, month_rows


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
    source: Source, people: Sequence[str], export: Export, progress: Progress
) -> Written:
    """Write ``people``'s reports as ``export`` says; rows stream from source to file."""
    frame = Frame(
        source.tz, export.since, export.until, export.made_at, source.leaves(), source.segments()
    )
    target = export.target
    if export.kind == "day":
        days = day_rows(source, people, export.since, export.until, progress)
        if export.fmt == "xlsx":
            assert target is not None
            rows = xlsx.write_day_workbook(target, frame, days)
        else:
            rows = _csv(target, lambda out: csv.write_day_csv(out, frame, days))
    else:
        months = month_rows(source, people, export.since, export.until, progress)
        if export.fmt == "xlsx":
            assert target is not None
            rows = xlsx.write_month_workbook(target, frame, months)
        else:
            rows = _csv(target, lambda out: csv.write_month_csv(out, frame, months))
    return Written(rows, str(target) if target is not None else "stdout")


def _csv(target: Path | None, write: Callable[[TextIO], int]) -> int:
    if target is None:
        return write(sys.stdout)
    # Plain UTF-8, no BOM: the CSV is for programs, which would read a BOM into the first name.
    with target.open("w", encoding="utf-8", newline="") as out:
        return write(out)
