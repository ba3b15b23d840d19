"""Match punches to a rule's slots and classify them.

The method (attendance-semantics §9.2-9.4):

1. Build a *slot instance* for every slot of every workday in view: its scheduled on/off
   instants and its on-duty and off-duty punch windows, as absolute Unix times.
2. Clip each instance's windows against the previous and next instance, so that windows never
   overlap and each punch belongs to at most one instance (Frappe's approach, with the boundary
   described in :func:`clip_instances`; it is what makes after-midnight punches land on the
   right day).
3. Within an instance, the first punch in the on-duty window is the 上班打卡 and the last later
   punch in the off-duty window is the 下班打卡. A slot point with no punch becomes a 未打卡 row
   at its scheduled time, once its window has closed (``now`` decides that).

Late and early are judged on punch times truncated to the minute, as WeCom's own day-report
sample shows (a punch at 09:00:59 for a 09:00 start is on time).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from daka.domain.geo import distance_m
from daka.domain.punches import Punch
from daka.domain.rules import MINUTE, OutOfRangePolicy, Rule, RuleKind


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


@dataclass(frozen=True, slots=True)
class WorkDay:
    """A calendar day of one user: its local midnight and the rule in force (or none)."""

    date: date
    start: int
    rule: Rule | None


class SlotInstance(NamedTuple):
    """One slot on one day, with absolute scheduled times and half-open punch windows."""

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


@dataclass(frozen=True, slots=True)
class DayResult:
    """Everything evaluation decided about one user-day."""

    day: date
    rows: tuple[Row, ...]
    instances: tuple[SlotInstance, ...]
    passed_over: tuple[Punch, ...]


def wecom_weekday(day: date) -> int:
    """WeCom numbers weekdays 0 = Sunday … 6 = Saturday."""
    return (day.weekday() + 1) % 7


def slot_instances(days: Sequence[WorkDay]) -> list[SlotInstance]:
    """The slot instances of consecutive workdays, ordered and clipped against each other.

    The boundary between instance A and the next instance B is B's window opening, but never
    before the middle of the gap between A's scheduled end and B's scheduled start: A's
    windows close there and B's open there. Between days that is B's opening (18:00 → 06:00
    next morning); across a lunch break it is the middle (12:00 / 13:30 → 12:45), so leaving
    a little late for lunch and coming back a little early both count for the right slot.
    """
    raw: list[list[Any]] = []
    for workday in days:
        rule = workday.rule
        if rule is None or rule.kind is not RuleKind.FIXED:
            continue
        plan = rule.plan_for_weekday(wecom_weekday(workday.date))
        if plan is None:
            continue
        s = workday.start
        for w in plan.windows:
            raw.append([s + w.work, s + w.off, s + w.on_open, s + w.on_close, s + w.off_open,
                        s + w.off_close, w, workday.date, rule, plan])
    raw.sort(key=lambda r: r[0])
    for k in range(1, len(raw)):
        prev, cur = raw[k - 1], raw[k]
        middle = (prev[1] + cur[0]) // 2
        boundary = max(min(cur[2], cur[4]), middle, prev[1])
        cur[2] = max(cur[2], boundary)
        cur[4] = max(cur[4], boundary)
        prev[3] = min(prev[3], boundary)
        prev[5] = min(prev[5], boundary)
    return [
        SlotInstance(day, rule, w.timeline_id, on, off, on_open, on_close, off_open, off_close,
                     w.needs_on, w.needs_off, plan.flex_on_sec, plan.flex_off_sec)
        for on, off, on_open, on_close, off_open, off_close, w, day, rule, plan in raw
    ]


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
_LATE_OR_EARLY, _MISSING = (Anomaly.TIME,), (Anomaly.MISSING,)


def _row(
    userid: str,
    inst: SlotInstance,
    kind: CheckinType,
    anomalies: tuple[Anomaly, ...],
    scheduled: int,
    punch: Punch | None,
) -> Row:
    return Row(userid, inst.day, inst.rule.id, inst.rule.name, kind, anomalies,
               punch.time if punch is not None else scheduled, scheduled, inst.timeline_id,
               punch)


def classify_instance(
    userid: str, inst: SlotInstance, punches: Sequence[Punch], now: int
) -> tuple[list[Row], list[Punch]]:
    """Rows for one slot instance from its (time-ordered) punches, plus the punches passed over."""
    # Unpacked once: this runs for every slot of every user-day read.
    (_, rule, _, sched_on, sched_off, on_open, on_close, off_open, off_close, needs_on,
     needs_off, flex_on, flex_off) = inst
    rows: list[Row] = []
    on_punch: Punch | None = None
    if needs_on:
        for p in punches:
            if on_open <= p.time < on_close:
                on_punch = p
                break
    off_punch: Punch | None = None
    if needs_off:
        after = on_punch.time if on_punch is not None else -1
        for p in reversed(punches):
            t = p.time
            if off_open <= t < off_close and t > after:
                off_punch = p
                break

    if needs_on:
        if on_punch is not None:
            t = on_punch.time
            anomalies: tuple[Anomaly, ...] = (
                _LATE_OR_EARLY if t - t % MINUTE > sched_on + flex_on else ()
            )
            if rule.fences or rule.wifi_macs:
                anomalies += location_anomalies(rule, on_punch)
            rows.append(_row(userid, inst, _ON, anomalies, sched_on, on_punch))
        elif now >= on_close:
            rows.append(_row(userid, inst, _ON, _MISSING, sched_on, None))
    if needs_off:
        if off_punch is not None:
            t = off_punch.time
            anomalies = _LATE_OR_EARLY if t - t % MINUTE < sched_off - flex_off else ()
            if rule.fences or rule.wifi_macs:
                anomalies += location_anomalies(rule, off_punch)
            rows.append(_row(userid, inst, _OFF, anomalies, sched_off, off_punch))
        elif now >= off_close:
            rows.append(_row(userid, inst, _OFF, _MISSING, sched_off, None))
    return rows, [p for p in punches if p is not on_punch and p is not off_punch]


def _split_out_of_range(
    userid: str, inst: SlotInstance, punches: list[Punch]
) -> tuple[list[Punch], list[Row], list[Punch]]:
    """Apply ``option_out_range``: keep in-range punches, turn others into 外出打卡 or drop them."""
    policy = inst.rule.out_of_range
    if policy is OutOfRangePolicy.EXCEPTION or not inst.rule.checks_location:
        return punches, [], []
    kept: list[Punch] = []
    outside: list[Row] = []
    dropped: list[Punch] = []
    for p in punches:
        if not location_anomalies(inst.rule, p):
            kept.append(p)
        elif policy is OutOfRangePolicy.OUTSIDE_WORK:
            outside.append(_row(userid, inst, _OUTSIDE, (), p.time, p))
        else:
            dropped.append(p)
    return kept, outside, dropped


def _ordered(punches: Sequence[Punch]) -> tuple[list[Punch], list[int]]:
    times = [p.time for p in punches]
    if times == sorted(times):  # the store hands punches over in order: skip the keyed sort
        return list(punches), times
    ordered = sorted(punches, key=lambda p: p.time)
    return ordered, [p.time for p in ordered]


def classify_punches(
    userid: str, instances: Sequence[SlotInstance], punches: Sequence[Punch], now: int
) -> list[Row]:
    """The rows of ``instances`` (from :func:`slot_instances`) for one user's punches.

    The lean path for reading rows: no per-day bookkeeping, so ``instances`` can be computed
    once for every user of a rule and narrowed to those that matter. Rows come in time order
    within an instance; instances are in time order.
    """
    ordered, times = _ordered(punches)
    rows: list[Row] = []
    for inst in instances:
        lo = bisect_left(times, inst.on_open if inst.on_open < inst.off_open else inst.off_open)
        hi = bisect_left(times, inst.on_close if inst.on_close > inst.off_close
                         else inst.off_close)
        mine = ordered[lo:hi]
        if mine and inst.rule.out_of_range is not OutOfRangePolicy.EXCEPTION:
            mine, outside, _ = _split_out_of_range(userid, inst, mine)
            if outside:
                found, _ = classify_instance(userid, inst, mine, now)
                rows.extend(sorted(found + outside, key=lambda r: r.time))
                continue
        rows.extend(classify_instance(userid, inst, mine, now)[0])
    return rows


def evaluate_user(
    userid: str, days: Sequence[WorkDay], punches: Sequence[Punch], now: int
) -> list[DayResult]:
    """Evaluate one user's punches over consecutive days, with everything decided per day.

    ``days`` must be consecutive; give one extra day on each side of the days you report on,
    because instances are clipped against their neighbours. ``punches`` are the user's punches
    over those days, in any order. Returns one result per day in ``days``: its rows, its slot
    instances, and the punches passed over.
    """
    ordered, times = _ordered(punches)
    rows_by_day: dict[date, list[Row]] = {d.date: [] for d in days}
    inst_by_day: dict[date, list[SlotInstance]] = {d.date: [] for d in days}
    passed_by_day: dict[date, list[Punch]] = {d.date: [] for d in days}
    for inst in slot_instances(days):
        lo = bisect_left(times, min(inst.on_open, inst.off_open))
        hi = bisect_left(times, max(inst.on_close, inst.off_close))
        mine = ordered[lo:hi]
        outside: list[Row] = []
        dropped: list[Punch] = []
        if mine and inst.rule.out_of_range is not OutOfRangePolicy.EXCEPTION:
            mine, outside, dropped = _split_out_of_range(userid, inst, mine)
        rows, passed = classify_instance(userid, inst, mine, now)
        rows_by_day[inst.day].extend(sorted(rows + outside, key=lambda r: r.time))
        inst_by_day[inst.day].append(inst)
        passed_by_day[inst.day].extend(sorted(passed + dropped, key=lambda p: p.time))
    return [
        DayResult(day=d.date, rows=tuple(rows_by_day[d.date]),
                  instances=tuple(inst_by_day[d.date]), passed_over=tuple(passed_by_day[d.date]))
        for d in days
    ]
