"""WeCom's transport conventions: HTTP 200, errcode/errmsg, lenient JSON bodies."""

from __future__ import annotations

import re

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.api.envelope import MAX_HEADER_BYTES, MAX_MESSAGE_CHARS, error
from daka.domain.errors import DakaError, InvalidParameter
from tests.api.golden import ERRMSG, assert_golden
from tests.factories import api_rule, at, make_record

PRINTABLE_ASCII = re.compile(r"^[ -~]*$")


def test_bodies_are_read_as_json_without_a_content_type(wire):
    response = wire.client.post(
        "/cgi-bin/checkin/getcorpcheckinoption",
        params={"access_token": wire.token},
        content=b"",
        headers={"Content-Type": ""},
    )

    assert response.json()["errcode"] == 0


def test_raw_utf8_is_accepted_and_returned_unescaped(wire):
    record = make_record(location_title="人民广场", notes="路上堵车")
    assert wire.post("checkin/add_checkin_record", {"records": [record]})["errcode"] == 0

    response = wire.client.post(
        "/cgi-bin/checkin/getcheckindata",
        params={"access_token": wire.token},
        content=(
            f'{{"opencheckindatatype":3,"starttime":{record["checkin_time"] - 10},'
            f'"endtime":{record["checkin_time"] + 10},"useridlist":["zhangsan"]}}'
        ).encode(),
    )

    assert "人民广场".encode() in response.content
    assert response.headers["content-type"] == "application/json; charset=UTF-8"


def test_malformed_json_is_40058_with_the_list_field_present_and_empty(wire):
    body = wire.post("checkin/getcheckindata", raw=b'{"useridlist": [')

    assert_golden("malformed_json_40058", body)


def test_a_body_that_is_not_an_object_is_40058(wire):
    assert wire.post("checkin/getcheckindata", [1, 2])["errcode"] == 40058


def test_errors_carry_error_headers_and_a_wecom_shaped_errmsg(wire):
    response = wire.client.post(
        "/cgi-bin/checkin/getcheckindata", params={"access_token": wire.token}, content=b"{}"
    )

    body = response.json()
    assert response.status_code == 200
    assert response.headers["Error-Code"] == str(body["errcode"])
    match = ERRMSG.match(response.headers["Error-Msg"])
    assert match and match["code"] == str(body["errcode"])
    assert match["ip"] == "testclient"


def test_unknown_request_fields_are_ignored(wire):
    body = wire.post(
        "checkin/add_checkin_record", {"records": [make_record(color="blue")], "agentid": 1}
    )

    assert body == {"errcode": 0, "errmsg": "ok"}


def test_get_on_a_post_endpoint_is_40058(wire):
    response = wire.client.get(
        "/cgi-bin/checkin/getcheckindata", params={"access_token": wire.token}
    )

    assert response.json()["errcode"] == 40058


def test_a_post_on_a_get_endpoint_is_40058_not_a_405(wire):
    response = wire.client.post("/cgi-bin/department/list", params={"access_token": wire.token})

    body = response.json()
    assert (response.status_code, body["errcode"]) == (200, 40058)
    assert body["errmsg"].startswith("invalid parameter: department/list takes GET")
    assert body["department"] == []


@pytest.mark.parametrize(
    "path", ["/cgi-bin/checkin/addcheckindata", "/cgi-bin/checkin/getcheckin_weekdata"]
)
def test_a_path_daka_does_not_serve_is_48001_saying_so(wire, path):
    response = wire.client.post(path, params={"access_token": wire.token})

    body = response.json()
    assert (response.status_code, body["errcode"]) == (200, 48001)
    assert body["errmsg"].startswith(f"api unauthorized: {path} is not served by daka, hint: [")


def test_healthz_answers_when_ready(api):
    response = api.get("/healthz")

    assert (response.status_code, response.text) == (200, "ok")


