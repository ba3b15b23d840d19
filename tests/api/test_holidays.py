"""Holiday calendars over the API: loading one fixes 2027's Spring Festival at once, versions
keep final months, and a corp following statutory holidays without data is warned."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from daka.services.holidays import holiday_warnings
from daka.services.org import load_org
from daka.storage import tables as t
from tests.factories import at, make_corp, make_org, make_rule
from tests.holiday_data import FICTIONAL_2027, FICTIONAL_SOURCE, fictional_2027

ADMIN_AGENTID = 2000001
ADMIN_SECRET = "holiday-admin-secret"
SPRING_MONDAY = "2027-02-08"  # inside the (fictional) 2027 Spring Festival


@pytest.fixture
def org(store):
    """The test corp (rule 1 follows statutory holidays) with an approval_admin app."""
    corp = make_corp()
    corp["apps"].append(
        {
            "agentid": ADMIN_AGENTID,
            "name": "假勤管理",
            "secret": ADMIN_SECRET,
            "checkin": False,
            "approval_admin": True,
        }
    )
    document = make_org(corp)
    load_org(store, document)
    return document


@pytest.fixture
def admin(wire) -> str:
    return _login_admin(wire)


def _login_admin(wire) -> str:
    token = wire.token
    admin_token = wire.login(secret=ADMIN_SECRET)
    wire.token = token
    return admin_token


def move_to(wire, clock, when: int) -> str:
    """Set the clock to ``when`` and log both apps in again (tokens last 2 hours); the admin
    app's token."""
    clock.now = when
    wire.login()
    return _login_admin(wire)


def load(wire, token: str, body: Any) -> dict[str, Any]:
    response = wire.client.post("/api/holidays/load", params={"access_token": token}, json=body)
    assert response.status_code == 200
    return response.json()


def calendar(wire, token: str, year: Any) -> dict[str, Any]:
    response = wire.client.get("/api/holidays", params={"access_token": token, "year": year})
    assert response.status_code == 200
    return response.json()


def rows_on(wire, day: tuple[int, int, int]) -> list[tuple[str, str]]:
    answer = wire.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 3,
            "starttime": at(*day),
            "endtime": at(*day, 23, 59),
            "useridlist": ["zhangsan"],
        },
    )
    assert answer["errcode"] == 0, answer
    return [(r["checkin_type"], r["exception_type"]) for r in answer["checkindata"]]


def explain(wire, day: str) -> dict[str, Any]:
    return wire.client.get(
        "/api/explain", params={"access_token": wire.token, "userid": "zhangsan", "date": day}
    ).json()


def test_without_2027_data_the_spring_festival_is_a_workday_and_explain_warns(wire, clock):
    move_to(wire, clock, at(2027, 2, 10, 12))

    assert rows_on(wire, (2027, 2, 8)) == [("上班打卡", "未打卡"), ("下班打卡", "未打卡")]
    answer = explain(wire, SPRING_MONDAY)
    assert answer["day"]["statutory_holiday"] is False
    assert answer["day"]["holiday_source"] is None
    (warning,) = answer["warnings"]
    assert "no statutory holiday data for 2027" in warning
    assert "wwtest0000000001" in warning and "'rule 1' (groupid 1)" in warning
    assert "daka holidays load FILE" in warning


def test_a_2027_file_makes_spring_festival_a_holiday_at_once(wire, clock):
    admin = move_to(wire, clock, at(2027, 2, 10, 12))
    assert rows_on(wire, (2027, 2, 8)) != []  # evaluated (and cached) without the file

    answer = load(wire, admin, FICTIONAL_2027)

    assert answer["errcode"] == 0, answer
    assert answer["loaded"] == [
        {"year": 2027, "version": 1, "changed": True, "effective_from": "2027-01-01"}
    ]
    assert rows_on(wire, (2027, 2, 8)) == []
    day = explain(wire, SPRING_MONDAY)
    assert day["day"]["statutory_holiday"] is True
    assert day["day"]["holiday_name"] == "春节"
    assert day["day"]["holiday_source"] == FICTIONAL_SOURCE
    assert day["warnings"] == []


def test_a_makeup_sunday_of_the_file_is_a_workday(wire, clock):
    admin = move_to(wire, clock, at(2027, 2, 20, 12))
    load(wire, admin, FICTIONAL_2027)

    assert rows_on(wire, (2027, 2, 14)) == [("上班打卡", "未打卡"), ("下班打卡", "未打卡")]


