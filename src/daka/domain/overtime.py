"""Overtime (加班) of one day, from a rule's overtime settings, punches and approvals.

A rule's ``ot_info_v2`` (or the legacy ``ot_info``) holds one configuration per kind of day
(工作日, 休息日, 节假日) and one time-unit setting; :mod:`daka.wire.overtime` reads them into
the values below. :func:`overtime_day` is the whole computation for one user-day; the rules it
follows, with worked examples, are in docs/overtime.md. In order:

1. the spans that count (punches, approvals or their overlap, by ``DayConf.method``);
2. rest taken off them (``RestRule``);
3. for methods 0 and 1, the minimum (below it: nothing) and the maximum (a cap);
4. rounding (``TimeUnit``), then conversion to 调休 or pay, from the rounded amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

HOUR = 3600
HALF_HOUR = 1800


class DayCategory(IntEnum):
    """Which of the rule's three overtime configurations a day falls under."""

    WORKDAY = 0  # 工作日
    RESTDAY = 1  # 休息日
    HOLIDAY = 2  # 节假日 (a statutory holiday on the calendar in force)


class OvertimeMethod(IntEnum):
    """``type``: how overtime is measured."""

    APPROVAL_AND_PUNCHES = 0  # 以加班申请和打卡时间取交集
    PUNCHES = 1  # 以打卡时间为准
    APPROVAL = 2  # 只以审批单为准


class RestDeduction(IntEnum):
    """``restinfo.type``: what is taken off the overtime as rest."""

    NONE = 0  # 不扣除
    FIXED = 1  # 指定休息时间扣除 (fix_time_rule_list)
    BY_DURATION = 2  # 按加班时长扣除 (cal_ottime_rule.items)


class Conversion(IntEnum):
    """``ot_trans_type``: what overtime turns into."""

    VACATION = 1  # 记为调休
    MONEY = 2  # 记为加班费


class Rounding(IntEnum):
    """``time_unit_config.rounding_method``."""

    HALF_UP = 1  # 四舍五入
    UP = 2  # 向上取整
    DOWN = 3  # 向下取整


class OvertimeStatus(IntEnum):
    """The day report's ``ot_status``."""

    NONE = 0  # 无加班
    NORMAL = 1  # 正常
    SHORT = 2  # 缺时长: punches fall short of the approved overtime


def day_category(rest_day: bool, holiday: bool) -> DayCategory:
    """A workday is a workday (even a holiday the rule works); a rest day is a holiday when
    the calendar says so."""
    if not rest_day:
        return DayCategory.WORKDAY
    return DayCategory.HOLIDAY if holiday else DayCategory.RESTDAY


@dataclass(frozen=True, slots=True)
class RestRule:
    """``restinfo``: rest deducted from overtime.

    ``windows`` are day-second spans (FIXED); ``steps`` pairs of (overtime of at least, rest
    to deduct) in seconds, ascending (BY_DURATION).
    """

    kind: RestDeduction = RestDeduction.NONE
    windows: tuple[tuple[int, int], ...] = ()
    steps: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class DayConf:
    """``workdayconf`` / ``restdayconf`` / ``holidayconf``."""

    allowed: bool = False
    method: OvertimeMethod = OvertimeMethod.APPROVAL
    start_after_sec: int = HALF_HOUR  # ot_time_start: after the last off-duty point
    min_sec: int = HALF_HOUR  # ot_time_min (methods 0 and 1: less counts as none)
    max_sec: int = 4 * HOUR  # ot_time_max (methods 0 and 1: a cap)
    rest: RestRule = RestRule()
    convert: bool = False  # ot_trans_enable
    conversion: Conversion = Conversion.VACATION
    ratio_percent: int = 100  # vacation.trans_ratio
    sync_vacation: bool = True  # vacation.sync_vacation: credit the 调休 balance
    time_range: int = 0  # ot_time_range: 0 all day, 1 before work only, 2 after work only


@dataclass(frozen=True, slots=True)
class TimeUnit:
    """``time_unit_config``: how overtime amounts are rounded (None: not rounded)."""

    rounding: Rounding = Rounding.HALF_UP
    step_sec: int = HOUR


@dataclass(frozen=True, slots=True)
class OvertimePolicy:
    """A rule's overtime settings."""

    workday: DayConf = DayConf()
    restday: DayConf = DayConf()
    holiday: DayConf = DayConf()
    unit: TimeUnit | None = None

    def conf(self, category: DayCategory) -> DayConf:
        if category is DayCategory.WORKDAY:
            return self.workday
        return self.restday if category is DayCategory.RESTDAY else self.holiday


@dataclass(frozen=True, slots=True)
class OvertimeDay:
    """The overtime of one user-day (the day report's ``ot_info``)."""

    category: DayCategory = DayCategory.WORKDAY
    status: OvertimeStatus = OvertimeStatus.NONE
    duration: int = 0
    shortfall: tuple[int, ...] = ()
    as_vacation: int = 0
    as_money: int = 0


@dataclass(frozen=True, slots=True)
class ApprovedOvertime:
    """An approved overtime form's share of the day: its span and the day's slice."""

    start: int
    stop: int
    duration: int


Span = tuple[int, int]


