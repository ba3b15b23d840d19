"""One builder per endpoint: the request bodies (split when over a limit) and the
merge that turns the answers into the typed result. Sans-I/O; both clients run these.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from daka.client import _batching as b
from daka.client import _core as c
from daka.client._batching import Chunk
from daka.client._errors import InvalidResponse
from daka.client._forms import FlowNode, wire_node, wire_summary
from daka.client._models import (
    Ack,
    ApprovalDetailResult,
    ApprovalListResult,
    CheckinDataResult,
    CheckinOptionResult,
    CorpCheckinOptionResult,
    DayDataResult,
    HardwareCheckinDataResult,
    MonthDataResult,
    MonthReport,
    ScheduleListResult,
    TemplateDetail,
    UserVacationQuotaResult,
    answer,
)

__all__: list[str] = []

R = TypeVar("R")
Answers = Sequence[tuple[Chunk, Mapping[str, Any]]]
Raw = Mapping[str, Any]


def _single(endpoint: c.Endpoint, body: Mapping[str, Any]) -> c.Operation[Ack]:
    return c.Operation(endpoint, (Chunk(0, body),), _ack)


def _ack(answers: Answers) -> Ack:
    return Ack.from_raw(answers[0][1] if len(answers) == 1 else {"errcode": 0, "errmsg": "ok"})


def _userid(row: Raw) -> str:
    return str(row.get("userid", ""))


def _rows(
    field: str, userid_of: Callable[[Raw], str], parse: Callable[[Raw], R], *, seams: bool = False
) -> Callable[[Answers], R]:
    """A merge of ``field`` lists; a lone answer is kept as the server sent it."""

    def merge(answers: Answers) -> R:
        if len(answers) == 1:
            return parse(answers[0][1])
        rows = b.merge_rows(answers, field, userid_of, drop_seam_duplicates=seams)
        return parse(answer(field, rows))

    return merge


def getcheckindata(
    useridlist: Sequence[str], starttime: int, endtime: int, opencheckindatatype: int
) -> c.Operation[CheckinDataResult]:
    ranges = b.split_seconds(starttime, endtime, b.CHECKIN_DATA_SPAN)
    chunks = b.user_time_chunks({"opencheckindatatype": opencheckindatatype}, useridlist, ranges)
    merge = _rows("checkindata", _userid, CheckinDataResult.from_raw, seams=True)
    return c.Operation(c.GETCHECKINDATA, chunks, merge)


def getcheckinoption(datetime: int, useridlist: Sequence[str]) -> c.Operation[CheckinOptionResult]:
    chunks = b.user_chunks({"datetime": datetime}, useridlist)
    return c.Operation(
        c.GETCHECKINOPTION, chunks, _rows("info", _userid, CheckinOptionResult.from_raw)
    )


def getcorpcheckinoption() -> c.Operation[CorpCheckinOptionResult]:
    def merge(answers: Answers) -> CorpCheckinOptionResult:
        return CorpCheckinOptionResult.from_raw(answers[0][1] if answers else answer("group", []))

    return c.Operation(c.GETCORPCHECKINOPTION, (Chunk(0, {}),), merge)


def getcheckin_daydata(
    useridlist: Sequence[str], starttime: int, endtime: int
) -> c.Operation[DayDataResult]:
    chunks = b.user_time_chunks({}, useridlist, b.split_days(starttime, endtime))
    return c.Operation(
        c.GETCHECKIN_DAYDATA, chunks, _rows("datas", b.acctid, DayDataResult.from_raw)
    )


def _period(chunk: Chunk) -> tuple[int, int]:
    return int(chunk.body.get("starttime", 0)), int(chunk.body.get("endtime", 0))


def _merge_months(answers: Answers) -> MonthDataResult:
    if len(answers) == 1:
        chunk, raw = answers[0]
        return MonthDataResult.from_raw(raw, _period(chunk))
    order = b.user_order(answers)
    reports = [
        MonthReport.from_raw(r, _period(chunk))
        for chunk, raw in answers
        for r in (raw.get("datas") or ())
        if isinstance(r, Mapping)
    ]
    reports.sort(key=lambda r: order.get(r.userid, len(order)))
    return MonthDataResult(answer("datas", [r.raw for r in reports]), tuple(reports))


def getcheckin_monthdata(
    useridlist: Sequence[str], starttime: int, endtime: int
) -> c.Operation[MonthDataResult]:
    chunks = b.user_time_chunks({}, useridlist, b.split_days(starttime, endtime))
    return c.Operation(c.GETCHECKIN_MONTHDATA, chunks, _merge_months)


def _merge_schedules(answers: Answers) -> ScheduleListResult:
    if len(answers) == 1:
        return ScheduleListResult.from_raw(answers[0][1])
    return ScheduleListResult.from_raw(answer("schedule_list", b.merge_schedules(answers)))


def getcheckinschedulist(
    useridlist: Sequence[str], starttime: int, endtime: int
) -> c.Operation[ScheduleListResult]:
    ranges = b.split_seconds(starttime, endtime, b.SCHEDULE_SPAN)
    return c.Operation(
        c.GETCHECKINSCHEDULIST, b.user_time_chunks({}, useridlist, ranges), _merge_schedules
    )


def setcheckinschedulist(
    groupid: int, items: Sequence[Mapping[str, Any]], yearmonth: int
) -> c.Operation[Ack]:
    return _single(
        c.SETCHECKINSCHEDULIST,
        {"groupid": groupid, "items": [dict(i) for i in items], "yearmonth": yearmonth},
    )


def punch_correction(
    userid: str,
    schedule_date_time: int,
    checkin_time: int,
    schedule_checkin_time: int | None,
    remark: str | None,
) -> c.Operation[Ack]:
    body: dict[str, Any] = {"userid": userid, "schedule_date_time": schedule_date_time}
    if schedule_checkin_time is not None:
        body["schedule_checkin_time"] = schedule_checkin_time
    body["checkin_time"] = checkin_time
    if remark is not None:
        body["remark"] = remark
    return _single(c.PUNCH_CORRECTION, body)


def addcheckinuserface(userid: str, userface: str | bytes) -> c.Operation[Ack]:
    if isinstance(userface, bytes):
        userface = base64.b64encode(userface).decode("ascii")
    return _single(c.ADDCHECKINUSERFACE, {"userid": userid, "userface": userface})


def add_checkin_option(group: Mapping[str, Any], effective_now: bool) -> c.Operation[Ack]:
    return _single(c.ADD_CHECKIN_OPTION, {"effective_now": effective_now, "group": dict(group)})


def update_checkin_option(group: Mapping[str, Any], effective_now: bool) -> c.Operation[Ack]:
    return _single(c.UPDATE_CHECKIN_OPTION, {"effective_now": effective_now, "group": dict(group)})


def clear_checkin_option_array_field(
    groupid: int, clear_field: Sequence[int], effective_now: bool
) -> c.Operation[Ack]:
    return _single(
        c.CLEAR_CHECKIN_OPTION_ARRAY_FIELD,
        {"groupid": groupid, "clear_field": list(clear_field), "effective_now": effective_now},
    )


def del_checkin_option(groupid: int, effective_now: bool) -> c.Operation[Ack]:
    return _single(c.DEL_CHECKIN_OPTION, {"groupid": groupid, "effective_now": effective_now})


def add_checkin_record(records: Sequence[Mapping[str, Any]]) -> c.Operation[Ack]:
    return c.Operation(c.ADD_CHECKIN_RECORD, b.record_chunks(records), _ack)


def get_hardware_checkin_data(
    useridlist: Sequence[str], starttime: int, endtime: int, filter_type: int | None
) -> c.Operation[HardwareCheckinDataResult]:
    base = {} if filter_type is None else {"filter_type": filter_type}
    ranges = b.split_seconds(starttime, endtime, b.HARDWARE_SPAN)
    return c.Operation(
        c.GET_HARDWARE_CHECKIN_DATA,
        b.user_time_chunks(base, useridlist, ranges),
        _rows("checkindata", _userid, HardwareCheckinDataResult.from_raw),
    )


# -- 审批 (approvals) and 假期 (vacations) ----------------------------------------------------


def _one(
    endpoint: c.Endpoint, body: Mapping[str, Any], parse: Callable[[Raw], R]
) -> c.Operation[R]:
    return c.Operation(endpoint, (Chunk(0, body),), lambda answers: parse(answers[0][1]))


def gettemplatedetail(template_id: str) -> c.Operation[TemplateDetail]:
    return _one(c.GETTEMPLATEDETAIL, {"template_id": template_id}, TemplateDetail.from_raw)


def applyevent(
    creator_userid: str,
    template_id: str,
    contents: Sequence[Mapping[str, Any]],
    summary_list: Sequence[str | Mapping[str, Any]],
    *,
    use_template_approver: bool | None,
    process: Sequence[FlowNode | Mapping[str, Any]] | None,
    approver: Sequence[Mapping[str, Any]] | None,
    notifyer: Sequence[str] | None,
    notify_type: int | None,
    choose_department: int | None,
) -> c.Operation[str]:
    if use_template_approver is None:
        # The caller's flow when one is given, else the template's: the only coherent pair.
        use_template_approver = process is None and approver is None
    body: dict[str, Any] = {
        "creator_userid": creator_userid,
        "template_id": template_id,
        "use_template_approver": 1 if use_template_approver else 0,
    }
    if choose_department is not None:
        body["choose_department"] = choose_department
    if process is not None:
        body["process"] = {"node_list": [wire_node(n) for n in process]}
    if approver is not None:
        body["approver"] = [dict(a) for a in approver]
    if notifyer is not None:
        body["notifyer"] = list(notifyer)
    if notify_type is not None:
        body["notify_type"] = notify_type
    body["apply_data"] = {"contents": [dict(x) for x in contents]}
    body["summary_list"] = [wire_summary(line) for line in summary_list]
    return _one(c.APPLYEVENT, body, lambda raw: str(raw.get("sp_no", "")))


def approval_filters(
    template_id: str | None,
    creator: str | None,
    department: int | str | Sequence[int | str] | None,
    sp_status: int | None,
    record_type: int | None,
) -> list[dict[str, str]]:
    """getapprovalinfo's ``filters``: different keys AND, repeated departments OR."""
    # One id (an int, or a string such as an answer's partyid) or several.
    departments: list[int | str]
    if isinstance(department, int | str):
        departments = [department]
    else:
        departments = list(department or ())
    pairs: list[tuple[str, object]] = [
        ("template_id", template_id),
        ("creator", creator),
        *(("department", d) for d in departments),
        ("sp_status", sp_status),
        ("record_type", record_type),
    ]
    return [{"key": key, "value": str(value)} for key, value in pairs if value is not None]


