"""非常用设备: phone punches from a device the user rarely uses.

A device is usual on day D when used on at least 3 distinct days of the 30 days before D; a
punch from any other device is unusual once the user has phone punches on at least 5 days
of those 30.
"""

from __future__ import annotations

from datetime import date, timedelta

from daka.domain.devices import unusual_punch_times
from tests.domain.helpers import evaluate, punch, summary
from tests.domain.rule_factories import fixed_rule
from tests.factories import OFFICE, SHANGHAI, at

MONDAY = date(2026, 11, 16)
AFTER = at(2026, 11, 17, 12)
NOW_PUNCH = at(2026, 11, 16, 8, 55)  # the punch being judged

USUAL = "iPhone 15 (A1)"
NEW = "HUAWEI Mate 60 (B2)"


def _on(day: date, hour: int = 9) -> int:
    return at(day.year, day.month, day.day, hour)


def _days_before(*offsets: int) -> list[date]:
    return [MONDAY - timedelta(days=k) for k in offsets]


# The usual phone, on six workdays of the last two weeks: enough history to judge by.
HISTORY = [(_on(d), USUAL) for d in _days_before(3, 4, 5, 6, 7, 10)]


def _unusual(*punches: tuple[int, str]) -> frozenset[int]:
    return unusual_punch_times(list(punches), SHANGHAI)


def test_a_never_seen_device_is_unusual_once_there_is_enough_history():
    assert NOW_PUNCH in _unusual(*HISTORY, (NOW_PUNCH, NEW))


def test_the_device_used_every_day_is_usual():
    assert NOW_PUNCH not in _unusual(*HISTORY, (NOW_PUNCH, USUAL))


def test_a_device_used_on_two_days_is_unusual():
    earlier = [(_on(d, 18), NEW) for d in _days_before(3, 4)]

    assert NOW_PUNCH in _unusual(*HISTORY, *earlier, (NOW_PUNCH, NEW))


def test_a_device_used_on_three_days_is_usual():
    earlier = [(_on(d, 18), NEW) for d in _days_before(3, 4, 5)]

    assert NOW_PUNCH not in _unusual(*HISTORY, *earlier, (NOW_PUNCH, NEW))


def test_several_punches_on_one_day_count_as_one_day_of_use():
    earlier = [(_on(MONDAY - timedelta(days=3), h), NEW) for h in (9, 12, 18)]

    assert NOW_PUNCH in _unusual(*HISTORY, *earlier, (NOW_PUNCH, NEW))


def test_with_fewer_than_five_days_of_history_nothing_is_unusual():
    short = [(_on(d), USUAL) for d in _days_before(3, 4, 5, 6)]

    assert _unusual(*short, (NOW_PUNCH, NEW)) == frozenset()


def test_five_days_of_history_are_enough_to_judge():
    five = [(_on(d), USUAL) for d in _days_before(3, 4, 5, 6, 7)]

    assert NOW_PUNCH in _unusual(*five, (NOW_PUNCH, NEW))


def test_use_more_than_thirty_days_ago_does_not_make_a_device_usual():
    old = [(_on(d), NEW) for d in _days_before(31, 32, 33)]

    assert NOW_PUNCH in _unusual(*HISTORY, *old, (NOW_PUNCH, NEW))


def test_use_thirty_days_ago_still_counts():
    old = [(_on(d), NEW) for d in _days_before(30, 32, 33)]
    recent = [(_on(d, 18), NEW) for d in _days_before(3, 4)]

    assert NOW_PUNCH not in _unusual(*HISTORY, *old, *recent, (NOW_PUNCH, NEW))


def test_history_older_than_thirty_days_is_not_enough_history():
    old = [(_on(d), USUAL) for d in _days_before(31, 32, 33, 34, 35, 36)]

    assert NOW_PUNCH not in _unusual(*old, (NOW_PUNCH, NEW))


def test_a_new_phone_is_unusual_on_its_first_three_days_and_usual_from_the_fourth():
    days = [MONDAY + timedelta(days=k) for k in range(4)]
    new_phone = [(_on(d), NEW) for d in days]

    unusual = _unusual(*HISTORY, *new_phone)

    assert [t in unusual for t, _ in new_phone] == [True, True, True, False]


def test_earlier_use_on_the_same_day_does_not_make_a_device_usual():
    same_day = [(at(2026, 11, 16, h), NEW) for h in (7, 8)]

    assert NOW_PUNCH in _unusual(*HISTORY, *same_day, (NOW_PUNCH, NEW))


# At evaluation: the taken punch carries 非常用设备


def _rows(times, unusual):
    return list(
        evaluate([punch(t) for t in times], MONDAY, AFTER, unusual=frozenset(unusual))[0].rows
    )


def test_a_taken_punch_from_an_unusual_device_is_marked():
    rows = _rows([NOW_PUNCH, at(2026, 11, 16, 18, 5)], unusual={NOW_PUNCH})

    assert summary(rows) == [
        ("上班打卡", "非常用设备", NOW_PUNCH),
        ("下班打卡", "", at(2026, 11, 16, 18, 5)),
    ]


def test_the_unusual_device_mark_follows_a_time_exception():
    late = at(2026, 11, 16, 9, 20)

    rows = _rows([late], unusual={late})

    assert summary(rows)[0] == ("上班打卡", "时间异常;非常用设备", late)


def test_an_unusual_punch_that_is_passed_over_marks_no_row():
    second = at(2026, 11, 16, 8, 58)

    rows = _rows([NOW_PUNCH, second, at(2026, 11, 16, 18, 5)], unusual={second})

    assert [r[1] for r in summary(rows)] == ["", ""]


def test_a_missing_row_is_never_marked_unusual():
    rows = _rows([NOW_PUNCH], unusual={NOW_PUNCH})

    assert summary(rows)[1] == ("下班打卡", "未打卡", at(2026, 11, 16, 18))


def test_an_outside_work_punch_from_an_unusual_device_is_marked():
    rule = fixed_rule(option_out_range=1)  # out-of-range punches are normal 外出打卡
    away = at(2026, 11, 16, 10)
    punches = [
        punch(NOW_PUNCH),
        punch(away, lat=OFFICE[0] + 10_000, lng=OFFICE[1]),
        punch(at(2026, 11, 16, 18, 5)),
    ]

    rows = list(evaluate(punches, MONDAY, AFTER, rule, unusual=frozenset({away}))[0].rows)

    assert summary(rows)[1] == ("外出打卡", "非常用设备", away)
