"""审批 and 假期 on the fake WeCom: request shapes, the control builders, paging and windows of
getapprovalinfo, typed details and vacations, and the errors these endpoints answer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.client import (
    DEFAULT_RATE_LIMITS,
    APIError,
    ApprovalControl,
    ApprovalDetailResult,
    Client,
    FlowNode,
    InvalidResponse,
    ParameterError,
    PermissionDenied,
    RequestTimeout,
    attendance_control,
    summary_line,
    text_control,
    vacation_control,
)
from daka.client import _batching as b
from daka.client import _operations as ops
from tests.client.conftest import FakeWeCom, error, path_of, reply

DAY = 86_400
T0 = 1_795_104_000  # 2026-11-19 00:00 +08:00, a day start
OA_PATHS = [
    "oa/gettemplatedetail",
    "oa/applyevent",
    "oa/getapprovalinfo",
    "oa/getapprovaldetail",
    "oa/vacation/getcorpconf",
    "oa/vacation/getuservacationquota",
    "oa/vacation/setoneuserquota",
]

LEAVE = vacation_control("vacation-1563793073898", 3, T0, T0 + 43_200, duration=86_400)


# -- one method per endpoint -----------------------------------------------------------------


OA_CALLS: list[tuple[str, Callable[[Client], Any], dict[str, Any]]] = [
    (
        "oa/gettemplatedetail",
        lambda c: c.gettemplatedetail("ZLqk8pcsAoXZ1eYa6vpAgfX28MPdYU3ayMaSPHaaa"),
        {"template_id": "ZLqk8pcsAoXZ1eYa6vpAgfX28MPdYU3ayMaSPHaaa"},
    ),
    (
        "oa/applyevent",
        lambda c: c.applyevent("zhangsan", "tpl", [LEAVE], ["病假 1 天"]),
        {
            "creator_userid": "zhangsan",
            "template_id": "tpl",
            "use_template_approver": 1,
            "apply_data": {"contents": [LEAVE]},
            "summary_list": [{"summary_info": [{"text": "病假 1 天", "lang": "zh_CN"}]}],
        },
    ),
    (
        "oa/getapprovalinfo",
        lambda c: c.getapprovalinfo(T0, T0 + DAY),
        {"starttime": str(T0), "endtime": str(T0 + DAY), "new_cursor": "", "size": 100},
    ),
    (
        "oa/getapprovaldetail",
        lambda c: c.getapprovaldetail("202611190001"),
        {"sp_no": "202611190001"},
    ),
    (
        "oa/vacation/getuservacationquota",
        lambda c: c.vacation_getuservacationquota("zhangsan"),
        {"userid": "zhangsan"},
    ),
    (
        "oa/vacation/setoneuserquota",
        lambda c: c.vacation_setoneuserquota("zhangsan", 1, 432_000, 0, remarks="2026 年假"),
        {
            "userid": "zhangsan",
            "vacation_id": 1,
            "leftduration": 432_000,
            "time_attr": 0,
            "remarks": "2026 年假",
        },
    ),
]


@pytest.mark.parametrize(("path", "call", "body"), OA_CALLS, ids=[p for p, _, _ in OA_CALLS])
def test_each_approval_method_posts_its_endpoint_and_body(
    client: Client,
    wecom: FakeWeCom,
    path: str,
    call: Callable[[Client], Any],
    body: dict[str, Any],
) -> None:
    call(client)

    [request] = [r for r in wecom.requests if path_of(r) == path]
    assert request.method == "POST"
    assert request.url.params["access_token"] == "token-1"
    assert json.loads(request.content) == body


def test_the_vacation_settings_are_a_get_without_a_body(client: Client, wecom: FakeWeCom) -> None:
    client.vacation_getcorpconf()

    [request] = [r for r in wecom.requests if path_of(r) == "oa/vacation/getcorpconf"]
    assert request.method == "GET"
    assert request.content == b""
    assert dict(request.url.params) == {"access_token": "token-1"}


def test_every_endpoint_is_paced_to_the_registrys_limit() -> None:
    assert {p: DEFAULT_RATE_LIMITS[p] for p in OA_PATHS} == dict.fromkeys(OA_PATHS, 600)


# -- the control builders --------------------------------------------------------------------


def test_a_leave_nests_its_selector_and_time_under_value_vacation() -> None:
    assert vacation_control(
        "vacation-1563793073898", 3, T0, T0 + 43_200, duration=43_200, date_range_type="halfday"
    ) == {
        "control": "Vacation",
        "id": "vacation-1563793073898",
        "value": {
            "vacation": {
                "selector": {"type": "single", "options": [{"key": "3"}], "exp_type": 0},
                "attendance": {
                    "date_range": {
                        "type": "halfday",
                        "new_begin": T0,
                        "new_end": T0 + 43_200,
                        "new_duration": 43_200,
                    },
                    "type": 1,
                },
            }
        },
    }


def test_a_leave_given_per_day_slices_leaves_the_total_to_wecom() -> None:
    leave = vacation_control("v", 2, T0, T0 + DAY, slices=[(T0, 86_400), (T0 + DAY, 43_200)])

    attendance = leave["value"]["vacation"]["attendance"]
    assert "new_duration" not in attendance["date_range"]
    assert attendance["slice_info"] == {
        "day_items": [
            {"daytime": T0, "duration": 86_400},
            {"daytime": T0 + DAY, "duration": 43_200},
        ]
    }


@pytest.mark.parametrize("kind", [3, 4, 5])
def test_trips_outings_and_overtime_put_their_time_under_value_attendance(kind: int) -> None:
    control = attendance_control(
        "smart-time", kind, T0 + 9 * 3600, T0 + 18 * 3600, duration=32_400, date_range_type="hour"
    )

    assert control == {
        "control": "Attendance",
        "id": "smart-time",
        "value": {
            "attendance": {
                "date_range": {
                    "type": "hour",
                    "new_begin": T0 + 9 * 3600,
                    "new_end": T0 + 18 * 3600,
                    "new_duration": 32_400,
                },
                "type": kind,
            }
        },
    }


def test_text_controls_summary_lines_and_flow_nodes_are_wecoms_json() -> None:
    assert text_control("Textarea-1", "发烧", control="Textarea") == {
        "control": "Textarea",
        "id": "Textarea-1",
        "value": {"text": "发烧"},
    }
    assert summary_line("Sick leave", "en") == {
        "summary_info": [{"text": "Sick leave", "lang": "en"}]
    }
    assert FlowNode.approvers(["lisi", "wangwu"], apv_rel=1).to_wire() == {
        "type": 1,
        "apv_rel": 1,
        "userid": ["lisi", "wangwu"],
    }
    assert FlowNode.cc(["zhaoliu"]).to_wire() == {"type": 2, "userid": ["zhaoliu"]}
    assert FlowNode.handlers(["hr"], apv_rel=3).to_wire() == {
        "type": 3,
        "apv_rel": 3,
        "userid": ["hr"],
    }


# -- applyevent ------------------------------------------------------------------------------


def test_a_form_with_its_own_flow_says_so_and_sends_the_nodes(
    client: Client, wecom: FakeWeCom
) -> None:
    wecom.handlers["oa/applyevent"] = lambda body: {"sp_no": "202611190007"}
    reason = text_control("Text-1", "感冒")

    sp_no = client.applyevent(
        "zhangsan",
        "tpl",
        [LEAVE, reason],
        ["病假", summary_line("1 day", "en")],
        process=[FlowNode.approvers(["lisi"]), {"type": 2, "userid": ["hr"]}],
        choose_department=2,
    )

    [body] = wecom.bodies("oa/applyevent")
    assert sp_no == "202611190007"
    assert body["use_template_approver"] == 0
    assert body["choose_department"] == 2
    assert body["process"] == {
        "node_list": [{"type": 1, "apv_rel": 2, "userid": ["lisi"]}, {"type": 2, "userid": ["hr"]}]
    }
    assert body["apply_data"]["contents"] == [LEAVE, reason]
    assert [line["summary_info"][0]["lang"] for line in body["summary_list"]] == ["zh_CN", "en"]


def test_the_legacy_flow_fields_are_sent_as_given(client: Client, wecom: FakeWeCom) -> None:
    client.applyevent(
        "zhangsan",
        "tpl",
        [LEAVE],
        ["病假"],
        approver=[{"attr": 2, "userid": ["lisi", "wangwu"]}],
        notifyer=["hr"],
        notify_type=1,
    )

    [body] = wecom.bodies("oa/applyevent")
    assert body["use_template_approver"] == 0
    assert body["approver"] == [{"attr": 2, "userid": ["lisi", "wangwu"]}]
    assert (body["notifyer"], body["notify_type"]) == (["hr"], 1)
    assert "process" not in body


def test_use_template_approver_can_be_forced(client: Client, wecom: FakeWeCom) -> None:
    client.applyevent("a", "tpl", [LEAVE], ["x"], use_template_approver=False)

    assert wecom.bodies("oa/applyevent")[0]["use_template_approver"] == 0


def test_a_form_is_not_filed_twice_after_a_timeout_that_may_have_reached_wecom(
    client: Client, wecom: FakeWeCom
) -> None:
    wecom.queue("oa/applyevent", httpx.ReadTimeout("read timed out"))

    with pytest.raises(RequestTimeout):
        client.applyevent("a", "tpl", [LEAVE], ["x"])

    assert wecom.calls("oa/applyevent") == 1


# -- getapprovalinfo: pages and windows ------------------------------------------------------


def pages(*lists: list[str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Answers page k (cursor "" for the first, then "c1", "c2", …) with ``lists[k]``."""

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        k = int(body["new_cursor"].removeprefix("c") or 0)
        page: dict[str, Any] = {"sp_no_list": lists[k]}
        if k + 1 < len(lists):
            page["new_next_cursor"] = f"c{k + 1}"
        return page

    return answer


