"""Overtime (加班) of one day, from a rule's overtime settings, punches and approvals.

A rule's ``ot_info_v2`` (or the legacy ``ot_info``) holds one configuration per kind of day
(工作日, 休息日, 节假日) and one time-unit setting; :mod:`daka.wire.overtime` reads them into
the values below. :func:`overtime_day` is the whole computation for one user-day.
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
    min_sec: int = HALF_HOUR  # ot_time_min
    max_sec: int = 4 * HOUR  # ot_time_max
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


def overtime_day(
    policy: OvertimePolicy | None,
    category: DayCategory,
    punches: Sequence[int],
    approved: Sequence[ApprovedOvertime],
    scheduled: tuple[int, int] | None = None,
) -> OvertimeDay:
    """The overtime of one day.

    ``punches`` are the times of the day's punches (sorted); ``approved`` the approved
    overtime forms' shares of the day; ``scheduled`` the day's first on-duty and last
    off-duty instants (None on a rest day or under a free rule).
    """
    if policy is None:
        return OvertimeDay(category)
    conf = policy.conf(category)
    if not conf.allowed:
        return OvertimeDay(category)
    if conf.method is OvertimeMethod.APPROVAL:
        amount = sum(a.duration for a in approved)
        return _converted(policy, conf, category, amount, ())
    return OvertimeDay(category)


def _converted(
    policy: OvertimePolicy,
    conf: DayConf,
    category: DayCategory,
    amount: int,
    shortfall: tuple[int, ...],
) -> OvertimeDay:
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
