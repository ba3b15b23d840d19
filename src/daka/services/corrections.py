"""补卡: punch_correction (reference §10), under the rule's correction policy.

A correction is stored as a punch (source ``CORRECTION``, with its remark) at ``checkin_time``
and then evaluated like any other, so it is judged normal, late or early like a real punch.

Checks, in order, and the errcode of each (the reference names the codes but not every
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

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from daka.domain.calendar import day_start, local_date
from daka.domain.errors import CheckinParamInvalid, DakaError, InvalidParameter, UnknownUser
from daka.domain.evaluation import Anomaly, CheckinType, Row, SlotInstance
from daka.domain.punches import DeviceType, Punch, PunchSource
from daka.domain.rules import RuleKind
from daka.services.checkin import evaluate_day
from daka.services.corpview import CorpView, locked_view
from daka.storage.store import Store
from daka.wire.values import parse_uint

MAX_REMARK_BYTES = 512

# buka_restriction bits, low to high: 缺卡, 迟到, 早退, 其他异常 (reference §4.1).
_MISSING_BIT, _LATE_BIT, _EARLY_BIT, _OTHER_BIT = 1, 2, 4, 8


class CorrectionPointInvalid(DakaError):
    errcode = 301080
    default_message = "invalid schedule checkin time"


class CorrectionTimeInvalid(DakaError):
    errcode = 301081
    default_message = "invalid checkin time"


class CorrectionDateInvalid(DakaError):
    errcode = 301082
    default_message = "invalid schedule date"


class CorrectionNotAllowed(DakaError):
    errcode = 301099
    default_message = "the checkin option does not allow punch corrections"


class CorrectionTypeForbidden(DakaError):
    errcode = 301101
    default_message = "the checkin option forbids correcting this exception"


class CorrectionLimitReached(DakaError):
    errcode = 301105
    default_message = "punch correction limit of the checkin option reached"


def _int(body: Mapping[str, Any], key: str, required: bool = True) -> int | None:
    value = body.get(key)
    if value is None:
        if required:
            raise InvalidParameter(f"invalid parameter {key}: required field is missing")
        return None
    number = parse_uint(value)
    if number is None:
        raise InvalidParameter(f"invalid parameter {key}: must be a non-negative integer")
    return number


def _point_state(rows: list[Row], inst: SlotInstance, on_point: bool) -> int:
    """The buka_restriction bit of what is being corrected at a slot point."""
    wanted = CheckinType.ON_DUTY if on_point else CheckinType.OFF_DUTY
    for row in rows:
        if row.timeline_id == inst.timeline_id and row.checkin_type is wanted:
            if Anomaly.MISSING in row.anomalies:
                return _MISSING_BIT
            if Anomaly.TIME in row.anomalies:
                return _LATE_BIT if on_point else _EARLY_BIT
            return _OTHER_BIT
    return _MISSING_BIT  # a point whose window has not closed yet has no row: still missing


def punch_correction(store: Store, view: CorpView, body: Mapping[str, Any], now: int) -> None:
    """punch_correction: add a corrected punch for one slot point (or a rest/free day)."""
    userid = body.get("userid")
    if not isinstance(userid, str) or not userid:
        raise InvalidParameter("invalid parameter userid: required field is missing")
    if userid not in view.users:
        raise UnknownUser(f"invalid userid: {userid!r}", errcode=301021)
    schedule_date = _int(body, "schedule_date_time")
    point_sec = _int(body, "schedule_checkin_time", required=False)
    checkin_time = _int(body, "checkin_time")
    assert schedule_date is not None and checkin_time is not None
    remark = body.get("remark", "")
    if not isinstance(remark, str) or len(remark.encode()) > MAX_REMARK_BYTES or "\x00" in remark:
        raise InvalidParameter(f"invalid parameter remark: a string of at most "
                               f"{MAX_REMARK_BYTES} bytes")
    day = local_date(schedule_date, view.tz)
    if day_start(day, view.tz) != schedule_date:
        raise CorrectionDateInvalid("invalid schedule_date_time: must be a day's 0:00")
    if checkin_time > now:
        raise CheckinParamInvalid("invalid checkin_time: in the future")

    store.transaction(lambda conn: _correct(conn, store, locked_view(store, conn, view), userid,
                                            day, point_sec, checkin_time, remark, now))


def _correct(conn: Connection, store: Store, view: CorpView, userid: str, day: date,
             point_sec: int | None, checkin_time: int, remark: str, now: int) -> None:
    """Judge a correction and store it, in one write transaction under the corp's lock.

    The day is evaluated and the month's corrections counted in the transaction that adds the
    correction: concurrent corrections are judged one after the other, so none passes a quota
    that another one has just filled.
    """
    workday, result = evaluate_day(conn, store, view, userid, day, now)
    month_start = date(day.year, day.month, 1)
    used = store.correction_count(
        conn, view.corp.id, userid, day_start(month_start, view.tz),
        day_start(_next_month(month_start), view.tz))
    rule = workday.rule
    if rule is None:
        raise CorrectionDateInvalid(f"invalid schedule_date_time: {userid} has no checkin "
                                    f"option on {day.isoformat()}")
    group = view.ruleset(day).groups[rule.id]
    slot_instances = [i for i in result.instances if i.scheduled_on or i.scheduled_off]

    if point_sec is not None:
        if workday.rest or rule.kind is RuleKind.FREE:
            raise CorrectionPointInvalid("invalid schedule_checkin_time: the day has no "
                                         "scheduled punch points")
        point = workday.start + point_sec
        match = [(i, True) for i in slot_instances if i.needs_on and i.scheduled_on == point]
        match += [(i, False) for i in slot_instances if i.needs_off and i.scheduled_off == point]
        if not match:
            raise CorrectionPointInvalid(f"invalid schedule_checkin_time: no punch point at "
                                         f"{point_sec} on {day.isoformat()}")
        inst, on_point = match[0]
        opened, closed = ((inst.on_open, inst.on_close) if on_point
                          else (inst.off_open, inst.off_close))
        if not opened <= checkin_time < closed:
            raise CorrectionTimeInvalid("invalid checkin_time: outside the punch window of "
                                        "that point")
        state = _point_state(list(result.rows), inst, on_point)
        corrects: int | None = point
    else:
        if workday.rest and not rule.allow_offworkday_punch:
            raise CorrectionDateInvalid(f"invalid schedule_date_time: {day.isoformat()} is no "
                                        "workday and the rule does not allow rest-day punching")
        if rule.kind is not RuleKind.FREE and not workday.rest:
            raise CorrectionPointInvalid("invalid schedule_checkin_time: required on a workday "
                                         "with scheduled punch points")
        if not workday.start <= checkin_time < workday.start + 2 * 86_400:
            raise CorrectionTimeInvalid("invalid checkin_time: not on that day")
        state = _MISSING_BIT
        corrects = None

    _check_policy(group, state, used, day, local_date(now, view.tz))
    punch = Punch(userid=userid, time=checkin_time, device_type=DeviceType.OTHER,
                  received_at=now, source=PunchSource.CORRECTION, remark=remark,
                  notes=remark, corrects=corrects)
    store.upsert_punches(conn, view.corp.id, [punch])


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _check_policy(group: Mapping[str, Any], state: int, used: int, day: date, today: date
                  ) -> None:
    if not group.get("allow_apply_offworkday", False):
        raise CorrectionNotAllowed()
    restriction = int(group.get("buka_restriction", 0) or 0)
    if restriction & state:
        code = {_MISSING_BIT: 301101, _LATE_BIT: 301102, _EARLY_BIT: 301103,
                _OTHER_BIT: 301104}[state]
        raise CorrectionTypeForbidden(errcode=code)
    limit = int(group.get("allow_apply_bk_cnt", -1))
    if limit >= 0 and used >= limit:
        raise CorrectionLimitReached(f"at most {limit} punch corrections a month")
    day_limit = int(group.get("allow_apply_bk_day_limit", -1))
    if day_limit > 0 and (today - day).days >= day_limit:
        raise CorrectionLimitReached(f"punch corrections only within {day_limit} day(s)")
    next_month_day = int(group.get("buka_limit_next_month", -1))
    if next_month_day > 0:
        deadline = _next_month(date(day.year, day.month, 1)) + timedelta(days=next_month_day - 1)
        if today > deadline:
            raise CorrectionLimitReached(f"corrections for {day:%Y-%m} closed on {deadline}")
