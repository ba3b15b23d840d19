"""Explain a user-day: why each row is what it is.

The answer names the rule version in force, what kind of day it is (and why), every slot
instance with its scheduled times and clipped punch windows, each punch of the day and what
became of it (taken as which row, or passed over), each punch's distance to every fence, and
the approvals (请假, 出差, 外出, 加班) touching the day: which points an approved one covers and
where it moved the points still judged.
``daka explain`` prints it; ``GET /api/explain`` serves it as JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from daka.domain.approvals import EXCUSING, Approval, excused_spans
from daka.domain.days import WorkDay
from daka.domain.directory import departs_name
from daka.domain.errors import UserNotFoundInCorp
from daka.domain.evaluation import (
    Anomaly,
    CheckinType,
    DayResult,
    InstanceMode,
    SlotInstance,
    uncovered,
)
from daka.domain.geo import distance_m
from daka.domain.punches import Punch, PunchSource
from daka.domain.reports import DayFacts, DayReport, day_report
from daka.domain.rules import DAY, MINUTE
from daka.services.approvals import covering
from daka.services.checkin import evaluate_day
from daka.services.corpview import CorpView
from daka.services.holidays import holiday_warnings
from daka.storage.store import Store
from daka.wire.checkin import checkin_row
from daka.wire.reports import day_view
from daka.wire.requests import ExplainRequest, parse_day
from daka.wire.values import echo

__all__ = ["explain_day", "parse_day"]


def explain_day(store: Store, view: CorpView, request: ExplainRequest, now: int) -> dict[str, Any]:
    """Everything evaluation decided about the request's user on its day, and why."""
    userid, day = request.userid, request.date
    if userid not in view.users:
        raise UserNotFoundInCorp(f"invalid userid: {echo(userid)}")
    tz = view.tz

    def clock(ts: int) -> str:
        return datetime.fromtimestamp(ts, tz).isoformat()

    with store.read() as conn:
        workday, result = evaluate_day(conn, store, view, userid, day, now)
        lo = min([workday.start, *(i.span_open for i in result.instances)])
        hi = max([workday.start + 86_400, *(i.span_close for i in result.instances)])
        touching = covering(conn, store, view, userid, lo, hi)
    ruleset = view.ruleset(day)
    rule = workday.rule
    version = ruleset.versions.get(rule.id) if rule is not None else None

    taken: dict[int, str] = {}
    for row in result.rows:
        if row.punch is not None:
            taken[row.punch.time] = f"{row.checkin_type.value} (timeline {row.timeline_id})"
    day_punches = sorted(
        {
            p.time: p for p in (*[r.punch for r in result.rows if r.punch], *result.passed_over)
        }.values(),
        key=lambda p: p.time,
    )

    def punch_info(p: Punch) -> dict[str, Any]:
        info: dict[str, Any] = {
            "checkin_time": p.time,
            "local_time": clock(p.time),
            "taken_as": taken.get(p.time, "passed over"),
            "source": PunchSource(p.source).name.lower(),
            "device": p.device_detail,
        }
        if rule is not None and p.lat is not None and p.lng is not None:
            info["fence_distances_m"] = [
                {
                    "lat": f.lat,
                    "lng": f.lng,
                    "radius_m": f.radius_m,
                    "distance_m": round(distance_m(p.lat, p.lng, f.lat, f.lng), 1),
                }
                for f in rule.fences
            ]
        if rule is not None and p.wifimac:
            info["wifi_known"] = p.wifimac.lower() in rule.wifi_macs
        return info

    def instance_info(i: SlotInstance) -> dict[str, Any]:
        out: dict[str, Any] = {
            "timeline_id": i.timeline_id,
            "mode": i.mode.name.lower(),
            "schedule_id": i.schedule_id,
        }
        if i.scheduled_on or i.scheduled_off:
            out["scheduled"] = {"on": clock(i.scheduled_on), "off": clock(i.scheduled_off)}
        out["on_duty_window"] = [clock(i.on_open), clock(i.on_close)] if i.needs_on else None
        out["off_duty_window"] = [clock(i.off_open), clock(i.off_close)] if i.needs_off else None
        out["flex"] = {"late_sec": i.flex_on_sec, "early_sec": i.flex_off_sec}
        if i.mode is InstanceMode.SLOT:
            covered = _point_cover(touching, i.scheduled_on, i.scheduled_off, clock)
            if covered:
                out["approvals"] = covered
        return out

    facts = view.holidays.facts(day)
    calendar = view.holidays.version_on(day)
    return {
        "userid": userid,
        "date": day.isoformat(),
        "timezone": str(tz),
        "rule": None
        if rule is None or version is None
        else {
            "groupid": rule.id,
            "groupname": rule.name,
            "grouptype": int(rule.kind),
            "version": version.version,
            "effective_from": (
                date.fromordinal(version.effective_from).isoformat()
                if version.effective_from
                else "always"
            ),
        },
        "day": {
            "workday": not workday.rest,
            "statutory_holiday": facts.holiday,
            "makeup_workday": facts.makeup_workday,
            "holiday_name": facts.name,
            # Where the day's holiday facts come from (None: no data for the year).
            "holiday_source": None if calendar is None else calendar.calendar.source,
            "special": workday.special_notes,
            "schedule_id": workday.schedule_id,
        },
        "instances": [instance_info(i) for i in result.instances],
        "punches": [punch_info(p) for p in day_punches],
        "rows": [checkin_row(r) for r in result.rows],
        "warnings": holiday_warnings(view, [day]),
        "report": _report(view, userid, workday, result, touching, clock),
        "approvals": [
            {
                "sp_no": a.sp_no,
                "sp_name": a.sp_name,
                "kind": a.record_type.label,
                "sp_status": int(a.status),
                "counts": a.counts,
                "from": clock(a.time_off.start),
                "to": clock(a.time_off.stop),
                "vacation": a.time_off.vacation_name,
                "duration": next(
                    (x.duration for x in a.time_off.slices if x.daytime == workday.start), 0
                ),
            }
            for a in touching
            if a.time_off is not None
        ],
    }


