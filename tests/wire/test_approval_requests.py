"""The 审批 wire: malformed forms, templates and daka's action requests are refused naming
the field, before any service looks at them."""

from __future__ import annotations

import copy

import pytest

from daka.domain.approvals import ApvRel, NodeType, RecordType
from daka.domain.errors import ApprovalParamError, InvalidParameter
from daka.wire.approvals import (
    ApplyEventRequest,
    ApprovalActionRequest,
    ApprovalListRequest,
    GetApprovalDetailRequest,
    GetApprovalInfoRequest,
    GetTemplateDetailRequest,
    parse_template,
)
from tests.approval_factories import OUTING, TEMPLATES, attendance_form, leave_form

MONDAY = 1_795_363_200


def outing(**extra):
    return attendance_form(OUTING, 4, MONDAY + 9 * 3600, MONDAY + 11 * 3600, grain="hour", **extra)


def test_a_legacy_flow_reads_attr_1_as_or_and_2_as_countersign_with_its_notifyer():
    form = outing(
        use_template_approver=0,
        approver=[{"attr": 1, "userid": ["lisi"]}, {"attr": 2, "userid": ["wangwu", "lisi"]}],
        notifyer=["zhangsan"],
    )

    request = ApplyEventRequest.parse(form)

    assert [(n.node_type, n.apv_rel) for n in request.nodes] == [
        (NodeType.APPROVER, ApvRel.ANY),
        (NodeType.APPROVER, ApvRel.ALL),
        (NodeType.NOTIFY, ApvRel.ANY),
    ]


def test_a_leave_value_names_its_vacation_and_kind():
    request = ApplyEventRequest.parse(leave_form(3, MONDAY, MONDAY))

    assert request.time_off is not None
    assert (request.time_off.kind, request.time_off.vacation_id) == (RecordType.LEAVE, 3)


def _set(form, path, value):
    target = form
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value


ATT = ("apply_data", "contents", 0, "value", "attendance")
BAD_FORMS = {
    "template_id missing": (("template_id",), KeyError, "template_id"),
    "use_template_approver 2": (("use_template_approver",), 2, "use_template_approver"),
    "notify_type 9": (("notify_type",), 9, "notify_type"),
    "no approver with flow 0": (("use_template_approver",), 0, "process"),
    "summary over 3 lines": (
        ("summary_list",),
        [{"summary_info": [{"text": "a"}]}] * 4,
        "summary_list",
    ),
    "summary text over 20": (
        ("summary_list",),
        [{"summary_info": [{"text": "长" * 21}]}],
        "summary_list[0].summary_info[0].text",
    ),
    "empty summary line": (("summary_list",), [{"summary_info": []}], "summary_info"),
    "contents not an array": (("apply_data", "contents"), {}, "apply_data.contents"),
    "control id twice": (("apply_data", "contents", 1), None, "given twice"),
    "attendance type 2": ((*ATT, "type"), 2, "type"),
    "date_range type week": ((*ATT, "date_range", "type"), "week", "date_range.type"),
    "begin in ms": ((*ATT, "date_range", "new_begin"), MONDAY * 1000, "new_begin"),
    "end before begin": ((*ATT, "date_range", "new_end"), MONDAY, "new_end"),
    "slice_info without day_items": ((*ATT, "slice_info"), {}, "day_items"),
    "slice duration negative": (
        (*ATT, "slice_info"),
        {"day_items": [{"daytime": MONDAY, "duration": -1}]},
        "duration",
    ),
}


@pytest.mark.parametrize("case", BAD_FORMS, ids=lambda c: c)
def test_a_malformed_form_is_refused_with_301025_naming_the_field(case):
    path, value, named = BAD_FORMS[case]
    form = outing()
    if case == "control id twice":
        form["apply_data"]["contents"].append(copy.deepcopy(form["apply_data"]["contents"][0]))
    else:
        _set(form, path, value)

    with pytest.raises(ApprovalParamError) as refused:
        ApplyEventRequest.parse(form)

    assert named in refused.value.message


def test_a_form_without_a_creator_is_40058():
    with pytest.raises(InvalidParameter):
        ApplyEventRequest.parse({**outing(), "creator_userid": ""})


