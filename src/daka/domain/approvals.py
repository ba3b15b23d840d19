"""Approvals (审批) as far as 假勤 needs them: what an approval is, how it moves through
WeCom's states, what time it covers and how that time splits over days.

Everything here is a pure function over immutable values; the service layer loads and
stores approvals, and :mod:`daka.wire.approvals` reads and writes WeCom's shapes.

Only an approved approval (``sp_status`` 2) has an effect. Revoking (撤销 from 1, 通过后撤销
from 2) and deleting take that effect away again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum

from daka.domain.errors import ApprovalParamError, ApprovalStateInvalid, ApproverNotAllowed
from daka.domain.vacations import DAY_UNIT, HOUR_UNIT, DurationType, TimeAttr, Vacation, round_up

HALF_DAY = DAY_UNIT // 2
MAX_OVERTIME_SPAN = 7 * DAY_UNIT


class RecordType(IntEnum):
    """The 假勤 kind of an approval (getapprovalinfo ``record_type``; control ``type``)."""

    NONE = 0  # not a 假勤 form
    LEAVE = 1  # 请假
    CORRECTION = 2  # 补卡 (checkin/punch_correction, never applyevent)
    TRIP = 3  # 出差
    OUTING = 4  # 外出
    OVERTIME = 5  # 加班

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    RecordType.NONE: "",
    RecordType.LEAVE: "请假",
    RecordType.CORRECTION: "补卡",
    RecordType.TRIP: "出差",
    RecordType.OUTING: "外出",
    RecordType.OVERTIME: "加班",
}

# The kinds applyevent files (补卡 has its own endpoint); two live ones may not overlap.
TIME_OFF_KINDS = frozenset(
    {RecordType.LEAVE, RecordType.TRIP, RecordType.OUTING, RecordType.OVERTIME}
)
# Leave, trips and outings excuse the scheduled time they cover; overtime does not.
EXCUSING = frozenset({RecordType.LEAVE, RecordType.TRIP, RecordType.OUTING})


class SpStatus(IntEnum):
    """WeCom's ``sp_status`` of an approval."""

    PENDING = 1  # 审批中
    APPROVED = 2  # 已通过
    REJECTED = 3  # 已驳回
    REVOKED = 4  # 已撤销
    REVOKED_AFTER_APPROVAL = 6  # 通过后撤销
    DELETED = 7  # 已删除
    PAID = 10  # 已支付

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    SpStatus.PENDING: "审批中",
    SpStatus.APPROVED: "已通过",
    SpStatus.REJECTED: "已驳回",
    SpStatus.REVOKED: "已撤销",
    SpStatus.REVOKED_AFTER_APPROVAL: "通过后撤销",
    SpStatus.DELETED: "已删除",
    SpStatus.PAID: "已支付",
}


LIVE = frozenset({SpStatus.PENDING, SpStatus.APPROVED})
"""States in which an approval's 假勤 time is taken (a new one may not overlap it)."""


class RangeType(StrEnum):
    """``date_range.type``: the grain of a 假勤 time span."""

    HALFDAY = "halfday"  # 上午 (00:00) / 下午 (12:00) slots
    DAY = "day"  # whole days
    HOUR = "hour"  # to the minute


class NodeType(IntEnum):
    APPROVER = 1  # 审批人
    NOTIFY = 2  # 抄送人
    HANDLER = 3  # 办理人


class ApvRel(IntEnum):
    """How the approvers of one node decide (the new flow's ``apv_rel``)."""

    ALL = 1  # 会签: everyone must agree
    ANY = 2  # 或签: one agreement decides
    SEQUENTIAL = 3  # 依次审批: one after the other


class StepStatus(IntEnum):
    """An approver's (and a node's) state: ``sp_yj`` / the legacy ``sp_status``."""

    PENDING = 1  # 审批中
    AGREED = 2  # 已同意
    REJECTED = 3  # 已驳回


class Action(StrEnum):
    """What can happen to an approval."""

    APPLY = "apply"
    APPROVE = "approve"
    REJECT = "reject"
    REVOKE = "revoke"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class DaySlice:
    """One day's share of a 假勤 span: the day's local midnight and its unit-seconds."""

    daytime: int
    duration: int


