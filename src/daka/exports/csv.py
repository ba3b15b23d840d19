"""The CSV files: one header row of snake_case names, then one row per person-day (day) or per
person (month). Times are ISO 8601 in the corp's zone, durations whole minutes."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO, TypeVar

from daka.exports.daily import day_columns
from daka.exports.layouts import Column, Frame, PersonDay, PersonMonth
from daka.exports.monthly import month_columns

R = TypeVar("R")


def _write(out: TextIO, columns: Sequence[Column[R]], rows: Iterable[R], frame: Frame) -> int:
    keyed = [c for c in columns if c.key]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in keyed])
    written = 0
    for row in rows:
        writer.writerow([c.field(row, frame) for c in keyed])
        written += 1
    return written


def write_day_csv(out: TextIO, frame: Frame, rows: Iterable[PersonDay]) -> int:
    """One row per person-day; returns the rows written (the header not counted)."""
    return _write(out, day_columns(frame), rows, frame)


def write_month_csv(out: TextIO, frame: Frame, rows: Iterable[PersonMonth]) -> int:
    """One row per person; returns the rows written (the header not counted)."""
    return _write(out, month_columns(frame), rows, frame)
