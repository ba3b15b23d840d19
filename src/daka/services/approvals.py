"""审批 use cases: templates, filing a form (applyevent), listing and reading forms, and the
approver's step daka adds (approve, reject, revoke, delete).

Every decision that depends on other forms or on balances (the overlap check, the balance
check, the sp_no) is made inside the write transaction, under the corp's row lock, so two
concurrent forms are judged one after the other. An approval that starts or stops counting
moves the vacation balance and bumps the applicant's version in the same transaction, so
getcheckindata and explain see it at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from daka.domain import approvals as ap
from daka.domain.approvals import (
    LIVE,
    TIME_OFF_KINDS,
    Action,
    Approval,
    DayPlan,
    NodeType,
    RecordType,
    SpStatus,
    Template,
    TimeOff,
)
from daka.domain.calendar import date_range, day_start, local_date
from daka.domain.days import WorkDay
from daka.domain.errors import (
    ApprovalNotFound,
    ApprovalParamError,
    ApprovalStateInvalid,
    ApprovalTimeConflict,
    ApproverNotAllowed,
)
from daka.domain.overtime import (
    ApprovedOvertime,
    Conversion,
    DayConf,
    OvertimeMethod,
    day_category,
    overtime_day,
)
from daka.domain.vacations import DAY_UNIT, TimeAttr, Vacation, round_up
from daka.services import vacations
from daka.services.checkin import resolve_days
from daka.services.corpview import CorpView, locked_view
from daka.storage.store import Store
from daka.wire.approvals import (
    ApplyEventRequest,
    ApprovalListRequest,
    GetApprovalDetailRequest,
    GetApprovalInfoRequest,
    GetTemplateDetailRequest,
    TimeOffValue,
    approval_param,
    info_view,
    template_view,
)
from daka.wire.values import INT64, echo

MAX_RANGE_DAYS = 366


# -- templates --------------------------------------------------------------------------


def template_detail(view: CorpView, request: GetTemplateDetailRequest) -> dict[str, Any]:
    """gettemplatedetail."""
    body = view.template_bodies.get(request.template_id)
    if body is None:
        raise ApprovalParamError("param error: invalid template_id")
    return template_view(body)


def _template(view: CorpView, template_id: str) -> Template:
    template = view.templates.get(template_id)
    if template is None:
        raise ApprovalParamError(f"param error: invalid template_id {echo(template_id)}")
    return template


# -- filing a form ----------------------------------------------------------------------


def apply_event(store: Store, view: CorpView, request: ApplyEventRequest, now: int) -> str:
    """applyevent: check the form against its template and the corp, file it, and answer
    its sp_no. Nothing is written when anything is wrong."""
    template = _template(view, request.template_id)
    creator = request.creator_userid
    user = view.users.get(creator)
    if user is None:
        raise ApproverNotAllowed(f"creator_userid {echo(creator)} is not a member of the corp")
    department = _department(view, creator, request.choose_department)
    nodes = request.nodes if not request.use_template_approver else template.flow
    if not any(n.node_type is NodeType.APPROVER for n in nodes):
        raise approval_param(
            "use_template_approver", "the template has no approval flow configured in daka"
        )
    for node in nodes:
        for step in node.steps:
            if step.userid not in view.users:
                raise approval_param("process", f"userid {echo(step.userid)} is not in the corp")
    contents = _check_contents(template, request)

    def write(conn: Connection) -> str:
        current = locked_view(store, conn, view)
        time_off = None
        if request.time_off is not None:
            time_off = _time_off(conn, store, current, template, creator, request.time_off)
            _check_conflicts(conn, store, current, creator, time_off)
            _check_balance(conn, store, current, creator, time_off)
        approval = Approval(
            sp_no=_next_sp_no(conn, store, current, now),
            template_id=template.template_id,
            sp_name=template.name,
            creator=creator,
            department=department,
            apply_time=now,
            status=SpStatus.PENDING,
            nodes=nodes,
            contents=tuple(contents),
            summary=request.summary,
            time_off=time_off,
            notify_type=request.notify_type,
            history=(ap.Event(Action.APPLY, creator, now),),
        )
        store.save_approval(conn, current.corp.id, approval, now)
        return approval.sp_no

    return store.transaction(write)


def _department(view: CorpView, userid: str, chosen: int | None) -> int:
    departments = view.users[userid].department_ids
    if chosen is not None:
        if chosen not in departments:
            raise approval_param("choose_department", f"{chosen} is not a department of {userid}")
        return chosen
    return departments[0] if departments else 0


def _check_contents(template: Template, request: ApplyEventRequest) -> list[dict[str, Any]]:
    given = {c.id: c for c in request.contents}
    for c in request.contents:
        spec = template.control(c.id)
        if spec is None:
            raise ApprovalParamError(f"get approval param error:invalid control id {echo(c.id)}")
        if spec.control != c.control:
            raise approval_param(f"control {c.id}", f"is a {spec.control}, not a {c.control}")
    for spec in template.controls:
        if spec.require and (spec.id not in given or not given[spec.id].filled):
            raise approval_param(f"control {spec.id}", f"({spec.title}) is required")
    if template.kind is not RecordType.NONE and request.time_off is None:
        raise approval_param("apply_data", f"the {template.kind.label} control is required")
    titles = {c.id: c.title for c in template.controls}
    return [
        {
            "control": c.control,
            "id": c.id,
            "title": [{"text": titles[c.id], "lang": "zh_CN"}],
            "value": dict(c.value),
        }
        for c in request.contents
    ]


def _time_off(
    conn: Connection,
    store: Store,
    view: CorpView,
    template: Template,
    creator: str,
    value: TimeOffValue,
) -> TimeOff:
    """The form's 假勤 value checked against the template, the vacation and the applicant's
    days, with its per-day split (the form's own, or computed)."""
    where = f"control {value.control_id}"
    if value.kind is not template.kind:
        raise approval_param(where, f"must be a {template.kind.label} value for this template")
    if template.range_type is not None and value.range_type is not template.range_type:
        raise approval_param(f"{where} date_range.type", f"must be {template.range_type.value}")
    vacation: Vacation | None = None
    if value.kind is RecordType.LEAVE:
        vacation = view.vacations.get(value.vacation_id or 0)
        if vacation is None or (
            template.vacation_ids and value.vacation_id not in template.vacation_ids
        ):
            raise approval_param(f"{where} vacation.selector", f"no vacation {value.vacation_id}")
    tz = view.tz
    first, last = local_date(value.begin, tz), local_date(value.end, tz)
    if (last - first).days >= MAX_RANGE_DAYS:
        raise approval_param(f"{where} date_range", f"may span at most {MAX_RANGE_DAYS} days")
    if value.range_type is not ap.RangeType.HOUR:
        allowed = (0, 43_200) if value.range_type is ap.RangeType.HALFDAY else (0,)
        for name, t in (("new_begin", value.begin), ("new_end", value.end)):
            day = local_date(t, tz)
            if t - day_start(day, tz) not in allowed:
                points = "00:00 or 12:00" if len(allowed) == 2 else "00:00"
                raise approval_param(f"{where} date_range.{name}", f"must be a day's {points}")
    plans = _day_plans(conn, store, view, creator, first, last)
    start, stop = ap.span_of(value.range_type, value.begin, value.end, plans)
    ap.check_overtime_span(value.kind, start, stop)
    if value.slices is not None:
        slices = _check_slices(value, plans, where)
        state = 2
    else:
        slices = ap.split_days(value.kind, value.range_type, start, stop, plans, vacation)
        state = 1
    if not any(s.duration for s in slices):
        raise approval_param(f"{where} date_range", "covers no time to count")
    return TimeOff(
        kind=value.kind,
        range_type=value.range_type,
        begin=value.begin,
        end=value.end,
        start=start,
        stop=stop,
        slices=slices,
        slice_state=state,
        vacation_id=vacation.id if vacation is not None else None,
        vacation_name=vacation.name if vacation is not None else "",
        time_attr=vacation.time_attr if vacation is not None else TimeAttr.DAYS,
    )


def _check_slices(
    value: TimeOffValue, plans: Sequence[DayPlan], where: str
) -> tuple[ap.DaySlice, ...]:
    assert value.slices is not None
    starts = {p.start for p in plans}
    grain = ap.slice_grain(value.kind, value.range_type)
    seen: set[int] = set()
    for i, s in enumerate(value.slices):
        field = f"{where} slice_info.day_items[{i}]"
        if s.daytime not in starts:
            raise approval_param(f"{field}.daytime", "must be the 0:00 of a day in the range")
        if s.daytime in seen:
            raise approval_param(f"{field}.daytime", "is given twice")
        seen.add(s.daytime)
        if s.duration % grain:
            raise approval_param(f"{field}.duration", f"must be a multiple of {grain}")
    return tuple(sorted(value.slices, key=lambda s: s.daytime))


def _day_plans(
    conn: Connection, store: Store, view: CorpView, userid: str, first: date, last: date
) -> list[DayPlan]:
    """The applicant's days from ``first`` to ``last``: workday or not, scheduled work."""
    days = resolve_days(conn, store, view, [userid], date_range(first, last))[userid]
    plans = []
    for wd in days:
        nxt = day_start(date.fromordinal(wd.date.toordinal() + 1), view.tz)
        segments: tuple[tuple[int, int], ...] = ()
        if wd.plan is not None:
            segments = tuple(
                (wd.start + s.work_sec, wd.start + s.off_work_sec) for s in wd.plan.slots
            )
        plans.append(DayPlan(wd.start, nxt - wd.start, not wd.rest, segments))
    return plans


def _check_conflicts(
    conn: Connection, store: Store, view: CorpView, userid: str, time_off: TimeOff
) -> None:
    others = store.approvals_of(
        conn,
        view.corp.id,
        [userid],
        time_off.start,
        time_off.stop,
        statuses=LIVE,
        kinds=TIME_OFF_KINDS,
    )[userid]
    if others:
        raise ApprovalTimeConflict(
            f"approval attendance time conflict: overlaps {others[0].sp_no} of {userid}"
        )


def _check_balance(
    conn: Connection, store: Store, view: CorpView, userid: str, time_off: TimeOff
) -> None:
    if time_off.kind is not RecordType.LEAVE or time_off.vacation_id is None:
        return
    vacation = view.vacations[time_off.vacation_id]
    if not vacation.limited or vacation.allow_overdraft:
        return
    left = vacations.balance(store, conn, view.corp.id, userid, vacation.id).left
    if left < time_off.duration:
        unit = "天" if vacation.time_attr == 0 else "小时"
        raise approval_param(
            f"vacation {vacation.id}",
            f"balance is not enough: {left / vacation.unit:g}{unit} left, "
            f"{time_off.duration / vacation.unit:g}{unit} asked",
        )


def _next_sp_no(conn: Connection, store: Store, view: CorpView, now: int) -> str:
    """``YYYYMMDDnnnn``: the day the form is filed and its number that day in the corp."""
    prefix = datetime.fromtimestamp(now, view.tz).strftime("%Y%m%d")
    last = store.last_sp_no(conn, view.corp.id, prefix)
    # WeCom's numbers are 12 digits; a corp filing over 9999 forms a day gets longer ones.
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:04d}"


