"""The ``daka serve`` command line: its options, and ``--demo`` on a fresh database."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator

import httpx
import pytest

from daka.demo import DEMO_CORPID, DEMO_SECRET
from tests.clock import now_int
from tests.e2e.conftest import (
    DAKA,
    DakaServer,
    punch_rows,
    start_server,
    today_in_shanghai,
)

pytestmark = pytest.mark.slow


def test_serve_help_lists_exactly_its_options() -> None:
    result = subprocess.run(
        [str(DAKA), "serve", "--help"], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    # Click lists one option per line: "  --db URL  help…" or "  -x, --long …".
    options = re.findall(r"^\s+(?:-\w,\s+)?(--[a-z][a-z-]*)", result.stdout, flags=re.MULTILINE)
    assert sorted(options) == sorted(
        [
            "--db",
            "--org",
            "--host",
            "--port",
            "--rate-limits",
            "--demo",
            "--report-workers",
            "--help",
        ]
    )
    assert "[wecom|off]" in result.stdout


def demo_credentials(log: str) -> tuple[str, str]:
    found = re.search(r"corpid\s+(\S+)\s+secret\s+(\S+)", log)
    assert found is not None, log
    return found.group(1), found.group(2)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DakaServer]:
    """``daka serve --demo`` on a fresh database, no org file."""
    server = start_server(
        tmp_path_factory.mktemp("daka-demo"), use_org=False, extra_args=["--demo"]
    )
    yield server
    server.stop()


def test_serve_demo_prints_credentials_that_get_a_token_and_zhangsans_last_week_of_punches(
    demo_server: DakaServer,
) -> None:
    corpid, secret = demo_credentials(demo_server.log())
    assert (corpid, secret) == (DEMO_CORPID, DEMO_SECRET)

    with httpx.Client(base_url=demo_server.base_url, timeout=30) as http:
        token = http.get(
            "/cgi-bin/gettoken", params={"corpid": corpid, "corpsecret": secret}
        ).json()
        assert token["errcode"] == 0, token
        assert token["expires_in"] == 7200
        now = now_int()
        answer = http.post(
            "/cgi-bin/checkin/getcheckindata",
            params={"access_token": token["access_token"]},
            json={
                "opencheckindatatype": 3,
                "starttime": now - 7 * 86_400,
                "endtime": now,
                "useridlist": ["zhangsan"],
            },
        ).json()
    assert answer["errcode"] == 0, answer
    rows = answer["checkindata"]
    assert rows, "the demo should give zhangsan some rows in the last 7 days"
    assert {r["userid"] for r in rows} == {"zhangsan"}
    assert {r["checkin_type"] for r in rows} <= {"上班打卡", "下班打卡", "外出打卡"}
    assert {r["groupname"] for r in rows} == {"Office hours"}
    assert all(now - 7 * 86_400 <= r["checkin_time"] <= now for r in rows)


def test_serve_demo_again_on_the_same_database_does_not_duplicate_punches(
    demo_server: DakaServer,
    launch: Callable[..., DakaServer],
) -> None:
    day = today_in_shanghai()
    count = "SELECT COUNT(*) FROM punches"
    before = punch_rows(demo_server.db_path, count)[0][0]
    assert before > 0
    # A second --demo server on the same file (the first keeps running) seeds it again.
    again = launch(use_org=False, extra_args=["--demo"], db_path=demo_server.db_path)
    assert demo_credentials(again.log()) == (DEMO_CORPID, DEMO_SECRET)
    after = punch_rows(demo_server.db_path, count)[0][0]
    if today_in_shanghai() == day:
        assert after == before
    else:  # midnight passed in between: the demo then adds the new day, nothing else
        assert after >= before
