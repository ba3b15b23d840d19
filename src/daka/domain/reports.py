"""The daily and monthly reports (打卡日报 / 月报): what one user-day, and a run of days, add up to.

A day report is made from what evaluation decided about the day (its rows, instances and
punches), the approved 假勤 approvals touching it, and the rule's overtime settings. A month
report is the sum of day reports and nothing else, so the two can never disagree.

``docs/reports.md`` gives every value's definition with a worked example.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import IntEnum
from operator import attrgetter
from typing import NamedTuple

from daka.domain.approvals import Approval, RangeType, RecordType, TimeOff
from daka.domain.days import NO_HOLIDAY, HolidayFacts, WorkDay
from daka.domain.evaluation import Anomaly, CheckinType, DayResult, InstanceMode
from daka.domain.overtime import (
    ApprovedOvertime,
    DayCategory,
    OvertimeDay,
    day_category,
    overtime_day,
)
from daka.domain.punches import Punch, PunchSource
from daka.domain.rules import DAY, RuleKind
from daka.domain.vacations import DAY_UNIT, HOUR_UNIT, TimeAttr


class ReportRecordType(IntEnum):
    """``base_info.record_type``: the kind of rule behind the report."""

    FIXED = 1  # 固定上下班
    OUTING = 2  # 外出 (never in a report, WeCom says)
    SHIFTS = 3  # 按班次上下班
    FREE = 4  # 自由签到
    OVERTIME = 5  # 加班
    NO_RULE = 7  # 无规则


_RECORD_TYPES = {
    RuleKind.FIXED: ReportRecordType.FIXED,
    RuleKind.SHIFTS: ReportRecordType.SHIFTS,
    RuleKind.FREE: ReportRecordType.FREE,
}


class ExceptionKind(IntEnum):
    """``exception_infos[].exception``."""

    LATE = 1  # 迟到
    EARLY = 2  # 早退
    MISSING = 3  # 缺卡
    ABSENT = 4  # 旷工
    LOCATION = 5  # 地点异常 (and wifi异常)
    DEVICE = 6  # 设备异常 (非常用设备)


class SpKind(IntEnum):
    """``sp_items[].type``."""

    LEAVE = 1  # 请假
    CORRECTION = 2  # 补卡
    TRIP = 3  # 出差
    OUTING = 4  # 外出
    OUTSIDE_WORK = 100  # 外勤


class TimeType(IntEnum):
    """``sp_items[].time_type``: the unit ``duration`` is counted in."""

    DAYS = 0
    HOURS = 1


@dataclass(frozen=True, slots=True)
class ExceptionCount:
    """How often an exception happened, and for how long (迟到, 早退, 旷工 only)."""

    kind: ExceptionKind
    count: int
    duration: int = 0


@dataclass(frozen=True, slots=True)
class SpItem:
    """One ``sp_items`` entry: a 假勤 kind (and vacation) counted over the day or range."""

    kind: SpKind
    vacation_id: int
    count: int
    duration: int
    time_type: TimeType
    name: str

    @property
    def key(self) -> tuple[int, int]:
        return int(self.kind), self.vacation_id


# 外勤 is always listed, even at 0 (both of WeCom's examples do).
OUTSIDE_WORK_ITEM = SpItem(SpKind.OUTSIDE_WORK, 0, 0, 0, TimeType.DAYS, "外勤次数")
CORRECTION_NAME = "补卡次数"


@dataclass(frozen=True, slots=True)
class ApprovalNote:
    """A ``holiday_infos`` entry: an approval touching the day, as a title and a span."""

    sp_no: str
    title: str
    description: str


class DaySummary(NamedTuple):
    """``summary_info``. Times are seconds after the day's 00:00 (0 without punches)."""

    checkin_count: int = 0
    earliest: int = 0
    latest: int = 0
    worked_sec: int = 0  # regular_work_sec
    standard_sec: int = 0  # standard_work_sec


class DayReport(NamedTuple):
    """One user's day, as the day report gives it."""

    userid: str
    date: date
    day_start: int
    record_type: ReportRecordType
    rule_id: int = 0
    rule_name: str = ""
    schedule_id: int = 0
    schedule_name: str = ""
    checkintime: tuple[tuple[int, int], ...] = ()
    rest_day: bool = True
    summary: DaySummary = DaySummary()
    exceptions: tuple[ExceptionCount, ...] = ()
    notes: tuple[ApprovalNote, ...] = ()
    overtime: OvertimeDay = OvertimeDay()
    sp_items: tuple[SpItem, ...] = (OUTSIDE_WORK_ITEM,)

    @property
    def has_exception(self) -> bool:
        return bool(self.exceptions)