# -- reading ----------------------------------------------------------------------------


def approval_info(store: Store, view: CorpView, request: GetApprovalInfoRequest) -> dict[str, Any]:
    """getapprovalinfo: one page of sp_nos, with ``new_next_cursor`` while more remain."""
    f = request.filters
    departments = [int(d) for d in f.get("department", ())]
    with store.read() as conn:
        numbers = store.approval_numbers(
            conn,
            view.corp.id,
            request.starttime,
            request.endtime,
            after=_cursor(request.cursor),
            offset=request.legacy_offset or 0,
            limit=request.size + 1,
            template_ids=f.get("template_id", ()),
            creators=f.get("creator", ()),
            departments=_with_subdepartments(view, departments),
            statuses=[int(s) for s in f.get("sp_status", ())],
            record_types=[int(r) for r in f.get("record_type", ())],
        )
    page, more = numbers[: request.size], len(numbers) > request.size
    answer: dict[str, Any] = {"sp_no_list": [sp_no for _, sp_no in page]}
    if more:
        answer["new_next_cursor"] = f"{page[-1][0]}_{page[-1][1]}"
        if request.legacy_offset is not None:
            answer["next_cursor"] = request.legacy_offset + len(page)
    return answer


def _cursor(text: str) -> tuple[int, str] | None:
    """The form a ``new_cursor`` names: ``<apply_time>_<sp_no>`` of the last one answered."""
    if not text:
        return None
    at, _, sp_no = text.partition("_")
    if not (at.isascii() and at.isdigit() and sp_no.isascii() and sp_no.isdigit()):
        raise approval_param("new_cursor", "must be the new_next_cursor of the last answer")
    # An apply_time beyond int64 names no form, and the databases cannot compare with it.
    if len(at) > INT64.max_chars or int(at) > INT64.hi:
        raise approval_param("new_cursor", "must be the new_next_cursor of the last answer")
    return int(at), sp_no


