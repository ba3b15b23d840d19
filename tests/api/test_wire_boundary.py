"""Adversarial bodies get WeCom's error, never -1, and change nothing (issue 8 §2).

One table per defect class the fuzzer found; each row is an endpoint family with the errcode
WeCom documents for it (301086 rule management, 301075 排班, 40058 everywhere else).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from daka.services.org import load_org
from tests.conftest import Wire
from tests.factories import (
    CORPID,
    SECRET,
    api_rule,
    at,
    make_corp,
    make_org,
    make_record,
    make_rule,
    make_shift_rule,
)

FRIDAY = at(2026, 11, 20)
NEXT_WEEK = (at(2026, 11, 24), at(2026, 11, 30))
OWNED = 6  # the rule the app adds in the fixture (after the org file's 1 and 5)
HUGE_NUMBER = "9" * 5000
MEGABYTE_USERID = "x" * 1_000_000


def nested(depth: int, leaf: str = "") -> str:
    """A placeholder for ``leaf`` inside ``depth`` arrays; :func:`encode` expands it as text
    (json.dumps of the real value would itself recurse too deep)."""
    return f"@@deep{depth}:{leaf}@@"


_NESTED = re.compile(r'"@@deep(\d+):([^"@]*)@@"')


def encode(body: Any) -> bytes:
    def expand(match: re.Match[str]) -> str:
        depth, leaf = int(match[1]), match[2]
        return "[" * depth + (json.dumps(leaf) if leaf else "1") + "]" * depth

    return _NESTED.sub(expand, json.dumps(body, ensure_ascii=False)).encode()


def deep_json(depth: int) -> bytes:
    """A JSON array nested ``depth`` levels, built as text (json.dumps would recurse)."""
    return b"[" * depth + b"1" + b"]" * depth


@pytest.fixture
def corp(api, store):
    """zhangsan under a fixed rule that allows 补卡, lisi under shift rule 5, and wangwu
    under rule 6, which the calling app created (so it may change it)."""
    load_org(
        store,
        make_org(
            make_corp(
                rules=[
                    make_rule(1, users=["zhangsan"], allow_apply_offworkday=True),
                    make_shift_rule(5, users=["lisi"]),
                ]
            )
        ),
    )
    wire = Wire(api)
    wire.login()
    added = wire.post(
        "checkin/add_checkin_option", {"effective_now": True, "group": api_rule(users=["wangwu"])}
    )
    assert added["errcode"] == 0
    assert [g["groupid"] for g in wire.post("checkin/getcorpcheckinoption")["group"]] == [
        1,
        5,
        OWNED,
    ]
    return wire


def snapshot(wire: Wire) -> dict[str, Any]:
    """Everything the write endpoints could have changed."""
    return {
        "rules": wire.post("checkin/getcorpcheckinoption")["group"],
        "schedules": wire.post(
            "checkin/getcheckinschedulist",
            {"starttime": NEXT_WEEK[0], "endtime": NEXT_WEEK[1], "useridlist": ["lisi"]},
        )["schedule_list"],
        "rows": wire.post(
            "checkin/getcheckindata",
            {
                "opencheckindatatype": 3,
                "starttime": FRIDAY,
                "endtime": FRIDAY + 86399,
                "useridlist": ["zhangsan"],
            },
        )["checkindata"],
    }


def correction(**fields: Any) -> dict[str, Any]:
    return {
        "userid": "zhangsan",
        "schedule_date_time": FRIDAY,
        "schedule_checkin_time": 9 * 3600,
        "checkin_time": at(2026, 11, 20, 8, 58),
        "remark": "忘记打卡",
        **fields,
    }


def schedule(**fields: Any) -> dict[str, Any]:
    item = {"userid": "lisi", "day": 24, "schedule_id": 1, **fields.pop("item", {})}
    return {"groupid": 5, "yearmonth": 202611, "items": [item], **fields}


def schedule_read(**fields: Any) -> dict[str, Any]:
    return {"starttime": NEXT_WEEK[0], "endtime": NEXT_WEEK[1], "useridlist": ["lisi"], **fields}


def checkin_read(**fields: Any) -> dict[str, Any]:
    return {
        "opencheckindatatype": 3,
        "starttime": FRIDAY,
        "endtime": FRIDAY + 86399,
        "useridlist": ["zhangsan"],
        **fields,
    }


def post_refused(wire: Wire, endpoint: str, body: Any, errcode: int) -> dict[str, Any]:
    """Post ``body`` and check the answer is ``errcode`` with a short errmsg, and no change."""
    before = snapshot(wire)
    answer = wire.post(endpoint, raw=body if isinstance(body, bytes) else encode(body))
    assert answer["errcode"] == errcode, answer["errmsg"][:300]
    assert len(answer["errmsg"]) < 400  # nothing megabyte-sized is echoed
    assert snapshot(wire) == before
    return answer


UNICODE_DIGITS = [
    ("checkin/del_checkin_option", {"groupid": "²"}, 301086),
    ("checkin/del_checkin_option", {"groupid": "١٢"}, 301086),
    ("checkin/update_checkin_option", {"group": {"groupid": "١"}}, 301086),
    ("checkin/clear_checkin_option_array_field", {"groupid": "²", "clear_field": [1]}, 301086),
    ("checkin/clear_checkin_option_array_field", {"groupid": OWNED, "clear_field": ["١"]}, 301086),
    (
        "checkin/update_checkin_option",
        {"group": {"groupid": OWNED, "loc_infos": [{"lat": "²", "lng": 1, "distance": 300}]}},
        301086,
    ),
    ("checkin/setcheckinschedulist", schedule(groupid="٥"), 301075),
    ("checkin/setcheckinschedulist", schedule(item={"day": "٢٤"}), 301075),
    ("checkin/getcheckinschedulist", schedule_read(starttime="١٧٦٣"), 301075),
    ("checkin/punch_correction", correction(schedule_date_time="²"), 40058),
    ("checkin/punch_correction", correction(checkin_time="١٢"), 40058),
    ("checkin/getcheckindata", checkin_read(starttime="١٢"), 40058),
    ("checkin/getcheckindata", checkin_read(opencheckindatatype="３"), 40058),
    ("checkin/add_checkin_record", {"records": [make_record(checkin_time="١٢")]}, 40058),
    ("checkin/getcheckinoption", {"datetime": "²", "useridlist": ["zhangsan"]}, 40058),
    ("hardware/get_hardware_checkin_data", checkin_read(filter_type="١"), 40058),
]

HUGE_NUMBERS = [
    ("checkin/del_checkin_option", {"groupid": HUGE_NUMBER}, 301086),
    (
        "checkin/clear_checkin_option_array_field",
        {"groupid": OWNED, "clear_field": [HUGE_NUMBER]},
        301086,
    ),
    ("checkin/setcheckinschedulist", schedule(groupid=HUGE_NUMBER), 301075),
    ("checkin/setcheckinschedulist", schedule(yearmonth=HUGE_NUMBER), 301075),
    ("checkin/getcheckinschedulist", schedule_read(endtime=HUGE_NUMBER), 301075),
    ("checkin/punch_correction", correction(checkin_time=HUGE_NUMBER), 40058),
    ("checkin/getcheckindata", checkin_read(endtime=HUGE_NUMBER), 40058),
    ("checkin/add_checkin_record", {"records": [make_record(lat=HUGE_NUMBER)]}, 40058),
]

OVERFLOWS = [
    ("checkin/punch_correction", correction(schedule_date_time=9223372036854775808), 40058),
    ("checkin/punch_correction", correction(schedule_checkin_time=2**64 - 1), 40058),
    ("checkin/punch_correction", correction(checkin_time=-1), 40058),
    ("checkin/getcheckinschedulist", schedule_read(starttime=10**23), 301075),  # a float
    ("checkin/getcheckinschedulist", schedule_read(endtime="1" * 24), 301075),
    ("checkin/setcheckinschedulist", schedule(item={"day": 2**63}), 301075),
    ("checkin/del_checkin_option", {"groupid": 2**64 - 1}, 301086),
    (
        "checkin/update_checkin_option",
        {
            "group": {
                "groupid": OWNED,
                "spe_offdays": [{"timestamp": 2**63, "notes": "x", "type": 0}],
            }
        },
        301086,
    ),
    ("checkin/getcheckindata", checkin_read(starttime=2**63), 40058),
    ("checkin/add_checkin_record", {"records": [make_record(checkin_time=2**64 - 1)]}, 40058),
]

UNHASHABLE = [
    ("checkin/clear_checkin_option_array_field", {"groupid": OWNED, "clear_field": [[]]}, 301086),
    ("checkin/clear_checkin_option_array_field", {"groupid": OWNED, "clear_field": [{}]}, 301086),
    ("checkin/clear_checkin_option_array_field", {"groupid": [], "clear_field": [1]}, 301086),
    ("checkin/setcheckinschedulist", schedule(item={"schedule_id": {}}), 301075),
    ("checkin/punch_correction", correction(schedule_checkin_time=[]), 40058),
]

DEEP_NESTING = [
    (
        "checkin/update_checkin_option",
        {"group": {"groupid": OWNED, "ot_info_v2": nested(1000)}},
        40058,
    ),
    ("checkin/add_checkin_option", {"group": {"ot_info_v2": nested(1000)}}, 40058),
    ("checkin/getcheckindata", checkin_read(useridlist=[nested(1000, "zhangsan")]), 40058),
    ("checkin/getcheckinschedulist", schedule_read(useridlist=[nested(1000, "lisi")]), 40058),
    ("checkin/setcheckinschedulist", schedule(item={"userid": nested(1000, "lisi")}), 40058),
    ("checkin/punch_correction", correction(remark=nested(1000, "x")), 40058),
    ("checkin/del_checkin_option", deep_json(100_000), 40058),
    ("checkin/add_checkin_record", deep_json(100_000), 40058),
]

HUGE_STRINGS = [
    ("checkin/punch_correction", correction(userid=MEGABYTE_USERID), 40058),
    ("checkin/getcheckindata", checkin_read(useridlist=[MEGABYTE_USERID]), 40058),
    ("checkin/getcheckinschedulist", schedule_read(useridlist=[MEGABYTE_USERID]), 301075),
    ("checkin/setcheckinschedulist", schedule(item={"userid": MEGABYTE_USERID}), 301075),
    ("checkin/add_checkin_record", {"records": [make_record(userid=MEGABYTE_USERID)]}, 40058),
    (
        "checkin/update_checkin_option",
        {"group": {"groupid": OWNED, "groupname": "x" * 2_000_000}},
        40058,
    ),
    ("checkin/punch_correction", correction(remark="字" * 1_000_000), 40058),
]

BOOLEANS = [
    ("checkin/del_checkin_option", {"groupid": True}, 301086),
    ("checkin/clear_checkin_option_array_field", {"groupid": OWNED, "clear_field": [True]}, 301086),
    ("checkin/del_checkin_option", {"groupid": OWNED, "effective_now": "yes"}, 301086),
    ("checkin/setcheckinschedulist", schedule(yearmonth=True), 301075),
    ("checkin/punch_correction", correction(checkin_time=True), 40058),
    ("checkin/getcheckindata", checkin_read(starttime=False), 40058),
    ("checkin/punch_correction", correction(checkin_time=1.5e9), 40058),
]


def _ids(cases: list[tuple[str, Any, int]]) -> list[str]:
    return [
        f"{endpoint.split('/')[-1]}-{errcode}-{i}" for i, (endpoint, _, errcode) in enumerate(cases)
    ]


@pytest.mark.parametrize(("endpoint", "body", "errcode"), UNICODE_DIGITS, ids=_ids(UNICODE_DIGITS))
def test_unicode_digits_are_no_numbers(corp, endpoint, body, errcode):
    post_refused(corp, endpoint, body, errcode)


@pytest.mark.parametrize(("endpoint", "body", "errcode"), HUGE_NUMBERS, ids=_ids(HUGE_NUMBERS))
def test_a_five_thousand_digit_number_is_out_of_range(corp, endpoint, body, errcode):
    post_refused(corp, endpoint, body, errcode)


@pytest.mark.parametrize(("endpoint", "body", "errcode"), OVERFLOWS, ids=_ids(OVERFLOWS))
def test_numbers_outside_the_fields_type_are_refused_before_they_overflow(
    corp, endpoint, body, errcode
):
    post_refused(corp, endpoint, body, errcode)


@pytest.mark.parametrize(("endpoint", "body", "errcode"), UNHASHABLE, ids=_ids(UNHASHABLE))
def test_arrays_and_objects_where_numbers_belong_are_type_errors(corp, endpoint, body, errcode):
    post_refused(corp, endpoint, body, errcode)


@pytest.mark.parametrize(("endpoint", "body", "errcode"), DEEP_NESTING, ids=_ids(DEEP_NESTING))
def test_deeply_nested_json_is_refused_before_it_is_parsed(corp, endpoint, body, errcode):
    post_refused(corp, endpoint, body, errcode)


@pytest.mark.parametrize(("endpoint", "body", "errcode"), HUGE_STRINGS, ids=_ids(HUGE_STRINGS))
def test_megabyte_strings_are_refused_without_being_echoed(corp, endpoint, body, errcode):
    post_refused(corp, endpoint, body, errcode)


@pytest.mark.parametrize(("endpoint", "body", "errcode"), BOOLEANS, ids=_ids(BOOLEANS))
def test_booleans_and_floats_are_no_integers(corp, endpoint, body, errcode):
    post_refused(corp, endpoint, body, errcode)


def test_the_refusal_names_the_field(corp):
    answer = post_refused(corp, "checkin/punch_correction", correction(checkin_time="²"), 40058)

    assert answer["errmsg"].startswith("invalid parameter checkin_time: must be a non-negative")


def test_numeric_strings_of_ascii_digits_still_work_where_wecom_takes_them(corp):
    rows = corp.post(
        "checkin/getcheckindata", checkin_read(opencheckindatatype="3", starttime=str(FRIDAY))
    )
    deleted = corp.post("checkin/del_checkin_option", {"groupid": "99"})

    assert rows["errcode"] == 0 and len(rows["checkindata"]) == 2
    assert deleted["errcode"] == 301089  # read as rule 99, which does not exist


@pytest.mark.parametrize(
    ("params", "errcode"),
    [
        ({"id": "²"}, 40058),
        ({"id": "١٢"}, 40058),
        ({"id": HUGE_NUMBER}, 40058),
        ({"id": "-1"}, 40058),
        ({"id": str(2**32)}, 40058),
    ],
)
def test_department_ids_are_ascii_uint32(corp, params, errcode):
    body = corp.client.get(
        "/cgi-bin/department/list", params={"access_token": corp.token, **params}
    ).json()

    assert body["errcode"] == errcode
    assert body["department"] == []


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("tag/get", {"tagid": HUGE_NUMBER}),
        ("tag/get", {"tagid": "١"}),
        ("user/simplelist", {"department_id": "²"}),
        ("user/list", {"department_id": HUGE_NUMBER}),
    ],
)
def test_contact_ids_are_read_by_the_same_reader(corp, endpoint, params):
    body = corp.client.get(
        f"/cgi-bin/{endpoint}", params={"access_token": corp.token, **params}
    ).json()

    assert body["errcode"] == 40058
    assert len(body["errmsg"]) < 400


@pytest.mark.parametrize(
    "day",
    [
        "9999-12-31",
        "0001-01-01",
        "1969-12-31",
        "2101-01-01",
        "２０２６-11-20",
        "2026-1-20",
        "20261120",
        "2026-02-30",
    ],
)
def test_explain_refuses_dates_outside_1970_to_2100_and_non_ascii_dates(corp, day):
    body = corp.client.get(
        "/api/explain", params={"access_token": corp.token, "userid": "zhangsan", "date": day}
    ).json()

    assert body["errcode"] == 40058


def test_explain_refuses_an_overlong_userid_without_echoing_it(corp):
    body = corp.client.get(
        "/api/explain",
        params={"access_token": corp.token, "userid": "x" * 5000, "date": "2026-11-20"},
    ).json()

    assert body["errcode"] == 40058
    assert len(body["errmsg"]) < 400


@pytest.mark.parametrize(
    ("corpid", "errcode"),
    [
        ("\x00", 40013),  # was -1 on PostgreSQL: the NUL reached the corps lookup
        (CORPID + "\x00", 40013),
        ("w" * 65, 40013),  # longer than any corp's corpid
        ("", 41002),
    ],
)
def test_gettoken_refuses_a_corpid_no_corp_can_have_before_any_lookup(api, org, corpid, errcode):
    body = api.get("/cgi-bin/gettoken", params={"corpid": corpid, "corpsecret": SECRET}).json()

    assert body["errcode"] == errcode


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"])
@pytest.mark.parametrize(
    "path",
    ["/cgi-bin/checkin/getcheckindata", "/cgi-bin/gettoken", "/cgi-bin/media/get", "/api/explain"],
)
def test_any_other_method_is_40058_in_the_envelope_not_a_bare_405(corp, path, method):
    response = corp.client.request(method, path, params={"access_token": corp.token})

    assert response.status_code == 200
    assert response.json()["errcode"] == 40058
    assert response.headers["Error-Code"] == "40058"
