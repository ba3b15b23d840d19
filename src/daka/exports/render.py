"""Rows turned into the cells a file holds: what the workbook shows or what the CSV carries.

Rendering is apart from writing so that it can happen elsewhere: an export from the local
database renders its batches in worker processes and only the writing stays in one place
(see :mod:`daka.exports.parallel`). A rendered row is the row's cells and the cells of the
rows it brings to a second sheet (the daily workbook's 打卡详情: one per punch).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from daka.exports.daily import day_columns, punch_columns
from daka.exports.layouts import Cell, Column, Frame, PersonDay, PersonMonth, PunchRow
from daka.exports.monthly import month_columns

Rendered = tuple[list[Cell], list[list[Cell]]]
Renderer = Callable[[Any], Rendered]


def shown(columns: list[Column[Any]], fmt: str) -> list[Column[Any]]:
    """The columns a format has: titled ones in the workbook, keyed ones in the CSV."""
    return [c for c in columns if (c.title if fmt == "xlsx" else c.key)]


@lru_cache(maxsize=8)
def renderer(kind: str, fmt: str, frame: Frame) -> Renderer:
    """How a ``kind`` (day or month) row becomes cells of format ``fmt`` (xlsx or csv)."""
    if kind == "month":
        months = shown(month_columns(frame), fmt)
        return _month(months, fmt, frame)
    days = shown(day_columns(frame), fmt)
    punches = shown(punch_columns(), fmt) if fmt == "xlsx" else []
    return _day(days, punches, fmt, frame)


def _month(columns: list[Column[PersonMonth]], fmt: str, frame: Frame) -> Renderer:
    if fmt == "xlsx":
        return lambda row: ([c.cell(row, frame) for c in columns], [])
    return lambda row: ([c.field(row, frame) for c in columns], [])


def _day(
    columns: list[Column[PersonDay]], punches: list[Column[PunchRow]], fmt: str, frame: Frame
) -> Renderer:
    if fmt != "xlsx":
        return lambda row: ([c.field(row, frame) for c in columns], [])

    def render(row: PersonDay) -> Rendered:
        details = [[c.cell(PunchRow(row, p), frame) for c in punches] for p in row.punches]
        return [c.cell(row, frame) for c in columns], details

    return render
