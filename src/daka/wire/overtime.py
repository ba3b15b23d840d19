"""A rule's overtime settings (``ot_info_v2``, else the legacy ``ot_info``) → OvertimePolicy.

Rules were validated when written (:mod:`daka.wire.rule_validation`), but stored rules may
come from an org file or a synced server: every odd value reads as its default and nothing
here raises. docs/overtime.md lists the fields read and how.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from daka.domain.overtime import (
    HALF_HOUR,
    HOUR,
    Conversion,
    DayConf,
    OvertimeMethod,
    OvertimePolicy,
    RestDeduction,
    RestRule,
    Rounding,
    TimeUnit,
)
from daka.wire.values import lenient_int

__all__ = ["overtime_policy"]

E = TypeVar("E", OvertimeMethod, Conversion, RestDeduction, Rounding)

DAY_SEC = 86_400
DAY_UNIT = 3  # time_unit_config.ot_time_unit: 3 天 (2 小时 is the default)
DEFAULT_PERDAY_SEC = 8 * HOUR
# Method 0 without a ``checkin`` block: nothing below a minimum, no cap (see docs).
UNCAPPED = DAY_SEC

_METHOD_BLOCK = {
    OvertimeMethod.APPROVAL_AND_PUNCHES: "applycheckin",
    OvertimeMethod.PUNCHES: "checkin",
    OvertimeMethod.APPROVAL: "apply",
}


def overtime_policy(group: Mapping[str, Any]) -> OvertimePolicy | None:
    """The overtime policy of a normalised rule object; None when it allows no overtime."""
    v2 = _mapping(group.get("ot_info_v2"))
    policy = _from_v2(v2) if v2 else _from_legacy(_mapping(group.get("ot_info")))
    if policy is None or not any(
        c.allowed for c in (policy.workday, policy.restday, policy.holiday)
    ):
        return None
    return policy


# --- ot_info_v2 -------------------------------------------------------------------------------


def _from_v2(ot: Mapping[str, Any]) -> OvertimePolicy:
    return OvertimePolicy(
        workday=_v2_conf(_mapping(ot.get("workdayconf"))),
        restday=_v2_conf(_mapping(ot.get("restdayconf"))),
        holiday=_v2_conf(_mapping(ot.get("holidayconf"))),
        unit=_time_unit(ot.get("time_unit_config")),
    )


def _v2_conf(conf: Mapping[str, Any]) -> DayConf:
    method = _enum(OvertimeMethod, conf.get("type"), OvertimeMethod.APPROVAL)
    checkin = _mapping(conf.get("checkin"))
    block = _mapping(conf.get(_METHOD_BLOCK[method]))
    vacation = _mapping(conf.get("vacation"))
    min_sec, max_sec = _limits(checkin, method)
    return DayConf(
        allowed=_bool(conf.get("allow_ot")),
        method=method,
        start_after_sec=_seconds(checkin.get("ot_time_start"), HALF_HOUR),
        min_sec=min_sec,
        max_sec=max_sec,
        rest=_rest(block.get("restinfo")),
        convert=_bool(conf.get("ot_trans_enable")),
        conversion=_enum(Conversion, conf.get("ot_trans_type"), Conversion.VACATION),
        ratio_percent=_seconds(vacation.get("trans_ratio"), 100),
        sync_vacation=_bool(vacation.get("sync_vacation"), default=True),
        time_range=_choice(conf.get("ot_time_range"), (0, 1, 2), 0),
    )


def _limits(checkin: Mapping[str, Any], method: OvertimeMethod) -> tuple[int, int]:
    """min/max: ``checkin``'s (defaults 30 min / 4 h); method 0 without a ``checkin`` block has
    neither (WeCom's form for it sets only rest), so its approvals are not trimmed."""
    if method is OvertimeMethod.APPROVAL_AND_PUNCHES and not checkin:
        return 0, UNCAPPED
    return (
        _seconds(checkin.get("ot_time_min"), HALF_HOUR),
        _seconds(checkin.get("ot_time_max"), 4 * HOUR),
    )


def _time_unit(raw: Any) -> TimeUnit | None:
    """``time_unit_config``; a step in days (``ot_time_unit`` 3) is scaled by the length of a
    day (``perday_duration_secs``): half a day of an 8-hour day rounds to 4 hours."""
    unit = _mapping(raw)
    if not unit:
        return None
    step = _seconds(unit.get("step_size"), HOUR)
    if lenient_int(unit.get("ot_time_unit"), 2) == DAY_UNIT:
        perday = lenient_int(unit.get("perday_duration_secs"), DEFAULT_PERDAY_SEC)
        perday = perday if HOUR <= perday <= DAY_SEC else DEFAULT_PERDAY_SEC
        step = step * perday // DAY_SEC
    rounding = _enum(Rounding, unit.get("rounding_method"), Rounding.HALF_UP)
    return TimeUnit(rounding=rounding, step_sec=step or HOUR)


# --- legacy ot_info ---------------------------------------------------------------------------


def _from_legacy(ot: Mapping[str, Any]) -> OvertimePolicy | None:
    """The legacy ``ot_info``: one method for all days, a working and a non-working conf (the
    latter for rest days and holidays alike), no conversion and no rounding."""
    if not ot:
        return None
    method = _enum(OvertimeMethod, ot.get("type"), OvertimeMethod.APPROVAL)
    check = _mapping(ot.get("otcheckinfo"))
    apply = _mapping(ot.get("otapplyinfo"))
    rests = (check, apply) if method is OvertimeMethod.PUNCHES else (apply, check)

    def rest(key: str) -> RestRule:
        return _rest(next((r[key] for r in rests if _mapping(r.get(key))), None))

    working = DayConf(
        allowed=_bool(ot.get("allow_ot_workingday")),
        method=method,
        start_after_sec=_seconds(check.get("ot_workingday_time_start"), HALF_HOUR),
        min_sec=_seconds(check.get("ot_workingday_time_min"), HALF_HOUR),
        max_sec=_seconds(check.get("ot_workingday_time_max"), 4 * HOUR),
        rest=rest("ot_workingday_restinfo"),
    )
    nonworking = DayConf(
        allowed=_bool(ot.get("allow_ot_nonworkingday")),
        method=method,
        min_sec=_seconds(check.get("ot_nonworkingday_time_min"), HALF_HOUR),
        max_sec=_seconds(check.get("ot_nonworkingday_time_max"), 4 * HOUR),
        rest=rest("ot_nonworkingday_restinfo"),
    )
    return OvertimePolicy(workday=working, restday=nonworking, holiday=nonworking)


# --- restinfo ---------------------------------------------------------------------------------


def _rest(raw: Any) -> RestRule:
    """``restinfo``: v2's ``fix_time_rule_list`` or v1's single ``fix_time_rule`` (either is
    read under either), or ``cal_ottime_rule.items``."""
    info = _mapping(raw)
    kind = _enum(RestDeduction, info.get("type"), RestDeduction.NONE)
    if kind is RestDeduction.FIXED:
        rules = _list(info.get("fix_time_rule_list")) or [info.get("fix_time_rule")]
        windows = tuple(sorted(w for w in map(_window, rules) if w is not None))
        return RestRule(kind, windows=windows) if windows else RestRule()
    if kind is RestDeduction.BY_DURATION:
        items = _list(_mapping(info.get("cal_ottime_rule")).get("items"))
        steps = tuple(sorted(s for s in map(_step, items) if s is not None))
        return RestRule(kind, steps=steps) if steps else RestRule()
    return RestRule()


def _window(raw: Any) -> tuple[int, int] | None:
    rule = _mapping(raw)
    begin = lenient_int(rule.get("fix_time_begin_sec"), -1)
    end = lenient_int(rule.get("fix_time_end_sec"), -1)
    return (begin, end) if 0 <= begin < end <= 2 * DAY_SEC else None


def _step(raw: Any) -> tuple[int, int] | None:
    item = _mapping(raw)
    ot_time = lenient_int(item.get("ot_time"), 0)
    rest_time = lenient_int(item.get("rest_time"), -1)
    return (ot_time, rest_time) if ot_time > 0 and 0 <= rest_time <= ot_time else None


# --- lenient readers --------------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _bool(value: Any, default: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    return value == 1 if value in (0, 1) else default


def _seconds(value: Any, default: int) -> int:
    """A non-negative integer, ``default`` when absent or odd."""
    number = lenient_int(value, default)
    return number if 0 <= number <= 2**31 - 1 else default


def _choice(value: Any, allowed: tuple[int, ...], default: int) -> int:
    number = lenient_int(value, default)
    return number if number in allowed else default


def _enum(kind: type[E], value: Any, default: E) -> E:
    number = lenient_int(value, int(default))
    try:
        return kind(number)
    except ValueError:
        return default
