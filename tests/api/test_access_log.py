"""The access log: one line per request, with the errcode the client was told."""

from __future__ import annotations

import logging
import re

import pytest

from tests.factories import CORPID, SECRET


@pytest.fixture
def access_log(caplog):
    caplog.set_level(logging.INFO, logger="daka.access")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "daka.access"]


def test_an_error_is_logged_with_its_errcode_duration_and_hint(wire, access_log):
    body = wire.post("checkin/getcheckindata", {})

    (line,) = access_log()[-1:]
    hint = re.search(r"hint: \[(\d+)\]", body["errmsg"])[1]
    assert re.fullmatch(
        r"POST /cgi-bin/checkin/getcheckindata\?access_token=\*\*\* 200 "
        rf"errcode=40058 \d+\.\dms hint={hint}",
        line,
    )


def test_a_success_is_errcode_0_and_secrets_are_masked(api, org, access_log):
    api.get("/cgi-bin/gettoken", params={"corpid": CORPID, "corpsecret": SECRET})

    (line,) = access_log()
    assert line.startswith(f"GET /cgi-bin/gettoken?corpid={CORPID}&corpsecret=*** 200 errcode=0 ")
    assert SECRET not in line and line.endswith("hint=-")


def test_a_path_that_is_no_wecom_endpoint_has_no_errcode(api, access_log):
    api.get("/healthz")
    api.get("/nowhere")

    assert [line.split()[:4] for line in access_log()] == [
        ["GET", "/healthz", "200", "errcode=-"],
        ["GET", "/nowhere", "404", "errcode=-"],
    ]


def test_the_logged_path_is_escaped_and_bounded(wire, access_log):
    wire.client.get("/cgi-bin/" + "a" * 5000, params={"access_token": wire.token, "q": "\r\n中"})
    wire.client.get("/cgi-bin/%0D%0Afake%1B[31m")  # the ASGI path is percent-decoded

    long, odd = access_log()
    assert "errcode=48001" in long and len(long) < 400
    assert odd.startswith("GET /cgi-bin/\\r\\nfake\\x1b[31m 200 errcode=48001")
