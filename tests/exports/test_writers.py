"""The writers on WeCom's published example reports: the workbook's frame, header and texts,
and the CSV's columns, ISO 8601 times and minutes."""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from daka.client import CheckinRecord, DayDataResult, DayReport, MonthDataResult
from daka.exports import xlsx
from daka.exports.csv import write_csv
from daka.exports.layouts import Frame, LeaveType, PersonDay, PersonMonth
from daka.exports.render import renderer
from daka.exports.sources import merge_months
from tests.report_examples import DAY_DATA, MONTH_DATA

SHANGHAI = ZoneInfo("Asia/Shanghai")
THU = 1599062400  # 2020-09-03 00:00 +08:00, the examples' day
MADE = THU + 4 * 86_400 + 17 * 3600 + 23 * 60  # 2020-09-07 17:23


def write_day_workbook(out: Path, frame: Frame, rows: Iterable[PersonDay]) -> int:
    return xlsx.write_day_workbook(out, frame, map(renderer("day", "xlsx", frame), rows))


def write_month_workbook(out: Path, frame: Frame, rows: Iterable[PersonMonth]) -> int:
    return xlsx.write_month_workbook(out, frame, map(renderer("month", "xlsx", frame), rows))


def write_day_csv(out: TextIO, frame: Frame, rows: Iterable[PersonDay]) -> int:
    return write_csv(out, "day", frame, map(renderer("day", "csv", frame), rows))


def write_month_csv(out: TextIO, frame: Frame, rows: Iterable[PersonMonth]) -> int:
    return write_csv(out, "month", frame, map(renderer("month", "csv", frame), rows))


def frame(**changes: Any) -> Frame:
    values: dict[str, Any] = {
        "tz": SHANGHAI,
        "since": date(2020, 9, 3),
        "until": date(2020, 9, 7),
        "made_at": MADE,
        "leaves": (LeaveType(2, "年假"), LeaveType(5, "调休", by_hour=True)),
    }
    values.update(changes)
    return Frame(**values)


def the_day() -> DayReport:
    return DayDataResult.from_raw(DAY_DATA).datas[0]


def punch(kind: str, at: str, due: str, exception: str = "") -> CheckinRecord:
    """A getcheckindata row of 张三 on the example's day (times ``HH:MM``)."""

    def ts(hhmm: str) -> int:
        return THU + int(hhmm[:2]) * 3600 + int(hhmm[3:]) * 60

    return CheckinRecord.from_raw(
        {
            "userid": "ZhangSan",
            "groupname": "规则测试",
            "checkin_type": kind,
            "exception_type": exception,
            "checkin_time": ts(at),
            "sch_checkin_time": ts(due),
            "location_title": "Gate",
        }
    )


def a_day() -> PersonDay:
    return PersonDay(
        the_day(),
        (punch("上班打卡", "09:15", "09:00", "时间异常"), punch("下班打卡", "18:30", "18:00")),
    )


def day_headers(sheet: Any) -> list[str]:
    return [low.value or top.value for top, low in zip(sheet[3], sheet[4], strict=True)]


def first_of_each(header: list[str], cells: tuple[Any, ...]) -> dict[str, Any]:
    """A row by column name; of two equal names (考勤概况's 最早 and 外出打卡's) the first."""
    return dict(reversed(list(zip(header, cells, strict=True))))


