"""审批 with the real third-party clients against a real server: wechatpy 2.0 and wecomkit 0.2.0.

The clients are used unchanged but for their base URL. An HR system files a business trip, an
outing or overtime, lists it, reads it back; the approver approves it with ``daka approval``
(a subprocess against the server's database) or ``/api/approvals/approve``; getcheckindata for
the covered day changes and revoking restores it.

The module has its own server (the session's shared server has no approval app): two corps,
each with the four 假勤 templates and an HR app granted 审批 and its administration. Each test
files forms for its own user and days of last week, so none sees another's forms.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from wechatpy.exceptions import WeChatClientException
from wecomkit import WeComAPIError

from tests import clock
from tests.approval_factories import (
    APPROVAL_SECRET,
    LEAVE,
    OUTING,
    OVERTIME,
    TRIP,
    approval_corp,
    attendance_form,
    summary,
)
from tests.e2e.conftest import (
    DAKA,
    CorpKey,
    DakaServer,
    at_day,
    day_bounds,
    past_monday,
    run_wecomkit,
    start_server,
    wechatpy_client,
)
from tests.factories import CORPID, SECRET, make_org, make_rule

pytestmark = pytest.mark.slow

HR = CorpKey(CORPID, APPROVAL_SECRET)
CHECKIN_ONLY = CorpKey(CORPID, SECRET)
OTHER_CORPID = "wwe2e0otherapprv"
OTHER_HR = CorpKey(OTHER_CORPID, APPROVAL_SECRET)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DakaServer]:
    # Last week's weekdays are workdays: no holiday calendar may turn one into a rest day.
    rules = [make_rule(sync_holidays=False)]
    org = make_org(
        approval_corp(rules=rules),
        approval_corp(corpid=OTHER_CORPID, secret="other-checkin-secret", rules=rules),
    )
    started = start_server(tmp_path_factory.mktemp("daka-approvals"), org=org)
    yield started
    started.stop()


def daka_approval(server: DakaServer, *args: str) -> subprocess.CompletedProcess[str]:
    """``daka approval …`` against the server's database, on the suite's clock."""
    return subprocess.run(
        [str(DAKA), "approval", *args, "--db", f"sqlite:///{server.db_path}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=clock.daka_environ(),
    )


def exception_types(client: Any, userid: str, first: Any) -> list[str]:
    start, end = day_bounds(first)
    rows = client.oa.get_checkin_data(3, start, end, [userid])["checkindata"]
    return [row["exception_type"] for row in rows]


def on_and_off_duty(client: Any, userid: str, day: Any) -> list[tuple[str, str]]:
    start, end = day_bounds(day)
    rows = client.oa.get_checkin_data(3, start, end, [userid])["checkindata"]
    return [(row["checkin_type"], row["exception_type"]) for row in rows]


def around_now() -> tuple[int, int]:
    now = clock.now_int()
    return now - 600, now + 600


def test_a_trip_filed_with_wechatpy_reads_back_with_its_slices_and_approving_it_excuses_the_day(
    server: DakaServer,
) -> None:
    client = wechatpy_client(server.base_url, HR)
    monday = past_monday()
    template = client.oa.get_template_detail(TRIP)
    assert template["template_names"] == [{"text": "出差", "lang": "zh_CN"}]
    assert exception_types(client, "zhangsan", monday) == ["未打卡", "未打卡"]

    form = attendance_form(TRIP, 3, at_day(monday, "00:00"), at_day(monday, "12:00"))
    filed = client.oa.apply_event(
        form["creator_userid"],
        form["template_id"],
        1,
        None,
        form["apply_data"],
        form["summary_list"],
    )
    sp_no = filed["sp_no"]
    start, end = around_now()
    listed = client.oa.get_approval_info(
        start, end, 0, 100, [{"key": "creator", "value": "zhangsan"}]
    )
    detail = client.oa.get_approval_detail(sp_no)["info"]

    assert sp_no in listed["sp_no_list"]
    assert (detail["sp_status"], detail["sp_name"]) == (1, "出差")
    content = detail["apply_data"]["contents"][0]
    assert content["title"] == [{"text": "出差", "lang": "zh_CN"}]
    assert content["value"]["attendance"]["slice_info"]["day_items"] == [
        {"daytime": at_day(monday, "00:00"), "duration": 86_400}
    ]
    assert detail["sp_record"][0]["details"][0]["approver"] == {"userid": "wangwu"}
    assert exception_types(client, "zhangsan", monday) == ["未打卡", "未打卡"]

    approved = daka_approval(server, "approve", sp_no, "--corpid", CORPID)
    assert approved.returncode == 0, approved.stderr + approved.stdout
    assert client.oa.get_approval_detail(sp_no)["info"]["sp_status"] == 2
    assert exception_types(client, "zhangsan", monday) == []

    revoked = daka_approval(server, "revoke", sp_no, "--corpid", CORPID)
    assert revoked.returncode == 0, revoked.stderr + revoked.stdout
    assert client.oa.get_approval_detail(sp_no)["info"]["sp_status"] == 6
    assert exception_types(client, "zhangsan", monday) == ["未打卡", "未打卡"]


def test_an_outing_read_with_wecomkit_and_approved_over_api_approvals_makes_a_late_punch_on_time(
    server: DakaServer,
) -> None:
    tuesday = past_monday() + timedelta(days=1)
    form = attendance_form(
        OUTING,
        4,
        at_day(tuesday, "09:00"),
        at_day(tuesday, "11:00"),
        creator="lisi",
        grain="hour",
    )
    wechatpy = wechatpy_client(server.base_url, HR)
    sp_no = wechatpy.oa.apply_event("lisi", OUTING, 1, None, form["apply_data"], summary())["sp_no"]
    start, end = around_now()

    async def read(client: Any) -> tuple[Any, ...]:
        template = await client.approval.get_template(OUTING)
        listed = await client.approval.get_approve_list(start, end)
        detail = await client.approval.get_approve(sp_no)
        return template, listed, detail["info"]

    template, listed, detail = run_wecomkit(server.base_url, read, HR)

    assert template["template_content"]["controls"][0]["property"]["id"] == "smart-time"
    assert sp_no in listed["sp_no_list"]
    assert (detail["sp_status"], detail["applyer"]["userid"]) == (1, "lisi")
    assert detail["apply_data"]["contents"][0]["value"]["attendance"]["date_range"] == {
        "type": "hour",
        "new_begin": at_day(tuesday, "09:00"),
        "new_end": at_day(tuesday, "11:00"),
        "new_duration": 7200,
    }

    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        token = wechatpy.access_token
        punch = {
            "userid": "lisi",
            "checkin_time": at_day(tuesday, "10:55"),
            "location_title": "Lobby",
            "location_detail": "1F",
            "device_type": 2,
            "device_detail": "ZKTeco",
        }
        added = http.post(
            "/cgi-bin/checkin/add_checkin_record",
            params={"access_token": token},
            json={"records": [punch]},
        ).json()
        assert added["errcode"] == 0, added
        assert on_and_off_duty(wechatpy, "lisi", tuesday) == [
            ("上班打卡", "时间异常"),
            ("下班打卡", "未打卡"),
        ]
        answer = http.post(
            "/api/approvals/approve",
            params={"access_token": token},
            json={"sp_no": sp_no, "userid": "wangwu"},
        ).json()
    assert answer["errcode"] == 0, answer

    # The outing covers 09:00–11:00: the on-duty point moves to 11:00, and 10:55 is on time.
    assert on_and_off_duty(wechatpy, "lisi", tuesday) == [("上班打卡", ""), ("下班打卡", "未打卡")]


def test_overtime_filed_with_wechatpy_is_listed_and_read_back(server: DakaServer) -> None:
    client = wechatpy_client(server.base_url, HR)
    wednesday = past_monday() + timedelta(days=2)
    form = attendance_form(
        OVERTIME,
        5,
        at_day(wednesday, "19:00"),
        at_day(wednesday, "21:00"),
        creator="wangwu",
        grain="hour",
    )

    sp_no = client.oa.apply_event("wangwu", OVERTIME, 1, None, form["apply_data"], summary())[
        "sp_no"
    ]
    start, end = around_now()
    listed = client.oa.get_approval_info(
        start, end, 0, 100, [{"key": "creator", "value": "wangwu"}]
    )
    detail = client.oa.get_approval_detail(sp_no)["info"]

    assert listed["sp_no_list"] == [sp_no]
    assert detail["sp_name"] == "加班"
    assert detail["apply_data"]["contents"][0]["value"]["attendance"]["type"] == 5


def test_wecomkit_apply_is_refused_with_301025_as_it_sends_no_summary_list(
    server: DakaServer,
) -> None:
    # WeCom's applyevent requires summary_list; wecomkit 0.2.0's apply has no such parameter.
    friday = past_monday() + timedelta(days=4)
    form = attendance_form(
        OVERTIME, 5, at_day(friday, "19:00"), at_day(friday, "20:00"), grain="hour"
    )

    async def apply(client: Any) -> Any:
        return await client.approval.apply(
            "zhangsan", OVERTIME, form["apply_data"], use_template_approver=1
        )

    with pytest.raises(WeComAPIError) as refused:
        run_wecomkit(server.base_url, apply, HR)
    assert refused.value.errcode == 301025
    assert "summary_list" in refused.value.errmsg
    start, end = around_now()
    zhangsans_overtime = [
        {"key": "creator", "value": "zhangsan"},
        {"key": "template_id", "value": OVERTIME},
    ]
    client = wechatpy_client(server.base_url, HR)
    assert client.oa.get_approval_info(start, end, 0, 100, zhangsans_overtime)["sp_no_list"] == []


def test_wechatpy_raises_301025_for_an_unknown_template_and_301079_for_an_overlap(
    server: DakaServer,
) -> None:
    client = wechatpy_client(server.base_url, HR)
    thursday = past_monday() + timedelta(days=3)
    form = attendance_form(
        TRIP, 3, at_day(thursday, "00:00"), at_day(thursday, "12:00"), creator="zhangsan"
    )
    with pytest.raises(WeChatClientException) as unknown:
        client.oa.apply_event("zhangsan", "tpl-nonexistent", 1, None, form["apply_data"], summary())
    assert unknown.value.errcode == 301025

    client.oa.apply_event("zhangsan", TRIP, 1, None, form["apply_data"], summary())
    overtime = attendance_form(
        OVERTIME, 5, at_day(thursday, "19:00"), at_day(thursday, "20:00"), grain="hour"
    )
    with pytest.raises(WeChatClientException) as overlap:
        client.oa.apply_event("zhangsan", OVERTIME, 1, None, overtime["apply_data"], summary())
    assert overlap.value.errcode == 301079


def test_a_leave_of_an_unknown_vacation_raises_301025_and_wecomkit_without_approval_48002(
    server: DakaServer,
) -> None:
    friday = past_monday() + timedelta(days=4)
    apply_data = {
        "contents": [
            {
                "control": "Vacation",
                "id": "vacation-1563793073898",
                "value": {
                    "vacation": {
                        "selector": {"type": "single", "options": [{"key": "99"}]},
                        "attendance": {
                            "date_range": {
                                "type": "halfday",
                                "new_begin": at_day(friday, "00:00"),
                                "new_end": at_day(friday, "12:00"),
                            },
                            "type": 1,
                        },
                    }
                },
            }
        ]
    }

    with pytest.raises(WeChatClientException) as unknown:
        wechatpy_client(server.base_url, HR).oa.apply_event(
            "zhangsan", LEAVE, 1, None, apply_data, summary("请假")
        )
    assert unknown.value.errcode == 301025
    assert "vacation" in unknown.value.errmsg

    async def template(client: Any) -> Any:
        return await client.approval.get_template(TRIP)

    with pytest.raises(WeComAPIError) as refused:
        run_wecomkit(server.base_url, template, CHECKIN_ONLY)
    assert refused.value.errcode == 48002


def test_another_corps_app_never_sees_nor_acts_on_the_first_corps_forms(
    server: DakaServer,
) -> None:
    first = wechatpy_client(server.base_url, HR)
    other = wechatpy_client(server.base_url, OTHER_HR)
    saturday = past_monday() + timedelta(days=5)
    form = attendance_form(
        OVERTIME,
        5,
        at_day(saturday, "10:00"),
        at_day(saturday, "12:00"),
        creator="lisi",
        grain="hour",
    )
    sp_no = first.oa.apply_event("lisi", OVERTIME, 1, None, form["apply_data"], summary())["sp_no"]
    start, end = around_now()

    assert other.oa.get_approval_info(start, end, 0)["sp_no_list"] == []
    with pytest.raises(WeChatClientException) as hidden:
        other.oa.get_approval_detail(sp_no)
    assert hidden.value.errcode == 301026
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        answer = http.post(
            "/api/approvals/approve",
            params={"access_token": other.access_token},
            json={"sp_no": sp_no, "userid": "wangwu"},
        ).json()
    assert answer["errcode"] == 301026
    assert first.oa.get_approval_detail(sp_no)["info"]["sp_status"] == 1


def test_wechatpy_pages_with_the_old_int_cursor_and_its_filter_key(server: DakaServer) -> None:
    client = wechatpy_client(server.base_url, HR)
    week_before = past_monday() - timedelta(days=7)
    numbers = []
    for offset in range(3):
        day = week_before + timedelta(days=offset)
        form = attendance_form(TRIP, 3, at_day(day, "00:00"), at_day(day, "12:00"), creator="lisi")
        numbers.append(
            client.oa.apply_event("lisi", TRIP, 1, None, form["apply_data"], summary())["sp_no"]
        )
    lisis_trips = [{"key": "creator", "value": "lisi"}, {"key": "template_id", "value": TRIP}]
    start, end = around_now()

    first = client.oa.get_approval_info(start, end, 0, 2, lisis_trips)
    last = client.oa.get_approval_info(start, end, first["next_cursor"], 2, lisis_trips)

    assert first["sp_no_list"] == numbers[:2]
    assert last["sp_no_list"] == numbers[2:]
    assert "next_cursor" not in last
