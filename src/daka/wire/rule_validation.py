"""Checks a rule object (``group``) against WeCom's rule-management constraints
(docs/wecom-api.md §12).

add_checkin_option and update_checkin_option (after merging, §12.2) hand the complete rule
object to :func:`validate_group`, which raises the error WeCom answers with:

* :class:`RuleParamError` (301086) when the object cannot be read: it is not an object,
  ``grouptype`` or ``groupname`` is missing, or a field has the wrong JSON type;
* :class:`RuleFieldInvalid` (301094) when a value breaks a constraint, including a missing
  required field other than ``grouptype``/``groupname``;
* :class:`LocationAndWifiEmpty` (301097) when the rule has neither a location nor a Wi-Fi
  (checked after every field check).

Every message names the field as a path from ``group``, e.g.
``group.checkindate[0].checkintime[1].work_sec must be a whole minute``.

Reading conventions: JSON ``null`` counts as absent. Integers must be JSON integers within
int64, read by the wire's one reader (:func:`daka.wire.values.read_int`) — booleans, floats,
numeric strings and huge numbers are type errors (the lenient reading of stored rules lives in
:mod:`daka.wire.rules`). Where the sources disagree the [MUD] values are used, and both key
spellings are accepted (``range.party_id``/``range.partyid``, ``begtime``/``begintime``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from daka.domain.errors import DakaError, LocationAndWifiEmpty, RuleFieldInvalid, RuleParamError
from daka.wire.values import INT64, read_int

__all__ = ["LocationAndWifiEmpty", "RuleFieldInvalid", "RuleParamError", "validate_group"]


FIXED, SHIFTS, FREE = 1, 2, 3
GROUPTYPES = (FIXED, SHIFTS, FREE)
CHECKIN_TYPES = (0, 1, 2, 3)  # 打卡方式; the field and error tables of doc 98041 disagree on 1/2

DAY = 86_400
MINUTE = 60
UINT32_MAX = 2**32 - 1

MAX_NAME_CHARS = 40  # groupname, schedule_name, wifiname, loc_title, loc_detail [MUD]
MAX_NOTES_BYTES = 40
MAX_CHECKINDATES = 7
MAX_SLOTS = 4
MAX_REST_TIMES = 5
MAX_TIME_ID = 99_998
MAX_FLEX_SEC = 360 * MINUTE
MAX_LATE_RULE_SEC = 600 * MINUTE
MAX_SPECIAL_DAYS = 366
MAX_SPECIAL_SPAN_DAYS = 366  # days covered by a type 1/2 special day, both ends included
MAX_WIFI = 500
MAX_LOCATIONS = 500
MAX_SHIFTS = 50
MAX_LAT = 90_000_000
MAX_LNG = 180_000_000
DISTANCES = (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000, 2500, 3000)
WIFIMAC = re.compile(r"[A-Fa-f0-9]{2}(:[A-Fa-f0-9]{2}){5}")
DEPARTMENT_ID = re.compile(r"[0-9]+")
REST_SHIFT_ID = 0
REST_SHIFT_NAME = "休息"
OFFWORK_INTERVAL_STEP = 5 * MINUTE
MAX_OFFWORK_INTERVAL = 1435 * MINUTE
STANDARD_DURATION_MIN = 3600
STANDARD_DURATION_STEP = 1800
OT_CONFS = ("workdayconf", "restdayconf", "holidayconf")
OT_TYPES = (0, 1, 2)
MAX_OT_SEC = 720 * MINUTE  # ot_time_start / ot_time_min / ot_time_max
MAX_OT_RATIO = 3000  # vacation.trans_ratio, percent (1:30)
MAX_OT_REST_WINDOWS = 10
OT_STEP_SEC = 15 * MINUTE  # cal_ottime_rule ot_time steps
# time_unit_config.step_size by rounding_method (hours; half-up as up) and for days
OT_HOUR_STEPS = {
    1: (1800, 3600),
    2: (1800, 3600),
    3: (1800, 3600, 7200, 10_800, 14_400),
}
OT_DAY_STEPS = (43_200, 86_400)

BOOL_FIELDS = (
    "open_sp_checkin",
    "sync_holidays",
    "need_photo",
    "note_can_use_local_pic",
    "allow_checkin_offworkday",
    "allow_apply_offworkday",
    "use_face_detect",
    "open_face_live_detect",
    "sync_out_checkin",
)
WINDOW_FIELDS = (
    "earliest_work_sec",
    "latest_work_sec",
    "earliest_off_work_sec",
    "latest_off_work_sec",
)

# time_id -> path of the slot that uses it
TimeIds = dict[int, str]


def validate_group(group: Mapping[str, Any], *, today: date, tz: ZoneInfo) -> None:
    """Check a complete rule object (after update merging) against WeCom's §12 constraints.

    ``today`` is the corp-local date; special days (whose timestamps are read in ``tz``) must not
    lie before it. Raises :class:`RuleParamError`, :class:`RuleFieldInvalid` or
    :class:`LocationAndWifiEmpty` with a message naming the field path.
    """
    if not isinstance(group, Mapping):
        raise RuleParamError("group must be an object")
    grouptype = _check_header(group)
    _check_range(group)
    _check_switches(group)
    time_ids: TimeIds = {}
    _check_checkindate(group, grouptype, time_ids)
    _check_special_days(group, "spe_workdays", grouptype, today, tz)
    _check_special_days(group, "spe_offdays", grouptype, today, tz)
    _check_schedulelist(group, grouptype, time_ids)
    has_wifi = _check_wifi(group)
    has_location = _check_locations(group)
    _check_overtime(group)
    _check_buka(group)
    _check_free_rule_fields(group, grouptype)
    if not has_wifi and not has_location:
        raise LocationAndWifiEmpty("group.loc_infos and group.wifimac_infos cannot both be empty")


# --- the rule's parts -------------------------------------------------------------------------


def _check_header(group: Mapping[str, Any]) -> int:
    if group.get("grouptype") is None:
        raise RuleParamError("group.grouptype is required")
    grouptype = _int(group, "grouptype", "group")
    _require(grouptype in GROUPTYPES, "group.grouptype", "must be 1, 2 or 3")
    if group.get("groupname") is None:
        raise RuleParamError("group.groupname is required")
    _check_name(_str(group, "groupname", "group"), "group.groupname")
    _require(_int(group, "groupid", "group") >= 0, "group.groupid", "must not be negative")
    _require(_int(group, "type", "group") in CHECKIN_TYPES, "group.type", "must be 0, 1, 2 or 3")
    return grouptype


def _check_range(group: Mapping[str, Any]) -> None:
    rng = _object(group, "range", "group") or {}
    where = "group.range"
    for key in ("party_id", "partyid"):
        for i, party in enumerate(_array(rng, key, where)):
            path = f"{where}.{key}[{i}]"
            if isinstance(party, str):
                if not DEPARTMENT_ID.fullmatch(party):
                    raise RuleParamError(f"{path} must be a department id")
            else:
                _require(_as_int(party, path) >= 0, path, "must not be negative")
    for i, userid in enumerate(_array(rng, "userid", where)):
        _as_str(userid, f"{where}.userid[{i}]")
    for i, tagid in enumerate(_array(rng, "tagid", where)):
        path = f"{where}.tagid[{i}]"
        _require(_as_int(tagid, path) >= 0, path, "must not be negative")
    # The key daka.wire.rules reads: party_id when given, else partyid.
    parties = rng["party_id"] if "party_id" in rng else rng.get("partyid")
    _require(
        bool(parties or rng.get("userid") or rng.get("tagid")),
        where,
        "must name at least one party_id, userid or tagid",
    )
    for i, userid in enumerate(_array(group, "white_users", "group")):
        _as_str(userid, f"group.white_users[{i}]")
    reporterinfo = _object(group, "reporterinfo", "group")
    if reporterinfo is not None:
        for i, raw in enumerate(_array(reporterinfo, "reporters", "group.reporterinfo")):
            path = f"group.reporterinfo.reporters[{i}]"
            _str(_as_object(raw, path), "userid", path)


def _check_switches(group: Mapping[str, Any]) -> None:
    flags = {key: _bool(group, key, "group") for key in BOOL_FIELDS}
    if flags["open_face_live_detect"]:
        _require(
            flags["use_face_detect"],
            "group.open_face_live_detect",
            "requires use_face_detect to be true",
        )


def _check_checkindate(group: Mapping[str, Any], grouptype: int, time_ids: TimeIds) -> None:
    entries = _array(group, "checkindate", "group")
    where = "group.checkindate"
    if grouptype == SHIFTS:
        _require(not entries, where, "is not allowed for grouptype 2 (按班次上下班)")
        return
    if grouptype == FIXED:
        _require(bool(entries), where, "is required for grouptype 1 (固定时间上下班)")
    _require(
        len(entries) <= MAX_CHECKINDATES, where, f"must have at most {MAX_CHECKINDATES} entries"
    )
    min_slots = 1 if grouptype == FIXED else 0
    seen_days: dict[int, str] = {}
    for i, raw in enumerate(entries):
        path = f"{where}[{i}]"
        entry = _as_object(raw, path)
        _check_weekdays(entry, path, seen_days)
        slots = _array(entry, "checkintime", path)
        _require(
            min_slots <= len(slots) <= MAX_SLOTS,
            f"{path}.checkintime",
            f"must have {min_slots} to {MAX_SLOTS} slots",
        )
        _check_slots(slots, f"{path}.checkintime", time_ids)
        _check_plan(entry, path, allow_flex_default=False)


def _check_weekdays(entry: Mapping[str, Any], where: str, seen: dict[int, str]) -> None:
    workdays = _array(entry, "workdays", where)
    biweekly = _object(entry, "biweekly", where)
    recurring = False
    if biweekly is not None:
        bw = f"{where}.biweekly"
        recurring = _bool(biweekly, "enable_weekday_recurrence", bw)
        for key in ("odd_workdays", "even_workdays"):
            _check_days(_array(biweekly, key, bw), f"{bw}.{key}", {})
    if not recurring:
        _require(
            bool(workdays),
            f"{where}.workdays",
            "must not be empty unless biweekly.enable_weekday_recurrence is true",
        )
    _check_days(workdays, f"{where}.workdays", seen)


def _check_days(days: list[Any], where: str, seen: dict[int, str]) -> None:
    for i, raw in enumerate(days):
        path = f"{where}[{i}]"
        day = _as_int(raw, path)
        _require(0 <= day <= 6, path, "must be 0..6 (0 = Sunday)")
        _require(day not in seen, path, f"repeats weekday {day} of {seen.get(day)}")
        seen[day] = path


def _check_special_days(
    group: Mapping[str, Any], key: str, grouptype: int, today: date, tz: ZoneInfo
) -> None:
    days = _array(group, key, "group")
    where = f"group.{key}"
    if not days:
        return
    _require(grouptype == FIXED, where, "is only allowed for grouptype 1 (固定时间上下班)")
    _require(len(days) <= MAX_SPECIAL_DAYS, where, f"must have at most {MAX_SPECIAL_DAYS} entries")
    for i, raw in enumerate(days):
        path = f"{where}[{i}]"
        day = _as_object(raw, path)
        notes = _str(day, "notes", path)
        _require(bool(notes.strip()), f"{path}.notes", "is required")
        _require(
            len(notes.encode()) <= MAX_NOTES_BYTES,
            f"{path}.notes",
            f"must be at most {MAX_NOTES_BYTES} bytes (UTF-8)",
        )
        kind = _int(day, "type", path)
        _require(
            kind in (0, 1, 2), f"{path}.type", "must be 0 (one day), 1 (date range) or 2 (biweekly)"
        )
        _check_special_dates(day, path, kind, today, tz)
        if key == "spe_workdays":
            slots = _array(day, "checkintime", path)
            _require(
                1 <= len(slots) <= MAX_SLOTS,
                f"{path}.checkintime",
                f"must have 1 to {MAX_SLOTS} slots",
            )
            _check_slots(slots, f"{path}.checkintime", {}, windows_allowed=False)


def _check_special_dates(
    day: Mapping[str, Any], where: str, kind: int, today: date, tz: ZoneInfo
) -> None:
    dates: dict[str, date] = {}
    for key in ("timestamp", "begtime", "begintime", "endtime"):
        ts = _opt_int(day, key, where)
        if ts is None:
            continue
        path = f"{where}.{key}"
        _require(0 < ts <= UINT32_MAX, path, "must be a Unix timestamp")
        local = datetime.fromtimestamp(ts, tz).date()
        _require(local >= today, path, f"must not be in the past ({local} is before {today})")
        dates[key] = local
    if kind == 1:
        first_key = "begtime" if "begtime" in dates else "begintime"
        _require(first_key in dates, f"{where}.begtime", "is required for type 1 (date range)")
        _require("endtime" in dates, f"{where}.endtime", "is required for type 1 (date range)")
        first, last = dates[first_key], dates["endtime"]
    else:
        _require("timestamp" in dates, f"{where}.timestamp", "is required")
        first = dates["timestamp"]
        last = dates.get("endtime", first) if kind == 2 else first
    _require(first <= last, f"{where}.endtime", f"must not be before the first day ({first})")
    _require(
        (last - first).days + 1 <= MAX_SPECIAL_SPAN_DAYS,
        f"{where}.endtime",
        f"must lie within {MAX_SPECIAL_SPAN_DAYS} days of the first day ({first})",
    )


def _check_schedulelist(group: Mapping[str, Any], grouptype: int, time_ids: TimeIds) -> None:
    shifts = _array(group, "schedulelist", "group")
    where = "group.schedulelist"
    if grouptype != SHIFTS:
        _require(not shifts, where, "is only allowed for grouptype 2 (按班次上下班)")
        return
    _require(bool(shifts), where, "is required for grouptype 2 (按班次上下班)")
    _require(len(shifts) <= MAX_SHIFTS, where, f"must have at most {MAX_SHIFTS} shifts")
    ids: dict[int, str] = {}
    names: dict[str, str] = {}
    for i, raw in enumerate(shifts):
        path = f"{where}[{i}]"
        shift = _as_object(raw, path)
        shift_id = _required_int(shift, "schedule_id", path)
        id_path = f"{path}.schedule_id"
        _require(shift_id >= 0, id_path, "must not be negative")
        _require(shift_id not in ids, id_path, f"repeats {shift_id} of {ids.get(shift_id)}")
        ids[shift_id] = id_path
        name_path = f"{path}.schedule_name"
        name = _str(shift, "schedule_name", path)
        _check_name(name, name_path)
        _require(name not in names, name_path, f"repeats the name of {names.get(name)}")
        names[name] = name_path
        sections = _array(shift, "time_section", path)
        _require(
            len(sections) <= MAX_SLOTS,
            f"{path}.time_section",
            f"must have at most {MAX_SLOTS} slots",
        )
        if shift_id == REST_SHIFT_ID:
            _require(
                name == REST_SHIFT_NAME,
                name_path,
                f'must be "{REST_SHIFT_NAME}" for schedule_id {REST_SHIFT_ID}',
            )
            _require(
                not sections,
                f"{path}.time_section",
                f"must be empty for the rest shift (schedule_id {REST_SHIFT_ID})",
            )
        _check_slots(sections, f"{path}.time_section", time_ids)
        _check_plan(shift, path, allow_flex_default=True)
    _require(
        REST_SHIFT_ID in ids,
        where,
        f'must contain the rest shift (schedule_id {REST_SHIFT_ID}, "{REST_SHIFT_NAME}")',
    )


def _check_wifi(group: Mapping[str, Any]) -> bool:
    wifis = _array(group, "wifimac_infos", "group")
    where = "group.wifimac_infos"
    _require(len(wifis) <= MAX_WIFI, where, f"must have at most {MAX_WIFI} entries")
    seen: dict[str, str] = {}
    for i, raw in enumerate(wifis):
        path = f"{where}[{i}]"
        wifi = _as_object(raw, path)
        _check_name(_str(wifi, "wifiname", path), f"{path}.wifiname")
        mac = _str(wifi, "wifimac", path)
        mac_path = f"{path}.wifimac"
        _require(
            WIFIMAC.fullmatch(mac) is not None,
            mac_path,
            "must be a MAC address like c0:7b:bc:37:f8:d3",
        )
        _require(mac.lower() not in seen, mac_path, f"repeats the MAC of {seen.get(mac.lower())}")
        seen[mac.lower()] = mac_path
    return bool(wifis)


def _check_locations(group: Mapping[str, Any]) -> bool:
    locations = _array(group, "loc_infos", "group")
    where = "group.loc_infos"
    _require(len(locations) <= MAX_LOCATIONS, where, f"must have at most {MAX_LOCATIONS} entries")
    for i, raw in enumerate(locations):
        path = f"{where}[{i}]"
        loc = _as_object(raw, path)
        lat = _required_int(loc, "lat", path)
        _require(-MAX_LAT <= lat <= MAX_LAT, f"{path}.lat", "must be within ±90 degrees (×1e6)")
        lng = _required_int(loc, "lng", path)
        _require(-MAX_LNG <= lng <= MAX_LNG, f"{path}.lng", "must be within ±180 degrees (×1e6)")
        for key in ("loc_title", "loc_detail"):
            _check_name(_str(loc, key, path), f"{path}.{key}")
        distance = _required_int(loc, "distance", path)
        _require(
            distance in DISTANCES,
            f"{path}.distance",
            f"must be one of {', '.join(map(str, DISTANCES))} metres",
        )
    return bool(locations)


def _check_overtime(group: Mapping[str, Any]) -> None:
    if group.get("ot_info"):
        raise RuleFieldInvalid("group.ot_info is an old field, use ot_info_v2")
    ot = _object(group, "ot_info_v2", "group")
    if ot is None:
        return
    for key in OT_CONFS:
        conf = _object(ot, key, "group.ot_info_v2")
        if conf is None:
            continue
        path = f"group.ot_info_v2.{key}"
        _require(conf.get("allow_ot") is not None, f"{path}.allow_ot", "is required")
        _bool(conf, "allow_ot", path)
        ot_type = _required_int(conf, "type", path)
        _require(ot_type in OT_TYPES, f"{path}.type", "must be 0, 1 or 2")
        _check_ot_conf(conf, path)
    unit = _object(ot, "time_unit_config", "group.ot_info_v2")
    if unit is not None:
        _check_ot_time_unit(unit, "group.ot_info_v2.time_unit_config")


def _check_ot_conf(conf: Mapping[str, Any], path: str) -> None:
    """One day kind's limits: check-in times, rest, conversion and the time range."""
    checkin = _object(conf, "checkin", path)
    if checkin is not None:
        where = f"{path}.checkin"
        for key in ("ot_time_start", "ot_time_min", "ot_time_max"):
            value = _int(checkin, key, where)
            _require(0 <= value <= MAX_OT_SEC, f"{where}.{key}", "must be 0..720 minutes")
        low, high = (
            _int(checkin, "ot_time_min", where, 1800),
            _int(checkin, "ot_time_max", where, 14_400),
        )
        _require(low < high, f"{where}.ot_time_min", "must be less than ot_time_max")
    for block in ("checkin", "apply", "applycheckin"):
        holder = _object(conf, block, path)
        rest = None if holder is None else _object(holder, "restinfo", f"{path}.{block}")
        if rest is not None:
            _check_ot_rest(rest, f"{path}.{block}.restinfo")
    _bool(conf, "ot_trans_enable", path)
    trans = _int(conf, "ot_trans_type", path, 1)
    _require(trans in (1, 2), f"{path}.ot_trans_type", "must be 1 or 2")
    vacation = _object(conf, "vacation", path)
    if vacation is not None:
        ratio = _int(vacation, "trans_ratio", f"{path}.vacation", 100)
        _require(
            1 <= ratio <= MAX_OT_RATIO, f"{path}.vacation.trans_ratio", "must be 1..3000 (percent)"
        )
        _bool(vacation, "sync_vacation", f"{path}.vacation", True)
    time_range = _int(conf, "ot_time_range", path)
    _require(time_range in (0, 1, 2), f"{path}.ot_time_range", "must be 0, 1 or 2")


