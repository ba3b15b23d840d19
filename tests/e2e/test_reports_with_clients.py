"""The day and month reports with the real third-party clients against a real server:
wechatpy 2.0's ``oa.get_checkin_daydata``/``get_checkin_monthdata`` and wecomkit 0.2.0's
``checkin.get_checkin_daydata``/``get_checkin_monthdata``, unchanged but for the base URL.

zhangsan's week (last week, Monday to Friday, 09:00–18:00): Monday 12 minutes late and 10
minutes early; Tuesday not punched at all (旷工); Wednesday a morning of 年假, in at 11:58;
Thursday a whole-day business trip, no punches; Friday on time. Forms are filed with wechatpy
and approved over ``/api/approvals/approve``, as an HR system would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.approval_factories import (
    APPROVAL_SECRET,
    TRIP,
    VACATIONS,
    approval_corp,
    attendance_form,
)
from tests.approval_factories import leave_form as make_leave_form
from tests.e2e.conftest import (
    CorpKey,
    DakaServer,
    at_day,
    day_bounds,
    past_monday,
    run_wecomkit,
    start_server,
    wechatpy_client,
)
from tests.factories import CORPID, make_org, make_rule

pytestmark = pytest.mark.slow

HR = CorpKey(CORPID, APPROVAL_SECRET)
NINE_HOURS = 9 * 3600


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DakaServer, date]]:
    corp = approval_corp(
        rules=[make_rule(sync_holidays=False)],
        vacations=VACATIONS,
        vacation_quotas=[{"userid": "zhangsan", "vacation_id": 1, "leftduration": 432_000}],
    )
    org = make_org(corp)
    server = start_server(tmp_path_factory.mktemp("daka-reports"), org=org)
    try:
        yield server, _file_the_week(server)
    finally:
        server.stop()


def _file_the_week(server: DakaServer) -> date:
    """zhangsan's punches and approved forms of last week; its Monday."""
    monday = past_monday()
    client = wechatpy_client(server.base_url, HR)
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        token = {"access_token": client.access_token}
        punches = [
            (monday, "09:12"),
            (monday, "17:50"),
            (monday + timedelta(days=2), "11:58"),
            (monday + timedelta(days=2), "18:01"),
            (monday + timedelta(days=4), "08:55"),
            (monday + timedelta(days=4), "18:05"),
        ]
        records = [
            {
                "userid": "zhangsan",
                "checkin_time": at_day(day, hhmm),
                "location_title": "Lobby",
                "location_detail": "1F",
                "device_type": 2,
                "device_detail": "ZKTeco",
            }
            for day, hhmm in punches
        ]
        added = http.post(
            "/cgi-bin/checkin/add_checkin_record", params=token, json={"records": records}
        )
        assert added.json()["errcode"] == 0, added.text
        wednesday, thursday = monday + timedelta(days=2), monday + timedelta(days=3)
        forms = [
            make_leave_form(1, at_day(wednesday, "00:00"), at_day(wednesday, "00:00")),
            attendance_form(TRIP, 3, at_day(thursday, "00:00"), at_day(thursday, "12:00")),
        ]
        for form in forms:
            filed = client.oa.apply_event(
                "zhangsan", form["template_id"], 1, None, form["apply_data"], form["summary_list"]
            )
            approved = http.post(
                "/api/approvals/approve",
                params=token,
                json={"sp_no": filed["sp_no"], "userid": "wangwu"},
            ).json()
            assert approved["errcode"] == 0, approved
    return monday


def _exceptions(element: dict[str, Any]) -> dict[int, tuple[int, int]]:
    return {e["exception"]: (e["count"], e["duration"]) for e in element["exception_infos"]}


def _items(element: dict[str, Any]) -> dict[tuple[int, int], tuple[int, int]]:
    return {(i["type"], i["vacation_id"]): (i["count"], i["duration"]) for i in element["sp_items"]}


def test_wechatpy_reads_each_day_of_the_week_as_wecom_reports_it(
    week: tuple[DakaServer, date],
) -> None:
    server, monday = week
    client = wechatpy_client(server.base_url, HR)
    start, end = day_bounds(monday, monday + timedelta(days=4))
    answer = client.oa.get_checkin_daydata(start, end, ["zhangsan"])
    days = answer["datas"]

    assert [d["base_info"]["date"] for d in days] == [
        at_day(monday + timedelta(days=k), "00:00") for k in range(5)
    ]
    mon, tue, wed, thu, fri = days
    assert _exceptions(mon) == {1: (1, 720), 2: (1, 600)}
    assert mon["summary_info"]["regular_work_sec"] == 8 * 3600 + 38 * 60
    assert _exceptions(tue) == {4: (1, NINE_HOURS)}
    assert _exceptions(wed) == {} and _items(wed)[(1, 1)] == (1, 43_200)
    assert wed["holiday_infos"][0]["sp_title"]["data"][0]["text"] == "请假0.5天"
    assert _exceptions(thu) == {} and _items(thu)[(3, 0)] == (1, 86_400)
    assert thu["summary_info"]["checkin_count"] == 0
    assert _exceptions(fri) == {}
    assert {d["summary_info"]["standard_work_sec"] for d in days} == {NINE_HOURS}


def test_wecomkit_reads_the_week_as_one_month_report_that_sums_the_days(
    week: tuple[DakaServer, date],
) -> None:
    server, monday = week
    start, end = day_bounds(monday, monday + timedelta(days=6))

    async def read(client: Any) -> tuple[Any, Any]:
        month = await client.checkin.get_checkin_monthdata(start, end, ["zhangsan"])
        days = await client.checkin.get_checkin_daydata(start, end, ["zhangsan"])
        return month, days

    month, days = run_wecomkit(server.base_url, read, HR)
    report = month["datas"][0]

    assert report["summary_info"] == {
        "work_days": 5,
        "regular_days": 3,
        "except_days": 2,
        "rest_days": 2,
        "regular_work_sec": sum(d["summary_info"]["regular_work_sec"] for d in days["datas"]),
        "standard_work_sec": 5 * NINE_HOURS,
    }
    assert _exceptions(report) == {1: (1, 720), 2: (1, 600), 4: (1, NINE_HOURS)}
    assert _items(report) == {(1, 1): (1, 43_200), (3, 0): (1, 86_400), (100, 0): (0, 0)}
    assert report["base_info"]["rule_info"] == {"groupid": 1, "groupname": "rule 1"}
