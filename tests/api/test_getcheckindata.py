"""getcheckindata: classified rows, the range, filters, and every errcode."""

from __future__ import annotations

import pytest

from daka.services.org import load_org
from tests.api.golden import assert_golden
from tests.factories import OFFICE, at, make_corp, make_org, make_record, make_rule

WEEK = (at(2026, 11, 16), at(2026, 11, 20, 23, 59, 59))  # Monday .. Friday


def query(wire, users=("zhangsan",), start=WEEK[0], end=WEEK[1], kind=3):
    return wire.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": kind,
            "starttime": start,
            "endtime": end,
            "useridlist": list(users),
        },
    )


def push(wire, *records):
    body = wire.post("checkin/add_checkin_record", {"records": list(records)})
    assert body["errcode"] == 0, body


def test_a_day_of_punches_reads_back_as_wecom_rows(wire):
    push(
        wire,
        make_record(
            checkin_time=at(2026, 11, 16, 8, 57),
            lat=OFFICE[0],
            lng=OFFICE[1],
            location_title="Office",
            wifiname="Office-WiFi",
            wifimac="3c:46:d8:0c:7a:70",
            notes="早",
        ),
        make_record(checkin_time=at(2026, 11, 16, 12, 30)),
        make_record(checkin_time=at(2026, 11, 16, 17, 40), lat=OFFICE[0] + 10_000, lng=OFFICE[1]),
    )

    body = query(wire, start=at(2026, 11, 16), end=at(2026, 11, 16, 23, 59, 59))

    assert_golden("getcheckindata_day", body)


def test_a_week_with_a_missed_day_has_missing_rows_at_scheduled_times(wire):
    for day in (16, 17, 19, 20):  # nothing on Wednesday the 18th
        push(
            wire,
            make_record(checkin_time=at(2026, 11, day, 8, 59)),
            make_record(checkin_time=at(2026, 11, day, 18, 1)),
        )

    rows = query(wire)["checkindata"]

    assert len(rows) == 10
    wednesday = [r for r in rows if at(2026, 11, 18) <= r["checkin_time"] < at(2026, 11, 19)]
    assert [(r["checkin_type"], r["exception_type"], r["checkin_time"]) for r in wednesday] == [
        ("上班打卡", "未打卡", at(2026, 11, 18, 9)),
        ("下班打卡", "未打卡", at(2026, 11, 18, 18)),
    ]
    assert all(
        r["location_title"] == "" and r["lat"] == 0 and r["mediaids"] == [] for r in wednesday
    )


def test_every_key_is_always_present(wire):
    push(wire, make_record(checkin_time=at(2026, 11, 16, 8, 59)))

    rows = query(wire)["checkindata"]

    keys = {
        "userid",
        "groupname",
        "checkin_type",
        "exception_type",
        "checkin_time",
        "location_title",
        "location_detail",
        "wifiname",
        "notes",
        "wifimac",
        "mediaids",
        "lat",
        "lng",
        "deviceid",
        "sch_checkin_time",
        "groupid",
        "schedule_id",
        "timeline_id",
    }
    assert rows and all(set(r) == keys for r in rows)


def test_users_come_in_request_order_and_rows_in_ascending_time(wire):
    push(
        wire,
        make_record("lisi", at(2026, 11, 16, 8, 50)),
        make_record("zhangsan", at(2026, 11, 16, 8, 40)),
    )

    rows = query(wire, users=["lisi", "zhangsan"], end=at(2026, 11, 16, 23))["checkindata"]

    assert [r["userid"] for r in rows] == ["lisi", "lisi", "zhangsan", "zhangsan"]
    for user in ("lisi", "zhangsan"):
        times = [r["checkin_time"] for r in rows if r["userid"] == user]
        assert times == sorted(times)


def test_the_range_is_inclusive_on_checkin_time(wire):
    t = at(2026, 11, 16, 8, 59)
    push(wire, make_record(checkin_time=t))

    exact = query(wire, start=t, end=t)["checkindata"]
    after = query(wire, start=t + 1, end=t + 100)["checkindata"]

    assert [r["checkin_time"] for r in exact] == [t]
    assert after == []


def test_a_later_punch_re_evaluates_the_day(wire):
    push(
        wire,
        make_record(checkin_time=at(2026, 11, 16, 8, 59)),
        make_record(checkin_time=at(2026, 11, 16, 17, 0)),
    )
    early = query(wire, end=at(2026, 11, 16, 23))["checkindata"]
    push(wire, make_record(checkin_time=at(2026, 11, 16, 18, 30)))

    later = query(wire, end=at(2026, 11, 16, 23))["checkindata"]

    assert (early[1]["checkin_time"], early[1]["exception_type"]) == (
        at(2026, 11, 16, 17),
        "时间异常",
    )
    assert (later[1]["checkin_time"], later[1]["exception_type"]) == (at(2026, 11, 16, 18, 30), "")