@dataclass(frozen=True, slots=True)
class OvertimeTotals:
    """``overwork_info``: overtime by kind of day, and what it was converted into."""

    workday_sec: int = 0
    restday_sec: int = 0
    holiday_sec: int = 0
    workday_as_vacation: int = 0
    workday_as_money: int = 0
    restday_as_vacation: int = 0
    restday_as_money: int = 0
    holiday_as_vacation: int = 0
    holiday_as_money: int = 0


@dataclass(frozen=True, slots=True)
class MonthReport:
    """One user's run of days, as the month report gives it: sums of the day reports.

    ``work_days`` counts workdays (day_type 0), ``regular_days`` the workdays without any
    exception, ``except_days`` the days with one (a rest day can have a 地点异常),
    ``rest_days`` the rest days under a rule. Days without a rule count in none of them.
    """

    userid: str
    record_type: ReportRecordType
    rule_id: int = 0
    rule_name: str = ""
    work_days: int = 0
    regular_days: int = 0
    except_days: int = 0
    rest_days: int = 0
    worked_sec: int = 0
    standard_sec: int = 0
    exceptions: tuple[ExceptionCount, ...] = ()
    sp_items: tuple[SpItem, ...] = (OUTSIDE_WORK_ITEM,)
    overtime: OvertimeTotals = OvertimeTotals()
    days: int = 0


class DayFacts(NamedTuple):
    """What a day report is made of.

    ``approvals`` are the user's approved 假勤 approvals touching the day (leave, trips,
    outings, overtime); ``excused`` the merged spans leave, trips and outings excuse;
    ``stop`` the next day's local midnight.
    """

    userid: str
    workday: WorkDay
    result: DayResult
    stop: int
    approvals: tuple[Approval, ...] = ()
    excused: tuple[tuple[int, int], ...] = ()
    holiday: HolidayFacts = NO_HOLIDAY
    tz: tzinfo | None = None


# -- the day ------------------------------------------------------------------------------

_ANOMALIES = attrgetter("anomalies")
_CHECKIN_TYPE = attrgetter("checkin_type")
_SOURCE = attrgetter("source")


@dataclass(frozen=True, slots=True)
class DayShape:
    """What a day report takes from the day alone (its rule, schedule and plan), whoever
    works it: users whose days are the same :class:`WorkDay` values share one shape, so a
    report over many users works it out once per day (see :func:`day_shape`)."""

    record_type: ReportRecordType
    rule_id: int = 0
    rule_name: str = ""
    schedule_id: int = 0
    schedule_name: str = ""
    checkintime: tuple[tuple[int, int], ...] = ()
    rest_day: bool = True
    standard_sec: int = 0
    rests: tuple[tuple[int, int], ...] = ()  # absolute rest spans (see _rest_spans)


def day_shape(workday: WorkDay) -> DayShape:
    """The shape of ``workday``: what its day report says whatever was punched."""
    rule = workday.rule
    rests = tuple(_rest_spans(workday))
    if rule is None:
        return DayShape(ReportRecordType.NO_RULE, rests=rests)
    shift = rule.shift(workday.schedule_id) if workday.schedule_id else None
    checkintime: tuple[tuple[int, int], ...] = ()
    if rule.kind is RuleKind.FIXED and workday.plan is not None:
        checkintime = tuple((s.work_sec, s.off_work_sec) for s in workday.plan.slots)
    return DayShape(
        record_type=_RECORD_TYPES[rule.kind],
        rule_id=rule.id,
        rule_name=rule.name,
        schedule_id=shift.id if shift is not None else 0,
        schedule_name=shift.name if shift is not None else "",
        checkintime=checkintime,
        rest_day=workday.rest,
        standard_sec=standard_seconds(workday),
        rests=rests,
    )


