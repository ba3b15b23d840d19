"""Evaluate punches against a WeCom rule object, the way the service does."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from daka.domain.calendar import date_range, day_start
from daka.domain.days import HolidayFacts, resolve_day
from daka.domain.evaluation import DayResult, Row, evaluate_user
from daka.domain.punches import Punch
from daka.wire.rules import normalize_group, to_rule
from tests.factories import SHANGHAI, make_rule


def rule_of(**kwargs: Any):
    return to_rule(normalize_group(make_rule(**kwargs)))


def punch(ts: int, **fields: Any) -> Punch:
    return Punch(userid="zhangsan", time=ts, **fields)


def workdays(rule, first: date, last: date, holidays=None, schedule=None):
    """Resolved days from ``first`` to ``last``; ``holidays``/``schedule`` map dates to facts."""
    return [
        resolve_day(
            rule,
            d,
            day_start(d, SHANGHAI),
            (holidays or {}).get(d, HolidayFacts()),
            (schedule or {}).get(d),
        )
        for d in date_range(first, last)
    ]


def evaluate(
    punches: list[Punch],
    day: date,
    now: int,
    rule=None,
    days_after: int = 0,
    holidays=None,
    schedule=None,
    unusual=frozenset(),
) -> list[DayResult]:
    """Results for ``day`` .. ``day + days_after`` (with one context day on each side)."""
    rule = rule if rule is not None else rule_of()
    days = workdays(
        rule, day - timedelta(days=1), day + timedelta(days=days_after + 1), holidays, schedule
    )
    return evaluate_user("zhangsan", days, punches, now, unusual)[1:-1]


def rows_of(punches: list[Punch], day: date, now: int, rule=None) -> list[Row]:
    return list(evaluate(punches, day, now, rule)[0].rows)


def summary(rows: list[Row]) -> list[tuple[str, str, int]]:
    """(checkin_type, exception_type, time) of each row, as the wire shows them."""
    return [(r.checkin_type.value, ";".join(a.value for a in r.anomalies), r.time) for r in rows]
