"""The columns of the exports: one definition per column feeds the workbook and the CSV.

A :class:`Column` has its place in WeCom's header (group on row 3 and title on row 4 of the
daily sheet, or the title with its unit on a second line in the monthly sheet), the value the
workbook shows (hours with one decimal, WeCom's texts, ``--`` for nothing) and the value the
CSV carries (snake_case name, integer minutes, ISO 8601 times). A column with no ``key`` is
in the workbook only (the monthly sheet's day columns); one with no ``title`` in the CSV only.
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
    """One row of the monthly sheet: the month report and the person's day reports by date."""

    report: MonthReport
    days: Mapping[date, DayReport] = field(default_factory=dict)

    @property
    def attended_days(self) -> int:
        """实际出勤天数: days with at least one punch (the API has no such field)."""
        return sum(1 for d in self.days.values() if d.checkin_count > 0)


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


def _col(
    group: str,
    title: str,
    unit: str,
    key: str,
    cell: Callable[[R, Frame], Cell],
    csv: Callable[[R, Frame], Cell] | None = None,
) -> Column[R]:
    return Column(group, title, unit, key, cell, csv or cell)


# -- the daily sheet 概况统计与打卡明细 ---------------------------------------------------------


def _day(row: PersonDay, frame: Frame) -> date:
    return c.local_day(row.day, frame.tz)


def _at(row: PersonDay, frame: Frame, sec: int) -> str:
    return c.hhmm(row.day + sec, frame.tz)


def _at_iso(row: PersonDay, frame: Frame, sec: int) -> str:
    return c.iso(row.day + sec, frame.tz)


def _shift(row: PersonDay, frame: Frame) -> str:
    rule = row.report.base_info.rule_info
    if rule.schedulename:
        return rule.schedulename
    spans = [
        f"{_at(row, frame, t.work_sec)}-{_at(row, frame, t.off_work_sec)}" for t in rule.checkintime
    ]
    return " ".join(spans) or c.NOTHING


def _earliest(iso: bool) -> Callable[[PersonDay, Frame], Cell]:
    def value(row: PersonDay, frame: Frame) -> Cell:
        s = row.report.summary_info
        if not s.checkin_count:
            return "" if iso else c.NOTHING
        return (_at_iso if iso else _at)(row, frame, s.earliest_time)

    return value


def _latest(iso: bool) -> Callable[[PersonDay, Frame], Cell]:
    def value(row: PersonDay, frame: Frame) -> Cell:
        s = row.report.summary_info
        if not s.checkin_count:
            return "" if iso else c.NOTHING
        return (_at_iso if iso else _at)(row, frame, s.lastest_time)

    return value


def _exc(kind: int, what: str) -> Callable[[PersonDay, Frame], Cell]:
    index = 0 if what == "count" else 1

    def value(row: PersonDay, frame: Frame) -> Cell:
        got = c.exception(row.report.exceptions, kind)[index]
        return got if index == 0 else c.minutes(got)

    return value


def _outside(which: str, iso: bool) -> Callable[[PersonDay, Frame], Cell]:
    def value(row: PersonDay, frame: Frame) -> Cell:
        times = sorted(p.checkin_time for p in row.of_type(c.OUT) if c.punched(p))
        if which == "count":
            return len(times)
        if not times:
            return "" if iso else c.NOTHING
        ts = times[0] if which == "first" else times[-1]
        return c.iso(ts, frame.tz) if iso else c.hhmm(ts, frame.tz)

    return value


def _sp_count(kind: int) -> Callable[[PersonDay, Frame], Cell]:
    return lambda row, frame: c.sp(row.report.sp_items, kind)[0]


def _ot(name: str, iso: bool) -> Callable[[PersonDay, Frame], Cell]:
    def value(row: PersonDay, frame: Frame) -> Cell:
        seconds = int(getattr(row.report.ot_info, name))
        return c.minutes(seconds) if iso else c.hours(seconds)

    return value


