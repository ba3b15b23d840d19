"""get_hardware_checkin_data: raw gate and attendance-machine punches, filters, every errcode."""

from __future__ import annotations

import pytest

from daka.domain.punches import DeviceType, Punch, PunchSource
from daka.services.org import load_org
from tests.api.golden import assert_golden, assert_golden_case
from tests.conftest import Wire
from tests.factories import CORPID, at, make_corp, make_org, make_record, make_rule

ENDPOINT = "hardware/get_hardware_checkin_data"
DAY = (at(2026, 11, 16), at(2026, 11, 16, 23, 59, 59))
OTHER = "wwother000000002"


def query(wire, users=("zhangsan",), start=DAY[0], end=DAY[1], **extra):
    return wire.post(
        ENDPOINT, {"starttime": start, "endtime": end, "useridlist": list(users), **extra}
    )


def push(wire, *records):
    body = wire.post("checkin/add_checkin_record", {"records": list(records)})
    assert body["errcode"] == 0, body


def gate(userid="zhangsan", hour=8, minute=55, **extra):
    return make_record(
        userid, at(2026, 11, 16, hour, minute), device_type=1, device_detail="Gate 3", **extra
    )


def machine(userid="zhangsan", hour=18, minute=5, **extra):
    return make_record(
        userid, at(2026, 11, 16, hour, minute), device_type=2, device_detail="ZKTeco F22", **extra
    )


def phone(userid="zhangsan", hour=12, minute=0, **extra):
    return make_record(
        userid, at(2026, 11, 16, hour, minute), device_type=3, device_detail="iPhone 15", **extra
    )


def punches_of(body):
    return [(r["userid"], r["checkin_time"], r["device_name"]) for r in body["checkindata"]]


def test_device_punches_read_back_users_in_request_order_times_ascending(wire):
    push(
        wire,
        machine("zhangsan"),
        gate("lisi", 9, 1),
        gate("zhangsan"),
        machine("lisi", 17),
        phone("lisi"),
    )

    body = query(wire, users=["lisi", "zhangsan"])

    assert_golden("get_hardware_checkin_data_ok", body)
    assert punches_of(body) == [
        ("lisi", at(2026, 11, 16, 9, 1), "Gate 3"),
        ("lisi", at(2026, 11, 16, 17, 5), "ZKTeco F22"),
        ("zhangsan", at(2026, 11, 16, 8, 55), "Gate 3"),
        ("zhangsan", at(2026, 11, 16, 18, 5), "ZKTeco F22"),
    ]
    assert all(
        set(r) == {"userid", "checkin_time", "device_sn", "device_name"} and r["device_sn"] == ""
        for r in body["checkindata"]
    )


def test_gate_and_machine_punches_are_returned_but_phone_punches_are_not(wire):
    push(wire, gate(), phone(), machine(), phone(hour=20))

    body = query(wire)

    assert [name for _, _, name in punches_of(body)] == ["Gate 3", "ZKTeco F22"]


def test_punches_of_a_user_without_a_rule_are_returned(api, store):
    load_org(store, make_org(make_corp(rules=[make_rule(parties=["3"])])))  # zhangsan: no rule
    wire = Wire(api)
    wire.login()
    push(wire, gate("zhangsan"), gate("lisi", 9, 2))

    rows = query(wire, users=["zhangsan", "lisi"])["checkindata"]
    evaluated = wire.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 3,
            "starttime": DAY[0],
            "endtime": DAY[1],
            "useridlist": ["zhangsan", "lisi"],
        },
    )["checkindata"]

    assert [(r["userid"], r["checkin_time"]) for r in rows] == [
        ("zhangsan", at(2026, 11, 16, 8, 55)),
        ("lisi", at(2026, 11, 16, 9, 2)),
    ]
    assert {r["userid"] for r in evaluated} == {"lisi"}  # getcheckindata skips zhangsan


def test_filter_type_2_selects_by_the_time_the_server_received_the_punch(wire, clock):
    first_received = int(clock())
    push(wire, gate())  # a punch of the 16th, received at noon on the 23rd
    clock.advance(3600)
    second_received = int(clock())
    push(wire, machine())  # received an hour later

    by_receipt_1 = query(wire, start=first_received, end=first_received + 60, filter_type=2)
    by_receipt_2 = query(wire, start=second_received, end=second_received, filter_type=2)
    by_receipt_both = query(wire, start=first_received, end=second_received, filter_type=2)
    by_time_then = query(wire, start=first_received, end=second_received, filter_type=1)
    by_time = query(wire, filter_type=1)
    default = query(wire)

    assert punches_of(by_receipt_1) == [("zhangsan", at(2026, 11, 16, 8, 55), "Gate 3")]
    assert punches_of(by_receipt_2) == [("zhangsan", at(2026, 11, 16, 18, 5), "ZKTeco F22")]
    assert len(by_receipt_both["checkindata"]) == 2
    assert by_time_then["checkindata"] == []
    assert len(by_time["checkindata"]) == 2
    assert default == by_time


