"""A corp's holiday calendar: precedence of its layers, and versions that keep final months."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from daka.domain.holidays import (
    CalendarVersion,
    Holiday,
    HolidayCalendar,
    Origin,
    YearCalendar,
    effective_from,
)

SPRING = Holiday("春节", date(2027, 2, 6), date(2027, 2, 13))


def year(*holidays: Holiday, source: str = "test data", y: int = 2027) -> YearCalendar:
    return YearCalendar(y, source, holidays, ())


def version(calendar: YearCalendar, origin: Origin, number: int, start: date) -> CalendarVersion:
    return CalendarVersion(calendar, origin, number, start.toordinal(), loaded_at=0)


def test_a_year_without_any_data_has_no_holidays_and_is_not_covered():
    calendar = HolidayCalendar.merge(package=[year(y=2026)])

    assert not calendar.covers(2027)
    assert not calendar.facts(date(2027, 2, 8)).holiday
    assert calendar.version_on(date(2027, 2, 8)) is None
    assert calendar.covers(2026)


def test_a_corps_own_calendar_overrides_the_server_wide_one_which_overrides_the_package():
    package = year(Holiday("春节", date(2027, 2, 1), date(2027, 2, 1)), source="package")
    server = version(year(SPRING, source="server"), Origin.SERVER, 1, date(2027, 1, 1))
    corp = version(
        year(Holiday("春节", date(2027, 2, 20), date(2027, 2, 20)), source="corp"),
        Origin.CORP,
        1,
        date(2027, 1, 1),
    )

    assert HolidayCalendar.merge([package]).facts(date(2027, 2, 1)).holiday
    with_server = HolidayCalendar.merge([package], [server])
    assert not with_server.facts(date(2027, 2, 1)).holiday
    assert with_server.facts(date(2027, 2, 8)).holiday
    with_corp = HolidayCalendar.merge([package], [server], [corp])
    assert not with_corp.facts(date(2027, 2, 8)).holiday
    assert with_corp.facts(date(2027, 2, 20)).holiday
    assert with_corp.source(2027) == "corp"


def test_days_before_a_corps_own_version_keep_the_server_wide_calendar():
    server = version(year(SPRING), Origin.SERVER, 1, date(2027, 1, 1))
    corp = version(
        year(Holiday("国庆节", date(2027, 10, 1), date(2027, 10, 7))),
        Origin.CORP,
        1,
        date(2027, 9, 1),
    )

    calendar = HolidayCalendar.merge(server=[server], corp=[corp])

    assert calendar.facts(date(2027, 2, 8)).holiday  # still the server's version
    assert calendar.facts(date(2027, 10, 2)).holiday
    assert calendar.version_on(date(2027, 2, 8)) == server


def test_the_first_data_for_a_year_applies_to_the_whole_year():
    assert effective_from(2027, date(2027, 3, 15), had_data=False) == date(2027, 1, 1).toordinal()


def test_a_later_version_applies_from_the_first_of_the_month_before_the_load():
    assert effective_from(2027, date(2027, 3, 15), had_data=True) == date(2027, 2, 1).toordinal()
    assert effective_from(2027, date(2027, 1, 5), had_data=True) == date(2027, 1, 1).toordinal()
    assert effective_from(2027, date(2026, 12, 3), had_data=True) == date(2027, 1, 1).toordinal()


LOAD_DAYS = st.lists(
    st.integers(0, 500).map(lambda n: date(2026, 11, 1) + timedelta(days=n)),
    min_size=1,
    max_size=5,
).map(sorted)
HOLIDAY_SETS = st.lists(st.sets(st.integers(0, 364), max_size=10), min_size=5, max_size=5)


@given(LOAD_DAYS, HOLIDAY_SETS, st.booleans())
def test_a_newer_version_never_changes_a_final_month(
    load_days: list[date], holiday_sets: list[set[int]], package_has_it: bool
):
    start = date(2027, 1, 1)
    package = [year(Holiday("元旦", start, start), source="package")] if package_has_it else []
    loaded: list[CalendarVersion] = []
    every_day = [start + timedelta(days=i) for i in range(365)]
    for number, (load_day, offsets) in enumerate(zip(load_days, holiday_sets, strict=False), 1):
        before = HolidayCalendar.merge(package, loaded)
        body = year(*(Holiday("假", start + timedelta(o), start + timedelta(o)) for o in offsets))
        had_data = package_has_it or bool(loaded)
        first = effective_from(2027, load_day, had_data=had_data)
        loaded.append(CalendarVersion(body, Origin.SERVER, number, first, loaded_at=0))
        after = HolidayCalendar.merge(package, loaded)

        final = (load_day.replace(day=1) - timedelta(days=1)).replace(day=1)
        if had_data:
            for d in every_day:
                if d < final:
                    assert after.facts(d) == before.facts(d), (d, load_day)
        for d in every_day:
            if d.toordinal() >= first:
                assert after.facts(d) == body.facts(d)
