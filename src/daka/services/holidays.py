"""China's statutory holidays: the chinese-calendar package's years, loaded calendar files,
and the warnings for years nobody has data for.

chinese-calendar is maintained from the State Council's yearly notices, but a release covers
only the years announced before it; the next year's notice comes in Nov/Dec. A holiday file
(docs/holidays.md) fills the gap, or corrects a year. Loaded versions are stored per corp
(0: server-wide) and merged with the package's years into each corp's
:class:`~daka.domain.holidays.HolidayCalendar` (see :func:`calendar_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib.metadata import version as package_version
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import chinese_calendar
import orjson
from sqlalchemy.engine import Connection

from daka.domain.holidays import (
    CalendarVersion,
    Holiday,
    HolidayCalendar,
    MakeupWorkday,
    Origin,
    YearCalendar,
    effective_from,
)
from daka.storage.store import HolidayCalendarRow, Store
from daka.wire.holidays import parse_year, year_body

if TYPE_CHECKING:  # corpview imports this module (calendar_for)
    from daka.services.corpview import CorpView

CHINA = ZoneInfo("Asia/Shanghai")
# At start, next year counts as "dates in" once it is this close: rules are set up, schedules
# planned and punches arrive for it.
NEXT_YEAR_WARNING_DAYS = 30


@cache
def package_source() -> str:
    return f"package chinese-calendar {package_version('chinese_calendar')}"


def _chinese_name(english: str) -> str:
    for h in chinese_calendar.Holiday:
        if h.value == english:
            return str(getattr(h, "chinese", english))
    return english


@cache
def package_years() -> tuple[YearCalendar, ...]:
    """Every year the installed chinese-calendar has data for, as domain values."""
    source = package_source()
    by_year: dict[int, dict[date, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        by_year.setdefault(day.year, {})[day] = _chinese_name(str(name))
    makeups: dict[int, list[MakeupWorkday]] = {}
    for day, name in sorted(chinese_calendar.workdays.items()):
        # The package lists weekday "workdays" of a holiday's week too; only a weekend day
        # worked in exchange changes anything.
        if day.weekday() >= 5:
            makeups.setdefault(day.year, []).append(MakeupWorkday(_chinese_name(str(name)), day))
    years = []
    for year, days in sorted(by_year.items()):
        # Runs of consecutive days with one name are one holiday.
        holidays: list[Holiday] = []
        for day in sorted(days):
            last = holidays[-1] if holidays else None
            if last is not None and last.name == days[day] and last.last + timedelta(1) == day:
                holidays[-1] = Holiday(last.name, last.first, day)
            else:
                holidays.append(Holiday(days[day], day, day))
        years.append(YearCalendar(year, source, tuple(holidays), tuple(makeups.get(year, ()))))
    return tuple(years)


@cache
def package_calendar() -> HolidayCalendar:
    """The package's data alone (a corp with no loaded calendar)."""
    return HolidayCalendar.merge(package=package_years())


def package_covers(year: int) -> bool:
    return package_calendar().covers(year)


def _version(row: HolidayCalendarRow) -> CalendarVersion:
    return CalendarVersion(
        calendar=parse_year(row.body, f"holiday_calendars[{row.corp_id}, {row.year}]"),
        origin=Origin.SERVER if row.corp_id == 0 else Origin.CORP,
        version=row.version,
        effective_from=row.effective_from,
        loaded_at=row.loaded_at,
    )


def calendar_for(rows: Iterable[HolidayCalendarRow]) -> HolidayCalendar:
    """A corp's calendar from its stored versions (its own and corp 0's) and the package."""
    versions = [_version(r) for r in rows]
    return HolidayCalendar.merge(
        package=package_years(),
        server=[v for v in versions if v.origin is Origin.SERVER],
        corp=[v for v in versions if v.origin is Origin.CORP],
    )


# -- loading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loaded:
    """What loading one year did: a new ``version`` from ``effective_from``, or nothing
    (``version`` None) because the body was the same as the newest stored one."""

    year: int
    version: int | None
    effective_from: date | None

    def describe(self) -> str:
        if self.version is None or self.effective_from is None:
            return f"{self.year}: unchanged (the same as the newest loaded version)"
        if self.effective_from.year > self.year:
            # Loaded after the year's months were final: kept for the record, it changes nothing.
            return (
                f"{self.year}: version {self.version}, which changes no day: every month of "
                f"{self.year} is final (see docs/holidays.md)"
            )
        return f"{self.year}: version {self.version}, in force from {self.effective_from}"


