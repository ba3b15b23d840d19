"""getcheckin_daydata / getcheckin_monthdata: the requests, and the reports as WeCom shows them.

The field names and their spellings are WeCom's, copied exactly: ``lastest_time``, the day's
singular ``workday_over_as_money`` beside the month's plural ``workdays_over_as_money``, and
the month's singular ``workday_over_sec`` beside plural ``restdays_over_sec``.
"""

from __future__ import annotations

from typing import Any

from daka.domain.reports import (
    ApprovalNote,
    DayReport,
    ExceptionCount,
    MonthReport,
    SpItem,
)
from daka.wire.checkin import UserRangeRequest

JSON = dict[str, Any]

REPORT_MAX_DAYS = 30  # both days included


class DayDataRequest(UserRangeRequest):
    """getcheckin_daydata: the 0:00 of the first and last day, both included."""


class MonthDataRequest(UserRangeRequest):
    """getcheckin_monthdata: as the day report's request."""


def _texts(text: str) -> JSON:
    # WeCom's multilingual text; "目前只有中文一种".
    return {"data": [{"lang": "zh_CN", "text": text}]}


def _note(note: ApprovalNote) -> JSON:
    return {
        "sp_description": _texts(note.description),
        "sp_number": note.sp_no,
        "sp_title": _texts(note.title),
    }


def _exception(e: ExceptionCount) -> JSON:
    return {"count": e.count, "duration": e.duration, "exception": int(e.kind)}


def _sp_item(item: SpItem) -> JSON:
    return {
        "count": item.count,
        "duration": item.duration,
        "time_type": int(item.time_type),
        "type": int(item.kind),
        "vacation_id": item.vacation_id,
        "name": item.name,
    }


def _person(name: str, alias: str, departs_name: str, userid: str) -> JSON:
    return {"name": name, "name_ex": alias, "departs_name": departs_name, "acctid": userid}


def day_view(report: DayReport, name: str, alias: str, departs_name: str) -> JSON:
    """One ``datas[]`` element of getcheckin_daydata."""
    ot = report.overtime
    return {
        "base_info": {
            "date": report.day_start,
            "record_type": int(report.record_type),
            **_person(name, alias, departs_name, report.userid),
            "rule_info": {
                "groupid": report.rule_id,
                "groupname": report.rule_name,
                "scheduleid": report.schedule_id,
                "schedulename": report.schedule_name,
                "checkintime": [
                    {"work_sec": on, "off_work_sec": off} for on, off in report.checkintime
                ],
            },
            "day_type": 1 if report.rest_day else 0,
        },
        "summary_info": {
            "checkin_count": report.summary.checkin_count,
            "regular_work_sec": report.summary.worked_sec,
            "standard_work_sec": report.summary.standard_sec,
            "earliest_time": report.summary.earliest,
            "lastest_time": report.summary.latest,
        },
        "holiday_infos": [_note(n) for n in report.notes],
        "exception_infos": [_exception(e) for e in report.exceptions],
        "ot_info": {
            "ot_status": int(ot.status),
            "ot_duration": ot.duration,
            "exception_duration": list(ot.shortfall),
            **_conversions(report),
        },
        "sp_items": [_sp_item(i) for i in report.sp_items],
    }


def _conversions(report: DayReport) -> JSON:
    """The six ``*_over_as_*`` fields: the day's conversion under its kind, zero elsewhere."""
    ot = report.overtime
    out: JSON = {}
    for prefix, category in (("workday", 0), ("restday", 1), ("holiday", 2)):
        mine = int(ot.category) == category
        out[f"{prefix}_over_as_vacation"] = ot.as_vacation if mine else 0
        out[f"{prefix}_over_as_money"] = ot.as_money if mine else 0
    return out


def month_view(report: MonthReport, name: str, alias: str, departs_name: str) -> JSON:
    """One ``datas[]`` element of getcheckin_monthdata."""
    ot = report.overtime
    return {
        "base_info": {
            "record_type": int(report.record_type),
            **_person(name, alias, departs_name, report.userid),
            "rule_info": {"groupid": report.rule_id, "groupname": report.rule_name},
        },
        "summary_info": {
            "work_days": report.work_days,
            "regular_days": report.regular_days,
            "except_days": report.except_days,
            "rest_days": report.rest_days,
            "regular_work_sec": report.worked_sec,
            "standard_work_sec": report.standard_sec,
        },
        "exception_infos": [_exception(e) for e in report.exceptions],
        "sp_items": [_sp_item(i) for i in report.sp_items],
        "overwork_info": {
            "workday_over_sec": ot.workday_sec,
            "holidays_over_sec": ot.holiday_sec,
            "restdays_over_sec": ot.restday_sec,
            "workdays_over_as_vacation": ot.workday_as_vacation,
            "workdays_over_as_money": ot.workday_as_money,
            "restdays_over_as_vacation": ot.restday_as_vacation,
            "restdays_over_as_money": ot.restday_as_money,
            "holidays_over_as_vacation": ot.holiday_as_vacation,
            "holidays_over_as_money": ot.holiday_as_money,
        },
    }
