"""Evaluate punches against a WeCom rule object, the way the service does."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from daka.domain.calendar import date_range, day_start
from daka.domain.evaluation import DayResult, Row, WorkDay, evaluate_user
from daka.domain.punches import Punch
from daka.wire.rules import normalize_group, to_rule
from tests.factories import SHANGHAI, make_rule


def rule_of(**kwargs: Any):
    return to_rule(normalize_group(make_rule(**kwargs)))


def punch(ts: int, **fields: Any) -> Punch:
    return Punch(userid="zhangsan", time=ts, **fields)


def evaluate(punches: list[Punch], day: date, now: int, rule=None, days_after: int = 0,
             ) -> list[DayResult]:
    """Results for ``day`` .. ``day + days_after`` (with one context day on each side)."""
    rule = rule if rule is not None else rule_of()
    days = date_range(day - timedelta(days=1), day + timedelta(days=days_after + 1))
    workdays = [WorkDay(date=d, start=day_start(d, SHANGHAI), rule=rule) for d in days]
    return evaluate_user("zhangsan", workdays, punches, now)[1:-1]


def rows_of(punches: list[Punch], day: date, now: int, rule=None) -> list[Row]:
    return list(evaluate(punches, day, now, rule)[0].rows)


def summary(rows: list[Row]) -> list[tuple[str, str, int]]:
    """(checkin_type, exception_type, time) of each row, as the wire shows them."""
    return [(r.checkin_type.value, ";".join(a.value for a in r.anomalies), r.time) for r in rows]
