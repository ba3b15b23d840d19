"""daka report against a real ``daka serve`` process, through ``--from URL --secret S``."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests import clock
from tests.e2e.conftest import DAKA, SHARED_CORPS, Api, DakaServer, at_day, past_monday
from tests.factories import CORPID, SECRET, make_corp, make_org, make_rule

pytestmark = pytest.mark.slow


def vacation_org() -> dict[str, Any]:
    """The default test corp, its app allowed 审批 too, with 年假 by the day, 调休 by the hour."""
    corp = make_corp(
        apps=[{"agentid": 1, "name": "打卡", "secret": SECRET, "checkin": True, "approval": True}],
        rules=[make_rule(sync_holidays=False)],
        vacations=[
            {"id": 1, "name": "年假", "time_attr": 0},
            {"id": 2, "name": "调休", "time_attr": 1, "is_newovertime": 1},
        ],
    )
    return make_org(corp)


@pytest.fixture
def server(launch: Any) -> DakaServer:
    """A server where 张三 punched on time last Monday and 10 minutes late on Tuesday."""
    started = launch(org=vacation_org())
    monday = past_monday()
    api = Api(started.base_url, CORPID, SECRET)
    records = [
        {
            "userid": "zhangsan",
            "checkin_time": at_day(day, hhmm),
            "location_title": "Gate",
            "location_detail": "1F",
            "device_type": 1,
            "device_detail": "ZKTeco",
        }
        for day, hhmms in (
            (monday, ("08:55", "18:05")),
            (monday + timedelta(1), ("09:10", "18:02")),
        )
        for hhmm in hhmms
    ]
    assert api.post("checkin/add_checkin_record", {"records": records})["errcode"] == 0
    api.close()
    return started


def daka_report(server: DakaServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(DAKA),
            "report",
            *args,
            "--corpid",
            CORPID,
            "--from",
            server.base_url,
            "--secret",
            SECRET,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=clock.daka_environ(),
    )


def test_a_remote_day_report_is_the_workbook_the_local_one_is(server, tmp_path: Path):
    monday = past_monday()
    out = tmp_path / "day.xlsx"

    result = daka_report(
        server,
        "day",
        "--since",
        monday.isoformat(),
        "--until",
        (monday + timedelta(days=1)).isoformat(),
        "--out",
        str(out),
    )

    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    sheet = book["概况统计与打卡明细"]
    header = [low.value or top.value for top, low in zip(sheet[3], sheet[4], strict=True)]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=5, values_only=True)]
    zhangsan = [r for r in rows if r["账号"] == "zhangsan"]
    assert [r["考勤结果"] for r in zhangsan] == ["正常", "迟到1次"]
    assert [r["打卡时间记录"] for r in zhangsan] == ["08:55 18:05", "09:10 18:02"]
    on1_status = header.index("打卡状态")  # 上班1's; 下班1's is the next one
    assert sheet.cell(3, on1_status).value == "上班1"  # the group over 上班1's two columns
    statuses = [
        r[on1_status]
        for r in sheet.iter_rows(min_row=5, values_only=True)
        if r[header.index("账号")] == "zhangsan"
    ]
    assert statuses == ["正常", "迟到10分钟"]
    assert "年假(天)" in header and "调休(小时)" in header
    punches = list(book["打卡详情"].iter_rows(min_row=4, values_only=True))
    assert len([p for p in punches if p[2] == "zhangsan"]) == 4
    assert f"{len(rows)} rows, 3 people" in result.stderr


def test_a_remote_month_report_as_csv_has_one_row_per_person(server):
    monday = past_monday()

    result = daka_report(
        server,
        "month",
        "--since",
        monday.isoformat(),
        "--until",
        (monday + timedelta(days=6)).isoformat(),
        "--format",
        "csv",
        "--users",
        "zhangsan,lisi",
    )

    assert result.returncode == 0, result.stderr
    rows = {r["userid"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert sorted(rows) == ["lisi", "zhangsan"]
    assert rows["zhangsan"]["work_days"] == "5"
    assert rows["zhangsan"]["late_minutes"] == "10"
    assert rows["zhangsan"]["attended_days"] == "2"


def test_a_remote_month_over_thirty_days_is_one_row_per_person_summed_over_the_chunks(server):
    monday = past_monday()
    since, until = monday - timedelta(days=35), monday + timedelta(days=6)  # 42 days: 2 chunks

    result = daka_report(
        server,
        "month",
        "--since",
        since.isoformat(),
        "--until",
        until.isoformat(),
        "--format",
        "csv",
        "--users",
        "zhangsan",
    )

    assert result.returncode == 0, result.stderr
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["work_days"], row["late_minutes"], row["attended_days"]) == ("30", "10", "2")
    assert (row["since"], row["until"]) == (since.isoformat(), until.isoformat())


def test_an_app_without_access_to_the_vacations_exports_without_leave_columns(shared_server):
    corp = SHARED_CORPS["fetch"]  # its only app is a check-in app: no 审批, no 假期
    monday = past_monday().isoformat()

    result = subprocess.run(
        [
            str(DAKA),
            "report",
            "day",
            "--corpid",
            corp.corpid,
            "--since",
            monday,
            "--until",
            monday,
            "--format",
            "csv",
            "--users",
            "wangwu",
            "--from",
            shared_server.base_url,
            "--secret",
            corp.secret,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=clock.daka_environ(),
    )

    assert result.returncode == 0, result.stderr
    assert "warning: no leave columns" in result.stderr
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert row["userid"] == "wangwu" and not any(k.startswith("leave_") for k in row)
