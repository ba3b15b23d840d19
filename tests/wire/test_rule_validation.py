"""validate_group: the §12 constraints of add/update_checkin_option, one case per constraint."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from daka.domain.errors import DakaError
from daka.wire.rule_validation import (
    LocationAndWifiEmpty,
    RuleFieldInvalid,
    RuleParamError,
    validate_group,
)
from daka.wire.rules import normalize_group

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 16)
HOUR = 3600
MINUTE = 60

OFFICE = {
    "lat": 31_230_416,
    "lng": 121_473_701,
    "loc_title": "Office",
    "loc_detail": "People's Square",
    "distance": 300,
}
WIFI = {"wifiname": "Office-WiFi", "wifimac": "3c:46:d8:0c:7a:70"}


def midnight(day: date, tz: ZoneInfo = TZ) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())


def in_days(n: int) -> int:
    return midnight(TODAY + timedelta(days=n))


def slot(work_h: float, off_h: float, time_id: int = 1, **extra: Any) -> dict[str, Any]:
    work, off = int(work_h * HOUR), int(off_h * HOUR)
    return {
        "time_id": time_id,
        "work_sec": work,
        "off_work_sec": off,
        "remind_work_sec": work,
        "remind_off_work_sec": off,
        **extra,
    }


def valid_fixed_rule() -> dict[str, Any]:
    """The smallest fixed-time rule (grouptype 1): Mon–Fri 09:00–18:00 at the office."""
    return {
        "grouptype": 1,
        "groupname": "Office hours",
        "range": {"party_id": ["1"], "userid": [], "tagid": []},
        "checkindate": [{"workdays": [1, 2, 3, 4, 5], "checkintime": [slot(9, 18)]}],
        "loc_infos": [dict(OFFICE)],
    }


def valid_shift_rule() -> dict[str, Any]:
    """A shift rule (grouptype 2) with the rest shift, a day shift and a night shift."""
    return {
        "grouptype": 2,
        "groupname": "Warehouse shifts",
        "range": {"userid": ["zhangsan"]},
        "schedulelist": [
            {"schedule_id": 0, "schedule_name": "休息", "time_section": []},
            {
                "schedule_id": 1,
                "schedule_name": "Day",
                "time_section": [slot(9, 18, 1)],
                "limit_aheadtime": 14_400_000,
                "limit_offtime": 14_400,
            },
            {
                "schedule_id": 2,
                "schedule_name": "Night",
                "time_section": [slot(22, 30, 2)],
                "flex_on_duty_time": 600,
            },  # allow_flex defaults to true for shifts
        ],
        "wifimac_infos": [dict(WIFI)],
    }


def valid_free_rule() -> dict[str, Any]:
    """A free rule (grouptype 3): workdays without slots, record-only punching."""
    return {
        "grouptype": 3,
        "groupname": "Field staff",
        "range": {"tagid": [1]},
        "checkindate": [{"workdays": [1, 2, 3, 4, 5], "checkintime": []}],
        "span_day_time": 4 * HOUR,
        "offwork_interval_time": 300,
        "standard_work_duration": 8 * HOUR,
        "checkin_method_type": 2,
        "loc_infos": [dict(OFFICE)],
        "wifimac_infos": [dict(WIFI)],
    }


def valid_rich_fixed_rule() -> dict[str, Any]:
    """A fixed rule using most optional features, each at a valid value."""
    rule = valid_fixed_rule()
    rule.update(
        {
            "groupid": 7,
            "type": 3,
            "range": {"partyid": [2], "userid": ["zhangsan"], "tagid": [1]},
            "white_users": ["lisi"],
            "reporterinfo": {"reporters": [{"userid": "wangwu"}]},
            "checkindate": [
                {
                    "workdays": [1, 2, 3, 4, 5],
                    "checkintime": [
                        slot(
                            9,
                            12,
                            1,
                            earliest_work_sec=7 * HOUR,
                            latest_work_sec=10 * HOUR,
                            earliest_off_work_sec=11 * HOUR,
                            latest_off_work_sec=int(12.5 * HOUR),
                        ),
                        slot(
                            13.5,
                            18,
                            2,
                            allow_rest=True,
                            rest_times=[
                                {"rest_begin_time": 15 * HOUR, "rest_end_time": int(15.25 * HOUR)},
                                {"rest_begin_time": 16 * HOUR, "rest_end_time": int(16.25 * HOUR)},
                            ],
                        ),
                    ],
                    "limit_aheadtime": 10_800_000,
                    "allow_flex": True,
                    "flex_on_duty_time": 600,
                    "flex_off_duty_time": 600,
                    "late_rule": {
                        "allow_offwork_after_time": True,
                        "timerules": [
                            {"offwork_after_time": HOUR, "onwork_flex_time": 30 * MINUTE}
                        ],
                    },
                },
                {  # 大小周: Saturdays of odd weeks only
                    "workdays": [],
                    "biweekly": {
                        "enable_weekday_recurrence": True,
                        "odd_workdays": [6],
                        "even_workdays": [],
                    },
                    "checkintime": [slot(10, 16, 3)],
                    "allow_flex": True,
                    "max_allow_arrive_early": 1800,
                    "max_allow_arrive_late": 1800,
                },
            ],
            "spe_workdays": [
                {"timestamp": in_days(0), "notes": "补班", "type": 0, "checkintime": [slot(9, 18)]},
                {
                    "begtime": in_days(7),
                    "endtime": in_days(9),
                    "notes": "Inventory",
                    "type": 1,
                    "checkintime": [slot(8, 20)],
                },
            ],
            "spe_offdays": [
                {"timestamp": in_days(30), "notes": "Company trip", "type": 0, "checkintime": []},
                {
                    "begintime": in_days(40),
                    "endtime": in_days(45),
                    "notes": "Winter break",
                    "type": 1,
                },
            ],
            "wifimac_infos": [dict(WIFI), {"wifiname": "Guest", "wifimac": "C0:7B:BC:37:F8:D3"}],
            "ot_info": {},
            "ot_info_v2": {
                "workdayconf": {"allow_ot": True, "type": 0},
                "restdayconf": {"allow_ot": False, "type": 1},
                "holidayconf": {"allow_ot": True, "type": 2},
            },
            "allow_apply_offworkday": True,
            "allow_apply_bk_cnt": 99,
            "allow_apply_bk_day_limit": 180,
            "buka_limit_next_month": 28,
            "buka_remind": {"open_remind": True, "buka_remind_month": 1, "buka_remind_day": 26},
            "buka_restriction": 5,
            "use_face_detect": True,
            "open_face_live_detect": True,
            "option_out_range": 2,
            "standard_work_duration": 3 * HOUR,
            "checkin_method_type": 1,
        }
    )
    return rule


# The request example of doc 98041 (docs/wecom-api.md §12.1).
DOC_EXAMPLE: dict[str, Any] = {
    "grouptype": 1,
    "groupname": "打卡规则1",
    "checkindate": [
        {
            "workdays": [1, 2, 3, 4, 5],
            "checkintime": [
                {
                    "time_id": 1,
                    "work_sec": 36000,
                    "off_work_sec": 43200,
                    "remind_work_sec": 35400,
                    "remind_off_work_sec": 43200,
                    "earliest_work_sec": 35040,
                    "latest_work_sec": 37020,
                    "earliest_off_work_sec": 43140,
                    "latest_off_work_sec": 43800,
                }
            ],
            "flex_on_duty_time": 0,
            "flex_off_duty_time": 0,
        }
    ],
    "sync_holidays": True,
    "need_photo": True,
    "note_can_use_local_pic": False,
    "wifimac_infos": [{"wifiname": "Tencent-WiFi-1", "wifimac": "c0:7b:bc:37:f8:d3"}],
    "allow_checkin_offworkday": True,
    "allow_apply_offworkday": True,
    "loc_infos": [
        {
            "lat": 30547030,
            "lng": 104062890,
            "loc_title": "腾讯成都大厦",
            "loc_detail": "四川省成都市武侯区高新南区天府三街",
            "distance": 300,
        }
    ],
    "range": {"party_id": [], "userid": ["xiaoxioa"], "tagid": []},
    "white_users": ["xiaoxioa"],
    "type": 0,
    "reporterinfo": {"reporters": [{"userid": "xiaoxioa"}]},
    "ot_info_v2": {"workdayconf": {"allow_ot": True, "type": 0}},
    "allow_apply_bk_cnt": -1,
    "option_out_range": 0,
    "use_face_detect": True,
    "allow_apply_bk_day_limit": -1,
    "open_face_live_detect": True,
    "buka_limit_next_month": -1,
    "sync_out_checkin": True,
    "buka_remind": {"open_remind": True, "buka_remind_day": 28, "buka_remind_month": 0},
    "buka_restriction": 0,
    "checkin_method_type": 0,
}


def validate(group: Any, *, today: date = TODAY, tz: ZoneInfo = TZ) -> None:
    validate_group(group, today=today, tz=tz)


# --- mutating a valid rule by field path ------------------------------------------------------

DELETE = object()
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def mutate(rule: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``{"checkindate[0].workdays[1]": value}`` changes; DELETE removes the field.

    An index one past the end of an array appends.
    """
    for path, value in changes.items():
        steps: list[str | int] = [int(i) if i else key for key, i in _STEP.findall(path)]
        *parents, last = steps
        target: Any = rule
        for step in parents:
            target = target[step]
        if value is DELETE:
            del target[last]
        elif isinstance(target, list) and last == len(target):
            target.append(value)
        else:
            target[last] = value
    return rule


