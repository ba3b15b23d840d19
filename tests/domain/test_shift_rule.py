"""Classification under a shift rule (按班次上下班, grouptype 2).

The day's shift comes from the user's schedule; schedule 0 (休息) or none is a rest day.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from daka.domain.days import HolidayFacts
from tests.domain.helpers import evaluate, punch, summary
from tests.domain.rule_factories import (
    REST,
    all_rows,
    make_shift,
    roster,
    rows_on,
    shift_rule,
)
from tests.factories import at

MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)
WEDNESDAY = date(2026, 11, 18)
LATER = at(2026, 11, 25)  # every window of the week has closed

RULE = shift_rule()  # 1 白班 09–18, 2 夜班 22–06, 3 中班 14–22, 4 早班 08–16


def _summary_on(results, day):
    return summary(rows_on(results, day))


def test_a_day_shift_yields_on_and_off_rows_carrying_the_shift_id():
    results = evaluate(
        [punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 16, 18, 5))],
        MONDAY,
        LATER,
        RULE,
        schedule=roster(MONDAY, 1),
    )

    rows = rows_on(results, MONDAY)
    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 16, 8, 55)),
        ("下班打卡", "", at(2026, 11, 16, 18, 5)),
    ]
    assert [r.scheduled_time for r in rows] == [at(2026, 11, 16, 9), at(2026, 11, 16, 18)]
    assert {r.schedule_id for r in rows} == {1}


def test_missing_rows_of_a_shift_carry_the_shift_id():
    results = evaluate([], MONDAY, LATER, RULE, schedule=roster(MONDAY, 2))

    rows = rows_on(results, MONDAY)
    assert summary(rows) == [
        ("上班打卡", "未打卡", at(2026, 11, 16, 22)),
        ("下班打卡", "未打卡", at(2026, 11, 17, 6)),
    ]
    assert {r.schedule_id for r in rows} == {2}


def test_arriving_late_for_a_shift_is_a_time_exception():
    results = evaluate(
        [punch(at(2026, 11, 16, 9, 5)), punch(at(2026, 11, 16, 18))],
        MONDAY,
        LATER,
        RULE,
        schedule=roster(MONDAY, 1),
    )

    assert _summary_on(results, MONDAY)[0] == ("上班打卡", "时间异常", at(2026, 11, 16, 9, 5))


def test_schedule_zero_is_a_rest_day_without_rows():
    results = evaluate(
        [punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 16, 18, 5))],
        MONDAY,
        LATER,
        RULE,
        schedule=roster(MONDAY, REST),
    )

    assert rows_on(results, MONDAY) == []


def test_a_day_without_a_schedule_is_a_rest_day_without_rows():
    results = evaluate(
        [punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 16, 18, 5))],
        MONDAY,
        LATER,
        RULE,
        schedule={},
    )

    assert rows_on(results, MONDAY) == []


def test_a_shift_on_a_statutory_holiday_is_still_worked():
    results = evaluate(
        [],
        MONDAY,
        LATER,
        RULE,
        schedule=roster(MONDAY, 1),
        holidays={MONDAY: HolidayFacts(holiday=True)},
    )

    assert [r.checkin_type.value for r in rows_on(results, MONDAY)] == ["上班打卡", "下班打卡"]


def test_a_night_shift_takes_the_evening_punch_as_on_duty_and_the_morning_punch_as_off_duty():
    punches = [punch(at(2026, 11, 16, 21, 50)), punch(at(2026, 11, 17, 6, 5))]

    results = evaluate(punches, MONDAY, LATER, RULE, days_after=1, schedule=roster(MONDAY, 2, REST))

    monday = rows_on(results, MONDAY)
    assert summary(monday) == [
        ("上班打卡", "", at(2026, 11, 16, 21, 50)),
        ("下班打卡", "", at(2026, 11, 17, 6, 5)),
    ]
    assert [r.scheduled_time for r in monday] == [at(2026, 11, 16, 22), at(2026, 11, 17, 6)]
    assert {r.day for r in monday} == {MONDAY}
    assert rows_on(results, TUESDAY) == []


def test_the_morning_punch_of_a_night_shift_is_not_the_next_nights_on_duty_punch():
    punches = [punch(at(2026, 11, 16, 21, 50)), punch(at(2026, 11, 17, 6, 5))]

    results = evaluate(punches, MONDAY, LATER, RULE, days_after=1, schedule=roster(MONDAY, 2, 2))

    assert _summary_on(results, MONDAY)[1] == ("下班打卡", "", at(2026, 11, 17, 6, 5))
    assert _summary_on(results, TUESDAY) == [
        ("上班打卡", "未打卡", at(2026, 11, 17, 22)),
        ("下班打卡", "未打卡", at(2026, 11, 18, 6)),
    ]


def test_consecutive_night_shifts_keep_their_own_punches():
    punches = [
        punch(at(2026, 11, d, h, m))
        for d, h, m in [
            (16, 21, 50),
            (17, 6, 5),
            (17, 21, 55),
            (18, 6, 2),
            (18, 21, 40),
            (19, 6, 30),
        ]
    ]

    results = evaluate(punches, MONDAY, LATER, RULE, days_after=2, schedule=roster(MONDAY, 2, 2, 2))

    assert [[r.time for r in rows_on(results, d)] for d in (MONDAY, TUESDAY, WEDNESDAY)] == [
        [at(2026, 11, 16, 21, 50), at(2026, 11, 17, 6, 5)],
        [at(2026, 11, 17, 21, 55), at(2026, 11, 18, 6, 2)],
        [at(2026, 11, 18, 21, 40), at(2026, 11, 19, 6, 30)],
    ]
    assert all(not r.anomalies for r in all_rows(results))


def test_a_night_shift_off_duty_point_is_missing_at_its_next_morning_time():
    results = evaluate(
        [punch(at(2026, 11, 16, 21, 50))],
        MONDAY,
        LATER,
        RULE,
        days_after=1,
        schedule=roster(MONDAY, 2, 2),
    )

    assert _summary_on(results, MONDAY)[1] == ("下班打卡", "未打卡", at(2026, 11, 17, 6))


def test_an_afternoon_shift_after_a_night_shift_gets_its_own_punches():
    punches = [
        punch(at(2026, 11, d, h, m))
        for d, h, m in [(16, 21, 55), (17, 6, 3), (17, 13, 50), (17, 22, 5)]
    ]

    results = evaluate(punches, MONDAY, LATER, RULE, days_after=1, schedule=roster(MONDAY, 2, 3))

    assert _summary_on(results, MONDAY) == [
        ("上班打卡", "", at(2026, 11, 16, 21, 55)),
        ("下班打卡", "", at(2026, 11, 17, 6, 3)),
    ]
    tuesday = rows_on(results, TUESDAY)
    assert summary(tuesday) == [
        ("上班打卡", "", at(2026, 11, 17, 13, 50)),
        ("下班打卡", "", at(2026, 11, 17, 22, 5)),
    ]
    assert {r.schedule_id for r in tuesday} == {3}


def test_a_morning_shift_after_a_night_shift_splits_the_gap_between_them():
    # Night Mon 22:00 → Tue 06:00, then Tue 08:00 → 16:00: 06:50 is nearer the night's end,
    # 07:10 nearer the morning's start.
    punches = [
        punch(at(2026, 11, d, h, m))
        for d, h, m in [(16, 21, 55), (17, 6, 50), (17, 7, 10), (17, 16, 5)]
    ]

    results = evaluate(punches, MONDAY, LATER, RULE, days_after=1, schedule=roster(MONDAY, 2, 4))

    assert [r.time for r in rows_on(results, MONDAY)] == [
        at(2026, 11, 16, 21, 55),
        at(2026, 11, 17, 6, 50),
    ]
    assert [r.time for r in rows_on(results, TUESDAY)] == [
        at(2026, 11, 17, 7, 10),
        at(2026, 11, 17, 16, 5),
    ]


def test_an_off_duty_punch_within_limit_offtime_is_taken():
    rule = shift_rule(make_shift(1, "白班", "09:00", "18:00", limit_offtime=4 * 3600))
    punches = [punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 16, 21, 50))]

    results = evaluate(punches, MONDAY, LATER, rule, schedule=roster(MONDAY, 1))

    assert _summary_on(results, MONDAY)[1] == ("下班打卡", "", at(2026, 11, 16, 21, 50))


def test_an_off_duty_punch_beyond_limit_offtime_is_not_taken():
    rule = shift_rule(make_shift(1, "白班", "09:00", "18:00", limit_offtime=4 * 3600))
    punches = [punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 16, 22, 30))]

    results = evaluate(punches, MONDAY, LATER, rule, schedule=roster(MONDAY, 1))

    assert _summary_on(results, MONDAY) == [
        ("上班打卡", "", at(2026, 11, 16, 8, 55)),
        ("下班打卡", "未打卡", at(2026, 11, 16, 18)),
    ]


def test_limit_offtime_bounds_a_night_shifts_off_duty_window_the_next_morning():
    rule = shift_rule(make_shift(2, "夜班", "22:00", "30:00", limit_offtime=3600))
    punches = [punch(at(2026, 11, 16, 21, 50)), punch(at(2026, 11, 17, 7, 30))]

    results = evaluate(punches, MONDAY, LATER, rule, days_after=1, schedule=roster(MONDAY, 2, REST))

    assert _summary_on(results, MONDAY)[1] == ("下班打卡", "未打卡", at(2026, 11, 17, 6))


def test_the_off_duty_point_is_not_missing_before_limit_offtime_has_passed():
    rule = shift_rule(make_shift(1, "白班", "09:00", "18:00", limit_offtime=4 * 3600))

    results = evaluate(
        [punch(at(2026, 11, 16, 8, 55))],
        MONDAY,
        at(2026, 11, 16, 21, 59),
        rule,
        schedule=roster(MONDAY, 1),
    )

    assert _summary_on(results, MONDAY) == [("上班打卡", "", at(2026, 11, 16, 8, 55))]


def test_the_off_duty_point_is_missing_as_soon_as_limit_offtime_has_passed():
    rule = shift_rule(make_shift(1, "白班", "09:00", "18:00", limit_offtime=4 * 3600))

    results = evaluate(
        [punch(at(2026, 11, 16, 8, 55))],
        MONDAY,
        at(2026, 11, 16, 22),
        rule,
        schedule=roster(MONDAY, 1),
    )

    assert _summary_on(results, MONDAY)[1] == ("下班打卡", "未打卡", at(2026, 11, 16, 18))


def test_limit_aheadtime_bounds_a_shifts_on_duty_window():
    rule = shift_rule(make_shift(1, "白班", "09:00", "18:00", limit_aheadtime=3_600_000))
    schedule = roster(MONDAY, 1)

    early = evaluate([punch(at(2026, 11, 16, 7, 55))], MONDAY, LATER, rule, schedule=schedule)
    inside = evaluate([punch(at(2026, 11, 16, 8, 5))], MONDAY, LATER, rule, schedule=schedule)

    assert _summary_on(early, MONDAY)[0] == ("上班打卡", "未打卡", at(2026, 11, 16, 9))
    assert _summary_on(inside, MONDAY)[0] == ("上班打卡", "", at(2026, 11, 16, 8, 5))


def test_flex_applies_to_a_shift_without_an_allow_flex_switch():
    rule = shift_rule(make_shift(1, "白班", "09:00", "18:00", flex_on_duty_time=600))

    results = evaluate(
        [punch(at(2026, 11, 16, 9, 10))], MONDAY, LATER, rule, schedule=roster(MONDAY, 1)
    )

    assert _summary_on(results, MONDAY)[0] == ("上班打卡", "", at(2026, 11, 16, 9, 10))


def test_a_shift_with_flex_switched_off_ignores_its_flex_values():
    rule = shift_rule(
        make_shift(1, "白班", "09:00", "18:00", allow_flex=False, flex_on_duty_time=600)
    )

    results = evaluate(
        [punch(at(2026, 11, 16, 9, 10))], MONDAY, LATER, rule, schedule=roster(MONDAY, 1)
    )

    assert _summary_on(results, MONDAY)[0][1] == "时间异常"


def test_leaving_a_shift_early_within_flex_off_duty_time_is_normal():
    rule = shift_rule(make_shift(1, "白班", "09:00", "18:00", flex_off_duty_time=900))

    results = evaluate(
        [punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 16, 17, 45))],
        MONDAY,
        LATER,
        rule,
        schedule=roster(MONDAY, 1),
    )

    assert _summary_on(results, MONDAY)[1] == ("下班打卡", "", at(2026, 11, 16, 17, 45))


def test_a_shifts_late_rule_lets_the_next_shift_start_late_after_leaving_late():
    rule = shift_rule(
        make_shift(
            1,
            "白班",
            "09:00",
            "18:00",
            late_rule={
                "allow_offwork_after_time": True,
                "timerules": [{"offwork_after_time": 7200, "onwork_flex_time": 3600}],
            },
        )
    )
    punches = [
        punch(at(2026, 11, 16, 8, 55)),
        punch(at(2026, 11, 16, 20, 10)),
        punch(at(2026, 11, 17, 9, 50)),
    ]

    results = evaluate(punches, MONDAY, LATER, rule, days_after=1, schedule=roster(MONDAY, 1, 1))

    assert _summary_on(results, TUESDAY)[0] == ("上班打卡", "", at(2026, 11, 17, 9, 50))


# Properties over a week of night shifts (Mon 16 – Sun 22 Nov, with night-shift context days).

WEEK = roster(date(2026, 11, 15), *[2] * 9)  # Sun 15 .. Mon 23, all nights
WEEK_SPAN = st.integers(min_value=at(2026, 11, 15, 12), max_value=at(2026, 11, 24, 12))
week_punches = st.lists(WEEK_SPAN, max_size=40, unique=True)
ROSTER_DAYS = st.lists(st.sampled_from([REST, 1, 2, 3, 4]), min_size=9, max_size=9)


def _week_rows(times, schedule=WEEK):
    results = evaluate(
        [punch(t) for t in times], MONDAY, LATER, RULE, days_after=6, schedule=schedule
    )
    return all_rows(results)


@given(week_punches, st.randoms())
def test_night_shift_rows_do_not_depend_on_the_order_punches_arrive_in(times, rnd):
    shuffled = list(times)
    rnd.shuffle(shuffled)

    assert _week_rows(shuffled) == _week_rows(sorted(times))


@given(week_punches)
def test_every_point_of_every_night_shift_has_exactly_one_row_once_windows_closed(times):
    rows = _week_rows(times)

    points = Counter((r.day, r.timeline_id, r.checkin_type) for r in rows)
    assert len(points) == 7 * 2
    assert set(points.values()) == {1}


@given(week_punches, ROSTER_DAYS)
def test_every_point_of_a_mixed_roster_has_exactly_one_row_once_windows_closed(times, ids):
    schedule = roster(date(2026, 11, 15), *ids)

    rows = _week_rows(times, schedule)

    points = Counter((r.day, r.checkin_type) for r in rows)
    shift_days = sum(1 for sid in ids[1:8] if sid != REST)
    assert len(points) == 2 * shift_days
    assert set(points.values()) <= {1}
    assert all(r.schedule_id == schedule[r.day] for r in rows)


@given(week_punches, ROSTER_DAYS)
def test_no_punch_is_taken_by_two_shift_days(times, ids):
    rows = _week_rows(times, roster(date(2026, 11, 15), *ids))

    taken = [r.punch.time for r in rows if r.punch is not None]
    assert len(taken) == len(set(taken))