def _check_ot_rest(rest: Mapping[str, Any], path: str) -> None:
    kind = _int(rest, "type", path)
    _require(kind in (0, 1, 2), f"{path}.type", "must be 0, 1 or 2")
    windows = _array(rest, "fix_time_rule_list", path)
    _require(len(windows) <= MAX_OT_REST_WINDOWS, f"{path}.fix_time_rule_list", "holds at most 10")
    spans = []
    for i, raw in enumerate(windows):
        where = f"{path}.fix_time_rule_list[{i}]"
        window = _as_object(raw, where)
        begin = _int(window, "fix_time_begin_sec", where)
        end = _int(window, "fix_time_end_sec", where)
        _require(0 <= begin < end <= DAY, where, "must be a span within the day")
        spans.append((begin, end))
    spans.sort()
    for (_, end), (begin, _) in zip(spans, spans[1:], strict=False):
        _require(begin >= end, f"{path}.fix_time_rule_list", "must not overlap")
    rule = _object(rest, "cal_ottime_rule", path)
    items = [] if rule is None else _array(rule, "items", f"{path}.cal_ottime_rule")
    if kind == 2:
        _require(1 <= len(items) <= 5, f"{path}.cal_ottime_rule.items", "must hold 1..5 items")
    last = 0
    for i, raw in enumerate(items):
        where = f"{path}.cal_ottime_rule.items[{i}]"
        item = _as_object(raw, where)
        ot_time = _int(item, "ot_time", where)
        _require(
            ot_time > last and ot_time % OT_STEP_SEC == 0,
            f"{where}.ot_time",
            "must increase in multiples of 15 minutes",
        )
        rest_time = _int(item, "rest_time", where)
        _require(0 <= rest_time <= ot_time, f"{where}.rest_time", "must be 0..ot_time")
        last = ot_time