def test_three_pages_come_back_as_one_list_in_order(client: Client, wecom: FakeWeCom) -> None:
    first = [f"2026111900{i:02}" for i in range(100)]
    wecom.handlers["oa/getapprovalinfo"] = pages(first, ["202611200001"], ["202611210001"])

    result = client.getapprovalinfo(T0, T0 + 3 * DAY)

    assert result.sp_no_list == (*first, "202611200001", "202611210001")
    assert [body["new_cursor"] for body in wecom.bodies("oa/getapprovalinfo")] == ["", "c1", "c2"]
    assert result.raw["sp_no_list"] == list(result.sp_no_list)


def test_seventy_days_are_read_in_three_windows_of_at_most_31_days(
    client: Client, wecom: FakeWeCom
) -> None:
    # Each window answers its own approval and one filed at the seam, which comes once.
    wecom.handlers["oa/getapprovalinfo"] = lambda body: {
        "sp_no_list": [f"w{body['starttime']}", "seam"]
    }

    result = client.getapprovalinfo(T0, T0 + 70 * DAY)

    bodies = wecom.bodies("oa/getapprovalinfo")
    windows = [(int(x["starttime"]), int(x["endtime"])) for x in bodies]
    assert windows == [
        (T0, T0 + 31 * DAY - 1),
        (T0 + 31 * DAY, T0 + 62 * DAY - 1),
        (T0 + 62 * DAY, T0 + 70 * DAY),
    ]
    assert all(isinstance(x["starttime"], str) and isinstance(x["endtime"], str) for x in bodies)
    assert result.sp_no_list == (f"w{T0}", "seam", f"w{T0 + 31 * DAY}", f"w{T0 + 62 * DAY}")


