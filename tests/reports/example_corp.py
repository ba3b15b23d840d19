"""The corp behind WeCom's official day and month report examples, rebuilt so daka can
answer them: 张三 (ZhangSan) in three departments, rule 10 「规则测试」, two punches on
Thursday 2020-09-03, a one-minute 年假 and a 16-day overtime approval.

The examples only show results; the inputs here are the simplest ones that produce them:

- 09-03 (Thu) is a workday 10:46–10:48 (``work_sec`` 38760, ``off_work_sec`` 38880), punched
  at 10:47:07 and 10:47:38: one minute late, one minute early, 31 s worked, 120 s standard;
- 09-04 (Fri) and 09-07 (Mon) are workdays of 14,460 s (09:00–13:01), not punched: 旷工;
- the leave 202009030002 covers 10:00–10:01 on 09-03 (hour-based 年假, vacation 2);
- the overtime 202008270004 runs 08/25 14:37 – 09/10 14:37 with 17 hours over its days:
  1 h on 09-03, 7 h on 09-04 and on 09-07, 1 h on 08-25 and on 09-10; the rule counts
  workday overtime by approval and converts it to pay (记为加班费).
"""

from __future__ import annotations

from typing import Any

from daka.domain.approvals import Approval, DaySlice, RangeType, RecordType, SpStatus, TimeOff
from daka.domain.vacations import TimeAttr
from daka.storage.store import Store
from tests.factories import at

CORPID = "wwwecomexample01"
SECRET = "wecom-example-secret"
USERID = "ZhangSan"
THURSDAY = at(2020, 9, 3)  # 1599062400
MONDAY = at(2020, 9, 7)
NOW = at(2020, 9, 11, 9, 0)
HOUR = 3600


def _slot(work: int, off: int) -> dict[str, Any]:
    return {
        "time_id": 1,
        "work_sec": work,
        "off_work_sec": off,
        "remind_work_sec": work,
        "remind_off_work_sec": off,
    }


def example_rule() -> dict[str, Any]:
    """Rule 10: Thursdays 10:46–10:48, Mondays to Fridays otherwise 09:00–13:01."""
    return {
        "groupid": 10,
        "grouptype": 1,
        "groupname": "规则测试",
        "sync_holidays": False,
        "checkindate": [
            {"workdays": [4], "checkintime": [_slot(38_760, 38_880)], "limit_aheadtime": 0},
            {"workdays": [1, 2, 3, 5], "checkintime": [_slot(32_400, 46_860)]},
        ],
        "loc_infos": [],
        "wifimac_infos": [],
        "range": {"party_id": [], "userid": [USERID], "tagid": []},
        "white_users": [],
        "ot_info_v2": {
            "workdayconf": {
                "allow_ot": True,
                "type": 2,
                "ot_trans_enable": True,
                "ot_trans_type": 2,
            },
            "restdayconf": {
                "allow_ot": True,
                "type": 2,
                "ot_trans_enable": True,
                "ot_trans_type": 2,
            },
            "holidayconf": {"allow_ot": False, "type": 2},
        },
    }


def example_org() -> dict[str, Any]:
    return {
        "corps": [
            {
                "corpid": CORPID,
                "name": "有家企业",
                "timezone": "Asia/Shanghai",
                "apps": [{"agentid": 1000010, "name": "打卡", "secret": SECRET, "checkin": True}],
                "departments": [
                    {"id": 1, "name": "有家企业", "parentid": 0},
                    {"id": 2, "name": "realempty", "parentid": 1},
                    {"id": 4, "name": "部门A4", "parentid": 1},
                ],
                "users": [
                    {
                        "userid": USERID,
                        "name": "张三",
                        "alias": "Three Zhang",
                        "department": [2, 1, 4],
                    }
                ],
                "checkin_groups": [example_rule()],
            }
        ]
    }


def example_punches() -> list[dict[str, Any]]:
    return [
        {
            "userid": USERID,
            "checkin_time": THURSDAY + seconds,
            "location_title": "",
            "location_detail": "",
            "device_type": 2,
            "device_detail": "门禁",
        }
        for seconds in (38_827, 38_858)
    ]


def _approval(sp_no: str, applied: int, time_off: TimeOff) -> Approval:
    return Approval(
        sp_no=sp_no,
        template_id="example",
        sp_name=time_off.kind.label,
        creator=USERID,
        department=1,
        apply_time=applied,
        status=SpStatus.APPROVED,
        nodes=(),
        time_off=time_off,
    )


def example_approvals() -> list[Approval]:
    """The two approved forms of the example, as WeCom stores them (per-day slices given)."""
    leave = TimeOff(
        kind=RecordType.LEAVE,
        range_type=RangeType.HOUR,
        begin=THURSDAY + 10 * HOUR,
        end=THURSDAY + 10 * HOUR + 60,
        start=THURSDAY + 10 * HOUR,
        stop=THURSDAY + 10 * HOUR + 60,
        slices=(DaySlice(THURSDAY, 360),),
        vacation_id=2,
        vacation_name="年假",
        time_attr=TimeAttr.HOURS,
    )
    begin, end = at(2020, 8, 25, 14, 37), at(2020, 9, 10, 14, 37)
    overtime = TimeOff(
        kind=RecordType.OVERTIME,
        range_type=RangeType.HOUR,
        begin=begin,
        end=end,
        start=begin,
        stop=end,
        slices=(
            DaySlice(at(2020, 8, 25), HOUR),
            DaySlice(THURSDAY, HOUR),
            DaySlice(at(2020, 9, 4), 7 * HOUR),
            DaySlice(MONDAY, 7 * HOUR),
            DaySlice(at(2020, 9, 10), HOUR),
        ),
        slice_state=2,
    )
    return [
        _approval("202009030002", THURSDAY + 9 * HOUR, leave),
        _approval("202008270004", at(2020, 8, 27, 11), overtime),
    ]


def store_example_approvals(store: Store) -> None:
    with store.write() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        for approval in example_approvals():
            store.save_approval(conn, corp.id, approval, NOW)