def overtime_day(
    policy: OvertimePolicy | None,
    category: DayCategory,
    punches: Sequence[int],
    approved: Sequence[ApprovedOvertime],
    scheduled: tuple[int, int] | None = None,
    *,
    day_start: int | None = None,
) -> OvertimeDay:
    """The overtime of one day.

    ``punches`` are the times of the day's punches (sorted); ``approved`` the approved
    overtime forms' shares of the day; ``scheduled`` the day's first on-duty and last
    off-duty instants (None on a rest day or under a free rule). ``day_start`` is the day's
    local midnight, which places FIXED rest windows (day-seconds) on the clock; without it
    fixed windows deduct nothing.
    """
    if policy is None:
        return OvertimeDay(category)
    conf = policy.conf(category)
    if not conf.allowed:
        return OvertimeDay(category)
    if conf.method is OvertimeMethod.APPROVAL:
        amount = sum(max(0, a.duration) for a in approved)
        spans = [(a.start, a.stop) for a in approved]
        amount -= rest_deduction(conf.rest, amount, spans, day_start)
        return _converted(policy, conf, category, amount, ())
    if conf.method is OvertimeMethod.PUNCHES:
        spans = punched_spans(conf, category, punches, scheduled)
        return _converted(policy, conf, category, _counted(conf, spans, day_start), ())
    return _intersection(policy, conf, category, punches, approved, day_start)


def punched_spans(
    conf: DayConf,
    category: DayCategory,
    punches: Sequence[int],
    scheduled: tuple[int, int] | None,
) -> list[Span]:
    """Method 1's spans: on a rest day or holiday the first to the last punch; on a workday
    the time before ``on - start_after`` and after ``off + start_after`` (the offset itself
    never counts), as ``time_range`` allows. A workday without a schedule (free rule) has no
    point to measure from, so no punched overtime."""
    if not punches:
        return []
    first, last = min(punches), max(punches)
    if category is not DayCategory.WORKDAY:
        return [(first, last)] if last > first else []
    if scheduled is None:
        return []
    on, off = scheduled
    spans: list[Span] = []
    if conf.time_range in (0, 1) and first < on - conf.start_after_sec:
        spans.append((first, on - conf.start_after_sec))
    if conf.time_range in (0, 2) and last > off + conf.start_after_sec:
        spans.append((off + conf.start_after_sec, last))
    return spans


def rest_deduction(
    rest: RestRule, amount: int, spans: Sequence[Span], day_start: int | None
) -> int:
    """The rest taken off ``amount`` of overtime made of ``spans``: the part of the spans
    inside the FIXED windows, or the rest of the largest BY_DURATION step whose overtime is at
    most ``amount``. Never more than ``amount``."""
    if amount <= 0:
        return 0
    if rest.kind is RestDeduction.FIXED:
        if day_start is None:
            return 0
        windows = [(day_start + a, day_start + b) for a, b in rest.windows]
        taken = sum(_overlap(span, window) for span in spans for window in windows)
        return min(amount, taken)
    if rest.kind is RestDeduction.BY_DURATION:
        reached = [r for at_least, r in rest.steps if at_least <= amount]
        return min(amount, max(0, reached[-1])) if reached else 0
    return 0


def rounded(amount: int, unit: TimeUnit | None) -> int:
    """``amount`` rounded to the unit's step (half up, up or down); as is without a unit."""
    if unit is None or unit.step_sec <= 0 or amount <= 0:
        return max(0, amount)
    step = unit.step_sec
    if unit.rounding is Rounding.UP:
        return -(-amount // step) * step
    if unit.rounding is Rounding.DOWN:
        return amount // step * step
    return (amount + step // 2) // step * step


def _counted(conf: DayConf, spans: Sequence[Span], day_start: int | None) -> int:
    """Spans less rest, then the minimum (below it: none) and the maximum (a cap)."""
    amount = sum(b - a for a, b in spans)
    amount -= rest_deduction(conf.rest, amount, spans, day_start)
    if amount < conf.min_sec:
        return 0
    return min(amount, conf.max_sec)


def _intersection(
    policy: OvertimePolicy,
    conf: DayConf,
    category: DayCategory,
    punches: Sequence[int],
    approved: Sequence[ApprovedOvertime],
    day_start: int | None,
) -> OvertimeDay:
    """Method 0: each approval counts where it overlaps the punched span [first, last]; an
    approval the punches cover less than its slice is short by the difference."""
    punched = (min(punches), max(punches)) if punches else (0, 0)
    spans: list[Span] = []
    shortfall: list[int] = []
    for a in approved:
        lo, hi = max(a.start, punched[0]), min(a.stop, punched[1])
        actual = min(max(0, hi - lo), max(0, a.duration))
        if actual:
            spans.append((lo, lo + actual))
        if actual < a.duration:
            shortfall.append(a.duration - actual)
    day = _converted(policy, conf, category, _counted(conf, spans, day_start), tuple(shortfall))
    if shortfall and day.status is OvertimeStatus.NONE:
        # Approved overtime not worked at all is still reported: 缺时长, nothing counted.
        return OvertimeDay(category, OvertimeStatus.SHORT, shortfall=tuple(shortfall))
    return day


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _converted(
    policy: OvertimePolicy,
    conf: DayConf,
    category: DayCategory,
    amount: int,
    shortfall: tuple[int, ...],
) -> OvertimeDay:
    """The day's counted overtime, rounded, and what it converts into (from the rounded
    amount, so the 调休 and the pay follow the figure HR sees)."""
    amount = rounded(amount, policy.unit)
    if amount <= 0:
        return OvertimeDay(category)
    status = OvertimeStatus.SHORT if shortfall else OvertimeStatus.NORMAL
    as_vacation = as_money = 0
    if conf.convert:
        if conf.conversion is Conversion.VACATION:
            as_vacation = amount * conf.ratio_percent // 100
        else:
            as_money = amount
    return OvertimeDay(category, status, amount, shortfall, as_vacation, as_money)
