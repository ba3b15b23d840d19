"""China's statutory holidays and make-up workdays (调休), from the chinese-calendar package.

chinese-calendar is maintained from the State Council's yearly notices; years it does not
cover yet are treated as having no holidays (and a warning is logged once per year).
"""

from __future__ import annotations

import logging
from datetime import date
from functools import lru_cache

import chinese_calendar

from daka.domain.days import NO_HOLIDAY, HolidayFacts

log = logging.getLogger("daka.holidays")
_warned: set[int] = set()


@lru_cache(maxsize=4096)
def holiday_facts(day: date) -> HolidayFacts:
    """Whether ``day`` is a statutory holiday or a make-up workday in mainland China."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        if day.year not in _warned:
            _warned.add(day.year)
            log.warning("chinese-calendar has no holiday data for %s", day.year)
        return NO_HOLIDAY
    if name is None:
        return NO_HOLIDAY
    if is_holiday:
        return HolidayFacts(holiday=True)
    return HolidayFacts(makeup_workday=day.weekday() >= 5)
