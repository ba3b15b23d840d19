"""WeCom rule objects for the rule-feature tests, read the way the server reads them.

Every rule goes through ``normalize_group`` and ``to_rule`` (Shanghai time), so the tests
exercise the wire translation as well as the engine.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from daka.domain.evaluation import DayResult, Row
from daka.domain.rules import Rule
from daka.wire.rules import normalize_group, to_rule
from tests.factories import SHANGHAI, make_rule, make_slot, midnight

HOUR = 3600


def build(raw: dict) -> Rule:
    """The domain rule of a WeCom rule object."""
    return to_rule(normalize_group(raw), SHANGHAI)


def fixed_rule(**kwargs: Any) -> Rule:
    """A fixed-time rule (Mon–Fri 09:00–18:00 unless overridden), see ``make_rule``."""
    return build(make_rule(**kwargs))


def make_shift(schedule_id: int, name: str, work: str, off: str, **extra: Any) -> dict:
    """A ``schedulelist[]`` entry with one time section; ``off`` may pass 24:00 ("30:00")."""
    return {
        "schedule_id": schedule_id,
        "schedule_name": name,
        "time_section": [make_slot(work, off, 1)],
        **extra,
    }


DAY_SHIFT = make_shift(1, "白班", "09:00", "18:00")
NIGHT_SHIFT = make_shift(2, "夜班", "22:00", "30:00")  # 22:00 → 06:00 the next day
LATE_SHIFT = make_shift(3, "中班", "14:00", "22:00")
EARLY_SHIFT = make_shift(4, "早班", "08:00", "16:00")
REST = 0  # schedule_id 0: 休息


def shift_rule(*shifts: dict, **extra: Any) -> Rule:
    """A 按班次 rule (grouptype 2) with the given shifts (all four standard ones by default)."""
    schedulelist = list(shifts) or [DAY_SHIFT, NIGHT_SHIFT, LATE_SHIFT, EARLY_SHIFT]
    return build(make_rule(grouptype=2, checkindate=[], schedulelist=schedulelist, **extra))


def free_rule(**extra: Any) -> Rule:
    """A 自由上下班 rule (grouptype 3): Mon–Fri workdays, no slots."""
    return build(make_rule(grouptype=3, slots=[], **extra))


def roster(first: date, *schedule_ids: int) -> dict[date, int]:
    """``{date: schedule_id}`` for consecutive days from ``first``."""
    return {first + timedelta(days=k): sid for k, sid in enumerate(schedule_ids)}


def special_day(day: date, notes: str = "", **extra: Any) -> dict:
    """A single-day ``spe_workdays``/``spe_offdays`` entry (type 0)."""
    return {"timestamp": midnight(day), "notes": notes, "type": 0, **extra}


def all_rows(results: list[DayResult]) -> list[Row]:
    return [r for result in results for r in result.rows]


def rows_on(results: list[DayResult], day: date) -> list[Row]:
    """The rows of one day among several days' results."""
    (result,) = [r for r in results if r.day == day]
    return list(result.rows)
