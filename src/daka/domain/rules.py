"""Attendance rules as plain values.

A rule (WeCom's 打卡规则 / ``group``) says which days are workdays and, for each workday, the
time slots to punch for. Times inside a day are seconds from that day's local 00:00 and may
exceed 86400 for points on the next calendar day. ``daka.wire.rules`` builds these values from
WeCom's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from typing import NamedTuple

from daka.domain.overtime import OvertimePolicy

DAY = 86_400
MINUTE = 60

# When a rule gives neither limit_aheadtime nor earliest_work_sec, the on-duty window opens
# this long before work starts (WeCom's sample rule: 09:00 work, punching opens at 06:00).
DEFAULT_AHEAD_SEC = 3 * 3600


class RuleKind(IntEnum):
    """WeCom ``grouptype``."""

    FIXED = 1  # 固定时间上下班
    SHIFTS = 2  # 按班次上下班
    FREE = 3  # 自由上下班


class OutOfRangePolicy(IntEnum):
    """WeCom ``option_out_range``: what an out-of-fence punch means."""

    EXCEPTION = 0
    OUTSIDE_WORK = 1
    NOT_COUNTED = 2


@dataclass(frozen=True, slots=True)
class Slot:
    """One on/off pair of a workday (WeCom ``checkintime[]``), in day-seconds.

    The ``earliest_*``/``latest_*`` bounds are WeCom's explicit punch windows; ``None`` means
    "derive from the rule's defaults".
    """

    timeline_id: int
    work_sec: int
    off_work_sec: int
    earliest_work_sec: int | None = None
    latest_work_sec: int | None = None
    earliest_off_work_sec: int | None = None
    latest_off_work_sec: int | None = None
    no_need_checkon: bool = False
    no_need_checkoff: bool = False
    # 休息时间 (allow_rest, rest_begin_time…rest_end_time, rest_times[]): day-second spans
    # inside the slot that are not work time.
    rests: tuple[tuple[int, int], ...] = ()

    @property
    def work_seconds(self) -> int:
        """Scheduled work time: the slot's length less its rests."""
        rest = sum(
            max(0, min(hi, self.off_work_sec) - max(lo, self.work_sec)) for lo, hi in self.rests
        )
        return self.off_work_sec - self.work_sec - rest


def wecom_weekday(day: date) -> int:
    """WeCom numbers weekdays 0 = Sunday … 6 = Saturday."""
    return (day.weekday() + 1) % 7


class SlotWindows(NamedTuple):
    """A slot's scheduled times and punch windows in day-seconds (half-open windows)."""

    timeline_id: int
    work: int
    off: int
    on_open: int
    on_close: int
    off_open: int
    off_close: int
    needs_on: bool
    needs_off: bool


@dataclass(frozen=True, slots=True)
class WorkdayPlan:
    """The slots and tolerances that apply on a set of weekdays (WeCom ``checkindate[]``).

    ``weekdays`` uses WeCom's numbering: 0 = Sunday … 6 = Saturday. ``windows`` holds each
    slot's punch windows, derived once from the slots and the plan's defaults.
    """

    weekdays: frozenset[int]
    slots: tuple[Slot, ...]
    ahead_sec: int = DEFAULT_AHEAD_SEC
    off_limit_sec: int | None = None
    flex_on_sec: int = 0
    flex_off_sec: int = 0
    no_offwork: bool = False
    # 早到早走 / 晚到晚走: arriving up to this early (late) moves the off-duty point with it.
    max_arrive_early_sec: int = 0
    max_arrive_late_sec: int = 0
    # 晚走晚到: (left at least this long after yesterday's last off point, may arrive this late)
    late_rules: tuple[tuple[int, int], ...] = ()
    # 大小周: workdays of odd and even ISO weeks, replacing ``weekdays`` when set.
    biweekly: tuple[frozenset[int], frozenset[int]] | None = None
    windows: tuple[SlotWindows, ...] = field(init=False, compare=False, repr=False)

    def works_on(self, day: date) -> bool:
        """Whether this plan's workdays include ``day``."""
        weekday = wecom_weekday(day)
        if self.biweekly is not None:
            odd, even = self.biweekly
            return weekday in (odd if day.isocalendar().week % 2 else even)
        return weekday in self.weekdays

    def __post_init__(self) -> None:
        object.__setattr__(self, "windows", slot_windows(self))


