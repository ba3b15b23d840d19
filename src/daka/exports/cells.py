"""How a value reads in a cell: WeCom's texts for the workbook, ISO 8601 for the CSV."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from daka.client import CheckinRecord, DayReport, ReportException, ReportSpItem

NOTHING = "--"  # WeCom's text for an empty cell
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
HOUR, DAY = 3_600, 86_400

# exception_infos kinds
LATE, EARLY, MISSING, ABSENT, PLACE, DEVICE = 1, 2, 3, 4, 5, 6
# sp_items types
LEAVE, CORRECTION, TRIP, OUTING, FIELD = 1, 2, 3, 4, 100

ON, OFF, OUT = "上班打卡", "下班打卡", "外出打卡"


def local_day(ts: int, tz: ZoneInfo) -> date:
    """The local date a Unix time falls on."""
    return datetime.fromtimestamp(ts, tz).date()


def day_title(day: date) -> str:
    """The daily sheet's 时间 cell: ``2026/06/05 星期五``."""
    return f"{day:%Y/%m/%d} {WEEKDAYS[day.weekday()]}"


def hhmm(ts: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(ts, tz).strftime("%H:%M")


def iso(ts: int, tz: ZoneInfo) -> str:
    """An instant as ISO 8601 in the corp's zone (``2026-06-05T09:15:00+08:00``)."""
    return datetime.fromtimestamp(ts, tz).isoformat()


def hours(seconds: int) -> float:
    """Seconds as hours, one decimal, as WeCom's workbook shows them."""
    return round(seconds / HOUR, 1)


def minutes(seconds: int) -> int:
    """Seconds as whole minutes, rounded down (the CSV's unit for every duration)."""
    return seconds // 60


def amount(value: float) -> str:
    """``1.0`` → ``1``, ``0.5`` → ``0.5``: how WeCom writes an amount inside a text."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def exception(exceptions: Iterable[ReportException], kind: int) -> tuple[int, int]:
    """``(count, seconds)`` of one exception kind."""
    count = duration = 0
    for e in exceptions:
        if e.exception == kind:
            count, duration = count + e.count, duration + e.duration
    return count, duration


def sp(items: Iterable[ReportSpItem], kind: int, vacation_id: int | None = None) -> tuple[int, int]:
    """``(count, unit-seconds)`` of one sp_items type (and vacation, for leave)."""
    count = duration = 0
    for i in items:
        if i.type == kind and (vacation_id is None or i.vacation_id == vacation_id):
            count, duration = count + i.count, duration + i.duration
    return count, duration


def punched(record: CheckinRecord) -> bool:
    """Whether the row is a real punch (a 未打卡 row is the absence of one)."""
    return record.checkin_time > 0 and "未打卡" not in record.exceptions


def punch_status(record: CheckinRecord | None) -> str:
    """A 打卡状态 cell: ``正常``, ``迟到15分钟``, ``早退5分钟``, ``缺卡``, or ``--``."""
    if record is None:
        return NOTHING
    parts: list[str] = []
    for e in record.exceptions:
        if e == "未打卡":
            parts.append("缺卡")
        elif e == "时间异常" and record.sch_checkin_time:
            late = record.checkin_time - record.sch_checkin_time
            on = record.checkin_type == ON
            parts.append(f"迟到{minutes(late)}分钟" if on else f"早退{minutes(-late)}分钟")
        else:
            parts.append(e)
    return ";".join(parts) or "正常"


def overtime_status(status: int) -> str:
    return {1: "正常", 2: "缺时长"}.get(status, NOTHING)


_DAY_EXCEPTIONS = ((LATE, "迟到"), (EARLY, "早退"), (MISSING, "缺卡"), (ABSENT, "旷工"))
_DAY_EXCEPTIONS_ALL = (*_DAY_EXCEPTIONS, (PLACE, "地点异常"), (DEVICE, "设备异常"))


def day_result(report: DayReport) -> str:
    """The daily sheet's 考勤结果: ``正常``, ``休息``, or the exceptions (``迟到1次;早退1次``)."""
    parts = [
        f"{label}{count}次"
        for kind, label in _DAY_EXCEPTIONS_ALL
        if (count := exception(report.exceptions, kind)[0])
    ]
    if parts:
        return ";".join(parts)
    return "休息" if report.day_type == 1 else "正常"


def approvals(report: DayReport) -> str:
    """The daily sheet's 假勤申请: each approval's title and span (``请假0.1小时(09/03 …)``)."""
    texts = [
        f"{h.title}({h.description})" if h.description else h.title for h in report.holiday_infos
    ]
    return ";".join(t for t in texts if t) or NOTHING


def month_cell(report: DayReport | None, unit_of: dict[int, int]) -> str:
    """A day column of the monthly sheet: ``正常``, ``迟到15分钟``, ``早退5分钟``, ``缺卡``,
    ``旷工``, ``年假1天``, ``休息``, or ``--`` when the day has no report.

    ``unit_of`` maps a vacation id to its unit-seconds (86400 a day, 3600 an hour).
    """
    if report is None:
        return NOTHING
    parts: list[str] = []
    for item in report.sp_items:
        if item.type == LEAVE and item.duration:
            unit = unit_of.get(item.vacation_id, HOUR if item.time_type == 1 else DAY)
            word = "小时" if unit == HOUR else "天"
            parts.append(f"{item.name}{amount(item.duration / unit)}{word}")
    if trip := sp(report.sp_items, TRIP)[1]:
        parts.append(f"出差{amount(trip / DAY)}天")
    if outing := sp(report.sp_items, OUTING)[1]:
        parts.append(f"外出{amount(outing / HOUR)}小时")
    for kind, label in _DAY_EXCEPTIONS_ALL:
        count, seconds = exception(report.exceptions, kind)
        if not count:
            continue
        if kind in (LATE, EARLY):
            parts.append(f"{label}{minutes(seconds)}分钟")
        elif count > 1 and kind == MISSING:
            parts.append(f"{label}{count}次")
        else:
            parts.append(label)
    if report.ot_info.ot_duration:
        parts.append(f"加班{amount(report.ot_info.ot_duration / HOUR)}小时")
    if parts:
        return ";".join(parts)
    return "休息" if report.day_type == 1 else "正常"