def test_the_calendar_in_force_names_its_source_version_and_load_time(wire, clock):
    admin = move_to(wire, clock, at(2026, 12, 3, 21, 30))
    before = calendar(wire, admin, 2027)
    assert before["errcode"] == 0 and before["covered"] is False
    assert "no statutory holiday data for 2027" in before["warnings"][0]

    load(wire, admin, FICTIONAL_2027)
    after = calendar(wire, admin, "2027")

    assert after["covered"] is True and after["warnings"] == []
    assert after["source"] == FICTIONAL_SOURCE
    assert (after["origin"], after["version"]) == ("corp", 1)
    assert after["effective_from"] == "2027-01-01"
    assert after["loaded_at"] == at(2026, 12, 3, 21, 30)
    assert {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"} in after["holidays"]
    assert after["makeup_workdays"][0] == {"name": "春节", "date": "2027-02-14"}
    package = calendar(wire, admin, 2026)
    assert package["origin"] == "package" and package["source"].startswith(
        "package chinese-calendar "
    )


def test_loading_the_same_file_again_makes_no_new_version(wire, admin, store):
    load(wire, admin, FICTIONAL_2027)
    with store.read() as conn:
        revision = store.revision(conn, 1)

    again = load(wire, admin, {"years": [FICTIONAL_2027]})

    assert again["loaded"] == [
        {"year": 2027, "version": None, "changed": False, "effective_from": None}
    ]
    with store.read() as conn:
        assert len(store.holiday_calendars(conn, 1)) == 1
        assert store.revision(conn, 1) == revision


def test_a_corrected_version_changes_open_months_and_keeps_final_ones(wire, clock):
    admin = move_to(wire, clock, at(2027, 2, 10, 12))
    load(wire, admin, FICTIONAL_2027)
    # February and March are final; April is still open
    admin = move_to(wire, clock, at(2027, 5, 10, 12))
    holidays = [h for h in FICTIONAL_2027["holidays"] if h["name"] not in ("春节", "清明节")]
    corrected = fictional_2027(
        source="TEST DATA: a fictional correction",
        holidays=[*holidays, {"name": "清明节", "from": "2027-04-05", "to": "2027-04-07"}],
        makeup_workdays=[m for m in FICTIONAL_2027["makeup_workdays"] if m["name"] != "春节"],
    )

    answer = load(wire, admin, corrected)

    assert answer["loaded"][0]["effective_from"] == "2027-04-01"
    assert rows_on(wire, (2027, 2, 8)) == []  # February keeps version 1's Spring Festival
    assert rows_on(wire, (2027, 4, 7)) == []  # April follows version 2
    assert explain(wire, "2027-04-07")["day"]["holiday_source"] == corrected["source"]
    assert explain(wire, "2027-02-08")["day"]["holiday_source"] == FICTIONAL_SOURCE
    versions = calendar(wire, admin, 2027)["versions"]
    assert [(v["version"], v["effective_from"]) for v in versions] == [
        (2, "2027-04-01"),
        (1, "2027-01-01"),
    ]


def test_only_approval_admin_apps_may_read_or_load_holidays(wire):
    assert load(wire, wire.token, FICTIONAL_2027)["errcode"] == 48002
    assert calendar(wire, wire.token, 2027)["errcode"] == 48002


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "year is required"),
        ([FICTIONAL_2027], "must be a JSON object"),
        (
            fictional_2027(
                year=2027, holidays=[{"name": "春节", "from": "2027-02-06", "to": "2028-01-01"}]
            ),
            "holidays[0].to 2028-01-01 is not in the year 2027",
        ),
        (
            {"years": [FICTIONAL_2027, fictional_2027(year=2028)]},
            "years[1].holidays[0].from 2027-01-01 is not in the year 2028",
        ),
        (
            fictional_2027(makeup_workdays=[{"name": "春节", "date": "2027-02-08"}]),
            "makeup_workdays[0].date 2027-02-08 is also a holiday",
        ),
    ],
)
def test_a_wrong_file_is_40058_naming_the_field_and_writes_nothing(wire, admin, store, body, field):
    with store.read() as conn:
        revision = store.revision(conn, 1)

    answer = load(wire, admin, body)

    assert answer["errcode"] == 40058
    assert field in answer["errmsg"]
    with store.read() as conn:
        assert conn.execute(t.holiday_calendars.select()).first() is None
        assert store.revision(conn, 1) == revision


@pytest.mark.parametrize("year", ["", "twenty", "1999", "2101", "-1"])
def test_the_year_asked_for_is_checked(wire, admin, year):
    answer = calendar(wire, admin, year)

    assert answer["errcode"] == 40058
    assert "year" in answer["errmsg"]


def test_a_rule_without_sync_holidays_is_not_warned_about(store, service):
    load_org(store, make_org(make_corp(rules=[make_rule(sync_holidays=False)])))

    assert holiday_warnings(service.view(1), [date(2027, 2, 8)]) == []