def _with_subdepartments(view: CorpView, departments: Sequence[int]) -> list[int]:
    """A department filter matches forms filed for the department or one beneath it."""
    if not departments:
        return []
    children: dict[int, list[int]] = {}
    for d in view.departments.values():
        children.setdefault(d.parent_id, []).append(d.id)
    found, todo = set(departments), list(departments)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return sorted(found)


def approval_detail(
    store: Store, view: CorpView, request: GetApprovalDetailRequest
) -> dict[str, Any]:
    """getapprovaldetail."""
    with store.read() as conn:
        approval = store.approval(conn, view.corp.id, request.sp_no)
    if approval is None:
        raise ApprovalNotFound(f"approval not found: sp_no {echo(request.sp_no)}")
    return {"info": info_view(approval)}


def get_approval(store: Store, view: CorpView, sp_no: str) -> Approval:
    with store.read() as conn:
        approval = store.approval(conn, view.corp.id, sp_no)
    if approval is None:
        raise ApprovalNotFound(f"approval not found: sp_no {echo(sp_no)}")
    return approval


# -- the approver's step ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """An action on an approval, as daka's CLI and /api/approvals take it."""

    sp_no: str
    action: Action
    userid: str | None = None  # who acts; None: the one approver waited for, or the applicant
    speech: str = ""