def slot_windows(plan: WorkdayPlan) -> tuple[SlotWindows, ...]:
    """Each slot's windows, from explicit ``earliest_*``/``latest_*`` bounds or defaults.

    On-duty: from ``work − ahead`` until ``off_work``. Off-duty: from ``work + 1 min`` until
    ``off_work + limit_offtime`` or, without one, until the boundary with the next day's first
    slot as :func:`daka.domain.evaluation.slot_instances` draws it: the later of that slot's
    opening and the middle of the gap between the two schedules, and never before
    ``off_work + 1 min``. That reproduces WeCom's sample rule: 09:00–18:00 work, on-duty
    06:00–17:59, off-duty 09:01 to 05:59 the next day. ``latest_*`` bounds are inclusive
    minutes, hence ``+ MINUTE``.

    Every window contains its scheduled time (given bounds that WeCom accepts: ``earliest_*``
    not after, ``latest_*`` not before it). Closing "when the next day opens" alone would not:
    a 00:00–23:59 day opens at 21:00 the evening before, so its off-duty window would close at
    21:00, before the 23:59 it is for.
    """
    if not plan.slots:
        return ()
    first = plan.slots[0]
    first_open = (
        first.earliest_work_sec
        if first.earliest_work_sec is not None
        else first.work_sec - plan.ahead_sec
    )
    next_day_work = first.work_sec + DAY
    out = []
    for slot in plan.slots:
        on_open = (
            slot.earliest_work_sec
            if slot.earliest_work_sec is not None
            else slot.work_sec - plan.ahead_sec
        )
        on_close = (
            slot.latest_work_sec + MINUTE if slot.latest_work_sec is not None else slot.off_work_sec
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
            off_close = max(
                first_open + DAY,
                (slot.off_work_sec + next_day_work) // 2,
                slot.off_work_sec + MINUTE,
            )
        out.append(
            SlotWindows(
                timeline_id=slot.timeline_id,
                work=slot.work_sec,
                off=slot.off_work_sec,
                on_open=on_open,
                on_close=on_close,
                off_open=off_open,
                off_close=off_close,
                needs_on=not slot.no_need_checkon,
                needs_off=not (slot.no_need_checkoff or plan.no_offwork),
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Fence:
    """A place punches may be made from: centre (×1e6 degrees, GCJ-02) and radius in metres."""

    lat: int
    lng: int
    radius_m: int


class SpecialDayKind(IntEnum):
    """WeCom ``spe_workdays[].type`` / ``spe_offdays[].type``."""

    SINGLE = 0
    RANGE = 1  # every day from ``first`` to ``last``
    BIWEEKLY = 2  # every other week from ``first`` until ``last``


@dataclass(frozen=True, slots=True)
class SpecialDay:
    """A 必须打卡 or 不用打卡 date (or dates), with the plan to follow on a special workday."""

    kind: SpecialDayKind
    first: date
    last: date
    notes: str = ""
    plan: WorkdayPlan | None = None

    def covers(self, day: date) -> bool:
        if not self.first <= day <= self.last:
            return False
        return self.kind is not SpecialDayKind.BIWEEKLY or (day - self.first).days % 14 == 0


@dataclass(frozen=True, slots=True)
class Shift:
    """A 班次 of a shift rule: its id, name and the plan of a day worked on it."""

    id: int
    name: str
    plan: WorkdayPlan


@dataclass(frozen=True, slots=True)
class CorrectionPolicy:
    """A rule's 补卡 policy (WeCom ``allow_apply_offworkday`` and the ``buka_*`` fields).

    ``-1`` (or any negative number) means "no limit", as WeCom writes it.
    """

    allowed: bool = False  # allow_apply_offworkday: 允许提交补卡申请
    # buka_restriction: bit set = that exception may not be corrected (low bit first:
    # 缺卡, 迟到, 早退, 其他异常).
    restriction: int = 0
    per_month: int = -1  # allow_apply_bk_cnt: corrections a user may make in a month
    within_days: int = -1  # allow_apply_bk_day_limit: 1 = today only, 2 = today and yesterday…
    next_month_day: int = -1  # buka_limit_next_month: closed after this day of the next month


@dataclass(frozen=True, slots=True)
class Rule:
    """A check-in rule, reduced to what evaluation (and 补卡) needs."""

    id: int
    name: str
    kind: RuleKind
    plans: tuple[WorkdayPlan, ...] = ()
    fences: tuple[Fence, ...] = ()
    wifi_macs: frozenset[str] = field(default_factory=frozenset)
    out_of_range: OutOfRangePolicy = OutOfRangePolicy.EXCEPTION
    special_workdays: tuple[SpecialDay, ...] = ()
    special_offdays: tuple[SpecialDay, ...] = ()
    sync_holidays: bool = False
    allow_offworkday_punch: bool = False  # allow_checkin_offworkday
    record_only: bool = False  # checkin_method_type 2: 仅记录打卡时间和位置
    shifts: tuple[Shift, ...] = ()
    # 自由上下班
    day_boundary_sec: int = 0  # span_day_time: when a free rule's day starts
    offwork_interval_sec: int = 0  # a 下班 counts only this long after the 上班
    standard_work_sec: int = 0  # standard_work_duration; 0: no minimum
    corrections: CorrectionPolicy = CorrectionPolicy()
    overtime: OvertimePolicy | None = None  # ot_info_v2 (or the legacy ot_info)

    def plan_for(self, day: date) -> WorkdayPlan | None:
        """The plan whose (possibly biweekly) workdays include ``day``, or ``None``."""
        for plan in self.plans:
            if plan.works_on(day):
                return plan
        return None

    def shift(self, schedule_id: int) -> Shift | None:
        for shift in self.shifts:
            if shift.id == schedule_id:
                return shift
        return None

    checks_location: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checks_location", bool(self.fences or self.wifi_macs))