def day_report(facts: DayFacts, shape: DayShape | None = None) -> DayReport:
    """The day report of one user-day. ``shape`` is ``day_shape(facts.workday)`` when the
    caller has it already (it is the same for every user sharing the day)."""
    workday, result = facts.workday, facts.result
    if shape is None:
        shape = day_shape(workday)
    if not result.rows and not result.passed_over and not facts.approvals and workday.rule:
        # Nothing punched, nothing approved (most rest days): what the path below gives.
        return DayReport(
            facts.userid,
            workday.date,
            workday.start,
            shape.record_type,
            shape.rule_id,
            shape.rule_name,
            shape.schedule_id,
            shape.schedule_name,
            shape.checkintime,
            shape.rest_day,
            DaySummary(standard_sec=shape.standard_sec),
            (),
            (),
            _overtime(facts, ()),
            _OUTSIDE_ONLY,
        )
    punches = _day_punches(result)
    summary = _summary(facts, punches, shape)
    notes = _notes(facts) if facts.approvals else ()
    sp_items = _sp_items(facts, punches)
    if workday.rule is None:
        return DayReport(
            facts.userid,
            workday.date,
            workday.start,
            ReportRecordType.NO_RULE,
            summary=summary,
            notes=notes,
            sp_items=sp_items,
        )
    return DayReport(
        facts.userid,
        workday.date,
        workday.start,
        shape.record_type,
        shape.rule_id,
        shape.rule_name,
        shape.schedule_id,
        shape.schedule_name,
        shape.checkintime,
        shape.rest_day,
        summary,
        _exceptions(facts, summary),
        notes,
        _overtime(facts, punches),
        sp_items,
    )


def _day_punches(result: DayResult) -> list[Punch]:
    """Every real punch of the attendance day: those taken as rows and those passed over."""
    by_time = {r.punch.time: r.punch for r in result.rows if r.punch is not None}
    for p in result.passed_over:
        by_time.setdefault(p.time, p)
    return [by_time[t] for t in sorted(by_time)]


def _summary(facts: DayFacts, punches: Sequence[Punch], shape: DayShape) -> DaySummary:
    standard = shape.standard_sec
    if not punches:
        return DaySummary(standard_sec=standard)
    start = facts.workday.start
    first, last = punches[0].time, punches[-1].time
    rest = sum(hi - lo for lo, hi in shape.rests if first <= lo and hi <= last)
    return DaySummary(len(punches), first - start, last - start, last - first - rest, standard)


def standard_seconds(workday: WorkDay) -> int:
    """``standard_work_sec``: the scheduled work time less rests (a free rule's
    ``standard_work_duration``); 0 on rest days and without a rule."""
    rule = workday.rule
    if rule is None or workday.rest:
        return 0
    if workday.plan is None:
        return rule.standard_work_sec if rule.kind is RuleKind.FREE else 0
    return sum(slot.work_seconds for slot in workday.plan.slots)


def _rest_spans(workday: WorkDay) -> list[tuple[int, int]]:
    if workday.plan is None:
        return []
    s = workday.start
    return [(s + lo, s + hi) for slot in workday.plan.slots for lo, hi in slot.rests]


def _exceptions(facts: DayFacts, summary: DaySummary) -> tuple[ExceptionCount, ...]:
    rows = facts.result.rows
    if not any(map(_ANOMALIES, rows)):
        return ()
    counts: dict[ExceptionKind, list[int]] = {}

    def add(kind: ExceptionKind, duration: int = 0) -> None:
        entry = counts.setdefault(kind, [0, 0])
        entry[0] += 1
        entry[1] += duration

    for row in rows:
        anomalies = row.anomalies
        if not anomalies:
            continue
        if Anomaly.MISSING in anomalies:
            add(ExceptionKind.MISSING)
        if Anomaly.TIME in anomalies:
            kind = ExceptionKind.LATE if row.checkin_type is CheckinType.ON_DUTY else None
            if row.checkin_type is CheckinType.OFF_DUTY:
                kind = ExceptionKind.EARLY
            if kind is not None:
                add(kind, row.deviation)
        if Anomaly.LOCATION in anomalies or Anomaly.WIFI in anomalies:
            add(ExceptionKind.LOCATION)
        if Anomaly.UNUSUAL_DEVICE in anomalies:
            add(ExceptionKind.DEVICE)
    # A workday without a single punch is 旷工 for the time left to work, not 缺卡 per point.
    if ExceptionKind.MISSING in counts and summary.checkin_count == 0 and not facts.workday.rest:
        del counts[ExceptionKind.MISSING]
        counts[ExceptionKind.ABSENT] = [1, absent_seconds(facts)]
    return tuple(ExceptionCount(k, c, d) for k, (c, d) in sorted(counts.items()))


def absent_seconds(facts: DayFacts) -> int:
    """The scheduled work time no approved leave, trip or outing covers (less rests)."""
    workday = facts.workday
    if workday.plan is None:
        return standard_seconds(workday)
    s = workday.start
    rests = _rest_spans(workday)
    total = 0
    for slot in workday.plan.slots:
        lo, hi = s + slot.work_sec, s + slot.off_work_sec
        total += hi - lo - _covered(rests, lo, hi) - _covered(facts.excused, lo, hi)
        # An excused span over a rest would be taken off twice: give that back.
        total += sum(_covered(facts.excused, max(a, lo), min(b, hi)) for a, b in rests)
    return max(0, total)


