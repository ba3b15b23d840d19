"""Shift schedules: setcheckinschedulist / getcheckinschedulist, and shifts in getcheckindata."""

from __future__ import annotations

import pytest

from daka.services.org import load_org
from tests.api.golden import assert_golden, assert_golden_case
from tests.conftest import Wire
from tests.factories import at, make_corp, make_org, make_record, make_shift_rule


@pytest.fixture
def shifts(api, store):
    load_org(store, make_org(make_corp(rules=[make_shift_rule(5, parties=["1"])])))
    wire = Wire(api)
    wire.login()
    return wire


def schedule(wire, items, yearmonth=202611):
    return wire.post(
        "checkin/setcheckinschedulist", {"groupid": 5, "yearmonth": yearmonth, "items": items}
    )


def test_schedules_set_for_future_days_read_back_in_wecoms_shape(shifts):
    body = schedule(
        shifts,
        [
            {"userid": "zhangsan", "day": 24, "schedule_id": 2},
            {"userid": "zhangsan", "day": 25, "schedule_id": 0},
            {"userid": "zhangsan", "day": 26, "schedule_id": 1},
        ],
    )

    answer = shifts.post(
        "checkin/getcheckinschedulist",
        {"starttime": at(2026, 11, 24), "endtime": at(2026, 11, 30), "useridlist": ["zhangsan"]},
    )

    assert body["errcode"] == 0
    assert_golden("getcheckinschedulist_ok", answer)


def test_a_night_shift_keeps_its_after_midnight_punch(shifts, clock):
    schedule(
        shifts,
        [
            {"userid": "zhangsan", "day": 24, "schedule_id": 2},
            {"userid": "zhangsan", "day": 25, "schedule_id": 1},
        ],
    )
    clock.now = at(2026, 11, 26, 12)
    shifts.login()  # three days later: a fresh token
    written = shifts.post(
        "checkin/add_checkin_record",
        {
            "records": [
                make_record(checkin_time=at(2026, 11, 24, 21, 50)),
                make_record(checkin_time=at(2026, 11, 25, 6, 5)),  # ends Tuesday's night shift
                make_record(checkin_time=at(2026, 11, 25, 7, 55)),  # starts Wednesday's early shift
                make_record(checkin_time=at(2026, 11, 25, 16, 2)),
            ]
        },
    )
    assert written["errcode"] == 0

    rows = shifts.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 3,
            "starttime": at(2026, 11, 24),
            "endtime": at(2026, 11, 25, 23),
            "useridlist": ["zhangsan"],
        },
    )["checkindata"]

    assert [
        (
            r["checkin_type"],
            r["schedule_id"],
            r["sch_checkin_time"],
            r["checkin_time"],
            r["exception_type"],
        )
        for r in rows
    ] == [
        ("上班打卡", 2, at(2026, 11, 24, 22), at(2026, 11, 24, 21, 50), ""),
        ("下班打卡", 2, at(2026, 11, 25, 6), at(2026, 11, 25, 6, 5), ""),
        ("上班打卡", 1, at(2026, 11, 25, 8), at(2026, 11, 25, 7, 55), ""),
        ("下班打卡", 1, at(2026, 11, 25, 16), at(2026, 11, 25, 16, 2), ""),
    ]


def test_days_without_a_schedule_are_rest_days(shifts, clock):
    clock.now = at(2026, 11, 26, 12)
    shifts.login()
    written = shifts.post(
        "checkin/add_checkin_record", {"records": [make_record(checkin_time=at(2026, 11, 24, 8))]}
    )
    assert written["errcode"] == 0

    rows = shifts.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 3,
            "starttime": at(2026, 11, 24),
            "endtime": at(2026, 11, 25),
            "useridlist": ["zhangsan"],
        },
    )["checkindata"]

    assert rows == []


@pytest.mark.parametrize(
    ("items", "errcode"),
    [
        ([{"userid": "zhangsan", "day": 23, "schedule_id": 1}], 301073),  # today
        ([{"userid": "zhangsan", "day": 2, "schedule_id": 1}], 301073),  # the past
        ([{"userid": "zhangsan", "day": 24, "schedule_id": 7}], 301075),  # no such shift
        ([{"userid": "zhangsan", "day": 31, "schedule_id": 1}], 301075),  # November has 30 days
        ([{"userid": "ghost", "day": 24, "schedule_id": 1}], 301021),
    ],
)
def test_setcheckinschedulist_errors_change_nothing(shifts, items, errcode, request):
    body = schedule(shifts, [{"userid": "lisi", "day": 28, "schedule_id": 1}, *items])

    answer = shifts.post(
        "checkin/getcheckinschedulist",
        {"starttime": at(2026, 11, 24), "endtime": at(2026, 11, 30), "useridlist": ["lisi"]},
    )
    assert body["errcode"] == errcode
    assert answer["schedule_list"] == []
    assert_golden_case(request, body)


def test_only_shift_rules_take_schedules(wire):
    body = wire.post(
        "checkin/setcheckinschedulist",
        {
            "groupid": 1,
            "yearmonth": 202611,
            "items": [{"userid": "zhangsan", "day": 24, "schedule_id": 1}],
        },
    )

    assert_golden("setcheckinschedulist_301075", body)


def test_getcheckinschedulist_errors(shifts):
    def ask(body):
        return shifts.post("checkin/getcheckinschedulist", body)

    assert (
        ask({"starttime": at(2026, 11, 1), "endtime": at(2026, 11, 30), "useridlist": []})[
            "errcode"
        ]
        == 301075
    )
    assert (
        ask(
            {"starttime": at(2026, 11, 1), "endtime": at(2026, 12, 30), "useridlist": ["zhangsan"]}
        )["errcode"]
        == 301075
    )
    answer = ask(
        {"starttime": at(2026, 11, 1), "endtime": at(2026, 11, 30), "useridlist": ["ghost"]}
    )
    assert (answer["errcode"], answer["schedule_list"]) == (301021, [])
