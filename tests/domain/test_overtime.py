"""Overtime of one day: each method, the start offset, min/max, rest, ot_time_range, the three
kinds of day, conversion and rounding; and properties that hold whatever the settings."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.domain.overtime import (
    HOUR,
    ApprovedOvertime,
    Conversion,
    DayCategory,
    DayConf,
    OvertimeMethod,
    OvertimePolicy,
    OvertimeStatus,
    RestDeduction,
    RestRule,
    Rounding,
    TimeUnit,
    overtime_day,
)

MINUTE = 60
DAY = 1_700_000_000 - 1_700_000_000 % 86_400  # a midnight (UTC; the clock is relative to it)
WORKDAY, RESTDAY, HOLIDAY = DayCategory.WORKDAY, DayCategory.RESTDAY, DayCategory.HOLIDAY
NINE_TO_SIX = (DAY + 9 * HOUR, DAY + 18 * HOUR)


def t(hour: int, minute: int = 0) -> int:
    """An instant of the day, by the clock."""
    return DAY + hour * HOUR + minute * MINUTE


def conf(method: OvertimeMethod = OvertimeMethod.PUNCHES, **extra: object) -> DayConf:
    return replace(DayConf(allowed=True, method=method), **extra)  # type: ignore[arg-type]


def policy(day: DayConf, unit: TimeUnit | None = None) -> OvertimePolicy:
    """One conf for all three kinds of day."""
    return OvertimePolicy(workday=day, restday=day, holiday=day, unit=unit)


def punched(
    day: DayConf,
    punches: list[int],
    category: DayCategory = WORKDAY,
    unit: TimeUnit | None = None,
) -> int:
    scheduled = NINE_TO_SIX if category is WORKDAY else None
    return overtime_day(policy(day, unit), category, punches, [], scheduled, day_start=DAY).duration


def approval(start: int, stop: int, duration: int | None = None) -> ApprovedOvertime:
    return ApprovedOvertime(start, stop, stop - start if duration is None else duration)


# --- method 1: punches ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_punch", "expected"),
    [
        pytest.param(t(18, 0), 0, id="leaving-on-time-is-no-overtime"),
        pytest.param(t(18, 30), 0, id="the-start-offset-itself-never-counts"),
        pytest.param(t(18, 50), 0, id="20-min-after-the-offset-is-below-the-30-min-minimum"),
        pytest.param(t(19, 0), 30 * MINUTE, id="30-min-after-the-offset-counts"),
        pytest.param(t(20, 0), 90 * MINUTE, id="18-30-to-20-00-is-90-min"),
        pytest.param(t(23, 45), 4 * HOUR, id="capped-at-the-4-h-maximum"),
    ],
)
def test_workday_punches_count_after_the_off_duty_point_plus_the_start_offset(
    last_punch: int, expected: int
) -> None:
    assert punched(conf(), [t(8, 55), last_punch]) == expected


def test_a_longer_start_offset_moves_the_start_of_overtime() -> None:
    assert punched(conf(start_after_sec=HOUR), [t(8, 55), t(21, 0)]) == 2 * HOUR


@pytest.mark.parametrize(
    ("time_range", "expected"),
    [
        pytest.param(0, 90 * MINUTE + HOUR, id="all-day-counts-before-and-after-work"),
        pytest.param(1, 90 * MINUTE, id="before-work-only"),
        pytest.param(2, HOUR, id="after-work-only"),
    ],
)
def test_ot_time_range_chooses_before_work_after_work_or_both(
    time_range: int, expected: int
) -> None:
    # In at 07:00 for 09:00: 07:00–08:30 (the offset before on-duty does not count either);
    # out at 19:30: 18:30–19:30.
    day = conf(time_range=time_range, max_sec=12 * HOUR)
    assert punched(day, [t(7, 0), t(19, 30)]) == expected


@pytest.mark.parametrize("category", [RESTDAY, HOLIDAY])
def test_on_rest_days_and_holidays_overtime_runs_from_the_first_to_the_last_punch(
    category: DayCategory,
) -> None:
    day = conf(max_sec=12 * HOUR)
    assert punched(day, [t(10, 0), t(12, 0), t(15, 30)], category) == 5 * HOUR + 30 * MINUTE


def test_one_punch_on_a_rest_day_is_no_overtime() -> None:
    assert punched(conf(), [t(10, 0)], RESTDAY) == 0


def test_a_workday_without_a_schedule_has_no_punched_overtime() -> None:
    day = overtime_day(policy(conf()), WORKDAY, [t(8, 0), t(22, 0)], [], None, day_start=DAY)
    assert day.status is OvertimeStatus.NONE and day.duration == 0


def test_each_kind_of_day_uses_its_own_conf() -> None:
    split = OvertimePolicy(
        workday=conf(),
        restday=conf(max_sec=2 * HOUR),
        holiday=conf(allowed=False),
    )
    punches = [t(10, 0), t(20, 0)]
    days = {
        category: overtime_day(split, category, punches, [], None, day_start=DAY)
        for category in (RESTDAY, HOLIDAY)
    }
    assert days[RESTDAY].duration == 2 * HOUR and days[RESTDAY].category is RESTDAY
    assert days[HOLIDAY].duration == 0 and days[HOLIDAY].category is HOLIDAY


def test_overtime_not_allowed_or_no_policy_is_none() -> None:
    assert punched(conf(allowed=False), [t(8, 0), t(22, 0)]) == 0
    assert overtime_day(None, WORKDAY, [t(8, 0), t(22, 0)], [], NINE_TO_SIX).duration == 0


# --- rest deduction ---------------------------------------------------------------------------

SUPPER = RestRule(RestDeduction.FIXED, windows=((18 * HOUR + 30 * MINUTE, 19 * HOUR),))
STEPS = RestRule(RestDeduction.BY_DURATION, steps=((2 * HOUR, 30 * MINUTE), (4 * HOUR, HOUR)))


@pytest.mark.parametrize(
    ("rest", "last_punch", "expected"),
    [
        pytest.param(SUPPER, t(21, 0), 2 * HOUR, id="fixed-window-inside-the-span-is-taken-off"),
        pytest.param(SUPPER, t(18, 45), 0, id="fixed-window-then-below-the-minimum"),
        pytest.param(STEPS, t(20, 0), 90 * MINUTE, id="below-the-first-step-nothing-is-taken"),
        pytest.param(STEPS, t(20, 30), 90 * MINUTE, id="2-h-reaches-the-first-step-30-min"),
        pytest.param(STEPS, t(22, 30), 3 * HOUR, id="4-h-reaches-the-second-step-1-h"),
    ],
)
def test_rest_is_deducted_before_the_minimum_and_the_maximum(
    rest: RestRule, last_punch: int, expected: int
) -> None:
    assert punched(conf(rest=rest, max_sec=8 * HOUR), [t(8, 55), last_punch]) == expected


def test_a_fixed_window_outside_the_overtime_deducts_nothing() -> None:
    lunch = RestRule(RestDeduction.FIXED, windows=((12 * HOUR, 13 * HOUR),))
    assert punched(conf(rest=lunch), [t(8, 55), t(20, 30)]) == 2 * HOUR


# --- method 2: approval only ------------------------------------------------------------------


def test_approval_only_counts_the_approved_slices_whatever_the_punches() -> None:
    approved = [approval(t(19), t(21)), approval(t(21), t(22))]
    day = overtime_day(policy(conf(OvertimeMethod.APPROVAL)), WORKDAY, [], approved, NINE_TO_SIX)
    assert (day.status, day.duration, day.shortfall) == (OvertimeStatus.NORMAL, 3 * HOUR, ())


def test_approval_only_is_neither_trimmed_by_the_minimum_nor_capped() -> None:
    short = overtime_day(
        policy(conf(OvertimeMethod.APPROVAL)), RESTDAY, [], [approval(t(9), t(9, 15))]
    )
    long = overtime_day(policy(conf(OvertimeMethod.APPROVAL)), RESTDAY, [], [approval(t(9), t(19))])
    assert (short.duration, long.duration) == (15 * MINUTE, 10 * HOUR)


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        pytest.param(SUPPER, 150 * MINUTE, id="fixed-window-inside-the-approved-span"),
        pytest.param(STEPS, 150 * MINUTE, id="3-h-reaches-the-2-h-step"),
    ],
)
def test_approval_only_deducts_rest(rest: RestRule, expected: int) -> None:
    day = overtime_day(
        policy(conf(OvertimeMethod.APPROVAL, rest=rest)),
        WORKDAY,
        [],
        [approval(t(18), t(21))],
        NINE_TO_SIX,
        day_start=DAY,
    )
    assert day.duration == expected


# --- method 0: approval ∩ punches -------------------------------------------------------------

BOTH = OvertimeMethod.APPROVAL_AND_PUNCHES


def test_intersection_counts_the_approved_span_the_punches_cover() -> None:
    day = overtime_day(
        policy(conf(BOTH)), WORKDAY, [t(8, 55), t(21, 30)], [approval(t(19), t(21))], NINE_TO_SIX
    )
    assert (day.status, day.duration, day.shortfall) == (OvertimeStatus.NORMAL, 2 * HOUR, ())


def test_intersection_leaving_early_is_short_by_the_missing_time() -> None:
    day = overtime_day(
        policy(conf(BOTH)), WORKDAY, [t(8, 55), t(20, 15)], [approval(t(19), t(21))], NINE_TO_SIX
    )
    assert (day.status, day.duration, day.shortfall) == (
        OvertimeStatus.SHORT,
        75 * MINUTE,
        (45 * MINUTE,),
    )


def test_intersection_reports_each_approval_short_on_its_own() -> None:
    approved = [approval(t(7), t(8)), approval(t(19), t(21))]
    day = overtime_day(policy(conf(BOTH)), WORKDAY, [t(7, 30), t(20, 0)], approved, NINE_TO_SIX)
    assert day.status is OvertimeStatus.SHORT
    assert (day.duration, day.shortfall) == (90 * MINUTE, (30 * MINUTE, HOUR))


def test_intersection_without_punches_is_short_by_the_whole_approval_and_counts_nothing() -> None:
    day = overtime_day(policy(conf(BOTH)), RESTDAY, [], [approval(t(10), t(14))])
    assert (day.status, day.duration, day.shortfall) == (OvertimeStatus.SHORT, 0, (4 * HOUR,))


def test_intersection_without_an_approval_is_no_overtime() -> None:
    day = overtime_day(policy(conf(BOTH)), WORKDAY, [t(8), t(23)], [], NINE_TO_SIX)
    assert day.status is OvertimeStatus.NONE


def test_intersection_applies_the_minimum_the_maximum_and_rest() -> None:
    punches = [t(8), t(23)]
    capped = overtime_day(
        policy(conf(BOTH, max_sec=3 * HOUR)), WORKDAY, punches, [approval(t(18), t(22))]
    )
    rested = overtime_day(
        policy(conf(BOTH, rest=SUPPER)),
        WORKDAY,
        punches,
        [approval(t(18), t(21))],
        day_start=DAY,
    )
    below = overtime_day(policy(conf(BOTH)), WORKDAY, punches, [approval(t(19), t(19, 20))])
    assert capped.duration == 3 * HOUR
    assert rested.duration == 150 * MINUTE
    assert (below.duration, below.status) == (0, OvertimeStatus.NONE)


# --- conversion and rounding ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conversion", "ratio", "vacation", "money"),
    [
        pytest.param(Conversion.VACATION, 100, 2 * HOUR, 0, id="1-to-1-as-vacation"),
        pytest.param(Conversion.VACATION, 150, 3 * HOUR, 0, id="1-to-1.5-as-vacation"),
        pytest.param(Conversion.VACATION, 50, HOUR, 0, id="2-to-1-as-vacation"),
        pytest.param(Conversion.MONEY, 150, 0, 2 * HOUR, id="as-money-ignores-the-ratio"),
    ],
)
def test_conversion_turns_the_overtime_into_vacation_by_ratio_or_into_money(
    conversion: Conversion, ratio: int, vacation: int, money: int
) -> None:
    day_conf = conf(convert=True, conversion=conversion, ratio_percent=ratio)
    day = overtime_day(policy(day_conf), RESTDAY, [t(10), t(12)], [])
    assert (day.duration, day.as_vacation, day.as_money) == (2 * HOUR, vacation, money)


def test_without_conversion_nothing_is_vacation_or_money() -> None:
    day = overtime_day(policy(conf()), RESTDAY, [t(10), t(12)], [])
    assert (day.as_vacation, day.as_money) == (0, 0)


@pytest.mark.parametrize(
    ("rounding", "step", "worked", "expected"),
    [
        pytest.param(Rounding.HALF_UP, HOUR, 89 * MINUTE, HOUR, id="half-up-below-the-half"),
        pytest.param(Rounding.HALF_UP, HOUR, 90 * MINUTE, 2 * HOUR, id="half-up-at-the-half"),
        pytest.param(Rounding.UP, HOUR, 61 * MINUTE, 2 * HOUR, id="up"),
        pytest.param(Rounding.UP, 30 * MINUTE, 61 * MINUTE, 90 * MINUTE, id="up-to-half-hours"),
        pytest.param(Rounding.DOWN, HOUR, 119 * MINUTE, HOUR, id="down"),
        pytest.param(Rounding.DOWN, 2 * HOUR, 230 * MINUTE, 2 * HOUR, id="down-to-2-hours"),
    ],
)
def test_rounding_applies_to_the_counted_overtime(
    rounding: Rounding, step: int, worked: int, expected: int
) -> None:
    unit = TimeUnit(rounding, step)
    assert punched(conf(), [t(10), t(10) + worked], RESTDAY, unit) == expected


def test_conversion_follows_the_rounded_amount() -> None:
    unit = TimeUnit(Rounding.DOWN, HOUR)
    day_conf = conf(convert=True, ratio_percent=200)
    day = overtime_day(policy(day_conf, unit), RESTDAY, [t(10), t(12, 40)], [])
    assert (day.duration, day.as_vacation) == (2 * HOUR, 4 * HOUR)


def test_rounding_down_to_nothing_is_no_overtime() -> None:
    unit = TimeUnit(Rounding.DOWN, HOUR)
    day = overtime_day(policy(conf(), unit), RESTDAY, [t(10), t(10, 45)], [])
    assert (day.status, day.duration) == (OvertimeStatus.NONE, 0)


# --- properties -------------------------------------------------------------------------------

instants = st.integers(min_value=t(0), max_value=t(23, 59))
rests = st.sampled_from([RestRule(), SUPPER, STEPS])
units = st.one_of(
    st.none(),
    st.builds(TimeUnit, st.sampled_from(list(Rounding)), st.sampled_from([1800, 3600, 7200])),
)
confs = st.builds(
    DayConf,
    allowed=st.just(True),
    method=st.sampled_from(list(OvertimeMethod)),
    start_after_sec=st.integers(0, 12 * HOUR),
    min_sec=st.integers(0, 4 * HOUR),
    max_sec=st.integers(0, 12 * HOUR),
    rest=rests,
    time_range=st.sampled_from([0, 1, 2]),
)


@st.composite
def approvals(draw: st.DrawFn) -> ApprovedOvertime:
    start = draw(instants)
    stop = draw(st.integers(min_value=start, max_value=t(23, 59)))
    return approval(start, stop)


@given(
    confs,
    units,
    st.sampled_from(list(DayCategory)),
    st.lists(instants, max_size=6).map(sorted),
    st.lists(approvals(), max_size=3),
)
def test_overtime_is_never_negative_and_only_short_with_a_shortfall(
    day_conf: DayConf,
    unit: TimeUnit | None,
    category: DayCategory,
    punches: list[int],
    approved: list[ApprovedOvertime],
) -> None:
    scheduled = NINE_TO_SIX if category is WORKDAY else None
    day = overtime_day(
        policy(day_conf, unit), category, punches, approved, scheduled, day_start=DAY
    )
    assert day.duration >= 0 and all(s > 0 for s in day.shortfall)
    assert (day.status is OvertimeStatus.SHORT) == bool(day.shortfall)
    assert (day.status is OvertimeStatus.NONE) == (day.duration == 0 and not day.shortfall)


@given(
    confs.filter(lambda c: c.min_sec <= c.max_sec),  # rules are validated: min below max
    st.sampled_from(list(DayCategory)),
    st.lists(instants, max_size=6).map(sorted),
)
def test_punched_overtime_is_within_the_minimum_and_the_maximum(
    day_conf: DayConf, category: DayCategory, punches: list[int]
) -> None:
    day_conf = replace(day_conf, method=OvertimeMethod.PUNCHES)
    scheduled = NINE_TO_SIX if category is WORKDAY else None
    day = overtime_day(policy(day_conf), category, punches, [], scheduled, day_start=DAY)
    assert day.duration <= day_conf.max_sec
    assert day.duration == 0 or day.duration >= day_conf.min_sec


@given(
    confs.filter(lambda c: c.rest.kind is not RestDeduction.BY_DURATION),
    units,
    st.lists(instants, max_size=6).map(sorted),
    approvals(),
)
def test_the_intersection_never_exceeds_approval_only_for_the_same_approval(
    day_conf: DayConf,
    unit: TimeUnit | None,
    punches: list[int],
    approved: ApprovedOvertime,
) -> None:
    # By-duration rest is a step, so a little less overtime may keep more of it (3 h 59 min
    # keeps all, 4 h loses an hour): the property holds for no rest and fixed windows.
    def under(method: OvertimeMethod) -> int:
        rule = policy(replace(day_conf, method=method), unit)
        return overtime_day(rule, RESTDAY, punches, [approved], day_start=DAY).duration

    assert under(BOTH) <= under(OvertimeMethod.APPROVAL)


@given(confs, units.filter(lambda u: u is not None), st.lists(instants, max_size=6).map(sorted))
def test_rounded_overtime_is_a_whole_number_of_steps(
    day_conf: DayConf, unit: TimeUnit, punches: list[int]
) -> None:
    day_conf = replace(day_conf, method=OvertimeMethod.PUNCHES)
    day = overtime_day(policy(day_conf, unit), RESTDAY, punches, [], day_start=DAY)
    assert day.duration % unit.step_sec == 0