def test_a_vacation_selector_must_name_exactly_one_vacation():
    form = leave_form(1, MONDAY, MONDAY)
    form["apply_data"]["contents"][0]["value"]["vacation"]["selector"]["options"] = []

    with pytest.raises(ApprovalParamError, match="options"):
        ApplyEventRequest.parse(form)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"starttime": "1", "endtime": "2", "size": 101}, "size"),
        ({"starttime": "1", "endtime": "2", "new_cursor": 5}, "new_cursor"),
        (
            {"starttime": "1", "endtime": "2", "filters": [{"key": "sp_status", "value": "x"}]},
            "value",
        ),
        (
            {
                "starttime": "1",
                "endtime": "2",
                "filters": [{"key": "creator", "value": "a"}, {"key": "creator", "value": "b"}],
            },
            "only department may repeat",
        ),
        ({"endtime": "2"}, "starttime is required"),
    ],
)
def test_getapprovalinfo_refuses_a_bad_page_or_filter(body, named):
    with pytest.raises(ApprovalParamError, match=named):
        GetApprovalInfoRequest.parse(body)


def test_departments_may_repeat_and_numbers_are_read_as_strings():
    request = GetApprovalInfoRequest.parse(
        {
            "starttime": 1,
            "endtime": 2,
            "filters": [{"key": "department", "value": 2}, {"key": "department", "value": "3"}],
        }
    )

    assert request.filters == {"department": ("2", "3")}


def test_template_and_detail_requests_need_their_ids():
    with pytest.raises(ApprovalParamError):
        GetTemplateDetailRequest.parse({})
    with pytest.raises(ApprovalParamError):
        GetApprovalDetailRequest.parse({"sp_no": "20261123abcd"})
    assert GetApprovalDetailRequest.parse({"sp_no": 202611230001}).sp_no == "202611230001"


def test_daka_action_and_list_requests_are_checked_too():
    with pytest.raises(ApprovalParamError):
        ApprovalActionRequest.parse({"sp_no": "202611230001", "speech": "x" * 501})
    with pytest.raises(ApprovalParamError):
        ApprovalListRequest.parse({"sp_status": "5"})
    listing = ApprovalListRequest.parse({"creator": "zhangsan", "starttime": "10"})
    assert (listing.creator, listing.starttime) == ("zhangsan", 10)


BAD_TEMPLATES = {
    "no id": (lambda t: t.pop("template_id"), "template_id"),
    "no names": (lambda t: t.update(template_names=[]), "template_names"),
    "no controls": (lambda t: t.update(template_content={"controls": []}), "controls"),
    "control without property": (
        lambda t: t["template_content"]["controls"].append({}),
        "controls[2].property",
    ),
    "two 假勤 controls": (
        lambda t: t["template_content"]["controls"].append(
            copy.deepcopy(t["template_content"]["controls"][0])
        ),
        "at most one",
    ),
    "attendance type 1": (
        lambda t: t["template_content"]["controls"][0]["config"]["attendance"].update(type=1),
        "attendance.type",
    ),
    "grain week": (
        lambda t: t["template_content"]["controls"][0]["config"]["attendance"].update(
            date_range={"type": "week"}
        ),
        "date_range.type",
    ),
    "bad flow": (lambda t: t.update(process={"node_list": [{"type": 7}]}), "node_list[0].type"),
}


@pytest.mark.parametrize("case", BAD_TEMPLATES, ids=lambda c: c)
def test_a_bad_template_in_the_org_file_names_its_field(case):
    change, named = BAD_TEMPLATES[case]
    template = copy.deepcopy(TEMPLATES[2])  # 外出
    change(template)

    with pytest.raises(ValueError, match=named.replace("[", r"\[").replace("]", r"\]")):
        parse_template(template, "corps[0].approval_templates[2]")


def test_a_leave_template_with_unreadable_vacation_ids_is_refused():
    template = copy.deepcopy(TEMPLATES[0])
    template["template_content"]["controls"][0]["config"]["vacation_list"]["item"] = [{"id": "x"}]

    with pytest.raises(ValueError, match="vacation_list"):
        parse_template(template, "t")
