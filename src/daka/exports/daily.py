"""The daily report's columns: sheet 概况统计与打卡明细 (one row per person and day) and
sheet 打卡详情 (one row per punch), in WeCom's order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from daka.client import CheckinRecord, DayReport
from daka.exports import cells as c
from daka.exports.layouts import Cell, Column, Frame, LeaveType, PersonDay, PunchRow, column

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
        column(
            "",
            "时间",
            "",
            "date",
            lambda r, f: c.day_title(_day(r, f)),
            lambda r, f: _day(r, f).isoformat(),
        ),
        column(
            "",
            "姓名",
            "",
            "name",
            _text(lambda d: d.base_info.name),
            _raw(lambda d: d.base_info.name),
        ),
        column("", "账号", "", "userid", _raw(lambda d: d.userid)),
        column("", "", "", "name_ex", _raw(lambda d: d.base_info.name_ex)),
        column(
            base,
            "部门",
            "",
            "departs_name",
            _text(lambda d: d.base_info.departs_name),
            _raw(lambda d: d.base_info.departs_name),
        ),
        column(base, "职务", "", "position", lambda r, f: c.NOTHING, lambda r, f: ""),
        column(
            summary,
            "所属规则",
            "",
            "rule",
            _text(lambda d: d.groupname),
            _raw(lambda d: d.groupname),
        ),
        column(summary, "", "", "rule_id", _raw(lambda d: d.groupid)),
        column(summary, "", "", "day_type", _raw(lambda d: "rest" if d.day_type == 1 else "work")),
        column(summary, "班次", "", "shift", _shift),
        column(summary, "最早", "", "earliest", _earliest(False), _earliest(True)),
        column(summary, "最晚", "", "latest", _latest(False), _latest(True)),
        column(summary, "打卡次数", "次", "checkin_count", _raw(lambda d: d.checkin_count)),
        column(
            summary,
            "标准工作时长",
            "小时",
            "standard_minutes",
            _raw(lambda d: c.hours(d.standard_work_sec)),
            _raw(lambda d: c.minutes(d.standard_work_sec)),
        ),
        column(
            summary,
            "实际工作时长",
            "小时",
            "worked_minutes",
            _raw(lambda d: c.hours(d.regular_work_sec)),
            _raw(lambda d: c.minutes(d.regular_work_sec)),
        ),
        column(
            summary,
            "假勤申请",
            "",
            "approvals",
            _raw(c.approvals),
            _raw(lambda d: "" if (a := c.approvals(d)) == c.NOTHING else a),
        ),
        column(summary, "考勤结果", "", "result", _raw(c.day_result)),
        column(
            exc,
            "异常合计",
            "次",
            "exception_count",
            _raw(lambda d: sum(e.count for e in d.exceptions)),
        ),
        column(exc, "迟到次数", "次", "late_count", _exc(c.LATE, "count")),
        column(exc, "迟到时长", "分钟", "late_minutes", _exc(c.LATE, "duration")),
        column(exc, "早退次数", "次", "early_count", _exc(c.EARLY, "count")),
        column(exc, "早退时长", "分钟", "early_minutes", _exc(c.EARLY, "duration")),
        column(exc, "旷工次数", "次", "absent_count", _exc(c.ABSENT, "count")),
        column(exc, "旷工时长", "分钟", "absent_minutes", _exc(c.ABSENT, "duration")),
        column(exc, "缺卡次数", "次", "missing_count", _exc(c.MISSING, "count")),
        column(exc, "地点异常", "次", "place_exception_count", _exc(c.PLACE, "count")),
        column(exc, "设备异常", "次", "device_exception_count", _exc(c.DEVICE, "count")),
        column(out, "外出打卡次数", "次", "out_count", _outside("count", False)),
        column(out, "最早", "", "out_earliest", _outside("first", False), _outside("first", True)),
        column(out, "最晚", "", "out_latest", _outside("last", False), _outside("last", True)),
        column(
            ot,
            "加班状态",
            "",
            "ot_status",
            lambda r, f: c.overtime_status(r.report.ot_info.ot_status),
            lambda r, f: r.report.ot_info.ot_status,
        ),
        column(
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
                column(
                    ot,
                    f"{label}加班计为{word}",
                    "小时",
                    f"{prefix}_ot_as_{kind}_minutes",
                    _ot(name, False),
                    _ot(name, True),
                )
            )
    cols += [
        column(sp, "补卡次数", "次", "correction_count", _sp_count(c.CORRECTION)),
        # The API carries no count of punches made through an approval: always 0.
        column(sp, "审批打卡次数", "次", "approved_punch_count", lambda r, f: 0),
        column(sp, "外勤次数", "次", "field_count", _sp_count(c.FIELD)),
        column(
            sp,
            "外出",
            "小时",
            "outing_minutes",
            lambda r, f: c.hours(c.sp(r.report.sp_items, c.OUTING)[1]),
            lambda r, f: c.minutes(c.sp(r.report.sp_items, c.OUTING)[1]),
        ),
        column(
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
                column(
                    group,
                    "打卡时间",
                    "",
                    f"{key}{n + 1}_time",
                    _segment(kind, n, "time", False),
                    _segment(kind, n, "time", True),
                )
            )
            cols.append(
                column(
                    group,
                    "打卡状态",
                    "",
                    f"{key}{n + 1}_status",
                    _segment(kind, n, "status", False),
                    _segment(kind, n, "status", True),
                )
            )
    cols += [
        column("", "打卡时间记录", "", "punch_times", _punch_times(False), _punch_times(True)),
        column("", "打卡详情", "", "", _punch_details),
    ]
    return cols


def _leave_column(group: str, leave: LeaveType) -> Column[PersonDay]:
    def cell(row: PersonDay, frame: Frame) -> Cell:
        return round(c.sp(row.report.sp_items, c.LEAVE, leave.id)[1] / leave.unit, 1)

    def csv(row: PersonDay, frame: Frame) -> Cell:
        return c.minutes(c.sp(row.report.sp_items, c.LEAVE, leave.id)[1])

    return column(group, leave.name, leave.unit_name, f"leave_{leave.id}_minutes", cell, csv)


# -- the sheet 打卡详情: one row per getcheckindata row ----------------------------------------


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
        column("", "时间", "", "date", lambda r, f: c.day_title(c.local_day(r.day.day, f.tz))),
        column("", "姓名", "", "name", lambda r, f: r.day.report.name or c.NOTHING),
        column("", "账号", "", "userid", lambda r, f: r.punch.userid),
        column(
            "",
            "部门",
            "",
            "departs_name",
            lambda r, f: r.day.report.base_info.departs_name or c.NOTHING,
        ),
        column("", "所属规则", "", "rule", _p(lambda p: p.groupname)),
        column("", "打卡类型", "", "checkin_type", _p(lambda p: p.checkin_type)),
        column("", "应打卡时间", "", "scheduled", scheduled),
        column("", "实际打卡时间", "", "checkin_time", actual),
        column("", "打卡状态", "", "status", lambda r, f: c.punch_status(r.punch)),
        column("", "打卡地点", "", "location_title", _p(lambda p: p.location_title)),
        column("", "详细地址", "", "location_detail", _p(lambda p: p.location_detail)),
        column("", "打卡Wi-Fi", "", "wifiname", _p(lambda p: p.wifiname)),
        column("", "打卡设备", "", "deviceid", _p(lambda p: p.deviceid)),
        column("", "备注", "", "notes", _p(lambda p: p.notes)),
    ]