@dataclass(frozen=True, slots=True)
class TimeOff:
    """The 假勤 value of an approval (a Vacation or Attendance control).

    ``begin``/``end`` are ``new_begin``/``new_end`` as the form gives them (for halfday and day
    ranges ``end`` names the last slot, inclusive); ``start``/``stop`` are the absolute
    half-open span they cover. ``slices`` are the per-day durations (unit-seconds) and
    ``slice_state`` 1 when daka computed them, 2 when the form gave them.
    """

    kind: RecordType
    range_type: RangeType
    begin: int
    end: int
    start: int
    stop: int
    slices: tuple[DaySlice, ...]
    slice_state: int = 1
    vacation_id: int | None = None
    vacation_name: str = ""
    time_attr: TimeAttr = TimeAttr.DAYS

    @property
    def duration(self) -> int:
        """The total, in unit-seconds: the sum of the slices."""
        return sum(s.duration for s in self.slices)

    def overlaps(self, start: int, stop: int) -> bool:
        return self.start < stop and start < self.stop


@dataclass(frozen=True, slots=True)
class Step:
    """One person in a flow node, and what they did."""

    userid: str
    status: StepStatus = StepStatus.PENDING
    speech: str = ""
    sptime: int = 0


@dataclass(frozen=True, slots=True)
class Node:
    """One node of an approval's flow."""

    node_type: NodeType
    apv_rel: ApvRel
    steps: tuple[Step, ...]

    @property
    def status(self) -> StepStatus:
        """The node's state, from its steps and how they decide."""
        states = [s.status for s in self.steps]
        if StepStatus.REJECTED in states:
            return StepStatus.REJECTED
        if self.node_type is not NodeType.APPROVER:
            return StepStatus.AGREED
        if self.apv_rel is ApvRel.ANY:
            agreed = StepStatus.AGREED in states
        else:
            agreed = all(s is StepStatus.AGREED for s in states)
        return StepStatus.AGREED if agreed else StepStatus.PENDING

    def waiting_for(self) -> tuple[str, ...]:
        """Who may act on this node now."""
        pending = [s for s in self.steps if s.status is StepStatus.PENDING]
        if self.apv_rel is ApvRel.SEQUENTIAL:
            return (pending[0].userid,) if pending else ()
        return tuple(s.userid for s in pending)


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened to an approval (its history, newest last)."""

    action: Action
    userid: str
    at: int
    speech: str = ""


@dataclass(frozen=True, slots=True)
class Approval:
    """One approval (审批单).

    ``contents`` and ``summary`` are the form's controls and summary lines as submitted
    (with the template's titles filled in): opaque here, echoed by getapprovaldetail.
    """

    sp_no: str
    template_id: str
    sp_name: str
    creator: str
    department: int
    apply_time: int
    status: SpStatus
    nodes: tuple[Node, ...]
    contents: tuple[object, ...] = ()
    summary: tuple[object, ...] = ()
    time_off: TimeOff | None = None
    notify_type: int = 1
    history: tuple[Event, ...] = ()

    @property
    def record_type(self) -> RecordType:
        return self.time_off.kind if self.time_off is not None else RecordType.NONE

    @property
    def counts(self) -> bool:
        """Whether the approval has its effect (only 已通过 does)."""
        return self.status is SpStatus.APPROVED

    def current_node(self) -> Node | None:
        """The first approver node still waiting, or None once all have agreed."""
        for node in self.nodes:
            if node.node_type is NodeType.APPROVER and node.status is StepStatus.PENDING:
                return node
        return None

    def waiting_for(self) -> tuple[str, ...]:
        """Who may approve or reject now (nobody unless 审批中)."""
        if self.status is not SpStatus.PENDING:
            return ()
        node = self.current_node()
        return node.waiting_for() if node is not None else ()


# -- the approval's life --------------------------------------------------------------


def _decide(approval: Approval, userid: str, at: int, speech: str, verdict: StepStatus) -> Approval:
    if approval.status is not SpStatus.PENDING:
        raise ApprovalStateInvalid(
            f"approval {approval.sp_no} is not pending (sp_status {int(approval.status)})"
        )
    node = approval.current_node()
    if node is None or userid not in node.waiting_for():
        waiting = ", ".join(approval.waiting_for()) or "nobody"
        raise ApproverNotAllowed(
            f"{userid} may not act on approval {approval.sp_no} now (waiting for {waiting})"
        )
    index = approval.nodes.index(node)
    steps = list(node.steps)
    position = next(
        i for i, s in enumerate(steps) if s.userid == userid and s.status is StepStatus.PENDING
    )
    steps[position] = Step(userid, verdict, speech, at)
    nodes = list(approval.nodes)
    nodes[index] = replace(node, steps=tuple(steps))
    decided = replace(approval, nodes=tuple(nodes))
    if verdict is StepStatus.REJECTED:
        status = SpStatus.REJECTED
    elif decided.current_node() is None:
        status = SpStatus.APPROVED
    else:
        status = SpStatus.PENDING
    action = Action.APPROVE if verdict is StepStatus.AGREED else Action.REJECT
    return replace(
        decided,
        status=status,
        history=(*approval.history, Event(action, userid, at, speech)),
    )


def approve(approval: Approval, userid: str, at: int, speech: str = "") -> Approval:
    """``userid`` agrees; the approval is 已通过 once every approver node has agreed."""
    return _decide(approval, userid, at, speech, StepStatus.AGREED)


def reject(approval: Approval, userid: str, at: int, speech: str = "") -> Approval:
    """``userid`` rejects: the approval is 已驳回."""
    return _decide(approval, userid, at, speech, StepStatus.REJECTED)


def revoke(approval: Approval, userid: str, at: int, speech: str = "") -> Approval:
    """Withdraw: 审批中 becomes 已撤销, 已通过 becomes 通过后撤销."""
    if approval.status is SpStatus.PENDING:
        status = SpStatus.REVOKED
    elif approval.status is SpStatus.APPROVED:
        status = SpStatus.REVOKED_AFTER_APPROVAL
    else:
        raise ApprovalStateInvalid(
            f"approval {approval.sp_no} cannot be revoked (sp_status {int(approval.status)})"
        )
    return replace(
        approval,
        status=status,
        history=(*approval.history, Event(Action.REVOKE, userid, at, speech)),
    )


def delete(approval: Approval, userid: str, at: int, speech: str = "") -> Approval:
    """Delete: the approval is 已删除 and, if it was approved, loses its effect."""
    if approval.status is SpStatus.DELETED:
        raise ApprovalStateInvalid(f"approval {approval.sp_no} is already deleted")
    return replace(
        approval,
        status=SpStatus.DELETED,
        history=(*approval.history, Event(Action.DELETE, userid, at, speech)),
    )


# -- the time an approval covers, and its per-day split --------------------------------


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What the per-day split needs to know of one of the applicant's days.

    ``start`` is the day's local midnight and ``length`` its seconds (86400 but on a clock
    change); ``workday`` follows the person's rule and schedule; ``segments`` are the
    scheduled work spans (absolute, half-open), empty on rest days and for free rules.
    """

    start: int
    length: int = DAY_UNIT
    workday: bool = True
    segments: tuple[tuple[int, int], ...] = ()

    @property
    def stop(self) -> int:
        return self.start + self.length


def span_of(
    range_type: RangeType, begin: int, end: int, days: Sequence[DayPlan]
) -> tuple[int, int]:
    """The half-open absolute span a range covers.

    ``days`` are the local days from ``begin``'s through ``end``'s. For a halfday range
    ``end`` names the last half-day slot (a time in it); for a day range, the last day.
    """
    if range_type is RangeType.HOUR:
        return begin, end
    last = days[-1]
    if range_type is RangeType.DAY:
        return days[0].start, last.stop
    noon = last.start + HALF_DAY
    return begin, (noon if end < noon else last.stop)


def _overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def split_days(
    kind: RecordType,
    range_type: RangeType,
    start: int,
    stop: int,
    days: Sequence[DayPlan],
    vacation: Vacation | None = None,
) -> tuple[DaySlice, ...]:
    """Each day's share of the span ``[start, stop)``, in unit-seconds, rounded up to the
    grain (0.1 day or 0.1 hour); days with no share are left out.

    - halfday and day ranges count 43200 per half day (an hour-based vacation: half its
      ``perday_duration``);
    - hour ranges count, for leave, the overlap with the day's scheduled work, or with the
      whole day (at most ``perday_duration``) where no work is scheduled; trips, outings and
      overtime count the wall-clock overlap;
    - a leave of a vacation counted in working days (``duration_type`` 1) skips rest days.
    """
    slices = []
    for day in days:
        if (
            kind is RecordType.LEAVE
            and vacation is not None
            and vacation.duration_type is DurationType.WORKING
            and not day.workday
        ):
            continue
        share = _share(kind, range_type, start, stop, day, vacation)
        if share > 0:
            slices.append(DaySlice(day.start, share))
    return tuple(slices)


def _share(
    kind: RecordType,
    range_type: RangeType,
    start: int,
    stop: int,
    day: DayPlan,
    vacation: Vacation | None,
) -> int:
    if kind is not RecordType.LEAVE:
        vacation = None  # only a leave is counted in its vacation's units
    hourly = vacation is not None and vacation.time_attr is TimeAttr.HOURS
    if range_type is not RangeType.HOUR:
        noon = day.start + HALF_DAY
        halves = (_overlap(start, stop, day.start, noon) > 0) + (
            _overlap(start, stop, noon, day.stop) > 0
        )
        if hourly and vacation is not None:
            return halves * round_up(vacation.perday_duration // 2, HOUR_UNIT // 10)
        return halves * HALF_DAY
    seconds = _overlap(start, stop, day.start, day.stop)
    if kind is RecordType.LEAVE and vacation is not None:
        if day.segments:
            seconds = sum(_overlap(start, stop, a, b) for a, b in day.segments)
        else:
            seconds = min(seconds, vacation.perday_duration)
        if not hourly:
            # A day-based vacation taken by the hour: hours of work as fractions of a day.
            return round_up(-(-seconds * DAY_UNIT // vacation.perday_duration), DAY_UNIT // 10)
    return round_up(seconds, HOUR_UNIT // 10)


def slice_grain(kind: RecordType, range_type: RangeType) -> int:
    """What a form's own ``slice_info`` durations must be multiples of."""
    if range_type is RangeType.HOUR:
        return HOUR_UNIT // 10
    return DAY_UNIT // 10 if kind is RecordType.OVERTIME else HALF_DAY


def check_overtime_span(kind: RecordType, start: int, stop: int) -> None:
    """Overtime may span at most seven days (WeCom's limit)."""
    if kind is RecordType.OVERTIME and stop - start > MAX_OVERTIME_SPAN:
        raise ApprovalParamError("get approval param error: overtime may span at most 7 days")


def excused_spans(approvals: Sequence[Approval]) -> tuple[tuple[int, int], ...]:
    """The spans approved leave, trips and outings excuse, merged and ordered."""
    spans = sorted(
        (a.time_off.start, a.time_off.stop)
        for a in approvals
        if a.counts and a.time_off is not None and a.time_off.kind in EXCUSING
    )
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return tuple(merged)


# -- templates ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ControlSpec:
    """One control of a template: its type, id, title and whether it must be filled."""

    control: str
    id: str
    title: str
    require: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    """An approval template (模板) as applyevent checks forms against it.

    ``kind`` is its 假勤 control's kind (NONE without one; a template has at most one),
    ``range_type`` that control's grain and ``vacation_ids`` the vacations a 请假 form may
    pick. ``flow`` is the approval flow configured for the template (used when a form asks
    for ``use_template_approver`` 1).
    """

    template_id: str
    name: str
    controls: tuple[ControlSpec, ...]
    kind: RecordType = RecordType.NONE
    range_type: RangeType | None = None
    vacation_ids: tuple[int, ...] = ()
    flow: tuple[Node, ...] = ()
    notify_type: int = 1

    def control(self, control_id: str) -> ControlSpec | None:
        return next((c for c in self.controls if c.id == control_id), None)

    @property
    def time_off_control(self) -> ControlSpec | None:
        return next((c for c in self.controls if c.control in TIME_OFF_CONTROLS), None)


TIME_OFF_CONTROLS = frozenset({"Vacation", "Attendance"})