def _check_ot_time_unit(unit: Mapping[str, Any], path: str) -> None:
    kind = _int(unit, "ot_time_unit", path, 2)
    _require(kind in (2, 3), f"{path}.ot_time_unit", "must be 2 (hours) or 3 (days)")
    perday = _int(unit, "perday_duration_secs", path, 28_800)
    _require(
        3600 <= perday <= DAY and perday % 360 == 0,
        f"{path}.perday_duration_secs",
        "must be 1..24 hours in tenths of an hour",
    )
    rounding = _int(unit, "rounding_method", path, 1)
    _require(rounding in (1, 2, 3), f"{path}.rounding_method", "must be 1, 2 or 3")
    precision = _int(unit, "rounding_precision", path, 10)
    _require(precision in (1, 10), f"{path}.rounding_precision", "must be 1 or 10")
    steps = OT_DAY_STEPS if kind == 3 else OT_HOUR_STEPS[rounding]
    step = _int(unit, "step_size", path, steps[0] if kind == 3 else 3600)
    _require(step in steps, f"{path}.step_size", f"must be one of {', '.join(map(str, steps))}")


def _check_buka(group: Mapping[str, Any]) -> None:
    count = _int(group, "allow_apply_bk_cnt", "group", default=-1)
    _require(-1 <= count <= 99, "group.allow_apply_bk_cnt", "must be -1 (unlimited) or 0..99")
    days = _int(group, "allow_apply_bk_day_limit", "group", default=-1)
    _require(
        days == -1 or 1 <= days <= 180,
        "group.allow_apply_bk_day_limit",
        "must be -1 (unlimited) or 1..180",
    )
    next_month = _int(group, "buka_limit_next_month", "group", default=-1)
    _require(
        next_month == -1 or 1 <= next_month <= 28,
        "group.buka_limit_next_month",
        "must be -1 (off) or 1..28",
    )
    _require(
        0 <= _int(group, "option_out_range", "group") <= 2,
        "group.option_out_range",
        "must be 0, 1 or 2",
    )
    _require(
        _int(group, "buka_restriction", "group") >= 0,
        "group.buka_restriction",
        "must not be negative",
    )
    remind = _object(group, "buka_remind", "group")
    if remind is None:
        return
    where = "group.buka_remind"
    enabled = _bool(remind, "open_remind", where)
    month = _opt_int(remind, "buka_remind_month", where)
    day = _opt_int(remind, "buka_remind_day", where)
    _require(
        month in (None, 0, 1),
        f"{where}.buka_remind_month",
        "must be 0 (this month) or 1 (next month)",
    )
    if not enabled:
        _require(not month, f"{where}.buka_remind_month", "requires open_remind to be true")
        _require(not day, f"{where}.buka_remind_day", "requires open_remind to be true")
    elif day is not None:
        low, high = (1, 26) if month == 1 else (15, 30)
        _require(
            low <= day <= high,
            f"{where}.buka_remind_day",
            f"must be {low}..{high} for buka_remind_month {month or 0}",
        )


