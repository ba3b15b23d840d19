"""Factories for tests: small functions with sensible defaults, overridden by keyword."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
CORPID = "wwtest0000000001"
SECRET = "test-secret-1"
AGENTID = 1000001

# The office fence of make_rule(): People's Square, Shanghai, 300 m.
OFFICE = (31_230_416, 121_473_701)
OFFICE_MAC = "3c:46:d8:0c:7a:70"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    """Unix time of a wall-clock moment in Shanghai."""
    return int(datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI).timestamp())


def midnight(day: date) -> int:
    return at(day.year, day.month, day.day)


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: float) -> None:
        self.now = float(now)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_slot(work: str = "09:00", off: str = "18:00", time_id: int = 1, **extra: Any) -> dict:
    def sec(hhmm: str) -> int:
        h, m = hhmm.split(":")
        return int(h) * 3600 + int(m) * 60

    return {
        "time_id": time_id,
        "work_sec": sec(work),
        "off_work_sec": sec(off),
        "remind_work_sec": sec(work),
        "remind_off_work_sec": sec(off),
        **extra,
    }


def make_rule(
    groupid: int = 1,
    *,
    slots: list[dict] | None = None,
    workdays: list[int] | None = None,
    users: list[str] | None = None,
    parties: list[Any] | None = None,
    tags: list[int] | None = None,
    white_users: list[str] | None = None,
    **extra: Any,
) -> dict:
    """A fixed-time rule (grouptype 1): Mon–Fri 09:00–18:00, office fence and Wi-Fi."""
    checkindate = {
        "workdays": [1, 2, 3, 4, 5] if workdays is None else workdays,
        "checkintime": slots if slots is not None else [make_slot()],
        "limit_aheadtime": 10_800_000,
        "flex_on_duty_time": 0,
        "flex_off_duty_time": 0,
    }
    checkindate.update(extra.pop("checkindate_extra", {}))
    rule = {
        "groupid": groupid,
        "grouptype": 1,
        "groupname": f"rule {groupid}",
        "checkindate": [checkindate],
        "loc_infos": [
            {
                "lat": OFFICE[0],
                "lng": OFFICE[1],
                "loc_title": "Office",
                "loc_detail": "People's Square",
                "distance": 300,
            }
        ],
        "wifimac_infos": [{"wifiname": "Office-WiFi", "wifimac": OFFICE_MAC}],
        "range": {
            "party_id": parties or [],
            "userid": users if users is not None else [],
            "tagid": tags or [],
        },
        "white_users": white_users or [],
    }
    if users is None and parties is None and tags is None:
        rule["range"]["party_id"] = ["1"]
    rule.update(extra)
    return rule


def make_corp(
    corpid: str = CORPID,
    *,
    secret: str = SECRET,
    agentid: int = AGENTID,
    users: list[dict] | None = None,
    rules: list[dict] | None = None,
    checkin: bool = True,
    timezone: str = "Asia/Shanghai",
    **extra: Any,
) -> dict:
    corp = {
        "corpid": corpid,
        "name": "Test Co",
        "timezone": timezone,
        "apps": [{"agentid": agentid, "name": "打卡", "secret": secret, "checkin": checkin}],
        "departments": [
            {"id": 1, "name": "Test Co", "parentid": 0},
            {"id": 2, "name": "R&D", "parentid": 1},
            {"id": 3, "name": "Backend", "parentid": 2},
        ],
        "tags": [{"tagid": 1, "tagname": "drivers", "userids": ["lisi"]}],
        "users": users
        if users is not None
        else [
            {"userid": "zhangsan", "name": "张三", "department": [2]},
            {"userid": "lisi", "name": "李四", "department": [3]},
            {"userid": "wangwu", "name": "王五", "department": [1]},
        ],
        "checkin_groups": rules if rules is not None else [make_rule()],
    }
    corp.update(extra)
    return corp


def make_org(*corps: dict) -> dict:
    return {"corps": [copy.deepcopy(c) for c in (corps or (make_corp(),))]}


def make_record(userid: str = "zhangsan", checkin_time: int | None = None, **extra: Any) -> dict:
    """An add_checkin_record element: an attendance machine punch with no location."""
    record = {
        "userid": userid,
        "checkin_time": checkin_time if checkin_time is not None else at(2026, 11, 16, 8, 55),
        "location_title": "Lobby",
        "location_detail": "1F",
        "device_type": 2,
        "device_detail": "ZKTeco",
    }
    record.update(extra)
    return record


def make_shift_rule(groupid: int = 5, *, shifts: list[dict] | None = None, **extra: Any) -> dict:
    """A shift rule (grouptype 2): 早班 08:00–16:00 (id 1) and 夜班 22:00–06:00 (id 2)."""
    rule = make_rule(
        groupid,
        grouptype=2,
        groupname=f"shifts {groupid}",
        checkindate=[],
        schedulelist=shifts
        if shifts is not None
        else [
            {"schedule_id": 0, "schedule_name": "休息", "time_section": []},
            make_shift(1, "早班", "08:00", "16:00"),
            make_shift(2, "夜班", "22:00", "30:00"),
        ],
        **extra,
    )
    return rule


def make_shift(schedule_id: int, name: str, work: str, off: str, **extra: Any) -> dict:
    def sec(hhmm: str) -> int:
        h, m = hhmm.split(":")
        return int(h) * 3600 + int(m) * 60

    return {
        "schedule_id": schedule_id,
        "schedule_name": name,
        "time_section": [
            {
                "time_id": 1,
                "work_sec": sec(work),
                "off_work_sec": sec(off),
                "remind_work_sec": sec(work),
                "remind_off_work_sec": sec(off),
            }
        ],
        "limit_aheadtime": 7_200_000,
        "allow_flex": True,
        "flex_on_duty_time": 0,
        "flex_off_duty_time": 0,
        **extra,
    }


def api_rule(**extra: Any) -> dict:
    """A rule as a client sends it to add_checkin_option (no groupid; ot_info_v2 set)."""
    rule = make_rule(**extra)
    rule.pop("groupid")
    rule.setdefault("ot_info_v2", {"workdayconf": {"allow_ot": False, "type": 2}})
    return rule


# Media files as media/upload checks them (magic bytes only; see daka.services.media).
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(48)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00"
    b"\x00\x00:~\x9bU\x00\x00\x00\nIDATx\x9cch\x00\x00\x00\x82\x00\x81w\xcdr\xb6\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)  # a real 1x1 grey PNG, 67 bytes
AMR_BYTES = b"#!AMR\n" + b"\x3c\x48\xf5\x1f\x96\x66\x79\xe1\xe0\x01\xe7\x8a\xf0" * 4
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(40)
