"""补卡: punch_correction (docs/wecom-api.md §10), under the rule's correction policy.

A correction is stored as a punch (source ``CORRECTION``, with its remark) at ``checkin_time``
and then evaluated like any other, so it is judged normal, late or early like a real punch.

Checks, in order, and the errcode of each (docs/wecom-api.md names the codes but not every
mapping; this is daka's decision, documented in docs/api.md):

- userid unknown → 301021; remark over 512 bytes or wrong types → 40058
- ``schedule_date_time`` not a local midnight → 301082; ``checkin_time`` in the future → 301083
- the day is no workday under the rule (and rest-day punching is off) → 301082
- ``schedule_checkin_time`` names no slot point of that day → 301080
- ``checkin_time`` outside that point's punch window (or outside the day) → 301081
- the rule does not allow 补卡 (``allow_apply_offworkday`` false) → 301099
- ``buka_restriction`` forbids the exception being corrected: 缺卡 301101, 迟到 301102,
  早退 301103, other exceptions 301104
- over ``allow_apply_bk_cnt`` this month, past ``allow_apply_bk_day_limit`` days, or after day
  ``buka_limit_next_month`` of the next month → 301105
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Connection

from daka.domain.calendar import day_start, local_date
from daka.domain.corrections import Corrected, check_correction, next_month
from daka.domain.errors import (
    CheckinParamInvalid,
    CorrectionDateInvalid,
    CorrectionPointInvalid,
    CorrectionTimeInvalid,
    UserNotFoundInCorp,
)
from daka.domain.evaluation import Anomaly, CheckinType, Row, SlotInstance
from daka.domain.punches import DeviceType, Punch, PunchSource
from daka.domain.rules import RuleKind
from daka.services.checkin import evaluate_day
from daka.services.corpview import CorpView, locked_view
from daka.storage.store import Store
from daka.wire.requests import MAX_REMARK_BYTES, PunchCorrectionRequest
from daka.wire.values import echo

__all__ = ["MAX_REMARK_BYTES", "punch_correction"]


def _point_state(rows: list[Row], inst: SlotInstance, on_point: bool) -> Corrected:
    """What is being corrected at a slot point."""
    wanted = CheckinType.ON_DUTY if on_point else CheckinType.OFF_DUTY
    for row in rows:
        if row.timeline_id == inst.timeline_id and row.checkin_type is wanted:
            if Anomaly.MISSING in row.anomalies:
                return Corrected.MISSING
            if Anomaly.TIME in row.anomalies:
                return Corrected.LATE if on_point else Corrected.EARLY
            return Corrected.OTHER
    return Corrected.MISSING  # a point whose window has not closed yet has no row: still missing


def punch_correction(
    store: Store, view: CorpView, request: PunchCorrectionRequest, now: int
) -> None:
    """punch_correction: add a corrected punch for one slot point (or a rest/free day)."""
    userid = request.userid
    if userid not in view.users:
        raise UserNotFoundInCorp(f"invalid userid: {echo(userid)}")
    schedule_date = request.schedule_date_time
    point_sec = request.schedule_checkin_time
    checkin_time = request.checkin_time
    remark = request.remark
    day = local_date(schedule_date, view.tz)
    if day_start(day, view.tz) != schedule_date:
        raise CorrectionDateInvalid("invalid schedule_date_time: must be a day's 0:00")
    if checkin_time > now:
        raise CheckinParamInvalid("invalid checkin_time: in the future")

    store.transaction(
        lambda conn: _correct(
            conn,
            store,
            locked_view(store, conn, view),
            userid,
            day,
            point_sec,
            checkin_time,
            remark,
            now,
        )
    )


def _correct(
    conn: Connection,
    store: Store,
    view: CorpView,
    userid: str,
    day: date,
    point_sec: int | None,
    checkin_time: int,
    remark: str,
    now: int,
) -> None:
    """Judge a correction and store it, in one write transaction under the corp's lock.

    The day is evaluated and the month's corrections counted in the transaction that adds the
    correction: concurrent corrections are judged one after the other, so none passes a quota
    that another one has just filled.
    """
    workday, result = evaluate_day(conn, store, view, userid, day, now)
    month_start = date(day.year, day.month, 1)
    used = store.correction_count(
        conn,
        view.corp.id,
        userid,
        day_start(month_start, view.tz),
        day_start(next_month(month_start), view.tz),
    )
    rule = workday.rule
    if rule is None:
        raise CorrectionDateInvalid(
            f"invalid schedule_date_time: {userid} has no checkin option on {day.isoformat()}"
        )
    slot_instances = [i for i in result.instances if i.scheduled_on or i.scheduled_off]

    if point_sec is not None:
        if workday.rest or rule.kind is RuleKind.FREE:
            raise CorrectionPointInvalid(
                "invalid schedule_checkin_time: the day has no scheduled punch points"
            )
        point = workday.start + point_sec
        match = [(i, True) for i in slot_instances if i.needs_on and i.scheduled_on == point]
        match += [(i, False) for i in slot_instances if i.needs_off and i.scheduled_off == point]
        if not match:
            raise CorrectionPointInvalid(
                f"invalid schedule_checkin_time: no punch point at {point_sec} on {day.isoformat()}"
            )
        inst, on_point = match[0]
        opened, closed = (
            (inst.on_open, inst.on_close) if on_point else (inst.off_open, inst.off_close)
        )
        if not opened <= checkin_time < closed:
            raise CorrectionTimeInvalid(
                "invalid checkin_time: outside the punch window of that point"
            )
        state = _point_state(list(result.rows), inst, on_point)
        corrects: int | None = point
    else:
        if workday.rest and not rule.allow_offworkday_punch:
            raise CorrectionDateInvalid(
                f"invalid schedule_date_time: {day.isoformat()} is no "
                "workday and the rule does not allow rest-day punching"
            )
        if rule.kind is not RuleKind.FREE and not workday.rest:
            raise CorrectionPointInvalid(
                "invalid schedule_checkin_time: required on a workday with scheduled punch points"
            )
        if not workday.start <= checkin_time < workday.start + 2 * 86_400:
            raise CorrectionTimeInvalid("invalid checkin_time: not on that day")
        state = Corrected.MISSING
        corrects = None

    refusal = check_correction(rule.corrections, state, used, day, local_date(now, view.tz))
    if refusal is not None:
        raise refusal
    punch = Punch(
        userid=userid,
        time=checkin_time,
        device_type=DeviceType.OTHER,
        received_at=now,
        source=PunchSource.CORRECTION,
        remark=remark,
        notes=remark,
        corrects=corrects,
    )
    store.upsert_punches(conn, view.corp.id, [punch])
