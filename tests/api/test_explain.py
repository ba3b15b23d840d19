"""Explaining a user-day: over HTTP (/api/explain) and with `daka explain`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from daka.cli import main
from tests.factories import CORPID, OFFICE, at, make_record


def test_explain_shows_the_rule_windows_and_what_became_of_each_punch(wire):
    wire.post(
        "checkin/add_checkin_record",
        {
            "records": [
                make_record(
                    checkin_time=at(2026, 11, 16, 8, 50), lat=OFFICE[0] + 10_000, lng=OFFICE[1]
                ),
                make_record(checkin_time=at(2026, 11, 16, 8, 55)),
                make_record(checkin_time=at(2026, 11, 16, 18, 5)),
            ]
        },
    )

    response = wire.client.get(
        "/api/explain",
        params={"access_token": wire.token, "userid": "zhangsan", "date": "2026-11-16"},
    )

    body = response.json()
    assert body["errcode"] == 0
    assert body["rule"] == {
        "groupid": 1,
        "groupname": "rule 1",
        "grouptype": 1,
        "version": 1,
        "effective_from": "always",
    }
    assert body["day"]["workday"] is True
    (instance,) = body["instances"]
    assert instance["scheduled"] == {
        "on": "2026-11-16T09:00:00+08:00",
        "off": "2026-11-16T18:00:00+08:00",
    }
    assert instance["on_duty_window"] == ["2026-11-16T06:00:00+08:00", "2026-11-16T18:00:00+08:00"]
    assert instance["off_duty_window"] == ["2026-11-16T09:01:00+08:00", "2026-11-17T06:00:00+08:00"]
    assert [p["taken_as"] for p in body["punches"]] == [
        "上班打卡 (timeline 1)",
        "passed over",
        "下班打卡 (timeline 1)",
    ]
    distance = body["punches"][0]["fence_distances_m"][0]["distance_m"]
    assert 1_100 < distance < 1_125  # 0.01° of latitude
    assert [r["exception_type"] for r in body["rows"]] == ["地点异常", ""]


def test_explain_answers_errors_in_the_envelope(wire):
    def ask(**params):
        return wire.client.get("/api/explain", params={"access_token": wire.token, **params})

    assert ask(userid="ghost", date="2026-11-16").json()["errcode"] == 301021
    assert ask(userid="zhangsan", date="16/11/2026").json()["errcode"] == 40058
    assert wire.client.get("/api/explain").json()["errcode"] == 41001


def test_daka_explain_prints_the_same_explanation(wire, db_url):
    wire.post(
        "checkin/add_checkin_record",
        {"records": [make_record(checkin_time=at(2026, 11, 16, 8, 55))]},
    )

    result = CliRunner().invoke(
        main, ["explain", "zhangsan", "2026-11-16", "--corpid", CORPID, "--db", db_url]
    )

    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["punches"][0]["taken_as"] == "上班打卡 (timeline 1)"


def test_explain_flags_a_punch_from_an_unusual_phone_as_getcheckindata_does(wire):
    # Two weeks of punches from the usual phone, then one from a phone never seen before.
    usual_days = [d for d in range(2, 14) if d not in (7, 8)]
    wire.post(
        "checkin/add_checkin_record",
        {
            "records": [
                make_record(
                    checkin_time=at(2026, 11, day, 8, 55), device_type=3, device_detail="iPhone 15"
                )
                for day in usual_days
            ]
            + [
                make_record(
                    checkin_time=at(2026, 11, 16, 8, 55), device_type=3, device_detail="Pixel 9"
                )
            ]
        },
    )

    rows = wire.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 3,
            "starttime": at(2026, 11, 16, 0, 0),
            "endtime": at(2026, 11, 16, 23, 59),
            "useridlist": ["zhangsan"],
        },
    )["checkindata"]
    explained = wire.client.get(
        "/api/explain",
        params={"access_token": wire.token, "userid": "zhangsan", "date": "2026-11-16"},
    ).json()

    assert rows[0]["exception_type"] == "非常用设备"
    assert [r["exception_type"] for r in explained["rows"]] == [r["exception_type"] for r in rows]


def test_explain_shows_the_day_report_and_how_each_value_was_reached(wire):
    wire.post(
        "checkin/add_checkin_record",
        {
            "records": [
                make_record(checkin_time=at(2026, 11, 16, 9, 7, 30)),
                make_record(checkin_time=at(2026, 11, 16, 18, 2)),
            ]
        },
    )
    daydata = wire.post(
        "checkin/getcheckin_daydata",
        {"starttime": at(2026, 11, 16), "endtime": at(2026, 11, 16), "useridlist": ["zhangsan"]},
    )["datas"][0]
    explained = wire.client.get(
        "/api/explain",
        params={"access_token": wire.token, "userid": "zhangsan", "date": "2026-11-16"},
    ).json()["report"]

    assert explained["daydata"] == daydata
    assert any(
        line.startswith("迟到 420 s: 上班打卡 at 2026-11-16T09:07:30+08:00")
        and "against the point 2026-11-16T09:00:00+08:00" in line
        for line in explained["how"]
    ), explained["how"]
    assert "standard_work_sec 32400: the scheduled slots 09:00–18:00 (32400 s)" in explained["how"]