def act(store: Store, view: CorpView, decision: Decision, now: int) -> Approval:
    """Approve, reject, revoke or delete an approval; moves the balance and the days it
    covers when it starts or stops counting. Returns the approval as it now is."""

    def write(conn: Connection) -> Approval:
        current = locked_view(store, conn, view)
        corp_id = current.corp.id
        old = store.approval(conn, corp_id, decision.sp_no, for_update=True)
        if old is None:
            raise ApprovalNotFound(f"approval not found: sp_no {echo(decision.sp_no)}")
        userid = decision.userid or _default_actor(old, decision.action)
        if userid not in current.users:
            raise ApproverNotAllowed(f"{echo(userid)} is not a member of the corp")
        if decision.action is Action.REVOKE and userid != old.creator:
            # Only the applicant withdraws a form (撤销), as in WeCom's app.
            raise ApproverNotAllowed(
                f"only the applicant {old.creator} may revoke approval {old.sp_no}"
            )
        new = _apply(old, decision.action, userid, now, decision.speech)
        if new.counts != old.counts:
            _move_effects(conn, store, current, new, starts=new.counts, now=now)
        store.save_approval(conn, corp_id, new, now)
        return new

    return store.transaction(write)


def _default_actor(approval: Approval, action: Action) -> str:
    if action in (Action.REVOKE, Action.DELETE):
        return approval.creator
    if approval.status is not SpStatus.PENDING:
        raise ApprovalStateInvalid(
            f"approval {approval.sp_no} is not pending (sp_status {int(approval.status)})"
        )
    waiting = approval.waiting_for()
    if len(waiting) != 1:
        who = ", ".join(waiting) or "nobody"
        raise ApproverNotAllowed(
            f"approval {approval.sp_no} waits for {who}: name the approver who acts"
        )
    return waiting[0]


