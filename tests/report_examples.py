"""WeCom's published examples of getcheckin_daydata and getcheckin_monthdata answers, verbatim.

The day example is the documentation's (doc 93374), its ``ot_info`` carrying only
``workday_over_as_money``; the month example is the 2023 documentation's (doc 93387) with
the ``rest_days`` that the 2025 page adds. Both are internally inconsistent in places (a
``time_type`` 0 leave titled in hours, ``ot_duration`` 3600 beside 54000 as money): tests read
them as wire shapes, not as arithmetic.
"""

from __future__ import annotations

from typing import Any

DAY_DATA: dict[str, Any] = {
    "errcode": 0,
    "errmsg": "ok",
    "datas": [
        {
            "base_info": {
                "date": 1599062400,
                "record_type": 1,
                "name": "张三",
                "name_ex": "Three Zhang",
                "departs_name": "有家企业/realempty;有家企业;有家企业/部门A4",
                "acctid": "ZhangSan",
                "rule_info": {
                    "groupid": 10,
                    "groupname": "规则测试",
                    "scheduleid": 0,
                    "schedulename": "",
                    "checkintime": [{"work_sec": 38760, "off_work_sec": 38880}],
                },
                "day_type": 0,
            },
            "summary_info": {
                "checkin_count": 2,
                "regular_work_sec": 31,
                "standard_work_sec": 120,
                "earliest_time": 38827,
                "lastest_time": 38858,
            },
            "holiday_infos": [
                {
                    "sp_description": {
                        "data": [{"lang": "zh_CN", "text": "09/03 10:00~09/03 10:01"}]
                    },
                    "sp_number": "202009030002",
                    "sp_title": {"data": [{"lang": "zh_CN", "text": "请假0.1小时"}]},
                },
                {
                    "sp_description": {
                        "data": [{"lang": "zh_CN", "text": "08/25 14:37~09/10 14:37"}]
                    },
                    "sp_number": "202008270004",
                    "sp_title": {"data": [{"lang": "zh_CN", "text": "加班17.0小时"}]},
                },
            ],
            "exception_infos": [
                {"count": 1, "duration": 60, "exception": 1},
                {"count": 1, "duration": 60, "exception": 2},
            ],
            "ot_info": {
                "ot_status": 1,
                "ot_duration": 3600,
                "exception_duration": [],
                "workday_over_as_money": 54000,
            },
            "sp_items": [
                {
                    "count": 1,
                    "duration": 360,
                    "time_type": 0,
                    "type": 1,
                    "vacation_id": 2,
                    "name": "年假",
                },
                {
                    "count": 0,
                    "duration": 0,
                    "time_type": 0,
                    "type": 100,
                    "vacation_id": 0,
                    "name": "外勤次数",
                },
            ],
        }
    ],
}

MONTH_DATA: dict[str, Any] = {
    "errcode": 0,
    "errmsg": "ok",
    "datas": [
        {
            "base_info": {
                "record_type": 1,
                "name": "张三",
                "name_ex": "Three Zhang",
                "departs_name": "有家企业/realempty;有家企业;有家企业/部门A4",
                "rule_info": {"groupid": 10, "groupname": "规则测试"},
                "acctid": "ZhangSan",
            },
            "summary_info": {
                "except_days": 3,
                "regular_work_sec": 31,
                "standard_work_sec": 29040,
                "work_days": 3,
                "rest_days": 0,
            },
            "exception_infos": [
                {"count": 2, "duration": 28920, "exception": 4},
                {"count": 1, "duration": 60, "exception": 1},
                {"count": 1, "duration": 60, "exception": 2},
            ],
            "sp_items": [
                {
                    "count": 0,
                    "duration": 0,
                    "time_type": 0,
                    "type": 100,
                    "vacation_id": 0,
                    "name": "外勤次数",
                },
                {
                    "count": 1,
                    "duration": 0,
                    "time_type": 0,
                    "type": 1,
                    "vacation_id": 2,
                    "name": "年假",
                },
            ],
            "overwork_info": {
                "workday_over_sec": 54000,
                "restdays_over_sec": 205560,
                "workdays_over_as_vacation": 0,
                "workdays_over_as_money": 54000,
                "restdays_over_as_vacation": 0,
                "restdays_over_as_money": 172800,
                "holidays_over_as_vacation": 0,
                "holidays_over_as_money": 0,
            },
        }
    ],
}
