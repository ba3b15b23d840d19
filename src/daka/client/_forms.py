"""Builders for applyevent's request: 假勤 control values, flow nodes and summary lines.

They return WeCom's JSON as plain dicts, so they mix freely with contents written by hand
for any other control. Nothing is checked here: WeCom (or a daka server) judges the form
against the template and answers 301025 with the reason.

The two 假勤 values differ in one level of nesting that SDKs have got wrong before: a leave
(Vacation control) puts its selector and time under ``value.vacation``; a trip, an outing or
overtime (Attendance control) puts the time under ``value.attendance``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "FlowNode",
    "attendance_control",
    "summary_line",
    "text_control",
    "vacation_control",
]

LEAVE = 1  # the attendance type of a Vacation control's time (请假)


def _attendance(
    kind: int,
    new_begin: int,
    new_end: int,
    duration: int | None,
    slices: Iterable[tuple[int, int]] | None,
    date_range_type: str,
) -> dict[str, Any]:
    date_range: dict[str, Any] = {
        "type": date_range_type,
        "new_begin": new_begin,
        "new_end": new_end,
    }
    if duration is not None:
        date_range["new_duration"] = duration
    attendance: dict[str, Any] = {"date_range": date_range, "type": kind}
    if slices is not None:
        attendance["slice_info"] = {
            "day_items": [{"daytime": day, "duration": seconds} for day, seconds in slices]
        }
    return attendance


def vacation_control(
    control_id: str,
    vacation_id: int,
    new_begin: int,
    new_end: int,
    *,
    duration: int | None = None,
    slices: Iterable[tuple[int, int]] | None = None,
    date_range_type: str = "halfday",
) -> dict[str, Any]:
    """A leave: the ``apply_data.contents`` element of a template's Vacation control.

    - ``control_id``: the control's ``id`` (``TemplateDetail.control("Vacation").id``).
    - ``vacation_id``: the vacation (getcorpconf's ``id``; WeCom wants it as a string key).
    - ``new_begin`` / ``new_end``: Unix times. For ``halfday`` (the template's
      ``date_range_type``) each is a day's 0:00 (上午) or 12:00 (下午), the end slot
      included: 09:00–18:00 of one day is ``(day, day + 43200)``. ``hour`` takes any minute.
    - ``duration``: the total in unit-seconds (a day 86400, half a day 43200, an hour 3600),
      or ``slices``: ``(day 0:00, unit-seconds)`` per day, from which WeCom sums the total.
    """
    return {
        "control": "Vacation",
        "id": control_id,
        "value": {
            "vacation": {
                "selector": {
                    "type": "single",
                    "options": [{"key": str(vacation_id)}],
                    "exp_type": 0,
                },
                "attendance": _attendance(
                    LEAVE, new_begin, new_end, duration, slices, date_range_type
                ),
            }
        },
    }


def attendance_control(
    control_id: str,
    kind: int,
    new_begin: int,
    new_end: int,
    *,
    duration: int | None = None,
    slices: Iterable[tuple[int, int]] | None = None,
    date_range_type: str = "halfday",
) -> dict[str, Any]:
    """A trip, an outing or overtime: the element of a template's Attendance control.

    ``kind``: 3 出差, 4 外出, 5 加班 (the template's ``attendance_type``). The times, the
    duration and the slices are as for :func:`vacation_control` (overtime slices go in
    steps of 8640 on halfday templates, and WeCom limits overtime to 7 days).
    """
    return {
        "control": "Attendance",
        "id": control_id,
        "value": {
            "attendance": _attendance(kind, new_begin, new_end, duration, slices, date_range_type)
        },
    }


def text_control(control_id: str, text: str, *, control: str = "Text") -> dict[str, Any]:
    """A Text (or, with ``control="Textarea"``, Textarea) element, e.g. a leave's reason."""
    return {"control": control, "id": control_id, "value": {"text": text}}


def summary_line(text: str, lang: str = "zh_CN") -> dict[str, Any]:
    """One ``summary_list`` line (WeCom shows up to 3 in the approval list, ≤ 20 chars each).

    applyevent also takes plain strings, which become ``summary_line(text)``.
    """
    return {"summary_info": [{"text": text, "lang": lang}]}


@dataclass(frozen=True, slots=True)
class FlowNode:
    """A node of applyevent's ``process.node_list``, for forms filed with their own flow.

    ``type``: 1 审批人, 2 抄送人, 3 办理人. ``apv_rel`` (approvers and handlers only):
    1 会签 (all must agree), 2 或签 (any one), 3 依次 (in turn). Note the legacy
    ``approver[].attr`` numbers 或签 and 会签 the other way round (1 或签, 2 会签).
    """

    type: int
    userid: tuple[str, ...]
    apv_rel: int | None = None

    @classmethod
    def approvers(cls, userids: Sequence[str], apv_rel: int = 2) -> FlowNode:
        """An approval node (``type`` 1); 或签 unless ``apv_rel`` says otherwise."""
        return cls(1, tuple(userids), apv_rel)

    @classmethod
    def cc(cls, userids: Sequence[str]) -> FlowNode:
        """A 抄送 node (``type`` 2): the users are told, and do not act."""
        return cls(2, tuple(userids))

    @classmethod
    def handlers(cls, userids: Sequence[str], apv_rel: int = 2) -> FlowNode:
        """A 办理 node (``type`` 3)."""
        return cls(3, tuple(userids), apv_rel)

    def to_wire(self) -> dict[str, Any]:
        """The node as WeCom's JSON."""
        node: dict[str, Any] = {"type": self.type}
        if self.apv_rel is not None:
            node["apv_rel"] = self.apv_rel
        node["userid"] = list(self.userid)
        return node


def wire_node(node: FlowNode | Mapping[str, Any]) -> dict[str, Any]:
    """A flow node as WeCom's JSON (a mapping is taken as already being so)."""
    return node.to_wire() if isinstance(node, FlowNode) else dict(node)


def wire_summary(line: str | Mapping[str, Any]) -> dict[str, Any]:
    """A summary line as WeCom's JSON (a string becomes a zh_CN line)."""
    return summary_line(line) if isinstance(line, str) else dict(line)
