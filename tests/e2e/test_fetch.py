"""`daka fetch`: a real server's answers printed as JSON or CSV through the SDK."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.e2e.conftest import SHARED_CORPS, DakaServer, at_day, past_monday

pytestmark = pytest.mark.slow
CORP = SHARED_CORPS["fetch"]
DAKA = str(Path(sys.executable).parent / "daka")


def daka_fetch(server: DakaServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            DAKA,
            "fetch",
            *args,
            "--from",
            server.base_url,
            "--corpid",
            CORP.corpid,
            "--secret",
            CORP.secret,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def punched(shared_server: DakaServer, api_factory_module) -> str:
    monday = past_monday()
    api = api_factory_module(shared_server, CORP)
    records = [
        {
            "userid": user,
            "checkin_time": at_day(monday + timedelta(days=d), hhmm),
            "location_title": "Gate",
            "location_detail": "1F",
            "device_type": 1,
            "device_detail": "ZKTeco",
        }
        for user in ("zhangsan", "lisi")
        for d in range(3)
        for hhmm in ("08:55", "18:05")
    ]
    assert api.post("checkin/add_checkin_record", {"records": records})["errcode"] == 0
    return monday.isoformat()


@pytest.fixture(scope="module")
def api_factory_module():
    from tests.e2e.conftest import Api

    made = []

    def make(server, corp):
        api = Api(server.base_url, corp.corpid, corp.secret)
        api.login()
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


def test_fetch_prints_getcheckindata_as_json(shared_server, punched):
    result = daka_fetch(
        shared_server,
        "getcheckindata",
        "--users",
        "zhangsan,lisi",
        "--since",
        punched,
        "--until",
        punched,
    )

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["errcode"] == 0
    assert [(r["userid"], r["checkin_type"]) for r in answer["checkindata"]] == [
        ("zhangsan", "上班打卡"),
        ("zhangsan", "下班打卡"),
        ("lisi", "上班打卡"),
        ("lisi", "下班打卡"),
    ]


def test_fetch_writes_csv_with_one_row_per_record(shared_server, punched):
    until = (past_monday() + timedelta(days=2)).isoformat()

    result = daka_fetch(
        shared_server,
        "getcheckindata",
        "--users",
        "zhangsan",
        "--since",
        punched,
        "--until",
        until,
        "--format",
        "csv",
    )

    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6
    assert rows[0]["userid"] == "zhangsan" and rows[0]["exception_type"] == ""
    assert rows[0]["mediaids"] == "[]"


def test_fetch_writes_csv_times_as_iso_8601_in_the_corps_zone(shared_server, punched):
    result = daka_fetch(
        shared_server,
        "getcheckindata",
        "--users",
        "zhangsan",
        "--since",
        punched,
        "--until",
        punched,
        "--format",
        "csv",
    )

    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["checkin_time"] for r in rows] == [
        f"{punched}T08:55:00+08:00",
        f"{punched}T18:05:00+08:00",
    ]
    assert [r["sch_checkin_time"] for r in rows] == [
        f"{punched}T09:00:00+08:00",
        f"{punched}T18:00:00+08:00",
    ]


def test_fetch_reads_the_corps_rules_and_any_endpoint_with_a_raw_body(shared_server):
    rules = daka_fetch(shared_server, "getcorpcheckinoption")
    raw = daka_fetch(
        shared_server,
        "getcheckinoption",
        "--body",
        json.dumps({"datetime": 1_700_000_000, "useridlist": ["zhangsan"]}),
    )

    assert rules.returncode == 0, rules.stderr
    assert [g["groupid"] for g in json.loads(rules.stdout)["group"]] == [1]
    assert json.loads(raw.stdout)["info"][0]["userid"] == "zhangsan"


def test_fetch_reports_missing_options_and_api_errors(shared_server):
    missing = daka_fetch(shared_server, "getcheckindata", "--since", "2026-11-02")
    unknown = daka_fetch(
        shared_server, "getcheckindata", "--users", "ghost", "--since", "2026-11-02"
    )

    assert missing.returncode == 2 and "needs --users" in missing.stderr
    assert unknown.returncode == 1 and "301021" in unknown.stderr
