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
    "CheckinDataResult",
    "CheckinOptionResult",
    "CheckinRecord",
    "CheckinRule",
    "CorpCheckinOptionResult",
    "DayDataResult",
    "DayReport",
    "HardwareCheckinDataResult",
    "HardwarePunch",
    "Media",
    "MediaUpload",
    "MonthDataResult",
    "MonthReport",
    "ReportException",
    "RuleRange",
    "ScheduleDay",
    "ScheduleListResult",
    "UserCheckinOption",
    "UserSchedule",
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
    return lenient_int(raw.get(key))


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
class DayReport:
    """One element of getcheckin_daydata's ``datas``: one user, one day (docs/wecom-api.md §7)."""

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
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw) -> DayReport:
        base, summary = _obj(raw, "base_info"), _obj(raw, "summary_info")
        rule = _obj(base, "rule_info")
        i = _int
        return cls(
            _str(base, "acctid"),
            _str(base, "name"),
            i(base, "date"),
            i(base, "record_type"),
            i(base, "day_type"),
            i(rule, "groupid"),
            _str(rule, "groupname"),
            i(summary, "checkin_count"),
            i(summary, "regular_work_sec"),
            i(summary, "standard_work_sec"),
            i(summary, "earliest_time"),
            i(summary, "lastest_time"),
            _exceptions(raw),
            raw,
        )


@dataclass(frozen=True, slots=True)
class DayDataResult(_Answer):
    """getcheckin_daydata: reports ordered by user (request order), then day."""

    datas: tuple[DayReport, ...]

    @classmethod
    def from_raw(cls, raw: Raw) -> DayDataResult:
        return cls(raw, tuple(DayReport.from_raw(r) for r in _objs(raw, "datas")))


@dataclass(frozen=True, slots=True)
class MonthReport:
    """One element of getcheckin_monthdata's ``datas``: one user over ``period``.

    ``period`` is the ``(starttime, endtime)`` the report covers. It is the requested range,
    unless the range was longer than 30 days and split: then each user has one report per
    chunk, in time order (sums over the chunks are the caller's choice, see docs/client.md).
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
    raw: Raw = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: Raw, period: tuple[int, int] = (0, 0)) -> MonthReport:
        base, summary = _obj(raw, "base_info"), _obj(raw, "summary_info")
        rule = _obj(base, "rule_info")
        i = _int
        return cls(
            _str(base, "acctid"),
            _str(base, "name"),
            i(base, "record_type"),
            i(rule, "groupid"),
            _str(rule, "groupname"),
            i(summary, "work_days"),
            i(summary, "regular_days"),
            i(summary, "except_days"),
            i(summary, "rest_days"),
            i(summary, "regular_work_sec"),
            i(summary, "standard_work_sec"),
            _exceptions(raw),
            period,
            raw,
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


def answer(field_name: str, items: Sequence[Raw]) -> dict[str, Any]:
    """A success answer shaped like a single call's (used for merged batches)."""
    return {"errcode": 0, "errmsg": "ok", field_name: list(items)}
