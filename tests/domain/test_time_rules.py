"""The time settings of a fixed-time rule: slots, flex, 早到早走/晚到晚走, 晚走晚到, windows,
optional punches and out-of-range punches.
"""

from __future__ import annotations

from datetime import date

from tests.domain.helpers import evaluate, punch, rows_of, summary
from tests.domain.rule_factories import HOUR, fixed_rule, rows_on
from tests.factories import OFFICE, at, make_slot

MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)
FRIDAY = date(2026, 11, 20)
AFTER = at(2026, 11, 17, 12)  # every window of Monday has closed
LATER = at(2026, 11, 25)

SPLIT = fixed_rule(slots=[make_slot("09:00", "12:00", 1), make_slot("13:30", "18:00", 2)])


def _monday(*hm, rule):
    return summary(rows_of([punch(at(2026, 11, 16, h, m)) for h, m in hm], MONDAY, AFTER, rule))


# Several slots a day


def test_a_missed_afternoon_slot_is_missing_under_its_own_timeline_id():
    rows = rows_of(
        [punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 16, 12, 5))], MONDAY, AFTER, SPLIT
    )

    assert [(r.timeline_id, r.checkin_type.value, ";".join(r.anomalies)) for r in rows] == [
        (1, "上班打卡", ""),
        (1, "下班打卡", ""),
        (2, "上班打卡", "未打卡"),
        (2, "下班打卡", "未打卡"),
    ]


def test_a_punch_before_the_middle_of_the_lunch_break_ends_the_morning_slot():
    rows = rows_of([punch(at(2026, 11, 16, 12, 40))], MONDAY, AFTER, SPLIT)

    assert [
        (r.timeline_id, r.checkin_type.value, r.punch is not None)
        for r in rows
        if r.punch is not None
    ] == [(1, "下班打卡", True)]


def test_a_punch_after_the_middle_of_the_lunch_break_starts_the_afternoon_slot():
    rows = rows_of([punch(at(2026, 11, 16, 12, 50))], MONDAY, AFTER, SPLIT)

    assert [(r.timeline_id, r.checkin_type.value) for r in rows if r.punch is not None] == [
        (2, "上班打卡")
    ]


# Flex (allow_flex with flex_on_duty_time / flex_off_duty_time, seconds)


def test_leaving_early_within_flex_off_duty_time_is_normal():
    rule = fixed_rule(checkindate_extra={"allow_flex": True, "flex_off_duty_time": 600})

    assert _monday((9, 0), (17, 50), rule=rule)[1] == ("下班打卡", "", at(2026, 11, 16, 17, 50))


def test_leaving_earlier_than_flex_off_duty_time_allows_is_a_time_exception():
    rule = fixed_rule(checkindate_extra={"allow_flex": True, "flex_off_duty_time": 600})

    assert _monday((9, 0), (17, 49), rule=rule)[1][1] == "时间异常"


# 早到早走 / 晚到晚走 (max_allow_arrive_early / max_allow_arrive_late)


ARRIVE_WINDOW = fixed_rule(
    checkindate_extra={
        "allow_flex": True,
        "flex_on_duty_time": 0,
        "flex_off_duty_time": 0,
        "max_allow_arrive_early": HOUR,
        "max_allow_arrive_late": HOUR // 2,
    }
)


def test_arriving_thirty_minutes_early_allows_leaving_thirty_minutes_early():
    assert _monday((8, 30), (17, 30), rule=ARRIVE_WINDOW) == [
        ("上班打卡", "", at(2026, 11, 16, 8, 30)),
        ("下班打卡", "", at(2026, 11, 16, 17, 30)),
    ]


def test_leaving_thirty_one_minutes_early_after_arriving_thirty_minutes_early_is_early():
    assert _monday((8, 30), (17, 29), rule=ARRIVE_WINDOW)[1][1] == "时间异常"


def test_arriving_earlier_than_the_maximum_moves_the_off_point_by_the_maximum_only():
    assert _monday((7, 30), (17, 0), rule=ARRIVE_WINDOW)[1][1] == ""
    assert _monday((7, 30), (16, 59), rule=ARRIVE_WINDOW)[1][1] == "时间异常"


def test_arriving_twenty_minutes_late_within_the_maximum_is_not_late():
    assert _monday((9, 20), (18, 20), rule=ARRIVE_WINDOW)[0] == (
        "上班打卡",
        "",
        at(2026, 11, 16, 9, 20),
    )


def test_arriving_twenty_minutes_late_requires_leaving_twenty_minutes_later():
    assert _monday((9, 20), (18, 0), rule=ARRIVE_WINDOW)[1][1] == "时间异常"
    assert _monday((9, 20), (18, 20), rule=ARRIVE_WINDOW)[1][1] == ""


def test_arriving_later_than_max_allow_arrive_late_is_a_time_exception():
    assert _monday((9, 40), (18, 40), rule=ARRIVE_WINDOW)[0][1] == "时间异常"


# 晚走晚到 (late_rule)