# --- valid rules pass -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        valid_fixed_rule,
        valid_shift_rule,
        valid_free_rule,
        valid_rich_fixed_rule,
        lambda: DOC_EXAMPLE,
    ],
)
def test_a_valid_rule_passes(make: Callable[[], dict[str, Any]]) -> None:
    validate(make())


@pytest.mark.parametrize(
    "make", [valid_fixed_rule, valid_shift_rule, valid_free_rule, valid_rich_fixed_rule]
)
def test_a_valid_rule_passes_in_its_stored_form(make: Callable[[], dict[str, Any]]) -> None:
    # update_checkin_option merges a request into the stored (normalised) rule, then validates.
    validate(normalize_group(make()))


BOUNDARIES = [
    pytest.param(valid_fixed_rule, {"groupname": "研" * 40}, id="groupname 40 chars"),
    pytest.param(valid_fixed_rule, {"range": {"partyid": [1]}}, id="range partyid spelling"),
    pytest.param(valid_fixed_rule, {"range": {"party_id": [1]}}, id="range party_id as ints"),
    pytest.param(valid_fixed_rule, {"type": 1}, id="type 1"),
    pytest.param(
        valid_fixed_rule, {"checkindate[0].checkintime[0].time_id": 99_998}, id="time_id 99998"
    ),
    pytest.param(
        valid_fixed_rule, {"checkindate[0].checkintime[0].time_id": DELETE}, id="time_id absent"
    ),
    pytest.param(
        valid_fixed_rule,
        {
            "checkindate[0].checkintime": [
                slot(0, 12, 1),
                slot(12, 18, 2),
                slot(18, 20, 3),
                slot(20, 24, 4),
            ]
        },
        id="four touching slots from 00:00 to 24:00",
    ),
    pytest.param(
        valid_fixed_rule,
        {"checkindate[0].checkintime[0]": slot(9, 9 + 2 / 60)},
        id="slot of two minutes",
    ),
    pytest.param(
        valid_fixed_rule,
        {"checkindate[0].checkintime[0]": slot(22, 30)},
        id="fixed slot ending next day",
    ),
    pytest.param(
        valid_fixed_rule,
        {"checkindate[0].checkintime[0]": slot(0, 23 + 59 / 60)},
        id="slot of 23h59m",
    ),
    pytest.param(
        valid_fixed_rule,
        {"checkindate[1]": {"workdays": [0, 6], "checkintime": [slot(10, 14, 2)]}},
        id="seven weekdays over two entries",
    ),
    pytest.param(
        valid_fixed_rule,
        {
            "checkindate[0].allow_flex": True,
            "checkindate[0].flex_on_duty_time": 21_600,
            "checkindate[0].flex_off_duty_time": 21_600,
        },
        id="flex 360 min",
    ),
    pytest.param(
        valid_fixed_rule,
        {
            "checkindate[0].late_rule": {
                "allow_offwork_after_time": True,
                "offwork_after_time": 36_000,
                "onwork_flex_time": 36_000,
            }
        },
        id="late_rule direct values 600 min",
    ),
    pytest.param(
        valid_fixed_rule,
        {"checkindate[0].late_rule": {"allow_offwork_after_time": False, "timerules": []}},
        id="late_rule off and empty",
    ),
    pytest.param(
        valid_fixed_rule,
        {
            "spe_workdays": [
                {"timestamp": in_days(0), "notes": "研" * 13 + "x", "checkintime": [slot(9, 18)]}
            ]
        },
        id="special day today, notes 40 bytes, type defaults to 0",
    ),
    pytest.param(
        valid_fixed_rule,
        {
            "spe_offdays": [
                {"begtime": in_days(1), "endtime": in_days(366), "notes": "Sabbatical", "type": 1}
            ]
        },
        id="special range of 366 days",
    ),
    pytest.param(
        valid_fixed_rule,
        {
            "spe_offdays": [
                {"timestamp": in_days(1), "endtime": in_days(14), "notes": "Alternate", "type": 2}
            ]
        },
        id="special biweekly with endtime",
    ),
    pytest.param(
        valid_fixed_rule,
        {
            "wifimac_infos": [
                {"wifiname": f"AP{i}", "wifimac": f"00:00:00:00:{i // 256:02x}:{i % 256:02x}"}
                for i in range(500)
            ]
        },
        id="500 wifis",
    ),
    pytest.param(
        valid_fixed_rule,
        {
            "loc_infos": [
                dict(OFFICE, distance=d)
                for d in (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000, 2500, 3000)
            ]
        },
        id="every distance",
    ),
    pytest.param(
        valid_fixed_rule,
        {"loc_infos[0].lat": -90_000_000, "loc_infos[0].lng": 180_000_000},
        id="lat/lng extremes",
    ),
    pytest.param(
        valid_fixed_rule, {"loc_infos": [], "wifimac_infos": [dict(WIFI)]}, id="wifi only"
    ),
    pytest.param(valid_fixed_rule, {"ot_info_v2": {}}, id="ot_info_v2 empty"),
    pytest.param(
        valid_fixed_rule,
        {"allow_apply_bk_cnt": 0, "allow_apply_bk_day_limit": 1, "buka_limit_next_month": 1},
        id="buka lower bounds",
    ),
    pytest.param(valid_fixed_rule, {"buka_remind": {"open_remind": False}}, id="remind off"),
    pytest.param(
        valid_fixed_rule,
        {"buka_remind": {"open_remind": True, "buka_remind_day": 15}},
        id="remind day 15 of this month",
    ),
    pytest.param(valid_fixed_rule, {"standard_work_duration": 24 * HOUR}, id="duration 24 h"),
    pytest.param(
        valid_free_rule,
        {"offwork_interval_time": 86_100, "span_day_time": 23 * HOUR + 59 * MINUTE},
        id="free interval and span maxima",
    ),
    pytest.param(
        valid_free_rule, {"checkindate[0].checkintime": [slot(9, 18)]}, id="free rule with a slot"
    ),
    pytest.param(valid_free_rule, {"checkindate": DELETE}, id="free rule without checkindate"),
    pytest.param(
        valid_shift_rule,
        {"schedulelist[2].time_section[0]": slot(20, 43 + 59 / 60, 2)},
        id="night shift of 23h59m",
    ),
    pytest.param(
        valid_shift_rule,
        {"schedulelist[3]": {"schedule_id": 3, "schedule_name": "Empty", "time_section": []}},
        id="shift without time sections",
    ),
    pytest.param(
        valid_shift_rule,
        {"range": {"userid": ["a"]}, "need_photo": None},
        id="null counts as absent",
    ),
]


