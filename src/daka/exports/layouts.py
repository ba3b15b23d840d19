"""The columns of the exports: one definition per column feeds the workbook and the CSV.

A :class:`Column` has its place in WeCom's header (group on row 3 and title on row 4 of the
daily sheet, or the title with its unit on a second line in the monthly sheet), the value the
workbook shows (hours with one decimal, WeCom's texts, ``--`` for nothing) and the value the
CSV carries (snake_case name, integer minutes, ISO 8601 times). A column with no ``key`` is
in the workbook only (the monthly sheet's day columns); one with no ``title`` in the CSV only.

The columns themselves are in :mod:`daka.exports.daily` and :mod:`daka.exports.monthly`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from daka.client import CheckinRecord, DayReport, MonthReport
from daka.exports import cells as c

Cell = str | int | float
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class LeaveType:
    """A vacation of the corp (getcorpconf's ``lists[]``): one leave column each."""

    id: int
    name: str
    by_hour: bool = False

    @property
    def unit(self) -> int:
        """Unit-seconds of one day or one hour of this leave."""
        return c.HOUR if self.by_hour else c.DAY

    @property
    def unit_name(self) -> str:
        return "小时" if self.by_hour else "天"


@dataclass(frozen=True, slots=True)
class Frame:
    """What the layouts need about the whole export: zone, days, leave types, segments."""

    tz: ZoneInfo
    since: date
    until: date
    made_at: int  # Unix time the export was made (制表时间)
    leaves: tuple[LeaveType, ...] = ()
    segments: int = 1  # 上班N/下班N pairs: the most work segments of the corp's rules

    @property
    def days(self) -> list[date]:
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]

    @property
    def unit_of(self) -> dict[int, int]:
        return {leave.id: leave.unit for leave in self.leaves}


@dataclass(frozen=True, slots=True)
class PersonDay:
    """One row of the daily sheet: a day report and that day's getcheckindata rows."""

    report: DayReport
    punches: tuple[CheckinRecord, ...] = ()

    @property
    def day(self) -> int:
        return self.report.date

    def of_type(self, checkin_type: str) -> list[CheckinRecord]:
        return [p for p in self.punches if p.checkin_type == checkin_type]


@dataclass(frozen=True, slots=True)
class PersonMonth:
    """One row of the monthly sheet: the month report and the person's day reports by date.

    A source that has the day columns' texts already (the local one, see
    :class:`daka.exports.models.MonthCells`) gives them as ``cells`` with the count of
    ``attended`` days, and no day reports.
    """

    report: MonthReport
    days: Mapping[date, DayReport] = field(default_factory=dict)
    cells: Mapping[date, str] | None = None
    attended: int | None = None

    @property
    def attended_days(self) -> int:
        """实际出勤天数: days with at least one punch (the API has no such field)."""
        if self.attended is not None:
            return self.attended
        return sum(1 for d in self.days.values() if d.checkin_count > 0)

    def day_cell(self, day: date, unit_of: dict[int, int]) -> str:
        """The day column's text: ``正常``, ``迟到15分钟``, ``年假1天``, ``--`` (no report)…"""
        if self.cells is not None:
            return self.cells.get(day, c.NOTHING)
        return c.month_cell(self.days.get(day), unit_of)


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    """One column: where it sits in WeCom's header, what the workbook and the CSV carry."""

    group: str
    title: str
    unit: str
    key: str
    cell: Callable[[R, Frame], Cell]
    field: Callable[[R, Frame], Cell] = field(default=lambda row, frame: "")

    @property
    def heading(self) -> str:
        """The title with its unit as WeCom writes it on one line: ``迟到时长(分钟)``."""
        return f"{self.title}({self.unit})" if self.unit else self.title

    @property
    def stacked(self) -> str:
        """The title with its unit on a second line, as the monthly sheet writes it."""
        return f"{self.title}\n({self.unit})" if self.unit else self.title


@dataclass(frozen=True, slots=True)
class PunchRow:
    """One row of the sheet 打卡详情: a punch and the day report it belongs to."""

    day: PersonDay
    punch: CheckinRecord


def column(
    group: str,
    title: str,
    unit: str,
    key: str,
    cell: Callable[[R, Frame], Cell],
    csv: Callable[[R, Frame], Cell] | None = None,
) -> Column[R]:
    return Column(group, title, unit, key, cell, csv or cell)