def _next_page(chunk: Chunk, raw: Raw) -> Chunk | None:
    # Absent (WeCom's end marker) or empty: an empty cursor sent back would start over.
    cursor = raw.get("new_next_cursor")
    if cursor is None or cursor == "":
        return None
    if str(cursor) == chunk.body.get("new_cursor"):
        # A cursor that does not move would page forever; stop loudly instead.
        raise InvalidResponse(
            f"{c.GETAPPROVALINFO.path}: new_next_cursor {cursor!r} did not advance",
            endpoint=c.GETAPPROVALINFO.path,
        )
    return Chunk(chunk.index, {**chunk.body, "new_cursor": str(cursor)})


def _merge_sp_nos(answers: Answers) -> ApprovalListResult:
    merged = {"errcode": 0, "errmsg": "ok", "sp_no_list": b.merge_sp_nos(answers)}
    return ApprovalListResult.from_raw(merged)


def getapprovalinfo(
    starttime: int, endtime: int, filters: Sequence[Mapping[str, str]]
) -> c.Operation[ApprovalListResult]:
    chunks = b.approval_chunks(filters, starttime, endtime)
    return c.Operation(c.GETAPPROVALINFO, chunks, _merge_sp_nos, _next_page)


def getapprovaldetail(sp_no: str) -> c.Operation[ApprovalDetailResult]:
    return _one(c.GETAPPROVALDETAIL, {"sp_no": str(sp_no)}, ApprovalDetailResult.from_raw)