@pytest.mark.parametrize(("make", "changes"), BOUNDARIES)
def test_a_boundary_value_passes(
    make: Callable[[], dict[str, Any]], changes: dict[str, Any]
) -> None:
    validate(mutate(make(), changes))


def test_the_errors_carry_wecom_errcodes() -> None:
    assert (
        RuleFieldInvalid().errcode,
        RuleParamError().errcode,
        LocationAndWifiEmpty().errcode,
    ) == (301094, 301086, 301097)
    assert RuleFieldInvalid().message == "checkin option field invalid"
    assert RuleParamError().message == "param error"
    assert LocationAndWifiEmpty().message == "loc_infos and wifimac_infos cannot both be empty"


@pytest.mark.parametrize("group", [None, [], "rule", 1])
def test_a_group_that_is_not_an_object_is_a_param_error(group: Any) -> None:
    with pytest.raises(RuleParamError, match=r"^group must be an object$"):
        validate(group)


def test_special_day_dates_are_read_in_the_corp_timezone() -> None:
    rule = mutate(
        valid_fixed_rule(),
        {"spe_offdays": [{"timestamp": midnight(TODAY), "notes": "Day off", "type": 0}]},
    )
    validate(rule, tz=TZ)  # 00:00 in Shanghai is today
    with pytest.raises(RuleFieldInvalid, match=r"group\.spe_offdays\[0\]\.timestamp"):
        validate(rule, tz=ZoneInfo("UTC"))  # ...but yesterday 16:00 in UTC


def test_the_old_ot_info_field_is_named() -> None:
    rule = mutate(valid_fixed_rule(), {"ot_info": {"type": 1}})
    with pytest.raises(RuleFieldInvalid) as caught:
        validate(rule)
    assert caught.value.message == "group.ot_info is an old field, use ot_info_v2"


def test_field_errors_win_over_missing_location_and_wifi() -> None:
    rule = mutate(valid_fixed_rule(), {"loc_infos": [], "groupname": ""})
    with pytest.raises(RuleFieldInvalid, match=r"^group\.groupname "):
        validate(rule)


# --- one broken constraint at a time ----------------------------------------------------------

F, S, R = valid_fixed_rule, valid_shift_rule, valid_free_rule
RICH = valid_rich_fixed_rule
CD = "checkindate[0]"
SLOT = "checkindate[0].checkintime[0]"
SPE = "spe_workdays[0]"
OFF = "spe_offdays[0]"
NIGHT = "schedulelist[2]"


def case(
    name: str,
    make: Callable[[], dict[str, Any]],
    changes: dict[str, Any],
    error: type[DakaError],
    path: str,
) -> Any:
    return pytest.param(make, changes, error, path, id=name)


def invalid(
    name: str, make: Callable[[], dict[str, Any]], changes: dict[str, Any], path: str
) -> Any:
    return case(name, make, changes, RuleFieldInvalid, path)


def wrong_type(
    name: str, make: Callable[[], dict[str, Any]], changes: dict[str, Any], path: str
) -> Any:
    return case(name, make, changes, RuleParamError, path)


def eight_entries() -> list[dict[str, Any]]:
    return [{"workdays": [d % 7], "checkintime": [slot(9, 18, d + 1)]} for d in range(8)]


