"""Classification under a free rule (自由上下班, grouptype 3).

A workday has no slots: the first punch is the 上班, the last the 下班, and both carry
sch_checkin_time 0. ``span_day_time`` moves the day boundary.
"""

from __future__ import annotations

from datetime import date

from daka.domain.days import HolidayFacts
from tests.domain.helpers import evaluate, punch, summary
from tests.domain.rule_factories import HOUR, free_rule, rows_on, special_day
from tests.factories import at

MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)
SATURDAY = date(2026, 11, 21)
AFTER = at(2026, 11, 18, 12)  # Monday's and Tuesday's days have closed

RULE = free_rule()
SHIFTED = free_rule(span_day_time=4 * HOUR)  # the day runs 04:00 → 04:00 the next day


def _rows(punches, rule=RULE, now=AFTER, day=MONDAY, **kwargs):
    return list(evaluate(punches, day, now, rule, **kwargs)[0].rows)


def test_the_first_punch_is_on_duty_and_the_last_is_off_duty():
    punches = [punch(at(2026, 11, 16, h, m)) for h, m in [(9, 12), (12, 30), (18, 47)]]

    rows = _rows(punches)

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 16, 9, 12)),
        ("下班打卡", "", at(2026, 11, 16, 18, 47)),
    ]


def test_punches_between_the_first_and_the_last_are_passed_over():
    punches = [punch(at(2026, 11, 16, h, m)) for h, m in [(9, 12), (12, 30), (18, 47)]]

    result = evaluate(punches, MONDAY, AFTER, RULE)[0]

    assert [p.time for p in result.passed_over] == [at(2026, 11, 16, 12, 30)]


def test_free_rule_rows_have_no_scheduled_time():
    rows = _rows([punch(at(2026, 11, 16, 9, 12)), punch(at(2026, 11, 16, 18, 47))])

    assert [r.scheduled_time for r in rows] == [0, 0]


def test_a_workday_without_punches_is_missing_at_both_ends_of_the_day_once_closed():
    rows = _rows([])

    assert summary(rows) == [
        ("上班打卡", "未打卡", at(2026, 11, 16)),
        ("下班打卡", "未打卡", at(2026, 11, 16, 23, 59, 59)),
    ]
    assert [r.scheduled_time for r in rows] == [0, 0]


def test_missing_rows_follow_span_day_time():
    rows = _rows([], SHIFTED)

    assert summary(rows) == [
        ("上班打卡", "未打卡", at(2026, 11, 16, 4)),
        ("下班打卡", "未打卡", at(2026, 11, 17, 3, 59, 59)),
    ]


def test_nothing_is_missing_while_the_day_is_still_open():
    evening = at(2026, 11, 16, 20)

    assert _rows([], now=evening) == []


def test_a_single_punch_is_on_duty_and_the_off_duty_is_missing_once_the_day_closed():
    rows = _rows([punch(at(2026, 11, 16, 9, 12))])

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 16, 9, 12)),
        ("下班打卡", "未打卡", at(2026, 11, 16, 23, 59, 59)),
    ]


def test_a_punch_before_span_day_time_belongs_to_the_previous_day():
    punches = [punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 17, 2))]

    results = evaluate(punches, MONDAY, AFTER, SHIFTED, days_after=1)

    assert summary(rows_on(results, MONDAY)) == [
        ("上班打卡", "", at(2026, 11, 16, 9)),
        ("下班打卡", "", at(2026, 11, 17, 2)),
    ]
    assert all(r.punch is None for r in rows_on(results, TUESDAY))


def test_a_punch_at_span_day_time_starts_the_new_day():
    punches = [punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 17, 4))]

    results = evaluate(punches, MONDAY, AFTER, SHIFTED, days_after=1)

    assert summary(rows_on(results, TUESDAY))[0] == ("上班打卡", "", at(2026, 11, 17, 4))


def test_a_later_punch_within_offwork_interval_time_is_not_off_duty():
    rule = free_rule(offwork_interval_time=HOUR)

    rows = _rows([punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 16, 9, 59))], rule)

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 16, 9)),
        ("下班打卡", "未打卡", at(2026, 11, 16, 23, 59, 59)),
    ]


def test_a_later_punch_offwork_interval_time_after_the_on_duty_is_off_duty():
    rule = free_rule(offwork_interval_time=HOUR)

    rows = _rows([punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 16, 10))], rule)

    assert summary(rows)[1] == ("下班打卡", "", at(2026, 11, 16, 10))


def test_leaving_before_standard_work_duration_is_a_time_exception():
    rule = free_rule(standard_work_duration=8 * HOUR)

    rows = _rows([punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 16, 16, 59))], rule)

    assert summary(rows)[1] == ("下班打卡", "时间异常", at(2026, 11, 16, 16, 59))


def test_working_the_standard_duration_is_normal():
    rule = free_rule(standard_work_duration=8 * HOUR)

    rows = _rows([punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 16, 17))], rule)

    assert summary(rows)[1] == ("下班打卡", "", at(2026, 11, 16, 17))


def test_standard_work_duration_minus_one_sets_no_minimum():
    rule = free_rule(standard_work_duration=-1)

    rows = _rows([punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 16, 9, 30))], rule)

    assert summary(rows)[1] == ("下班打卡", "", at(2026, 11, 16, 9, 30))


def test_rest_days_yield_no_rows_even_with_punches():
    punches = [punch(at(2026, 11, 21, 10)), punch(at(2026, 11, 21, 16))]

    assert _rows(punches, day=SATURDAY, now=at(2026, 11, 23)) == []


def test_a_statutory_holiday_is_a_rest_day_for_a_free_rule():
    punches = [punch(at(2026, 11, 16, 10)), punch(at(2026, 11, 16, 16))]

    rows = _rows(punches, holidays={MONDAY: HolidayFacts(holiday=True)})

    assert rows == []


def test_a_make_up_saturday_is_a_free_workday():
    punches = [punch(at(2026, 11, 21, 10)), punch(at(2026, 11, 21, 16))]

    rows = _rows(
        punches,
        day=SATURDAY,
        now=at(2026, 11, 23),
        holidays={SATURDAY: HolidayFacts(makeup_workday=True)},
    )

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 21, 10)),
        ("下班打卡", "", at(2026, 11, 21, 16)),
    ]


def test_a_special_workday_saturday_is_a_free_workday():
    rule = free_rule(spe_workdays=[special_day(SATURDAY, "加班")])

    rows = _rows([], rule, day=SATURDAY, now=at(2026, 11, 23))

    assert [(r.checkin_type.value, ";".join(r.anomalies)) for r in rows] == [
        ("上班打卡", "未打卡"),
        ("下班打卡", "未打卡"),
    ]


def test_record_only_punching_makes_every_punch_a_record_row():
    rule = free_rule(checkin_method_type=2)
    punches = [punch(at(2026, 11, 16, h)) for h in (9, 12, 18)]

    rows = _rows(punches, rule)

    assert summary(rows) == [("仅记录打卡时间和位置", "", at(2026, 11, 16, h)) for h in (9, 12, 18)]
    assert [r.scheduled_time for r in rows] == [0, 0, 0]


def test_record_only_punching_makes_no_missing_rows():
    rule = free_rule(checkin_method_type=2)

    assert _rows([], rule) == []