def test_the_daily_workbook_has_wecoms_frame_and_two_level_header(tmp_path: Path):
    out = tmp_path / "day.xlsx"

    assert write_day_workbook(out, frame(), iter([a_day()])) == 1

    sheet = openpyxl.load_workbook(out)["概况统计与打卡明细"]
    assert sheet["A1"].value == "概况统计与打卡明细"
    assert sheet["A2"].value == "统计时间:09-03 ～ 09-07     制表时间:2020-09-07 17:23(UTC+8)"
    merged = {str(m) for m in sheet.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:N3", "O3:X3", "Y3:AA3", "AB3:AI3"} <= merged
    assert [sheet[f"{c}3"].value for c in ("D", "F", "O", "Y", "AB", "AJ")] == [
        "基础信息",
        "考勤概况",
        "异常统计",
        "外出打卡",
        "加班统计",
        "假勤统计",
    ]
    header = day_headers(sheet)
    assert header[:5] == ["时间", "姓名", "账号", "部门", "职务"]
    assert header[35:42] == [
        "补卡次数(次)",
        "审批打卡次数(次)",
        "外勤次数(次)",
        "外出(小时)",
        "出差(天)",
        "年假(天)",
        "调休(小时)",
    ]
    assert header[-6:] == [
        "打卡时间",
        "打卡状态",
        "打卡时间",
        "打卡状态",
        "打卡时间记录",
        "打卡详情",
    ]
    assert sheet.freeze_panes == "D5"


def test_the_daily_workbooks_cells_read_as_wecoms(tmp_path: Path):
    out = tmp_path / "day.xlsx"
    write_day_workbook(out, frame(), iter([a_day()]))

    sheet = openpyxl.load_workbook(out)["概况统计与打卡明细"]
    row = first_of_each(day_headers(sheet), next(sheet.iter_rows(min_row=5, values_only=True)))
    assert row["时间"] == "2020/09/03 星期四"
    assert (row["姓名"], row["账号"], row["职务"]) == ("张三", "ZhangSan", "--")
    assert (row["班次"], row["最早"], row["最晚"]) == ("10:46-10:48", "10:47", "10:47")
    assert (
        row["假勤申请"]
        == "请假0.1小时(09/03 10:00~09/03 10:01);加班17.0小时(08/25 14:37~09/10 14:37)"
    )
    assert row["考勤结果"] == "迟到1次;早退1次"
    assert (row["迟到次数(次)"], row["迟到时长(分钟)"], row["缺卡次数(次)"]) == (1, 1, 0)
    assert (row["加班状态"], row["加班时长(小时)"], row["工作日加班计为加班费(小时)"]) == (
        "正常",
        1,
        15,
    )
    assert row["打卡时间记录"] == "09:15 18:30"
    assert row["打卡详情"] == "09:15 上班打卡 迟到15分钟 Gate;18:30 下班打卡 正常 Gate"
    cells = list(next(sheet.iter_rows(min_row=5, values_only=True)))
    assert cells[-6:-2] == ["09:15", "迟到15分钟", "18:30", "正常"]


def test_the_punch_sheet_has_a_row_per_punch(tmp_path: Path):
    out = tmp_path / "day.xlsx"
    write_day_workbook(out, frame(), iter([a_day()]))

    sheet = openpyxl.load_workbook(out)["打卡详情"]
    assert [c.value for c in sheet[3]][:9] == [
        "时间",
        "姓名",
        "账号",
        "部门",
        "所属规则",
        "打卡类型",
        "应打卡时间",
        "实际打卡时间",
        "打卡状态",
    ]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [r[5:9] for r in rows] == [
        ("上班打卡", "09:00", "2020-09-03 09:15:00", "迟到15分钟"),
        ("下班打卡", "18:00", "2020-09-03 18:30:00", "正常"),
    ]


def test_a_rule_with_two_segments_gets_two_pairs_of_punch_columns(tmp_path: Path):
    out = tmp_path / "day.xlsx"
    write_day_workbook(out, frame(segments=2), iter([a_day()]))

    sheet = openpyxl.load_workbook(out)["概况统计与打卡明细"]
    groups = [c.value for c in sheet[3] if c.value in ("上班1", "下班1", "上班2", "下班2")]
    assert groups == ["上班1", "下班1", "上班2", "下班2"]


def test_the_monthly_workbook_has_units_on_a_second_line_and_a_column_per_day(tmp_path: Path):
    out = tmp_path / "month.xlsx"
    month = MonthDataResult.from_raw(MONTH_DATA).datas[0]
    absent = copy.deepcopy(DAY_DATA["datas"][0])
    absent["base_info"]["date"] = THU + 86_400
    absent["exception_infos"] = [{"exception": 4, "count": 1, "duration": 14460}]
    absent["ot_info"] = {}
    absent["sp_items"] = [{"type": 1, "vacation_id": 2, "duration": 86400, "name": "年假"}]
    days = {
        date(2020, 9, 3): the_day(),
        date(2020, 9, 4): DayReport.from_raw(absent),
        date(2020, 9, 5): DayReport.from_raw({"base_info": {"day_type": 1}}),
    }

    assert write_month_workbook(out, frame(), iter([PersonMonth(month, days)])) == 1

    sheet = openpyxl.load_workbook(out)["上下班打卡_月报"]
    assert sheet["A1"].value == "上下班打卡_月报"
    assert sheet["A2"].value.startswith("统计时间:09-03 ～ 09-07")
    assert sheet.freeze_panes == "B5"
    header = [c.value for c in sheet[4]]
    assert header[:6] == ["姓名", "账号", "所属规则", "部门", "职务", "应出勤天数\n(天)"]
    assert "补卡次数\n(次)" in header and "年假\n(天)" in header and "调休\n(小时)" in header
    assert header[-5:] == ["3\n星期四", "4\n星期五", "5\n星期六", "6\n星期日", "7\n星期一"]
    row = dict(zip(header, next(sheet.iter_rows(min_row=5, values_only=True)), strict=True))
    assert (row["应出勤天数\n(天)"], row["异常天数\n(天)"], row["旷工次数\n(次)"]) == (3, 3, 2)
    assert row["工作日加班时长\n(小时)"] == 15 and row["休息日加班计为加班费\n(小时)"] == 48
    assert row["3\n星期四"] == "年假0天;迟到1分钟;早退1分钟;加班1小时"
    assert row["4\n星期五"] == "年假1天;旷工"
    assert (row["5\n星期六"], row["6\n星期日"]) == ("休息", "--")


def test_the_day_csv_has_snake_case_columns_iso_times_and_minutes():
    out = io.StringIO()

    assert write_day_csv(out, frame(), iter([a_day()])) == 1

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    row = rows[0]
    assert list(row)[:4] == ["date", "name", "userid", "name_ex"]
    assert (row["date"], row["name_ex"], row["day_type"]) == ("2020-09-03", "Three Zhang", "work")
    assert row["earliest"] == "2020-09-03T10:47:07+08:00"
    assert (row["on1_time"], row["on1_status"]) == ("2020-09-03T09:15:00+08:00", "迟到15分钟")
    assert row["punch_times"] == "2020-09-03T09:15:00+08:00 2020-09-03T18:30:00+08:00"
    assert (row["standard_minutes"], row["late_minutes"], row["ot_minutes"]) == ("2", "1", "60")
    assert row["workday_ot_as_money_minutes"] == "900"
    assert (row["leave_2_minutes"], row["leave_5_minutes"]) == ("6", "0")
    assert not any(v.isdigit() and int(v) > 10**9 for v in row.values())  # no Unix seconds


def test_the_month_csv_has_one_row_per_person_without_day_columns():
    out = io.StringIO()
    month = MonthDataResult.from_raw(MONTH_DATA).datas[0]

    write_month_csv(out, frame(), iter([PersonMonth(month, {date(2020, 9, 3): the_day()})]))

    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert (row["userid"], row["since"], row["until"]) == ("ZhangSan", "2020-09-03", "2020-09-07")
    assert (row["work_days"], row["attended_days"], row["absent_minutes"]) == ("3", "1", "482")
    assert (row["workday_ot_minutes"], row["restday_ot_minutes"], row["ot_minutes"]) == (
        "900",
        "3426",
        "4326",
    )
    assert not any("\n" in key for key in row)


def test_thirty_day_chunks_of_one_person_sum_into_one_month():
    first = MonthDataResult.from_raw(MONTH_DATA, (1, 2)).datas[0]
    second = MonthDataResult.from_raw(MONTH_DATA, (3, 4)).datas[0]

    month = merge_months([first, second], (1, 4))

    assert month.period == (1, 4)
    assert (month.work_days, month.except_days, month.standard_work_sec) == (6, 6, 58080)
    assert [(e.exception, e.count, e.duration) for e in month.exceptions] == [
        (4, 4, 57840),
        (1, 2, 120),
        (2, 2, 120),
    ]
    assert [(i.type, i.count) for i in month.sp_items] == [(100, 0), (1, 2)]
    assert month.overwork_info.restdays_over_as_money == 2 * 172800
    assert month.base_info.name == "张三"


@pytest.mark.parametrize(
    ("exception", "status"),
    [
        ("", "正常"),
        ("未打卡", "缺卡"),
        ("地点异常", "地点异常"),
        ("时间异常;地点异常", "迟到15分钟;地点异常"),
    ],
)
def test_a_punchs_status_reads_as_wecoms(exception: str, status: str):
    from daka.exports.cells import punch_status

    assert punch_status(punch("上班打卡", "09:15", "09:00", exception)) == status


def test_memory_stays_flat_however_many_people_are_written(tmp_path: Path):
    import tracemalloc

    report = the_day()

    def peak(people: int) -> int:
        rows = (PersonDay(report) for _ in range(people))
        tracemalloc.start()
        try:
            write_day_workbook(tmp_path / f"{people}.xlsx", frame(), rows)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    few, many = peak(50), peak(1_000)

    assert many < few * 1.5 + 256 * 1024