def _check_free_rule_fields(group: Mapping[str, Any], grouptype: int) -> None:
    interval = _int(group, "offwork_interval_time", "group")
    _require(
        0 <= interval <= MAX_OFFWORK_INTERVAL and interval % OFFWORK_INTERVAL_STEP == 0,
        "group.offwork_interval_time",
        f"must be a multiple of {OFFWORK_INTERVAL_STEP} seconds, at most {MAX_OFFWORK_INTERVAL}",
    )
    span = _int(group, "span_day_time", "group")
    _whole_minute(span, "group.span_day_time")
    _require(0 <= span < DAY, "group.span_day_time", "must be 0 <= span_day_time < 86400")
    if grouptype != FREE:
        _require(span == 0, "group.span_day_time", "is only allowed for grouptype 3 (自由上下班)")
    duration = _int(group, "standard_work_duration", "group", default=-1)
    _require(
        duration == -1
        or (
            STANDARD_DURATION_MIN <= duration <= DAY
            and (duration - STANDARD_DURATION_MIN) % STANDARD_DURATION_STEP == 0
        ),
        "group.standard_work_duration",
        "must be -1 (unlimited) or 1 h plus a multiple of 30 min, at most 24 h",
    )
    method = _int(group, "checkin_method_type", "group")
    _require(method in (0, 1, 2), "group.checkin_method_type", "must be 0, 1 or 2")
    if method == 2:
        _require(
            grouptype == FREE,
            "group.checkin_method_type",
            "may be 2 (record only) only for grouptype 3 (自由上下班)",
        )