def add_years(
    store: Store,
    conn: Connection,
    corp_id: int,
    years: Sequence[YearCalendar],
    now: int,
    tz: ZoneInfo = CHINA,
) -> list[Loaded]:
    """Store a version of each year for ``corp_id`` (0: server-wide) inside the caller's
    transaction ``conn``, bumping the revisions of the corps concerned.

    A year whose body equals the newest stored version of that corp is left alone. The load
    day (``now`` in ``tz``) decides each version's start (:func:`effective_from`).
    """
    store.lock_holiday_calendars(conn, corp_id)
    stored = store.holiday_calendars(conn, corp_id)
    load_day = datetime.fromtimestamp(now, tz).date()
    out = []
    for calendar in years:
        body = year_body(calendar)
        own = [r for r in stored if r.corp_id == corp_id and r.year == calendar.year]
        if own and _same(own[-1].body, body):
            out.append(Loaded(calendar.year, None, None))
            continue
        had_data = package_covers(calendar.year) or any(r.year == calendar.year for r in stored)
        start = effective_from(calendar.year, load_day, had_data=had_data)
        version = store.add_holiday_calendar(
            conn, corp_id, calendar.year, start, calendar.source, body, now
        )
        out.append(Loaded(calendar.year, version, date.fromordinal(start)))
    return out


def _same(a: object, b: object) -> bool:
    return orjson.dumps(a, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
        b, option=orjson.OPT_SORT_KEYS
    )


def load_years(
    store: Store, corp_id: int, years: Sequence[YearCalendar], now: int, tz: ZoneInfo = CHINA
) -> list[Loaded]:
    """:func:`add_years` in a transaction of its own (all years or none)."""
    return store.transaction(lambda conn: add_years(store, conn, corp_id, years, now, tz))


# -- reading --------------------------------------------------------------------------------


def _origin_text(version: CalendarVersion) -> str:
    if version.origin is Origin.PACKAGE:
        return version.calendar.source
    scope = "server-wide" if version.origin is Origin.SERVER else "this corp's own"
    loaded = (
        datetime.fromtimestamp(version.loaded_at, CHINA).isoformat()
        if version.loaded_at is not None
        else "?"
    )
    return (
        f"loaded file ({scope}), version {version.version}, loaded {loaded}, "
        f"in force from {_start(version)}"
    )


def _start(version: CalendarVersion) -> date:
    # The package's data (effective_from 0) applies to its whole year.
    return date.fromordinal(version.effective_from or date(version.year, 1, 1).toordinal())


def describe_year(calendar: HolidayCalendar, year: int) -> dict[str, Any]:
    """The calendar in force for ``year``, its source and versions (``GET api/holidays``,
    ``daka holidays show``). ``covered`` is false when there is no data at all."""
    current = calendar.current(year)
    if current is None:
        return {"year": year, "covered": False, "holidays": [], "makeup_workdays": []}
    body = year_body(current.calendar)
    return {
        "year": year,
        "covered": calendar.covers(year),
        "source": current.calendar.source,
        "origin": current.origin.value,
        "version": current.version,
        "effective_from": _start(current).isoformat(),
        "loaded_at": current.loaded_at,
        "describe": _origin_text(current),
        "holidays": body["holidays"],
        "makeup_workdays": body["makeup_workdays"],
        "versions": [
            {
                "origin": v.origin.value,
                "version": v.version,
                "effective_from": _start(v).isoformat(),
                "source": v.calendar.source,
                "loaded_at": v.loaded_at,
            }
            for v in calendar.versions(year)
        ],
    }


# -- warnings -------------------------------------------------------------------------------


def holiday_warnings(view: CorpView, days: Iterable[date]) -> list[str]:
    """One warning per year among ``days`` that has no holiday data while a rule in force on
    one of those days follows statutory holidays (``sync_holidays``). Such days would be
    workdays even on the Spring Festival; the warning says how to fix it."""
    by_year: dict[int, list[date]] = {}
    for d in days:
        by_year.setdefault(d.year, []).append(d)
    out = []
    for year, year_days in sorted(by_year.items()):
        if view.holidays.covers(year):
            continue
        rules = {
            r.id: r for d in year_days for r in view.ruleset(d).rules.values() if r.sync_holidays
        }
        if not rules:
            continue
        names = ", ".join(f"{r.name!r} (groupid {r.id})" for _, r in sorted(rules.items()))
        corp = view.corp
        out.append(
            f"no statutory holiday data for {year}: corp {corp.corpid} ({corp.name}) has rules "
            f"that follow statutory holidays (sync_holidays): {names}. Without data, {year}'s "
            f"holidays count as ordinary days (the Spring Festival as workdays, 未打卡) and no "
            f"make-up workday is known. Load the State Council's {year} arrangement: "
            f"daka holidays load FILE (server-wide) or daka holidays load FILE --corpid "
            f"{corp.corpid} (see docs/holidays.md)"
        )
    return out


def startup_days(today: date) -> list[date]:
    """The days whose years count at server start: today, and the next New Year's Day once
    it is at most :data:`NEXT_YEAR_WARNING_DAYS` away."""
    new_year = date(today.year + 1, 1, 1)
    if (new_year - today).days <= NEXT_YEAR_WARNING_DAYS:
        return [today, new_year]
    return [today]


def startup_warnings(views: Iterable[CorpView], now: int) -> list[str]:
    """:func:`holiday_warnings` of each corp for the years that count at server start
    (:func:`startup_days`, in the corp's timezone)."""
    out: list[str] = []
    for view in views:
        today = datetime.fromtimestamp(now, view.tz).date()
        out.extend(holiday_warnings(view, startup_days(today)))
    return out