def _point_cover(
    approvals: Sequence[Approval], on: int, off: int, clock: Callable[[int], str]
) -> dict[str, Any]:
    """Which approved approval covers a slot's points, and where the judged points moved."""
    counted = [a for a in approvals if a.counts and a.time_off and a.time_off.kind in EXCUSING]
    if not counted:
        return {}

    def cover(t: int) -> str | None:
        return next(
            (a.sp_no for a in counted if a.time_off and a.time_off.start <= t < a.time_off.stop),
            None,
        )

    left = uncovered(excused_spans(counted), on, off)
    return {
        "on_duty": cover(on),
        "off_duty": cover(max(on, off - 1)),
        "excused": left is None,
        "judged": None if left is None else {"on": clock(left[0]), "off": clock(left[1])},
    }


def _report(
    view: CorpView,
    userid: str,
    workday: WorkDay,
    result: DayResult,
    touching: Sequence[Approval],
    clock: Callable[[int], str],
) -> dict[str, Any]:
    """The day's getcheckin_daydata element, and how each of its values was reached."""
    approved = tuple(a for a in touching if a.counts)
    facts = DayFacts(
        userid=userid,
        workday=workday,
        result=result,
        stop=workday.start + DAY,
        approvals=approved,
        excused=excused_spans(approved),
        holiday=view.holidays.facts(workday.date),
        tz=view.tz,
    )
    report = day_report(facts)
    user = view.users[userid]
    return {
        "daydata": day_view(report, user.name, user.alias, departs_name(view.departments, user)),
        "how": _how(report, facts, clock),
    }


