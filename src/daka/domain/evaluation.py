"""Match punches to a rule's slots and classify them.

The method (attendance-semantics §9.2-9.4):

1. Build an *instance* for every slot of every workday in view (see :mod:`daka.domain.days`
   for what a day is): its scheduled on/off instants and its on-duty and off-duty punch
   windows, as absolute Unix times. A free rule's workday, and a rest day on which the rule
   lets people punch, is one *free* instance spanning the day.
2. Clip each instance's windows against the previous and next instance, so that windows never
   overlap and each punch belongs to at most one instance (Frappe's approach, with the boundary
   described in :func:`slot_instances`; it is what puts after-midnight punches of a night shift
   on the day the shift started).
3. Within a slot instance, the first punch in the on-duty window is the 上班打卡 and the last
   later punch in the off-duty window is the 下班打卡. A slot point with no punch becomes a
   未打卡 row at its scheduled time, once its window has closed (``now`` decides that).

Late and early are judged on punch times truncated to the minute, as WeCom's own day-report
sample shows (a punch at 09:00:59 for a 09:00 start is on time).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container, Sequence
from datetime import date
from enum import IntEnum, StrEnum
from operator import attrgetter
from typing import Any, NamedTuple

from daka.domain.days import WorkDay
from daka.domain.geo import distance_m
from daka.domain.punches import Punch
from daka.domain.rules import DAY, MINUTE, OutOfRangePolicy, Rule, RuleKind, wecom_weekday

__all__ = [
    "Anomaly",
    "CheckinType",
    "DayResult",
    "InstanceMode",
    "Row",
    "SlotInstance",
    "WorkDay",
    "classify_punches",
    "evaluate_user",
    "location_anomalies",
    "slot_instances",
    "uncovered",
    "wecom_weekday",
]


class CheckinType(StrEnum):
    """WeCom ``checkin_type`` values."""

    ON_DUTY = "上班打卡"
    OFF_DUTY = "下班打卡"
    OUTSIDE = "外出打卡"
    RECORD_ONLY = "仅记录打卡时间和位置"


class Anomaly(StrEnum):
    """WeCom ``exception_type`` values; several are joined with ``;`` on the wire."""

    TIME = "时间异常"
    LOCATION = "地点异常"
    MISSING = "未打卡"
    WIFI = "wifi异常"
    UNUSUAL_DEVICE = "非常用设备"


class InstanceMode(IntEnum):
    """How an instance turns punches into rows."""

    SLOT = 0  # scheduled on/off points (fixed and shift rules)
    FREE = 1  # first punch 上班, last punch 下班, no schedule (free rules, rest-day punching)
    RECORD_ONLY = 2  # every punch is a 仅记录打卡时间和位置 row


class SlotInstance(NamedTuple):
    """One slot (or free day) on one day: absolute times and half-open punch windows."""

    day: date
    rule: Rule
    timeline_id: int
    scheduled_on: int
    scheduled_off: int
    on_open: int
    on_close: int
    off_open: int
    off_close: int
    needs_on: bool
    needs_off: bool
    flex_on_sec: int
    flex_off_sec: int
    schedule_id: int = 0
    mode: InstanceMode = InstanceMode.SLOT
    rest_day: bool = False
    first_of_day: bool = True
    last_of_day: bool = True
    max_arrive_early_sec: int = 0
    max_arrive_late_sec: int = 0
    late_rules: tuple[tuple[int, int], ...] = ()

    @property
    def span_open(self) -> int:
        return min(self.on_open, self.off_open)

    @property
    def span_close(self) -> int:
        return max(self.on_close, self.off_close)


class Row(NamedTuple):
    """One effective check-in row (a real punch, or a synthetic 未打卡)."""

    userid: str
    day: date
    rule_id: int
    rule_name: str
    checkin_type: CheckinType
    anomalies: tuple[Anomaly, ...]
    time: int
    scheduled_time: int
    timeline_id: int
    punch: Punch | None
    schedule_id: int = 0
    # How far a 时间异常 row is off, in seconds (whole minutes): how late an on-duty punch
    # came, how early an off-duty punch left, or how short a free day fell. 0 otherwise.
    deviation: int = 0


class DayResult(NamedTuple):
    """Everything evaluation decided about one user-day."""

    day: date
    rows: tuple[Row, ...]
    instances: tuple[SlotInstance, ...]
    passed_over: tuple[Punch, ...]


def _free_instance(workday: WorkDay, rule: Rule) -> SlotInstance:
    """A whole-day instance: a free rule's workday, or a rest day people may punch on."""
    boundary = rule.day_boundary_sec if rule.kind is RuleKind.FREE else 0
    open_, close = workday.start + boundary, workday.start + boundary + DAY
    record_only = rule.record_only and (workday.rest or rule.kind is RuleKind.FREE)
    mode = InstanceMode.RECORD_ONLY if record_only else InstanceMode.FREE
    return SlotInstance(
        workday.date,
        rule,
        0,
        0,
        0,
        open_,
        close,
        open_,
        close,
        not workday.rest,
        not workday.rest,
        0,
        0,
        workday.schedule_id,
        mode,
        workday.rest,
    )


