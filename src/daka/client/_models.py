"""Typed results: small frozen dataclasses that keep WeCom's JSON in ``.raw``.

Field names are WeCom's, so the tables of docs/wecom-api.md read straight onto them.
Parsing is lenient (a missing key is its zero value, a numeric string is a number) because
WeCom adds fields over time and some SDKs' servers send numbers as strings. Anything not
typed here is in ``.raw``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AccessToken",
    "Ack",
    "Approval",
    "ApprovalComment",
    "ApprovalControl",
    "ApprovalDetailResult",
    "ApprovalListResult",
    "ApproverAction",
    "AttendanceValue",
    "CheckinDataResult",
    "CheckinOptionResult",
    "CheckinRecord",
    "CheckinRule",
    "CheckinTime",
    "CorpCheckinOptionResult",
    "DayDataResult",
    "DayOvertime",
    "DayReport",
    "DaySlice",
    "DaySummary",
    "HardwareCheckinDataResult",
    "HardwarePunch",
    "HolidayInfo",
    "I18nText",
    "Media",
    "MediaUpload",
    "MonthDataResult",
    "MonthOverwork",
    "MonthReport",
    "MonthSummary",
    "ProcessNode",
    "ReportBaseInfo",
    "ReportException",
    "ReportRule",
    "ReportSpItem",
    "RuleRange",
    "ScheduleDay",
    "ScheduleListResult",
    "SpRecord",
    "TemplateControl",
    "TemplateDetail",
    "UserCheckinOption",
    "UserSchedule",
    "UserVacationQuotaResult",
    "Vacation",
    "VacationConfResult",
    "VacationQuota",
]

Raw = Mapping[str, Any]
_EMPTY: Raw = {}


# The widest integer WeCom answers with (uint64) has 20 digits; a sign makes 21.
_MAX_INT_CHARS = 21
_ASCII_DIGITS = frozenset("0123456789")


def lenient_int(value: Any) -> int:
    """An integer from an answer's value, leniently (the client must survive odd answers).

    The same reading as daka's wire (``daka.wire.values``; this package imports nothing from
    daka): JSON integers and strings of ASCII digits (WeCom answers some numbers as strings,
    e.g. ``created_at``), a finite float truncated; booleans as 0/1. Anything else — Unicode
    digits, a 5,000-digit string, ``inf`` — is 0, never an exception.
    """
    if type(value) is int:  # nearly every value: skip the checks below
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else 0
    if isinstance(value, str) and 0 < len(value) <= _MAX_INT_CHARS:
        digits = value[1:] if value.startswith("-") else value
        if digits and _ASCII_DIGITS.issuperset(digits):
            return int(value)
    return 0


def _int(raw: Raw, key: str) -> int:
    value = raw.get(key)
    return value if type(value) is int else lenient_int(value)


def _str(raw: Raw, key: str) -> str:
    value = raw.get(key)
    return "" if value is None else str(value)


def _strs(raw: Raw, key: str) -> tuple[str, ...]:
    value = raw.get(key)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _ints(raw: Raw, key: str) -> tuple[int, ...]:
    value = raw.get(key)
    if not isinstance(value, list):
        return ()
    return tuple(_int({"v": v}, "v") for v in value)


def _obj(raw: Raw, key: str) -> Raw:
    value = raw.get(key)
    return value if isinstance(value, Mapping) else _EMPTY


def _objs(raw: Raw, key: str) -> list[Raw]:
    value = raw.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class _Answer:
    raw: Raw = field(repr=False)
    """The whole JSON answer (for a batched call: one answer of a single call's shape)."""

    @property
    def errcode(self) -> int:
        return _int(self.raw, "errcode")

    @property
    def errmsg(self) -> str:
        return _str(self.raw, "errmsg")


@dataclass(frozen=True, slots=True)
class Ack(_Answer):
    """The answer of a write endpoint: ``{"errcode": 0, "errmsg": "ok"}``."""

    @classmethod
    def from_raw(cls, raw: Raw) -> Ack:
        return cls(raw)


@dataclass(frozen=True, slots=True)
class AccessToken(_Answer):
    """gettoken's answer."""

    access_token: str
    expires_in: int

    @classmethod
    def from_raw(cls, raw: Raw) -> AccessToken:
        return cls(raw, _str(raw, "access_token"), _int(raw, "expires_in"))


@dataclass(frozen=True, slots=True)
class CheckinRecord:
    """One row of getcheckindata's ``checkindata`` (docs/wecom-api.md §3)."""

    userid: str
    groupname: str
    checkin_type: str
    exception_type: str
    checkin_time: int
    location_title: str
    location_detail: str
    wifiname: str
    notes: str
    wifimac: str
    mediaids: tuple[str, ...]
    lat: int
    lng: int
    deviceid: str
    sch_checkin_time: int
    groupid: int
    schedule_id: int
    timeline_id: int
    raw: Raw = field(repr=False, compare=False)

    @property
    def exceptions(self) -> tuple[str, ...]:
        """``exception_type`` split on ``;`` (empty when the punch is normal)."""
        return tuple(e for e in self.exception_type.split(";") if e)

    @classmethod
    def from_raw(cls, raw: Raw) -> CheckinRecord:
        s, i = _str, _int
        return cls(
            s(raw, "userid"),
            s(raw, "groupname"),
            s(raw, "checkin_type"),
            s(raw, "exception_type"),
            i(raw, "checkin_time"),
            s(raw, "location_title"),
            s(raw, "location_detail"),
            s(raw, "wifiname"),
            s(raw, "notes"),
            s(raw, "wifimac"),
            _strs(raw, "mediaids"),
            i(raw, "lat"),
            i(raw, "lng"),
            s(raw, "deviceid"),
            i(raw, "sch_checkin_time"),
            i(raw, "groupid"),
            i(raw, "schedule_id"),
            i(raw, "timeline_id"),
            raw,
        )


@dataclass(frozen=True, slots=True)
class CheckinDataResult(_Answer):
    """getcheckindata: rows ordered by user (request order), then time."""

    checkindata: tuple[CheckinRecord, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> CheckinDataResult:
        return cls(raw, tuple(CheckinRecord.from_raw(r) for r in _objs(raw, "checkindata")))


@dataclass(frozen=True, slots=True)
class RuleRange:
    """A rule's ``range``: who it applies to (getcorpcheckinoption only)."""

    party_id: tuple[str, ...]
    userid: tuple[str, ...]
    tagid: tuple[int, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> RuleRange:
        # Some SDKs write "partyid"; WeCom writes "party_id" (docs/wecom-api.md §18).
        parties = _strs(raw, "party_id") or _strs(raw, "partyid")
        return cls(parties, _strs(raw, "userid"), _ints(raw, "tagid"))


@dataclass(frozen=True, slots=True)
class CheckinRule:
    """A rule (``group``) of getcheckinoption / getcorpcheckinoption (docs/wecom-api.md §4).

    The identifying fields are typed; the full rule (times, places, Wi-Fi, shifts, overtime) is
    ``raw``, in the shape add_checkin_option / update_checkin_option take.
    """

    groupid: int
    groupname: str
    grouptype: int
    range: RuleRange
    white_users: tuple[str, ...]
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw) -> CheckinRule:
        return cls(
            _int(raw, "groupid"),
            _str(raw, "groupname"),
            _int(raw, "grouptype"),
            RuleRange.from_raw(_obj(raw, "range")),
            _strs(raw, "white_users"),
            raw,
        )


@dataclass(frozen=True, slots=True)
class UserCheckinOption:
    """One element of getcheckinoption's ``info``: a user and the rule of that day."""

    userid: str
    group: CheckinRule
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw) -> UserCheckinOption:
        return cls(_str(raw, "userid"), CheckinRule.from_raw(_obj(raw, "group")), raw)


@dataclass(frozen=True, slots=True)
class CheckinOptionResult(_Answer):
    """getcheckinoption: users with a rule that day, in request order."""

    info: tuple[UserCheckinOption, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> CheckinOptionResult:
        return cls(raw, tuple(UserCheckinOption.from_raw(r) for r in _objs(raw, "info")))


@dataclass(frozen=True, slots=True)
class CorpCheckinOptionResult(_Answer):
    """getcorpcheckinoption: every rule of the corp."""

    group: tuple[CheckinRule, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> CorpCheckinOptionResult:
        return cls(raw, tuple(CheckinRule.from_raw(r) for r in _objs(raw, "group")))


@dataclass(frozen=True, slots=True)
class ReportException:
    """An ``exception_infos`` element: 1 迟到, 2 早退, 3 缺卡, 4 旷工, 5 地点异常, 6 设备异常."""

    exception: int
    count: int
    duration: int

    @classmethod
    def from_raw(cls, raw: Raw) -> ReportException:
        return cls(_int(raw, "exception"), _int(raw, "count"), _int(raw, "duration"))


def _exceptions(raw: Raw) -> tuple[ReportException, ...]:
    return tuple(ReportException.from_raw(e) for e in _objs(raw, "exception_infos"))


@dataclass(frozen=True, slots=True)
class CheckinTime:
    """A ``rule_info.checkintime`` element: one work segment, as seconds after 0:00."""

    work_sec: int
    off_work_sec: int

    @classmethod
    def from_raw(cls, raw: Raw) -> CheckinTime:
        return cls(_int(raw, "work_sec"), _int(raw, "off_work_sec"))


@dataclass(frozen=True, slots=True)
class ReportRule:
    """``base_info.rule_info``: the rule (and 班次) of the day or of the month."""

    groupid: int
    groupname: str
    scheduleid: int
    schedulename: str
    checkintime: tuple[CheckinTime, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> ReportRule:
        return cls(
            _int(raw, "groupid"),
            _str(raw, "groupname"),
            _int(raw, "scheduleid"),
            _str(raw, "schedulename"),
            tuple(CheckinTime.from_raw(t) for t in _objs(raw, "checkintime")),
        )


@dataclass(frozen=True, slots=True)
class ReportBaseInfo:
    """``base_info`` of a day or month report (a month's has no ``date`` or ``day_type``:
    they read 0). ``departs_name`` lists every department, ``;``-separated, as paths."""

    date: int
    record_type: int
    name: str
    name_ex: str
    departs_name: str
    acctid: str
    rule_info: ReportRule
    day_type: int

    @classmethod
    def from_raw(cls, raw: Raw) -> ReportBaseInfo:
        i, s = _int, _str
        return cls(
            i(raw, "date"),
            i(raw, "record_type"),
            s(raw, "name"),
            s(raw, "name_ex"),
            s(raw, "departs_name"),
            s(raw, "acctid"),
            ReportRule.from_raw(_obj(raw, "rule_info")),
            i(raw, "day_type"),
        )


@dataclass(frozen=True, slots=True)
class DaySummary:
    """A day report's ``summary_info``; ``earliest_time``/``lastest_time`` (WeCom's
    spelling) are seconds after the day's 0:00, not Unix times."""

    checkin_count: int
    regular_work_sec: int
    standard_work_sec: int
    earliest_time: int
    lastest_time: int

    @classmethod
    def from_raw(cls, raw: Raw) -> DaySummary:
        i = _int
        return cls(
            i(raw, "checkin_count"),
            i(raw, "regular_work_sec"),
            i(raw, "standard_work_sec"),
            i(raw, "earliest_time"),
            i(raw, "lastest_time"),
        )


@dataclass(frozen=True, slots=True)
class HolidayInfo:
    """A ``holiday_infos`` element: an approval touching the day, with its summary texts."""

    sp_number: str
    sp_title: tuple[I18nText, ...]
    sp_description: tuple[I18nText, ...]

    @property
    def title(self) -> str:
        """The Chinese title (``请假0.1小时``), "" when there is none."""
        return _label(self.sp_title)

    @property
    def description(self) -> str:
        """The Chinese description (``09/03 10:00~09/03 10:01``), "" when there is none."""
        return _label(self.sp_description)

    @classmethod
    def from_raw(cls, raw: Raw) -> HolidayInfo:
        return cls(
            _str(raw, "sp_number"),
            _texts(_obj(raw, "sp_title"), "data"),
            _texts(_obj(raw, "sp_description"), "data"),
        )


@dataclass(frozen=True, slots=True)
class DayOvertime:
    """A day report's ``ot_info``: ``ot_status`` 0 无加班, 1 正常, 2 缺时长; seconds
    throughout. The six conversions are singular on the day (``workday_over_as_money``)."""

    ot_status: int
    ot_duration: int
    exception_duration: tuple[int, ...]
    workday_over_as_vacation: int
    workday_over_as_money: int
    restday_over_as_vacation: int
    restday_over_as_money: int
    holiday_over_as_vacation: int
    holiday_over_as_money: int

    @classmethod
    def from_raw(cls, raw: Raw) -> DayOvertime:
        i = _int
        return cls(
            i(raw, "ot_status"),
            i(raw, "ot_duration"),
            _ints(raw, "exception_duration"),
            i(raw, "workday_over_as_vacation"),
            i(raw, "workday_over_as_money"),
            i(raw, "restday_over_as_vacation"),
            i(raw, "restday_over_as_money"),
            i(raw, "holiday_over_as_vacation"),
            i(raw, "holiday_over_as_money"),
        )


@dataclass(frozen=True, slots=True)
class ReportSpItem:
    """An ``sp_items`` element: ``type`` 1 请假 (``vacation_id`` says which), 2 补卡, 3 出差,
    4 外出, 100 外勤; ``duration`` in unit-seconds (÷86400 days, ÷3600 hours by
    ``time_type`` 0 按天 / 1 按小时)."""

    type: int
    vacation_id: int
    count: int
    duration: int
    time_type: int
    name: str

    @classmethod
    def from_raw(cls, raw: Raw) -> ReportSpItem:
        i = _int
        return cls(
            i(raw, "type"),
            i(raw, "vacation_id"),
            i(raw, "count"),
            i(raw, "duration"),
            i(raw, "time_type"),
            _str(raw, "name"),
        )


def _sp_items(raw: Raw) -> tuple[ReportSpItem, ...]:
    return tuple(ReportSpItem.from_raw(i) for i in _objs(raw, "sp_items"))


@dataclass(frozen=True, slots=True)
class DayReport:
    """One element of getcheckin_daydata's ``datas``: one user, one day (docs/wecom-api.md §7).

    The sub-objects mirror the JSON (``base_info``, ``summary_info``, ``holiday_infos``,
    ``exception_infos`` as :attr:`exceptions`, ``ot_info``, ``sp_items``); the flat fields
    before them are the most used values, kept for convenience.
    """

    userid: str
    name: str
    date: int
    record_type: int
    day_type: int
    groupid: int
    groupname: str
    checkin_count: int
    regular_work_sec: int
    standard_work_sec: int
    earliest_time: int
    lastest_time: int
    exceptions: tuple[ReportException, ...]
    base_info: ReportBaseInfo
    summary_info: DaySummary
    holiday_infos: tuple[HolidayInfo, ...]
    ot_info: DayOvertime
    sp_items: tuple[ReportSpItem, ...]
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw) -> DayReport:
        base = ReportBaseInfo.from_raw(_obj(raw, "base_info"))
        summary = DaySummary.from_raw(_obj(raw, "summary_info"))
        return cls(
            userid=base.acctid,
            name=base.name,
            date=base.date,
            record_type=base.record_type,
            day_type=base.day_type,
            groupid=base.rule_info.groupid,
            groupname=base.rule_info.groupname,
            checkin_count=summary.checkin_count,
            regular_work_sec=summary.regular_work_sec,
            standard_work_sec=summary.standard_work_sec,
            earliest_time=summary.earliest_time,
            lastest_time=summary.lastest_time,
            exceptions=_exceptions(raw),
            base_info=base,
            summary_info=summary,
            holiday_infos=tuple(HolidayInfo.from_raw(h) for h in _objs(raw, "holiday_infos")),
            ot_info=DayOvertime.from_raw(_obj(raw, "ot_info")),
            sp_items=_sp_items(raw),
            raw=raw,
        )


@dataclass(frozen=True, slots=True)
class DayDataResult(_Answer):
    """getcheckin_daydata: reports ordered by user (request order), then day."""

    datas: tuple[DayReport, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> DayDataResult:
        return cls(raw, tuple(DayReport.from_raw(r) for r in _objs(raw, "datas")))


@dataclass(frozen=True, slots=True)
class MonthSummary:
    """A month report's ``summary_info``: days and the sums of the days' seconds."""

    work_days: int
    regular_days: int
    except_days: int
    rest_days: int
    regular_work_sec: int
    standard_work_sec: int

    @classmethod
    def from_raw(cls, raw: Raw) -> MonthSummary:
        i = _int
        return cls(
            i(raw, "work_days"),
            i(raw, "regular_days"),
            i(raw, "except_days"),
            i(raw, "rest_days"),
            i(raw, "regular_work_sec"),
            i(raw, "standard_work_sec"),
        )


@dataclass(frozen=True, slots=True)
class MonthOverwork:
    """A month report's ``overwork_info``, in seconds, with WeCom's exact spellings: singular
    ``workday_over_sec`` beside plural ``holidays_over_sec``/``restdays_over_sec``, and plural
    conversions (``workdays_over_as_money``) unlike the day's singular ones."""

    workday_over_sec: int
    holidays_over_sec: int
    restdays_over_sec: int
    workdays_over_as_vacation: int
    workdays_over_as_money: int
    restdays_over_as_vacation: int
    restdays_over_as_money: int
    holidays_over_as_vacation: int
    holidays_over_as_money: int

    @classmethod
    def from_raw(cls, raw: Raw) -> MonthOverwork:
        i = _int
        return cls(
            i(raw, "workday_over_sec"),
            i(raw, "holidays_over_sec"),
            i(raw, "restdays_over_sec"),
            i(raw, "workdays_over_as_vacation"),
            i(raw, "workdays_over_as_money"),
            i(raw, "restdays_over_as_vacation"),
            i(raw, "restdays_over_as_money"),
            i(raw, "holidays_over_as_vacation"),
            i(raw, "holidays_over_as_money"),
        )


@dataclass(frozen=True, slots=True)
class MonthReport:
    """One element of getcheckin_monthdata's ``datas``: one user over ``period``.

    ``period`` is the ``(starttime, endtime)`` the report covers. It is the requested range,
    unless the range was longer than 30 days and split: then each user has one report per
    chunk, in time order (sums over the chunks are the caller's choice, see docs/client.md).
    The sub-objects mirror the JSON; the flat fields before them are kept for convenience.
    """

    userid: str
    name: str
    record_type: int
    groupid: int
    groupname: str
    work_days: int
    regular_days: int
    except_days: int
    rest_days: int
    regular_work_sec: int
    standard_work_sec: int
    exceptions: tuple[ReportException, ...]
    period: tuple[int, int]
    base_info: ReportBaseInfo
    summary_info: MonthSummary
    sp_items: tuple[ReportSpItem, ...]
    overwork_info: MonthOverwork
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw, period: tuple[int, int] = (0, 0)) -> MonthReport:
        base = ReportBaseInfo.from_raw(_obj(raw, "base_info"))
        summary = MonthSummary.from_raw(_obj(raw, "summary_info"))
        return cls(
            userid=base.acctid,
            name=base.name,
            record_type=base.record_type,
            groupid=base.rule_info.groupid,
            groupname=base.rule_info.groupname,
            work_days=summary.work_days,
            regular_days=summary.regular_days,
            except_days=summary.except_days,
            rest_days=summary.rest_days,
            regular_work_sec=summary.regular_work_sec,
            standard_work_sec=summary.standard_work_sec,
            exceptions=_exceptions(raw),
            period=period,
            base_info=base,
            summary_info=summary,
            sp_items=_sp_items(raw),
            overwork_info=MonthOverwork.from_raw(_obj(raw, "overwork_info")),
            raw=raw,
        )


@dataclass(frozen=True, slots=True)
class MonthDataResult(_Answer):
    """getcheckin_monthdata: reports ordered by user (request order), then period."""

    datas: tuple[MonthReport, ...]

    @classmethod
    def from_raw(cls, raw: Raw, period: tuple[int, int] = (0, 0)) -> MonthDataResult:
        return cls(raw, tuple(MonthReport.from_raw(r, period) for r in _objs(raw, "datas")))


@dataclass(frozen=True, slots=True)
class ScheduleDay:
    """A ``scheduleList`` entry: the shift of one day (``schedule_id`` 0 is 休息)."""

    day: int
    schedule_id: int
    schedule_name: str
    time_section: tuple[Raw, ...]
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw) -> ScheduleDay:
        info = _obj(raw, "schedule_info")
        return cls(
            _int(raw, "day"),
            _int(info, "schedule_id"),
            _str(info, "schedule_name"),
            tuple(_objs(info, "time_section")),
            raw,
        )


@dataclass(frozen=True, slots=True)
class UserSchedule:
    """A ``schedule_list`` element: one user's shifts in one month (``yearmonth`` 202611)."""

    userid: str
    yearmonth: int
    groupid: int
    groupname: str
    days: tuple[ScheduleDay, ...]
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw) -> UserSchedule:
        days = _objs(_obj(raw, "schedule"), "scheduleList")  # camelCase on the wire (§9.1)
        return cls(
            _str(raw, "userid"),
            _int(raw, "yearmonth"),
            _int(raw, "groupid"),
            _str(raw, "groupname"),
            tuple(ScheduleDay.from_raw(d) for d in days),
            raw,
        )


@dataclass(frozen=True, slots=True)
class ScheduleListResult(_Answer):
    """getcheckinschedulist: one element per (user, month), users in request order."""

    schedule_list: tuple[UserSchedule, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> ScheduleListResult:
        return cls(raw, tuple(UserSchedule.from_raw(r) for r in _objs(raw, "schedule_list")))


@dataclass(frozen=True, slots=True)
class HardwarePunch:
    """One row of get_hardware_checkin_data: a raw attendance-machine punch."""

    userid: str
    checkin_time: int
    device_sn: str
    device_name: str
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw) -> HardwarePunch:
        return cls(
            _str(raw, "userid"),
            _int(raw, "checkin_time"),
            _str(raw, "device_sn"),
            _str(raw, "device_name"),
            raw,
        )


@dataclass(frozen=True, slots=True)
class HardwareCheckinDataResult(_Answer):
    """get_hardware_checkin_data: punches ordered by user (request order), then time."""

    checkindata: tuple[HardwarePunch, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> HardwareCheckinDataResult:
        return cls(raw, tuple(HardwarePunch.from_raw(r) for r in _objs(raw, "checkindata")))


@dataclass(frozen=True, slots=True)
class MediaUpload(_Answer):
    """media/upload's answer; ``media_id`` is valid for 3 days."""

    type: str
    media_id: str
    created_at: int

    @classmethod
    def from_raw(cls, raw: Raw) -> MediaUpload:
        # WeCom sends created_at as a string ("1380000000"), docs/wecom-api.md §15.1.
        return cls(raw, _str(raw, "type"), _str(raw, "media_id"), _int(raw, "created_at"))


@dataclass(frozen=True, slots=True)
class Media:
    """media/get's answer: the file's bytes and what the headers say about them."""

    content: bytes = field(repr=False)
    content_type: str
    filename: str
    status_code: int
    headers: Mapping[str, str] = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Department:
    """A department of department/list."""

    id: int
    name: str
    parentid: int

    @classmethod
    def from_raw(cls, raw: Raw) -> Department:
        return cls(_int(raw, "id"), _str(raw, "name"), _int(raw, "parentid"))


@dataclass(frozen=True, slots=True)
class DepartmentListResult(_Answer):
    """department/list: a department and those below it (every visible one without ``id``)."""

    department: tuple[Department, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> DepartmentListResult:
        return cls(raw, tuple(Department.from_raw(d) for d in _objs(raw, "department")))


@dataclass(frozen=True, slots=True)
class Member:
    """A user of user/simplelist or tag/get (``department`` empty in tag/get)."""

    userid: str
    name: str
    department: tuple[int, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> Member:
        return cls(_str(raw, "userid"), _str(raw, "name"), _ints(raw, "department"))


@dataclass(frozen=True, slots=True)
class UserListResult(_Answer):
    """user/simplelist: a department's members."""

    userlist: tuple[Member, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> UserListResult:
        return cls(raw, tuple(Member.from_raw(u) for u in _objs(raw, "userlist")))


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag of tag/list."""

    tagid: int
    tagname: str

    @classmethod
    def from_raw(cls, raw: Raw) -> Tag:
        return cls(_int(raw, "tagid"), _str(raw, "tagname"))


@dataclass(frozen=True, slots=True)
class TagListResult(_Answer):
    """tag/list: the corp's tags."""

    taglist: tuple[Tag, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> TagListResult:
        return cls(raw, tuple(Tag.from_raw(t) for t in _objs(raw, "taglist")))


@dataclass(frozen=True, slots=True)
class TagMembersResult(_Answer):
    """tag/get: a tag's name, member users and member departments."""

    tagname: str
    userlist: tuple[Member, ...]
    partylist: tuple[int, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> TagMembersResult:
        return cls(
            raw,
            _str(raw, "tagname"),
            tuple(Member.from_raw(u) for u in _objs(raw, "userlist")),
            _ints(raw, "partylist"),
        )


# -- 审批 (approvals) and 假期 (vacations) ----------------------------------------------------

DAY_UNIT = 86_400
"""Unit-seconds of one day of a day-based (``time_attr`` 0) vacation, whatever the hours."""
HOUR_UNIT = 3_600
"""Unit-seconds of one hour of an hour-based (``time_attr`` 1) vacation."""


@dataclass(frozen=True, slots=True)
class I18nText:
    """A ``{"text", "lang"}`` label of WeCom's forms (``lang`` ``zh_CN`` or ``en``)."""

    text: str
    lang: str

    @classmethod
    def from_raw(cls, raw: Raw) -> I18nText:
        return cls(_str(raw, "text"), _str(raw, "lang"))


def _texts(raw: Raw, key: str) -> tuple[I18nText, ...]:
    return tuple(I18nText.from_raw(t) for t in _objs(raw, key))


def _label(texts: Sequence[I18nText]) -> str:
    """The Chinese label if there is one, else the first ("" when there is none)."""
    for text in texts:
        if text.lang == "zh_CN":
            return text.text
    return texts[0].text if texts else ""


@dataclass(frozen=True, slots=True)
class TemplateControl:
    """A control of an approval template: its ``property`` typed, its ``config`` as sent.

    ``config`` is open-ended (each control type has its own); the two 假勤 ones are typed
    by :attr:`date_range_type`, :attr:`attendance_type` and :attr:`vacations`.
    """

    control: str
    id: str
    title: tuple[I18nText, ...]
    placeholder: tuple[I18nText, ...]
    require: bool
    un_print: bool
    config: Raw = field(repr=False, compare=False)
    raw: Raw = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        """The title in Chinese if the template has one, else in its first language."""
        return _label(self.title)

    @property
    def date_range_type(self) -> str:
        """``halfday`` or ``hour``: the time grain a Vacation/Attendance value must use."""
        attendance = _obj(_obj(self.config, "attendance"), "date_range")
        return _str(attendance, "type")

    @property
    def attendance_type(self) -> int:
        """An Attendance control's kind: 3 出差, 4 外出, 5 加班 (1 请假; 0 for others)."""
        return _int(_obj(self.config, "attendance"), "type")

    @property
    def vacations(self) -> tuple[tuple[int, str], ...]:
        """A Vacation control's choices, ``(vacation_id, name)``; ids as getcorpconf's."""
        items = _objs(_obj(self.config, "vacation_list"), "item")
        return tuple((_int(i, "id"), _label(_texts(i, "name"))) for i in items)

    @classmethod
    def from_raw(cls, raw: Raw) -> TemplateControl:
        prop = _obj(raw, "property")
        return cls(
            _str(prop, "control"),
            _str(prop, "id"),
            _texts(prop, "title"),
            _texts(prop, "placeholder"),
            _int(prop, "require") == 1,
            _int(prop, "un_print") == 1,
            _obj(raw, "config"),
            raw,
        )


@dataclass(frozen=True, slots=True)
class TemplateDetail(_Answer):
    """gettemplatedetail: a template's names and controls, in form order."""

    template_names: tuple[I18nText, ...]
    controls: tuple[TemplateControl, ...]

    @property
    def name(self) -> str:
        return _label(self.template_names)

    def control(self, control: str) -> TemplateControl | None:
        """The first control of type ``control`` (``Vacation``, ``Attendance``, …), or None.

        A template has at most one 假勤 control, so ``control("Vacation")`` finds its id.
        """
        return next((c for c in self.controls if c.control == control), None)

    @classmethod
    def from_raw(cls, raw: Raw) -> TemplateDetail:
        controls = _objs(_obj(raw, "template_content"), "controls")
        return cls(
            raw,
            _texts(raw, "template_names"),
            tuple(TemplateControl.from_raw(c) for c in controls),
        )


@dataclass(frozen=True, slots=True)
class ApprovalListResult(_Answer):
    """getapprovalinfo: every ``sp_no`` submitted in the range, pages and windows joined.

    ``raw`` is one answer of a single page's shape holding the whole list.
    """

    sp_no_list: tuple[str, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> ApprovalListResult:
        return cls(raw, _strs(raw, "sp_no_list"))


@dataclass(frozen=True, slots=True)
class DaySlice:
    """A ``slice_info.day_items`` entry: the unit-seconds a 假勤 range takes on one day."""

    daytime: int
    duration: int

    @classmethod
    def from_raw(cls, raw: Raw) -> DaySlice:
        return cls(_int(raw, "daytime"), _int(raw, "duration"))


@dataclass(frozen=True, slots=True)
class AttendanceValue:
    """The time of a 假勤 control (Vacation or Attendance) of an approval.

    ``type``: 1 请假, 3 出差, 4 外出, 5 加班. ``date_range_type`` ``halfday`` (``new_begin``
    and ``new_end`` are a 0:00 or 12:00, the end slot included) or ``hour``. ``new_duration``
    and the slices are unit-seconds. ``vacation_id`` is the leave's vacation (0 otherwise).
    """

    type: int
    date_range_type: str
    new_begin: int
    new_end: int
    new_duration: int
    slices: tuple[DaySlice, ...]
    vacation_id: int
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw, vacation_id: int = 0) -> AttendanceValue:
        date_range = _obj(raw, "date_range")
        days = _objs(_obj(raw, "slice_info"), "day_items")
        return cls(
            _int(raw, "type"),
            _str(date_range, "type"),
            _int(date_range, "new_begin"),
            _int(date_range, "new_end"),
            _int(date_range, "new_duration"),
            tuple(DaySlice.from_raw(d) for d in days),
            vacation_id,
            raw,
        )


@dataclass(frozen=True, slots=True)
class ApprovalControl:
    """An ``apply_data.contents`` element: a control's type, id, title and ``value`` as sent.

    Values are open-ended (WeCom pads each with empty lists of the other kinds);
    :attr:`attendance` reads the 假勤 ones.
    """

    control: str
    id: str
    title: tuple[I18nText, ...]
    value: Raw = field(repr=False, compare=False)
    raw: Raw = field(repr=False, compare=False)

    @property
    def attendance(self) -> AttendanceValue | None:
        """The time of a Vacation or Attendance control, None for other controls."""
        vacation = _obj(self.value, "vacation")
        if "attendance" in vacation:
            options = _objs(_obj(vacation, "selector"), "options")
            vacation_id = _int(options[0], "key") if options else 0
            return AttendanceValue.from_raw(_obj(vacation, "attendance"), vacation_id)
        if "attendance" in self.value:
            return AttendanceValue.from_raw(_obj(self.value, "attendance"))
        return None

    @classmethod
    def from_raw(cls, raw: Raw) -> ApprovalControl:
        return cls(
            _str(raw, "control"), _str(raw, "id"), _texts(raw, "title"), _obj(raw, "value"), raw
        )


@dataclass(frozen=True, slots=True)
class ApproverAction:
    """One approver of a legacy ``sp_record`` node, or a ``sub_node_list`` entry.

    ``sp_status`` (``sp_yj`` in ``process_list``): 1 审批中, 2 同意, 3 驳回, 4 转审, …;
    ``sptime`` 0 while the approver has not acted (WeCom also sends ``""`` then).
    """

    userid: str
    speech: str
    sp_status: int
    sptime: int
    media_id: tuple[str, ...]

    @classmethod
    def from_record(cls, raw: Raw) -> ApproverAction:
        return cls(
            _str(_obj(raw, "approver"), "userid"),
            _str(raw, "speech"),
            _int(raw, "sp_status"),
            _int(raw, "sptime"),
            _strs(raw, "media_id"),
        )

    @classmethod
    def from_sub_node(cls, raw: Raw) -> ApproverAction:
        return cls(
            _str(raw, "userid"),
            _str(raw, "speech"),
            _int(raw, "sp_yj"),
            _int(raw, "sptime"),
            _strs(raw, "media_ids") or _strs(raw, "media_id"),
        )


@dataclass(frozen=True, slots=True)
class SpRecord:
    """A node of the legacy flow (``sp_record``): ``approverattr`` 1 或签, 2 会签."""

    sp_status: int
    approverattr: int
    details: tuple[ApproverAction, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> SpRecord:
        details = tuple(ApproverAction.from_record(d) for d in _objs(raw, "details"))
        return cls(_int(raw, "sp_status"), _int(raw, "approverattr"), details)


@dataclass(frozen=True, slots=True)
class ProcessNode:
    """A node of the new flow (``process_list.node_list``).

    ``node_type`` 1 审批人, 2 抄送人, 3 办理人; ``apv_rel`` 1 会签, 2 或签, 3 依次 (the
    legacy ``approverattr`` numbers them the other way round).
    """

    node_type: int
    sp_status: int
    apv_rel: int
    sub_node_list: tuple[ApproverAction, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> ProcessNode:
        subs = tuple(ApproverAction.from_sub_node(n) for n in _objs(raw, "sub_node_list"))
        return cls(_int(raw, "node_type"), _int(raw, "sp_status"), _int(raw, "apv_rel"), subs)


@dataclass(frozen=True, slots=True)
class ApprovalComment:
    """A ``comments`` element (备注)."""

    userid: str
    commenttime: int
    commentcontent: str
    commentid: str
    media_id: tuple[str, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> ApprovalComment:
        return cls(
            _str(_obj(raw, "commentUserInfo"), "userid"),
            _int(raw, "commenttime"),
            _str(raw, "commentcontent"),
            _str(raw, "commentid"),
            _strs(raw, "media_id"),
        )


@dataclass(frozen=True, slots=True)
class Approval:
    """getapprovaldetail's ``info``: one approval (审批单).

    ``sp_status``: 1 审批中, 2 已通过, 3 已驳回, 4 已撤销, 6 通过后撤销, 7 已删除, 10 已支付.
    ``applyer_userid`` / ``applyer_partyid`` are empty for a batch application, whose
    applicants are ``batch_applyer``. ``process_list`` is empty where WeCom sends only the
    legacy ``sp_record``. Unknown fields are in ``raw``.
    """

    sp_no: str
    sp_name: str
    sp_status: int
    template_id: str
    apply_time: int
    applyer_userid: str
    applyer_partyid: str
    batch_applyer: tuple[str, ...]
    sp_record: tuple[SpRecord, ...]
    notifyer: tuple[str, ...]
    contents: tuple[ApprovalControl, ...]
    comments: tuple[ApprovalComment, ...]
    process_list: tuple[ProcessNode, ...]
    raw: Raw = field(repr=False, compare=False)

    @property
    def attendance(self) -> AttendanceValue | None:
        """The time of the form's 假勤 control (a template has at most one), or None."""
        return next((a for c in self.contents if (a := c.attendance) is not None), None)

    @classmethod
    def from_raw(cls, raw: Raw) -> Approval:
        applyer = _obj(raw, "applyer")
        contents = _objs(_obj(raw, "apply_data"), "contents")
        return cls(
            _str(raw, "sp_no"),
            _str(raw, "sp_name"),
            _int(raw, "sp_status"),
            _str(raw, "template_id"),
            _int(raw, "apply_time"),
            _str(applyer, "userid"),
            _str(applyer, "partyid"),
            tuple(_str(a, "userid") for a in _objs(raw, "batch_applyer")),
            tuple(SpRecord.from_raw(r) for r in _objs(raw, "sp_record")),
            tuple(_str(n, "userid") for n in _objs(raw, "notifyer")),
            tuple(ApprovalControl.from_raw(c) for c in contents),
            tuple(ApprovalComment.from_raw(c) for c in _objs(raw, "comments")),
            tuple(ProcessNode.from_raw(n) for n in _objs(_obj(raw, "process_list"), "node_list")),
            raw,
        )


@dataclass(frozen=True, slots=True)
class ApprovalDetailResult(_Answer):
    """getapprovaldetail."""

    info: Approval

    @classmethod
    def from_raw(cls, raw: Raw) -> ApprovalDetailResult:
        return cls(raw, Approval.from_raw(_obj(raw, "info")))


@dataclass(frozen=True, slots=True)
class Vacation:
    """A vacation of the corp's 假期管理 (a getcorpconf ``lists`` item).

    ``time_attr`` 0 按天 / 1 按小时; ``duration_type`` 0 自然日 / 1 工作日; ``quota_type``
    (``quota_attr.type``) 0 不限额, 1 按年发放, 2 手动发放, 3 按月发放; ``perday_duration``
    the seconds of work one day stands for; ``is_newovertime`` 1 for the 调休 vacation.
    Quotas, expiry and the rest are in ``raw``.
    """

    id: int
    name: str
    time_attr: int
    duration_type: int
    quota_type: int
    perday_duration: int
    is_newovertime: int
    raw: Raw = field(repr=False, compare=False)

    @property
    def unit(self) -> int:
        """Unit-seconds of one unit: 86400 (a day) or 3600 (an hour), by ``time_attr``."""
        return HOUR_UNIT if self.time_attr == 1 else DAY_UNIT

    def to_units(self, seconds: int) -> float:
        """Unit-seconds as days or hours of this vacation (``432000`` → 5.0 days)."""
        return seconds / self.unit

    def from_units(self, units: float) -> int:
        """Days or hours of this vacation as unit-seconds, to the 0.1-unit grain WeCom takes
        (``from_units(2.5)`` → 216000 for a day-based vacation).
        """
        grain = self.unit // 10
        return round(units * 10) * grain

    @classmethod
    def from_raw(cls, raw: Raw) -> Vacation:
        return cls(
            _int(raw, "id"),
            _str(raw, "name"),
            _int(raw, "time_attr"),
            _int(raw, "duration_type"),
            _int(_obj(raw, "quota_attr"), "type"),
            _int(raw, "perday_duration"),
            _int(raw, "is_newovertime"),
            raw,
        )


@dataclass(frozen=True, slots=True)
class VacationConfResult(_Answer):
    """oa/vacation/getcorpconf: the corp's vacations."""

    lists: tuple[Vacation, ...]

    def vacation(self, name: str) -> Vacation | None:
        """The vacation called ``name`` (``年假``), or None."""
        return next((v for v in self.lists if v.name == name), None)

    @classmethod
    def from_raw(cls, raw: Raw) -> VacationConfResult:
        return cls(raw, tuple(Vacation.from_raw(v) for v in _objs(raw, "lists")))


@dataclass(frozen=True, slots=True)
class VacationQuota:
    """One vacation's balance of a member, in unit-seconds (divide by the vacation's
    :attr:`Vacation.unit`). ``leftduration`` is not always ``assign - used``: manual
    settings and carry-over move it too.
    """

    id: int
    vacationname: str
    assignduration: int
    usedduration: int
    leftduration: int
    real_assignduration: int

    @classmethod
    def from_raw(cls, raw: Raw) -> VacationQuota:
        i = _int
        return cls(
            i(raw, "id"),
            _str(raw, "vacationname"),
            i(raw, "assignduration"),
            i(raw, "usedduration"),
            i(raw, "leftduration"),
            i(raw, "real_assignduration"),
        )


@dataclass(frozen=True, slots=True)
class UserVacationQuotaResult(_Answer):
    """oa/vacation/getuservacationquota: a member's balance of each vacation."""

    lists: tuple[VacationQuota, ...]

    def quota(self, vacation_id: int) -> VacationQuota | None:
        """The balance of vacation ``vacation_id``, or None."""
        return next((q for q in self.lists if q.id == vacation_id), None)

    @classmethod
    def from_raw(cls, raw: Raw) -> UserVacationQuotaResult:
        return cls(raw, tuple(VacationQuota.from_raw(q) for q in _objs(raw, "lists")))


def answer(field_name: str, items: Sequence[Raw]) -> dict[str, Any]:
    """A success answer shaped like a single call's (used for merged batches)."""
    return {"errcode": 0, "errmsg": "ok", field_name: list(items)}
