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
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from daka.domain.geo import distance_m
from daka.domain.punches import Punch
from daka.domain.rules import DAY, MINUTE, OutOfRangePolicy, Rule, RuleKind


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


@dataclass(frozen=True, slots=True)
class SlotInstance:
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


@dataclass(frozen=True, slots=True)
class Row:
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


def slot_instances(workday: WorkDay) -> list[SlotInstance]:
    """The unclipped slot instances of one workday (empty on a rest day or without a rule)."""
    rule = workday.rule
    if rule is None or rule.kind is not RuleKind.FIXED:
        return []
    plan = rule.plan_for_weekday(wecom_weekday(workday.date))
    if plan is None or not plan.slots:
        return []
    start = workday.start
    first = plan.slots[0]
    first_open = (
        first.earliest_work_sec
        if first.earliest_work_sec is not None
        else first.work_sec - plan.ahead_sec
    )
    instances = []
    for slot in plan.slots:
        on_open = (
            slot.earliest_work_sec
            if slot.earliest_work_sec is not None
            else slot.work_sec - plan.ahead_sec
        )
        on_close = (
            slot.latest_work_sec + MINUTE
            if slot.latest_work_sec is not None
            else slot.off_work_sec
        )
        off_open = (
            slot.earliest_off_work_sec
            if slot.earliest_off_work_sec is not None
            else slot.work_sec + MINUTE
        )
        if slot.latest_off_work_sec is not None:
            off_close = slot.latest_off_work_sec + MINUTE
        elif plan.off_limit_sec is not None:
            off_close = slot.off_work_sec + plan.off_limit_sec
        else:
            # Until punching opens on the next day (WeCom's sample: 18:00 off, open till 05:59).
            off_close = first_open + DAY
        instances.append(
            SlotInstance(
                day=workday.date,
                rule=rule,
                timeline_id=slot.timeline_id,
                scheduled_on=start + slot.work_sec,
                scheduled_off=start + slot.off_work_sec,
                on_open=start + on_open,
                on_close=start + on_close,
                off_open=start + off_open,
                off_close=start + off_close,
                needs_on=not slot.no_need_checkon,
                needs_off=not (slot.no_need_checkoff or plan.no_offwork),
                flex_on_sec=plan.flex_on_sec,
                flex_off_sec=plan.flex_off_sec,
            )
        )
    return instances


def clip_instances(instances: Sequence[SlotInstance]) -> list[SlotInstance]:
    """Order instances and clip overlapping windows between neighbours.

    The boundary between instance A and the next instance B is B's window opening, but never
    before the middle of the gap between A's scheduled end and B's scheduled start: A's
    windows close there and B's open there. Between days that is B's opening (18:00 → 06:00
    next morning); across a lunch break it is the middle (12:00 / 13:30 → 12:45), so leaving
    a little late for lunch and coming back a little early both count for the right slot.
    """
    ordered = sorted(instances, key=lambda i: i.scheduled_on)
    for k in range(1, len(ordered)):
        prev, cur = ordered[k - 1], ordered[k]
        middle = (prev.scheduled_off + cur.scheduled_on) // 2
        boundary = max(cur.span_open, middle, prev.scheduled_off)
        if cur.span_open < boundary:
            cur = replace(
                cur,
                on_open=max(cur.on_open, boundary),
                off_open=max(cur.off_open, boundary),
            )
            ordered[k] = cur
        if prev.span_close > boundary:
            ordered[k - 1] = replace(
                prev,
                on_close=min(prev.on_close, boundary),
                off_close=min(prev.off_close, boundary),
            )
    return ordered


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


def _minute(ts: int) -> int:
    return ts - ts % MINUTE


def _row(
    userid: str,
    inst: SlotInstance,
    kind: CheckinType,
    anomalies: tuple[Anomaly, ...],
    scheduled: int,
    punch: Punch | None,
) -> Row:
    return Row(
        userid=userid,
        day=inst.day,
        rule_id=inst.rule.id,
        rule_name=inst.rule.name,
        checkin_type=kind,
        anomalies=anomalies,
        time=punch.time if punch is not None else scheduled,
        scheduled_time=scheduled,
        timeline_id=inst.timeline_id,
        punch=punch,
    )