def _apply(approval: Approval, action: Action, userid: str, now: int, speech: str) -> Approval:
    if action is Action.APPROVE:
        return ap.approve(approval, userid, now, speech)
    if action is Action.REJECT:
        return ap.reject(approval, userid, now, speech)
    if action is Action.REVOKE:
        return ap.revoke(approval, userid, now, speech)
    if action is Action.DELETE:
        return ap.delete(approval, userid, now, speech)
    raise ApprovalParamError(f"unknown action {action}")


def _move_effects(
    conn: Connection, store: Store, view: CorpView, approval: Approval, *, starts: bool, now: int
) -> None:
    """Charge (or return) the vacation balance and re-evaluate the covered days."""
    off = approval.time_off
    if off is None:
        return
    if off.kind is RecordType.LEAVE and off.vacation_id is not None:
        vacation = view.vacations.get(off.vacation_id)
        if vacation is not None:
            move = vacations.charge if starts else vacations.refund
            move(
                store,
                conn,
                view.corp.id,
                approval.creator,
                vacation,
                off.duration,
                sp_no=approval.sp_no,
                now=now,
            )
    if off.kind is RecordType.OVERTIME:
        credit = (
            overtime_credit(conn, store, view, approval)
            if starts
            else _credited(conn, store, view, approval)
        )
        if credit is not None:
            vacation, amount = credit
            move_credit = vacations.credit if starts else vacations.debit
            move_credit(
                store,
                conn,
                view.corp.id,
                approval.creator,
                vacation,
                amount,
                reason="overtime",
                sp_no=approval.sp_no,
                now=now,
            )
    # The applicant's days read approvals: their cached rows must go.
    store.bump_user_versions(conn, view.corp.id, [approval.creator])


def _credited(
    conn: Connection, store: Store, view: CorpView, approval: Approval
) -> tuple[Vacation, int] | None:
    """What approving this overtime credited (from the ledger), to take back exactly that
    even if the rule's overtime settings have changed since."""
    vacation = view.overtime_vacation
    if vacation is None:
        return None
    entries = vacations.ledger(store, conn, view.corp.id, approval.creator, vacation.id)
    amount = sum(e.change for e in entries if e.sp_no == approval.sp_no and e.reason == "overtime")
    return (vacation, amount) if amount > 0 else None


def overtime_credit(
    conn: Connection, store: Store, view: CorpView, approval: Approval
) -> tuple[Vacation, int] | None:
    """The 调休 an approved overtime credits, and to which vacation (``is_newovertime``).

    Each slice day counts under the applicant's rule (and, under a shift rule, schedule) of
    that day, by its kind (工作日, 休息日, 节假日), when that kind's conf counts approvals only
    (method 2) and converts to 调休 with ``sync_vacation``: its converted amount (rest,
    rounding and ratio as the day report has them). Methods 0 and 1 depend on punches not
    made yet, so they credit nothing here (services.overtime.settle_day credits them once the
    day is over). The total is in the vacation's unit (a day of 调休
    is ``perday_duration`` of overtime), rounded up to its grain; None when nothing is
    credited."""
    off = approval.time_off
    vacation = view.overtime_vacation
    if off is None or vacation is None or not off.slices:
        return None
    dates = [local_date(s.daytime, view.tz) for s in off.slices]
    resolved = resolve_days(
        conn, store, view, [approval.creator], date_range(min(dates), max(dates))
    )
    workdays = {w.date: w for w in resolved[approval.creator]}
    earned = sum(
        _slice_credit(view, workdays[d], off, s.duration)
        for d, s in zip(dates, off.slices, strict=True)
    )
    if earned <= 0:
        return None
    return vacation, in_vacation_unit(vacation, earned)


