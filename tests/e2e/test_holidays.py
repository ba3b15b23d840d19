"""Holiday calendars the way an operator uses them: ``daka serve`` warns about a year without
data, ``daka holidays load`` fixes it for the running server, ``daka holidays show`` and
``daka explain`` say where the calendar comes from."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.clock import daka_environ
from tests.e2e.conftest import DAKA, DakaServer
from tests.factories import CORPID, SECRET, at
from tests.holiday_data import FICTIONAL_2027, FICTIONAL_SOURCE

pytestmark = pytest.mark.slow

AFTER_SPRING_FESTIVAL = "2027-02-10T12:00:00+08:00"  # the servers' and commands' clock


def daka(*args: str, clock_at: str = AFTER_SPRING_FESTIVAL) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DAKA), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=daka_environ(clock_at),
    )


def spring_monday_rows(server: DakaServer) -> list[tuple[str, str]]:
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        token = http.get(
            "/cgi-bin/gettoken", params={"corpid": CORPID, "corpsecret": SECRET}
        ).json()["access_token"]
        answer = http.post(
            "/cgi-bin/checkin/getcheckindata",
            params={"access_token": token},
            json={
                "opencheckindatatype": 3,
                "starttime": at(2027, 2, 8),
                "endtime": at(2027, 2, 8, 23, 59),
                "useridlist": ["zhangsan"],
            },
        ).json()
    assert answer["errcode"] == 0, answer
    return [(r["checkin_type"], r["exception_type"]) for r in answer["checkindata"]]


def write_json(path: Path, body: Any) -> Path:
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_2027_file_loaded_with_the_cli_ends_the_warning_and_the_spring_festival_absences(
    launch: Callable[..., DakaServer], tmp_path: Path
) -> None:
    server = launch(clock_at=AFTER_SPRING_FESTIVAL)
    db = f"sqlite:///{server.db_path}"
    log = server.log()
    assert "warning: no statutory holiday data for 2027: corp wwtest0000000001" in log, log
    assert "daka holidays load FILE" in log
    assert spring_monday_rows(server) == [("上班打卡", "未打卡"), ("下班打卡", "未打卡")]
    shown = daka("holidays", "show", "2027", "--db", db)
    assert shown.returncode == 1 and "no holiday data for 2027" in shown.stdout, shown

    loaded = daka(
        "holidays", "load", str(write_json(tmp_path / "2027.json", FICTIONAL_2027)), "--db", db
    )

    assert loaded.returncode == 0, loaded.stderr
    assert "2027: version 1, in force from 2027-01-01" in loaded.stderr
    assert spring_monday_rows(server) == []  # the running server sees it at once
    shown = daka("holidays", "show", "2027", "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert f"source: {FICTIONAL_SOURCE}" in shown.stdout
    assert "春节  2027-02-06 – 2027-02-13 (8 days)" in shown.stdout
    assert "春节  2027-02-14 (Sunday)" in shown.stdout
    explained = daka("explain", "zhangsan", "2027-02-08", "--corpid", CORPID, "--db", db)
    day = json.loads(explained.stdout)
    assert day["day"]["statutory_holiday"] is True and day["warnings"] == []

    server.stop()
    restarted = launch(db_path=server.db_path, clock_at=AFTER_SPRING_FESTIVAL)
    assert "no statutory holiday data" not in restarted.log(), restarted.log()


def test_a_wrong_file_is_refused_naming_the_field_and_writes_nothing(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'daka.db'}"
    bad = {**FICTIONAL_2027, "makeup_workdays": [{"name": "春节", "date": "2027-02-08"}]}

    refused = daka("holidays", "load", str(write_json(tmp_path / "bad.json", bad)), "--db", db)

    assert refused.returncode == 2
    assert "makeup_workdays[0].date 2027-02-08 is also a holiday" in refused.stderr
    assert daka("holidays", "show", "2027", "--db", db).returncode == 1


def test_a_server_started_in_december_warns_about_next_year_and_not_in_june(
    launch: Callable[..., DakaServer],
) -> None:
    december = launch(clock_at="2026-12-03T21:30:00+08:00")
    assert "warning: no statutory holiday data for 2027" in december.log(), december.log()
    december.stop()

    june = launch(db_path=december.db_path, clock_at="2026-06-01T09:00:00+08:00")
    assert "no statutory holiday data" not in june.log(), june.log()