CASES = [
    # structure and JSON types -> 301086
    wrong_type("grouptype missing", F, {"grouptype": DELETE}, "group.grouptype"),
    wrong_type("grouptype null", F, {"grouptype": None}, "group.grouptype"),
    wrong_type("groupname missing", F, {"groupname": DELETE}, "group.groupname"),
    wrong_type("grouptype a numeric string", F, {"grouptype": "1"}, "group.grouptype"),
    wrong_type("grouptype a boolean", F, {"grouptype": True}, "group.grouptype"),
    wrong_type("groupname a number", F, {"groupname": 1}, "group.groupname"),
    wrong_type("work_sec a boolean", F, {f"{SLOT}.work_sec": True}, f"group.{SLOT}.work_sec"),
    wrong_type("work_sec a float", F, {f"{SLOT}.work_sec": 32400.0}, f"group.{SLOT}.work_sec"),
    wrong_type("need_photo an integer", F, {"need_photo": 1}, "group.need_photo"),
    wrong_type("checkindate an object", F, {"checkindate": {}}, "group.checkindate"),
    wrong_type("checkindate entry not an object", F, {CD: [1]}, f"group.{CD}"),
    wrong_type("checkintime slot not an object", F, {SLOT: 32400}, f"group.{SLOT}"),
    wrong_type("workdays a string", F, {f"{CD}.workdays": "12345"}, f"group.{CD}.workdays"),
    wrong_type("range not an object", F, {"range": ["1"]}, "group.range"),
    wrong_type("party_id not a number", F, {"range.party_id[0]": "R&D"}, "group.range.party_id[0]"),
    wrong_type("userid not a string", F, {"range.userid": [7]}, "group.range.userid[0]"),
    wrong_type("tagid a string", F, {"range.tagid": ["1"]}, "group.range.tagid[0]"),
    wrong_type("white_users not strings", F, {"white_users": [1]}, "group.white_users[0]"),
    wrong_type("lat a float", F, {"loc_infos[0].lat": 31.23}, "group.loc_infos[0].lat"),
    wrong_type(
        "wifimac not a string",
        F,
        {"wifimac_infos": [{"wifiname": "a", "wifimac": 1}]},
        "group.wifimac_infos[0].wifimac",
    ),
    wrong_type("allow_flex a string", F, {f"{CD}.allow_flex": "true"}, f"group.{CD}.allow_flex"),
    wrong_type("late_rule not an object", F, {f"{CD}.late_rule": []}, f"group.{CD}.late_rule"),
    wrong_type("ot_info_v2 not an object", F, {"ot_info_v2": []}, "group.ot_info_v2"),
    wrong_type(
        "allow_ot an integer",
        F,
        {"ot_info_v2": {"workdayconf": {"allow_ot": 1, "type": 0}}},
        "group.ot_info_v2.workdayconf.allow_ot",
    ),
    wrong_type("buka_remind not an object", F, {"buka_remind": True}, "group.buka_remind"),
    wrong_type(
        "spe_workdays entry not an object",
        F,
        {"spe_workdays": ["2026-11-16"]},
        "group.spe_workdays[0]",
    ),
    wrong_type(
        "time_section not an array", S, {f"{NIGHT}.time_section": {}}, f"group.{NIGHT}.time_section"
    ),
    # header
    invalid("grouptype 4", F, {"grouptype": 4}, "group.grouptype"),
    invalid("groupname empty", F, {"groupname": ""}, "group.groupname"),
    invalid("groupname blank", F, {"groupname": "  "}, "group.groupname"),
    invalid("groupname 41 chars", F, {"groupname": "x" * 41}, "group.groupname"),
    invalid("type 4", F, {"type": 4}, "group.type"),
    invalid(
        "range all empty", F, {"range": {"party_id": [], "userid": [], "tagid": []}}, "group.range"
    ),
    invalid("range missing", F, {"range": DELETE}, "group.range"),
    invalid(
        "range party_id empty hides partyid",
        F,
        {"range": {"party_id": [], "partyid": [1]}},
        "group.range",
    ),
    # checkindate
    invalid("fixed rule without checkindate", F, {"checkindate": DELETE}, "group.checkindate"),
    invalid("fixed rule with empty checkindate", F, {"checkindate": []}, "group.checkindate"),
    invalid("eight checkindate entries", F, {"checkindate": eight_entries()}, "group.checkindate"),
    invalid(
        "checkindate on a shift rule",
        S,
        {"checkindate": valid_fixed_rule()["checkindate"]},
        "group.checkindate",
    ),
    invalid("workday 7", F, {f"{CD}.workdays[0]": 7}, f"group.{CD}.workdays[0]"),
    invalid("workday -1", F, {f"{CD}.workdays[0]": -1}, f"group.{CD}.workdays[0]"),
    invalid(
        "workday repeated in an entry", F, {f"{CD}.workdays": [1, 2, 1]}, f"group.{CD}.workdays[2]"
    ),
    invalid(
        "workday repeated across entries",
        F,
        {"checkindate[1]": {"workdays": [5], "checkintime": [slot(9, 18, 2)]}},
        "group.checkindate[1].workdays[0]",
    ),
    invalid("workdays empty without biweekly", F, {f"{CD}.workdays": []}, f"group.{CD}.workdays"),
    invalid(
        "workdays empty with biweekly off",
        F,
        {
            f"{CD}.workdays": [],
            f"{CD}.biweekly": {"enable_weekday_recurrence": False, "odd_workdays": [6]},
        },
        f"group.{CD}.workdays",
    ),
    invalid(
        "biweekly odd workday 7",
        RICH,
        {"checkindate[1].biweekly.odd_workdays": [7]},
        "group.checkindate[1].biweekly.odd_workdays[0]",
    ),
    invalid(
        "biweekly even workday repeated",
        RICH,
        {"checkindate[1].biweekly.even_workdays": [0, 0]},
        "group.checkindate[1].biweekly.even_workdays[1]",
    ),
    invalid("fixed entry without slots", F, {f"{CD}.checkintime": []}, f"group.{CD}.checkintime"),
    invalid(
        "five slots",
        F,
        {f"{CD}.checkintime": [slot(h, h + 1, h) for h in (1, 3, 5, 7, 9)]},
        f"group.{CD}.checkintime",
    ),
    invalid(
        "free rule with five slots",
        R,
        {f"{CD}.checkintime": [slot(h, h + 1, h) for h in (1, 3, 5, 7, 9)]},
        f"group.{CD}.checkintime",
    ),
    # slots
    invalid("work_sec missing", F, {f"{SLOT}.work_sec": DELETE}, f"group.{SLOT}.work_sec"),
    invalid(
        "off_work_sec missing", F, {f"{SLOT}.off_work_sec": DELETE}, f"group.{SLOT}.off_work_sec"
    ),
    invalid(
        "work_sec not a whole minute", F, {f"{SLOT}.work_sec": 32_430}, f"group.{SLOT}.work_sec"
    ),
    invalid(
        "off_work_sec not a whole minute",
        F,
        {f"{SLOT}.off_work_sec": 64_801},
        f"group.{SLOT}.off_work_sec",
    ),
    invalid("work_sec negative", F, {f"{SLOT}.work_sec": -60}, f"group.{SLOT}.work_sec"),
    invalid(
        "work_sec past the next day's 00:00", F, {SLOT: slot(24.5, 26)}, f"group.{SLOT}.work_sec"
    ),
    invalid("off_work_sec before work_sec", F, {SLOT: slot(18, 9)}, f"group.{SLOT}.off_work_sec"),
    invalid("off_work_sec equal to work_sec", F, {SLOT: slot(9, 9)}, f"group.{SLOT}.off_work_sec"),
    invalid("slot of one minute", F, {SLOT: slot(9, 9 + 1 / 60)}, f"group.{SLOT}.off_work_sec"),
    invalid("slot of 24 h", F, {SLOT: slot(9, 33)}, f"group.{SLOT}.off_work_sec"),
    invalid(
        "remind_work_sec not a whole minute",
        F,
        {f"{SLOT}.remind_work_sec": 32_370},
        f"group.{SLOT}.remind_work_sec",
    ),
    invalid(
        "remind_off_work_sec not a whole minute",
        F,
        {f"{SLOT}.remind_off_work_sec": 64_830},
        f"group.{SLOT}.remind_off_work_sec",
    ),
    invalid(
        "earliest_work_sec not a whole minute",
        F,
        {f"{SLOT}.earliest_work_sec": 25_230},
        f"group.{SLOT}.earliest_work_sec",
    ),
    invalid(
        "latest_off_work_sec not a whole minute",
        F,
        {f"{SLOT}.latest_off_work_sec": 70_201},
        f"group.{SLOT}.latest_off_work_sec",
    ),
    invalid(
        "earliest_off_work_sec negative",
        F,
        {f"{SLOT}.earliest_off_work_sec": -60},
        f"group.{SLOT}.earliest_off_work_sec",
    ),
    invalid(
        "earliest_work_sec after work_sec",
        F,
        {f"{SLOT}.earliest_work_sec": 10 * HOUR},
        f"group.{SLOT}.earliest_work_sec",
    ),
    invalid(
        "latest_work_sec before work_sec",
        F,
        {f"{SLOT}.latest_work_sec": 8 * HOUR},
        f"group.{SLOT}.latest_work_sec",
    ),
    invalid(
        "earliest_off_work_sec after off_work_sec",
        F,
        {f"{SLOT}.earliest_off_work_sec": 19 * HOUR},
        f"group.{SLOT}.earliest_off_work_sec",
    ),
    invalid(
        "latest_off_work_sec before off_work_sec",
        F,
        {f"{SLOT}.latest_off_work_sec": 17 * HOUR},
        f"group.{SLOT}.latest_off_work_sec",
    ),
    invalid(
        "slots overlap", F, {f"{CD}.checkintime[1]": slot(17, 20, 2)}, f"group.{CD}.checkintime[1]"
    ),
    invalid(
        "slots overlap when unsorted",
        F,
        {f"{CD}.checkintime": [slot(13, 18, 1), slot(9, 13.5, 2)]},
        f"group.{CD}.checkintime[0]",
    ),
    invalid("time_id 99999", F, {f"{SLOT}.time_id": 99_999}, f"group.{SLOT}.time_id"),
    invalid("time_id negative", F, {f"{SLOT}.time_id": -1}, f"group.{SLOT}.time_id"),
    invalid(
        "time_id repeated in a day",
        F,
        {f"{CD}.checkintime[1]": slot(19, 20, 1)},
        f"group.{CD}.checkintime[1].time_id",
    ),
    invalid(
        "time_id repeated across entries",
        F,
        {"checkindate[1]": {"workdays": [6], "checkintime": [slot(9, 12, 1)]}},
        "group.checkindate[1].checkintime[0].time_id",
    ),
    invalid(
        "time_id repeated across shifts",
        S,
        {f"{NIGHT}.time_section[0].time_id": 1},
        f"group.{NIGHT}.time_section[0].time_id",
    ),
    invalid(
        "rest_times without allow_rest",
        RICH,
        {"checkindate[0].checkintime[1].allow_rest": False},
        "group.checkindate[0].checkintime[1].rest_times",
    ),
    invalid(
        "six rest_times",
        F,
        {
            f"{SLOT}.allow_rest": True,
            f"{SLOT}.rest_times": [
                {"rest_begin_time": (10 + i) * HOUR, "rest_end_time": (10 + i) * HOUR + 600}
                for i in range(6)
            ],
        },
        f"group.{SLOT}.rest_times",
    ),
    invalid(
        "rest begins after it ends",
        F,
        {
            f"{SLOT}.allow_rest": True,
            f"{SLOT}.rest_times": [{"rest_begin_time": 13 * HOUR, "rest_end_time": 12 * HOUR}],
        },
        f"group.{SLOT}.rest_times[0].rest_end_time",
    ),
    invalid(
        "rest_times overlap",
        F,
        {
            f"{SLOT}.allow_rest": True,
            f"{SLOT}.rest_times": [
                {"rest_begin_time": 12 * HOUR, "rest_end_time": 13 * HOUR},
                {"rest_begin_time": int(12.5 * HOUR), "rest_end_time": 14 * HOUR},
            ],
        },
        f"group.{SLOT}.rest_times[1]",
    ),
    invalid(
        "rest time missing its end",
        F,
        {f"{SLOT}.allow_rest": True, f"{SLOT}.rest_times": [{"rest_begin_time": 12 * HOUR}]},
        f"group.{SLOT}.rest_times[0].rest_end_time",
    ),
    invalid(
        "single rest reversed",
        F,
        {
            f"{SLOT}.allow_rest": True,
            f"{SLOT}.rest_begin_time": 13 * HOUR,
            f"{SLOT}.rest_end_time": 12 * HOUR,
        },
        f"group.{SLOT}.rest_end_time",
    ),
    # flex and late_rule
    invalid("flex_time set", F, {f"{CD}.flex_time": 300_000}, f"group.{CD}.flex_time"),
    invalid(
        "flex_on_duty_time without allow_flex",
        F,
        {f"{CD}.flex_on_duty_time": 600},
        f"group.{CD}.flex_on_duty_time",
    ),
    invalid(
        "flex_off_duty_time with allow_flex false",
        F,
        {f"{CD}.allow_flex": False, f"{CD}.flex_off_duty_time": 600},
        f"group.{CD}.flex_off_duty_time",
    ),
    invalid(
        "flex_on_duty_time over 360 min",
        F,
        {f"{CD}.allow_flex": True, f"{CD}.flex_on_duty_time": 21_660},
        f"group.{CD}.flex_on_duty_time",
    ),
    invalid(
        "flex_on_duty_time -1 (legacy flex_time)",
        F,
        {f"{CD}.allow_flex": True, f"{CD}.flex_on_duty_time": -1},
        f"group.{CD}.flex_on_duty_time",
    ),
    invalid(
        "max_allow_arrive_early without allow_flex",
        F,
        {f"{CD}.max_allow_arrive_early": 600},
        f"group.{CD}.max_allow_arrive_early",
    ),
    invalid(
        "max_allow_arrive_late over 360 min",
        F,
        {f"{CD}.allow_flex": True, f"{CD}.max_allow_arrive_late": 21_660},
        f"group.{CD}.max_allow_arrive_late",
    ),
    invalid(
        "flex and arrive pairs together",
        F,
        {
            f"{CD}.allow_flex": True,
            f"{CD}.flex_on_duty_time": 600,
            f"{CD}.max_allow_arrive_late": 600,
        },
        f"group.{CD}.max_allow_arrive_early",
    ),
    invalid(
        "timerules without allow_offwork_after_time",
        F,
        {
            f"{CD}.late_rule": {
                "allow_offwork_after_time": False,
                "timerules": [{"offwork_after_time": 3600, "onwork_flex_time": 1800}],
            }
        },
        f"group.{CD}.late_rule.timerules",
    ),
    invalid(
        "offwork_after_time without allow_offwork_after_time",
        F,
        {f"{CD}.late_rule": {"offwork_after_time": 3600}},
        f"group.{CD}.late_rule.offwork_after_time",
    ),
    invalid(
        "onwork_flex_time without allow_offwork_after_time",
        F,
        {f"{CD}.late_rule": {"allow_offwork_after_time": False, "onwork_flex_time": 1800}},
        f"group.{CD}.late_rule.onwork_flex_time",
    ),
    invalid(
        "late_rule value over 600 min",
        RICH,
        {"checkindate[0].late_rule.timerules[0].onwork_flex_time": 36_060},
        "group.checkindate[0].late_rule.timerules[0].onwork_flex_time",
    ),
    invalid(
        "late_rule direct value over 600 min",
        F,
        {f"{CD}.late_rule": {"allow_offwork_after_time": True, "offwork_after_time": 36_060}},
        f"group.{CD}.late_rule.offwork_after_time",
    ),
    invalid(
        "limit_aheadtime negative", F, {f"{CD}.limit_aheadtime": -1}, f"group.{CD}.limit_aheadtime"
    ),
    # spe_workdays
    invalid(
        "367 special workdays",
        RICH,
        {
            "spe_workdays": [
                {"timestamp": in_days(i), "notes": "x", "checkintime": [slot(9, 18)]}
                for i in range(367)
            ]
        },
        "group.spe_workdays",
    ),
    invalid("special workday notes missing", RICH, {f"{SPE}.notes": DELETE}, f"group.{SPE}.notes"),
    invalid("special workday notes empty", RICH, {f"{SPE}.notes": ""}, f"group.{SPE}.notes"),
    invalid(
        "special workday notes 41 bytes",
        RICH,
        {f"{SPE}.notes": "研" * 13 + "xy"},
        f"group.{SPE}.notes",
    ),
    invalid("special workday type 3", RICH, {f"{SPE}.type": 3}, f"group.{SPE}.type"),
    invalid(
        "special workday without checkintime",
        RICH,
        {f"{SPE}.checkintime": DELETE},
        f"group.{SPE}.checkintime",
    ),
    invalid(
        "special workday with five slots",
        RICH,
        {f"{SPE}.checkintime": [slot(h, h + 1, h) for h in (1, 3, 5, 7, 9)]},
        f"group.{SPE}.checkintime",
    ),
    invalid(
        "special workday slot with earliest_work_sec",
        RICH,
        {f"{SPE}.checkintime[0].earliest_work_sec": 8 * HOUR},
        f"group.{SPE}.checkintime[0].earliest_work_sec",
    ),
    invalid(
        "special workday slot with latest_off_work_sec",
        RICH,
        {f"{SPE}.checkintime[0].latest_off_work_sec": 19 * HOUR},
        f"group.{SPE}.checkintime[0].latest_off_work_sec",
    ),
    invalid(
        "special workday slot not a whole minute",
        RICH,
        {f"{SPE}.checkintime[0].work_sec": 32_401},
        f"group.{SPE}.checkintime[0].work_sec",
    ),
    invalid(
        "special workday slots overlap",
        RICH,
        {f"{SPE}.checkintime[1]": slot(17, 19, 2)},
        f"group.{SPE}.checkintime[1]",
    ),
    invalid(
        "special workdays on a shift rule",
        S,
        {"spe_workdays": RICH()["spe_workdays"]},
        "group.spe_workdays",
    ),
    invalid(
        "special workdays on a free rule",
        R,
        {"spe_workdays": RICH()["spe_workdays"]},
        "group.spe_workdays",
    ),
    invalid(
        "special workday in the past",
        RICH,
        {f"{SPE}.timestamp": in_days(-1)},
        f"group.{SPE}.timestamp",
    ),
    invalid(
        "special workday without timestamp",
        RICH,
        {f"{SPE}.timestamp": DELETE},
        f"group.{SPE}.timestamp",
    ),
    invalid(
        "special workday timestamp not a Unix time",
        RICH,
        {f"{SPE}.timestamp": 2**40},
        f"group.{SPE}.timestamp",
    ),
    invalid(
        "special range without begtime",
        RICH,
        {"spe_workdays[1].begtime": DELETE},
        "group.spe_workdays[1].begtime",
    ),
    invalid(
        "special range without endtime",
        RICH,
        {"spe_workdays[1].endtime": DELETE},
        "group.spe_workdays[1].endtime",
    ),
    invalid(
        "special range reversed",
        RICH,
        {"spe_workdays[1].endtime": in_days(6)},
        "group.spe_workdays[1].endtime",
    ),
    invalid(
        "special range over 366 days",
        RICH,
        {"spe_workdays[1].endtime": in_days(7 + 366)},
        "group.spe_workdays[1].endtime",
    ),
    invalid(
        "special range begins in the past",
        RICH,
        {"spe_workdays[1].begtime": in_days(-2)},
        "group.spe_workdays[1].begtime",
    ),
    invalid(
        "special biweekly reversed",
        RICH,
        {
            "spe_workdays[1]": {
                "timestamp": in_days(14),
                "endtime": in_days(7),
                "notes": "Alternate",
                "type": 2,
                "checkintime": [slot(9, 18)],
            }
        },
        "group.spe_workdays[1].endtime",
    ),
    # spe_offdays
    invalid("special offday notes missing", RICH, {f"{OFF}.notes": DELETE}, f"group.{OFF}.notes"),
    invalid(
        "special offday notes 41 bytes", RICH, {f"{OFF}.notes": "x" * 41}, f"group.{OFF}.notes"
    ),
    invalid("special offday type -1", RICH, {f"{OFF}.type": -1}, f"group.{OFF}.type"),
    invalid(
        "special offday in the past",
        RICH,
        {f"{OFF}.timestamp": in_days(-1)},
        f"group.{OFF}.timestamp",
    ),
    invalid(
        "special offday range begintime in the past",
        RICH,
        {"spe_offdays[1].begintime": in_days(-1)},
        "group.spe_offdays[1].begintime",
    ),
    invalid(
        "special offday range reversed",
        RICH,
        {"spe_offdays[1].endtime": in_days(39)},
        "group.spe_offdays[1].endtime",
    ),
    invalid(
        "special offdays on a free rule",
        R,
        {"spe_offdays": RICH()["spe_offdays"]},
        "group.spe_offdays",
    ),
    invalid(
        "special offdays on a shift rule",
        S,
        {"spe_offdays": RICH()["spe_offdays"]},
        "group.spe_offdays",
    ),
    invalid(
        "367 special offdays",
        F,
        {"spe_offdays": [{"timestamp": in_days(i), "notes": "x"} for i in range(367)]},
        "group.spe_offdays",
    ),
    # wifimac_infos
    invalid(
        "501 wifis",
        F,
        {
            "wifimac_infos": [
                {"wifiname": f"AP{i}", "wifimac": f"00:00:00:00:{i // 256:02x}:{i % 256:02x}"}
                for i in range(501)
            ]
        },
        "group.wifimac_infos",
    ),
    invalid(
        "wifiname missing",
        F,
        {"wifimac_infos": [{"wifimac": WIFI["wifimac"]}]},
        "group.wifimac_infos[0].wifiname",
    ),
    invalid(
        "wifiname 41 chars",
        F,
        {"wifimac_infos": [dict(WIFI, wifiname="w" * 41)]},
        "group.wifimac_infos[0].wifiname",
    ),
    invalid(
        "wifimac missing",
        F,
        {"wifimac_infos": [{"wifiname": "Office"}]},
        "group.wifimac_infos[0].wifimac",
    ),
    invalid(
        "wifimac with dashes",
        F,
        {"wifimac_infos": [dict(WIFI, wifimac="3c-46-d8-0c-7a-70")]},
        "group.wifimac_infos[0].wifimac",
    ),
    invalid(
        "wifimac with a trailing newline",
        F,
        {"wifimac_infos": [dict(WIFI, wifimac="3c:46:d8:0c:7a:70\n")]},
        "group.wifimac_infos[0].wifimac",
    ),
    invalid(
        "wifimac repeated in another case",
        F,
        {"wifimac_infos": [dict(WIFI), {"wifiname": "Guest", "wifimac": WIFI["wifimac"].upper()}]},
        "group.wifimac_infos[1].wifimac",
    ),
    # loc_infos
    invalid("501 locations", F, {"loc_infos": [dict(OFFICE)] * 501}, "group.loc_infos"),
    invalid("lat over 90 degrees", F, {"loc_infos[0].lat": 90_000_001}, "group.loc_infos[0].lat"),
    invalid(
        "lng under -180 degrees", F, {"loc_infos[0].lng": -180_000_001}, "group.loc_infos[0].lng"
    ),
    invalid("lat missing", F, {"loc_infos[0].lat": DELETE}, "group.loc_infos[0].lat"),
    invalid("lng missing", F, {"loc_infos[0].lng": DELETE}, "group.loc_infos[0].lng"),
    invalid("loc_title empty", F, {"loc_infos[0].loc_title": ""}, "group.loc_infos[0].loc_title"),
    invalid(
        "loc_detail 41 chars",
        F,
        {"loc_infos[0].loc_detail": "街" * 41},
        "group.loc_infos[0].loc_detail",
    ),
    invalid(
        "loc_detail missing",
        F,
        {"loc_infos[0].loc_detail": DELETE},
        "group.loc_infos[0].loc_detail",
    ),
    invalid("distance 250", F, {"loc_infos[0].distance": 250}, "group.loc_infos[0].distance"),
    invalid("distance 5000", F, {"loc_infos[0].distance": 5000}, "group.loc_infos[0].distance"),
    invalid(
        "distance missing", F, {"loc_infos[0].distance": DELETE}, "group.loc_infos[0].distance"
    ),
    case("no location and no wifi", F, {"loc_infos": []}, LocationAndWifiEmpty, "group.loc_infos"),
    case(
        "no location and no wifi on a shift rule",
        S,
        {"wifimac_infos": DELETE},
        LocationAndWifiEmpty,
        "group.loc_infos",
    ),
    # schedulelist
    invalid("shift rule without schedulelist", S, {"schedulelist": DELETE}, "group.schedulelist"),
    invalid("shift rule with empty schedulelist", S, {"schedulelist": []}, "group.schedulelist"),
    invalid(
        "51 shifts",
        S,
        {
            "schedulelist": [
                {"schedule_id": 0, "schedule_name": "休息"},
                *(
                    {"schedule_id": i, "schedule_name": f"S{i}", "time_section": [slot(9, 18, i)]}
                    for i in range(1, 51)
                ),
            ]
        },
        "group.schedulelist",
    ),
    invalid(
        "no rest shift",
        S,
        {"schedulelist[0]": {"schedule_id": 3, "schedule_name": "Eve", "time_section": []}},
        "group.schedulelist",
    ),
    invalid(
        "rest shift with another name",
        S,
        {"schedulelist[0].schedule_name": "Rest"},
        "group.schedulelist[0].schedule_name",
    ),
    invalid(
        "rest shift with a time section",
        S,
        {"schedulelist[0].time_section": [slot(9, 18, 9)]},
        "group.schedulelist[0].time_section",
    ),
    invalid(
        "schedule_id missing", S, {f"{NIGHT}.schedule_id": DELETE}, f"group.{NIGHT}.schedule_id"
    ),
    invalid("schedule_id repeated", S, {f"{NIGHT}.schedule_id": 1}, f"group.{NIGHT}.schedule_id"),
    invalid(
        "schedule_name repeated",
        S,
        {f"{NIGHT}.schedule_name": "Day"},
        f"group.{NIGHT}.schedule_name",
    ),
    invalid(
        "schedule_name empty", S, {f"{NIGHT}.schedule_name": ""}, f"group.{NIGHT}.schedule_name"
    ),
    invalid(
        "schedule_name 41 chars",
        S,
        {f"{NIGHT}.schedule_name": "n" * 41},
        f"group.{NIGHT}.schedule_name",
    ),
    invalid(
        "five time sections",
        S,
        {f"{NIGHT}.time_section": [slot(h, h + 1, h + 10) for h in (1, 3, 5, 7, 9)]},
        f"group.{NIGHT}.time_section",
    ),
    invalid(
        "night shift of 24 h",
        S,
        {f"{NIGHT}.time_section[0]": slot(22, 46, 2)},
        f"group.{NIGHT}.time_section[0].off_work_sec",
    ),
    invalid(
        "time section not a whole minute",
        S,
        {f"{NIGHT}.time_section[0].work_sec": 79_230},
        f"group.{NIGHT}.time_section[0].work_sec",
    ),
    invalid(
        "time sections overlap",
        S,
        {f"{NIGHT}.time_section[1]": slot(23, 25, 3)},
        f"group.{NIGHT}.time_section[1]",
    ),
    invalid(
        "shift limit_aheadtime negative",
        S,
        {"schedulelist[1].limit_aheadtime": -1},
        "group.schedulelist[1].limit_aheadtime",
    ),
    invalid(
        "shift limit_offtime negative",
        S,
        {"schedulelist[1].limit_offtime": -1},
        "group.schedulelist[1].limit_offtime",
    ),
    invalid(
        "shift flex with allow_flex false",
        S,
        {f"{NIGHT}.allow_flex": False},
        f"group.{NIGHT}.flex_on_duty_time",
    ),
    invalid("shift flex_time set", S, {f"{NIGHT}.flex_time": 300_000}, f"group.{NIGHT}.flex_time"),
    invalid(
        "shift late_rule value over 600 min",
        S,
        {
            f"{NIGHT}.late_rule": {
                "allow_offwork_after_time": True,
                "timerules": [{"offwork_after_time": 36_060, "onwork_flex_time": 600}],
            }
        },
        f"group.{NIGHT}.late_rule.timerules[0].offwork_after_time",
    ),
    invalid(
        "schedulelist on a fixed rule",
        F,
        {"schedulelist": S()["schedulelist"]},
        "group.schedulelist",
    ),
    invalid(
        "schedulelist on a free rule",
        R,
        {"schedulelist": S()["schedulelist"]},
        "group.schedulelist",
    ),
    # overtime
    invalid("old ot_info", F, {"ot_info": {"type": 1}}, "group.ot_info"),
    invalid(
        "ot conf without allow_ot",
        F,
        {"ot_info_v2": {"restdayconf": {"type": 1}}},
        "group.ot_info_v2.restdayconf.allow_ot",
    ),
    invalid(
        "ot conf without type",
        F,
        {"ot_info_v2": {"holidayconf": {"allow_ot": True}}},
        "group.ot_info_v2.holidayconf.type",
    ),
    invalid(
        "ot conf type 3",
        F,
        {"ot_info_v2": {"workdayconf": {"allow_ot": True, "type": 3}}},
        "group.ot_info_v2.workdayconf.type",
    ),
    # 补卡 and other switches
    invalid("allow_apply_bk_cnt 100", F, {"allow_apply_bk_cnt": 100}, "group.allow_apply_bk_cnt"),
    invalid("allow_apply_bk_cnt -2", F, {"allow_apply_bk_cnt": -2}, "group.allow_apply_bk_cnt"),
    invalid(
        "allow_apply_bk_day_limit 0",
        F,
        {"allow_apply_bk_day_limit": 0},
        "group.allow_apply_bk_day_limit",
    ),
    invalid(
        "allow_apply_bk_day_limit 181",
        F,
        {"allow_apply_bk_day_limit": 181},
        "group.allow_apply_bk_day_limit",
    ),
    invalid(
        "buka_limit_next_month 0", F, {"buka_limit_next_month": 0}, "group.buka_limit_next_month"
    ),
    invalid(
        "buka_limit_next_month 29", F, {"buka_limit_next_month": 29}, "group.buka_limit_next_month"
    ),
    invalid("option_out_range 3", F, {"option_out_range": 3}, "group.option_out_range"),
    invalid("buka_restriction negative", F, {"buka_restriction": -1}, "group.buka_restriction"),
    invalid(
        "live detection without face detection",
        F,
        {"open_face_live_detect": True},
        "group.open_face_live_detect",
    ),
    invalid(
        "remind day without open_remind",
        F,
        {"buka_remind": {"open_remind": False, "buka_remind_day": 28}},
        "group.buka_remind.buka_remind_day",
    ),
    invalid(
        "remind month without open_remind",
        F,
        {"buka_remind": {"buka_remind_month": 1}},
        "group.buka_remind.buka_remind_month",
    ),
    invalid(
        "remind month 2",
        F,
        {"buka_remind": {"open_remind": True, "buka_remind_month": 2, "buka_remind_day": 1}},
        "group.buka_remind.buka_remind_month",
    ),
    invalid(
        "remind day 14 of this month",
        F,
        {"buka_remind": {"open_remind": True, "buka_remind_month": 0, "buka_remind_day": 14}},
        "group.buka_remind.buka_remind_day",
    ),
    invalid(
        "remind day 31 of this month",
        F,
        {"buka_remind": {"open_remind": True, "buka_remind_day": 31}},
        "group.buka_remind.buka_remind_day",
    ),
    invalid(
        "remind day 27 of next month",
        RICH,
        {"buka_remind.buka_remind_day": 27},
        "group.buka_remind.buka_remind_day",
    ),
    # free-rule fields and the punch mode
    invalid(
        "offwork_interval_time not a multiple of 5 min",
        R,
        {"offwork_interval_time": 360},
        "group.offwork_interval_time",
    ),
    invalid(
        "offwork_interval_time over 1435 min",
        R,
        {"offwork_interval_time": 86_400},
        "group.offwork_interval_time",
    ),
    invalid(
        "offwork_interval_time negative",
        R,
        {"offwork_interval_time": -300},
        "group.offwork_interval_time",
    ),
    invalid(
        "span_day_time not a whole minute", R, {"span_day_time": 14_430}, "group.span_day_time"
    ),
    invalid("span_day_time 24 h", R, {"span_day_time": 86_400}, "group.span_day_time"),
    invalid("span_day_time on a fixed rule", F, {"span_day_time": 4 * HOUR}, "group.span_day_time"),
    invalid("span_day_time on a shift rule", S, {"span_day_time": 4 * HOUR}, "group.span_day_time"),
    invalid(
        "standard_work_duration 0", R, {"standard_work_duration": 0}, "group.standard_work_duration"
    ),
    invalid(
        "standard_work_duration 1 h 15 min",
        R,
        {"standard_work_duration": 4500},
        "group.standard_work_duration",
    ),
    invalid(
        "standard_work_duration 30 min",
        R,
        {"standard_work_duration": 1800},
        "group.standard_work_duration",
    ),
    invalid(
        "standard_work_duration 24.5 h",
        R,
        {"standard_work_duration": 88_200},
        "group.standard_work_duration",
    ),
    invalid("checkin_method_type 3", R, {"checkin_method_type": 3}, "group.checkin_method_type"),
    invalid(
        "record-only punching on a fixed rule",
        F,
        {"checkin_method_type": 2},
        "group.checkin_method_type",
    ),
    invalid(
        "record-only punching on a shift rule",
        S,
        {"checkin_method_type": 2},
        "group.checkin_method_type",
    ),
]


@pytest.mark.parametrize(("make", "changes", "error", "path"), CASES)
def test_a_broken_constraint_is_reported_with_its_field(
    make: Callable[[], dict[str, Any]],
    changes: dict[str, Any],
    error: type[DakaError],
    path: str,
) -> None:
    rule = mutate(make(), changes)

    with pytest.raises(DakaError) as caught:
        validate(rule)

    assert type(caught.value) is error, caught.value.message
    assert caught.value.message.startswith(f"{path} "), caught.value.message