def classify_instance(
    userid: str, inst: SlotInstance, punches: Sequence[Punch], now: int
) -> tuple[list[Row], list[Punch]]:
    """Rows for one slot instance from its (time-ordered) punches, plus the punches passed over."""
    rows: list[Row] = []
    on_punch: Punch | None = None
    if inst.needs_on:
        for p in punches:
            if inst.on_open <= p.time < inst.on_close:
                on_punch = p
                break
    off_punch: Punch | None = None
    if inst.needs_off:
        for p in reversed(punches):
            if inst.off_open <= p.time < inst.off_close and (
                on_punch is None or p.time > on_punch.time
            ):
                off_punch = p
                break

    if inst.needs_on:
        if on_punch is not None:
            anomalies: tuple[Anomaly, ...] = ()
            if _minute(on_punch.time) > inst.scheduled_on + inst.flex_on_sec:
                anomalies = (Anomaly.TIME,)
            anomalies += location_anomalies(inst.rule, on_punch)
            rows.append(
                _row(userid, inst, CheckinType.ON_DUTY, anomalies, inst.scheduled_on, on_punch)
            )
        elif now >= inst.on_close:
            rows.append(
                _row(userid, inst, CheckinType.ON_DUTY, (Anomaly.MISSING,), inst.scheduled_on, None)
            )
    if inst.needs_off:
        if off_punch is not None:
            anomalies = ()
            if _minute(off_punch.time) < inst.scheduled_off - inst.flex_off_sec:
                anomalies = (Anomaly.TIME,)
            anomalies += location_anomalies(inst.rule, off_punch)
            rows.append(
                _row(userid, inst, CheckinType.OFF_DUTY, anomalies, inst.scheduled_off, off_punch)
            )
        elif now >= inst.off_close:
            rows.append(
                _row(
                    userid, inst, CheckinType.OFF_DUTY, (Anomaly.MISSING,), inst.scheduled_off, None
                )
            )
    taken = {id(on_punch), id(off_punch)}
    passed = [p for p in punches if id(p) not in taken]
    return rows, passed


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
            outside.append(_row(userid, inst, CheckinType.OUTSIDE, (), p.time, p))
        else:
            dropped.append(p)
    return kept, outside, dropped


def evaluate_user(
    userid: str, days: Sequence[WorkDay], punches: Sequence[Punch], now: int
) -> list[DayResult]:
    """Evaluate one user's punches over consecutive days.

    ``days`` must be consecutive; give one extra day on each side of the days you report on,
    because instances are clipped against their neighbours. ``punches`` are the user's punches
    over those days, in any order. Returns one result per day in ``days``.
    """
    ordered = sorted(punches, key=lambda p: p.time)
    times = [p.time for p in ordered]
    instances: list[SlotInstance] = []
    for day in days:
        instances.extend(slot_instances(day))
    clipped = clip_instances(instances)

    rows_by_day: dict[date, list[Row]] = {d.date: [] for d in days}
    inst_by_day: dict[date, list[SlotInstance]] = {d.date: [] for d in days}
    passed_by_day: dict[date, list[Punch]] = {d.date: [] for d in days}
    for inst in clipped:
        lo = bisect_left(times, inst.span_open)
        hi = bisect_left(times, inst.span_close)
        mine = ordered[lo:hi]
        kept, outside, dropped = _split_out_of_range(userid, inst, mine)
        rows, passed = classify_instance(userid, inst, kept, now)
        day_rows = rows_by_day[inst.day]
        day_rows.extend(rows)
        day_rows.extend(outside)
        inst_by_day[inst.day].append(inst)
        passed_by_day[inst.day].extend(passed + dropped)

    return [
        DayResult(
            day=d.date,
            rows=tuple(sorted(rows_by_day[d.date], key=lambda r: (r.time, r.checkin_type))),
            instances=tuple(inst_by_day[d.date]),
            passed_over=tuple(sorted(passed_by_day[d.date], key=lambda p: p.time)),
        )
        for d in days
    ]