# --- time slots and their day plan ------------------------------------------------------------


def _check_slots(
    slots: list[Any], where: str, time_ids: TimeIds, *, windows_allowed: bool = True
) -> None:
    """A day's ``checkintime[]``/``time_section[]``: each slot, then that they do not overlap.

    Times may pass 86400 (the next calendar day) as long as a slot is shorter than 24 h.
    """
    spans: list[tuple[int, int, str]] = []
    for i, raw in enumerate(slots):
        path = f"{where}[{i}]"
        slot = _as_object(raw, path)
        work, off = _check_slot(slot, path, time_ids, windows_allowed=windows_allowed)
        spans.append((work, off, path))
    spans.sort()
    for (_, off, before), (work, _, after) in zip(spans, spans[1:], strict=False):
        _require(off <= work, after, f"overlaps {before}")


def _check_slot(
    slot: Mapping[str, Any], where: str, time_ids: TimeIds, *, windows_allowed: bool
) -> tuple[int, int]:
    time_id = _int(slot, "time_id", where)
    if time_id != 0:  # 0 = unset: daka.wire.rules numbers the slot itself
        path = f"{where}.time_id"
        _require(1 <= time_id <= MAX_TIME_ID, path, f"must be 1..{MAX_TIME_ID}")
        _require(time_id not in time_ids, path, f"repeats {time_id} of {time_ids.get(time_id)}")
        time_ids[time_id] = where
    work = _required_int(slot, "work_sec", where)
    off = _required_int(slot, "off_work_sec", where)
    _whole_minute(work, f"{where}.work_sec")
    _whole_minute(off, f"{where}.off_work_sec")
    _require(0 <= work <= DAY, f"{where}.work_sec", "must be 0..86400 (the next day's 00:00)")
    _require(off > work, f"{where}.off_work_sec", "must be after work_sec")
    _require(
        off - work > MINUTE, f"{where}.off_work_sec", "must be more than one minute after work_sec"
    )
    _require(off - work < DAY, f"{where}.off_work_sec", "must be less than 24 h after work_sec")
    for key in ("remind_work_sec", "remind_off_work_sec"):
        _whole_minute(_int(slot, key, where), f"{where}.{key}")
    windows = {key: _int(slot, key, where) for key in WINDOW_FIELDS}
    for key, value in windows.items():
        path = f"{where}.{key}"
        if value == 0:  # unset
            continue
        _require(windows_allowed, path, "is not allowed on special workdays")
        _require(value > 0, path, "must not be negative")
        _whole_minute(value, path)
    earliest, latest = windows["earliest_work_sec"], windows["latest_work_sec"]
    _require(
        not earliest or earliest <= work, f"{where}.earliest_work_sec", "must not be after work_sec"
    )
    _require(
        not latest or latest >= work, f"{where}.latest_work_sec", "must not be before work_sec"
    )
    earliest, latest = windows["earliest_off_work_sec"], windows["latest_off_work_sec"]
    _require(
        not earliest or earliest <= off,
        f"{where}.earliest_off_work_sec",
        "must not be after off_work_sec",
    )
    _require(
        not latest or latest >= off,
        f"{where}.latest_off_work_sec",
        "must not be before off_work_sec",
    )
    for key in ("no_need_checkon", "no_need_checkoff"):
        _bool(slot, key, where)
    _check_rest(slot, where)
    return work, off