def test_filters_are_typed_and_departments_may_repeat(client: Client, wecom: FakeWeCom) -> None:
    client.getapprovalinfo(
        T0,
        T0 + DAY,
        template_id="tpl",
        creator="zhangsan",
        department=[1, 2],
        sp_status=2,
        record_type=1,
    )
    client.getapprovalinfo(T0, T0 + DAY, department=7)
    client.getapprovalinfo(T0, T0 + DAY, department="12")  # a partyid string is one id

    first, second, third = wecom.bodies("oa/getapprovalinfo")
    assert first["filters"] == [
        {"key": "template_id", "value": "tpl"},
        {"key": "creator", "value": "zhangsan"},
        {"key": "department", "value": "1"},
        {"key": "department", "value": "2"},
        {"key": "sp_status", "value": "2"},
        {"key": "record_type", "value": "1"},
    ]
    assert second["filters"] == [{"key": "department", "value": "7"}]
    assert third["filters"] == [{"key": "department", "value": "12"}]


def test_an_empty_cursor_ends_the_pages(client: Client, wecom: FakeWeCom) -> None:
    wecom.handlers["oa/getapprovalinfo"] = lambda body: {"sp_no_list": ["1"], "new_next_cursor": ""}

    assert client.getapprovalinfo(T0, T0 + DAY).sp_no_list == ("1",)
    assert wecom.calls("oa/getapprovalinfo") == 1


