"""Approvals and templates in the database, and the codec of the approval body.

The body is daka's own JSON of :class:`daka.domain.approvals.Approval` (not WeCom's detail
shape, which :mod:`daka.wire.approvals` renders from the value). The indexed columns
(creator, status, kind, span) are what the list, the overlap check and evaluation query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.engine import Connection

from daka.domain.approvals import (
    EXCUSING,
    Action,
    Approval,
    ApvRel,
    DaySlice,
    Event,
    Node,
    NodeType,
    RangeType,
    RecordType,
    SpStatus,
    Step,
    StepStatus,
    TimeOff,
)
from daka.domain.vacations import TimeAttr
from daka.storage import tables as t

# -- the codec --------------------------------------------------------------------------


def _time_off_record(o: TimeOff) -> dict[str, Any]:
    return {
        "kind": int(o.kind),
        "range_type": o.range_type.value,
        "begin": o.begin,
        "end": o.end,
        "start": o.start,
        "stop": o.stop,
        "slices": [[s.daytime, s.duration] for s in o.slices],
        "slice_state": o.slice_state,
        "vacation_id": o.vacation_id,
        "vacation_name": o.vacation_name,
        "time_attr": int(o.time_attr),
    }


def _time_off(d: Mapping[str, Any]) -> TimeOff:
    return TimeOff(
        kind=RecordType(d["kind"]),
        range_type=RangeType(d["range_type"]),
        begin=d["begin"],
        end=d["end"],
        start=d["start"],
        stop=d["stop"],
        slices=tuple(DaySlice(a, b) for a, b in d["slices"]),
        slice_state=d["slice_state"],
        vacation_id=d["vacation_id"],
        vacation_name=d["vacation_name"],
        time_attr=TimeAttr(d["time_attr"]),
    )


def node_record(n: Node) -> dict[str, Any]:
    return {
        "type": int(n.node_type),
        "apv_rel": int(n.apv_rel),
        "steps": [[s.userid, int(s.status), s.speech, s.sptime] for s in n.steps],
    }


def node_from_record(d: Mapping[str, Any]) -> Node:
    return Node(
        NodeType(d["type"]),
        ApvRel(d["apv_rel"]),
        tuple(Step(u, StepStatus(st), sp, at) for u, st, sp, at in d["steps"]),
    )


def approval_record(a: Approval) -> bytes:
    """The stored body of an approval."""
    return orjson.dumps(
        {
            "sp_no": a.sp_no,
            "template_id": a.template_id,
            "sp_name": a.sp_name,
            "creator": a.creator,
            "department": a.department,
            "apply_time": a.apply_time,
            "status": int(a.status),
            "nodes": [node_record(n) for n in a.nodes],
            "contents": list(a.contents),
            "summary": list(a.summary),
            "time_off": _time_off_record(a.time_off) if a.time_off is not None else None,
            "notify_type": a.notify_type,
            "history": [[e.action.value, e.userid, e.at, e.speech] for e in a.history],
        }
    )


def approval_from_record(body: str | bytes) -> Approval:
    """The approval a stored body holds."""
    d = orjson.loads(body)
    return Approval(
        sp_no=d["sp_no"],
        template_id=d["template_id"],
        sp_name=d["sp_name"],
        creator=d["creator"],
        department=d["department"],
        apply_time=d["apply_time"],
        status=SpStatus(d["status"]),
        nodes=tuple(node_from_record(n) for n in d["nodes"]),
        contents=tuple(d["contents"]),
        summary=tuple(d["summary"]),
        time_off=_time_off(d["time_off"]) if d["time_off"] is not None else None,
        notify_type=d["notify_type"],
        history=tuple(Event(Action(a), u, at, sp) for a, u, at, sp in d["history"]),
    )


# -- the store --------------------------------------------------------------------------


class ApprovalStore:
    """The approval and template methods of :class:`daka.storage.store.Store`."""

    def _upsert(
        self, conn: Connection, table: Any, values: Mapping[str, Any], keys: Sequence[str]
    ) -> None:
        raise NotImplementedError  # provided by Store

    def replace_templates(
        self, conn: Connection, corp_id: int, bodies: Mapping[str, Mapping[str, Any]]
    ) -> None:
        """Upsert the corp's templates (template_id → stored body), in key order."""
        for template_id in sorted(bodies):
            self._upsert(
                conn,
                t.approval_templates,
                {
                    "corp_id": corp_id,
                    "template_id": template_id,
                    "body": orjson.dumps(bodies[template_id]).decode(),
                },
                ("corp_id", "template_id"),
            )

    def templates(self, conn: Connection, corp_id: int) -> dict[str, dict[str, Any]]:
        rows = conn.execute(
            select(t.approval_templates.c.template_id, t.approval_templates.c.body)
            .where(t.approval_templates.c.corp_id == corp_id)
            .order_by(t.approval_templates.c.template_id)
        )
        return {r.template_id: orjson.loads(r.body) for r in rows}

    def last_sp_no(self, conn: Connection, corp_id: int, prefix: str) -> str | None:
        """The highest sp_no of the corp starting with ``prefix`` (a day's YYYYMMDD),
        longer numbers counting higher (a day's 10000th form has five digits)."""
        c = t.approvals.c
        found = conn.execute(
            select(c.sp_no)
            .where(and_(c.corp_id == corp_id, c.sp_no.like(prefix + "%")))
            .order_by(func.length(c.sp_no).desc(), c.sp_no.desc())
            .limit(1)
        ).scalar()
        return str(found) if found is not None else None

    def save_approval(self, conn: Connection, corp_id: int, a: Approval, now: int) -> None:
        """Insert or replace an approval."""
        off = a.time_off
        self._upsert(
            conn,
            t.approvals,
            {
                "corp_id": corp_id,
                "sp_no": a.sp_no,
                "template_id": a.template_id,
                "creator": a.creator,
                "department": a.department,
                "apply_time": a.apply_time,
                "sp_status": int(a.status),
                "record_type": int(a.record_type),
                "begin_at": off.start if off is not None else None,
                "end_at": off.stop if off is not None else None,
                "body": approval_record(a).decode(),
                "updated_at": now,
            },
            ("corp_id", "sp_no"),
        )

    def approval(
        self, conn: Connection, corp_id: int, sp_no: str, *, for_update: bool = False
    ) -> Approval | None:
        c = t.approvals.c
        query = select(c.body).where(and_(c.corp_id == corp_id, c.sp_no == sp_no))
        if for_update and conn.dialect.name == "postgresql":
            query = query.with_for_update()
        body = conn.execute(query).scalar()
        return approval_from_record(body) if body is not None else None

    def approval_numbers(
        self,
        conn: Connection,
        corp_id: int,
        start: int,
        end: int,
        *,
        after: tuple[int, str] | None = None,
        offset: int = 0,
        limit: int = 100,
        template_ids: Sequence[str] = (),
        creators: Sequence[str] = (),
        departments: Sequence[int] = (),
        statuses: Sequence[int] = (),
        record_types: Sequence[int] = (),
    ) -> list[tuple[int, str]]:
        """(apply_time, sp_no) of forms submitted in ``[start, end]``, in filing order,
        after the form ``after`` names (its apply_time and sp_no)."""
        c = t.approvals.c
        where = [c.corp_id == corp_id, c.apply_time >= start, c.apply_time <= end]
        length = func.length(c.sp_no)
        if after is not None:
            at, sp_no = after
            where.append(
                or_(
                    c.apply_time > at,
                    and_(
                        c.apply_time == at,
                        or_(length > len(sp_no), and_(length == len(sp_no), c.sp_no > sp_no)),
                    ),
                )
            )
        if template_ids:
            where.append(c.template_id.in_(template_ids))
        if creators:
            where.append(c.creator.in_(creators))
        if departments:
            where.append(c.department.in_(departments))
        if statuses:
            where.append(c.sp_status.in_(statuses))
        if record_types:
            where.append(c.record_type.in_(record_types))
        rows = conn.execute(
            select(c.apply_time, c.sp_no)
            .where(and_(*where))
            .order_by(c.apply_time, length, c.sp_no)
            .offset(offset)
            .limit(limit)
        )
        return [(int(r.apply_time), str(r.sp_no)) for r in rows]

    def approvals_of(
        self,
        conn: Connection,
        corp_id: int,
        userids: Iterable[str],
        start: int,
        stop: int,
        *,
        statuses: Iterable[SpStatus] = (SpStatus.APPROVED,),
        kinds: Iterable[RecordType] = EXCUSING,
    ) -> dict[str, list[Approval]]:
        """Each user's 假勤 approvals in ``statuses`` of ``kinds`` whose span meets
        ``[start, stop)``, ordered by span."""
        users = sorted(set(userids))
        out: dict[str, list[Approval]] = {u: [] for u in users}
        if not users:
            return out
        c = t.approvals.c
        rows = conn.execute(
            select(c.creator, c.body)
            .where(
                and_(
                    c.corp_id == corp_id,
                    c.creator.in_(users),
                    c.sp_status.in_([int(s) for s in statuses]),
                    c.record_type.in_([int(k) for k in kinds]),
                    c.begin_at < stop,
                    c.end_at > start,
                )
            )
            .order_by(c.creator, c.begin_at, c.sp_no)
        )
        for r in rows:
            out[r.creator].append(approval_from_record(r.body))
        return out

    def recent_approvals(
        self,
        conn: Connection,
        corp_id: int,
        since: int,
        *,
        creators: Sequence[str] | None = None,
        status: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Approval]:
        """Forms filed at or after ``since`` (of ``creators`` and in ``status`` when given),
        pending first, then newest first: one page of the console's list, in one query."""
        c = t.approvals.c
        where = [c.corp_id == corp_id, c.apply_time >= since]
        if creators is not None:
            where.append(c.creator.in_(list(creators)))
        if status is not None:
            where.append(c.sp_status == status)
        pending_first = case((c.sp_status == int(SpStatus.PENDING), 0), else_=1)
        rows = conn.execute(
            select(c.body)
            .where(and_(*where))
            .order_by(pending_first, c.apply_time.desc(), c.sp_no.desc())
            .limit(limit)
            .offset(offset)
        )
        return [approval_from_record(body) for (body,) in rows]

    def set_approval_status(self, conn: Connection, corp_id: int, a: Approval, now: int) -> None:
        c = t.approvals.c
        conn.execute(
            update(t.approvals)
            .where(and_(c.corp_id == corp_id, c.sp_no == a.sp_no))
            .values(sp_status=int(a.status), body=approval_record(a).decode(), updated_at=now)
        )
