"""The typed day and month reports, read from WeCom's published example answers."""

from __future__ import annotations

import copy

from daka.client import (
    CheckinTime,
    DayDataResult,
    MonthDataResult,
    ReportException,
    ReportSpItem,
)
from tests.report_examples import DAY_DATA, MONTH_DATA


def test_a_day_report_reads_its_person_rule_and_schedule():
    report = DayDataResult.from_raw(DAY_DATA).datas[0]

    base = report.base_info
    assert (base.name, base.name_ex, base.acctid) == ("张三", "Three Zhang", "ZhangSan")
    assert base.departs_name == "有家企业/realempty;有家企业;有家企业/部门A4"
    assert (base.date, base.record_type, base.day_type) == (1599062400, 1, 0)
    assert (base.rule_info.groupid, base.rule_info.groupname) == (10, "规则测试")
    assert (base.rule_info.scheduleid, base.rule_info.schedulename) == (0, "")
    assert base.rule_info.checkintime == (CheckinTime(38760, 38880),)


def test_a_day_report_keeps_its_flat_fields():
    report = DayDataResult.from_raw(DAY_DATA).datas[0]

    assert (report.userid, report.name, report.date, report.groupname) == (
        "ZhangSan",
        "张三",
        1599062400,
        "规则测试",
    )
    assert (report.earliest_time, report.lastest_time) == (38827, 38858)
    assert report.exceptions == (ReportException(1, 1, 60), ReportException(2, 1, 60))


def test_a_day_report_reads_its_summary_approvals_overtime_and_items():
    report = DayDataResult.from_raw(DAY_DATA).datas[0]

    summary = report.summary_info
    assert (summary.checkin_count, summary.regular_work_sec, summary.standard_work_sec) == (
        2,
        31,
        120,
    )
    assert [(h.sp_number, h.title, h.description) for h in report.holiday_infos] == [
        ("202009030002", "请假0.1小时", "09/03 10:00~09/03 10:01"),
        ("202008270004", "加班17.0小时", "08/25 14:37~09/10 14:37"),
    ]
    assert report.holiday_infos[0].sp_title[0].lang == "zh_CN"
    ot = report.ot_info
    assert (ot.ot_status, ot.ot_duration, ot.exception_duration) == (1, 3600, ())
    assert ot.workday_over_as_money == 54000
    assert (ot.workday_over_as_vacation, ot.restday_over_as_money, ot.holiday_over_as_vacation) == (
        0,
        172800,
        0,
    )
    assert report.sp_items == (
        ReportSpItem(type=1, vacation_id=2, count=1, duration=360, time_type=0, name="年假"),
        ReportSpItem(type=100, vacation_id=0, count=0, duration=0, time_type=0, name="外勤次数"),
    )


def test_a_day_report_reads_conversions_that_are_not_sent_as_0_and_numeric_strings_as_ints():
    raw = copy.deepcopy(DAY_DATA)
    sent = raw["datas"][0]["ot_info"]
    for field in ("restday_over_as_money", "workday_over_as_vacation"):
        del sent[field]
    sent["holiday_over_as_vacation"] = "7"

    ot = DayDataResult.from_raw(raw).datas[0].ot_info

    assert (ot.restday_over_as_money, ot.workday_over_as_vacation) == (0, 0)
    assert ot.holiday_over_as_vacation == 7


def test_a_month_report_reads_summary_and_overwork_in_wecoms_spellings():
    report = MonthDataResult.from_raw(MONTH_DATA, (1599062400, 1599408000)).datas[0]

    assert report.period == (1599062400, 1599408000)
    assert (report.base_info.name_ex, report.base_info.rule_info.groupname) == (
        "Three Zhang",
        "规则测试",
    )
    s = report.summary_info
    assert (s.work_days, s.regular_days, s.except_days, s.rest_days) == (3, 0, 3, 0)
    assert (s.regular_work_sec, s.standard_work_sec) == (31, 29040)
    o = report.overwork_info
    assert (o.workday_over_sec, o.restdays_over_sec, o.holidays_over_sec) == (54000, 205560, 0)
    assert (o.workdays_over_as_money, o.restdays_over_as_money) == (54000, 172800)
    assert (o.workdays_over_as_vacation, o.holidays_over_as_money) == (0, 0)
    assert [(i.type, i.name, i.count) for i in report.sp_items] == [
        (100, "外勤次数", 0),
        (1, "年假", 1),
    ]
    assert report.exceptions[0] == ReportException(exception=4, count=2, duration=28920)


def test_a_report_missing_everything_reads_as_zeros():
    report = DayDataResult.from_raw({"datas": [{"base_info": "odd", "sp_items": [1, None]}]}).datas[
        0
    ]

    assert (report.userid, report.base_info.rule_info.checkintime, report.sp_items) == ("", (), ())
    assert report.ot_info.ot_duration == 0 and report.holiday_infos == ()