def test_an_unexpected_failure_is_answered_as_system_busy_not_a_500(wire, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("daka.services.checkin.corp_options", explode)

    response = wire.client.post(
        "/cgi-bin/checkin/getcorpcheckinoption", params={"access_token": wire.token}
    )

    assert response.status_code == 200
    assert_golden("unexpected_error_-1", response.json())


# -- bounded, printable error messages ------------------------------------------------------

HUGE_USERID = "x" * 1_000_000
ODD_USERID = "a\r\nb\x1bc\x7fd"  # NUL is refused at the boundary (40058) before any echo


def _punch_correction(userid):
    return "checkin/punch_correction", {
        "userid": userid,
        "schedule_date_time": at(2026, 11, 20),
        "checkin_time": at(2026, 11, 20, 9),
    }


def _rule_for(userid):
    return "checkin/add_checkin_option", {"group": api_rule(users=[userid]), "effective_now": True}


# A userid over WeCom's 64 characters is malformed (40058) where a userid is a parameter; inside
# a rule's range it is merely an id that is not in the corp (301090).
@pytest.mark.parametrize(
    "request_of, userid, errcode",
    [
        (_punch_correction, HUGE_USERID, 40058),
        (_punch_correction, ODD_USERID, 301021),
        (_rule_for, HUGE_USERID, 301090),
        (_rule_for, ODD_USERID, 301090),
    ],
    ids=["correction-1MB", "correction-controls", "rule-1MB", "rule-controls"],
)
def test_an_echoed_userid_is_bounded_and_escaped_in_error_msg(wire, request_of, userid, errcode):
    endpoint, body = request_of(userid)

    response = wire.client.post(
        f"/cgi-bin/{endpoint}", params={"access_token": wire.token}, json=body
    )

    header = response.headers["Error-Msg"]
    errmsg = response.json()["errmsg"]
    assert response.json()["errcode"] == errcode
    assert len(header.encode()) <= MAX_HEADER_BYTES and PRINTABLE_ASCII.match(header)
    assert ERRMSG.match(header)["code"] == str(errcode)
    assert len(ERRMSG.match(errmsg)["text"]) <= MAX_MESSAGE_CHARS
    if userid == ODD_USERID:
        assert "a\\r\\nb\\x1bc\\x7fd" in header
        assert "a\\r\\nb\\x1bc\\x7fd" in errmsg


@given(message=st.text(min_size=1, max_size=3000), errcode=st.integers(-1, 999_999))
def test_any_error_answers_a_bounded_printable_header_keeping_hint_and_errcode(message, errcode):
    failure = type("AnyError", (DakaError,), {"errcode": errcode})(message)
    response = error(failure, "203.0.113.9", ("checkindata",))

    header = response.headers["Error-Msg"]
    body = ERRMSG.match(orjson.loads(response.body)["errmsg"])
    assert len(header.encode("latin-1")) <= MAX_HEADER_BYTES
    assert PRINTABLE_ASCII.match(header)
    match = ERRMSG.match(header)
    assert match and match["code"] == str(errcode) and match["ip"] == "203.0.113.9"
    assert body and body["hint"] == match["hint"]
    assert len(body["text"]) <= MAX_MESSAGE_CHARS
    assert not any(c < " " or c == "\x7f" for c in body["text"])


def test_a_short_message_is_kept_whole_and_a_long_one_cut_with_an_ellipsis():
    short = ERRMSG.match(_errmsg("invalid parameter records[0].userid: too long"))
    long = ERRMSG.match(_errmsg("invalid parameter userid: " + "长" * 500))

    assert short["text"] == "invalid parameter records[0].userid: too long"
    assert long["text"].startswith("invalid parameter userid: 长长")
    assert long["text"].endswith("…") and len(long["text"]) == MAX_MESSAGE_CHARS


def _errmsg(message):
    return orjson.loads(error(InvalidParameter(message), "ip").body)["errmsg"]
