"""What a day is under a fixed-time rule: workday, rest day, special day, holiday.

Precedence: 不用打卡日期 (spe_offdays) > 必须打卡日期 (spe_workdays) > statutory holidays and
make-up workdays (sync_holidays) > weekdays (or 大小周 week parity).
"""

from __future__ import annotations

from datetime import date, timedelta

from daka.domain.days import HolidayFacts
from daka.services.holidays import package_calendar
from tests.domain.helpers import evaluate, punch, summary
from tests.domain.rule_factories import all_rows, fixed_rule, rows_on, special_day
from tests.factories import at, make_slot, midnight

MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)
WEDNESDAY = date(2026, 11, 18)
THURSDAY = date(2026, 11, 19)
SATURDAY = date(2026, 11, 21)  # ISO week 47 (odd)
EVEN_SATURDAY = date(2026, 11, 14)  # ISO week 46
LATER = at(2026, 12, 20)  # every window in view has closed

HOLIDAY = HolidayFacts(holiday=True)
MAKEUP = HolidayFacts(makeup_workday=True)
SHORT_DAY = [make_slot("10:00", "15:00")]


def _day_rows(day, punches=(), rule=None, **kwargs):
    return list(evaluate(list(punches), day, LATER, rule, **kwargs)[0].rows)


def _times(rows):
    return [(r.checkin_type.value, r.scheduled_time) for r in rows]


def _saturday_punches(day=SATURDAY):
    return [
        punch(at(day.year, day.month, day.day, 9, 55)),
        punch(at(day.year, day.month, day.day, 15, 5)),
    ]


# 不用打卡日期 / 必须打卡日期


def test_a_special_off_day_is_a_rest_day_whose_punches_count_for_no_day():
    rule = fixed_rule(spe_offdays=[special_day(WEDNESDAY, "年会")])
    punches = [punch(at(2026, 11, 18, 8, 55)), punch(at(2026, 11, 18, 18, 5))]

    results = evaluate(punches, TUESDAY, LATER, rule, days_after=2)

    assert rows_on(results, WEDNESDAY) == []
    assert all(r.punch is None for r in all_rows(results))


def test_a_special_off_days_punches_are_listed_as_passed_over():
    rule = fixed_rule(spe_offdays=[special_day(WEDNESDAY, "年会")])
    punches = [punch(at(2026, 11, 18, 8, 55)), punch(at(2026, 11, 18, 18, 5))]

    results = evaluate(punches, TUESDAY, LATER, rule, days_after=2)

    (wednesday,) = [r for r in results if r.day == WEDNESDAY]
    assert list(wednesday.passed_over) == punches


def test_a_special_workday_saturday_is_worked_on_its_own_slots():
    rule = fixed_rule(spe_workdays=[special_day(SATURDAY, "加班", checkintime=SHORT_DAY)])

    rows = _day_rows(SATURDAY, _saturday_punches(), rule)

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 21, 9, 55)),
        ("下班打卡", "", at(2026, 11, 21, 15, 5)),
    ]
    assert [r.scheduled_time for r in rows] == [at(2026, 11, 21, 10), at(2026, 11, 21, 15)]


def test_a_special_workday_without_punches_is_missing_at_its_own_times():
    rule = fixed_rule(spe_workdays=[special_day(SATURDAY, "加班", checkintime=SHORT_DAY)])

    rows = _day_rows(SATURDAY, rule=rule)

    assert summary(rows) == [
        ("上班打卡", "未打卡", at(2026, 11, 21, 10)),
        ("下班打卡", "未打卡", at(2026, 11, 21, 15)),
    ]


def test_a_range_of_special_off_days_covers_begtime_to_endtime_inclusive():
    rule = fixed_rule(
        spe_offdays=[
            {
                "type": 1,
                "notes": "团建",
                "begtime": midnight(MONDAY),
                "endtime": midnight(WEDNESDAY),
            }
        ]
    )

    results = evaluate([], MONDAY, LATER, rule, days_after=3)

    assert [len(r.rows) for r in results] == [0, 0, 0, 2]  # Mon, Tue, Wed off; Thu worked


def test_a_range_of_special_days_accepts_begintime_for_its_start():
    rule = fixed_rule(
        spe_offdays=[
            {
                "type": 1,
                "notes": "团建",
                "begintime": midnight(MONDAY),
                "endtime": midnight(WEDNESDAY),
            }
        ]
    )

    results = evaluate([], MONDAY, LATER, rule, days_after=3)

    assert [len(r.rows) for r in results] == [0, 0, 0, 2]


