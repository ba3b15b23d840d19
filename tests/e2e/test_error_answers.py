"""Error answers that echo what the client sent arrive over real HTTP, and every request is
logged once, without its secrets."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from daka.api.envelope import MAX_HEADER_BYTES
from tests.e2e.conftest import CorpKey, DakaServer, past_monday
from tests.factories import CORPID, SECRET, api_rule, midnight

pytestmark = pytest.mark.slow

HUGE_USERID = "x" * 1_000_000
ODD_USERID = "gate\r\nX-Injected: 1\x1b[31m\x7f"


def _token(server: DakaServer, corp: CorpKey | None = None) -> str:
    corpid, secret = (corp.corpid, corp.secret) if corp else (CORPID, SECRET)
    body = httpx.get(
        f"{server.base_url}/cgi-bin/gettoken", params={"corpid": corpid, "corpsecret": secret}
    ).json()
    return str(body["access_token"])


def _bodies(userid: str) -> list[tuple[str, dict[str, object], int]]:
    day = midnight(past_monday())
    return [
        (
            "checkin/punch_correction",
            {"userid": userid, "schedule_date_time": day, "checkin_time": day + 9 * 3600},
            40058 if len(userid) > 64 else 301021,
        ),  # over WeCom's 64 characters: malformed
        (
            "checkin/add_checkin_option",
            {"group": api_rule(users=[userid]), "effective_now": False},
            301090,
        ),
    ]


@pytest.mark.parametrize("userid", [HUGE_USERID, ODD_USERID], ids=["1MB", "controls"])
def test_an_echoed_userid_still_gets_its_answer_from_a_real_server(
    shared_server: DakaServer, userid: str
) -> None:
    token = _token(shared_server)
    with httpx.Client(base_url=shared_server.base_url, timeout=30) as http:
        for endpoint, body, errcode in _bodies(userid):
            response = http.post(f"/cgi-bin/{endpoint}", params={"access_token": token}, json=body)

            assert response.status_code == 200
            assert response.json()["errcode"] == errcode
            header = response.headers["Error-Msg"]
            assert len(header.encode()) <= MAX_HEADER_BYTES
            assert re.fullmatch(r"[ -~]+", header)
            assert "X-Injected" not in response.headers


def test_each_request_is_logged_once_without_its_token_or_secret(shared_server: DakaServer) -> None:
    token = _token(shared_server)
    marker = f"marker{time.monotonic_ns()}"
    httpx.post(
        f"{shared_server.base_url}/cgi-bin/checkin/getcheckindata",
        params={"access_token": token, "debug": marker},
        content=b"{}",
    )
    httpx.get(
        f"{shared_server.base_url}/cgi-bin/gettoken",
        params={"corpid": CORPID, "corpsecret": SECRET, "debug": marker},
    )

    lines = _log_lines(shared_server, marker, count=2)

    assert re.search(
        r"POST /cgi-bin/checkin/getcheckindata\?access_token=\*\*\*&debug="
        rf"{marker} 200 errcode=40058 \d+\.\dms hint=\d{{25}}$",
        lines[0],
    )
    assert re.search(
        rf"GET /cgi-bin/gettoken\?corpid={CORPID}&corpsecret=\*\*\*&debug="
        rf"{marker} 200 errcode=0 \d+\.\dms hint=-$",
        lines[1],
    )
    assert token not in shared_server.log() and SECRET not in shared_server.log()
    assert "\x1b[" not in "".join(lines)  # plain text: the log is a file, not a terminal


def _log_lines(server: DakaServer, marker: str, count: int) -> list[str]:
    # The line is written once the answer has gone, so it may trail the response a little.
    deadline = time.monotonic() + 5
    while True:
        lines = [line for line in server.log().splitlines() if marker in line]
        if len(lines) >= count or time.monotonic() > deadline:
            assert len(lines) == count, server.log()[-2000:]
            return lines
        time.sleep(0.05)
