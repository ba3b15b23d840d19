"""WeCom's 审批 shapes (oa/gettemplatedetail, applyevent, getapprovalinfo, getapprovaldetail):
requests parsed into typed values, approvals and templates rendered back.

A malformed request is refused with 301025 and a hint naming the field, in the form WeCom
answers (``get approval param error, hint: [...]``). Whether a template, a vacation or a user
exists needs the corp's data and is checked by :mod:`daka.services.approvals`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from daka.domain.approvals import (
    TIME_OFF_CONTROLS,
    Approval,
    ApvRel,
    ControlSpec,
    DaySlice,
    Node,
    NodeType,
    RangeType,
    RecordType,
    SpStatus,
    Step,
    Template,
    TimeOff,
)
from daka.domain.errors import ApprovalParamError, DakaError, InvalidParameter
from daka.wire.values import INT64, UINT32, echo, read_int, read_opt_int, read_str

MAX_USERID_CHARS = 64
MAX_SUMMARY_LINES = 3
MAX_SUMMARY_CHARS = 20
MAX_PAGE = 100
MAX_INFO_SPAN = 31 * 86_400
MAX_NODE_USERS = 100
# Values every control's value carries in WeCom's answers, empty when unused.
VALUE_PADDING = (
    "tips",
    "members",
    "departments",
    "files",
    "children",
    "stat_field",
    "sum_field",
    "related_approval",
)
FILTER_KEYS = ("template_id", "creator", "department", "sp_status", "record_type")


def approval_param(field: str, problem: str) -> DakaError:
    """WeCom's 301025 answer: ``get approval param error, hint: [<field> <problem>]``."""
    return ApprovalParamError(f"get approval param error, hint: [{field} {problem}]")


