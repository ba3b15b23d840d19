"""WeCom rule objects (``group``) ↔ domain rules.

A rule is stored as WeCom's JSON, normalised so that every documented field is present
(getcorpcheckinoption answers with all of them). ``to_rule`` and ``to_scope`` read it into
domain values; ``user_view`` and ``corp_view`` shape it for getcheckinoption and
getcorpcheckinoption.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from daka.domain.directory import RuleScope
from daka.domain.errors import DakaError
from daka.domain.rules import (
    DEFAULT_AHEAD_SEC,
    CorrectionPolicy,
    Fence,
    OutOfRangePolicy,
    Rule,
    RuleKind,
    Shift,
    Slot,
    SpecialDay,
    SpecialDayKind,
    WorkdayPlan,
)
from daka.wire.overtime import overtime_policy
from daka.wire.values import (
    INT32,
    INT64,
    UINT32,
    IntKind,
    check_shape,
    int_problem,
    lenient_int,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

JSON = dict[str, Any]


class RuleFormatError(ValueError):
    """A rule object that cannot be understood; the message names the field."""


# Fields getcheckinoption returns for each user (docs/wecom-api.md §4.1), with their defaults.
USER_VIEW_DEFAULTS: dict[str, Any] = {
    "grouptype": 1,
    "groupid": 0,
    "groupname": "",
    "open_sp_checkin": False,
    "checkindate": [],
    "spe_workdays": [],
    "spe_offdays": [],
    "sync_holidays": True,
    "need_photo": False,
    "note_can_use_local_pic": True,
    "allow_checkin_offworkday": False,
    "allow_apply_offworkday": False,
    "wifimac_infos": [],
    "loc_infos": [],
    "schedulelist": [],
    "buka_restriction": 0,
    "allow_apply_bk_cnt": -1,
    "allow_apply_bk_day_limit": -1,
    "buka_limit_next_month": -1,
    "span_day_time": 0,
    "standard_work_duration": -1,
    "checkin_method_type": 0,
}

# Fields only getcorpcheckinoption returns (docs/wecom-api.md §4.2), with their defaults.
CORP_ONLY_DEFAULTS: dict[str, Any] = {
    "range": {"party_id": [], "userid": [], "tagid": []},
    "create_time": 0,
    "white_users": [],
    "type": 0,
    "reporterinfo": {"reporters": [], "updatetime": 0},
    "ot_info": {},
    "option_out_range": 0,
    "create_userid": "",
    "update_userid": "",
    "use_face_detect": False,
    "open_face_live_detect": False,
    "offwork_interval_time": 0,
    "sync_out_checkin": False,
}

CHECKINTIME_DEFAULTS: dict[str, Any] = {
    "time_id": 0,
    "work_sec": 0,
    "off_work_sec": 0,
    "remind_work_sec": 0,
    "remind_off_work_sec": 0,
    "earliest_work_sec": 0,
    "latest_work_sec": 0,
    "earliest_off_work_sec": 0,
    "latest_off_work_sec": 0,
    "no_need_checkon": False,
    "no_need_checkoff": False,
    "allow_rest": False,
    "rest_begin_time": 0,
    "rest_end_time": 0,
}

CHECKINDATE_DEFAULTS: dict[str, Any] = {
    "workdays": [],
    "checkintime": [],
    "noneed_offwork": False,
    "limit_aheadtime": 0,
    "flex_time": 0,
    "flex_on_duty_time": 0,
    "flex_off_duty_time": 0,
    "max_allow_arrive_early": 0,
    "max_allow_arrive_late": 0,
    "late_rule": {"allow_offwork_after_time": False, "timerules": []},
}


def _int(value: Any, where: str, kind: IntKind = INT64) -> int:
    # The wire's one reader: ASCII-digit strings are fine in a stored rule, "²" is not; ids,
    # timestamps and day-seconds keep to their WeCom types, so no date arithmetic overflows.
    number, problem = int_problem(value, kind)
    if number is None:
        raise RuleFormatError(f"{where} {problem}")
    return number


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RuleFormatError(f"{where} must be an array")
    return value


def _dict(value: Any, where: str) -> JSON:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RuleFormatError(f"{where} must be an object")
    return value


def _with_defaults(value: Mapping[str, Any], defaults: Mapping[str, Any]) -> JSON:
    merged = copy.deepcopy(dict(defaults))
    merged.update(copy.deepcopy(dict(value)))
    return merged


def normalize_group(raw: Any, where: str = "group") -> JSON:
    """A rule object with every documented field present, ids normalised, checked for sense.

    Raises :class:`RuleFormatError` naming the field when the object cannot be evaluated.
    """
    try:
        # Before deepcopy: a rule from an org file or a synced server may nest 1,000 deep.
        check_shape(raw, max_chars=2**31)
    except DakaError as exc:
        raise RuleFormatError(f"{where}: {exc.message}") from None
    group = _with_defaults(_dict(raw, where), {**USER_VIEW_DEFAULTS, **CORP_ONLY_DEFAULTS})
    group["groupid"] = _int(group["groupid"], f"{where}.groupid", UINT32)
    group["grouptype"] = _int(group["grouptype"], f"{where}.grouptype")
    if group["grouptype"] not in (1, 2, 3):
        raise RuleFormatError(f"{where}.grouptype must be 1, 2 or 3")
    if not isinstance(group["groupname"], str):
        raise RuleFormatError(f"{where}.groupname must be a string")
    group["checkindate"] = [
        _normalize_checkindate(entry, f"{where}.checkindate[{i}]")
        for i, entry in enumerate(_list(group["checkindate"], f"{where}.checkindate"))
    ]
    rng = _dict(group["range"], f"{where}.range")
    parties = rng.get("party_id", rng.get("partyid"))
    group["range"] = {
        "party_id": [
            str(_int(p, f"{where}.range.party_id[{i}]"))
            for i, p in enumerate(_list(parties, f"{where}.range.party_id"))
        ],
        "userid": [str(u) for u in _list(rng.get("userid"), f"{where}.range.userid")],
        "tagid": [
            _int(t, f"{where}.range.tagid[{i}]")
            for i, t in enumerate(_list(rng.get("tagid"), f"{where}.range.tagid"))
        ],
    }
    group["white_users"] = [str(u) for u in _list(group["white_users"], f"{where}.white_users")]
    # Nested objects keep their documented keys even when a client sends only some of them.
    group["reporterinfo"] = _with_defaults(
        _dict(group["reporterinfo"], f"{where}.reporterinfo"), CORP_ONLY_DEFAULTS["reporterinfo"]
    )
    for i, loc in enumerate(_list(group["loc_infos"], f"{where}.loc_infos")):
        loc = _dict(loc, f"{where}.loc_infos[{i}]")
        for key in ("lat", "lng", "distance"):
            loc[key] = _int(loc.get(key, 0), f"{where}.loc_infos[{i}].{key}")
    for i, wifi in enumerate(_list(group["wifimac_infos"], f"{where}.wifimac_infos")):
        wifi = _dict(wifi, f"{where}.wifimac_infos[{i}]")
        if not isinstance(wifi.get("wifimac", ""), str):
            raise RuleFormatError(f"{where}.wifimac_infos[{i}].wifimac must be a string")
    group["create_time"] = _int(group["create_time"], f"{where}.create_time", UINT32)
    group["option_out_range"] = _int(group["option_out_range"], f"{where}.option_out_range")
    if group["option_out_range"] not in (0, 1, 2):
        raise RuleFormatError(f"{where}.option_out_range must be 0, 1 or 2")
    return group


def _normalize_checkindate(raw: Any, where: str) -> JSON:
    entry = _with_defaults(_dict(raw, where), CHECKINDATE_DEFAULTS)
    entry["workdays"] = [
        _int(d, f"{where}.workdays[{i}]") for i, d in enumerate(_list(entry["workdays"], where))
    ]
    for i, d in enumerate(entry["workdays"]):
        if not 0 <= d <= 6:
            raise RuleFormatError(f"{where}.workdays[{i}] must be 0..6 (0 = Sunday)")
    slots = []
    for i, raw_slot in enumerate(_list(entry["checkintime"], f"{where}.checkintime")):
        slot_where = f"{where}.checkintime[{i}]"
        slot = _with_defaults(_dict(raw_slot, slot_where), CHECKINTIME_DEFAULTS)
        for key, default in CHECKINTIME_DEFAULTS.items():
            if not isinstance(default, bool):
                slot[key] = _int(slot[key], f"{slot_where}.{key}", INT32)
        if slot["off_work_sec"] <= slot["work_sec"]:
            raise RuleFormatError(f"{slot_where}.off_work_sec must be after work_sec")
        if slot["time_id"] == 0:
            slot["time_id"] = i + 1
        slots.append(slot)
    entry["checkintime"] = slots
    for key in (
        "limit_aheadtime",
        "flex_time",
        "flex_on_duty_time",
        "flex_off_duty_time",
        "max_allow_arrive_early",
        "max_allow_arrive_late",
    ):
        entry[key] = _int(
            entry[key],
            f"{where}.{key}",
            UINT32 if key in ("limit_aheadtime", "flex_time") else INT32,
        )
    if "allow_flex" not in entry:
        # Older exports omit the switch; any flex value set means flex is on.
        entry["allow_flex"] = any(
            entry[k] != 0
            for k in (
                "flex_time",
                "flex_on_duty_time",
                "flex_off_duty_time",
                "max_allow_arrive_early",
                "max_allow_arrive_late",
            )
        )
    return entry


def _opt(value: int) -> int | None:
    # WeCom exports unset window bounds as 0.
    return value if value > 0 else None


def _slots(raw_slots: Sequence[Mapping[str, Any]]) -> tuple[Slot, ...]:
    return tuple(
        sorted(
            (
                Slot(
                    timeline_id=_num(s.get("time_id", s.get("id", 0))) or k + 1,
                    work_sec=_num(s.get("work_sec")),
                    off_work_sec=_num(s.get("off_work_sec")),
                    earliest_work_sec=_opt(_num(s.get("earliest_work_sec"))),
                    latest_work_sec=_opt(_num(s.get("latest_work_sec"))),
                    earliest_off_work_sec=_opt(_num(s.get("earliest_off_work_sec"))),
                    latest_off_work_sec=_opt(_num(s.get("latest_off_work_sec"))),
                    no_need_checkon=bool(s.get("no_need_checkon", False)),
                    no_need_checkoff=bool(s.get("no_need_checkoff", False)),
                    rests=_rests(s),
                )
                for k, s in enumerate(raw_slots)
            ),
            key=lambda s: s.work_sec,
        )
    )


def _rests(slot: Mapping[str, Any]) -> tuple[tuple[int, int], ...]:
    """A slot's rest spans: ``rest_times[]`` when given, else the single legacy pair."""
    if not slot.get("allow_rest"):
        return ()
    entries = slot.get("rest_times") or [slot]
    spans = (
        (_num(r.get("rest_begin_time")), _num(r.get("rest_end_time")))
        for r in entries
        if isinstance(r, Mapping)
    )
    return tuple(sorted((lo, hi) for lo, hi in spans if lo < hi))


