"""daka's own day reports as the SDK's models, without the trip through JSON.

A local export hands the writers the same SDK models a remote one does (so one code makes
both files), and a month of 10,000 people is 310,000 day reports: building each model from
the answer's JSON (:func:`daka.wire.reports.day_view`, then ``DayReport.from_raw``) was a
third of the export's time. :func:`day_model` builds the model the JSON would give,
directly; the parts shared by many days (a rule's ``rule_info``, a day with no overtime,
the 外勤 item every day lists) are built once. Its ``raw`` is that JSON, made only if read.
tests/exports/test_models.py holds it equal to ``DayReport.from_raw(day_view(...))``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from daka.client import (
    CheckinTime,
    DayOvertime,
    DayReport,
    DaySummary,
    HolidayInfo,
    I18nText,
    ReportBaseInfo,
    ReportException,
    ReportRule,
    ReportSpItem,
)
from daka.domain.overtime import OvertimeDay
from daka.domain.reports import ApprovalNote, ExceptionCount, SpItem
from daka.domain.reports import DayReport as Report
from daka.exports.cells import month_cell
from daka.wire.reports import day_view

Person = tuple[str, str, str]  # name, alias (name_ex), departs_name


def day_model(report: Report, person: Person) -> DayReport:
    """The SDK's ``DayReport`` for ``report`` of the person ``(name, alias, departs_name)``:
    equal to ``DayReport.from_raw(day_view(report, *person))``."""
    name, alias, departs = person
    s = report.summary
    day_type = 1 if report.rest_day else 0
    rule = _rule(
        report.rule_id, report.rule_name, report.schedule_id, report.schedule_name,
        report.checkintime,
    )  # fmt: skip
    base = ReportBaseInfo(
        report.day_start,
        int(report.record_type),
        name,
        alias,
        departs,
        report.userid,
        rule,
        day_type,
    )
    summary = DaySummary(s.checkin_count, s.worked_sec, s.standard_sec, s.earliest, s.latest)
    return DayReport(
        userid=report.userid,
        name=name,
        date=report.day_start,
        record_type=int(report.record_type),
        day_type=day_type,
        groupid=report.rule_id,
        groupname=report.rule_name,
        checkin_count=s.checkin_count,
        regular_work_sec=s.worked_sec,
        standard_work_sec=s.standard_sec,
        earliest_time=s.earliest,
        lastest_time=s.latest,
        exceptions=tuple(map(_exception, report.exceptions)),
        base_info=base,
        summary_info=summary,
        holiday_infos=tuple(map(_note, report.notes)),
        ot_info=_overtime(report.overtime),
        sp_items=tuple(map(_sp_item, report.sp_items)),
        raw=LazyJSON(report, person),
    )


@lru_cache(maxsize=1024)
def _rule(
    rule_id: int,
    rule_name: str,
    schedule_id: int,
    schedule_name: str,
    checkintime: tuple[tuple[int, int], ...],
) -> ReportRule:
    times = tuple(CheckinTime(on, off) for on, off in checkintime)
    return ReportRule(rule_id, rule_name, schedule_id, schedule_name, times)


@lru_cache(maxsize=4096)
def _exception(e: ExceptionCount) -> ReportException:
    return ReportException(int(e.kind), e.count, e.duration)


@lru_cache(maxsize=4096)
def _sp_item(i: SpItem) -> ReportSpItem:
    return ReportSpItem(int(i.kind), i.vacation_id, i.count, i.duration, int(i.time_type), i.name)


@lru_cache(maxsize=4096)
def _overtime(ot: OvertimeDay) -> DayOvertime:
    values = {
        c: (ot.as_vacation, ot.as_money) if c == int(ot.category) else (0, 0) for c in (0, 1, 2)
    }
    return DayOvertime(
        int(ot.status),
        ot.duration,
        tuple(ot.shortfall),
        *values[0],
        *values[1],
        *values[2],
    )


def _note(note: ApprovalNote) -> HolidayInfo:
    return HolidayInfo(
        note.sp_no,
        (I18nText(note.title, "zh_CN"),),
        (I18nText(note.description, "zh_CN"),),
    )


class MonthCells:
    """The monthly sheet's day columns for daka's own day reports.

    A day's text (``正常``, ``迟到15分钟``, ``年假1天;旷工``…) is
    :func:`daka.exports.cells.month_cell` of the day's SDK model, and it depends only on
    the day's 假勤 items, exceptions, overtime and whether it is a rest day: so it is worked
    out once per distinct combination of those, not once for each of a month's 310,000 days.
    """

    MAX_KNOWN = 20_000  # distinct combinations kept (late minutes and leave spans vary)

    def __init__(self, unit_of: dict[int, int]) -> None:
        self.unit_of = unit_of
        self._known: dict[tuple[Any, ...], str] = {}

    def cell(self, report: Report) -> str:
        key = (report.sp_items, report.exceptions, report.overtime.duration, report.rest_day)
        text = self._known.get(key)
        if text is None:
            if len(self._known) >= self.MAX_KNOWN:
                self._known.clear()
            text = month_cell(day_model(report, ("", "", "")), self.unit_of)
            self._known[key] = text
        return text


class LazyJSON(Mapping[str, Any]):
    """The report's getcheckin_daydata JSON, made the first time it is read."""

    __slots__ = ("_report", "_person", "_made")

    def __init__(self, report: Report, person: Person) -> None:
        self._report, self._person = report, person
        self._made: dict[str, Any] | None = None

    def _json(self) -> dict[str, Any]:
        if self._made is None:
            self._made = day_view(self._report, *self._person)
        return self._made

    def __getitem__(self, key: str) -> Any:
        return self._json()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._json())

    def __len__(self) -> int:
        return len(self._json())