def _segment(kind: str, n: int, what: str, iso: bool) -> Callable[[PersonDay, Frame], Cell]:
    def value(row: PersonDay, frame: Frame) -> Cell:
        rows = sorted(row.of_type(kind), key=lambda p: (p.sch_checkin_time, p.checkin_time))
        punch = rows[n] if n < len(rows) else None
        if what == "status":
            status = c.punch_status(punch)
            return "" if iso and status == c.NOTHING else status
        if punch is None or not c.punched(punch):
            return "" if iso else c.NOTHING
        return c.iso(punch.checkin_time, frame.tz) if iso else c.hhmm(punch.checkin_time, frame.tz)

    return value


def _punch_times(iso: bool) -> Callable[[PersonDay, Frame], Cell]:
    def value(row: PersonDay, frame: Frame) -> Cell:
        times = sorted(
            p.checkin_time for p in row.punches if c.punched(p) and p.checkin_type != c.OUT
        )
        texts = [c.iso(t, frame.tz) if iso else c.hhmm(t, frame.tz) for t in times]
        return " ".join(texts) or ("" if iso else c.NOTHING)

    return value


def _punch_details(row: PersonDay, frame: Frame) -> Cell:
    parts = [
        " ".join(
            t
            for t in (
                c.hhmm(p.checkin_time, frame.tz) if c.punched(p) else c.NOTHING,
                p.checkin_type,
                c.punch_status(p),
                p.location_title,
            )
            if t
        )
        for p in row.punches
    ]
    return ";".join(parts) or c.NOTHING


def _text(get: Callable[[DayReport], str]) -> Callable[[PersonDay, Frame], Cell]:
    return lambda row, frame: get(row.report) or c.NOTHING


def _raw(get: Callable[[DayReport], Cell]) -> Callable[[PersonDay, Frame], Cell]:
    return lambda row, frame: get(row.report)


