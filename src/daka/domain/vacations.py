"""Vacations (假期) and balances: WeCom's 假期管理 settings as plain values, and the pure
arithmetic of charging and refunding a balance.

Every duration is in *unit-seconds*: a day-based vacation (``time_attr`` 0) counts 86400 a
day and 43200 a half day whatever the working hours; an hour-based one (``time_attr`` 1)
counts 3600 an hour. Balances move in tenths of a unit: 8640 (0.1 day) or 360 (0.1 hour).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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
        """Whether the vacation has a balance to charge (not 不限额)."""
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


# setoneuserquota's ceiling on a balance: "不能大于1000天或24000小时".
MAX_LEFT_DAYS = 1000
MAX_LEFT_HOURS = 24_000


def max_left(vacation: Vacation) -> int:
    """The largest balance setoneuserquota (and the org file) may give, in unit-seconds."""
    if vacation.time_attr is TimeAttr.DAYS:
        return MAX_LEFT_DAYS * DAY_UNIT
    return MAX_LEFT_HOURS * HOUR_UNIT


def duration_problem(vacation: Vacation, duration: int) -> str | None:
    """Why ``duration`` cannot be a balance of ``vacation`` (None when it can): balances are
    whole tenths of the vacation's unit, from 0 to :func:`max_left`."""
    if duration < 0:
        return "must not be negative"
    if duration % vacation.grain:
        unit = "day" if vacation.time_attr is TimeAttr.DAYS else "hour"
        return f"must be a multiple of {vacation.grain} (0.1 {unit})"
    if duration > max_left(vacation):
        limit = (
            f"{MAX_LEFT_DAYS} days"
            if vacation.time_attr is TimeAttr.DAYS
            else f"{MAX_LEFT_HOURS} hours"
        )
        return f"must be at most {max_left(vacation)} ({limit})"
    return None


def _amount(amount: int) -> int:
    # A negative amount would turn a charge into a refund behind the ledger's back.
    if amount < 0:
        raise ValueError(f"a balance moves by a non-negative amount, not {amount}")
    return amount


def shortfall(balance: Balance, vacation: Vacation, amount: int) -> int:
    """How much ``amount`` exceeds what may be charged (0 when the charge is allowed).

    不限额 vacations and vacations that allow overdraft never fall short.
    """
    if not vacation.limited or vacation.allow_overdraft:
        return 0
    return max(0, _amount(amount) - balance.left)


def charged(balance: Balance, vacation: Vacation, amount: int) -> Balance:
    """The balance once an approved leave of ``amount`` is taken from it.

    ``used`` grows by ``amount``; ``left`` shrinks by it for limited vacations only (a
    不限额 vacation has no balance, only a record of use). Raises ValueError when the charge
    is not allowed (see :func:`shortfall`): callers check first and refuse in their terms.
    """
    if shortfall(balance, vacation, amount):
        raise ValueError(f"balance {balance.left} cannot cover {amount}")
    left = balance.left - amount if vacation.limited else balance.left
    return replace(balance, used=balance.used + amount, left=left)


def refunded(balance: Balance, vacation: Vacation, amount: int) -> Balance:
    """The reverse of :func:`charged`: a revoked leave gives its ``amount`` back.

    ``used`` never goes below zero (a balance reset by the org file or setoneuserquota may
    hold less use than is refunded); ``left`` always gets the whole amount back.
    """
    _amount(amount)
    left = balance.left + amount if vacation.limited else balance.left
    return replace(balance, used=max(0, balance.used - amount), left=left)


def credited(balance: Balance, amount: int) -> Balance:
    """The balance once ``amount`` is granted (overtime converted to 调休): assigned, really
    assigned and left all grow by it."""
    _amount(amount)
    return replace(
        balance,
        assigned=balance.assigned + amount,
        real_assigned=balance.real_assigned + amount,
        left=balance.left + amount,
    )


def debited(balance: Balance, amount: int) -> Balance:
    """The reverse of :func:`credited` (a revoked overtime conversion). ``left`` may go
    below zero: 调休 already taken stays taken."""
    _amount(amount)
    return replace(
        balance,
        assigned=max(0, balance.assigned - amount),
        real_assigned=max(0, balance.real_assigned - amount),
        left=balance.left - amount,
    )


def with_left(balance: Balance, left: int) -> Balance:
    """setoneuserquota: ``left`` set absolutely; what was assigned and used stays."""
    return replace(balance, left=left)


def format_duration(vacation: Vacation, duration: int) -> str:
    """``duration`` in the vacation's unit for messages: ``1.5 days``, ``0.1 hours``."""
    unit = "days" if vacation.time_attr is TimeAttr.DAYS else "hours"
    tenths = duration * 10 // vacation.unit
    whole, tenth = divmod(abs(tenths), 10)
    sign = "-" if tenths < 0 else ""
    return f"{sign}{whole}{'.' + str(tenth) if tenth else ''} {unit}"


def regranted(balance: Balance, before: Balance, after: Balance) -> Balance:
    """The balance once a grant changes from ``before`` to ``after`` (the org file's initial
    quota edited): it moves by the difference only, so what happened since is kept."""
    return replace(
        balance,
        assigned=balance.assigned + after.assigned - before.assigned,
        real_assigned=balance.real_assigned + after.real_assigned - before.real_assigned,
        used=balance.used + after.used - before.used,
        left=balance.left + after.left - before.left,
    )