def _object(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise approval_param(field, "must be a JSON object")
    return value


def _array(value: Any, field: str, *, required: bool = False) -> list[Any]:
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise approval_param(field, "must be an array")
    return value


def _int(value: Any, field: str) -> int:
    return read_int(value, field, refuse=approval_param)


def _userid(value: Any, field: str) -> str:
    return read_str(value, field, max_chars=MAX_USERID_CHARS, min_chars=1, refuse=approval_param)


def _userids(value: Any, field: str) -> tuple[str, ...]:
    items = _array(value, field, required=True)
    if not items or len(items) > MAX_NODE_USERS:
        raise approval_param(field, f"must name 1..{MAX_NODE_USERS} userids")
    return tuple(_userid(u, f"{field}[{i}]") for i, u in enumerate(items))


# -- requests ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GetTemplateDetailRequest:
    """gettemplatedetail: one template by id."""

    template_id: str

    @classmethod
    def parse(cls, body: Any) -> GetTemplateDetailRequest:
        body = _object(body, "body")
        value = body.get("template_id")
        if not isinstance(value, str) or not value:
            raise ApprovalParamError("param error: invalid template_id")
        return cls(read_str(value, "template_id", max_chars=128, refuse=approval_param))


@dataclass(frozen=True, slots=True)
class TimeOffValue:
    """The 假勤 value of a form as submitted (before the template and the corp check it)."""

    control_id: str
    kind: RecordType
    range_type: RangeType
    begin: int
    end: int
    new_duration: int | None
    slices: tuple[DaySlice, ...] | None
    vacation_id: int | None = None


@dataclass(frozen=True, slots=True)
class ControlValue:
    """One ``apply_data.contents[]`` entry: its control, id, the value to echo back, and
    whether it holds anything (a required control must)."""

    control: str
    id: str
    value: Mapping[str, Any]
    filled: bool


@dataclass(frozen=True, slots=True)
class ApplyEventRequest:
    """applyevent: a form to file as ``creator_userid``."""

    creator_userid: str
    template_id: str
    use_template_approver: bool
    choose_department: int | None
    nodes: tuple[Node, ...]
    notify_type: int
    contents: tuple[ControlValue, ...]
    time_off: TimeOffValue | None
    summary: tuple[Any, ...]

    @classmethod
    def parse(cls, body: Any) -> ApplyEventRequest:
        body = _object(body, "body")
        creator = body.get("creator_userid")
        if creator in (None, ""):
            # WeCom answers an empty creator with 40058, as for any missing required field.
            raise InvalidParameter("invalid parameter creator_userid: required field is missing")
        template_id = body.get("template_id")
        if not isinstance(template_id, str) or not template_id:
            raise approval_param("template_id", "is required")
        mode = read_opt_int(
            body.get("use_template_approver"), "use_template_approver", refuse=approval_param
        )
        if mode not in (None, 0, 1):
            raise approval_param("use_template_approver", "must be 0 or 1")
        use_template = mode == 1
        nodes: tuple[Node, ...] = ()
        notify_type = read_opt_int(body.get("notify_type"), "notify_type", refuse=approval_param)
        if notify_type not in (None, 1, 2, 3):
            raise approval_param("notify_type", "must be 1, 2 or 3")
        if not use_template:
            nodes = _flow(body)
        contents, time_off = _contents(body.get("apply_data"))
        return cls(
            creator_userid=_userid(creator, "creator_userid"),
            template_id=read_str(template_id, "template_id", max_chars=128, refuse=approval_param),
            use_template_approver=use_template,
            choose_department=read_opt_int(
                body.get("choose_department"), "choose_department", refuse=approval_param
            ),
            nodes=nodes,
            notify_type=notify_type or 1,
            contents=contents,
            time_off=time_off,
            summary=_summary(body.get("summary_list")),
        )


def _flow(body: Mapping[str, Any]) -> tuple[Node, ...]:
    """The flow a form gives itself: ``process.node_list`` or the legacy ``approver``."""
    process = body.get("process")
    if process is not None:
        raw = _array(_object(process, "process").get("node_list"), "process.node_list")
        nodes = tuple(parse_node(n, f"process.node_list[{i}]") for i, n in enumerate(raw))
    else:
        nodes = _legacy_flow(body)
    if not any(n.node_type is NodeType.APPROVER for n in nodes):
        raise approval_param(
            "process", "must name at least one approver node when use_template_approver is 0"
        )
    return nodes


def parse_node(raw: Any, where: str) -> Node:
    """A ``process.node_list[]`` entry: ``type`` 1 审批人 / 2 抄送人 / 3 办理人, ``apv_rel``
    1 会签 / 2 或签 / 3 依次 (required for approvers and handlers), ``userid[]``."""
    node = _object(raw, where)
    kind = _int(node.get("type"), f"{where}.type")
    if kind not in (1, 2, 3):
        raise approval_param(f"{where}.type", "must be 1, 2 or 3")
    rel = read_opt_int(node.get("apv_rel"), f"{where}.apv_rel", refuse=approval_param)
    if kind != NodeType.NOTIFY and rel not in (1, 2, 3):
        raise approval_param(f"{where}.apv_rel", "must be 1, 2 or 3")
    users = _userids(node.get("userid"), f"{where}.userid")
    return Node(
        NodeType(kind),
        ApvRel(rel) if rel in (1, 2, 3) else ApvRel.ANY,
        tuple(Step(u) for u in users),
    )


def _legacy_flow(body: Mapping[str, Any]) -> tuple[Node, ...]:
    # The old flow's codes are the other way round: attr 1 或签, 2 会签.
    nodes = []
    for i, raw in enumerate(_array(body.get("approver"), "approver")):
        where = f"approver[{i}]"
        item = _object(raw, where)
        attr = _int(item.get("attr"), f"{where}.attr")
        if attr not in (1, 2):
            raise approval_param(f"{where}.attr", "must be 1 (或签) or 2 (会签)")
        users = _userids(item.get("userid"), f"{where}.userid")
        rel = ApvRel.ANY if attr == 1 else ApvRel.ALL
        nodes.append(Node(NodeType.APPROVER, rel, tuple(Step(u) for u in users)))
    notify = _array(body.get("notifyer"), "notifyer")
    if notify:
        users = tuple(_userid(u, f"notifyer[{i}]") for i, u in enumerate(notify))
        nodes.append(Node(NodeType.NOTIFY, ApvRel.ANY, tuple(Step(u) for u in users)))
    return tuple(nodes)


def _summary(raw: Any) -> tuple[Any, ...]:
    lines = _array(raw, "summary_list", required=True)
    if not 1 <= len(lines) <= MAX_SUMMARY_LINES:
        raise approval_param("summary_list", f"must hold 1..{MAX_SUMMARY_LINES} lines")
    for i, line in enumerate(lines):
        where = f"summary_list[{i}].summary_info"
        infos = _array(
            _object(line, f"summary_list[{i}]").get("summary_info"), where, required=True
        )
        if not infos:
            raise approval_param(where, "must not be empty")
        for j, info in enumerate(infos):
            text = _object(info, f"{where}[{j}]").get("text")
            read_str(text, f"{where}[{j}].text", max_chars=MAX_SUMMARY_CHARS, refuse=approval_param)
    return tuple(lines)


def _contents(raw: Any) -> tuple[tuple[ControlValue, ...], TimeOffValue | None]:
    if raw is None:
        raise ApprovalParamError(
            "Warning: wrong json format. get approval param error:no applydata content"
        )
    items = _array(_object(raw, "apply_data").get("contents"), "apply_data.contents", required=True)
    if not items:
        raise ApprovalParamError(
            "Warning: wrong json format. get approval param error:no applydata content"
        )
    contents: list[ControlValue] = []
    time_off: TimeOffValue | None = None
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"apply_data.contents[{i}]"
        entry = _object(item, where)
        control = read_str(
            entry.get("control"),
            f"{where}.control",
            max_chars=32,
            min_chars=1,
            refuse=approval_param,
        )
        control_id = read_str(
            entry.get("id"), f"{where}.id", max_chars=128, min_chars=1, refuse=approval_param
        )
        if control_id in seen:
            raise approval_param(f"{where}.id", f"{echo(control_id)} is given twice")
        seen.add(control_id)
        value = _object(entry.get("value", {}), f"{where}.value")
        if control in TIME_OFF_CONTROLS:
            if time_off is not None:
                raise approval_param(where, "a form holds at most one 假勤 control")
            time_off = _time_off(control, control_id, value, f"{where}.value")
        contents.append(ControlValue(control, control_id, value, _filled(control, value)))
    return tuple(contents), time_off


def _filled(control: str, value: Mapping[str, Any]) -> bool:
    """Whether a control's value holds something (the check for required controls)."""
    for v in value.values():
        if isinstance(v, str) and v.strip():
            return True
        if isinstance(v, list | dict) and v:
            return True
        if isinstance(v, int | float) and not isinstance(v, bool):
            return True
    return False


def _time_off(control: str, control_id: str, value: Mapping[str, Any], where: str) -> TimeOffValue:
    vacation_id: int | None = None
    if control == "Vacation":
        vacation = _object(value.get("vacation"), f"{where}.vacation")
        selector = _object(vacation.get("selector"), f"{where}.vacation.selector")
        options = _array(
            selector.get("options"), f"{where}.vacation.selector.options", required=True
        )
        if len(options) != 1:
            raise approval_param(f"{where}.vacation.selector.options", "must name one vacation")
        key = _object(options[0], f"{where}.vacation.selector.options[0]").get("key")
        vacation_id = read_int(
            key, f"{where}.vacation.selector.options[0].key", refuse=approval_param
        )
        attendance = _object(vacation.get("attendance"), f"{where}.vacation.attendance")
        at_where = f"{where}.vacation.attendance"
        kind = RecordType.LEAVE
    else:
        attendance = _object(value.get("attendance"), f"{where}.attendance")
        at_where = f"{where}.attendance"
        code = _int(attendance.get("type"), f"{at_where}.type")
        if code not in (3, 4, 5):
            raise approval_param(f"{at_where}.type", "must be 3 (出差), 4 (外出) or 5 (加班)")
        kind = RecordType(code)
    date_range = _object(attendance.get("date_range"), f"{at_where}.date_range")
    dr = f"{at_where}.date_range"
    range_type = date_range.get("type")
    if range_type not in ("halfday", "day", "hour"):
        raise approval_param(f"{dr}.type", "must be halfday, day or hour")
    begin = read_int(date_range.get("new_begin"), f"{dr}.new_begin", INT64, refuse=approval_param)
    end = read_int(date_range.get("new_end"), f"{dr}.new_end", INT64, refuse=approval_param)
    for name, t in (("new_begin", begin), ("new_end", end)):
        if not 0 < t < 10**10:
            raise approval_param(f"{dr}.{name}", "must be a Unix time in seconds")
    if end < begin or (range_type == "hour" and end == begin):
        raise approval_param(f"{dr}.new_end", "must be after new_begin")
    duration = read_opt_int(
        date_range.get("new_duration"), f"{dr}.new_duration", INT64, refuse=approval_param
    )
    slices: tuple[DaySlice, ...] | None = None
    if attendance.get("slice_info") is not None:
        info = _object(attendance["slice_info"], f"{at_where}.slice_info")
        items = _array(info.get("day_items"), f"{at_where}.slice_info.day_items", required=True)
        parsed = []
        for i, item in enumerate(items):
            iw = f"{at_where}.slice_info.day_items[{i}]"
            day = _object(item, iw)
            parsed.append(
                DaySlice(
                    read_int(day.get("daytime"), f"{iw}.daytime", INT64, refuse=approval_param),
                    read_int(day.get("duration"), f"{iw}.duration", UINT32, refuse=approval_param),
                )
            )
        slices = tuple(parsed)
    return TimeOffValue(
        control_id, kind, RangeType(range_type), begin, end, duration, slices, vacation_id
    )


@dataclass(frozen=True, slots=True)
class GetApprovalInfoRequest:
    """getapprovalinfo: sp_nos of forms submitted in ``[starttime, endtime]``, filtered.

    ``cursor`` is the new string cursor (``new_cursor``), or, for clients of the old
    generation (wechatpy), ``legacy_offset`` from the int ``cursor``.
    """

    starttime: int
    endtime: int
    size: int
    cursor: str
    legacy_offset: int | None
    filters: Mapping[str, tuple[str, ...]]

    @classmethod
    def parse(cls, body: Any) -> GetApprovalInfoRequest:
        body = _object(body, "body")
        bounds = []
        for name in ("starttime", "endtime"):
            value = body.get(name)
            if value is None:
                raise ApprovalParamError(f"invalid starttime or endtime: {name} is required")
            number = read_int(
                value,
                name,
                INT64,
                refuse=lambda f, p: ApprovalParamError(f"invalid starttime or endtime: {f} {p}"),
            )
            if number >= 10**10:
                raise ApprovalParamError(
                    f"invalid starttime or endtime: {name} must be in seconds, not milliseconds"
                )
            bounds.append(number)
        start, end = bounds
        if end <= start:
            raise ApprovalParamError(
                "invalid starttime or endtime: endtime must be after starttime"
            )
        if end - start > MAX_INFO_SPAN:
            raise ApprovalParamError("invalid starttime or endtime: the span is over 31 days")
        size = read_opt_int(body.get("size"), "size", refuse=approval_param)
        if size is not None and not 1 <= size <= MAX_PAGE:
            raise approval_param("size", f"must be 1..{MAX_PAGE}")
        cursor = body.get("new_cursor", "")
        if cursor is None:
            cursor = ""
        if not isinstance(cursor, str) or len(cursor) > 64:
            raise approval_param("new_cursor", "must be the new_next_cursor of the last answer")
        legacy = None
        if not cursor and body.get("cursor") is not None:
            legacy = read_int(body.get("cursor"), "cursor", refuse=approval_param)
        # wechatpy sends its filters as ``filter``; WeCom documents ``filters``.
        raw_filters = body.get("filters", body.get("filter"))
        return cls(start, end, size or MAX_PAGE, cursor, legacy, _filters(raw_filters))


def _filters(raw: Any) -> Mapping[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for i, item in enumerate(_array(raw, "filters")):
        where = f"filters[{i}]"
        entry = _object(item, where)
        key = entry.get("key")
        if key not in FILTER_KEYS:
            raise approval_param(f"{where}.key", f"must be one of {', '.join(FILTER_KEYS)}")
        value = entry.get("value")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = read_str(value, f"{where}.value", max_chars=128, min_chars=1, refuse=approval_param)
        if key in ("department", "sp_status", "record_type"):
            read_int(text, f"{where}.value", refuse=approval_param)
        if key in found and key != "department":
            raise approval_param(where, f"only department may repeat, not {key}")
        found.setdefault(str(key), []).append(text)
    return {k: tuple(v) for k, v in found.items()}


@dataclass(frozen=True, slots=True)
class GetApprovalDetailRequest:
    """getapprovaldetail: one form by ``sp_no`` (a string; a bare number is accepted)."""

    sp_no: str

    @classmethod
    def parse(cls, body: Any) -> GetApprovalDetailRequest:
        body = _object(body, "body")
        value = body.get("sp_no")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.isascii() or not value.isdigit():
            raise approval_param("sp_no", "must be the approval's number")
        return cls(read_str(value, "sp_no", max_chars=32, refuse=approval_param))


# -- answers ----------------------------------------------------------------------------


def _padded(value: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: [] for k in VALUE_PADDING}
    out.update(value)
    return out


def date_range_view(time_off: TimeOff) -> dict[str, Any]:
    return {
        "type": time_off.range_type.value,
        "new_begin": time_off.begin,
        "new_end": time_off.end,
        "new_duration": time_off.duration,
    }


def attendance_view(time_off: TimeOff) -> dict[str, Any]:
    """The ``attendance`` object of a Vacation or Attendance value, with ``slice_info``."""
    return {
        "date_range": date_range_view(time_off),
        "type": int(time_off.kind),
        "slice_info": {
            "day_items": [{"daytime": s.daytime, "duration": s.duration} for s in time_off.slices],
            "duration": time_off.duration,
            "state": time_off.slice_state,
        },
    }


def time_off_value(time_off: TimeOff) -> dict[str, Any]:
    """A 假勤 control's value as getapprovaldetail shows it."""
    if time_off.kind is RecordType.LEAVE:
        return {
            "vacation": {
                "selector": {
                    "type": "single",
                    "options": [
                        {
                            "key": str(time_off.vacation_id),
                            "value": [{"text": time_off.vacation_name, "lang": "zh_CN"}],
                        }
                    ],
                    "exp_type": 0,
                },
                "attendance": attendance_view(time_off),
            }
        }
    return {"attendance": attendance_view(time_off)}


def _node_view(node: Node) -> dict[str, Any]:
    return {
        "node_type": int(node.node_type),
        "sp_status": int(node.status),
        "apv_rel": int(node.apv_rel),
        "sub_node_list": [
            {
                "userid": s.userid,
                "speech": s.speech,
                "sp_yj": int(s.status),
                "sptime": s.sptime,
                "media_ids": [],
            }
            for s in node.steps
        ],
    }


def _record_view(node: Node) -> dict[str, Any]:
    # The legacy flow's codes: approverattr 1 或签, 2 会签 (依次 is 会签 one at a time).
    return {
        "sp_status": int(node.status),
        "approverattr": 1 if node.apv_rel is ApvRel.ANY else 2,
        "details": [
            {
                "approver": {"userid": s.userid},
                "speech": s.speech,
                "sp_status": int(s.status),
                "sptime": s.sptime,
                "media_id": [],
            }
            for s in node.steps
        ],
    }


def info_view(approval: Approval) -> dict[str, Any]:
    """getapprovaldetail's ``info``."""
    contents = []
    for raw in approval.contents:
        assert isinstance(raw, Mapping)
        item = dict(raw)
        if item.get("control") in TIME_OFF_CONTROLS and approval.time_off is not None:
            item["value"] = time_off_value(approval.time_off)
        item["value"] = _padded(item.get("value", {}))
        contents.append(item)
    approvers = [n for n in approval.nodes if n.node_type is not NodeType.NOTIFY]
    notified = [s.userid for n in approval.nodes if n.node_type is NodeType.NOTIFY for s in n.steps]
    return {
        "sp_no": approval.sp_no,
        "sp_name": approval.sp_name,
        "sp_status": int(approval.status),
        "template_id": approval.template_id,
        "apply_time": approval.apply_time,
        "applyer": {"userid": approval.creator, "partyid": str(approval.department)},
        "sp_record": [_record_view(n) for n in approvers],
        "notifyer": [{"userid": u} for u in notified],
        "apply_data": {"contents": contents},
        "comments": [],
        "process_list": {"node_list": [_node_view(n) for n in approval.nodes]},
    }


def parse_template(raw: Any, where: str) -> tuple[Template, dict[str, Any]]:
    """A template of the org file (WeCom's gettemplatedetail shape plus its ``template_id``
    and daka's ``process``, the flow ``use_template_approver`` 1 uses) → the template and
    the body to store and answer gettemplatedetail with. Raises ValueError naming the field.
    """
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be an object")
    template_id = raw.get("template_id")
    if not isinstance(template_id, str) or not 1 <= len(template_id) <= 128:
        raise ValueError(f"{where}.template_id must be a string of 1..128 characters")
    names = raw.get("template_names")
    if (
        not isinstance(names, list)
        or not names
        or not all(isinstance(n, Mapping) and isinstance(n.get("text"), str) for n in names)
    ):
        raise ValueError(f"{where}.template_names must be a non-empty [{{text, lang}}] array")
    content = raw.get("template_content")
    controls_raw = content.get("controls") if isinstance(content, Mapping) else None
    if not isinstance(controls_raw, list) or not controls_raw:
        raise ValueError(f"{where}.template_content.controls must be a non-empty array")
    controls = []
    kind = RecordType.NONE
    range_type: RangeType | None = None
    vacation_ids: tuple[int, ...] = ()
    for i, c in enumerate(controls_raw):
        cw = f"{where}.template_content.controls[{i}]"
        prop = c.get("property") if isinstance(c, Mapping) else None
        if not isinstance(prop, Mapping):
            raise ValueError(f"{cw}.property is required")
        control, cid = prop.get("control"), prop.get("id")
        if not isinstance(control, str) or not isinstance(cid, str) or not cid:
            raise ValueError(f"{cw}.property needs a control type and an id")
        titles = prop.get("title") or []
        title = next((t.get("text", "") for t in titles if isinstance(t, Mapping)), "")
        controls.append(ControlSpec(control, cid, str(title), prop.get("require") in (1, True)))
        config = c.get("config") or {}
        if control in TIME_OFF_CONTROLS:
            if kind is not RecordType.NONE:
                raise ValueError(f"{cw}: a template holds at most one 假勤 control")
            if control == "Vacation":
                kind = RecordType.LEAVE
                items = ((config.get("vacation_list") or {}).get("item")) or []
                try:
                    vacation_ids = tuple(int(item["id"]) for item in items)
                except (KeyError, TypeError, ValueError):
                    raise ValueError(f"{cw}.config.vacation_list.item[].id must be ids") from None
            else:
                attendance = config.get("attendance") or {}
                code = attendance.get("type")
                if code not in (3, 4, 5):
                    raise ValueError(f"{cw}.config.attendance.type must be 3, 4 or 5")
                kind = RecordType(code)
                grain = (attendance.get("date_range") or {}).get("type", "halfday")
                if grain not in ("halfday", "day", "hour"):
                    raise ValueError(
                        f"{cw}.config.attendance.date_range.type must be halfday, day or hour"
                    )
                range_type = RangeType(grain)
    flow: tuple[Node, ...] = ()
    if raw.get("process") is not None:
        try:
            process = _object(raw["process"], "process")
            flow = tuple(
                parse_node(n, f"process.node_list[{i}]")
                for i, n in enumerate(_array(process.get("node_list"), "process.node_list"))
            )
        except ApprovalParamError as exc:
            raise ValueError(f"{where}: {exc.message}") from None
    template = Template(
        template_id=template_id,
        name=str(names[0]["text"]),
        controls=tuple(controls),
        kind=kind,
        range_type=range_type,
        vacation_ids=vacation_ids,
        flow=flow,
    )
    body = {
        "template_id": template_id,
        "template_names": list(names),
        "template_content": {"controls": list(controls_raw)},
    }
    if raw.get("process") is not None:
        body["process"] = raw["process"]
    return template, body


def template_view(body: Mapping[str, Any]) -> dict[str, Any]:
    """gettemplatedetail's answer from a stored template body."""
    return {
        "template_names": body["template_names"],
        "template_content": body["template_content"],
    }


# -- daka's own: acting on approvals (/api/approvals) -------------------------------------


@dataclass(frozen=True, slots=True)
class ApprovalActionRequest:
    """``POST /api/approvals/<action>``: act on ``sp_no`` as ``userid`` (the approver for
    approve/reject, who may be left out when exactly one is waited for; the applicant by
    default for revoke/delete), with an optional ``speech`` (审批意见)."""

    sp_no: str
    userid: str | None
    speech: str

    @classmethod
    def parse(cls, body: Any) -> ApprovalActionRequest:
        body = _object(body, "body")
        sp_no = GetApprovalDetailRequest.parse({"sp_no": body.get("sp_no")}).sp_no
        userid = body.get("userid")
        speech = body.get("speech", "")
        return cls(
            sp_no=sp_no,
            userid=None if userid in (None, "") else _userid(userid, "userid"),
            speech=read_str(speech, "speech", max_chars=500, refuse=approval_param),
        )


@dataclass(frozen=True, slots=True)
class ApprovalListRequest:
    """``GET /api/approvals``: forms filed in ``[starttime, endtime]`` (default: all), of
    ``creator`` and in ``sp_status`` when given, newest last."""

    starttime: int
    endtime: int
    creator: str | None
    sp_status: int | None

    @classmethod
    def parse(cls, params: Any) -> ApprovalListRequest:
        params = _object(params, "query")
        start = read_opt_int(params.get("starttime"), "starttime", INT64, refuse=approval_param)
        end = read_opt_int(params.get("endtime"), "endtime", INT64, refuse=approval_param)
        creator = params.get("creator")
        status = read_opt_int(params.get("sp_status"), "sp_status", refuse=approval_param)
        if status is not None and status not in {int(s) for s in SpStatus}:
            raise approval_param("sp_status", "must be 1, 2, 3, 4, 6, 7 or 10")
        return cls(
            starttime=start or 0,
            endtime=end if end is not None else 2**62,
            creator=None if creator in (None, "") else _userid(creator, "creator"),
            sp_status=status,
        )


def time_off_form(
    template: Template,
    creator: str,
    begin: int,
    end: int,
    reason: str,
    vacation_id: int | None = None,
) -> dict[str, Any]:
    """An applyevent body filing ``template``'s 假勤 form for ``creator`` over
    ``[begin, end]`` (what the console's "file for a person" sends through the same parser
    as the API). The span's grain is the template's; ``vacation_id`` picks a 请假 form's
    vacation. A text control, when the template has one, carries the reason."""
    grain = (template.range_type or RangeType.HOUR).value
    attendance = {
        "date_range": {"type": grain, "new_begin": begin, "new_end": end},
        "type": int(template.kind),
    }
    contents: list[dict[str, Any]] = []
    for spec in template.controls:
        if spec.control == "Vacation":
            picked = [{"key": str(vacation_id)}] if vacation_id is not None else []
            selector = {"type": "single", "options": picked, "exp_type": 0}
            value: dict[str, Any] = {"vacation": {"selector": selector, "attendance": attendance}}
            contents.append({"control": "Vacation", "id": spec.id, "value": value})
        elif spec.control == "Attendance":
            contents.append(
                {"control": "Attendance", "id": spec.id, "value": {"attendance": attendance}}
            )
        elif spec.control in ("Textarea", "Text") and reason:
            contents.append({"control": spec.control, "id": spec.id, "value": {"text": reason}})
    return {
        "creator_userid": creator,
        "template_id": template.template_id,
        "use_template_approver": 1,
        "apply_data": {"contents": contents},
        "summary_list": [
            {"summary_info": [{"text": (reason or template.name)[:20], "lang": "zh_CN"}]}
        ],
    }
