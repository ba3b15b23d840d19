"""A rule's ot_info_v2 (or legacy ot_info) reads into the overtime policy the reports use;
odd stored values read as defaults and never raise."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.domain.errors import RuleFieldInvalid
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
from daka.wire.overtime import overtime_policy
from daka.wire.rule_validation import validate_group
from daka.wire.rules import normalize_group, to_rule
from tests.factories import SHANGHAI, api_rule, make_rule

MINUTE = 60


def supper(begin: int = 18 * HOUR, end: int = 18 * HOUR + 30 * MINUTE) -> dict[str, Any]:
    return {"fix_time_begin_sec": begin, "fix_time_end_sec": end}


STEPS = {"items": [{"ot_time": 2 * HOUR, "rest_time": 0}, {"ot_time": 4 * HOUR, "rest_time": HOUR}]}
UNSORTED_STEPS = {"items": STEPS["items"][::-1]}

V2: dict[str, Any] = {
    "workdayconf": {
        "allow_ot": True,
        "type": 1,
        "checkin": {
            "ot_time_start": HOUR,
            "ot_time_min": HOUR,
            "ot_time_max": 3 * HOUR,
            "restinfo": {"type": 1, "fix_time_rule_list": [supper()]},
        },
        "ot_trans_enable": True,
        "ot_trans_type": 2,
        "ot_time_range": 2,
    },
    "restdayconf": {
        "allow_ot": True,
        "type": 2,
        "apply": {"restinfo": {"type": 2, "cal_ottime_rule": STEPS}},
        "ot_trans_enable": True,
        "ot_trans_type": 1,
        "vacation": {"trans_ratio": 150, "sync_vacation": False},
    },
    "holidayconf": {"allow_ot": False, "type": 0},
    "time_unit_config": {
        "ot_time_unit": 2,
        "perday_duration_secs": 28800,
        "rounding_method": 3,
        "rounding_precision": 10,
        "step_size": 1800,
    },
}


def test_ot_info_v2_reads_each_kind_of_day_and_the_time_unit() -> None:
    assert overtime_policy({"ot_info_v2": V2}) == OvertimePolicy(
        workday=DayConf(
            allowed=True,
            method=OvertimeMethod.PUNCHES,
            start_after_sec=HOUR,
            min_sec=HOUR,
            max_sec=3 * HOUR,
            rest=RestRule(RestDeduction.FIXED, windows=((18 * HOUR, 18 * HOUR + 1800),)),
            convert=True,
            conversion=Conversion.MONEY,
            time_range=2,
        ),
        restday=DayConf(
            allowed=True,
            method=OvertimeMethod.APPROVAL,
            rest=RestRule(RestDeduction.BY_DURATION, steps=((2 * HOUR, 0), (4 * HOUR, HOUR))),
            convert=True,
            conversion=Conversion.VACATION,
            ratio_percent=150,
            sync_vacation=False,
        ),
        holiday=DayConf(
            allowed=False, method=OvertimeMethod.APPROVAL_AND_PUNCHES, max_sec=86_400, min_sec=0
        ),
        unit=TimeUnit(Rounding.DOWN, 1800),
    )


def test_the_restinfo_read_is_the_one_of_the_method() -> None:
    # type 0 reads applycheckin, not the checkin block a client left behind.
    conf = {
        "allow_ot": True,
        "type": 0,
        "checkin": {"restinfo": {"type": 1, "fix_time_rule_list": [supper()]}},
        "applycheckin": {"restinfo": {"type": 2, "cal_ottime_rule": STEPS}},
    }
    policy = overtime_policy({"ot_info_v2": {"workdayconf": conf}})
    assert policy is not None
    assert policy.workday.rest.kind is RestDeduction.BY_DURATION


def test_a_day_unit_scales_its_step_by_the_length_of_a_day() -> None:
    unit = {
        "ot_time_unit": 3,
        "perday_duration_secs": 28800,
        "rounding_method": 2,
        "step_size": 43200,
    }
    policy = overtime_policy({"ot_info_v2": {**V2, "time_unit_config": unit}})
    assert policy is not None and policy.unit == TimeUnit(Rounding.UP, 4 * HOUR)


def test_no_time_unit_config_means_no_rounding() -> None:
    v2 = {k: v for k, v in V2.items() if k != "time_unit_config"}
    policy = overtime_policy({"ot_info_v2": v2})
    assert policy is not None and policy.unit is None


def test_a_conf_left_out_defaults_to_approval_only_and_not_allowed() -> None:
    policy = overtime_policy({"ot_info_v2": {"workdayconf": {"allow_ot": True, "type": 2}}})
    assert policy is not None
    assert policy.workday == DayConf(allowed=True)
    assert policy.restday == policy.holiday == DayConf()


def test_legacy_ot_info_reads_a_working_and_a_non_working_conf() -> None:
    legacy = {
        "type": 1,
        "allow_ot_workingday": True,
        "allow_ot_nonworkingday": True,
        "otcheckinfo": {
            "ot_workingday_time_start": 3600,
            "ot_workingday_time_min": 1800,
            "ot_workingday_time_max": 10800,
            "ot_nonworkingday_time_min": 3600,
            "ot_nonworkingday_time_max": 28800,
            "ot_nonworkingday_spanday_time": 0,
            "ot_workingday_restinfo": {"type": 1, "fix_time_rule": supper()},
            "ot_nonworkingday_restinfo": {"type": 2, "cal_ottime_rule": UNSORTED_STEPS},
        },
        "uptime": 1_700_000_000,
    }
    policy = overtime_policy({"ot_info": legacy, "ot_info_v2": None})
    nonworking = DayConf(
        allowed=True,
        method=OvertimeMethod.PUNCHES,
        min_sec=HOUR,
        max_sec=8 * HOUR,
        rest=RestRule(RestDeduction.BY_DURATION, steps=((2 * HOUR, 0), (4 * HOUR, HOUR))),
    )
    assert policy == OvertimePolicy(
        workday=DayConf(
            allowed=True,
            method=OvertimeMethod.PUNCHES,
            start_after_sec=HOUR,
            min_sec=HALF_HOUR,
            max_sec=3 * HOUR,
            rest=RestRule(RestDeduction.FIXED, windows=((18 * HOUR, 18 * HOUR + 1800),)),
        ),
        restday=nonworking,
        holiday=nonworking,
    )


def test_ot_info_v2_wins_over_legacy_ot_info() -> None:
    legacy = {"type": 1, "allow_ot_workingday": True, "allow_ot_nonworkingday": True}
    policy = overtime_policy({"ot_info": legacy, "ot_info_v2": V2})
    assert policy is not None and policy.workday.max_sec == 3 * HOUR


@pytest.mark.parametrize(
    "group",
    [
        pytest.param({}, id="neither"),
        pytest.param({"ot_info": {}}, id="empty-legacy-as-getcorpcheckinoption-shows-it"),
        pytest.param({"ot_info": {"type": 1}}, id="legacy-allowing-no-day"),
        pytest.param(
            {"ot_info_v2": {"workdayconf": {"allow_ot": False, "type": 2}}},
            id="v2-allowing-no-day",
        ),
    ],
)
def test_a_rule_allowing_no_overtime_has_no_policy(group: dict[str, Any]) -> None:
    assert overtime_policy(group) is None


def test_odd_values_read_as_their_defaults() -> None:
    conf = {
        "allow_ot": "yes",
        "type": 9,
        "checkin": {"ot_time_start": -5, "ot_time_min": "abc", "ot_time_max": [1]},
        "ot_trans_type": 7,
        "vacation": "none",
        "ot_time_range": 5,
    }
    workday = {**conf, "allow_ot": True}
    policy = overtime_policy({"ot_info_v2": {"workdayconf": workday, "restdayconf": conf}})
    assert policy is not None
    assert policy.workday == DayConf(allowed=True)
    assert policy.restday == DayConf()


def test_odd_rest_windows_and_steps_are_dropped() -> None:
    restinfo = {
        "type": 1,
        "fix_time_rule_list": [supper(3600, 1800), "x", supper(-1, 60), supper(7200, 9000)],
    }
    conf = {"allow_ot": True, "type": 2, "apply": {"restinfo": restinfo}}
    policy = overtime_policy({"ot_info_v2": {"workdayconf": conf}})
    assert policy is not None and policy.workday.rest.windows == ((7200, 9000),)


def test_to_rule_carries_the_policy() -> None:
    rule = to_rule(normalize_group(make_rule(ot_info_v2=V2)))
    assert rule.overtime == overtime_policy({"ot_info_v2": V2})
    assert to_rule(normalize_group(make_rule())).overtime is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
conf_keys = st.sampled_from(
    [
        "allow_ot",
        "type",
        "checkin",
        "apply",
        "applycheckin",
        "ot_trans_enable",
        "ot_trans_type",
        "vacation",
        "ot_time_range",
        "restinfo",
    ]
)
confs = st.dictionaries(conf_keys, json_values, max_size=6)


@given(
    st.dictionaries(
        st.sampled_from(["workdayconf", "restdayconf", "holidayconf", "time_unit_config"]),
        confs | json_values,
    ),
    json_values,
)
def test_garbage_never_raises(v2: dict[str, Any], legacy: Any) -> None:
    policy = overtime_policy({"ot_info_v2": v2, "ot_info": legacy})
    assert policy is None or isinstance(policy, OvertimePolicy)
    garbage_v2 = overtime_policy({"ot_info_v2": legacy, "ot_info": v2})
    assert garbage_v2 is None or isinstance(garbage_v2, OvertimePolicy)


# --- validation on write (add/update_checkin_option): WeCom's documented limits, 301094 -------


def validate(ot_info_v2: dict[str, Any]) -> None:
    validate_group(api_rule(ot_info_v2=ot_info_v2), today=date(2026, 11, 23), tz=SHANGHAI)


def test_the_full_ot_info_v2_example_is_valid() -> None:
    validate(V2)


def with_workday(**changes: Any) -> dict[str, Any]:
    return {**V2, "workdayconf": {**V2["workdayconf"], **changes}}


def with_unit(**changes: Any) -> dict[str, Any]:
    return {**V2, "time_unit_config": {**V2["time_unit_config"], **changes}}


def with_rest(restinfo: dict[str, Any]) -> dict[str, Any]:
    return with_workday(checkin={**V2["workdayconf"]["checkin"], "restinfo": restinfo})


W = "group.ot_info_v2.workdayconf"
U = "group.ot_info_v2.time_unit_config"


@pytest.mark.parametrize(
    ("ot_info_v2", "path"),
    [
        pytest.param(
            with_workday(checkin={"ot_time_start": 721 * MINUTE}),
            f"{W}.checkin.ot_time_start",
            id="start-over-720-min",
        ),
        pytest.param(
            with_workday(checkin={"ot_time_min": 2 * HOUR, "ot_time_max": 2 * HOUR}),
            f"{W}.checkin.ot_time_min",
            id="min-not-below-max",
        ),
        pytest.param(with_workday(ot_trans_type=3), f"{W}.ot_trans_type", id="trans-type-3"),
        pytest.param(
            with_workday(vacation={"trans_ratio": 3001}),
            f"{W}.vacation.trans_ratio",
            id="ratio-over-1-to-30",
        ),
        pytest.param(with_workday(ot_time_range=3), f"{W}.ot_time_range", id="time-range-3"),
        pytest.param(with_rest({"type": 3}), f"{W}.checkin.restinfo.type", id="rest-type-3"),
        pytest.param(
            with_rest({"type": 1, "fix_time_rule_list": [supper(), supper(18 * HOUR + 600)]}),
            f"{W}.checkin.restinfo.fix_time_rule_list",
            id="rest-windows-overlap",
        ),
        pytest.param(
            with_rest({"type": 1, "fix_time_rule_list": [supper()] * 11}),
            f"{W}.checkin.restinfo.fix_time_rule_list",
            id="eleven-rest-windows",
        ),
        pytest.param(
            with_rest({"type": 2, "cal_ottime_rule": {"items": []}}),
            f"{W}.checkin.restinfo.cal_ottime_rule.items",
            id="no-rest-steps",
        ),
        pytest.param(
            with_rest({"type": 2, "cal_ottime_rule": {"items": [{"ot_time": 600}]}}),
            f"{W}.checkin.restinfo.cal_ottime_rule.items[0].ot_time",
            id="rest-step-not-a-quarter-hour",
        ),
        pytest.param(
            with_rest({"type": 2, "cal_ottime_rule": UNSORTED_STEPS}),
            f"{W}.checkin.restinfo.cal_ottime_rule.items[1].ot_time",
            id="rest-steps-not-increasing",
        ),
        pytest.param(with_unit(ot_time_unit=1), f"{U}.ot_time_unit", id="unit-1"),
        pytest.param(
            with_unit(perday_duration_secs=1800), f"{U}.perday_duration_secs", id="day-of-30-min"
        ),
        pytest.param(with_unit(rounding_method=4), f"{U}.rounding_method", id="rounding-4"),
        pytest.param(with_unit(rounding_precision=2), f"{U}.rounding_precision", id="precision-2"),
        pytest.param(
            with_unit(rounding_method=2, step_size=7200), f"{U}.step_size", id="up-by-2-hours"
        ),
        pytest.param(
            with_unit(ot_time_unit=3, step_size=3600), f"{U}.step_size", id="days-by-the-hour"
        ),
    ],
)
def test_values_beyond_wecoms_limits_are_refused_with_301094_naming_the_field(
    ot_info_v2: dict[str, Any], path: str
) -> None:
    with pytest.raises(RuleFieldInvalid) as caught:
        validate(ot_info_v2)
    assert caught.value.message.startswith(f"{path} ")