def _raw_instances(workday: WorkDay) -> list[list[Any]]:
    rule = workday.rule
    if rule is None:
        return []
    plan = workday.plan
    if plan is None or not plan.windows:
        if not workday.rest and rule.kind is RuleKind.FREE:
            inst = _free_instance(workday, rule)
        elif workday.rest and rule.allow_offworkday_punch:
            inst = _free_instance(workday, rule)
        else:
            return []
        return [
            [
                inst.on_open,
                inst.on_open,
                inst.on_open,
                inst.on_close,
                inst.off_open,
                inst.off_close,
                inst,
            ]
        ]
    s = workday.start
    raw = []
    last = len(plan.windows) - 1
    for k, w in enumerate(plan.windows):
        inst = SlotInstance(
            workday.date,
            rule,
            w.timeline_id,
            s + w.work,
            s + w.off,
            s + w.on_open,
            s + w.on_close,
            s + w.off_open,
            s + w.off_close,
            w.needs_on,
            w.needs_off,
            plan.flex_on_sec,
            plan.flex_off_sec,
            workday.schedule_id,
            InstanceMode.SLOT,
            False,
            k == 0,
            k == last,
            plan.max_arrive_early_sec,
            plan.max_arrive_late_sec,
            plan.late_rules,
        )
        raw.append(
            [
                inst.scheduled_on,
                inst.scheduled_off,
                inst.on_open,
                inst.on_close,
                inst.off_open,
                inst.off_close,
                inst,
            ]
        )
    return raw


def slot_instances(days: Sequence[WorkDay]) -> list[SlotInstance]:
    """The instances of consecutive days, ordered and clipped against each other.

    Between two consecutive slot instances A and B the boundary is B's window opening, but
    never before the middle of the gap between A's scheduled end and B's scheduled start: A's
    windows close there and B's open there. Between days that is B's opening (18:00 → 06:00
    next morning); across a lunch break it is the middle (12:00 / 13:30 → 12:45), so leaving a
    little late for lunch and coming back a little early both count for the right slot. When
    A ends exactly as B begins, that instant is B's. So, as long as schedules do not overlap,
    each window still contains its scheduled time after clipping.

    Where schedules overlap (across days: a night shift running past the next day's start),
    the boundary is A's scheduled end, which can leave B's on-duty window empty; and
    boundaries never go backwards, so a later C never overlaps A either. A whole-day
    (free) instance yields to the slot instances around it: it opens after every earlier
    one's windows have closed and closes before any later one's open.
    """
    raw: list[list[Any]] = []
    for workday in days:
        raw.extend(_raw_instances(workday))
    raw.sort(key=lambda r: r[0])
    slots = [r for r in raw if r[6].mode is InstanceMode.SLOT]
    floor: int | None = None
    for prev, cur in zip(slots, slots[1:], strict=False):
        middle = (prev[1] + cur[0]) // 2
        boundary = max(min(cur[2], cur[4]), middle, prev[1])
        if floor is not None:
            boundary = max(boundary, floor)
        floor = boundary
        cur[2] = max(cur[2], boundary)
        cur[4] = max(cur[4], boundary)
        prev[3] = min(prev[3], boundary)
        prev[5] = min(prev[5], boundary)
    if len(slots) < len(raw):
        _fit_free_instances(raw)
    return [
        inst._replace(on_open=on_open, on_close=on_close, off_open=off_open, off_close=off_close)
        for _, _, on_open, on_close, off_open, off_close, inst in raw
    ]