def vacation_getuservacationquota(userid: str) -> c.Operation[UserVacationQuotaResult]:
    return _one(
        c.VACATION_GETUSERVACATIONQUOTA, {"userid": userid}, UserVacationQuotaResult.from_raw
    )


def vacation_setoneuserquota(
    userid: str, vacation_id: int, leftduration: int, time_attr: int, remarks: str
) -> c.Operation[Ack]:
    body: dict[str, Any] = {
        "userid": userid,
        "vacation_id": vacation_id,
        "leftduration": leftduration,
        "time_attr": time_attr,
    }
    if remarks:
        body["remarks"] = remarks
    return _single(c.VACATION_SETONEUSERQUOTA, body)


def media_upload_payload(
    content: bytes, media_type: str, filename: str, content_type: str
) -> c.Payload:
    # WeCom's file part is named "media" (docs/wecom-api.md §15.1).
    return c.Payload(
        params={"type": media_type}, files={"media": (filename, content, content_type)}
    )


def media_get_payload(media_id: str, byte_range: tuple[int, int] | None) -> c.Payload:
    headers = {} if byte_range is None else {"Range": f"bytes={byte_range[0]}-{byte_range[1]}"}
    return c.Payload(params={"media_id": media_id}, headers=headers)


def raw_payload(body: Mapping[str, Any] | None, params: Mapping[str, str] | None) -> c.Payload:
    return c.Payload(body=body, params=dict(params or {}))


def department_list_payload(dept_id: int | None) -> c.Payload:
    return c.Payload(params={} if dept_id is None else {"id": str(dept_id)})


def user_simplelist_payload(department_id: int, fetch_child: bool) -> c.Payload:
    return c.Payload(
        params={"department_id": str(department_id), "fetch_child": "1" if fetch_child else "0"}
    )


def tag_get_payload(tagid: int) -> c.Payload:
    return c.Payload(params={"tagid": str(tagid)})