def day_columns(frame: Frame) -> list[Column[PersonDay]]:
    """The daily sheet's columns in WeCom's order, leave and punch columns as the corp has."""
    base, summary, exc, out, ot, sp = (
        "基础信息",
        "考勤概况",
        "异常统计",
        "外出打卡",
        "加班统计",
        "假勤统计",
    )
    cols: list[Column[PersonDay]] = [
        _col(
            "",
            "时间",
            "",
            "date",
            lambda r, f: c.day_title(_day(r, f)),
            lambda r, f: _day(r, f).isoformat(),
        ),
        _col(
            "",
            "姓名",
            "",
            "name",
            _text(lambda d: d.base_info.name),
            _raw(lambda d: d.base_info.name),
        ),
        _col("", "账号", "", "userid", _raw(lambda d: d.userid)),
        _col("", "", "", "name_ex", _raw(lambda d: d.base_info.name_ex)),
        _col(
            base,
            "部门",
            "",
            "departs_name",
            _text(lambda d: d.base_info.departs_name),
            _raw(lambda d: d.base_info.departs_name),
        ),
        _col(base, "职务", "", "position", lambda r, f: c.NOTHING, lambda r, f: ""),
        _col(
            summary,
            "所属规则",
            "",
            "rule",
            _text(lambda d: d.groupname),
            _raw(lambda d: d.groupname),
        ),
        _col(summary, "", "", "rule_id", _raw(lambda d: d.groupid)),
        _col(summary, "", "", "day_type", _raw(lambda d: "rest" if d.day_type == 1 else "work")),
        _col(summary, "班次", "", "shift", _shift),
        _col(summary, "最早", "", "earliest", _earliest(False), _earliest(True)),
        _col(summary, "最晚", "", "latest", _latest(False), _latest(True)),
        _col(summary, "打卡次数", "次", "checkin_count", _raw(lambda d: d.checkin_count)),
        _col(
            summary,
            "标准工作时长",
            "小时",
            "standard_minutes",
            _raw(lambda d: c.hours(d.standard_work_sec)),
            _raw(lambda d: c.minutes(d.standard_work_sec)),
        ),
        _col(
            summary,
            "实际工作时长",
            "小时",
            "worked_minutes",
            _raw(lambda d: c.hours(d.regular_work_sec)),
            _raw(lambda d: c.minutes(d.regular_work_sec)),
        ),
        _col(
            summary,
            "假勤申请",
            "",
            "approvals",
            _raw(c.approvals),
            _raw(lambda d: "" if (a := c.approvals(d)) == c.NOTHING else a),
        ),
        _col(summary, "考勤结果", "", "result", _raw(c.day_result)),
        _col(
            exc,
            "异常合计",
            "次",
            "exception_count",
            _raw(lambda d: sum(e.count for e in d.exceptions)),
        ),
        _col(exc, "迟到次数", "次", "late_count", _exc(c.LATE, "count")),
        _col(exc, "迟到时长", "分钟", "late_minutes", _exc(c.LATE, "duration")),
        _col(exc, "早退次数", "次", "early_count", _exc(c.EARLY, "count")),
        _col(exc, "早退时长", "分钟", "early_minutes", _exc(c.EARLY, "duration")),
        _col(exc, "旷工次数", "次", "absent_count", _exc(c.ABSENT, "count")),
        _col(exc, "旷工时长", "分钟", "absent_minutes", _exc(c.ABSENT, "duration")),
        _col(exc, "缺卡次数", "次", "missing_count", _exc(c.MISSING, "count")),
        _col(exc, "地点异常", "次", "place_exception_count", _exc(c.PLACE, "count")),
        _col(exc, "设备异常", "次", "device_exception_count", _exc(c.DEVICE, "count")),
        _col(out, "外出打卡次数", "次", "out_count", _outside("count", False)),
        _col(out, "最早", "", "out_earliest", _outside("first", False), _outside("first", True)),
        _col(out, "最晚", "", "out_latest", _outside("last", False), _outside("last", True)),
        _col(
            ot,
            "加班状态",
            "",
            "ot_status",
            lambda r, f: c.overtime_status(r.report.ot_info.ot_status),
            lambda r, f: r.report.ot_info.ot_status,
        ),
        _col(
            ot,
            "加班时长",
            "小时",
            "ot_minutes",
            _ot("ot_duration", False),
            _ot("ot_duration", True),
        ),
    ]
    for prefix, label in (("workday", "工作日"), ("restday", "休息日"), ("holiday", "节假日")):
        for kind, word in (("vacation", "调休"), ("money", "加班费")):
            name = f"{prefix}_over_as_{kind}"
            cols.append(
                _col(
                    ot,
                    f"{label}加班计为{word}",
                    "小时",
                    f"{prefix}_ot_as_{kind}_minutes",
                    _ot(name, False),
                    _ot(name, True),
                )
            )
    cols += [
        _col(sp, "补卡次数", "次", "correction_count", _sp_count(c.CORRECTION)),
        # The API carries no count of punches made through an approval: always 0.
        _col(sp, "审批打卡次数", "次", "approved_punch_count", lambda r, f: 0),
        _col(sp, "外勤次数", "次", "field_count", _sp_count(c.FIELD)),
        _col(
            sp,
            "外出",
            "小时",
            "outing_minutes",
            lambda r, f: c.hours(c.sp(r.report.sp_items, c.OUTING)[1]),
            lambda r, f: c.minutes(c.sp(r.report.sp_items, c.OUTING)[1]),
        ),
        _col(
            sp,
            "出差",
            "天",
            "trip_minutes",
            lambda r, f: round(c.sp(r.report.sp_items, c.TRIP)[1] / c.DAY, 1),
            lambda r, f: c.minutes(c.sp(r.report.sp_items, c.TRIP)[1]),
        ),
    ]
    cols += [_leave_column(sp, leave) for leave in frame.leaves]
    for n in range(max(frame.segments, 1)):
        for kind, word, key in ((c.ON, "上班", "on"), (c.OFF, "下班", "off")):
            group = f"{word}{n + 1}"
            cols.append(
                _col(
                    group,
                    "打卡时间",
                    "",
                    f"{key}{n + 1}_time",
                    _segment(kind, n, "time", False),
                    _segment(kind, n, "time", True),
                )
            )
            cols.append(
                _col(
                    group,
                    "打卡状态",
                    "",
                    f"{key}{n + 1}_status",
                    _segment(kind, n, "status", False),
                    _segment(kind, n, "status", True),
                )
            )
    cols += [
        _col("", "打卡时间记录", "", "punch_times", _punch_times(False), _punch_times(True)),
        _col("", "打卡详情", "", "", _punch_details),
    ]
    return cols