def _fit_free_instances(raw: list[list[Any]]) -> None:
    """Shrink each whole-day instance to the gap the slot instances before and after leave."""
    closed_by: list[int | None] = []  # latest close among the slot instances before each one
    latest: int | None = None
    for r in raw:
        closed_by.append(latest)
        if r[6].mode is InstanceMode.SLOT:
            close = max(r[3], r[5])
            latest = close if latest is None else max(latest, close)
    earliest: int | None = None  # earliest opening among the slot instances after
    for k in range(len(raw) - 1, -1, -1):
        r = raw[k]
        if r[6].mode is InstanceMode.SLOT:
            open_ = min(r[2], r[4])
            earliest = open_ if earliest is None else min(earliest, open_)
            continue
        if closed_by[k] is not None:
            r[2] = r[4] = max(r[2], closed_by[k])
        if earliest is not None:
            r[3] = r[5] = min(r[3], earliest)


def location_anomalies(rule: Rule, punch: Punch) -> tuple[Anomaly, ...]:
    """地点异常 / wifi异常 for a punch, or nothing.

    A Wi-Fi match or a fence match clears both. A punch with coordinates outside every fence
    is 地点异常; one with only an unknown BSSID is wifi异常; one with neither has none.
    """
    if not rule.checks_location:
        return ()
    if punch.wifimac and punch.wifimac.lower() in rule.wifi_macs:
        return ()
    if punch.lat is not None and punch.lng is not None:
        for fence in rule.fences:
            if distance_m(punch.lat, punch.lng, fence.lat, fence.lng) <= fence.radius_m:
                return ()
        return (Anomaly.LOCATION,)
    if punch.wifimac:
        return (Anomaly.WIFI,)
    return ()


# Enum members looked up once: attribute access on enum classes is slow in a hot loop.
_ON, _OFF, _OUTSIDE = CheckinType.ON_DUTY, CheckinType.OFF_DUTY, CheckinType.OUTSIDE
_RECORD = CheckinType.RECORD_ONLY
_TIME, _MISSING = (Anomaly.TIME,), (Anomaly.MISSING,)
_UNUSUAL = (Anomaly.UNUSUAL_DEVICE,)
_new_row = tuple.__new__