def test_a_range_of_special_workdays_makes_a_whole_weekend_workdays():
    sunday = SATURDAY + timedelta(days=1)
    rule = fixed_rule(
        spe_workdays=[
            {
                "type": 1,
                "notes": "赶工",
                "begtime": midnight(SATURDAY),
                "endtime": midnight(sunday),
                "checkintime": SHORT_DAY,
            }
        ]
    )

    results = evaluate([], SATURDAY, LATER, rule, days_after=1)

    assert [_times(r.rows) for r in results] == [
        [("上班打卡", at(2026, 11, d, 10)), ("下班打卡", at(2026, 11, d, 15))] for d in (21, 22)
    ]


def test_biweekly_special_workdays_recur_every_other_week_from_their_timestamp():
    first = date(2026, 11, 7)
    rule = fixed_rule(
        spe_workdays=[
            special_day(
                first, "隔周六", type=2, endtime=midnight(date(2026, 12, 31)), checkintime=SHORT_DAY
            )
        ]
    )

    worked = [len(_day_rows(first + timedelta(days=7 * k), rule=rule)) for k in range(4)]

    assert worked == [2, 0, 2, 0]  # 7 Nov, 14 Nov, 21 Nov, 28 Nov


def test_biweekly_special_workdays_stop_after_their_endtime():
    first = date(2026, 11, 7)
    rule = fixed_rule(
        spe_workdays=[
            special_day(
                first, "隔周六", type=2, endtime=midnight(date(2026, 11, 21)), checkintime=SHORT_DAY
            )
        ]
    )

    assert len(_day_rows(date(2026, 11, 21), rule=rule)) == 2
    assert _day_rows(date(2026, 12, 5), rule=rule) == []


def test_biweekly_special_off_days_recur_every_other_week():
    rule = fixed_rule(
        spe_offdays=[special_day(MONDAY, "隔周一休", type=2, endtime=midnight(date(2026, 12, 31)))]
    )

    worked = [len(_day_rows(MONDAY + timedelta(days=7 * k), rule=rule)) for k in range(3)]

    assert worked == [0, 2, 0]


# Statutory holidays (sync_holidays)


def test_a_statutory_holiday_on_a_weekday_is_a_rest_day():
    rule = fixed_rule(sync_holidays=True)
    punches = [punch(at(2026, 11, 19, 8, 55)), punch(at(2026, 11, 19, 18, 5))]

    rows = _day_rows(THURSDAY, punches, rule, holidays={THURSDAY: HOLIDAY})

    assert rows == []


def test_a_make_up_workday_saturday_follows_the_rules_first_plan():
    rule = fixed_rule(
        sync_holidays=True,
        checkindate=[
            {"workdays": [1, 2, 3, 4], "checkintime": [make_slot("09:00", "18:00")]},
            {"workdays": [5], "checkintime": [make_slot("10:00", "16:00")]},
        ],
    )

    rows = _day_rows(SATURDAY, _saturday_punches(), rule, holidays={SATURDAY: MAKEUP})

    assert _times(rows) == [("上班打卡", at(2026, 11, 21, 9)), ("下班打卡", at(2026, 11, 21, 18))]


def test_without_sync_holidays_a_statutory_holiday_is_an_ordinary_workday():
    rule = fixed_rule(sync_holidays=False)

    rows = _day_rows(THURSDAY, rule=rule, holidays={THURSDAY: HOLIDAY})

    assert _times(rows) == [("上班打卡", at(2026, 11, 19, 9)), ("下班打卡", at(2026, 11, 19, 18))]


def test_without_sync_holidays_a_make_up_saturday_is_an_ordinary_rest_day():
    rule = fixed_rule(sync_holidays=False)

    rows = _day_rows(SATURDAY, _saturday_punches(), rule, holidays={SATURDAY: MAKEUP})

    assert rows == []


def test_the_real_calendar_makes_national_day_a_rest_day():
    national_day = date(2026, 10, 1)  # a Thursday
    rule = fixed_rule(sync_holidays=True)
    holidays = {
        national_day + timedelta(days=k): package_calendar().facts(national_day + timedelta(days=k))
        for k in (-1, 0, 1)
    }

    assert package_calendar().facts(national_day) == HolidayFacts(holiday=True, name="国庆节")
    assert _day_rows(national_day, rule=rule, holidays=holidays) == []


def test_the_real_calendar_makes_the_saturday_after_national_day_a_workday():
    makeup = date(2026, 10, 10)  # a Saturday
    rule = fixed_rule(sync_holidays=True)
    holidays = {
        makeup + timedelta(days=k): package_calendar().facts(makeup + timedelta(days=k))
        for k in (-1, 0, 1)
    }

    assert package_calendar().facts(makeup) == HolidayFacts(makeup_workday=True, name="国庆节")
    assert _times(_day_rows(makeup, rule=rule, holidays=holidays)) == [
        ("上班打卡", at(2026, 10, 10, 9)),
        ("下班打卡", at(2026, 10, 10, 18)),
    ]


