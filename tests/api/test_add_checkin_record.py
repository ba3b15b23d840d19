"""add_checkin_record: every documented limit, all-or-nothing batches, idempotent resends."""

from __future__ import annotations

import json

import pytest

from daka.api.app import MAX_JSON_BODY_BYTES
from tests.api.golden import assert_golden
from tests.factories import CORPID, PNG_BYTES, at, make_record

MONDAY_0855 = at(2026, 11, 16, 8, 55)


def stored(store, userid="zhangsan"):
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        return store.punches(conn, corp.id, [userid], 0, 2**32)[userid]


def test_a_valid_batch_is_stored_and_acknowledged(wire, store):
    records = [make_record(checkin_time=MONDAY_0855 + k) for k in range(200)]

    body = wire.post("checkin/add_checkin_record", {"records": records})

    assert body == {"errcode": 0, "errmsg": "ok"}
    assert len(stored(store)) == 200


def test_every_field_is_stored_as_sent(wire, store):
    media_id = wire.upload_media(PNG_BYTES)["media_id"]
    record = make_record(
        checkin_time=MONDAY_0855,
        location_title="依澜府",
        location_detail="四川省成都市",
        notes="路上堵车",
        wifiname="办公一区",
        wifimac="3C:46:D8:0C:7A:70",
        mediaids=[media_id],
        lat=30547645,
        lng=104063236,
        device_type=1,
        device_detail="门禁A",
    )

    wire.post("checkin/add_checkin_record", {"records": [record]})

    (p,) = stored(store)
    assert (p.location_title, p.location_detail, p.notes, p.wifiname, p.wifimac) == (
        "依澜府",
        "四川省成都市",
        "路上堵车",
        "办公一区",
        "3C:46:D8:0C:7A:70",
    )
    assert (p.media_ids, p.lat, p.lng, int(p.device_type), p.device_detail) == (
        (media_id,),
        30547645,
        104063236,
        1,
        "门禁A",
    )


def test_resending_a_batch_never_duplicates_and_the_resent_record_replaces_the_old(wire, store):
    records = [make_record(checkin_time=MONDAY_0855 + k) for k in range(10)]
    wire.post("checkin/add_checkin_record", {"records": records})
    records[3]["notes"] = "corrected"

    wire.post("checkin/add_checkin_record", {"records": records})

    punches = stored(store)
    assert len(punches) == 10
    assert punches[3].notes == "corrected"


def test_duplicates_inside_one_batch_keep_the_last(wire, store):
    records = [make_record(notes="first"), make_record(notes="second")]

    wire.post("checkin/add_checkin_record", {"records": records})

    assert [p.notes for p in stored(store)] == ["second"]


LONG = "字" * 1025


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"userid": ""}, "records[1].userid"),
        ({"checkin_time": -1}, "records[1].checkin_time"),
        ({"checkin_time": "soon"}, "records[1].checkin_time"),
        ({"location_title": LONG}, "records[1].location_title"),
        ({"location_detail": LONG}, "records[1].location_detail"),
        ({"notes": LONG}, "records[1].notes"),
        ({"wifiname": LONG, "wifimac": "aa:bb:cc:dd:ee:ff"}, "records[1].wifiname"),
        ({"wifimac": "aa:bb:cc:dd:ee"}, "records[1].wifimac"),
        ({"wifimac": "aa-bb-cc-dd-ee-ff"}, "records[1].wifimac"),
        ({"wifiname": "Office"}, "records[1].wifimac"),
        ({"mediaids": ["a", "b"]}, "records[1].mediaids"),
        ({"lat": 90_000_001}, "records[1].lat"),
        ({"lat": -90_000_001}, "records[1].lat"),
        ({"lng": 180_000_001}, "records[1].lng"),
        ({"lng": "east"}, "records[1].lng"),
        ({"device_type": 0}, "records[1].device_type"),
        ({"device_type": 4}, "records[1].device_type"),
        ({"device_type": True}, "records[1].device_type"),
        ({"device_detail": "x" * 41}, "records[1].device_detail"),
        ({"notes": "a\x00b"}, "records[1].notes"),
        ({"userid": "zhang\x00san"}, "records[1].userid"),
    ],
)
def test_each_documented_limit_refuses_the_whole_batch_naming_the_field(wire, store, change, field):
    records = [make_record(checkin_time=MONDAY_0855), make_record(checkin_time=MONDAY_0855 + 60)]
    records[1].update(change)

    body = wire.post("checkin/add_checkin_record", {"records": records})

    assert body["errcode"] == 40058
    assert f"invalid parameter {field}:" in body["errmsg"]
    assert stored(store) == []


@pytest.mark.parametrize(
    "missing",
    ["userid", "checkin_time", "location_title", "location_detail", "device_type", "device_detail"],
)
def test_required_fields_are_required(wire, store, missing):
    record = make_record()
    del record[missing]

    body = wire.post("checkin/add_checkin_record", {"records": [record]})

    assert body["errcode"] == 40058
    assert f"records[0].{missing}: required field is missing" in body["errmsg"]


def test_limits_count_characters_not_bytes(wire, store):
    record = make_record(location_title="字" * 1024, device_detail="门" * 40)

    assert wire.post("checkin/add_checkin_record", {"records": [record]})["errcode"] == 0


@pytest.mark.parametrize(
    ("records", "golden"),
    [
        ([], "add_records_empty_40058"),
        ([make_record(checkin_time=MONDAY_0855 + k) for k in range(201)], "add_records_201_40058"),
    ],
)
def test_a_batch_holds_1_to_200_records(wire, store, records, golden):
    body = wire.post("checkin/add_checkin_record", {"records": records})

    assert_golden(golden, body)
    assert stored(store) == []


def test_missing_records_is_40058(wire):
    assert wire.post("checkin/add_checkin_record", {})["errcode"] == 40058


def test_an_unknown_userid_refuses_the_whole_batch_with_60111(wire, store):
    records = [make_record(checkin_time=MONDAY_0855 + k) for k in range(199)]
    records.append(make_record(userid="ghost"))

    body = wire.post("checkin/add_checkin_record", {"records": records})

    assert_golden("add_records_60111", body)
    assert stored(store) == []


def test_a_checkin_time_more_than_five_minutes_ahead_is_301083(wire, store, clock):
    now = int(clock.now)
    ok = wire.post("checkin/add_checkin_record", {"records": [make_record(checkin_time=now + 300)]})
    ahead = wire.post(
        "checkin/add_checkin_record", {"records": [make_record(checkin_time=now + 301)]}
    )

    assert ok["errcode"] == 0
    assert_golden("add_records_301083", ahead)
    assert len(stored(store)) == 1


def test_numeric_strings_are_accepted_like_wecom_does(wire, store):
    record = make_record(checkin_time=str(MONDAY_0855), device_type="2")

    assert wire.post("checkin/add_checkin_record", {"records": [record]})["errcode"] == 0
    assert stored(store)[0].time == MONDAY_0855


def test_a_body_over_16_mb_is_refused_before_it_is_read_whole_and_stores_nothing(wire, store):
    records = [make_record("zhangsan", at(2026, 11, 16, 9, 0), notes="x" * 1000)] * 17_000
    body = json.dumps({"records": records}).encode()
    assert len(body) > MAX_JSON_BODY_BYTES

    response = wire.client.post(
        "/cgi-bin/checkin/add_checkin_record", params={"access_token": wire.token}, content=body
    )

    assert response.status_code == 200
    assert response.json()["errcode"] == 40058
    assert "over 16777216 bytes" in response.json()["errmsg"]
    assert stored(store) == []
