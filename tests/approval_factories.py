"""Factories for 审批 tests: the four 假勤 templates, vacations, and forms as HR systems file
them with oa/applyevent."""

from __future__ import annotations

import copy
from typing import Any

from tests.factories import make_corp, make_org

LEAVE = "tpl-leave"
TRIP = "tpl-trip"
OUTING = "tpl-outing"
OVERTIME = "tpl-overtime"
APPROVAL_AGENTID = 3010040
APPROVAL_SECRET = "approval-secret"


def _title(text: str) -> list[dict[str, str]]:
    return [{"text": text, "lang": "zh_CN"}]


def _control(control: str, cid: str, title: str, config: dict | None = None, require: int = 1):
    return {
        "property": {
            "control": control,
            "id": cid,
            "title": _title(title),
            "placeholder": [],
            "require": require,
            "un_print": 0,
        },
        "config": config or {},
    }


def leave_template(vacation_ids: tuple[int, ...] = (1, 2, 3, 4)) -> dict[str, Any]:
    return {
        "template_id": LEAVE,
        "template_names": _title("请假"),
        "template_content": {
            "controls": [
                _control(
                    "Vacation",
                    "vacation-1563793073898",
                    "请假类型",
                    {
                        "vacation_list": {
                            "item": [{"id": v, "name": _title(f"假期{v}")} for v in vacation_ids]
                        }
                    },
                ),
                _control("Textarea", "item-1497581399901", "请假事由", require=0),
            ]
        },
        "process": {"node_list": [{"type": 1, "apv_rel": 2, "userid": ["wangwu"]}]},
    }


def attendance_template(template_id: str, name: str, kind: int, grain: str) -> dict[str, Any]:
    return {
        "template_id": template_id,
        "template_names": _title(name),
        "template_content": {
            "controls": [
                _control(
                    "Attendance",
                    "smart-time",
                    name,
                    {"attendance": {"date_range": {"type": grain}, "type": kind}},
                ),
                _control("Text", "item-reason", "事由", require=0),
            ]
        },
        "process": {"node_list": [{"type": 1, "apv_rel": 2, "userid": ["wangwu"]}]},
    }


TEMPLATES = [
    leave_template(),
    attendance_template(TRIP, "出差", 3, "halfday"),
    attendance_template(OUTING, "外出", 4, "hour"),
    attendance_template(OVERTIME, "加班", 5, "hour"),
]

VACATIONS = [
    {"id": 1, "name": "年假", "time_attr": 0, "duration_type": 1, "quota_attr": {"type": 1}},
    {
        "id": 2,
        "name": "事假",
        "time_attr": 1,
        "duration_type": 1,
        "quota_attr": {"type": 0},
        "perday_duration": 28800,
    },
    {"id": 3, "name": "病假", "time_attr": 0, "duration_type": 1, "quota_attr": {"type": 0}},
    {
        "id": 4,
        "name": "调休",
        "time_attr": 1,
        "duration_type": 1,
        "quota_attr": {"type": 2},
        "perday_duration": 28800,
        "is_newovertime": 1,
    },
]


def approval_corp(**extra: Any) -> dict[str, Any]:
    """A corp with the four 假勤 templates and an HR app granted 审批 and its administration."""
    corp = make_corp(**extra)
    corp["apps"].append(
        {
            "agentid": APPROVAL_AGENTID,
            "name": "审批",
            "secret": APPROVAL_SECRET,
            "checkin": True,
            "approval": True,
            "approval_admin": True,
        }
    )
    corp["approval_templates"] = copy.deepcopy(TEMPLATES)
    return corp


def approval_org(**extra: Any) -> dict[str, Any]:
    return make_org(approval_corp(**extra))


def summary(text: str = "假勤") -> list[dict[str, Any]]:
    return [{"summary_info": [{"text": text, "lang": "zh_CN"}]}]


def attendance_form(
    template_id: str,
    kind: int,
    begin: int,
    end: int,
    *,
    creator: str = "zhangsan",
    grain: str = "halfday",
    slices: list[tuple[int, int]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    attendance: dict[str, Any] = {
        "date_range": {"type": grain, "new_begin": begin, "new_end": end},
        "type": kind,
    }
    if slices is not None:
        attendance["slice_info"] = {"day_items": [{"daytime": d, "duration": s} for d, s in slices]}
    return {
        "creator_userid": creator,
        "template_id": template_id,
        "use_template_approver": 1,
        "apply_data": {
            "contents": [
                {
                    "control": "Attendance",
                    "id": "smart-time",
                    "value": {"attendance": attendance},
                }
            ]
        },
        "summary_list": summary(),
        **extra,
    }


def leave_form(
    vacation_id: int,
    begin: int,
    end: int,
    *,
    creator: str = "zhangsan",
    grain: str = "halfday",
    slices: list[tuple[int, int]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    attendance: dict[str, Any] = {
        "date_range": {"type": grain, "new_begin": begin, "new_end": end},
        "type": 1,
    }
    if slices is not None:
        attendance["slice_info"] = {"day_items": [{"daytime": d, "duration": s} for d, s in slices]}
    return {
        "creator_userid": creator,
        "template_id": LEAVE,
        "use_template_approver": 1,
        "apply_data": {
            "contents": [
                {
                    "control": "Vacation",
                    "id": "vacation-1563793073898",
                    "value": {
                        "vacation": {
                            "selector": {
                                "type": "single",
                                "options": [{"key": str(vacation_id)}],
                                "exp_type": 0,
                            },
                            "attendance": attendance,
                        }
                    },
                }
            ]
        },
        "summary_list": summary("请假"),
        **extra,
    }
