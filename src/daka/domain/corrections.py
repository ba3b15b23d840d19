"""补卡 policy: may a punch correction be made? Pure: no I/O, no clock.

The service works out what is being corrected (a missing punch, a late arrival…), how many
corrections the user already made that month and today's date; :func:`check_correction`
applies the rule's :class:`~daka.domain.rules.CorrectionPolicy` to them.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import IntEnum

from daka.domain.errors import (
    CorrectionError,
    CorrectionLimitReached,
    CorrectionNotAllowed,
    CorrectionTypeForbidden,
    EarlyCorrectionForbidden,
    LateCorrectionForbidden,
    MissingCorrectionForbidden,
    OtherCorrectionForbidden,
)
from daka.domain.rules import CorrectionPolicy


class Corrected(IntEnum):
    """What a correction corrects, as its ``buka_restriction`` bit (docs/wecom-api.md §4.1)."""

    MISSING = 1  # 缺卡
    LATE = 2  # 迟到
    EARLY = 4  # 早退
    OTHER = 8  # 其他异常


_FORBIDDEN: dict[Corrected, type[CorrectionTypeForbidden]] = {
    Corrected.MISSING: MissingCorrectionForbidden,
    Corrected.LATE: LateCorrectionForbidden,
    Corrected.EARLY: EarlyCorrectionForbidden,
    Corrected.OTHER: OtherCorrectionForbidden,
}


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def check_correction(
    policy: CorrectionPolicy, state: Corrected, used: int, day: date, today: date
) -> CorrectionError | None:
    """Why correcting ``state`` on ``day`` is refused under ``policy``, or ``None``.

    ``used`` is the user's corrections already made in ``day``'s month. Checked in WeCom's
    order: 补卡 allowed at all (301099), the exception type open (301101–301104), then the
    monthly count, the day limit and the next-month deadline (301105).
    """
    if not policy.allowed:
        return CorrectionNotAllowed()
    if policy.restriction & state:
        return _FORBIDDEN[state]()
    if policy.per_month >= 0 and used >= policy.per_month:
        return CorrectionLimitReached(f"at most {policy.per_month} punch corrections a month")
    if policy.within_days > 0 and (today - day).days >= policy.within_days:
        return CorrectionLimitReached(f"punch corrections only within {policy.within_days} day(s)")
    if policy.next_month_day > 0:
        # WeCom allows 1..28; a hand-written org file's huge number must not overflow date.
        deadline = next_month(day) + timedelta(days=min(policy.next_month_day, 366) - 1)
        if today > deadline:
            return CorrectionLimitReached(f"corrections for {day:%Y-%m} closed on {deadline}")
    return None