def test_a_cursor_that_does_not_advance_is_an_invalid_response(
    client: Client, wecom: FakeWeCom
) -> None:
    wecom.handlers["oa/getapprovalinfo"] = lambda body: {
        "sp_no_list": ["1"],
        "new_next_cursor": "x",
    }

    with pytest.raises(InvalidResponse) as caught:
        client.getapprovalinfo(T0, T0 + DAY)

    assert wecom.calls("oa/getapprovalinfo") == 2
    assert caught.value.partial.sp_no_list == ("1",)


def test_a_page_that_fails_raises_with_the_pages_before_it(
    client: Client, wecom: FakeWeCom
) -> None:
    wecom.queue(
        "oa/getapprovalinfo", reply({"errcode": 0, "sp_no_list": ["a"], "new_next_cursor": "c1"})
    )
    wecom.queue("oa/getapprovalinfo", error(301055, "no approval data permission"))

    with pytest.raises(PermissionDenied) as caught:
        client.getapprovalinfo(T0, T0 + 40 * DAY)

    batch = caught.value.batch
    assert batch is not None
    assert batch.partial.sp_no_list == ("a",)
    assert (batch.failed.index, batch.failed.body["new_cursor"]) == (0, "c1")
    assert [c.index for c in batch.pending] == [1]


@given(
    start=st.integers(0, 2**31),
    length=st.integers(0, 400 * DAY),
)
def test_windows_tile_the_range_exactly_each_within_31_days(start: int, length: int) -> None:
    """No gaps, no overlaps, each ≤ 31 days, the fewest windows, times as strings."""
    chunks = b.approval_chunks([], start, start + length)
    windows = [(int(c.body["starttime"]), int(c.body["endtime"])) for c in chunks]

    assert windows[0][0] == start and windows[-1][1] == start + length
    assert all(s <= e and e - s <= 31 * DAY for s, e in windows)
    assert all(a[1] + 1 == z[0] for a, z in zip(windows, windows[1:], strict=False))
    assert len(windows) == math.ceil((length + 1) / (31 * DAY + 1))
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert all(c.body["new_cursor"] == "" and c.body["size"] == 100 for c in chunks)


@given(st.lists(st.lists(st.sampled_from("abcdefg"), max_size=6), min_size=1, max_size=5))
def test_merged_numbers_keep_the_first_of_each_in_order(answers: list[list[str]]) -> None:
    op = ops.getapprovalinfo(T0, T0 + DAY, [])
    merged = op.merge([(op.chunks[0], {"sp_no_list": a}) for a in answers]).sp_no_list

    flat = [n for a in answers for n in a]
    assert merged == tuple(dict.fromkeys(flat))
    assert sorted(merged, key=flat.index) == list(merged)


