"""What a day is for one user: a workday with a plan, a rest day, or a day without a rule.

Resolution order for a fixed-time rule (WeCom's, and what users of it expect):

1. a 不用打卡日期 (``spe_offdays``) is a rest day;
2. a 必须打卡日期 (``spe_workdays``) is a workday with its own slots;
3. with ``sync_holidays``, a statutory holiday is a rest day and a make-up workday (调休) is a
   workday, following the plan of the rule's first weekday plan;
4. otherwise the weekday (or 大小周 week parity) decides.

A shift rule (按班次) follows the user's schedule: schedule 0 (休息) or no schedule is a rest
day. A free rule (自由上下班) uses its workdays and holidays but has no slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from daka.domain.rules import Rule, RuleKind, WorkdayPlan


@dataclass(frozen=True, slots=True)
class HolidayFacts:
    """What the statutory calendar says about a date (see :mod:`daka.domain.holidays`)."""

    holiday: bool = False  # 法定节假日 (including the weekend days folded into it)
    makeup_workday: bool = False  # 调休上班日: a weekend day worked in exchange
    name: str = ""  # the holiday's name (春节…), on holidays and make-up workdays alike


NO_HOLIDAY = HolidayFacts()


@dataclass(frozen=True, slots=True)
class WorkDay:
    """One user's calendar day: its local midnight, its rule, and what the rule makes of it.

    ``plan`` is the plan to punch for (``None`` on rest days and for free rules); ``rest`` is
    true on a day off. ``schedule_id`` is the shift worked (shift rules only).
    """

    date: date
    start: int
    rule: Rule | None
    plan: WorkdayPlan | None = None
    rest: bool = True
    schedule_id: int = 0
    special_notes: str = ""


def resolve_day(
    rule: Rule | None,
    day: date,
    start: int,
    holiday: HolidayFacts = NO_HOLIDAY,
    schedule_id: int | None = None,
) -> WorkDay:
    """Resolve ``day`` under ``rule`` (see the module docstring for the order)."""
    if rule is None:
        return WorkDay(day, start, None)
    if rule.kind is RuleKind.SHIFTS:
        shift = rule.shift(schedule_id) if schedule_id else None
        if shift is None or not shift.plan.slots:
            return WorkDay(day, start, rule, schedule_id=schedule_id or 0)
        return WorkDay(day, start, rule, plan=shift.plan, rest=False, schedule_id=shift.id)

    for special in rule.special_offdays:
        if special.covers(day):
            return WorkDay(day, start, rule, special_notes=special.notes)
    for special in rule.special_workdays:
        if special.covers(day):
            plan = special.plan if rule.kind is RuleKind.FIXED else None
            return WorkDay(day, start, rule, plan=plan, rest=False, special_notes=special.notes)
    if rule.sync_holidays:
        if holiday.holiday:
            return WorkDay(day, start, rule)
        if holiday.makeup_workday:
            plan = rule.plans[0] if rule.plans else None
            return WorkDay(
                day,
                start,
                rule,
                plan=plan if rule.kind is RuleKind.FIXED else None,
                rest=plan is None,
            )
    plan = rule.plan_for(day)
    if plan is None:
        return WorkDay(day, start, rule)
    return WorkDay(day, start, rule, plan=plan if rule.kind is RuleKind.FIXED else None, rest=False)