LATE_RULE = fixed_rule(
    checkindate_extra={
        "late_rule": {
            "allow_offwork_after_time": True,
            "timerules": [{"offwork_after_time": 2 * HOUR, "onwork_flex_time": HOUR}],
        }
    }
)


def test_leaving_two_hours_late_lets_the_next_day_start_an_hour_late():
    punches = [
        punch(at(2026, 11, 16, 8, 55)),
        punch(at(2026, 11, 16, 20)),
        punch(at(2026, 11, 17, 10)),
    ]

    results = evaluate(punches, MONDAY, LATER, LATE_RULE, days_after=1)

    assert summary(rows_on(results, TUESDAY))[0] == ("上班打卡", "", at(2026, 11, 17, 10))


def test_the_late_rule_allowance_ends_after_its_onwork_flex_time():
    punches = [
        punch(at(2026, 11, 16, 8, 55)),
        punch(at(2026, 11, 16, 20)),
        punch(at(2026, 11, 17, 10, 1)),
    ]

    results = evaluate(punches, MONDAY, LATER, LATE_RULE, days_after=1)

    assert summary(rows_on(results, TUESDAY))[0][1] == "时间异常"


def test_leaving_only_one_hour_late_earns_no_late_arrival():
    punches = [
        punch(at(2026, 11, 16, 8, 55)),
        punch(at(2026, 11, 16, 19)),
        punch(at(2026, 11, 17, 9, 30)),
    ]

    results = evaluate(punches, MONDAY, LATER, LATE_RULE, days_after=1)

    assert summary(rows_on(results, TUESDAY))[0][1] == "时间异常"


def test_leaving_late_on_friday_earns_no_late_arrival_on_monday():
    punches = [
        punch(at(2026, 11, 20, 8, 55)),
        punch(at(2026, 11, 20, 20, 30)),
        punch(at(2026, 11, 23, 9, 30)),
    ]

    results = evaluate(punches, FRIDAY, LATER, LATE_RULE, days_after=3)

    assert summary(rows_on(results, date(2026, 11, 23)))[0][1] == "时间异常"


def test_leaving_later_earns_the_larger_allowance_of_several_late_rules():
    rule = fixed_rule(
        checkindate_extra={
            "late_rule": {
                "allow_offwork_after_time": True,
                "timerules": [
                    {"offwork_after_time": 2 * HOUR, "onwork_flex_time": HOUR},
                    {"offwork_after_time": 4 * HOUR, "onwork_flex_time": 2 * HOUR},
                ],
            }
        }
    )
    punches = [
        punch(at(2026, 11, 16, 8, 55)),
        punch(at(2026, 11, 16, 22, 10)),
        punch(at(2026, 11, 17, 10, 50)),
    ]

    results = evaluate(punches, MONDAY, LATER, rule, days_after=1)

    assert summary(rows_on(results, TUESDAY))[0] == ("上班打卡", "", at(2026, 11, 17, 10, 50))


def test_the_late_rule_allowance_applies_to_the_first_slot_only():
    rule = fixed_rule(
        slots=[make_slot("09:00", "12:00", 1), make_slot("13:30", "18:00", 2)],
        checkindate_extra={
            "late_rule": {
                "allow_offwork_after_time": True,
                "timerules": [{"offwork_after_time": 2 * HOUR, "onwork_flex_time": HOUR}],
            }
        },
    )
    punches = [punch(at(2026, 11, 16, h, m)) for h, m in [(8, 55), (12, 5), (13, 25)]]
    punches += [
        punch(at(2026, 11, 16, 20)),
        punch(at(2026, 11, 17, 9, 30)),
        punch(at(2026, 11, 17, 12, 5)),
        punch(at(2026, 11, 17, 14)),
    ]

    results = evaluate(punches, MONDAY, LATER, rule, days_after=1)

    on_duty = [r for r in rows_on(results, TUESDAY) if r.checkin_type.value == "上班打卡"]
    assert [(r.timeline_id, ";".join(r.anomalies)) for r in on_duty] == [(1, ""), (2, "时间异常")]


def test_without_the_late_rule_switch_leaving_late_earns_nothing():
    rule = fixed_rule(
        checkindate_extra={
            "late_rule": {
                "allow_offwork_after_time": False,
                "timerules": [{"offwork_after_time": 2 * HOUR, "onwork_flex_time": HOUR}],
            }
        }
    )
    punches = [
        punch(at(2026, 11, 16, 8, 55)),
        punch(at(2026, 11, 16, 20)),
        punch(at(2026, 11, 17, 9, 30)),
    ]

    results = evaluate(punches, MONDAY, LATER, rule, days_after=1)

    assert summary(rows_on(results, TUESDAY))[0][1] == "时间异常"


# Optional punches


def test_noneed_offwork_passes_over_evening_punches():
    rule = fixed_rule(checkindate_extra={"noneed_offwork": True})

    result = evaluate(
        [punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 16, 18, 5))], MONDAY, AFTER, rule
    )[0]

    assert summary(list(result.rows)) == [("上班打卡", "", at(2026, 11, 16, 8, 55))]
    assert [p.time for p in result.passed_over] == [at(2026, 11, 16, 18, 5)]


