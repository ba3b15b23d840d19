"""Vacations (假期) and balances: WeCom's 假期管理 settings as plain values, and the pure
arithmetic of charging and refunding a balance.

Every duration is in *unit-seconds*: a day-based vacation (``time_attr`` 0) counts 86400 a
day and 43200 a half day whatever the working hours; an hour-based one (``time_attr`` 1)
counts 3600 an hour. Balances move in tenths of a unit: 8640 (0.1 day) or 360 (0.1 hour).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

DAY_UNIT = 86_400
HOUR_UNIT = 3_600


class TimeAttr(IntEnum):
    """假期时间刻度: how a vacation is taken and counted."""

    DAYS = 0  # 按天请假
    HOURS = 1  # 按小时请假


class DurationType(IntEnum):
    """时长计算类型: which days of a range count."""

    NATURAL = 0  # 自然日: every calendar day
    WORKING = 1  # 工作日: only the person's workdays


class QuotaType(IntEnum):
    """发放类型."""

    UNLIMITED = 0  # 不限额: no balance to charge (setoneuserquota refuses it)
    YEARLY = 1  # 自动按年发放
    MANUAL = 2  # 手动发放
    MONTHLY = 3  # 自动按月发放


@dataclass(frozen=True, slots=True)
class Vacation:
    """One vacation of the corp (a getcorpconf ``lists[]`` item, the fields daka acts on).

    ``perday_duration`` is the seconds of work one day stands for (the day↔hour bridge).
    ``allow_overdraft`` is daka's own setting (WeCom has none on the wire): whether an
    approval may take the balance below zero. ``overtime`` marks the 调休 vacation that
    converted overtime is credited to (``is_newovertime``).
    """

    id: int
    name: str
    time_attr: TimeAttr = TimeAttr.DAYS
    duration_type: DurationType = DurationType.WORKING
    quota_type: QuotaType = QuotaType.MANUAL
    perday_duration: int = 8 * HOUR_UNIT
    overtime: bool = False
    allow_overdraft: bool = False

    @property
    def unit(self) -> int:
        """Unit-seconds of one unit (a day or an hour)."""
        return DAY_UNIT if self.time_attr is TimeAttr.DAYS else HOUR_UNIT

    @property
    def grain(self) -> int:
        """The smallest step of a duration or balance: a tenth of a unit."""
        return self.unit // 10

    @property
    def limited(self) -> bool:
        return self.quota_type is not QuotaType.UNLIMITED


@dataclass(frozen=True, slots=True)
class Balance:
    """One person's balance of one vacation, in unit-seconds.

    ``left`` is not simply ``assigned - used``: WeCom's balances carry manual adjustments
    (setoneuserquota sets ``left`` directly) and carry-over, so each is kept as it moved.
    """

    vacation_id: int
    assigned: int = 0
    real_assigned: int = 0
    used: int = 0
    left: int = 0


def round_up(duration: int, grain: int) -> int:
    """``duration`` rounded up to a whole number of ``grain`` (a minute of leave is 0.1 h)."""
    return -(-duration // grain) * grain
