"""Invariants of evaluation, checked on random punches (hypothesis)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from daka.domain.evaluation import Anomaly
from tests.domain.helpers import evaluate, punch, rule_of
from tests.factories import OFFICE, at, make_slot

MONDAY = date(2026, 11, 16)
WEEK_START = at(2026, 11, 15)  # Sunday 00:00, one context day before Monday
WEEK_END = at(2026, 11, 22)
LATER = at(2026, 11, 25)  # every window of the week has closed

SPLIT = rule_of(slots=[make_slot("09:00", "12:00", 1), make_slot("13:30", "18:00", 2)])
PLAIN = rule_of()

punch_times = st.lists(
    st.integers(min_value=WEEK_START, max_value=WEEK_END), max_size=40, unique=True
)
places = st.sampled_from(
    [
        {},
        {"lat": OFFICE[0], "lng": OFFICE[1]},
        {"lat": OFFICE[0] + 20_000, "lng": OFFICE[1]},
        {"wifiname": "x", "wifimac": "aa:bb:cc:dd:ee:ff"},
    ]
)
rules = st.sampled_from([PLAIN, SPLIT])


def _rows(times, extras, rule, now=LATER):
    punches = [punch(t, **extras[i % len(extras)]) for i, t in enumerate(times)]
    return [r for d in evaluate(punches, MONDAY, now, rule, days_after=4) for r in d.rows]


@given(punch_times, st.lists(places, min_size=1, max_size=4), rules, st.randoms())
def test_rows_do_not_depend_on_the_order_punches_arrive_in(times, extras, rule, rnd):
    shuffled = list(times)
    rnd.shuffle(shuffled)
    order = {t: extras[i % len(extras)] for i, t in enumerate(times)}

    a = _rows(times, [order[t] for t in times] or [{}], rule)
    b = _rows(shuffled, [order[t] for t in shuffled] or [{}], rule)

    assert a == b


@given(punch_times, rules)
def test_once_windows_close_every_slot_point_has_exactly_one_row(times, rule):
    rows = _rows(times, [{}], rule)

    points = Counter((r.day, r.timeline_id, r.checkin_type) for r in rows)
    slots_per_day = 2 if rule is SPLIT else 1
    assert len(points) == 5 * slots_per_day * 2  # Mon–Fri, on and off
    assert set(points.values()) == {1}


@given(punch_times, punch_times, rules)
def test_adding_punches_never_creates_a_missing_row(times, more, rule):
    before = sum(Anomaly.MISSING in r.anomalies for r in _rows(times, [{}], rule))
    after = sum(
        Anomaly.MISSING in r.anomalies for r in _rows(sorted(set(times) | set(more)), [{}], rule)
    )

    assert after <= before


@given(punch_times, rules)
def test_every_taken_punch_is_one_of_the_users_punches_and_taken_once(times, rule):
    rows = _rows(times, [{}], rule)

    taken = [r.punch.time for r in rows if r.punch is not None]
    assert len(taken) == len(set(taken))
    assert set(taken) <= set(times)


@given(punch_times, rules, st.integers(min_value=WEEK_START, max_value=LATER))
def test_no_missing_row_exists_before_its_scheduled_time(times, rule, now):
    rows = _rows(times, [{}], rule, now=now)

    assert all(r.scheduled_time <= now for r in rows if Anomaly.MISSING in r.anomalies)


@given(
    punch_times,
    st.lists(places, min_size=1, max_size=4),
    rules,
    st.integers(min_value=WEEK_START, max_value=LATER),
)
def test_the_lean_row_path_agrees_with_the_full_per_day_evaluation(times, extras, rule, now):
    from datetime import timedelta

    from daka.domain.evaluation import classify_punches, evaluate_user, slot_instances
    from tests.domain.helpers import workdays

    punches = [punch(t, **extras[i % len(extras)]) for i, t in enumerate(times)]
    days = workdays(rule, MONDAY - timedelta(days=1), MONDAY + timedelta(days=5))

    full = [r for d in evaluate_user("zhangsan", days, punches, now) for r in d.rows]
    lean = classify_punches("zhangsan", slot_instances(days), punches, now)

    assert lean == full