def _num(value: Any) -> int:
    # Normalised rules hold integers already; anything odd reads as unset, never raises.
    return lenient_int(value)


def _late_rules(entry: Mapping[str, Any]) -> tuple[tuple[int, int], ...]:
    late = entry.get("late_rule") or {}
    if not isinstance(late, Mapping) or not late.get("allow_offwork_after_time"):
        return ()
    rules = [
        (_num(r.get("offwork_after_time")), _num(r.get("onwork_flex_time")))
        for r in late.get("timerules") or []
        if isinstance(r, Mapping)
    ]
    if not rules and late.get("offwork_after_time") is not None:
        rules = [(_num(late.get("offwork_after_time")), _num(late.get("onwork_flex_time")))]
    return tuple(sorted(r for r in rules if r[1] > 0))


def _plan(
    entry: Mapping[str, Any],
    slots: tuple[Slot, ...],
    *,
    flex_default: bool = False,
    weekdays: frozenset[int] = frozenset(),
) -> WorkdayPlan:
    flex_on, flex_off = _num(entry.get("flex_on_duty_time")), _num(entry.get("flex_off_duty_time"))
    # Legacy rules carry flex in ms in flex_time, signalled by -1 in the per-direction fields.
    legacy = _num(entry.get("flex_time")) // 1000
    flex_on = legacy if flex_on < 0 else flex_on
    flex_off = legacy if flex_off < 0 else flex_off
    allow_flex = entry.get("allow_flex", flex_default)
    early = _num(entry.get("max_allow_arrive_early"))
    late = _num(entry.get("max_allow_arrive_late"))
    if not allow_flex:
        flex_on = flex_off = early = late = 0
    ahead_ms = _num(entry.get("limit_aheadtime"))
    off_limit = _num(entry.get("limit_offtime"))
    biweekly = entry.get("biweekly")
    pair = None
    if isinstance(biweekly, Mapping) and biweekly.get("enable_weekday_recurrence"):
        pair = (
            frozenset(_num(d) for d in biweekly.get("odd_workdays") or []),
            frozenset(_num(d) for d in biweekly.get("even_workdays") or []),
        )
    return WorkdayPlan(
        weekdays=weekdays,
        slots=slots,
        ahead_sec=ahead_ms // 1000 if ahead_ms > 0 else DEFAULT_AHEAD_SEC,
        off_limit_sec=off_limit if off_limit > 0 else None,
        flex_on_sec=max(0, flex_on),
        flex_off_sec=max(0, flex_off),
        no_offwork=bool(entry.get("noneed_offwork", False)),
        max_arrive_early_sec=max(0, early),
        max_arrive_late_sec=max(0, late),
        late_rules=_late_rules(entry),
        biweekly=pair,
    )


