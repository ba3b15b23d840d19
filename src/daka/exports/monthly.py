"""The monthly report's columns: sheet 上下班打卡_月报, one row per person, in WeCom's
template order, then one column per day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from daka.client import MonthReport
from daka.exports import cells as c
from daka.exports.layouts import Cell, Column, Frame, LeaveType, PersonMonth, column

# -- the monthly sheet 上下班打卡_月报 -----------------------------------------------------------


def _m(get: Callable[[MonthReport], Cell]) -> Callable[[PersonMonth, Frame], Cell]:
    return lambda row, frame: get(row.report)


def _mtext(get: Callable[[MonthReport], str]) -> Callable[[PersonMonth, Frame], Cell]:
    return lambda row, frame: get(row.report) or c.NOTHING


def _mexc(kind: int, what: str) -> Callable[[PersonMonth, Frame], Cell]:
    index = 0 if what == "count" else 1

    def value(row: PersonMonth, frame: Frame) -> Cell:
        got = c.exception(row.report.exceptions, kind)[index]
        return got if index == 0 else c.minutes(got)

    return value


def _mseconds(
    get: Callable[[MonthReport], int],
) -> tuple[Callable[[PersonMonth, Frame], Cell], Callable[[PersonMonth, Frame], Cell]]:
    return (lambda r, f: c.hours(get(r.report))), (lambda r, f: c.minutes(get(r.report)))


def month_columns(frame: Frame) -> list[Column[PersonMonth]]:
    """The monthly sheet's columns in WeCom's template order, then one column per day."""
    cols: list[Column[PersonMonth]] = [
        column("", "姓名", "", "name", _mtext(lambda m: m.name), _m(lambda m: m.name)),
        column("", "账号", "", "userid", _m(lambda m: m.userid)),
        column("", "", "", "name_ex", _m(lambda m: m.base_info.name_ex)),
        column(
            "", "所属规则", "", "rule", _mtext(lambda m: m.groupname), _m(lambda m: m.groupname)
        ),
        column("", "", "", "rule_id", _m(lambda m: m.groupid)),
        column(
            "",
            "部门",
            "",
            "departs_name",
            _mtext(lambda m: m.base_info.departs_name),
            _m(lambda m: m.base_info.departs_name),
        ),
        column("", "职务", "", "position", lambda r, f: c.NOTHING, lambda r, f: ""),
        column("", "", "", "since", lambda r, f: f.since.isoformat()),
        column("", "", "", "until", lambda r, f: f.until.isoformat()),
        column("", "应出勤天数", "天", "work_days", _m(lambda m: m.work_days)),
        column("", "实际出勤天数", "天", "attended_days", lambda r, f: r.attended_days),
        column("", "休息天数", "天", "rest_days", _m(lambda m: m.rest_days)),
        column("", "正常天数", "天", "regular_days", _m(lambda m: m.regular_days)),
        column("", "异常天数", "天", "except_days", _m(lambda m: m.except_days)),
        column(
            "",
            "标准工作时长",
            "小时",
            "standard_minutes",
            *_mseconds(lambda m: m.standard_work_sec),
        ),
        column(
            "", "实际工作时长", "小时", "worked_minutes", *_mseconds(lambda m: m.regular_work_sec)
        ),
        column(
            "",
            "异常合计",
            "次",
            "exception_count",
            _m(lambda m: sum(e.count for e in m.exceptions)),
        ),
        column("", "迟到次数", "次", "late_count", _mexc(c.LATE, "count")),
        column("", "迟到时长", "分钟", "late_minutes", _mexc(c.LATE, "duration")),
        column("", "早退次数", "次", "early_count", _mexc(c.EARLY, "count")),
        column("", "早退时长", "分钟", "early_minutes", _mexc(c.EARLY, "duration")),
        column("", "旷工次数", "次", "absent_count", _mexc(c.ABSENT, "count")),
        column("", "旷工时长", "分钟", "absent_minutes", _mexc(c.ABSENT, "duration")),
        column("", "缺卡次数", "次", "missing_count", _mexc(c.MISSING, "count")),
        column("", "地点异常", "次", "place_exception_count", _mexc(c.PLACE, "count")),
        column("", "设备异常", "次", "device_exception_count", _mexc(c.DEVICE, "count")),
        column(
            "",
            "补卡次数",
            "次",
            "correction_count",
            _m(lambda m: c.sp(m.sp_items, c.CORRECTION)[0]),
        ),
        column("", "审批打卡次数", "次", "approved_punch_count", lambda r, f: 0),
        column("", "外勤次数", "次", "field_count", _m(lambda m: c.sp(m.sp_items, c.FIELD)[0])),
        column(
            "",
            "外出",
            "小时",
            "outing_minutes",
            *_mseconds(lambda m: c.sp(m.sp_items, c.OUTING)[1]),
        ),
        column(
            "",
            "出差",
            "天",
            "trip_minutes",
            _m(lambda m: round(c.sp(m.sp_items, c.TRIP)[1] / c.DAY, 1)),
            _m(lambda m: c.minutes(c.sp(m.sp_items, c.TRIP)[1])),
        ),
    ]
    for leave in frame.leaves:
        cols.append(_month_leave(leave))
    buckets: list[tuple[str, str, str, Callable[[MonthReport], int]]] = [
        (
            "加班时长",
            "ot_minutes",
            "",
            lambda m: (
                m.overwork_info.workday_over_sec
                + m.overwork_info.restdays_over_sec
                + m.overwork_info.holidays_over_sec
            ),
        ),
        ("工作日加班时长", "workday_ot_minutes", "", lambda m: m.overwork_info.workday_over_sec),
        (
            "工作日加班计为调休",
            "workday_ot_as_vacation_minutes",
            "",
            lambda m: m.overwork_info.workdays_over_as_vacation,
        ),
        (
            "工作日加班计为加班费",
            "workday_ot_as_money_minutes",
            "",
            lambda m: m.overwork_info.workdays_over_as_money,
        ),
        ("休息日加班时长", "restday_ot_minutes", "", lambda m: m.overwork_info.restdays_over_sec),
        (
            "休息日加班计为调休",
            "restday_ot_as_vacation_minutes",
            "",
            lambda m: m.overwork_info.restdays_over_as_vacation,
        ),
        (
            "休息日加班计为加班费",
            "restday_ot_as_money_minutes",
            "",
            lambda m: m.overwork_info.restdays_over_as_money,
        ),
        ("节假日加班时长", "holiday_ot_minutes", "", lambda m: m.overwork_info.holidays_over_sec),
        (
            "节假日加班计为调休",
            "holiday_ot_as_vacation_minutes",
            "",
            lambda m: m.overwork_info.holidays_over_as_vacation,
        ),
        (
            "节假日加班计为加班费",
            "holiday_ot_as_money_minutes",
            "",
            lambda m: m.overwork_info.holidays_over_as_money,
        ),
    ]
    for title, key, _, get in buckets:
        cols.append(column("", title, "小时", key, *_mseconds(get)))
    units = frame.unit_of
    for day in frame.days:
        cols.append(_day_column(day, units))
    return cols


def _month_leave(leave: LeaveType) -> Column[PersonMonth]:
    def cell(row: PersonMonth, frame: Frame) -> Cell:
        return round(c.sp(row.report.sp_items, c.LEAVE, leave.id)[1] / leave.unit, 1)

    def csv(row: PersonMonth, frame: Frame) -> Cell:
        return c.minutes(c.sp(row.report.sp_items, c.LEAVE, leave.id)[1])

    return column("", leave.name, leave.unit_name, f"leave_{leave.id}_minutes", cell, csv)


def _day_column(day: date, units: dict[int, int]) -> Column[PersonMonth]:
    def cell(row: PersonMonth, frame: Frame) -> Cell:
        return row.day_cell(day, units)

    # The title's second line is the weekday, where the summary columns have their unit.
    return Column("", f"{day.day}\n{c.WEEKDAYS[day.weekday()]}", "", "", cell)
