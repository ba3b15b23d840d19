"""The holiday-calendar file: strict, naming the field, and round-tripping."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.domain.holidays import Holiday, MakeupWorkday, YearCalendar
from daka.services.holidays import package_years
from daka.wire.holidays import HolidayFileError, parse_file, parse_year, year_body
from tests.holiday_data import FICTIONAL_2027, fictional_2027

EXAMPLE_2026 = Path(__file__).parents[2] / "examples" / "holidays-2026.json"


def test_a_2027_file_names_its_spring_festival_and_its_makeup_workday():
    (calendar,) = parse_file(FICTIONAL_2027)

    assert calendar.year == 2027
    assert Holiday("春节", date(2027, 2, 6), date(2027, 2, 13)) in calendar.holidays
    assert calendar.facts(date(2027, 2, 8)).holiday
    assert calendar.facts(date(2027, 2, 8)).name == "春节"
    assert calendar.facts(date(2027, 2, 14)).makeup_workday
    assert not calendar.facts(date(2027, 2, 15)).holiday


def test_a_file_may_hold_several_years():
    other = fictional_2027(
        year=2028, holidays=[{"name": "元旦", "from": "2028-01-01", "to": "2028-01-01"}]
    )
    other["makeup_workdays"] = []

    years = parse_file({"years": [FICTIONAL_2027, other]})

    assert [y.year for y in years] == [2027, 2028]


def test_the_shipped_2026_example_is_the_state_councils_notice_as_the_package_has_it():
    (example,) = parse_file(json.loads(EXAMPLE_2026.read_text(encoding="utf-8")))
    (package,) = [y for y in package_years() if y.year == 2026]

    def days(calendar: YearCalendar) -> tuple[set[date], set[date]]:
        return (
            {d for h in calendar.holidays for d in h.days()},
            {m.date for m in calendar.makeup_workdays},
        )

    assert days(example) == days(package)


def _with_holiday(**holiday: Any) -> dict[str, Any]:
    return fictional_2027(
        holidays=[{"name": "春节", "from": "2027-02-06", "to": "2027-02-13", **holiday}]
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "the year must be a JSON object"),
        (fictional_2027(notes="x"), "notes is not a known field"),
        ({k: v for k, v in FICTIONAL_2027.items() if k != "source"}, "source is required"),
        (fictional_2027(year="2027"), "year must be an integer in 2000..2100"),
        (fictional_2027(year=True), "year must be an integer in 2000..2100"),
        (fictional_2027(source="  "), "source must not be empty"),
        (fictional_2027(holidays=[]), "holidays must list at least one holiday"),
        (fictional_2027(holidays={}), "holidays must be an array"),
        (_with_holiday(name=""), "holidays[0].name must not be empty"),
        (_with_holiday(name="春\x00节"), "holidays[0].name must not contain NUL characters"),
        (_with_holiday(days=8), "holidays[0].days is not a known field"),
        (_with_holiday(**{"from": "2027-2-6"}), "holidays[0].from must be a date YYYY-MM-DD"),
        (_with_holiday(to="2027-02-30"), "holidays[0].to 2027-02-30 is not a calendar date"),
        (_with_holiday(to="2028-01-02"), "holidays[0].to 2028-01-02 is not in the year 2027"),
        (_with_holiday(to="2027-02-05"), "holidays[0].to 2027-02-05 is before holidays[0].from"),
        (
            fictional_2027(
                holidays=[
                    {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"},
                    {"name": "元宵", "from": "2027-02-13", "to": "2027-02-13"},
                ]
            ),
            "holidays[1] overlaps holidays[0] on 2027-02-13",
        ),
        (
            fictional_2027(makeup_workdays=[{"name": "春节", "date": "2027-02-13"}]),
            "makeup_workdays[0].date 2027-02-13 is also a holiday (holidays[1])",
        ),
        (
            fictional_2027(makeup_workdays=[{"name": "春节", "date": "2027-02-15"}]),
            "makeup_workdays[0].date 2027-02-15 is a Monday",
        ),
        (
            fictional_2027(
                makeup_workdays=[
                    {"name": "春节", "date": "2027-02-14"},
                    {"name": "春节", "date": "2027-02-14"},
                ]
            ),
            "makeup_workdays[1].date 2027-02-14 is listed twice",
        ),
        (
            fictional_2027(makeup_workdays=[{"date": "2027-02-14"}]),
            "makeup_workdays[0].name is required",
        ),
        ({"years": []}, "years must hold at least one year"),
        ({"years": [FICTIONAL_2027], "version": 2}, "version is not a known field beside years"),
        ({"years": [FICTIONAL_2027, FICTIONAL_2027]}, "years[1].year 2027 is also years[0]"),
        ({"years": [fictional_2027(source="")]}, "years[0].source must not be empty"),
    ],
)
def test_a_wrong_file_is_refused_naming_the_field(body: Any, message: str):
    with pytest.raises(HolidayFileError) as refused:
        parse_file(body)

    assert message in str(refused.value)


YEARS = st.integers(2000, 2100)
NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8).filter(
    lambda s: s.strip() == s and s
)


@st.composite
def year_calendars(draw: st.DrawFn) -> YearCalendar:
    """Any valid year: disjoint holiday runs, make-up weekend days outside them."""
    year = draw(YEARS)
    start = date(year, 1, 1)
    length = (date(year + 1, 1, 1) - start).days
    offsets = sorted(draw(st.sets(st.integers(0, length - 1), min_size=2, max_size=20)))
    holidays = []
    for first, last in zip(offsets[::2], offsets[1::2], strict=False):
        holidays.append(Holiday(draw(NAMES), start + timedelta(first), start + timedelta(last)))
    taken = {d for h in holidays for d in h.days()}
    weekend = [start + timedelta(i) for i in range(length) if (start + timedelta(i)).weekday() >= 5]
    free = [d for d in weekend if d not in taken]
    makeups = draw(st.lists(st.sampled_from(free), unique=True, max_size=5)) if free else []
    return YearCalendar(
        year=year,
        source=draw(NAMES),
        holidays=tuple(holidays),
        makeup_workdays=tuple(MakeupWorkday(draw(NAMES), d) for d in sorted(makeups)),
    )


@given(year_calendars())
def test_any_valid_year_round_trips_through_its_file(calendar: YearCalendar):
    body = json.loads(json.dumps(year_body(calendar), ensure_ascii=False))

    assert parse_year(body) == calendar
    assert year_body(parse_year(body)) == body
