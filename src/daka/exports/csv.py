"""The CSV files: one header row of snake_case names, then one row per person-day (day) or per
person (month). Times are ISO 8601 in the corp's zone, durations whole minutes."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from daka.exports.daily import day_columns
from daka.exports.layouts import Frame
from daka.exports.monthly import month_columns
from daka.exports.render import Rendered, shown


def write_csv(out: TextIO, kind: str, frame: Frame, rows: Iterable[Rendered]) -> int:
    """The header, then rows rendered by :func:`daka.exports.render.renderer` (``kind``,
    ``"csv"``): one per person-day (day) or per person (month). Returns the rows written (the
    header not counted)."""
    columns = shown(day_columns(frame) if kind == "day" else month_columns(frame), "csv")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    written = 0
    for cells, _ in rows:
        writer.writerow(cells)
        written += 1
    return written