class _Context:
    """What one user's evaluation carries from instance to instance."""

    __slots__ = (
        "userid",
        "now",
        "unusual",
        "excused",
        "has_corrections",
        "last_off_delay",
        "last_off_day",
    )

    def __init__(
        self,
        userid: str,
        now: int,
        unusual: frozenset[int],
        punches: Sequence[Punch] = (),
        excused: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.userid = userid
        self.now = now
        self.unusual = unusual
        # Spans approved leave, trips and outings excuse (merged, ordered; see approvals).
        self.excused = tuple(excused)
        self.has_corrections = any(p.corrects is not None for p in punches)
        # How long after the scheduled end the last workday was left (for 晚走晚到).
        self.last_off_delay: int | None = None
        self.last_off_day: date | None = None


def _row(
    ctx: _Context,
    inst: SlotInstance,
    kind: CheckinType,
    anomalies: tuple[Anomaly, ...],
    scheduled: int,
    punch: Punch | None,
    check_location: bool = True,
    deviation: int = 0,
) -> Row:
    rule = inst.rule
    if punch is None:
        return _new_row(
            Row,
            (
                ctx.userid,
                inst.day,
                rule.id,
                rule.name,
                kind,
                anomalies,
                scheduled,
                scheduled,
                inst.timeline_id,
                None,
                inst.schedule_id,
                0,
            ),
        )
    if check_location and rule.checks_location:
        anomalies += location_anomalies(rule, punch)
    if ctx.unusual and punch.time in ctx.unusual:
        anomalies += _UNUSUAL
    # tuple.__new__ skips the named tuple's Python-level constructor: this runs per row.
    return _new_row(
        Row,
        (
            ctx.userid,
            inst.day,
            rule.id,
            rule.name,
            kind,
            anomalies,
            punch.time,
            scheduled,
            inst.timeline_id,
            punch,
            inst.schedule_id,
            deviation,
        ),
    )


def uncovered(excused: Sequence[tuple[int, int]], start: int, stop: int) -> tuple[int, int] | None:
    """The first and last instants of ``[start, stop)`` no excused span covers, as a span
    (None when the spans cover all of it).

    An approved leave (trip, outing) over a slot's on-duty point moves that point to where
    the leave ends; over the off-duty point, to where it begins: "请假时间未覆盖到的工作时段,
    仍需按时打卡". A leave over the whole slot excuses it.
    """
    pieces: list[tuple[int, int]] = []
    cursor = start
    for lo, hi in excused:
        if hi <= cursor or lo >= stop:
            continue
        if lo > cursor:
            pieces.append((cursor, lo))
        cursor = max(cursor, hi)
        if cursor >= stop:
            break
    if cursor < stop:
        pieces.append((cursor, stop))
    if not pieces:
        return None
    return pieces[0][0], pieces[-1][1]


def _late_allowance(ctx: _Context, inst: SlotInstance) -> int:
    """Extra lateness allowed today for having left late yesterday (晚走晚到)."""
    if not inst.late_rules or not inst.first_of_day or ctx.last_off_delay is None:
        return 0
    if ctx.last_off_day is None or (inst.day - ctx.last_off_day).days != 1:
        return 0
    return max((flex for after, flex in inst.late_rules if ctx.last_off_delay >= after), default=0)


def _classify_slot(
    ctx: _Context, inst: SlotInstance, punches: Sequence[Punch], want_passed: bool = True
) -> tuple[list[Row], list[Punch]]:
    (
        _,
        _,
        _,
        sched_on,
        sched_off,
        on_open,
        on_close,
        off_open,
        off_close,
        needs_on,
        needs_off,
        flex_on,
        flex_off,
    ) = inst[:13]
    now = ctx.now
    rows: list[Row] = []
    on_punch: Punch | None = None
    off_punch: Punch | None = None
    # Approved leave moves the points it covers (see uncovered); the rows keep the
    # scheduled times as sch_checkin_time, only the judgement moves.
    judge_on, judge_off, excused = sched_on, sched_off, False
    if ctx.excused:
        left = uncovered(ctx.excused, sched_on, sched_off)
        if left is None:
            excused = True
        else:
            judge_on, judge_off = left
            if judge_on > sched_on:
                on_close = max(on_close, min(judge_on + (on_close - sched_on), judge_off))
    # A correction (补卡) counts for the point it was made for, and for no other.
    if ctx.has_corrections and any(p.corrects is not None for p in punches):
        for p in punches:
            if p.corrects == sched_on and needs_on:
                on_punch = p
            elif p.corrects == sched_off and needs_off:
                off_punch = p
        punches_for_points: Sequence[Punch] = [p for p in punches if p.corrects is None]
    else:
        punches_for_points = punches
    if needs_on and on_punch is None:
        for p in punches_for_points:
            if on_open <= p.time < on_close:
                on_punch = p
                break
    if needs_off and off_punch is None:
        after = on_punch.time if on_punch is not None else -1
        for p in reversed(punches_for_points):
            t = p.time
            if off_open <= t < off_close and t > after:
                off_punch = p
                break

    # 早到早走 / 晚到晚走: the off-duty point moves with the arrival, within the maximums.
    off_point = judge_off
    if needs_on:
        if on_punch is not None:
            t = on_punch.time
            arrival = t - t % MINUTE - judge_on
            allowed_late = flex_on + _late_allowance(ctx, inst) if inst.late_rules else flex_on
            if arrival < 0 and inst.max_arrive_early_sec:
                off_point += max(arrival, -inst.max_arrive_early_sec)
            elif arrival > 0 and inst.max_arrive_late_sec:
                off_point += min(arrival, inst.max_arrive_late_sec)
                allowed_late += inst.max_arrive_late_sec
            late = arrival > allowed_late and not excused
            anomalies: tuple[Anomaly, ...] = _TIME if late else ()
            # Lateness counts from the judged point (moved by 晚到晚走), not from the end
            # of the flex allowance: 10 minutes' flex and 09:15 is 迟到15分钟.
            moved = min(arrival, inst.max_arrive_late_sec) if arrival > 0 else 0
            late_by = arrival - moved if late else 0
            rows.append(_row(ctx, inst, _ON, anomalies, sched_on, on_punch, deviation=late_by))
        elif now >= on_close and not excused:
            rows.append(_row(ctx, inst, _ON, _MISSING, sched_on, None))
    if needs_off:
        if off_punch is not None:
            t = off_punch.time
            left_at = t - t % MINUTE
            early = left_at < off_point - flex_off and not excused
            anomalies = _TIME if early else ()
            early_by = off_point - left_at if early else 0
            rows.append(_row(ctx, inst, _OFF, anomalies, sched_off, off_punch, deviation=early_by))
        elif now >= off_close and not excused:
            rows.append(_row(ctx, inst, _OFF, _MISSING, sched_off, None))
    if inst.last_of_day and (off_punch is not None or now >= off_close):
        ctx.last_off_delay = off_punch.time - sched_off if off_punch is not None else None
        ctx.last_off_day = inst.day
    if not want_passed:
        return rows, []
    return rows, [p for p in punches if p is not on_punch and p is not off_punch]


def _classify_free(
    ctx: _Context, inst: SlotInstance, punches: Sequence[Punch]
) -> tuple[list[Row], list[Punch]]:
    if inst.mode is InstanceMode.RECORD_ONLY:
        return [_row(ctx, inst, _RECORD, (), 0, p) for p in punches], []
    rows: list[Row] = []
    closed = ctx.now >= inst.off_close
    standard = inst.rule.standard_work_sec
    # A free day is excused once approved leave covers a standard day's work (8 h unset).
    covered = _covered_seconds(ctx.excused, inst.on_open, inst.off_close) if ctx.excused else 0
    excused = covered > 0 and covered >= (standard or 8 * 3600)
    closed = closed and not excused
    on_punch = punches[0] if punches else None
    off_punch = None
    if on_punch is not None:
        earliest_off = on_punch.time + max(inst.rule.offwork_interval_sec, 1)
        last = punches[-1]
        if last is not on_punch and last.time >= earliest_off:
            off_punch = last
    if on_punch is not None:
        rows.append(_row(ctx, inst, _ON, (), 0, on_punch))
    elif inst.needs_on and closed:
        rows.append(_row(ctx, inst, _ON, _MISSING, 0, None)._replace(time=inst.on_open))
    if off_punch is not None:
        worked = off_punch.time - punches[0].time + covered
        short = standard > 0 and not inst.rest_day and not excused and worked < standard
        shortfall = standard - worked if short else 0
        rows.append(
            _row(ctx, inst, _OFF, _TIME if short else (), 0, off_punch, deviation=shortfall)
        )
    elif inst.needs_off and closed:
        rows.append(_row(ctx, inst, _OFF, _MISSING, 0, None)._replace(time=inst.off_close - 1))
    return rows, [p for p in punches if p is not on_punch and p is not off_punch]


def _covered_seconds(excused: Sequence[tuple[int, int]], start: int, stop: int) -> int:
    return sum(max(0, min(hi, stop) - max(lo, start)) for lo, hi in excused)


def _classify(
    ctx: _Context, inst: SlotInstance, punches: list[Punch], want_passed: bool = True
) -> tuple[list[Row], list[Punch]]:
    """Rows of one instance, applying ``option_out_range`` first. Rows are time-ordered."""
    outside: list[Row] = []
    dropped: list[Punch] = []
    policy = inst.rule.out_of_range
    if punches and policy is not OutOfRangePolicy.EXCEPTION and inst.rule.checks_location:
        kept = []
        for p in punches:
            if not location_anomalies(inst.rule, p):
                kept.append(p)
            elif policy is OutOfRangePolicy.OUTSIDE_WORK:
                # option_out_range 1: an out-of-range punch is normal 外出打卡, no exception.
                outside.append(_row(ctx, inst, _OUTSIDE, (), p.time, p, check_location=False))
            else:
                dropped.append(p)
        punches = kept
    if inst.mode is InstanceMode.SLOT:
        rows, passed = _classify_slot(ctx, inst, punches, want_passed)
    else:
        rows, passed = _classify_free(ctx, inst, punches)
    if outside:
        rows = sorted(rows + outside, key=lambda r: r.time)
    if dropped:
        passed = sorted(passed + dropped, key=lambda p: p.time)
    return rows, passed


def _ordered(punches: Sequence[Punch]) -> tuple[list[Punch], list[int]]:
    times = [p.time for p in punches]
    if times == sorted(times):  # the store hands punches over in order: skip the keyed sort
        return list(punches), times
    ordered = sorted(punches, key=lambda p: p.time)
    return ordered, [p.time for p in ordered]


def classify_punches(
    userid: str,
    instances: Sequence[SlotInstance],
    punches: Sequence[Punch],
    now: int,
    unusual: frozenset[int] = frozenset(),
    excused: Sequence[tuple[int, int]] = (),
) -> list[Row]:
    """The rows of ``instances`` (from :func:`slot_instances`) for one user's punches.

    The lean path for reading rows: no per-day bookkeeping. ``unusual`` holds the times of
    punches made from a device unusual for the user (see :mod:`daka.domain.devices`);
    ``excused`` the spans of the user's approved leave, trips and outings (merged, ordered).
    Include the instance before the ones you report on: 晚走晚到 looks back one workday.
    """
    ordered, times = _ordered(punches)
    ctx = _Context(userid, now, unusual, ordered, excused)
    rows: list[Row] = []
    for inst in instances:
        lo = bisect_left(times, inst.on_open if inst.on_open < inst.off_open else inst.off_open)
        hi = bisect_left(times, inst.on_close if inst.on_close > inst.off_close else inst.off_close)
        rows.extend(_classify(ctx, inst, ordered[lo:hi], want_passed=False)[0])
    return rows


def evaluate_user(
    userid: str,
    days: Sequence[WorkDay],
    punches: Sequence[Punch],
    now: int,
    unusual: frozenset[int] = frozenset(),
    excused: Sequence[tuple[int, int]] = (),
    instances: Sequence[SlotInstance] | None = None,
    only: Container[date] | None = None,
) -> list[DayResult]:
    """Evaluate one user's punches over consecutive days, with everything decided per day.

    ``days`` must be consecutive; give one extra day on each side of the days you report on,
    because instances are clipped against their neighbours. ``punches`` are the user's punches
    over those days, in any order. Returns one result per day in ``days``: its rows, its
    instances, and the punches passed over. ``instances`` are ``slot_instances(days)`` when
    the caller has them already (users whose days are the same list share them).

    ``only`` names the days worth classifying (the others' results are left empty, though
    their instances still claim the punches in their windows, so that no punch of a
    neighbouring day is passed over on a reported one). Include the day before the reported
    ones where 晚走晚到 applies (an instance with ``late_rules``).
    """
    ordered, times = _ordered(punches)
    ctx = _Context(userid, now, unusual, ordered, excused)
    rows_by_day: dict[date, list[Row]] = {d.date: [] for d in days}
    inst_by_day: dict[date, list[SlotInstance]] = {d.date: [] for d in days}
    passed_by_day: dict[date, list[Punch]] = {d.date: [] for d in days}
    if instances is None:
        instances = slot_instances(days)
    # Which punches lie in some instance's span: the ordered punches from bisect_left(open)
    # up to bisect_left(close) are exactly those with open <= time < close.
    covered = bytearray(len(ordered))
    for inst in instances:
        lo = bisect_left(times, inst.span_open)
        hi = bisect_left(times, inst.span_close)
        day = inst.day
        if only is None or day in only:
            inst_by_day[day].append(inst)
            rows, passed = _classify(ctx, inst, ordered[lo:hi])
            rows_by_day[day].extend(rows)
            if passed:
                passed_by_day[day].extend(passed)
        if hi > lo:
            covered[lo:hi] = b"\x01" * (hi - lo)
    # Punches outside every instance (a rest day, a gap between windows) are passed over on
    # the calendar day they were made.
    if covered.count(0):
        starts = [d.start for d in days]
        for p, inside in zip(ordered, covered, strict=True):
            if inside:
                continue
            k = bisect_left(starts, p.time + 1) - 1
            if 0 <= k < len(days):
                passed_by_day[days[k].date].append(p)
    return [
        DayResult(d, tuple(rows_by_day[d]), tuple(inst_by_day[d]), _by_time(passed_by_day[d]))
        for d in (w.date for w in days)
    ]


_TIME_OF = attrgetter("time")  # a C-level sort key


def _by_time(punches: list[Punch]) -> tuple[Punch, ...]:
    if len(punches) < 2:
        return tuple(punches)
    return tuple(sorted(punches, key=_TIME_OF))
