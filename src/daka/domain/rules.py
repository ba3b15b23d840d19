"""Attendance rules as plain values.

A rule (WeCom's 打卡规则 / ``group``) says which days are workdays and, for each workday, the
time slots to punch for. Times inside a day are seconds from that day's local 00:00 and may
exceed 86400 for points on the next calendar day. ``daka.wire.rules`` builds these values from
WeCom's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import NamedTuple

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
    windows: tuple[SlotWindows, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "windows", slot_windows(self))


def slot_windows(plan: WorkdayPlan) -> tuple[SlotWindows, ...]:
    """Each slot's windows, from explicit ``earliest_*``/``latest_*`` bounds or defaults.

    On-duty: from ``work − ahead`` until ``off_work``. Off-duty: from ``work + 1 min`` until
    ``off_work + limit_offtime`` or, without one, until punching opens on the next day. That
    reproduces WeCom's sample rule: 09:00–18:00 work, on-duty 06:00–17:59, off-duty 09:01 to
    05:59 the next day. ``latest_*`` bounds are inclusive minutes, hence ``+ MINUTE``.
    """
    if not plan.slots:
        return ()
    first = plan.slots[0]
    first_open = (
        first.earliest_work_sec
        if first.earliest_work_sec is not None
        else first.work_sec - plan.ahead_sec
    )
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
            off_close = first_open + DAY
        out.append(SlotWindows(
            timeline_id=slot.timeline_id,
            work=slot.work_sec,
            off=slot.off_work_sec,
            on_open=on_open,
            on_close=on_close,
            off_open=off_open,
            off_close=off_close,
            needs_on=not slot.no_need_checkon,
            needs_off=not (slot.no_need_checkoff or plan.no_offwork),
        ))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Fence:
    """A place punches may be made from: centre (×1e6 degrees, GCJ-02) and radius in metres."""

    lat: int
    lng: int
    radius_m: int


@dataclass(frozen=True, slots=True)
class Rule:
    """A check-in rule, reduced to what evaluation needs."""

    id: int
    name: str
    kind: RuleKind
    plans: tuple[WorkdayPlan, ...] = ()
    fences: tuple[Fence, ...] = ()
    wifi_macs: frozenset[str] = field(default_factory=frozenset)
    out_of_range: OutOfRangePolicy = OutOfRangePolicy.EXCEPTION

    def plan_for_weekday(self, weekday: int) -> WorkdayPlan | None:
        """The plan for a WeCom weekday number (0 = Sunday), or ``None`` on a rest day."""
        for plan in self.plans:
            if weekday in plan.weekdays:
                return plan
        return None

    @property
    def checks_location(self) -> bool:
        return bool(self.fences or self.wifi_macs)
