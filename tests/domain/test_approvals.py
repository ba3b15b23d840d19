"""Approvals as values: their flow, their states, the time they cover and its per-day split."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.domain import approvals as ap
from daka.domain.approvals import (
    Action,
    Approval,
    ApvRel,
    DayPlan,
    Node,
    NodeType,
    RangeType,
    RecordType,
    SpStatus,
    Step,
)
from daka.domain.errors import ApprovalStateInvalid, ApproverNotAllowed
from daka.domain.evaluation import uncovered
from daka.domain.vacations import DurationType, TimeAttr, Vacation

DAY = 86_400
HALF = 43_200
MONDAY = 1_795_363_200  # 2026-11-23 00:00 +08:00


def node(rel: ApvRel, *users: str, kind: NodeType = NodeType.APPROVER) -> Node:
    return Node(kind, rel, tuple(Step(u) for u in users))


def pending(*nodes: Node) -> Approval:
    return Approval(
        sp_no="202611230001",
        template_id="tpl",
        sp_name="出差",
        creator="zhangsan",
        department=2,
        apply_time=MONDAY,
        status=SpStatus.PENDING,
        nodes=nodes,
    )


def week(first_rest: int = 5) -> list[DayPlan]:
    """Monday to Sunday with 09:00–18:00 work on the weekdays."""
    return [
        DayPlan(
            MONDAY + k * DAY,
            workday=k < first_rest,
            segments=((MONDAY + k * DAY + 9 * 3600, MONDAY + k * DAY + 18 * 3600),)
            if k < first_rest
            else (),
        )
        for k in range(7)
    ]


# -- flows ------------------------------------------------------------------------------


def test_one_agreement_decides_an_or_node_and_the_form_is_approved():
    approval = pending(node(ApvRel.ANY, "lisi", "wangwu"))

    done = ap.approve(approval, "wangwu", MONDAY + 60, "同意")

    assert done.status is SpStatus.APPROVED
    assert done.counts
    assert done.history[-1].action is Action.APPROVE


def test_a_countersigned_node_waits_for_everyone():
    approval = pending(node(ApvRel.ALL, "lisi", "wangwu"))

    half = ap.approve(approval, "lisi", MONDAY + 60)

    assert half.status is SpStatus.PENDING
    assert half.waiting_for() == ("wangwu",)
    assert ap.approve(half, "wangwu", MONDAY + 120).status is SpStatus.APPROVED


def test_sequential_approvers_act_in_their_order():
    approval = pending(node(ApvRel.SEQUENTIAL, "lisi", "wangwu"))

    with pytest.raises(ApproverNotAllowed):
        ap.approve(approval, "wangwu", MONDAY)
    assert ap.approve(approval, "lisi", MONDAY).waiting_for() == ("wangwu",)


def test_the_second_node_waits_until_the_first_has_agreed():
    approval = pending(node(ApvRel.ANY, "lisi"), node(ApvRel.ANY, "wangwu"))

    with pytest.raises(ApproverNotAllowed):
        ap.approve(approval, "wangwu", MONDAY)
    first = ap.approve(approval, "lisi", MONDAY)
    assert first.status is SpStatus.PENDING
    assert ap.approve(first, "wangwu", MONDAY).status is SpStatus.APPROVED


def test_a_rejection_ends_the_form_and_nobody_can_act_on_it_after():
    rejected = ap.reject(pending(node(ApvRel.ALL, "lisi", "wangwu")), "lisi", MONDAY, "不行")

    assert rejected.status is SpStatus.REJECTED
    with pytest.raises(ApprovalStateInvalid):
        ap.approve(rejected, "wangwu", MONDAY)


def test_notify_nodes_never_hold_a_form_up():
    approval = pending(node(ApvRel.ANY, "lisi"), node(ApvRel.ANY, "wangwu", kind=NodeType.NOTIFY))

    assert ap.approve(approval, "lisi", MONDAY).status is SpStatus.APPROVED


def test_revoking_a_pending_form_is_已撤销_and_an_approved_one_通过后撤销():
    approval = pending(node(ApvRel.ANY, "lisi"))

    assert ap.revoke(approval, "zhangsan", MONDAY).status is SpStatus.REVOKED
    approved = ap.approve(approval, "lisi", MONDAY)
    revoked = ap.revoke(approved, "zhangsan", MONDAY)
    assert revoked.status is SpStatus.REVOKED_AFTER_APPROVAL
    assert not revoked.counts
    with pytest.raises(ApprovalStateInvalid):
        ap.revoke(revoked, "zhangsan", MONDAY)


def test_a_deleted_form_cannot_be_deleted_again():
    deleted = ap.delete(pending(node(ApvRel.ANY, "lisi")), "zhangsan", MONDAY)

    assert deleted.status is SpStatus.DELETED
    with pytest.raises(ApprovalStateInvalid):
        ap.delete(deleted, "zhangsan", MONDAY)


# -- spans and the per-day split ----------------------------------------------------------


def test_a_halfday_range_ends_with_its_last_half_inclusive():
    days = week()[:2]

    assert ap.span_of(RangeType.HALFDAY, MONDAY, MONDAY + DAY, days) == (
        MONDAY,
        MONDAY + DAY + HALF,
    )
    assert ap.span_of(RangeType.HALFDAY, MONDAY, MONDAY + DAY + HALF, days) == (
        MONDAY,
        MONDAY + 2 * DAY,
    )


def test_a_trip_from_monday_morning_to_tuesday_afternoon_is_two_days():
    days = week()[:2]
    start, stop = ap.span_of(RangeType.HALFDAY, MONDAY, MONDAY + DAY + HALF, days)

    slices = ap.split_days(RecordType.TRIP, RangeType.HALFDAY, start, stop, days)

    assert [(s.daytime, s.duration) for s in slices] == [(MONDAY, DAY), (MONDAY + DAY, DAY)]


def test_a_working_days_leave_over_a_weekend_skips_saturday_and_sunday():
    annual = Vacation(1, "年假", duration_type=DurationType.WORKING)
    days = week()

    slices = ap.split_days(RecordType.LEAVE, RangeType.DAY, MONDAY, MONDAY + 7 * DAY, days, annual)

    assert len(slices) == 5
    assert sum(s.duration for s in slices) == 5 * DAY


def test_a_natural_days_leave_counts_the_weekend_too():
    marriage = Vacation(5, "婚假", duration_type=DurationType.NATURAL)

    slices = ap.split_days(
        RecordType.LEAVE, RangeType.DAY, MONDAY, MONDAY + 7 * DAY, week(), marriage
    )

    assert sum(s.duration for s in slices) == 7 * DAY


def test_an_hour_leave_counts_only_scheduled_work_rounded_up_to_a_tenth_of_an_hour():
    personal = Vacation(2, "事假", time_attr=TimeAttr.HOURS)
    start, stop = MONDAY + 17 * 3600 + 59 * 60, MONDAY + 20 * 3600

    slices = ap.split_days(RecordType.LEAVE, RangeType.HOUR, start, stop, week()[:1], personal)

    assert [s.duration for s in slices] == [360]  # one minute of work is 0.1 h


def test_a_day_based_leave_taken_by_the_hour_counts_hours_as_tenths_of_a_day():
    annual = Vacation(1, "年假", perday_duration=8 * 3600)
    start, stop = MONDAY + 9 * 3600, MONDAY + 13 * 3600

    slices = ap.split_days(RecordType.LEAVE, RangeType.HOUR, start, stop, week()[:1], annual)

    assert [s.duration for s in slices] == [HALF]


day_counts = st.integers(min_value=1, max_value=7)


@given(
    kind=st.sampled_from([RecordType.LEAVE, RecordType.TRIP, RecordType.OUTING]),
    first=st.integers(0, 6),
    halves=st.integers(1, 8),
    duration_type=st.sampled_from(list(DurationType)),
    time_attr=st.sampled_from(list(TimeAttr)),
)
def test_halfday_slices_lie_in_the_range_and_move_in_whole_grains(
    kind, first, halves, duration_type, time_attr
):
    days = week() + [DayPlan(MONDAY + k * DAY) for k in range(7, 12)]
    begin = MONDAY + first * HALF
    end = begin + (halves - 1) * HALF
    covered = [d for d in days if d.start <= end and d.stop > begin]
    vacation = Vacation(1, "假", time_attr=time_attr, duration_type=duration_type)
    start, stop = ap.span_of(RangeType.HALFDAY, begin, end, covered)

    slices = ap.split_days(kind, RangeType.HALFDAY, start, stop, covered, vacation)

    assert stop - start == halves * HALF
    assert all(start - DAY < s.daytime < stop for s in slices)
    assert all(s.duration % vacation.grain == 0 and s.duration > 0 for s in slices)
    if kind is not RecordType.LEAVE or time_attr is TimeAttr.DAYS:
        skipped = kind is RecordType.LEAVE and duration_type is DurationType.WORKING
        counted = sum(
            (d.workday or not skipped)
            * (
                (begin < d.start + HALF and stop > d.start)
                + (stop > d.start + HALF and begin < d.stop)
            )
            for d in covered
        )
        assert sum(s.duration for s in slices) == counted * HALF


@given(
    start=st.integers(0, 7 * DAY - 1),
    length=st.integers(1, 3 * DAY),
    kind=st.sampled_from([RecordType.LEAVE, RecordType.OUTING, RecordType.OVERTIME]),
)
def test_hour_slices_never_count_less_than_the_time_they_stand_for(start, length, kind):
    days = week() + [DayPlan(MONDAY + k * DAY) for k in range(7, 11)]
    lo, hi = MONDAY + start, MONDAY + start + length
    hourly = Vacation(2, "事假", time_attr=TimeAttr.HOURS, duration_type=DurationType.NATURAL)

    slices = ap.split_days(kind, RangeType.HOUR, lo, hi, days, hourly)

    for s in slices:
        day = next(d for d in days if d.start == s.daytime)
        wall = max(0, min(hi, day.stop) - max(lo, day.start))
        assert s.duration % 360 == 0
        assert s.duration < wall + 360
        if kind is not RecordType.LEAVE:
            assert s.duration >= wall


# -- what approvals excuse ----------------------------------------------------------------


spans = st.lists(
    st.tuples(st.integers(0, 1000), st.integers(1, 300)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=6,
)


@given(spans, st.integers(0, 1000), st.integers(1, 500))
def test_what_is_left_uncovered_is_the_first_and_last_free_instant(raw, lo, length):
    merged = ap.excused_spans(
        [
            Approval(
                sp_no=str(i),
                template_id="t",
                sp_name="请假",
                creator="u",
                department=1,
                apply_time=0,
                status=SpStatus.APPROVED,
                nodes=(),
                time_off=ap.TimeOff(
                    RecordType.LEAVE, RangeType.HOUR, a, b, a, b, (ap.DaySlice(0, 360),)
                ),
            )
            for i, (a, b) in enumerate(raw)
        ]
    )
    hi = lo + length
    free = [t for t in range(lo, hi) if not any(a <= t < b for a, b in merged)]

    left = uncovered(merged, lo, hi)

    assert left == ((free[0], free[-1] + 1) if free else None)


def test_only_approved_leave_trips_and_outings_excuse_time():
    def form(kind: RecordType, status: SpStatus) -> Approval:
        off = ap.TimeOff(kind, RangeType.HOUR, 10, 20, 10, 20, (ap.DaySlice(0, 360),))
        return Approval("1", "t", "n", "u", 1, 0, status, (), time_off=off)

    assert ap.excused_spans([form(RecordType.OVERTIME, SpStatus.APPROVED)]) == ()
    assert ap.excused_spans([form(RecordType.TRIP, SpStatus.PENDING)]) == ()
    assert ap.excused_spans([form(RecordType.TRIP, SpStatus.REVOKED_AFTER_APPROVAL)]) == ()
    assert ap.excused_spans([form(RecordType.OUTING, SpStatus.APPROVED)]) == ((10, 20),)