def _covered(spans: Iterable[tuple[int, int]], lo: int, hi: int) -> int:
    return sum(max(0, min(b, hi) - max(a, lo)) for a, b in spans)


def _overtime(facts: DayFacts, punches: Sequence[Punch]) -> OvertimeDay:
    rule = facts.workday.rule
    category = day_category(facts.workday.rest, facts.holiday.holiday)
    if rule is None or rule.overtime is None:
        return _NO_OVERTIME[category]
    slots = [i for i in facts.result.instances if i.mode is InstanceMode.SLOT]
    scheduled = (
        (min(i.scheduled_on for i in slots), max(i.scheduled_off for i in slots)) if slots else None
    )
    start = facts.workday.start
    approved = [
        ApprovedOvertime(
            max(a.time_off.start, start),
            min(a.time_off.stop, facts.stop),
            _slice_on(a.time_off, start),
        )
        for a in facts.approvals
        if a.time_off is not None and a.time_off.kind is RecordType.OVERTIME
    ]
    times = [p.time for p in punches]
    return overtime_day(rule.overtime, category, times, approved, scheduled, day_start=start)


_NO_OVERTIME = {c: OvertimeDay(c) for c in DayCategory}  # immutable: shared by every day


def _slice_on(time_off: TimeOff, day_start: int) -> int:
    return sum(s.duration for s in time_off.slices if s.daytime == day_start)


_SP_KINDS = {
    RecordType.LEAVE: SpKind.LEAVE,
    RecordType.TRIP: SpKind.TRIP,
    RecordType.OUTING: SpKind.OUTING,
}


def _sp_items(facts: DayFacts, punches: Sequence[Punch]) -> tuple[SpItem, ...]:
    if not facts.approvals and PunchSource.CORRECTION not in map(_SOURCE, punches):
        if CheckinType.OUTSIDE not in map(_CHECKIN_TYPE, facts.result.rows):
            return _OUTSIDE_ONLY  # what the general path below gives such a day
    items: dict[tuple[int, int], SpItem] = {OUTSIDE_WORK_ITEM.key: OUTSIDE_WORK_ITEM}

    def add(item: SpItem) -> None:
        known = items.get(item.key)
        items[item.key] = item if known is None else add_items(known, item)

    start = facts.workday.start
    for approval in facts.approvals:
        time_off = approval.time_off
        if time_off is None or time_off.kind not in _SP_KINDS:
            continue
        share = _slice_on(time_off, start)
        if share <= 0 and not time_off.overlaps(start, facts.stop):
            continue
        kind = _SP_KINDS[time_off.kind]
        if kind is SpKind.LEAVE:
            vacation_id, name = time_off.vacation_id or 0, time_off.vacation_name
        else:
            vacation_id, name = 0, time_off.kind.label
        add(SpItem(kind, vacation_id, 1, share, _time_type(time_off), name))
    corrections = sum(1 for p in punches if p.source == PunchSource.CORRECTION)
    if corrections:
        add(SpItem(SpKind.CORRECTION, 0, corrections, 0, TimeType.DAYS, CORRECTION_NAME))
    outside = sum(1 for r in facts.result.rows if r.checkin_type is CheckinType.OUTSIDE)
    if outside:
        add(SpItem(SpKind.OUTSIDE_WORK, 0, outside, 0, TimeType.DAYS, OUTSIDE_WORK_ITEM.name))
    return tuple(items[k] for k in sorted(items))


_OUTSIDE_ONLY = (OUTSIDE_WORK_ITEM,)


def add_items(a: SpItem, b: SpItem) -> SpItem:
    """Two entries of the same kind (and vacation), added up."""
    return SpItem(
        a.kind, a.vacation_id, a.count + b.count, a.duration + b.duration, a.time_type, a.name
    )


def _time_type(time_off: TimeOff) -> TimeType:
    if time_off.kind is RecordType.LEAVE:
        return TimeType.HOURS if time_off.time_attr is TimeAttr.HOURS else TimeType.DAYS
    return TimeType.HOURS if time_off.range_type is RangeType.HOUR else TimeType.DAYS


