"""Typed requests: every endpoint has one, and parse_request reads a body into it."""

from __future__ import annotations

from datetime import date

import pytest

from daka.domain.errors import InvalidParameter, RuleParamError, ScheduleParamError
from daka.wire.checkin import GetCheckinDataRequest
from daka.wire.endpoints import SERVED
from daka.wire.requests import (
    REQUEST_TYPES,
    ClearCheckinOptionArrayFieldRequest,
    ExplainRequest,
    PunchCorrectionRequest,
    ScheduleItem,
    SetCheckinScheduListRequest,
    TagGetRequest,
    UserSimpleListRequest,
    parse_request,
)


def test_every_endpoint_has_a_request_type_named_after_it():
    typed = {path for path, e in SERVED.items() if e.body.value in ("json", "query")}
    assert set(REQUEST_TYPES) == typed
    assert all(kind.__name__.endswith("Request") for kind in REQUEST_TYPES.values())


def test_a_punch_correction_body_becomes_typed_values():
    request = parse_request(
        "checkin/punch_correction",
        {"userid": "zhangsan", "schedule_date_time": "1763568000", "checkin_time": 1763600280},
    )

    assert request == PunchCorrectionRequest(
        userid="zhangsan",
        schedule_date_time=1763568000,
        schedule_checkin_time=None,
        checkin_time=1763600280,
        remark="",
    )


def test_clear_field_numbers_become_field_names_once_each():
    request = parse_request(
        "checkin/clear_checkin_option_array_field", {"groupid": 3, "clear_field": [4, "1", 4]}
    )

    assert request == ClearCheckinOptionArrayFieldRequest(
        groupid=3, fields=("loc_infos", "spe_workdays"), effective_now=False
    )


def test_schedule_items_are_typed():
    request = parse_request(
        "checkin/setcheckinschedulist",
        {
            "groupid": 5,
            "yearmonth": 202612,
            "items": [{"userid": "lisi", "day": 1, "schedule_id": "2"}],
        },
    )

    assert request == SetCheckinScheduListRequest(
        groupid=5, yearmonth=202612, items=(ScheduleItem("lisi", 1, 2),)
    )
    assert (request.year, request.month) == (2026, 12)


def test_contact_query_params_are_typed():
    assert parse_request(
        "user/simplelist", {"department_id": "2", "fetch_child": "1"}
    ) == UserSimpleListRequest(department_id=2, fetch_child=True)
    assert parse_request("tag/get", {"tagid": "7"}) == TagGetRequest(tagid=7)


def test_explain_takes_a_userid_and_an_iso_date():
    assert parse_request(
        "api/explain", {"userid": "zhangsan", "date": "2026-11-20"}
    ) == ExplainRequest(userid="zhangsan", date=date(2026, 11, 20))


def test_pydantic_requests_parse_through_the_same_table():
    request = parse_request(
        "checkin/getcheckindata",
        {"opencheckindatatype": "3", "starttime": 1, "endtime": 2, "useridlist": ["a"]},
    )

    assert isinstance(request, GetCheckinDataRequest) and request.opencheckindatatype == 3


@pytest.mark.parametrize(
    ("endpoint", "body", "error"),
    [
        ("checkin/del_checkin_option", {"groupid": "²"}, RuleParamError),
        ("checkin/del_checkin_option", [], InvalidParameter),
        ("checkin/getcheckinschedulist", {"useridlist": ["a"], "starttime": 1}, ScheduleParamError),
        ("checkin/punch_correction", {"userid": "a", "checkin_time": 1}, InvalidParameter),
        ("department/list", {"id": "²"}, InvalidParameter),
    ],
)
def test_a_malformed_body_is_the_endpoints_documented_error(endpoint, body, error):
    with pytest.raises(error):
        parse_request(endpoint, body)