def _how(report: DayReport, facts: DayFacts, clock: Callable[[int], str]) -> list[str]:
    """One sentence per report value, naming the punches, windows, forms and thresholds."""
    s = report.summary
    start = facts.workday.start
    lines = [f"day_type {1 if report.rest_day else 0}: " + _day_kind(facts)]
    if s.checkin_count:
        lines.append(
            f"checkin_count {s.checkin_count}: the punches of the attendance day, taken or"
            f" passed over; earliest_time {s.earliest} = {clock(start + s.earliest)},"
            f" lastest_time {s.latest} = {clock(start + s.latest)}"
        )
        rest = s.latest - s.earliest - s.worked_sec
        lines.append(
            f"regular_work_sec {s.worked_sec}: last punch − first punch"
            + (f", less {rest} s of rest wholly between them" if rest else "")
        )
    else:
        lines.append("checkin_count 0: no punch on this attendance day")
    lines.append(f"standard_work_sec {s.standard_sec}: " + _standard(facts))
    lines.extend(_exception_lines(facts, clock, punched=s.checkin_count > 0))
    for item in report.sp_items:
        if item.count:
            lines.append(
                f"sp_items {item.name}: count {item.count}, duration {item.duration}"
                f" unit-seconds ({'hours' if item.time_type else 'days'})"
            )
    for approval in facts.approvals:
        assert approval.time_off is not None
        share = sum(x.duration for x in approval.time_off.slices if x.daytime == start)
        lines.append(
            f"form {approval.sp_no} ({approval.time_off.kind.label}"
            f" {clock(approval.time_off.start)} – {clock(approval.time_off.stop)})"
            f" counts {share} unit-seconds on this day"
        )
    ot = report.overtime
    lines.append(
        f"ot_info: {ot.category.name.lower()} overtime {ot.duration} s"
        f" (status {int(ot.status)}, to 调休 {ot.as_vacation} s, to pay {ot.as_money} s)"
        if facts.workday.rule is not None and facts.workday.rule.overtime is not None
        else "ot_info: the rule has no overtime settings"
    )
    return lines


def _day_kind(facts: DayFacts) -> str:
    workday = facts.workday
    if workday.rule is None:
        return "no rule applies to the person (record_type 7)"
    if workday.rest:
        return "a rest day" + (" (statutory holiday)" if facts.holiday.holiday else "")
    return "a workday"


def _standard(facts: DayFacts) -> str:
    workday = facts.workday
    if workday.rule is None or workday.rest:
        return "nothing is scheduled"
    if workday.plan is None:
        return "the free rule's standard_work_duration"
    parts = []
    for slot in workday.plan.slots:
        rest = slot.off_work_sec - slot.work_sec - slot.work_seconds
        parts.append(
            f"{_hhmm(slot.work_sec)}–{_hhmm(slot.off_work_sec)} ({slot.work_seconds} s"
            + (f", {rest} s of rest taken off" if rest else "")
            + ")"
        )
    return "the scheduled slots " + ", ".join(parts)


def _hhmm(day_sec: int) -> str:
    return f"{day_sec // 3600:02d}:{day_sec % 3600 // 60:02d}"


def _exception_lines(facts: DayFacts, clock: Callable[[int], str], *, punched: bool) -> list[str]:
    lines = []
    rows = facts.result.rows
    for row in rows:
        if Anomaly.TIME in row.anomalies and row.punch is not None:
            minute = row.time - row.time % MINUTE
            if row.checkin_type is CheckinType.ON_DUTY:
                lines.append(
                    f"迟到 {row.deviation} s: 上班打卡 at {clock(row.time)}, judged on the minute,"
                    f" against the point {clock(minute - row.deviation)}"
                    f" (scheduled {clock(row.scheduled_time)}, moved by leave or 晚到晚走)"
                )
            elif row.checkin_type is CheckinType.OFF_DUTY:
                lines.append(
                    f"早退 {row.deviation} s: 下班打卡 at {clock(row.time)}, judged on the minute,"
                    f" against the point {clock(minute + row.deviation)}"
                )
        if Anomaly.MISSING in row.anomalies and punched:
            lines.append(f"缺卡: no {row.checkin_type.value} for {clock(row.scheduled_time)}")
        if Anomaly.LOCATION in row.anomalies or Anomaly.WIFI in row.anomalies:
            lines.append(f"地点异常: the punch at {clock(row.time)} is outside every fence/Wi-Fi")
        if Anomaly.UNUSUAL_DEVICE in row.anomalies:
            lines.append(f"设备异常: the punch at {clock(row.time)} is from an unusual device")
    if not punched and any(Anomaly.MISSING in r.anomalies for r in rows) and not facts.workday.rest:
        lines.append(
            "旷工: a workday without a single punch; its duration is the scheduled time no"
            " approved leave, trip or outing covers (no 缺卡 is counted)"
        )
    return lines
