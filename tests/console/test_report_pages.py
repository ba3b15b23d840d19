"""The daily report table, the trends, rules and schedules, the directory, holidays, the
audit trail and the language switch, as an HR person uses them (in process)."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import openpyxl
from starlette.testclient import TestClient

from daka.storage.store import Store
from tests.conftest import Wire
from tests.console.conftest import csrf_of
from tests.console.test_pages import MONDAY, punch_week
from tests.factories import CORPID
from tests.holiday_data import FICTIONAL_SOURCE, fictional_2027

WEEK = {"since": MONDAY, "until": "2026-11-20"}


def test_the_daily_report_shows_only_the_late_days_and_exports_exactly_them(
    signed_in: Any, wire: Wire
) -> None:
    punch_week(wire)
    client = signed_in("hr")
    only_late = {**WEEK, "only": "1"}
    table = client.get("/console/days", params=only_late).text
    assert "李四" in table and "迟到1次" in table
    assert "张三" not in table and "王五" not in table
    exported = client.get("/console/days.xlsx", params=only_late)
    assert exported.status_code == 200
    assert "filename*=UTF-8''" in exported.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content))["概况统计与打卡明细"]
    names = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]]
    assert names == ["李四"]


def test_trends_give_attendance_per_day_and_lateness_per_department(
    signed_in: Any, wire: Wire
) -> None:
    punch_week(wire)
    html = signed_in("hr").get("/console/trends", params=WEEK).text
    assert "100.0% (3/3)" in html  # Monday: zhangsan, lisi and wangwu punched
    assert "0.0% (0/3)" in html  # Tuesday: nobody did
    assert "Backend" in html and "20 min, 1×" in html  # lisi is in Backend


def test_a_shift_schedule_for_the_coming_week_is_edited_as_a_grid(
    signed_in: Any, store: Store
) -> None:
    client = signed_in("hr")
    rules = client.get("/console/rules").text
    assert "shifts 5" in rules and "按班次上下班" in rules
    grid = client.get("/console/rules/5/schedule")
    assert grid.status_code == 200 and "赵六" in grid.text
    # The fake clock says 2026-11-23: the grid covers the 24th to the 30th.
    answer = client.post(
        "/console/rules/5/schedule",
        data={
            "csrf": csrf_of(grid.text),
            "s:zhaoliu:2026-11-24": "1",
            "s:zhaoliu:2026-11-25": "2",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        saved = store.schedules(
            conn,
            corp.id,
            ["zhaoliu"],
            date(2026, 11, 24).toordinal(),
            date(2026, 11, 30).toordinal(),
        )["zhaoliu"]
    assert saved[date(2026, 11, 24).toordinal()] == (5, 1)
    assert saved[date(2026, 11, 25).toordinal()] == (5, 2)
    again = client.get("/console/rules/5/schedule").text
    assert 'value="2" selected' in again


def test_a_department_admin_sees_no_shift_grid_of_people_outside_it(signed_in: Any) -> None:
    html = signed_in("rd").get("/console/rules/5/schedule").text
    assert "赵六" not in html


def test_the_directory_finds_people_and_escapes_their_names(signed_in: Any, store: Store) -> None:
    from daka.domain.directory import User

    with store.write() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        store.upsert_user(conn, corp.id, User("evil", '<img src=x onerror="alert(1)">', (1,)))
        store.bump_revision(conn, corp.id)
    client = signed_in("hr")
    found = client.get("/console/people", params={"q": "evil"}).text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in found
    assert "<img src=x" not in found
    assert "张三" not in found  # the search keeps only matches


def test_a_holiday_file_loads_and_the_year_shows_as_a_calendar(
    signed_in: Any, store: Store
) -> None:
    client = signed_in("hr")
    page = client.get("/console/holidays", params={"year": 2027})
    assert "没有节假日数据" in page.text
    answer = client.post(
        "/console/holidays",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("2027.json", json.dumps(fictional_2027()).encode(), "application/json")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    shown = client.get("/console/holidays", params={"year": 2027}).text
    assert FICTIONAL_SOURCE.split(",")[0] in shown
    assert 'class="holiday" title="2027-02-08"' in shown
    assert 'class="makeup" title="2027-02-14"' in shown
    trail = client.get("/console/audit").text
    assert "holidays" in trail and "2027" in trail


def test_a_file_that_is_not_a_holiday_file_is_refused_and_loads_nothing(
    signed_in: Any,
) -> None:
    client = signed_in("hr")
    page = client.get("/console/holidays")
    answer = client.post(
        "/console/holidays",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("x.json", b'{"year": "soon"}', "application/json")},
    )
    assert answer.status_code == 400 and 'role="alert"' in answer.text
    assert "没有节假日数据" in client.get("/console/holidays", params={"year": 2027}).text


def test_only_a_corp_admin_loads_a_corp_wide_holiday_file(signed_in: Any) -> None:
    client = signed_in("rd")
    page = client.get("/console/holidays")
    assert 'enctype="multipart/form-data"' not in page.text
    answer = client.post(
        "/console/holidays",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("2027.json", json.dumps(fictional_2027()).encode(), "application/json")},
    )
    assert answer.status_code == 403


def test_english_is_one_click_away_and_wecom_terms_stay_chinese(signed_in: Any, wire: Wire) -> None:
    punch_week(wire)
    client = signed_in("hr")
    client.get("/console/lang", params={"to": "en", "next": "/console/today"})
    english = client.get("/console/month", params={**WEEK, "only": "1"}).text
    assert "Monthly report" in english and 'lang="en"' in english
    assert "迟到20分钟" in english  # WeCom's cell text, whatever the UI language
    client.get("/console/lang", params={"to": "zh", "next": "/console/today"})
    assert "月报" in client.get("/console/month").text


def test_the_language_switch_never_sends_anyone_off_site(api: TestClient) -> None:
    answer = api.get(
        "/console/lang",
        params={"to": "en", "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/console/"
