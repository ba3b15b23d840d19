"""Trends over day reports: attendance per day, lateness per group, overtime per week."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from daka.domain.overtime import OvertimeDay
from daka.domain.reports import (
    DayReport,
    DaySummary,
    ExceptionCount,
    ExceptionKind,
    ReportRecordType,
    SpItem,
    SpKind,
    TimeType,
)
from daka.domain.trends import attendance_by_day, late_by_group, overtime_by_week, week_of

MONDAY = date(2026, 8, 3)


def report(
    userid: str,
    day: date,
    *,
    punches: int = 2,
    rest: bool = False,
    late_sec: int = 0,
    overtime: int = 0,
    leave: bool = False,
) -> DayReport:
    return DayReport(
        userid,
        day,
        0,
        ReportRecordType(1),
        rule_id=1,
        rest_day=rest,
        summary=DaySummary(checkin_count=punches),
        exceptions=(ExceptionCount(ExceptionKind.LATE, 1, late_sec),) if late_sec else (),
        overtime=OvertimeDay(duration=overtime),
        sp_items=(SpItem(SpKind.LEAVE, 1, 1, 86_400, TimeType.DAYS, "年假"),) if leave else (),
    )


def test_a_person_on_leave_all_day_is_not_due_and_a_rest_day_counts_nobody() -> None:
    days = attendance_by_day(
        [
            report("a", MONDAY),
            report("b", MONDAY, punches=0),
            report("c", MONDAY, punches=0, leave=True),
            report("a", MONDAY + timedelta(days=5), rest=True, punches=0),
        ]
    )
    assert [(d.day, d.due, d.attended) for d in days] == [
        (MONDAY, 2, 1),
        (MONDAY + timedelta(days=5), 0, 0),
    ]
    assert days[0].rate == 0.5 and days[1].rate == 0.0


def test_lateness_adds_up_per_group_and_overtime_per_week() -> None:
    reports = [
        report("a", MONDAY, late_sec=600, overtime=3600),
        report("b", MONDAY, late_sec=300),
        report("c", MONDAY + timedelta(days=7), overtime=1800),
    ]
    groups = {"a": "R&D", "b": "R&D", "c": "Sales"}
    assert late_by_group(reports, groups.__getitem__) == {"R&D": (2, 900), "Sales": (0, 0)}
    assert overtime_by_week(reports) == {MONDAY: 3600, MONDAY + timedelta(days=7): 1800}


people = st.lists(
    st.tuples(
        st.sampled_from("abcdef"),
        st.integers(min_value=0, max_value=13),
        st.integers(min_value=0, max_value=4),
        st.booleans(),
        st.booleans(),
    ),
    max_size=40,
)


@given(people)
def test_nobody_attends_who_was_not_due_and_every_day_is_listed_once(rows: list) -> None:
    reports = [
        report(u, MONDAY + timedelta(days=d), punches=n, rest=rest, leave=leave)
        for u, d, n, rest, leave in rows
    ]
    days = attendance_by_day(reports)
    assert [d.day for d in days] == sorted({r.date for r in reports})
    for d in days:
        assert 0 <= d.attended <= d.due
    assert all(week_of(w).weekday() == 0 for w in overtime_by_week(reports))
