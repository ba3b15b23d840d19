"""WeCom's transport conventions: HTTP 200, errcode/errmsg, lenient JSON bodies."""

from __future__ import annotations

from tests.api.golden import ERRMSG, assert_golden
from tests.factories import make_record


def test_bodies_are_read_as_json_without_a_content_type(wire):
    response = wire.client.post(
        "/cgi-bin/checkin/getcorpcheckinoption", params={"access_token": wire.token},
        content=b"", headers={"Content-Type": ""},
    )

    assert response.json()["errcode"] == 0


def test_raw_utf8_is_accepted_and_returned_unescaped(wire):
    record = make_record(location_title="人民广场", notes="路上堵车")
    assert wire.post("checkin/add_checkin_record", {"records": [record]})["errcode"] == 0

    response = wire.client.post(
        "/cgi-bin/checkin/getcheckindata", params={"access_token": wire.token},
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
    response = wire.client.post("/cgi-bin/checkin/getcheckindata",
                                params={"access_token": wire.token}, content=b"{}")

    body = response.json()
    assert response.status_code == 200
    assert response.headers["Error-Code"] == str(body["errcode"])
    match = ERRMSG.match(response.headers["Error-Msg"])
    assert match and match["code"] == str(body["errcode"])
    assert match["ip"] == "testclient"


def test_unknown_request_fields_are_ignored(wire):
    body = wire.post("checkin/add_checkin_record",
                     {"records": [make_record(color="blue")], "agentid": 1})

    assert body == {"errcode": 0, "errmsg": "ok"}


def test_get_on_a_post_endpoint_is_40058(wire):
    response = wire.client.get("/cgi-bin/checkin/getcheckindata",
                               params={"access_token": wire.token})

    assert response.json()["errcode"] == 40058


def test_an_unknown_api_path_is_refused_in_the_envelope(wire):
    response = wire.client.post("/cgi-bin/checkin/addcheckindata",
                                params={"access_token": wire.token})

    assert (response.status_code, response.json()["errcode"]) == (200, 48001)


def test_healthz_answers_when_ready(api):
    response = api.get("/healthz")

    assert (response.status_code, response.text) == (200, "ok")


def test_an_unexpected_failure_is_answered_as_system_busy_not_a_500(wire, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("daka.services.checkin.corp_options", explode)

    response = wire.client.post("/cgi-bin/checkin/getcorpcheckinoption",
                                params={"access_token": wire.token})

    assert response.status_code == 200
    assert_golden("unexpected_error_-1", response.json())
