"""The workbooks, in WeCom's layouts, written with XlsxWriter in ``constant_memory`` mode.

``constant_memory`` flushes each row to disk once the next one starts, so a workbook of
10,000 people takes the memory of one row. Its one rule is that rows are written in order;
the header below is written row by row for that reason, and a merge spanning rows 3–4 is
declared while row 4 is written (its row-3 text was written with row 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from daka.exports.daily import day_columns, punch_columns
from daka.exports.layouts import Column, Frame
from daka.exports.monthly import month_columns
from daka.exports.render import Rendered, shown

DAY_SHEET = "概况统计与打卡明细"
PUNCH_SHEET = "打卡详情"
MONTH_SHEET = "上下班打卡_月报"


def _span(frame: Frame) -> str:
    return f"统计时间:{frame.since:%m-%d} ～ {frame.until:%m-%d}"


def _made(frame: Frame) -> str:
    made = datetime.fromtimestamp(frame.made_at, frame.tz)
    offset = made.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return f"制表时间:{made:%Y-%m-%d %H:%M}(UTC{hours:+d})"


class _Book:
    """A constant-memory workbook and the few formats the layouts use."""

    def __init__(self, out: Path) -> None:
        self.book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.head = self.book.add_format(
            {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True}
        )
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def close(self) -> None:
        self.book.close()


def _frame_rows(sheet: Worksheet, book: _Book, name: str, frame: Frame, width: int) -> None:
    """Rows 1–2: the title, then the time span and when the file was made."""
    last = max(width - 1, 1)
    sheet.merge_range(0, 0, 0, last, name, book.title)
    sheet.merge_range(1, 0, 1, last, f"{_span(frame)}     {_made(frame)}", None)


def _groups(columns: Sequence[Column[Any]]) -> list[tuple[str, int, int]]:
    """Runs of equal group names: ``(group, first column, last column)``."""
    out: list[tuple[str, int, int]] = []
    for i, col in enumerate(columns):
        if out and out[-1][0] == col.group and col.group:
            out[-1] = (col.group, out[-1][1], i)
        else:
            out.append((col.group, i, i))
    return out


def _merge_down(sheet: Worksheet, top: int, bottom: int, col: int) -> None:
    """Merge ``col`` over rows ``top``..``bottom``, both already written.

    ``merge_range`` cannot do it in constant_memory mode: it writes the top cell, and once
    the bottom row has started, the top row is on disk. The merge itself is only a range
    listed in the sheet's XML, which is what XlsxWriter's ``merge`` list holds.
    """
    sheet.merge.append([top, col, bottom, col])


def write_day_workbook(out: Path, frame: Frame, rows: Iterable[Rendered]) -> int:
    """The daily report workbook: sheets 概况统计与打卡明细 and 打卡详情, from rows rendered
    by :func:`daka.exports.render.renderer` (``"day"``, ``"xlsx"``). Returns the person-days
    written."""
    book = _Book(out)
    columns = shown(day_columns(frame), "xlsx")
    sheet = book.book.add_worksheet(DAY_SHEET)
    details = book.book.add_worksheet(PUNCH_SHEET)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, len(columns) - 1, 11)
    _frame_rows(sheet, book, DAY_SHEET, frame, len(columns))
    # Row 3: the groups (merged across their columns), or an ungrouped column's own title,
    # merged down over row 4 once row 4 is written.
    groups = _groups(columns)
    for group, first, last in groups:
        text = group or columns[first].heading
        if first == last:
            sheet.write(2, first, text, book.head)
        else:
            sheet.merge_range(2, first, 2, last, text, book.head)
    for i, col in enumerate(columns):
        sheet.write(3, i, col.heading if col.group else None, book.head)
    for group, first, _ in groups:
        if not group:
            _merge_down(sheet, 2, 3, first)
    sheet.freeze_panes(4, 3)

    punch_cols = shown(punch_columns(), "xlsx")
    details.set_column(0, len(punch_cols) - 1, 14)
    _frame_rows(details, book, PUNCH_SHEET, frame, len(punch_cols))
    details.write_row(2, 0, [c.heading for c in punch_cols], book.head)
    details.freeze_panes(3, 0)

    written = punches = 0
    for cells, punch_cells in rows:
        sheet.write_row(4 + written, 0, cells)
        written += 1
        for punch in punch_cells:
            details.write_row(3 + punches, 0, punch)
            punches += 1
    book.close()
    return written


def write_month_workbook(out: Path, frame: Frame, rows: Iterable[Rendered]) -> int:
    """The monthly report workbook: sheet 上下班打卡_月报, from rows rendered by
    :func:`daka.exports.render.renderer` (``"month"``, ``"xlsx"``). Returns the people
    written."""
    book = _Book(out)
    columns = shown(month_columns(frame), "xlsx")
    sheet = book.book.add_worksheet(MONTH_SHEET)
    sheet.set_column(0, len(columns) - 1, 10)
    sheet.write(0, 0, MONTH_SHEET, book.title)
    sheet.write(1, 0, f"{_span(frame)}     {_made(frame)}")
    sheet.set_row(3, 32)
    sheet.write_row(3, 0, [c.stacked for c in columns], book.head)
    sheet.freeze_panes(4, 1)
    written = 0
    for cells, _ in rows:
        sheet.write_row(4 + written, 0, cells)
        written += 1
    book.close()
    return written