def test_noneed_offwork_applies_to_every_slot():
    rule = fixed_rule(
        slots=[make_slot("09:00", "12:00", 1), make_slot("13:30", "18:00", 2)],
        checkindate_extra={"noneed_offwork": True},
    )

    rows = rows_of([], MONDAY, AFTER, rule)

    assert [(r.timeline_id, r.checkin_type.value) for r in rows] == [
        (1, "上班打卡"),
        (2, "上班打卡"),
    ]


def test_no_need_checkon_drops_one_slots_on_duty_point():
    rule = fixed_rule(
        slots=[make_slot("09:00", "12:00", 1), make_slot("13:30", "18:00", 2, no_need_checkon=True)]
    )

    rows = rows_of([], MONDAY, AFTER, rule)

    assert [(r.timeline_id, r.checkin_type.value) for r in rows] == [
        (1, "上班打卡"),
        (1, "下班打卡"),
        (2, "下班打卡"),
    ]


def test_no_need_checkoff_drops_one_slots_off_duty_point():
    rule = fixed_rule(
        slots=[
            make_slot("09:00", "12:00", 1, no_need_checkoff=True),
            make_slot("13:30", "18:00", 2),
        ]
    )

    rows = rows_of([], MONDAY, AFTER, rule)

    assert [(r.timeline_id, r.checkin_type.value) for r in rows] == [
        (1, "上班打卡"),
        (2, "上班打卡"),
        (2, "下班打卡"),
    ]


# Explicit windows (earliest_* / latest_*)


WINDOWED = fixed_rule(
    slots=[
        make_slot(
            earliest_work_sec=8 * HOUR,
            latest_work_sec=10 * HOUR,
            earliest_off_work_sec=17 * HOUR,
            latest_off_work_sec=20 * HOUR,
        )
    ]
)


def test_a_punch_at_the_earliest_on_duty_time_is_taken():
    assert _monday((8, 0), rule=WINDOWED)[0] == ("上班打卡", "", at(2026, 11, 16, 8))


def test_the_latest_on_duty_minute_is_inclusive():
    rows = summary(rows_of([punch(at(2026, 11, 16, 10, 0, 30))], MONDAY, AFTER, WINDOWED))

    assert rows[0] == ("上班打卡", "时间异常", at(2026, 11, 16, 10, 0, 30))


def test_a_punch_before_the_earliest_off_duty_time_is_not_off_duty():
    rows = _monday((8, 55), (16, 59), rule=WINDOWED)

    assert rows[1] == ("下班打卡", "未打卡", at(2026, 11, 16, 18))


def test_the_latest_off_duty_minute_is_inclusive():
    rows = summary(
        rows_of(
            [punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 16, 20, 0, 30))],
            MONDAY,
            AFTER,
            WINDOWED,
        )
    )

    assert rows[1] == ("下班打卡", "", at(2026, 11, 16, 20, 0, 30))


def test_a_latest_off_duty_time_past_midnight_keeps_the_window_open_into_the_next_day():
    rule = fixed_rule(slots=[make_slot(latest_off_work_sec=26 * HOUR)])
    punches = [punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 17, 1, 30))]

    results = evaluate(punches, MONDAY, LATER, rule, days_after=1)

    assert summary(rows_on(results, MONDAY))[1] == ("下班打卡", "", at(2026, 11, 17, 1, 30))


# option_out_range 2: out-of-range punches are not allowed to count


NOT_COUNTED = fixed_rule(option_out_range=2)
INSIDE = {"lat": OFFICE[0] + 1_000, "lng": OFFICE[1]}  # ~110 m from the office
OUTSIDE = {"lat": OFFICE[0] + 10_000, "lng": OFFICE[1]}  # ~1.1 km


def test_an_out_of_range_punch_yields_to_an_in_range_one():
    punches = [
        punch(at(2026, 11, 16, 8, 50), **OUTSIDE),
        punch(at(2026, 11, 16, 8, 55), **INSIDE),
        punch(at(2026, 11, 16, 18, 5), **INSIDE),
        punch(at(2026, 11, 16, 18, 30), **OUTSIDE),
    ]

    rows = rows_of(punches, MONDAY, AFTER, NOT_COUNTED)

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 16, 8, 55)),
        ("下班打卡", "", at(2026, 11, 16, 18, 5)),
    ]


def test_an_out_of_range_punch_alone_leaves_the_point_missing():
    punches = [punch(at(2026, 11, 16, 8, 55), **INSIDE), punch(at(2026, 11, 16, 18, 5), **OUTSIDE)]

    rows = rows_of(punches, MONDAY, AFTER, NOT_COUNTED)

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 16, 8, 55)),
        ("下班打卡", "未打卡", at(2026, 11, 16, 18)),
    ]


def test_an_out_of_range_punch_is_kept_among_the_passed_over_punches():
    far = punch(at(2026, 11, 16, 18, 5), **OUTSIDE)

    result = evaluate([punch(at(2026, 11, 16, 8, 55), **INSIDE), far], MONDAY, AFTER, NOT_COUNTED)[
        0
    ]

    assert list(result.passed_over) == [far]
