"""Trends over many people's day reports: attendance per day, lateness by department,
overtime by week. Pure sums over :class:`daka.domain.reports.DayReport` values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from daka.domain.reports import DayReport, ExceptionKind, SpKind

AWAY = (SpKind.LEAVE, SpKind.TRIP)


@dataclass(frozen=True, slots=True)
class DayAttendance:
    """One day: people due at work, and those of them who punched."""

    day: date
    due: int = 0
    attended: int = 0

    @property
    def rate(self) -> float:
        return self.attended / self.due if self.due else 0.0


def _away_all_day(report: DayReport) -> bool:
    return report.summary.checkin_count == 0 and any(
        i.kind in AWAY and i.duration > 0 for i in report.sp_items
    )


def attendance_by_day(reports: Iterable[DayReport]) -> list[DayAttendance]:
    """Per day: who was due (a workday under a rule, not away on leave or a trip without
    punching) and who of them punched at least once. Days in date order."""
    due: dict[date, int] = {}
    attended: dict[date, int] = {}
    for r in reports:
        if r.rest_day or not r.rule_id or _away_all_day(r):
            due.setdefault(r.date, 0)
            continue
        due[r.date] = due.get(r.date, 0) + 1
        if r.summary.checkin_count > 0:
            attended[r.date] = attended.get(r.date, 0) + 1
    return [DayAttendance(d, due[d], attended.get(d, 0)) for d in sorted(due)]


def late_by_group(
    reports: Iterable[DayReport], group_of: Callable[[str], str]
) -> dict[str, tuple[int, int]]:
    """``group → (times late, seconds late)``, over every group that has a report."""
    out: dict[str, tuple[int, int]] = {}
    for r in reports:
        group = group_of(r.userid)
        times, seconds = out.get(group, (0, 0))
        for e in r.exceptions:
            if e.kind is ExceptionKind.LATE:
                times, seconds = times + e.count, seconds + e.duration
        out[group] = (times, seconds)
    return out


def week_of(day: date) -> date:
    """The Monday starting ``day``'s week."""
    return day - timedelta(days=day.weekday())


def overtime_by_week(reports: Iterable[DayReport]) -> Mapping[date, int]:
    """Seconds of overtime per week (keyed by its Monday), weeks in order."""
    out: dict[date, int] = {}
    for r in reports:
        week = week_of(r.date)
        out[week] = out.get(week, 0) + r.overtime.duration
    return dict(sorted(out.items()))
