"""The holiday-calendar file (docs/holidays.md): parsed strictly into domain values, and back.

A file holds one year object, or ``{"years": [year, …]}``. Every problem raises
:class:`HolidayFileError` naming the field (``years[0].holidays[2].to …``), so a loader can
refuse the whole file before writing anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from daka.domain.holidays import Holiday, MakeupWorkday, YearCalendar

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_NAME_CHARS = 64
MAX_SOURCE_CHARS = 1024

# In the order a missing one is reported.
_YEAR_KEYS = ("year", "source", "holidays", "makeup_workdays")
_HOLIDAY_KEYS = ("name", "from", "to")
_MAKEUP_KEYS = ("name", "date")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class HolidayFileError(ValueError):
    """The holiday file is malformed; the message names the field."""


def _object(value: Any, where: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
    """A JSON object with exactly ``keys`` (``where`` "" is the file's top level)."""
    if not isinstance(value, Mapping):
        raise HolidayFileError(f"{where or 'the year'} must be a JSON object")
    prefix = f"{where}." if where else ""
    unknown = sorted(str(k) for k in value if k not in keys)
    if unknown:
        raise HolidayFileError(f"{prefix}{unknown[0]} is not a known field")
    missing = [k for k in keys if k not in value]
    if missing:
        raise HolidayFileError(f"{prefix}{missing[0]} is required")
    return value


def _text(value: Any, where: str, max_chars: int) -> str:
    if not isinstance(value, str):
        raise HolidayFileError(f"{where} must be a string")
    text = value.strip()
    if not text:
        raise HolidayFileError(f"{where} must not be empty")
    if "\x00" in text:
        raise HolidayFileError(f"{where} must not contain NUL characters")
    if len(text) > max_chars:
        raise HolidayFileError(f"{where} is over {max_chars} characters")
    return text


def _day(value: Any, where: str, year: int) -> date:
    match = _ISO_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise HolidayFileError(f"{where} must be a date YYYY-MM-DD, not {value!r}")
    try:
        day = date(*(int(g) for g in match.groups()))
    except ValueError:
        raise HolidayFileError(f"{where} {value} is not a calendar date") from None
    if day.year != year:
        raise HolidayFileError(f"{where} {value} is not in the year {year}")
    return day


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise HolidayFileError(f"{where} must be an array")
    return value


def parse_year(obj: Any, where: str = "") -> YearCalendar:
    """One year object, or HolidayFileError naming the field (prefixed with ``where``)."""
    prefix = f"{where}." if where else ""
    body = _object(obj, where, _YEAR_KEYS)
    year = body["year"]
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise HolidayFileError(f"{prefix}year must be an integer in {MIN_YEAR}..{MAX_YEAR}")
    source = _text(body["source"], f"{prefix}source", MAX_SOURCE_CHARS)

    holidays: list[Holiday] = []
    taken: dict[date, str] = {}
    raw_holidays = _list(body["holidays"], f"{prefix}holidays")
    if not raw_holidays:
        # An empty list is a blank template, not a year without holidays: there is none.
        raise HolidayFileError(f"{prefix}holidays must list at least one holiday")
    for i, raw in enumerate(raw_holidays):
        hw = f"{prefix}holidays[{i}]"
        item = _object(raw, hw, _HOLIDAY_KEYS)
        holiday = Holiday(
            name=_text(item["name"], f"{hw}.name", MAX_NAME_CHARS),
            first=_day(item["from"], f"{hw}.from", year),
            last=_day(item["to"], f"{hw}.to", year),
        )
        if holiday.last < holiday.first:
            raise HolidayFileError(f"{hw}.to {holiday.last} is before {hw}.from {holiday.first}")
        for d in holiday.days():
            if d in taken:
                raise HolidayFileError(f"{hw} overlaps {taken[d]} on {d}")
            taken[d] = hw
        holidays.append(holiday)

    makeups: list[MakeupWorkday] = []
    seen: dict[date, str] = {}
    for i, raw in enumerate(_list(body["makeup_workdays"], f"{prefix}makeup_workdays")):
        mw = f"{prefix}makeup_workdays[{i}]"
        item = _object(raw, mw, _MAKEUP_KEYS)
        makeup = MakeupWorkday(
            name=_text(item["name"], f"{mw}.name", MAX_NAME_CHARS),
            date=_day(item["date"], f"{mw}.date", year),
        )
        if makeup.date in taken:
            raise HolidayFileError(
                f"{mw}.date {makeup.date} is also a holiday ({taken[makeup.date]})"
            )
        if makeup.date in seen:
            raise HolidayFileError(
                f"{mw}.date {makeup.date} is listed twice (also {seen[makeup.date]})"
            )
        if makeup.date.weekday() < 5:
            # 调休 moves a weekend day's rest; a weekday listed here is a typo.
            raise HolidayFileError(
                f"{mw}.date {makeup.date} is a {_WEEKDAYS[makeup.date.weekday()]}: "
                "a make-up workday is a Saturday or Sunday"
            )
        seen[makeup.date] = mw
        makeups.append(makeup)

    return YearCalendar(
        year=year,
        source=source,
        holidays=tuple(sorted(holidays, key=lambda h: h.first)),
        makeup_workdays=tuple(sorted(makeups, key=lambda m: m.date)),
    )


def parse_years(obj: Any, where: str = "") -> list[YearCalendar]:
    """A list of year objects (the org file's ``holidays``), each year at most once."""
    items = _list(obj, where or "the file")
    years = [parse_year(item, f"{where}[{i}]") for i, item in enumerate(items)]
    first: dict[int, int] = {}
    for i, y in enumerate(years):
        if y.year in first:
            raise HolidayFileError(f"{where}[{i}].year {y.year} is also {where}[{first[y.year]}]")
        first[y.year] = i
    return years


def parse_file(obj: Any) -> list[YearCalendar]:
    """A holiday file: one year object, or ``{"years": [year, …]}`` (at least one)."""
    if isinstance(obj, Mapping) and "years" in obj:
        unknown = sorted(str(k) for k in obj if k != "years")
        if unknown:
            raise HolidayFileError(f"{unknown[0]} is not a known field beside years")
        years = parse_years(obj["years"], "years")
        if not years:
            raise HolidayFileError("years must hold at least one year")
        return years
    return [parse_year(obj)]


def year_body(calendar: YearCalendar) -> dict[str, Any]:
    """The year object of ``calendar``, normalised (what is stored, and compared on reload)."""
    return {
        "year": calendar.year,
        "source": calendar.source,
        "holidays": [
            {"name": h.name, "from": h.first.isoformat(), "to": h.last.isoformat()}
            for h in calendar.holidays
        ],
        "makeup_workdays": [
            {"name": m.name, "date": m.date.isoformat()} for m in calendar.makeup_workdays
        ],
    }
