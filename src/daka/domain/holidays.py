"""China's statutory holiday calendar as daka evaluates it: years, versions, precedence.

A :class:`YearCalendar` is one year's arrangement (its holidays with their names, its make-up
workdays 调休) and where it comes from. A year may have several versions (a corrected notice
loaded later); each applies from its ``effective_from`` date on, so the days before it keep
the version they were evaluated with (see :func:`effective_from` and ``docs/holidays.md``).

A corp's :class:`HolidayCalendar` layers three sources, per day: the corp's own loaded
versions, then the server-wide ones, then the chinese-calendar package's data. The first
layer with a version in force on the day decides it. A year no layer covers has no holidays
at all: daka never invents them (services warn instead).

Pure: the package's data is handed in as values, ``now`` is never read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from daka.domain.days import NO_HOLIDAY, HolidayFacts


class Origin(Enum):
    """Where a calendar version comes from, in order of precedence (highest first)."""

    CORP = "corp"  # loaded for this corp only
    SERVER = "server"  # loaded server-wide (corp_id 0)
    PACKAGE = "package"  # the chinese-calendar package


@dataclass(frozen=True, slots=True)
class Holiday:
    """One holiday: ``first`` to ``last`` inclusive, weekend days folded into it included."""

    name: str
    first: date
    last: date

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


@dataclass(frozen=True, slots=True)
class MakeupWorkday:
    """调休上班日: a weekend day worked in exchange for the holiday ``name``."""

    name: str
    date: date


@dataclass(frozen=True, slots=True)
class YearCalendar:
    """One year's statutory arrangement and its source (a notice, or the package)."""

    year: int
    source: str
    holidays: tuple[Holiday, ...]
    makeup_workdays: tuple[MakeupWorkday, ...]
    _facts: Mapping[date, HolidayFacts] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    def __post_init__(self) -> None:
        # Every lookup of a day is one dict read: resolve_days asks for each user-day.
        facts: dict[date, HolidayFacts] = {}
        for h in self.holidays:
            for d in h.days():
                facts[d] = HolidayFacts(holiday=True, name=h.name)
        for m in self.makeup_workdays:
            facts[m.date] = HolidayFacts(makeup_workday=True, name=m.name)
        object.__setattr__(self, "_facts", facts)

    def facts(self, day: date) -> HolidayFacts:
        return self._facts.get(day, NO_HOLIDAY)


@dataclass(frozen=True, slots=True)
class CalendarVersion:
    """One version of one year, in force from the date ordinal ``effective_from`` on."""

    calendar: YearCalendar
    origin: Origin
    version: int = 0  # 0: the package's data
    effective_from: int = 0
    loaded_at: int | None = None  # Unix time of the load; None for the package

    @property
    def year(self) -> int:
        return self.calendar.year


def effective_from(year: int, load_day: date, *, had_data: bool) -> int:
    """The first day (ordinal) a version of ``year`` loaded on ``load_day`` applies to.

    The months before the one preceding ``load_day`` are final: they keep the version they
    were evaluated with. The month before stays open so that a correction loaded early in a
    month still reaches the previous month, whose reports are usually still being checked.
    But when nothing (neither the package nor an earlier load) had data for the year, the
    version applies to the whole year: there was nothing to keep, and the days evaluated
    before the file arrived (January's, typically) were evaluated without any holidays.
    """
    start = date(year, 1, 1)
    if not had_data:
        return start.toordinal()
    previous_month = (load_day.replace(day=1) - timedelta(days=1)).replace(day=1)
    return max(start, previous_month).toordinal()


def _in_force(versions: Sequence[CalendarVersion], ordinal: int) -> CalendarVersion | None:
    chosen: CalendarVersion | None = None
    for v in versions:
        if v.effective_from <= ordinal and (chosen is None or v.version > chosen.version):
            chosen = v
    return chosen


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """A corp's statutory calendar: its layers of versions, by year (see the module doc)."""

    # year → the versions of each layer, in precedence order (corp, server, package)
    layers: Mapping[int, tuple[tuple[CalendarVersion, ...], ...]] = field(default_factory=dict)

    @classmethod
    def merge(
        cls,
        package: Iterable[YearCalendar] = (),
        server: Iterable[CalendarVersion] = (),
        corp: Iterable[CalendarVersion] = (),
    ) -> HolidayCalendar:
        """The calendar of a corp with these versions of its own, the server-wide ones and
        the package's years."""
        by_origin: dict[Origin, dict[int, list[CalendarVersion]]] = {o: {} for o in Origin}
        for y in package:
            by_origin[Origin.PACKAGE].setdefault(y.year, []).append(
                CalendarVersion(y, Origin.PACKAGE)
            )
        for v in server:
            by_origin[Origin.SERVER].setdefault(v.year, []).append(v)
        for v in corp:
            by_origin[Origin.CORP].setdefault(v.year, []).append(v)
        years = {y for per_year in by_origin.values() for y in per_year}
        return cls(
            {
                y: tuple(
                    tuple(sorted(by_origin[o].get(y, []), key=lambda v: v.version)) for o in Origin
                )
                for y in sorted(years)
            }
        )

    def version_on(self, day: date) -> CalendarVersion | None:
        """The version that decides ``day``, or None when no data covers it."""
        ordinal = day.toordinal()
        for versions in self.layers.get(day.year, ()):
            chosen = _in_force(versions, ordinal)
            if chosen is not None:
                return chosen
        return None

    def facts(self, day: date) -> HolidayFacts:
        """Whether ``day`` is a statutory holiday or a make-up workday (and which)."""
        version = self.version_on(day)
        return NO_HOLIDAY if version is None else version.calendar.facts(day)

    def covers(self, year: int) -> bool:
        """Whether every day of ``year`` has holiday data."""
        return self.version_on(date(year, 1, 1)) is not None

    def current(self, year: int) -> CalendarVersion | None:
        """The newest version of ``year`` this corp follows: its own newest, else the
        server-wide newest, else the package's (what ``daka holidays show`` prints)."""
        for versions in self.layers.get(year, ()):
            if versions:
                return versions[-1]
        return None

    def versions(self, year: int) -> tuple[CalendarVersion, ...]:
        """Every version of ``year`` in every layer, highest precedence first."""
        return tuple(v for versions in self.layers.get(year, ()) for v in reversed(versions))

    def source(self, year: int) -> str | None:
        """The source of :meth:`current`, or None when ``year`` has no data."""
        version = self.current(year)
        return None if version is None else version.calendar.source


NO_CALENDAR = HolidayCalendar()
