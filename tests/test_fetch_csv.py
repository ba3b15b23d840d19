"""daka fetch --format csv: Unix times as ISO 8601 in the corp's zone, everything else as sent."""

from __future__ import annotations

import csv
import io
import json
from zoneinfo import ZoneInfo

from daka.fetch import to_csv
from tests.factories import at
from tests.report_examples import DAY_DATA

PUNCH = at(2026, 11, 18, 8, 35)  # Shanghai time


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_check_in_times_are_iso_8601_in_the_corps_zone():
    answer = {"checkindata": [{"userid": "zhangsan", "checkin_time": PUNCH, "lat": 0}]}

    (row,) = rows(to_csv("getcheckindata", answer, ZoneInfo("Asia/Shanghai")))

    assert row == {"userid": "zhangsan", "checkin_time": "2026-11-18T08:35:00+08:00", "lat": "0"}


def test_a_day_reports_date_is_iso_inside_its_nested_json_but_its_day_seconds_stay():
    (row,) = rows(to_csv("getcheckin_daydata", DAY_DATA, ZoneInfo("Asia/Shanghai")))

    assert json.loads(row["base_info"])["date"] == "2020-09-03T00:00:00+08:00"
    assert json.loads(row["summary_info"])["earliest_time"] == 38827


def test_another_zone_writes_its_own_offset():
    answer = {"checkindata": [{"checkin_time": PUNCH}]}

    (row,) = rows(to_csv("getcheckindata", answer, ZoneInfo("Europe/Berlin")))

    assert row["checkin_time"] == "2026-11-18T01:35:00+01:00"
