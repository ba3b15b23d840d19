"""daka report day|month from a local SQLite database, as HR runs it."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from daka.cli import main
from daka.services.org import load_org
from tests.conftest import Wire
from tests.factories import CORPID, SECRET, at, make_corp, make_org, make_record

# The suite's default "now" (tests/conftest.py): Monday 2026-11-23, noon in Shanghai.
NOW = "2026-11-23T12:00:00+08:00"


def corp_with_vacations() -> dict[str, Any]:
    return make_corp(
        apps=[{"agentid": 1, "name": "打卡", "secret": SECRET, "checkin": True, "approval": True}],
        vacations=[
            {"id": 1, "name": "年假", "time_attr": 0},
            {"id": 2, "name": "调休", "time_attr": 1, "is_newovertime": 1},
        ],
    )


@pytest.fixture
def punched(api, store) -> None:
    """张三 on time on Monday 11-16, 25 minutes late on Tuesday, absent on Wednesday."""
    load_org(store, make_org(corp_with_vacations()), now=1)
    wire = Wire(api)
    wire.login()
    records = [
        make_record("zhangsan", at(2026, 11, 16, 8, 55)),
        make_record("zhangsan", at(2026, 11, 16, 18, 5)),
        make_record("zhangsan", at(2026, 11, 17, 9, 25)),
        make_record("zhangsan", at(2026, 11, 17, 18, 1)),
    ]
    assert wire.post("checkin/add_checkin_record", {"records": records})["errcode"] == 0


def daka_report(db_url: str, *args: str) -> Any:
    return CliRunner().invoke(
        main,
        ["report", *args, "--corpid", CORPID, "--db", db_url],
        env={"DAKA_CLOCK": NOW},
        catch_exceptions=False,
    )


def day_headers(sheet: Any) -> list[str]:
    """The daily sheet's column names: row 4, or row 3 where a title is merged over both."""
    return [low.value or top.value for top, low in zip(sheet[3], sheet[4], strict=True)]


def test_the_day_report_workbook_has_a_row_per_person_and_day(punched, db_url, tmp_path):
    out = tmp_path / "day.xlsx"

    result = daka_report(
        db_url, "day", "--since", "2026-11-16", "--until", "2026-11-18", "--out", str(out)
    )

    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["概况统计与打卡明细"]
    header = day_headers(sheet)
    rows = [
        dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=5, values_only=True)
    ]
    zhangsan = [r for r in rows if r["姓名"] == "张三"]
    assert [r["时间"] for r in zhangsan] == [
        "2026/11/16 星期一",
        "2026/11/17 星期二",
        "2026/11/18 星期三",
    ]
    assert [r["考勤结果"] for r in zhangsan][:2] == ["正常", "迟到1次"]
    assert zhangsan[1]["迟到时长(分钟)"] == 25
    assert header.count("打卡时间") == 1 + 1  # 上班1 and 下班1
    assert "年假(天)" in header and "调休(小时)" in header
    assert len(rows) == 3 * 3  # three people, three days
    assert "9 rows, 3 people" in result.output


def test_the_day_report_csv_has_iso_times_and_minutes(punched, db_url):
    result = daka_report(
        db_url,
        "day",
        "--since",
        "2026-11-17",
        "--until",
        "2026-11-17",
        "--format",
        "csv",
        "--users",
        "zhangsan",
    )

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    row = rows[0]
    assert row["date"] == "2026-11-17"
    assert row["on1_time"] == "2026-11-17T09:25:00+08:00"
    assert row["earliest"] == "2026-11-17T09:25:00+08:00"
    assert row["late_minutes"] == "25" and row["standard_minutes"] == "540"


def test_the_month_report_workbook_has_a_column_per_day(punched, db_url, tmp_path):
    out = tmp_path / "month.xlsx"

    result = daka_report(
        db_url,
        "month",
        "--since",
        "2026-11-16",
        "--until",
        "2026-11-22",
        "--users",
        "zhangsan",
        "--out",
        str(out),
    )

    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["上下班打卡_月报"]
    assert sheet.freeze_panes == "B5"
    header = [c.value for c in sheet[4]]
    row = dict(zip(header, next(sheet.iter_rows(min_row=5, values_only=True)), strict=True))
    assert row["应出勤天数\n(天)"] == 5 and row["实际出勤天数\n(天)"] == 2
    assert [row[f"{d}\n{w}"] for d, w in ((16, "星期一"), (17, "星期二"), (18, "星期三"))] == [
        "正常",
        "迟到25分钟",
        "旷工",
    ]
    assert row["21\n星期六"] == "休息"


def test_a_department_with_its_children_is_exported(punched, db_url):
    result = daka_report(
        db_url,
        "month",
        "--since",
        "2026-11-16",
        "--until",
        "2026-11-20",
        "--format",
        "csv",
        "--department",
        "2",
        "--with-children",
    )

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["userid"] for r in rows) == ["lisi", "zhangsan"]