def _check_rest(slot: Mapping[str, Any], where: str) -> None:
    allow_rest = _bool(slot, "allow_rest", where)
    begin = _int(slot, "rest_begin_time", where)
    end = _int(slot, "rest_end_time", where)
    if begin or end:
        _whole_minute(begin, f"{where}.rest_begin_time")
        _whole_minute(end, f"{where}.rest_end_time")
        _require(0 <= begin < end, f"{where}.rest_end_time", "must be after rest_begin_time")
    rests = _array(slot, "rest_times", where)
    path = f"{where}.rest_times"
    if not rests:
        return
    _require(allow_rest, path, "requires allow_rest to be true")
    _require(len(rests) <= MAX_REST_TIMES, path, f"must have at most {MAX_REST_TIMES} entries")
    spans: list[tuple[int, int, str]] = []
    for i, raw in enumerate(rests):
        rest_path = f"{path}[{i}]"
        rest = _as_object(raw, rest_path)
        begin = _required_int(rest, "rest_begin_time", rest_path)
        end = _required_int(rest, "rest_end_time", rest_path)
        _whole_minute(begin, f"{rest_path}.rest_begin_time")
        _whole_minute(end, f"{rest_path}.rest_end_time")
        _require(0 <= begin < end, f"{rest_path}.rest_end_time", "must be after rest_begin_time")
        spans.append((begin, end, rest_path))
    spans.sort()
    for (_, end, before), (begin, _, after) in zip(spans, spans[1:], strict=False):
        _require(end <= begin, after, f"overlaps {before}")