def _local_date(ts: Any, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(_num(ts), tz).date()


def _special_days(
    entries: Sequence[Any], tz: ZoneInfo, base: Mapping[str, Any] | None
) -> tuple[SpecialDay, ...]:
    out = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        kind = SpecialDayKind(
            _num(entry.get("type")) if _num(entry.get("type")) in (0, 1, 2) else 0
        )
        if kind is SpecialDayKind.RANGE:
            first = _local_date(
                entry.get("begtime", entry.get("begintime", entry.get("timestamp"))), tz
            )
            last = _local_date(entry.get("endtime", entry.get("timestamp")), tz)
        elif kind is SpecialDayKind.BIWEEKLY:
            first = _local_date(entry.get("timestamp"), tz)
            last = _local_date(entry.get("endtime", entry.get("timestamp")), tz)
        else:
            first = last = _local_date(entry.get("timestamp"), tz)
        plan = None
        if base is not None:
            # A special workday without its own slots follows the rule's first plan.
            slots = entry.get("checkintime") or base.get("checkintime") or []
            plan = _plan(base, _slots(slots))
        out.append(
            SpecialDay(
                kind=kind, first=first, last=last, notes=str(entry.get("notes", "")), plan=plan
            )
        )
    return tuple(out)


def to_rule(group: Mapping[str, Any], tz: ZoneInfo = SHANGHAI) -> Rule:
    """The domain rule of a normalised rule object; dates are read in ``tz``."""
    kind = RuleKind(group["grouptype"])
    entries = group["checkindate"]
    plans = tuple(
        _plan(e, _slots(e["checkintime"]), weekdays=frozenset(e["workdays"])) for e in entries
    )
    shifts = tuple(
        Shift(
            id=_num(s.get("schedule_id")),
            name=str(s.get("schedule_name", "")),
            plan=_plan(s, _slots(s.get("time_section") or []), flex_default=True),
        )
        for s in group.get("schedulelist") or []
        if isinstance(s, Mapping)
    )
    base = entries[0] if entries else {}
    standard = _num(group.get("standard_work_duration"))
    return Rule(
        id=group["groupid"],
        name=group["groupname"],
        kind=kind,
        plans=plans,
        fences=tuple(
            Fence(lat=loc["lat"], lng=loc["lng"], radius_m=loc["distance"])
            for loc in group["loc_infos"]
        ),
        wifi_macs=frozenset(
            str(w.get("wifimac", "")).lower() for w in group["wifimac_infos"] if w.get("wifimac")
        ),
        out_of_range=OutOfRangePolicy(group["option_out_range"]),
        special_workdays=_special_days(group.get("spe_workdays") or [], tz, base),
        special_offdays=_special_days(group.get("spe_offdays") or [], tz, None),
        sync_holidays=bool(group.get("sync_holidays", True)) and kind is not RuleKind.SHIFTS,
        allow_offworkday_punch=bool(group.get("allow_checkin_offworkday", False)),
        record_only=_num(group.get("checkin_method_type")) == 2,
        shifts=shifts,
        day_boundary_sec=_num(group.get("span_day_time")),
        offwork_interval_sec=_num(group.get("offwork_interval_time")),
        standard_work_sec=standard if standard > 0 else 0,
        corrections=CorrectionPolicy(
            allowed=bool(group.get("allow_apply_offworkday", False)),
            restriction=max(0, _num(group.get("buka_restriction"))),
            per_month=_num(group.get("allow_apply_bk_cnt", -1)),
            within_days=_num(group.get("allow_apply_bk_day_limit", -1)),
            next_month_day=_num(group.get("buka_limit_next_month", -1)),
        ),
        overtime=overtime_policy(group),
    )


def to_scope(group: Mapping[str, Any]) -> RuleScope:
    """Who a normalised rule object covers."""
    rng = group["range"]
    return RuleScope(
        rule_id=group["groupid"],
        created_at=group["create_time"],
        userids=frozenset(rng["userid"]),
        department_ids=frozenset(int(p) for p in rng["party_id"]),
        tag_ids=frozenset(rng["tagid"]),
        exempt_userids=frozenset(group["white_users"]),
    )


def user_view(group: Mapping[str, Any]) -> JSON:
    """The rule as getcheckinoption shows it to one user (docs/wecom-api.md §4.1)."""
    return {key: copy.deepcopy(group[key]) for key in USER_VIEW_DEFAULTS}


def corp_view(group: Mapping[str, Any]) -> JSON:
    """The rule as getcorpcheckinoption lists it (docs/wecom-api.md §4.1 + §4.2)."""
    return {k: copy.deepcopy(v) for k, v in group.items() if not k.startswith("_")}