@given(
    vacation_id=st.integers(1, 10**6),
    first_day=st.integers(0, 3000),
    halves=st.integers(1, 60),
    sliced=st.booleans(),
    kind=st.sampled_from([1, 3, 4, 5]),
)
def test_a_filed_halfday_range_reads_back_as_filed(
    vacation_id: int, first_day: int, halves: int, sliced: bool, kind: int
) -> None:
    """Builder → (WeCom echoes the control in the detail) → the typed reading: no loss."""
    begin = T0 + first_day * DAY
    end = begin + (halves - 1) * 43_200  # the last half-day slot, included
    days = [(begin + d * DAY, 43_200 * min(2, halves - 2 * d)) for d in range((halves + 1) // 2)]
    slices = days if sliced else None
    duration = None if sliced else halves * 43_200
    if kind == 1:
        control = vacation_control("v", vacation_id, begin, end, duration=duration, slices=slices)
    else:
        control = attendance_control("a", kind, begin, end, duration=duration, slices=slices)

    time = ApprovalControl.from_raw(control).attendance

    assert time is not None
    assert (time.type, time.date_range_type, time.new_begin, time.new_end) == (
        kind,
        "halfday",
        begin,
        end,
    )
    assert time.vacation_id == (vacation_id if kind == 1 else 0)
    assert time.new_duration == (0 if sliced else halves * 43_200)
    assert [(x.daytime, x.duration) for x in time.slices] == (days if sliced else [])
    assert sum(x.duration for x in time.slices) in (0, halves * 43_200)


# -- typed answers ---------------------------------------------------------------------------


DETAIL = {
    "errcode": 0,
    "errmsg": "ok",
    "info": {
        "sp_no": 201909270002,  # the 2019 example's bare number
        "sp_name": "请假",
        "sp_status": 1,
        "template_id": "Bs5KJ2NT4ncf4ZygaE8MB3779yUW8nsMaJd3mmE9v",
        "apply_time": 1569584428,
        "applyer": {"userid": "WuJunJie", "partyid": "2"},
        "sp_record": [
            {
                "sp_status": 1,
                "approverattr": 1,
                "details": [
                    {
                        "approver": {"userid": "LiSi"},
                        "speech": "",
                        "sp_status": 1,
                        "sptime": "",  # a string, as some answers send for 未操作
                        "media_id": [],
                    }
                ],
            }
        ],
        "notifyer": [{"userid": "LiuXiaoGang"}],
        "apply_data": {
            "contents": [
                {
                    "control": "Vacation",
                    "id": "vacation-1563793073898",
                    "title": [{"text": "请假类型", "lang": "zh_CN"}],
                    "value": {
                        "tips": [],
                        "members": [],
                        "vacation": {
                            "selector": {
                                "type": "single",
                                "options": [
                                    {"key": "3", "value": [{"text": "病假", "lang": "zh_CN"}]}
                                ],
                                "exp_type": 0,
                            },
                            "attendance": {
                                "date_range": {
                                    "type": "halfday",
                                    "new_begin": T0,
                                    "new_end": T0 + 43_200,
                                    "new_duration": 86_400,
                                    "perday_duration": 28_800,
                                },
                                "type": 1,
                                "slice_info": {
                                    "day_items": [{"daytime": T0, "duration": 86_400}],
                                    "duration": 86_400,
                                    "state": 1,
                                },
                            },
                        },
                        "sum_field": [],
                    },
                },
                {"control": "Text", "id": "Text-1", "title": [], "value": {"text": "发烧"}},
            ]
        },
        "comments": [
            {
                "commentUserInfo": {"userid": "WuJunJie"},
                "commenttime": 1569584111,
                "commentcontent": "这是备注信息",
                "commentid": "6741314136717778040",
                "media_id": ["m1"],
            }
        ],
        "process_list": {
            "node_list": [
                {
                    "node_type": 1,
                    "sp_status": 1,
                    "apv_rel": 2,
                    "sub_node_list": [
                        {"userid": "LiSi", "speech": "", "sp_yj": 1, "sptime": 0, "media_ids": []}
                    ],
                }
            ]
        },
        "a_field_wecom_added_later": {"x": 1},
    },
}


def test_an_approval_detail_is_typed_quirks_included(client: Client, wecom: FakeWeCom) -> None:
    wecom.handlers["oa/getapprovaldetail"] = lambda body: DETAIL

    info = client.getapprovaldetail("201909270002").info

    assert (info.sp_no, info.sp_name, info.sp_status, info.apply_time) == (
        "201909270002",
        "请假",
        1,
        1569584428,
    )
    assert (info.applyer_userid, info.applyer_partyid, info.notifyer) == (
        "WuJunJie",
        "2",
        ("LiuXiaoGang",),
    )
    [record] = info.sp_record
    assert (record.sp_status, record.approverattr) == (1, 1)
    assert (record.details[0].userid, record.details[0].sptime) == ("LiSi", 0)
    [node] = info.process_list
    assert (node.node_type, node.apv_rel, node.sub_node_list[0].userid) == (1, 2, "LiSi")
    assert node.sub_node_list[0].sp_status == 1
    assert info.comments[0].userid == "WuJunJie" and info.comments[0].media_id == ("m1",)
    leave = info.attendance
    assert leave is not None
    assert (leave.type, leave.vacation_id, leave.date_range_type) == (1, 3, "halfday")
    assert (leave.new_begin, leave.new_end, leave.new_duration) == (T0, T0 + 43_200, 86_400)
    assert [(s.daytime, s.duration) for s in leave.slices] == [(T0, 86_400)]
    assert info.contents[1].attendance is None and info.contents[1].value == {"text": "发烧"}
    assert info.raw["a_field_wecom_added_later"] == {"x": 1}


def test_a_detail_without_optional_parts_reads_as_empty(client: Client, wecom: FakeWeCom) -> None:
    wecom.handlers["oa/getapprovaldetail"] = lambda body: {
        "info": {"sp_no": "1", "batch_applyer": [{"userid": "a"}, {"userid": "b"}]}
    }

    info = client.getapprovaldetail("1").info

    assert info.batch_applyer == ("a", "b") and info.applyer_userid == ""
    assert info.process_list == () and info.sp_record == () and info.attendance is None


def test_a_trip_read_back_from_its_attendance_control() -> None:
    trip = attendance_control("smart-time", 3, T0, T0 + DAY + 43_200, duration=172_800)

    info = ApprovalDetailResult.from_raw({"info": {"apply_data": {"contents": [trip]}}}).info

    assert info.attendance is not None
    assert (info.attendance.type, info.attendance.vacation_id) == (3, 0)
    assert info.attendance.new_duration == 172_800


def test_a_template_types_its_controls_and_keeps_their_config(
    client: Client, wecom: FakeWeCom
) -> None:
    wecom.handlers["oa/gettemplatedetail"] = lambda body: {
        "template_names": [{"text": "请假", "lang": "zh_CN"}, {"text": "Leave", "lang": "en"}],
        "template_content": {
            "controls": [
                {
                    "property": {
                        "control": "Vacation",
                        "id": "vacation-1563793073898",
                        "title": [
                            {"text": "Type", "lang": "en"},
                            {"text": "请假类型", "lang": "zh_CN"},
                        ],
                        "placeholder": [],
                        "require": 1,
                        "un_print": 0,
                    },
                    "config": {
                        "vacation_list": {
                            "item": [
                                {"id": 1, "name": [{"text": "年假", "lang": "zh_CN"}]},
                                {"id": 2, "name": [{"text": "事假", "lang": "zh_CN"}]},
                            ]
                        },
                        "attendance": {"date_range": {"type": "halfday"}, "type": 1},
                    },
                },
                {
                    "property": {"control": "Textarea", "id": "Textarea-1", "require": 0},
                    "config": {},
                },
            ]
        },
    }

    detail = client.gettemplatedetail("tpl")

    assert detail.name == "请假"
    vacation = detail.control("Vacation")
    assert vacation is not None
    assert (vacation.id, vacation.label, vacation.require, vacation.un_print) == (
        "vacation-1563793073898",
        "请假类型",
        True,
        False,
    )
    assert vacation.vacations == ((1, "年假"), (2, "事假"))
    assert vacation.date_range_type == "halfday"
    assert detail.control("Attendance") is None
    assert detail.controls[1].config == {} and detail.controls[1].label == ""


CORPCONF = {
    "lists": [
        {
            "id": 1,
            "name": "年假",
            "time_attr": 0,
            "duration_type": 0,
            "quota_attr": {"type": 1, "autoreset_time": 1641010352, "autoreset_duration": 432000},
            "perday_duration": 86400,
            "is_newovertime": 0,
            "expire_rule": {"type": 2, "duration": 2},
        },
        {"id": 5, "name": "调休假", "time_attr": 1, "quota_attr": {"type": 2}, "is_newovertime": 1},
    ]
}


def test_vacations_and_balances_are_typed_in_unit_seconds(client: Client, wecom: FakeWeCom) -> None:
    wecom.handlers["oa/vacation/getcorpconf"] = lambda body: CORPCONF
    wecom.handlers["oa/vacation/getuservacationquota"] = lambda body: {
        "lists": [
            {
                "id": 1,
                "assignduration": 0,
                "usedduration": 0,
                "leftduration": 604800,
                "vacationname": "年假",
                "real_assignduration": 0,
            },
            {
                "id": 5,
                "assignduration": "36000",
                "usedduration": 3600,
                "leftduration": 32400,
                "vacationname": "调休假",
            },
        ]
    }

    conf = client.vacation_getcorpconf()
    quota = client.vacation_getuservacationquota("zhangsan")

    annual, lieu = conf.lists
    assert (annual.id, annual.time_attr, annual.quota_type, annual.unit) == (1, 0, 1, 86_400)
    assert (lieu.unit, lieu.is_newovertime, conf.vacation("调休假")) == (3_600, 1, lieu)
    assert annual.raw["expire_rule"]["duration"] == 2
    left = quota.quota(1)
    assert left is not None and annual.to_units(left.leftduration) == 7.0
    lieu_left = quota.quota(5)
    assert lieu_left is not None
    assert (lieu_left.assignduration, lieu.to_units(lieu_left.leftduration)) == (36_000, 9.0)
    assert quota.quota(99) is None
    assert (annual.from_units(2.5), lieu.from_units(1.25)) == (216_000, 4_320)


def test_a_balance_set_without_remarks_sends_none(client: Client, wecom: FakeWeCom) -> None:
    assert client.vacation_setoneuserquota("a", 1, 86_400, 0).errcode == 0

    assert wecom.bodies("oa/vacation/setoneuserquota") == [
        {"userid": "a", "vacation_id": 1, "leftduration": 86_400, "time_attr": 0}
    ]


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "call", "errcode", "cls"),
    [
        ("oa/applyevent", lambda c: c.applyevent("a", "t", [LEAVE], ["x"]), 301025, ParameterError),
        ("oa/applyevent", lambda c: c.applyevent("a", "t", [LEAVE], ["x"]), 301079, ParameterError),
        (
            "oa/applyevent",
            lambda c: c.applyevent("a", "t", [LEAVE], ["x"]),
            301056,
            PermissionDenied,
        ),
        ("oa/getapprovalinfo", lambda c: c.getapprovalinfo(T0, T0 + 1), 301055, PermissionDenied),
        ("oa/getapprovalinfo", lambda c: c.getapprovalinfo(T0, T0 + 1), 301112, ParameterError),
        ("oa/getapprovaldetail", lambda c: c.getapprovaldetail("1"), 301026, APIError),
        ("oa/vacation/getcorpconf", lambda c: c.vacation_getcorpconf(), 301062, PermissionDenied),
        (
            "oa/vacation/setoneuserquota",
            lambda c: c.vacation_setoneuserquota("a", 1, 1, 0),
            301063,
            ParameterError,
        ),
        (
            "oa/vacation/setoneuserquota",
            lambda c: c.vacation_setoneuserquota("a", 1, 1, 0),
            301098,
            ParameterError,
        ),
        (
            "oa/vacation/getuservacationquota",
            lambda c: c.vacation_getuservacationquota("a"),
            301064,
            APIError,
        ),
    ],
)
def test_approval_and_vacation_errors_map_to_the_sdks_exceptions(
    client: Client,
    wecom: FakeWeCom,
    path: str,
    call: Callable[[Client], Any],
    errcode: int,
    cls: type[APIError],
) -> None:
    wecom.queue(path, error(errcode, "refused"))

    with pytest.raises(APIError) as caught:
        call(client)

    assert type(caught.value) is cls
    assert (caught.value.errcode, caught.value.endpoint) == (errcode, path)
    assert caught.value.batch is None
    assert wecom.calls(path) == 1  # none of these is transient