def _check_plan(entry: Mapping[str, Any], where: str, *, allow_flex_default: bool) -> None:
    """The per-day settings shared by ``checkindate[]`` and ``schedulelist[]`` entries."""
    _bool(entry, "noneed_offwork", where)
    for key in ("limit_aheadtime", "limit_offtime"):
        _require(_int(entry, key, where) >= 0, f"{where}.{key}", "must not be negative")
    _require(
        _int(entry, "flex_time", where) == 0,
        f"{where}.flex_time",
        "cannot be set through the API; use flex_on_duty_time/flex_off_duty_time",
    )
    allow_flex = _bool(entry, "allow_flex", where, default=allow_flex_default)
    flex = {key: _int(entry, key, where) for key in ("flex_on_duty_time", "flex_off_duty_time")}
    arrive = {
        key: _int(entry, key, where) for key in ("max_allow_arrive_early", "max_allow_arrive_late")
    }
    for key, value in {**flex, **arrive}.items():
        path = f"{where}.{key}"
        _require(0 <= value <= MAX_FLEX_SEC, path, f"must be 0..{MAX_FLEX_SEC} seconds")
        _require(value == 0 or allow_flex, path, "requires allow_flex to be true")
    _require(
        not (any(flex.values()) and any(arrive.values())),
        f"{where}.max_allow_arrive_early",
        "cannot be combined with flex_on_duty_time/flex_off_duty_time (one pair must be 0)",
    )
    _check_late_rule(entry, where)