def test_the_range_is_inclusive(wire):
    t = at(2026, 11, 16, 8, 55)
    push(wire, gate())

    assert len(query(wire, start=t, end=t)["checkindata"]) == 1
    assert query(wire, start=t + 1, end=t + 100)["checkindata"] == []
    assert query(wire, start=t - 100, end=t - 1)["checkindata"] == []


def test_unknown_userids_are_silently_ignored(wire):
    push(wire, gate(), gate("lisi"))

    mixed = query(wire, users=["ghost", "lisi", "nobody", "zhangsan", "lisi"])
    only_unknown = query(wire, users=["ghost"])

    assert mixed["errcode"] == 0
    assert [u for u, _, _ in punches_of(mixed)] == ["lisi", "zhangsan"]
    assert (only_unknown["errcode"], only_unknown["checkindata"]) == (0, [])


def test_corrections_are_not_device_punches(wire, store):
    with store.write() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        store.upsert_punches(
            conn,
            corp.id,
            [
                Punch(
                    "zhangsan",
                    at(2026, 11, 16, 9),
                    device_type=DeviceType.GATE,
                    received_at=1,
                    source=PunchSource.CORRECTION,
                )
            ],
        )
    push(wire, machine())

    assert [name for _, _, name in punches_of(query(wire))] == ["ZKTeco F22"]


def test_corps_never_see_each_others_device_punches(api, store):
    load_org(store, make_org(make_corp(), make_corp(OTHER, secret="other-secret", agentid=7)))
    a, b = Wire(api), Wire(api)
    a.login()
    b.login(OTHER, "other-secret")
    push(a, gate())
    push(b, machine("lisi"))

    assert punches_of(query(a, users=["zhangsan", "lisi"])) == [
        ("zhangsan", at(2026, 11, 16, 8, 55), "Gate 3")
    ]
    assert punches_of(query(b, users=["zhangsan", "lisi"])) == [
        ("lisi", at(2026, 11, 16, 18, 5), "ZKTeco F22")
    ]


def test_a_span_of_31_days_is_accepted(wire):
    push(wire, gate())

    body = query(wire, start=DAY[0], end=DAY[0] + 31 * 86_400)

    assert body["errcode"] == 0
    assert len(body["checkindata"]) == 1


USERS = ["zhangsan"]


@pytest.mark.parametrize(
    ("body", "errcode", "golden"),
    [
        ({"starttime": DAY[0], "endtime": DAY[1], "useridlist": []}, 301023, None),
        ({"starttime": DAY[0], "endtime": DAY[1]}, 301023, None),
        (
            {"starttime": DAY[0], "endtime": DAY[1], "useridlist": [f"u{k}" for k in range(101)]},
            301023,
            None,
        ),
        ({"endtime": DAY[1], "useridlist": USERS}, 301024, None),
        ({"starttime": DAY[0], "useridlist": USERS}, 301024, None),
        (
            {"starttime": DAY[1], "endtime": DAY[0], "useridlist": USERS},
            301024,
            "get_hardware_checkin_data_301024",
        ),
        (
            {"starttime": DAY[0], "endtime": DAY[0] + 31 * 86_400 + 1, "useridlist": USERS},
            301024,
            None,
        ),
        (
            {"filter_type": 3, "starttime": DAY[0], "endtime": DAY[1], "useridlist": USERS},
            40058,
            None,
        ),
        (
            {"filter_type": 0, "starttime": DAY[0], "endtime": DAY[1], "useridlist": USERS},
            40058,
            None,
        ),
        (
            {"filter_type": "receipt", "starttime": DAY[0], "endtime": DAY[1], "useridlist": USERS},
            40058,
            None,
        ),
        ({"starttime": "monday", "endtime": DAY[1], "useridlist": USERS}, 40058, None),
        ({"starttime": DAY[0], "endtime": DAY[1], "useridlist": "zhangsan"}, 40058, None),
    ],
)
def test_get_hardware_checkin_data_errors(wire, body, errcode, golden, request):
    answer = wire.post(ENDPOINT, body)

    assert answer["errcode"] == errcode
    assert answer["checkindata"] == []
    if errcode == 40058:
        field = (
            "starttime"
            if "monday" in body.values()
            else ("useridlist" if isinstance(body.get("useridlist"), str) else "filter_type")
        )
        assert answer["errmsg"].startswith(f"invalid parameter {field}")
    if golden:
        assert_golden(golden, answer)
    else:
        assert_golden_case(request, answer)


def test_numeric_strings_are_accepted_for_filter_type(wire):
    push(wire, gate())

    assert len(query(wire, filter_type="1")["checkindata"]) == 1