def test_users_without_a_rule_have_no_rows_but_their_punches_are_kept(api, store):
    rule = make_rule(parties=["3"])  # only Backend; zhangsan is in R&D
    load_org(store, make_org(make_corp(rules=[rule])))
    from tests.conftest import Wire

    wire = Wire(api)
    wire.login()
    push(wire, make_record(checkin_time=at(2026, 11, 16, 8, 59)))

    assert query(wire)["checkindata"] == []
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, "wwtest0000000001")
        assert len(store.punches(conn, corp.id, ["zhangsan"], 0, 2**32)["zhangsan"]) == 1


def test_opencheckindatatype_filters_on_duty_rows_from_outside_work(api, store):
    load_org(store, make_org(make_corp(rules=[make_rule(option_out_range=1)])))
    from tests.conftest import Wire

    wire = Wire(api)
    wire.login()
    push(
        wire,
        make_record(checkin_time=at(2026, 11, 16, 8, 59)),
        make_record(checkin_time=at(2026, 11, 16, 11), lat=OFFICE[0] + 20_000, lng=OFFICE[1]),
    )

    def kinds(kind):
        rows = query(wire, end=at(2026, 11, 16, 23), kind=kind)["checkindata"]
        return [r["checkin_type"] for r in rows]

    assert kinds(1) == ["上班打卡", "下班打卡"]
    assert kinds(2) == ["外出打卡"]
    assert kinds(3) == ["上班打卡", "外出打卡", "下班打卡"]


@pytest.mark.parametrize(
    ("body", "errcode", "golden"),
    [
        (
            {
                "opencheckindatatype": 4,
                "starttime": WEEK[0],
                "endtime": WEEK[1],
                "useridlist": ["zhangsan"],
            },
            40058,
            "getcheckindata_type_40058",
        ),
        ({"starttime": WEEK[0], "endtime": WEEK[1], "useridlist": ["zhangsan"]}, 40058, None),
        (
            {
                "opencheckindatatype": 3,
                "starttime": "monday",
                "endtime": WEEK[1],
                "useridlist": ["zhangsan"],
            },
            40058,
            None,
        ),
        (
            {"opencheckindatatype": 3, "starttime": WEEK[0], "endtime": WEEK[1], "useridlist": []},
            301023,
            "getcheckindata_301023",
        ),
        ({"opencheckindatatype": 3, "starttime": WEEK[0], "endtime": WEEK[1]}, 301023, None),
        (
            {
                "opencheckindatatype": 3,
                "starttime": WEEK[0],
                "endtime": WEEK[1],
                "useridlist": [f"u{k}" for k in range(101)],
            },
            301023,
            None,
        ),
        (
            {
                "opencheckindatatype": 3,
                "starttime": WEEK[0],
                "endtime": WEEK[1],
                "useridlist": ["zhangsan", "ghost"],
            },
            301021,
            "getcheckindata_301021",
        ),
        ({"opencheckindatatype": 3, "endtime": WEEK[1], "useridlist": ["zhangsan"]}, 301024, None),
        (
            {
                "opencheckindatatype": 3,
                "starttime": WEEK[1],
                "endtime": WEEK[0],
                "useridlist": ["zhangsan"],
            },
            301024,
            "getcheckindata_301024",
        ),
        (
            {
                "opencheckindatatype": 3,
                "starttime": WEEK[0],
                "endtime": WEEK[0] + 30 * 86400 + 1,
                "useridlist": ["zhangsan"],
            },
            301024,
            None,
        ),
    ],
)
def test_getcheckindata_errors(wire, body, errcode, golden):
    response = wire.post("checkin/getcheckindata", body)

    assert (response["errcode"], response["checkindata"]) == (errcode, [])
    if golden:
        assert_golden(golden, response)


def test_a_span_of_exactly_30_days_is_allowed(wire):
    body = query(wire, start=WEEK[0], end=WEEK[0] + 30 * 86400)

    assert body["errcode"] == 0


def test_numeric_strings_are_accepted_for_opencheckindatatype(wire):
    body = wire.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": "3",
            "starttime": WEEK[0],
            "endtime": WEEK[1],
            "useridlist": ["zhangsan"],
        },
    )

    assert body["errcode"] == 0