# Precedence


def test_a_special_off_day_beats_a_special_workday_on_the_same_date():
    rule = fixed_rule(
        spe_offdays=[special_day(SATURDAY, "取消")],
        spe_workdays=[special_day(SATURDAY, "加班", checkintime=SHORT_DAY)],
    )

    assert _day_rows(SATURDAY, _saturday_punches(), rule) == []


def test_a_special_workday_beats_a_statutory_holiday():
    rule = fixed_rule(
        sync_holidays=True, spe_workdays=[special_day(THURSDAY, "值班", checkintime=SHORT_DAY)]
    )

    rows = _day_rows(THURSDAY, rule=rule, holidays={THURSDAY: HOLIDAY})

    assert _times(rows) == [("上班打卡", at(2026, 11, 19, 10)), ("下班打卡", at(2026, 11, 19, 15))]


def test_a_special_off_day_beats_a_make_up_workday():
    rule = fixed_rule(sync_holidays=True, spe_offdays=[special_day(SATURDAY, "调休")])

    rows = _day_rows(SATURDAY, _saturday_punches(), rule, holidays={SATURDAY: MAKEUP})

    assert rows == []


# Punching on rest days (allow_checkin_offworkday)


def test_rest_day_punches_become_first_on_and_last_off_rows_when_allowed():
    rule = fixed_rule(allow_checkin_offworkday=True)
    punches = [punch(at(2026, 11, 21, h)) for h in (10, 12, 15)]

    rows = _day_rows(SATURDAY, punches, rule)

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 21, 10)),
        ("下班打卡", "", at(2026, 11, 21, 15)),
    ]
    assert [r.scheduled_time for r in rows] == [0, 0]


def test_a_single_rest_day_punch_leaves_nothing_missing():
    rule = fixed_rule(allow_checkin_offworkday=True)

    rows = _day_rows(SATURDAY, [punch(at(2026, 11, 21, 10))], rule)

    assert summary(rows) == [("上班打卡", "", at(2026, 11, 21, 10))]


def test_a_rest_day_without_punches_has_no_rows_even_when_punching_is_allowed():
    rule = fixed_rule(allow_checkin_offworkday=True)

    assert _day_rows(SATURDAY, rule=rule) == []


def test_punches_on_a_holiday_become_rows_when_rest_day_punching_is_allowed():
    rule = fixed_rule(sync_holidays=True, allow_checkin_offworkday=True)
    punches = [punch(at(2026, 11, 19, 10)), punch(at(2026, 11, 19, 15))]

    rows = _day_rows(THURSDAY, punches, rule, holidays={THURSDAY: HOLIDAY})

    assert [(r.checkin_type.value, r.scheduled_time) for r in rows] == [
        ("上班打卡", 0),
        ("下班打卡", 0),
    ]


def test_record_only_rest_day_punches_are_each_a_record_row():
    rule = fixed_rule(allow_checkin_offworkday=True, checkin_method_type=2)
    punches = [punch(at(2026, 11, 21, h)) for h in (10, 12, 15)]

    rows = _day_rows(SATURDAY, punches, rule)

    assert summary(rows) == [
        ("仅记录打卡时间和位置", "", at(2026, 11, 21, h)) for h in (10, 12, 15)
    ]


def test_rest_day_punches_yield_nothing_when_punching_on_rest_days_is_not_allowed():
    rule = fixed_rule(allow_checkin_offworkday=False)
    punches = [punch(at(2026, 11, 21, h)) for h in (10, 12, 15)]

    assert _day_rows(SATURDAY, punches, rule) == []


# 大小周


BIWEEKLY = {
    "enable_weekday_recurrence": True,
    "odd_workdays": [1, 2, 3, 4, 5, 6],
    "even_workdays": [1, 2, 3, 4, 5],
}


def test_an_odd_iso_week_uses_odd_workdays():
    rule = fixed_rule(checkindate_extra={"biweekly": BIWEEKLY})

    rows = _day_rows(SATURDAY, rule=rule)

    assert _times(rows) == [("上班打卡", at(2026, 11, 21, 9)), ("下班打卡", at(2026, 11, 21, 18))]


def test_an_even_iso_week_uses_even_workdays():
    rule = fixed_rule(checkindate_extra={"biweekly": BIWEEKLY})

    assert _day_rows(EVEN_SATURDAY, _saturday_punches(EVEN_SATURDAY), rule) == []


def test_week_parity_replaces_the_plain_workdays():
    rule = fixed_rule(checkindate_extra={"biweekly": {**BIWEEKLY, "even_workdays": [1, 2, 3]}})
    even_thursday = date(2026, 11, 12)  # ISO week 46

    assert _day_rows(even_thursday, rule=rule) == []
    assert len(_day_rows(THURSDAY, rule=rule)) == 2
