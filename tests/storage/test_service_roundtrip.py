"""The service on each backend: records written through add_checkin_record come back classified."""

from __future__ import annotations

import io
from typing import Any

import pytest

from daka.domain.errors import DakaError, UnknownUser
from daka.services.org import load_org
from daka.services.service import Caller, Service
from daka.storage.store import Store
from daka.wire.requests import parse_request
from tests.factories import (
    AGENTID,
    CORPID,
    OFFICE_MAC,
    PNG_BYTES,
    SECRET,
    at,
    make_org,
    make_record,
)

GETCHECKINDATA = "checkin/getcheckindata"
ADD_CHECKIN_RECORD = "checkin/add_checkin_record"

MONDAY = at(2026, 11, 16)


@pytest.fixture
def caller(contract_service: Service) -> Caller:
    load_org(contract_service.store, make_org())
    token, _ = contract_service.get_token(CORPID, SECRET)
    caller, _ = contract_service.checkin_caller(token, "checkin/add_checkin_record")
    return caller


def _add(service: Service, caller: Caller, *records: dict[str, Any]) -> None:
    service.add_checkin_record(
        service.view(caller.corp_id), parse_request(ADD_CHECKIN_RECORD, {"records": list(records)})
    )


def _rows(
    service: Service,
    caller: Caller,
    userids: list[str],
    kind: int = 3,
    start: int = MONDAY,
    end: int = MONDAY + 86_399,
) -> list[dict[str, Any]]:
    body = {"opencheckindatatype": kind, "starttime": start, "endtime": end, "useridlist": userids}
    return service.get_checkin_data(
        service.view(caller.corp_id), parse_request(GETCHECKINDATA, body)
    )["checkindata"]


def _summary(rows: list[dict[str, Any]]) -> list[tuple[str, str, str, int]]:
    return [(r["userid"], r["checkin_type"], r["exception_type"], r["checkin_time"]) for r in rows]


def test_records_come_back_as_classified_rows(contract_service: Service, caller: Caller) -> None:
    assert caller.agentid == AGENTID
    _add(
        contract_service,
        caller,
        make_record("zhangsan", at(2026, 11, 16, 8, 55)),
        make_record("zhangsan", at(2026, 11, 16, 18, 5)),
        make_record("lisi", at(2026, 11, 16, 9, 20)),  # late
        make_record("lisi", at(2026, 11, 16, 17, 30)),
    )  # early

    rows = _rows(contract_service, caller, ["zhangsan", "lisi"])

    assert _summary(rows) == [
        ("zhangsan", "上班打卡", "", at(2026, 11, 16, 8, 55)),
        ("zhangsan", "下班打卡", "", at(2026, 11, 16, 18, 5)),
        ("lisi", "上班打卡", "时间异常", at(2026, 11, 16, 9, 20)),
        ("lisi", "下班打卡", "时间异常", at(2026, 11, 16, 17, 30)),
    ]
    assert {r["groupid"] for r in rows} == {1}
    assert {r["groupname"] for r in rows} == {"rule 1"}
    assert [r["sch_checkin_time"] for r in rows[:2]] == [at(2026, 11, 16, 9), at(2026, 11, 16, 18)]


def test_a_day_without_punches_reports_missing_rows(
    contract_service: Service, caller: Caller
) -> None:
    _add(contract_service, caller, make_record("wangwu", at(2026, 11, 16, 8, 59)))

    assert _summary(_rows(contract_service, caller, ["wangwu"])) == [
        ("wangwu", "上班打卡", "", at(2026, 11, 16, 8, 59)),
        ("wangwu", "下班打卡", "未打卡", at(2026, 11, 16, 18, 0)),
    ]


def test_every_record_field_round_trips_through_the_service(
    contract_service: Service, caller: Caller
) -> None:
    uploaded = contract_service.upload_media(
        caller, "image", "face.png", io.BytesIO(PNG_BYTES), len(PNG_BYTES)
    )
    record = make_record(
        "zhangsan",
        at(2026, 11, 16, 8, 58),
        location_title="人民广场",
        location_detail="黄浦区",
        notes="地铁晚点",
        wifiname="Office-WiFi",
        wifimac=OFFICE_MAC,
        mediaids=[uploaded["media_id"]],
        lat=0,
        lng=0,
        device_type=3,
        device_detail="Android 企业微信",
    )
    _add(contract_service, caller, record)

    (row,) = [
        r for r in _rows(contract_service, caller, ["zhangsan"]) if r["checkin_type"] == "上班打卡"
    ]

    for key in (
        "userid",
        "checkin_time",
        "location_title",
        "location_detail",
        "notes",
        "wifiname",
        "wifimac",
        "mediaids",
        "lat",
        "lng",
    ):
        assert row[key] == record[key], key


def test_resending_records_replaces_them(contract_service: Service, caller: Caller) -> None:
    first = make_record("zhangsan", at(2026, 11, 16, 8, 55), notes="v1")
    _add(contract_service, caller, first)
    _add(contract_service, caller, {**first, "notes": "v2"})

    rows = _rows(contract_service, caller, ["zhangsan"])

    assert [r["notes"] for r in rows if r["checkin_type"] == "上班打卡"] == ["v2"]
    with contract_service.store.read() as conn:
        assert contract_service.store.punch_count(conn, caller.corp_id) == 1


def test_within_one_request_the_later_record_wins(
    contract_service: Service, caller: Caller
) -> None:
    moment = at(2026, 11, 16, 8, 55)
    _add(
        contract_service,
        caller,
        make_record("zhangsan", moment, notes="earlier"),
        make_record("zhangsan", moment, notes="later"),
    )

    rows = _rows(contract_service, caller, ["zhangsan"])

    assert [r["notes"] for r in rows if r["checkin_type"] == "上班打卡"] == ["later"]
    with contract_service.store.read() as conn:
        assert contract_service.store.punch_count(conn, caller.corp_id) == 1


def test_a_refused_batch_writes_nothing(contract_service: Service, caller: Caller) -> None:
    with pytest.raises(UnknownUser):
        _add(
            contract_service,
            caller,
            make_record("zhangsan", at(2026, 11, 16, 8, 55)),
            make_record("nobody", at(2026, 11, 16, 8, 56)),
        )
    with contract_service.store.read() as conn:
        assert contract_service.store.punch_count(conn, caller.corp_id) == 0


def test_a_new_service_on_the_same_database_sees_the_same_rows(
    contract_service: Service, contract_store: Store, caller: Caller
) -> None:
    _add(
        contract_service,
        caller,
        make_record("zhangsan", at(2026, 11, 16, 8, 55)),
        make_record("zhangsan", at(2026, 11, 16, 18, 5)),
    )
    restarted = Service(Store(contract_store.engine), clock=contract_service.clock)

    assert _rows(restarted, caller, ["zhangsan"]) == _rows(contract_service, caller, ["zhangsan"])


def test_a_text_with_a_nul_character_is_stored_or_refused_never_a_database_error(
    contract_service: Service, caller: Caller
) -> None:
    # JSON allows "\u0000"; SQLite stores it, PostgreSQL text cannot hold it.
    record = make_record("zhangsan", at(2026, 11, 16, 8, 55), notes="a\x00b")
    try:
        _add(contract_service, caller, record)
    except DakaError as exc:
        assert exc.errcode == 40058
        return
    rows = _rows(contract_service, caller, ["zhangsan"])
    assert [r["notes"] for r in rows if r["checkin_type"] == "上班打卡"] == ["a\x00b"]
