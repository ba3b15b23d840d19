"""Punch windows: each contains its scheduled time, none overlaps another instance's, and no
point is 未打卡 while its window is still open.

The examples pin the evening bug down (a 00:00–23:59 day whose off-duty window closed at
21:00); the properties check the same rules on generated plans (hypothesis).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from daka.domain.days import WorkDay
from daka.domain.evaluation import (
    Anomaly,
    CheckinType,
    InstanceMode,
    SlotInstance,
    classify_punches,
    evaluate_user,
    slot_instances,
)
from daka.domain.punches import Punch
from daka.domain.rules import DAY, MINUTE, Rule, RuleKind, Slot, WorkdayPlan
from tests.domain.helpers import punch, rows_of, rule_of, summary
from tests.factories import at, make_slot, midnight

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
ROUND_THE_CLOCK = rule_of(slots=[make_slot("00:00", "23:59")], workdays=EVERY_DAY)
THURSDAY = date(2026, 12, 3)


def test_a_0000_to_2359_day_keeps_its_off_duty_window_open_past_2359():
    (inst,) = [i for i in slot_instances(_days(ROUND_THE_CLOCK, THURSDAY)) if i.day == THURSDAY]

    assert inst.off_open <= at(2026, 12, 3, 23, 59) < inst.off_close
    # The next day's 00:00 on-duty point takes over half-way between 23:59 and 00:00.
    assert inst.off_close == at(2026, 12, 3, 23, 59, 30)


def test_a_0000_to_2359_day_shows_no_missing_off_duty_row_in_the_evening():
    rows = rows_of(
        [punch(at(2026, 12, 3, 0, 0, 10))],
        THURSDAY,
        now=at(2026, 12, 3, 21, 30),
        rule=ROUND_THE_CLOCK,
    )

    assert summary(rows) == [("上班打卡", "", at(2026, 12, 3, 0, 0, 10))]


def test_a_0000_to_2359_day_takes_a_2137_punch_as_its_off_duty_punch():
    punches = [punch(at(2026, 12, 3, 0, 0, 10)), punch(at(2026, 12, 3, 21, 37))]

    rows = rows_of(punches, THURSDAY, now=at(2026, 12, 4, 12), rule=ROUND_THE_CLOCK)

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 12, 3, 0, 0, 10)),
        ("下班打卡", "时间异常", at(2026, 12, 3, 21, 37)),
    ]


def test_a_0000_to_2359_day_is_missing_its_off_duty_punch_only_once_the_window_closed():
    punches = [punch(at(2026, 12, 3, 0, 0, 10))]
    before = rows_of(punches, THURSDAY, now=at(2026, 12, 3, 23, 59, 29), rule=ROUND_THE_CLOCK)
    after = rows_of(punches, THURSDAY, now=at(2026, 12, 3, 23, 59, 30), rule=ROUND_THE_CLOCK)

    assert [r.checkin_type for r in before] == [CheckinType.ON_DUTY]
    assert summary(after)[1] == ("下班打卡", "未打卡", at(2026, 12, 3, 23, 59))


def test_back_to_back_slots_give_the_shared_instant_to_the_later_slot():
    rule = rule_of(slots=[make_slot("09:00", "12:00", 1), make_slot("12:00", "18:00", 2)])
    morning, afternoon = [i for i in slot_instances(_days(rule, THURSDAY)) if i.day == THURSDAY]

    assert morning.off_close == afternoon.on_open == at(2026, 12, 3, 12, 0)


def test_a_shift_running_past_the_next_days_start_keeps_its_windows_to_its_end():
    rule = Rule(id=1, name="overlapping", kind=RuleKind.SHIFTS)
    long_night = WorkdayPlan(weekdays=frozenset(), slots=(Slot(1, 20 * 3600, 34 * 3600),))
    early = WorkdayPlan(weekdays=frozenset(), slots=(Slot(1, 7 * 3600, 9 * 3600),))
    days = [
        WorkDay(THURSDAY, midnight(THURSDAY), rule, plan=long_night, rest=False),
        WorkDay(
            THURSDAY + timedelta(days=1), midnight(THURSDAY) + DAY, rule, plan=early, rest=False
        ),
    ]

    night, morning = slot_instances(days)

    # 10:00 on Friday, past Friday's 07:00–09:00: that slot's windows open only then, so its
    # on-duty window is empty and its off-duty window starts at 10:00.
    assert night.off_close == night.scheduled_off
    assert _windows(morning) == [(night.scheduled_off, morning.off_close)]


def _days(rule: Rule, day: date) -> list[WorkDay]:
    from tests.domain.helpers import workdays

    return workdays(rule, day - timedelta(days=1), day + timedelta(days=1))


# --- properties on generated plans ---------------------------------------------------------

FIRST_DAY = date(2026, 11, 16)
HOUR_MIN = 60  # minutes
mins = st.integers


@st.composite
def slots_from(draw: st.DrawFn, earliest_work_min: int) -> tuple[Slot, ...]:
    """1–3 non-overlapping slots (overnight ones too) with optional valid explicit bounds.

    ``earliest_work_min`` keeps the day clear of the previous day's last slot.
    """
    out: list[Slot] = []
    cursor = max(0, earliest_work_min)
    for k in range(draw(st.integers(1, 3))):
        if cursor > 1440:
            break
        work = draw(mins(cursor, 1440))
        # Back-to-back slots (off == next work) are valid and drawn often enough this way.
        off = work + draw(st.one_of(mins(2, 1439), mins(2, 120)))
        cursor = off if draw(st.booleans()) else off + draw(mins(0, 180))

        def bound(lo: int, hi: int) -> int | None:
            # 0 means "unset" on the wire, so an explicit bound is at least 1 minute.
            lo = max(lo, 1)
            return draw(st.none() | mins(lo, hi).map(lambda m: m * MINUTE)) if lo <= hi else None

        out.append(
            Slot(
                timeline_id=k + 1,
                work_sec=work * MINUTE,
                off_work_sec=off * MINUTE,
                earliest_work_sec=bound(work - 12 * HOUR_MIN, work),
                latest_work_sec=bound(work, work + 12 * HOUR_MIN),
                earliest_off_work_sec=bound(off - 12 * HOUR_MIN, off),
                latest_off_work_sec=bound(off, off + 12 * HOUR_MIN),
                no_need_checkon=draw(st.booleans()),
                no_need_checkoff=draw(st.booleans()),
            )
        )
    return tuple(out)


@st.composite
def plans_from(draw: st.DrawFn, earliest_work_min: int) -> WorkdayPlan:
    flex = st.integers(0, 2 * 3600)
    arrive = draw(st.booleans())
    return WorkdayPlan(
        weekdays=frozenset(range(7)),
        slots=draw(slots_from(earliest_work_min)),
        ahead_sec=draw(st.sampled_from([3 * 3600, 0]) | st.integers(0, 12 * 3600)),
        off_limit_sec=draw(st.none() | st.integers(1, 12 * 3600)),
        flex_on_sec=0 if arrive else draw(flex),
        flex_off_sec=0 if arrive else draw(flex),
        no_offwork=draw(st.booleans()),
        max_arrive_early_sec=draw(flex) if arrive else 0,
        max_arrive_late_sec=draw(flex) if arrive else 0,
        late_rules=draw(st.sampled_from([(), ((3600, 1800),)])),
    )


@st.composite
def day_sequences(draw: st.DrawFn) -> list[WorkDay]:
    """Five consecutive days, each a workday with its own plan (as fixed rules with several
    weekday plans and shift rules give) or a rest day, which the rule may let people punch on.
    Consecutive workdays' schedules do not overlap, as WeCom's day boundary guarantees.
    """
    rule = Rule(
        id=1, name="generated", kind=RuleKind.FIXED, allow_offworkday_punch=draw(st.booleans())
    )
    days: list[WorkDay] = []
    previous_off_min = -DAY
    for k in range(5):
        day = FIRST_DAY + timedelta(days=k)
        start = midnight(day)
        if draw(st.integers(0, 3)) == 0:
            days.append(WorkDay(day, start, rule))
            previous_off_min = -DAY
            continue
        plan = draw(plans_from(previous_off_min - 1440))
        days.append(WorkDay(day, start, rule, plan=plan, rest=False))
        previous_off_min = max(s.off_work_sec for s in plan.slots) // MINUTE
    return days


SPAN_START = midnight(FIRST_DAY) - DAY
SPAN_END = midnight(FIRST_DAY) + 7 * DAY
instants = st.integers(SPAN_START, SPAN_END)


def _windows(inst: SlotInstance) -> list[tuple[int, int]]:
    return [
        (a, b) for a, b in ((inst.on_open, inst.on_close), (inst.off_open, inst.off_close)) if a < b
    ]


def _slots(instances: list[SlotInstance]) -> list[SlotInstance]:
    return [i for i in instances if i.mode is InstanceMode.SLOT]


@given(day_sequences())
def test_every_plan_window_contains_its_scheduled_time(days):
    for day in days:
        for w in day.plan.windows if day.plan else ():
            assert w.on_open <= w.work < w.on_close
            assert w.off_open <= w.off < w.off_close


@given(day_sequences())
def test_every_clipped_window_contains_its_scheduled_time(days):
    slots = _slots(slot_instances(days))
    starts = {i.scheduled_on for i in slots}

    for inst in slots:
        assert inst.on_open <= inst.scheduled_on < inst.on_close
        assert inst.off_open <= inst.scheduled_off
        # Where one slot ends exactly as the next begins, that instant is the next one's.
        if inst.scheduled_off in starts:
            assert inst.off_close == inst.scheduled_off
        else:
            assert inst.scheduled_off < inst.off_close


@given(day_sequences())
def test_windows_of_different_instances_never_overlap(days):
    instances = slot_instances(days)

    for a, b in combinations(instances, 2):
        for a_open, a_close in _windows(a):
            for b_open, b_close in _windows(b):
                assert a_close <= b_open or b_close <= a_open, (a, b)


@given(day_sequences(), st.lists(instants, max_size=30, unique=True), instants)
def test_no_point_is_missing_while_its_window_is_open(days, times, now):
    punches = [Punch(userid="zhangsan", time=t) for t in times]
    instances = {(i.day, i.timeline_id): i for i in slot_instances(days)}

    rows = [r for d in evaluate_user("zhangsan", days, punches, now) for r in d.rows]

    for row in rows:
        if Anomaly.MISSING not in row.anomalies:
            continue
        inst = instances[row.day, row.timeline_id]
        close = inst.on_close if row.checkin_type is CheckinType.ON_DUTY else inst.off_close
        assert now >= close
        assert now >= row.scheduled_time


@given(day_sequences(), st.lists(instants, max_size=30, unique=True), instants)
def test_every_needed_point_whose_window_closed_has_exactly_one_row(days, times, now):
    punches = [Punch(userid="zhangsan", time=t) for t in times]
    instances = slot_instances(days)

    rows = classify_punches("zhangsan", instances, punches, now)

    for inst in _slots(instances):
        for kind, needed, close in (
            (CheckinType.ON_DUTY, inst.needs_on, inst.on_close),
            (CheckinType.OFF_DUTY, inst.needs_off, inst.off_close),
        ):
            mine = [
                r
                for r in rows
                if (r.day, r.timeline_id, r.checkin_type) == (inst.day, inst.timeline_id, kind)
            ]
            assert len(mine) <= (1 if needed else 0)
            if needed and now >= close:
                assert len(mine) == 1