def _check_late_rule(entry: Mapping[str, Any], where: str) -> None:
    late = _object(entry, "late_rule", where)
    if late is None:
        return
    where = f"{where}.late_rule"
    enabled = _bool(late, "allow_offwork_after_time", where)
    direct = [
        (f"{where}.{key}", _int(late, key, where))
        for key in ("offwork_after_time", "onwork_flex_time")
    ]
    rules = _array(late, "timerules", where)
    values = list(direct)
    for i, raw in enumerate(rules):
        path = f"{where}.timerules[{i}]"
        rule = _as_object(raw, path)
        values += [
            (f"{path}.{key}", _int(rule, key, path))
            for key in ("offwork_after_time", "onwork_flex_time")
        ]
    for path, value in values:
        _require(0 <= value <= MAX_LATE_RULE_SEC, path, f"must be 0..{MAX_LATE_RULE_SEC} seconds")
    if not enabled:
        _require(not rules, f"{where}.timerules", "requires allow_offwork_after_time to be true")
        for path, value in direct:
            _require(value == 0, path, "requires allow_offwork_after_time to be true")


# --- small checks -----------------------------------------------------------------------------


def _require(condition: bool, path: str, problem: str) -> None:
    if not condition:
        raise RuleFieldInvalid(f"{path} {problem}")


def _whole_minute(value: int, path: str) -> None:
    _require(value % MINUTE == 0, path, "must be a whole minute")


def _check_name(value: str, path: str) -> None:
    _require(bool(value.strip()), path, "must not be empty")
    _require(len(value) <= MAX_NAME_CHARS, path, f"must be at most {MAX_NAME_CHARS} characters")


# --- typed reading: a wrong JSON type is a RuleParamError -------------------------------------


def _type_error(path: str, problem: str) -> DakaError:
    return RuleParamError(f"{path} {problem}")


def _as_int(value: Any, path: str) -> int:
    return read_int(value, path, INT64, refuse=_type_error, strings=False)


def _as_str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise RuleParamError(f"{path} must be a string")
    return value


def _as_object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RuleParamError(f"{path} must be an object")
    return value


def _opt_int(obj: Mapping[str, Any], key: str, where: str) -> int | None:
    value = obj.get(key)
    return None if value is None else _as_int(value, f"{where}.{key}")


def _int(obj: Mapping[str, Any], key: str, where: str, default: int = 0) -> int:
    value = _opt_int(obj, key, where)
    return default if value is None else value


def _required_int(obj: Mapping[str, Any], key: str, where: str) -> int:
    value = _opt_int(obj, key, where)
    if value is None:
        raise RuleFieldInvalid(f"{where}.{key} is required")
    return value


def _bool(obj: Mapping[str, Any], key: str, where: str, default: bool = False) -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise RuleParamError(f"{where}.{key} must be a boolean")
    return value


def _str(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    return "" if value is None else _as_str(value, f"{where}.{key}")


def _array(obj: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RuleParamError(f"{where}.{key} must be an array")
    return value


def _object(obj: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any] | None:
    value = obj.get(key)
    return None if value is None else _as_object(value, f"{where}.{key}")