def _notes(facts: DayFacts) -> tuple[ApprovalNote, ...]:
    # Newest form first (WeCom's example lists 202009030002 before 202008270004).
    filed = sorted(facts.approvals, key=lambda a: (len(a.sp_no), a.sp_no), reverse=True)
    return tuple(_note(a, facts.tz) for a in filed if a.time_off is not None)


def _note(approval: Approval, tz: tzinfo | None) -> ApprovalNote:
    time_off = approval.time_off
    assert time_off is not None
    hours = _time_type(time_off) is TimeType.HOURS
    amount = time_off.duration / (HOUR_UNIT if hours else DAY_UNIT)
    title = f"{time_off.kind.label}{amount:.1f}{'小时' if hours else '天'}"
    return ApprovalNote(approval.sp_no, title, describe_span(time_off, tz))


def describe_span(time_off: TimeOff, tz: tzinfo | None) -> str:
    """``09/03 10:00~09/03 10:01`` for hours, ``09/03~09/04`` for days, ``09/03 上午~09/03
    下午`` for half days (times in the corp's zone)."""
    begin = datetime.fromtimestamp(time_off.begin, tz)
    end = datetime.fromtimestamp(time_off.end, tz)
    if time_off.range_type is RangeType.HOUR:
        return f"{begin:%m/%d %H:%M}~{end:%m/%d %H:%M}"
    if time_off.range_type is RangeType.DAY:
        return f"{begin:%m/%d}~{end:%m/%d}"
    return f"{begin:%m/%d} {_half(begin)}~{end:%m/%d} {_half(end)}"


def _half(moment: datetime) -> str:
    return "上午" if moment.hour < 12 else "下午"


# -- the month ----------------------------------------------------------------------------


def month_report(userid: str, days: Sequence[DayReport]) -> MonthReport:
    """The sum of ``days`` (one user's day reports, in date order)."""
    ruled = [d for d in days if d.record_type is not ReportRecordType.NO_RULE]
    last = ruled[-1] if ruled else None
    exceptions: dict[ExceptionKind, tuple[int, int]] = {}
    items: dict[tuple[int, int], SpItem] = {OUTSIDE_WORK_ITEM.key: OUTSIDE_WORK_ITEM}
    for day in days:
        for e in day.exceptions:
            count, duration = exceptions.get(e.kind, (0, 0))
            exceptions[e.kind] = (count + e.count, duration + e.duration)
        for item in day.sp_items:
            if item.kind is SpKind.OUTSIDE_WORK and item.count == 0:
                continue
            known = items.get(item.key)
            items[item.key] = item if known is None else add_items(known, item)
    workdays = [d for d in ruled if not d.rest_day]
    return MonthReport(
        userid=userid,
        record_type=last.record_type if last is not None else ReportRecordType.NO_RULE,
        rule_id=last.rule_id if last is not None else 0,
        rule_name=last.rule_name if last is not None else "",
        work_days=len(workdays),
        regular_days=sum(1 for d in workdays if not d.has_exception),
        except_days=sum(1 for d in ruled if d.has_exception),
        rest_days=len(ruled) - len(workdays),
        worked_sec=sum(d.summary.worked_sec for d in days),
        standard_sec=sum(d.summary.standard_sec for d in days),
        exceptions=tuple(ExceptionCount(k, c, d) for k, (c, d) in sorted(exceptions.items())),
        sp_items=tuple(items[k] for k in sorted(items)),
        overtime=overtime_totals(d.overtime for d in days),
        days=len(days),
    )


def overtime_totals(days: Iterable[OvertimeDay]) -> OvertimeTotals:
    """``overwork_info``: each day's overtime added to its kind of day."""
    sums = dict.fromkeys(OvertimeTotals.__dataclass_fields__, 0)
    prefix = {
        DayCategory.WORKDAY: "workday",
        DayCategory.RESTDAY: "restday",
        DayCategory.HOLIDAY: "holiday",
    }
    for ot in days:
        p = prefix[ot.category]
        sums[f"{p}_sec"] += ot.duration
        sums[f"{p}_as_vacation"] += ot.as_vacation
        sums[f"{p}_as_money"] += ot.as_money
    return OvertimeTotals(**sums)


__all__ = [
    "DAY",
    "ApprovalNote",
    "DayFacts",
    "DayReport",
    "DayShape",
    "DaySummary",
    "ExceptionCount",
    "ExceptionKind",
    "MonthReport",
    "OvertimeTotals",
    "ReportRecordType",
    "SpItem",
    "SpKind",
    "TimeType",
    "day_report",
    "day_shape",
    "describe_span",
    "month_report",
    "overtime_totals",
    "standard_seconds",
]