def in_vacation_unit(vacation: Vacation, seconds: int) -> int:
    """Seconds of 调休 in the vacation's unit (a day of 调休 is ``perday_duration`` of
    overtime), rounded up to its grain."""
    if vacation.time_attr is TimeAttr.DAYS:
        seconds = seconds * DAY_UNIT // max(1, vacation.perday_duration)
    return round_up(seconds, vacation.grain)


def credits_tiaoxiu(conf: DayConf) -> bool:
    """Whether a kind of day's overtime converts into 调休 credited to the balance."""
    return conf.convert and conf.conversion is Conversion.VACATION and conf.sync_vacation


def _slice_credit(view: CorpView, workday: WorkDay, off: TimeOff, duration: int) -> int:
    """Seconds of 调休 one day's slice of an overtime form converts into (0 if none)."""
    rule = workday.rule
    if rule is None or rule.overtime is None:
        return 0
    holiday = view.holidays.facts(workday.date)
    category = day_category(workday.rest, holiday.holiday)
    conf = rule.overtime.conf(category)
    if conf.method is not OvertimeMethod.APPROVAL or not credits_tiaoxiu(conf):
        return 0
    day_stop = day_start(workday.date + timedelta(days=1), view.tz)  # DST: not always 86,400 s
    share = ApprovedOvertime(max(off.start, workday.start), min(off.stop, day_stop), duration)
    return overtime_day(rule.overtime, category, [], [share], day_start=workday.start).as_vacation


# -- what evaluation needs ----------------------------------------------------------------


def covering(
    conn: Connection, store: Store, view: CorpView, userid: str, start: int, stop: int
) -> list[Approval]:
    """The user's approvals (any state) whose span meets ``[start, stop)`` (for explain)."""
    return store.approvals_of(
        conn, view.corp.id, [userid], start, stop, statuses=tuple(SpStatus), kinds=TIME_OFF_KINDS
    )[userid]


def list_approvals(
    store: Store, view: CorpView, request: ApprovalListRequest
) -> list[dict[str, Any]]:
    """Forms filed in the request's range (``daka approval list``, ``GET /api/approvals``)."""
    statuses = [request.sp_status] if request.sp_status is not None else []
    creators = [request.creator] if request.creator else []
    found: list[Approval] = []
    after: tuple[int, str] | None = None
    with store.read() as conn:
        while True:
            page = store.approval_numbers(
                conn,
                view.corp.id,
                request.starttime,
                request.endtime,
                after=after,
                limit=500,
                creators=creators,
                statuses=statuses,
            )
            for _, sp_no in page:
                approval = store.approval(conn, view.corp.id, sp_no)
                if approval is not None:
                    found.append(approval)
            if len(page) < 500:
                break
            after = page[-1]
    return summary_rows(found)


def summary_rows(approvals: Sequence[Approval]) -> list[dict[str, Any]]:
    """One line per approval, for ``daka approval list`` and /api/approvals."""
    return [
        {
            "sp_no": a.sp_no,
            "sp_name": a.sp_name,
            "creator": a.creator,
            "sp_status": int(a.status),
            "record_type": int(a.record_type),
            "begin": a.time_off.start if a.time_off else None,
            "end": a.time_off.stop if a.time_off else None,
            "duration": a.time_off.duration if a.time_off else 0,
            "waiting_for": list(a.waiting_for()),
        }
        for a in approvals
    ]