def _leave_column(group: str, leave: LeaveType) -> Column[PersonDay]:
    def cell(row: PersonDay, frame: Frame) -> Cell:
        return round(c.sp(row.report.sp_items, c.LEAVE, leave.id)[1] / leave.unit, 1)

    def csv(row: PersonDay, frame: Frame) -> Cell:
        return c.minutes(c.sp(row.report.sp_items, c.LEAVE, leave.id)[1])

    return _col(group, leave.name, leave.unit_name, f"leave_{leave.id}_minutes", cell, csv)


# -- the sheet 打卡详情: one row per getcheckindata row ----------------------------------------


@dataclass(frozen=True, slots=True)
class PunchRow:
    """One row of the sheet 打卡详情: a punch and the day report it belongs to."""

    day: PersonDay
    punch: CheckinRecord


def _p(get: Callable[[CheckinRecord], Cell]) -> Callable[[PunchRow, Frame], Cell]:
    return lambda row, frame: get(row.punch) if get(row.punch) != "" else c.NOTHING


def punch_columns() -> list[Column[PunchRow]]:
    """The 打卡详情 sheet's columns."""

    def scheduled(row: PunchRow, frame: Frame) -> Cell:
        ts = row.punch.sch_checkin_time
        return c.hhmm(ts, frame.tz) if ts else c.NOTHING

    def actual(row: PunchRow, frame: Frame) -> Cell:
        p = row.punch
        return c.iso(p.checkin_time, frame.tz)[:19].replace("T", " ") if c.punched(p) else c.NOTHING

    return [
        _col("", "时间", "", "date", lambda r, f: c.day_title(c.local_day(r.day.day, f.tz))),
        _col("", "姓名", "", "name", lambda r, f: r.day.report.name or c.NOTHING),
        _col("", "账号", "", "userid", lambda r, f: r.punch.userid),
        _col(
            "",
            "部门",
            "",
            "departs_name",
            lambda r, f: r.day.report.base_info.departs_name or c.NOTHING,
        ),
        _col("", "所属规则", "", "rule", _p(lambda p: p.groupname)),
        _col("", "打卡类型", "", "checkin_type", _p(lambda p: p.checkin_type)),
        _col("", "应打卡时间", "", "scheduled", scheduled),
        _col("", "实际打卡时间", "", "checkin_time", actual),
        _col("", "打卡状态", "", "status", lambda r, f: c.punch_status(r.punch)),
        _col("", "打卡地点", "", "location_title", _p(lambda p: p.location_title)),
        _col("", "详细地址", "", "location_detail", _p(lambda p: p.location_detail)),
        _col("", "打卡Wi-Fi", "", "wifiname", _p(lambda p: p.wifiname)),
        _col("", "打卡设备", "", "deviceid", _p(lambda p: p.deviceid)),
        _col("", "备注", "", "notes", _p(lambda p: p.notes)),
    ]


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
        _col("", "姓名", "", "name", _mtext(lambda m: m.name), _m(lambda m: m.name)),
        _col("", "账号", "", "userid", _m(lambda m: m.userid)),
        _col("", "", "", "name_ex", _m(lambda m: m.base_info.name_ex)),
        _col("", "所属规则", "", "rule", _mtext(lambda m: m.groupname), _m(lambda m: m.groupname)),
        _col("", "", "", "rule_id", _m(lambda m: m.groupid)),
        _col(
            "",
            "部门",
            "",
            "departs_name",
            _mtext(lambda m: m.base_info.departs_name),
            _m(lambda m: m.base_info.departs_name),
        ),
        _col("", "职务", "", "position", lambda r, f: c.NOTHING, lambda r, f: ""),
        _col("", "", "", "since", lambda r, f: f.since.isoformat()),
        _col("", "", "", "until", lambda r, f: f.until.isoformat()),
        _col("", "应出勤天数", "天", "work_days", _m(lambda m: m.work_days)),
        _col("", "实际出勤天数", "天", "attended_days", lambda r, f: r.attended_days),
        _col("", "休息天数", "天", "rest_days", _m(lambda m: m.rest_days)),
        _col("", "正常天数", "天", "regular_days", _m(lambda m: m.regular_days)),
        _col("", "异常天数", "天", "except_days", _m(lambda m: m.except_days)),
        _col(
            "",
            "标准工作时长",
            "小时",
            "standard_minutes",
            *_mseconds(lambda m: m.standard_work_sec),
        ),
        _col(
            "", "实际工作时长", "小时", "worked_minutes", *_mseconds(lambda m: m.regular_work_sec)
        ),
        _col(
            "",
            "异常合计",
            "次",
            "exception_count",
            _m(lambda m: sum(e.count for e in m.exceptions)),
        ),
        _col("", "迟到次数", "次", "late_count", _mexc(c.LATE, "count")),
        _col("", "迟到时长", "分钟", "late_minutes", _mexc(c.LATE, "duration")),
        _col("", "早退次数", "次", "early_count", _mexc(c.EARLY, "count")),
        _col("", "早退时长", "分钟", "early_minutes", _mexc(c.EARLY, "duration")),
        _col("", "旷工次数", "次", "absent_count", _mexc(c.ABSENT, "count")),
        _col("", "旷工时长", "分钟", "absent_minutes", _mexc(c.ABSENT, "duration")),
        _col("", "缺卡次数", "次", "missing_count", _mexc(c.MISSING, "count")),
        _col("", "地点异常", "次", "place_exception_count", _mexc(c.PLACE, "count")),
        _col("", "设备异常", "次", "device_exception_count", _mexc(c.DEVICE, "count")),
        _col(
            "",
            "补卡次数",
            "次",
            "correction_count",
            _m(lambda m: c.sp(m.sp_items, c.CORRECTION)[0]),
        ),
        _col("", "审批打卡次数", "次", "approved_punch_count", lambda r, f: 0),
        _col("", "外勤次数", "次", "field_count", _m(lambda m: c.sp(m.sp_items, c.FIELD)[0])),
        _col(
            "",
            "外出",
            "小时",
            "outing_minutes",
            *_mseconds(lambda m: c.sp(m.sp_items, c.OUTING)[1]),
        ),
        _col(
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
        cols.append(_col("", title, "小时", key, *_mseconds(get)))
    units = frame.unit_of
    for day in frame.days:
        cols.append(_day_column(day, units))
    return cols


def _month_leave(leave: LeaveType) -> Column[PersonMonth]:
    def cell(row: PersonMonth, frame: Frame) -> Cell:
        return round(c.sp(row.report.sp_items, c.LEAVE, leave.id)[1] / leave.unit, 1)

    def csv(row: PersonMonth, frame: Frame) -> Cell:
        return c.minutes(c.sp(row.report.sp_items, c.LEAVE, leave.id)[1])

    return _col("", leave.name, leave.unit_name, f"leave_{leave.id}_minutes", cell, csv)


def _day_column(day: date, units: dict[int, int]) -> Column[PersonMonth]:
    def cell(row: PersonMonth, frame: Frame) -> Cell:
        return c.month_cell(row.days.get(day), units)

    # The title's second line is the weekday, where the summary columns have their unit.
    return Column("", f"{day.day}\n{c.WEEKDAYS[day.weekday()]}", "", "", cell)
