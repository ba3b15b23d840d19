"""Shift schedules (排班): getcheckinschedulist and setcheckinschedulist (docs/wecom-api.md §9).

A schedule assigns one shift (``schedule_id``; 0 = 休息) of a shift rule to a user on a day.
Only future days can be set (301073): today is not the future, as WeCom's openapi refuses to
re-plan a day already under way.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from daka.domain.calendar import date_range, local_date
from daka.domain.errors import ScheduleNotInFuture, ScheduleParamError, UserNotFoundInCorp
from daka.domain.rules import RuleKind
from daka.services.checkin import check_user_list
from daka.services.corpview import CorpView, locked_view
from daka.storage.store import Store
from daka.wire.requests import GetCheckinScheduListRequest, SetCheckinScheduListRequest
from daka.wire.values import echo, lenient_int

MAX_SPAN_DAYS = 31


def _shift_info(group: Mapping[str, Any], schedule_id: int) -> dict[str, Any]:
    if schedule_id == 0:
        return {"schedule_id": 0, "schedule_name": "休息", "time_section": []}
    for shift in group.get("schedulelist") or []:
        if lenient_int(shift.get("schedule_id"), -1) == schedule_id:
            return {
                "schedule_id": schedule_id,
                "schedule_name": shift.get("schedule_name", ""),
                # The schedule reply names the section id ``id`` (rules say ``time_id``).
                "time_section": [
                    {
                        "id": s.get("time_id", s.get("id", k + 1)),
                        "work_sec": s.get("work_sec", 0),
                        "off_work_sec": s.get("off_work_sec", 0),
                        "remind_work_sec": s.get("remind_work_sec", 0),
                        "remind_off_work_sec": s.get("remind_off_work_sec", 0),
                    }
                    for k, s in enumerate(shift.get("time_section") or [])
                ],
            }
    return {"schedule_id": schedule_id, "schedule_name": "", "time_section": []}


def _group_on(view: CorpView, groupid: int, day: date) -> Mapping[str, Any] | None:
    """The rule as it is on ``day``, else its newest version (a schedule set before a change)."""
    group = view.ruleset(day).groups.get(groupid)
    if group is not None:
        return group
    version = view.latest().get(groupid)
    return version.body if version is not None else None


def get_schedules(
    store: Store, view: CorpView, request: GetCheckinScheduListRequest
) -> list[dict[str, Any]]:
    """getcheckinschedulist: one element per (user, month, rule) with the days scheduled."""
    userids = check_user_list(view, request.useridlist)
    start, end = request.starttime, request.endtime
    if end < start or end - start > MAX_SPAN_DAYS * 86_400:
        raise ScheduleParamError("invalid time range: endtime before starttime or over a month")
    first, last = local_date(start, view.tz), local_date(end, view.tz)
    with store.read() as conn:
        assigned = store.schedules(conn, view.corp.id, userids, first.toordinal(), last.toordinal())
    out: list[dict[str, Any]] = []
    for userid in userids:
        months: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for day in date_range(first, last):
            entry = assigned[userid].get(day.toordinal())
            if entry is None:
                continue
            groupid, schedule_id = entry
            group = _group_on(view, groupid, day)
            if group is None:
                continue
            months.setdefault((day.year * 100 + day.month, groupid), []).append(
                {"day": day.day, "schedule_info": _shift_info(group, schedule_id)}
            )
        for (yearmonth, groupid), days in months.items():
            version = view.latest().get(groupid)
            out.append(
                {
                    "userid": userid,
                    "yearmonth": yearmonth,
                    "groupid": groupid,
                    "groupname": version.body["groupname"] if version and version.body else "",
                    "schedule": {"scheduleList": days},
                }
            )
    return out


def set_schedules(
    store: Store, view: CorpView, request: SetCheckinScheduListRequest, now: int
) -> None:
    """setcheckinschedulist: assign shifts of one shift rule to users on future days."""
    groupid, yearmonth = request.groupid, request.yearmonth
    year, month = request.year, request.month

    def planned(current: CorpView) -> list[tuple[str, int, int, int]]:
        """The rows to store, checked against the rules and users of ``current``."""
        version = current.latest().get(groupid)
        if version is None or version.body is None:
            raise ScheduleParamError(f"invalid parameter groupid: no rule {groupid}")
        if version.body["grouptype"] != RuleKind.SHIFTS:
            raise ScheduleParamError(
                f"invalid parameter groupid: rule {groupid} is not 按班次上下班"
            )
        shift_ids = {0} | {
            lenient_int(s.get("schedule_id"), -1) for s in version.body["schedulelist"]
        }
        today = local_date(now, current.tz)
        last_day = calendar.monthrange(year, month)[1]
        rows: list[tuple[str, int, int, int]] = []
        for i, item in enumerate(request.items):
            userid = item.userid
            if userid not in current.users:
                raise UserNotFoundInCorp(f"invalid userid: items[{i}].userid {echo(userid)}")
            if not 1 <= item.day <= last_day:
                raise ScheduleParamError(
                    f"invalid parameter items[{i}].day: {yearmonth} has {last_day} days"
                )
            if item.schedule_id not in shift_ids:
                raise ScheduleParamError(
                    f"invalid parameter items[{i}].schedule_id: no shift "
                    f"{item.schedule_id} in rule {groupid}"
                )
            day = date(year, month, item.day)
            if day <= today:
                raise ScheduleNotInFuture(
                    f"invalid items[{i}]: {day.isoformat()} is not a "
                    "future date; only future dates can be scheduled"
                )
            if current.ruleset(day).rule_of_user.get(userid) != groupid:
                raise ScheduleParamError(
                    f"invalid parameter items[{i}].userid: {echo(userid)} "
                    f"is not under rule {groupid} on {day.isoformat()}"
                )
            rows.append((userid, day.toordinal(), groupid, item.schedule_id))
        return rows

    def write(conn: Connection) -> None:
        # The rule and the users' rules are checked under the corp's (shared) lock, so a rule
        # change cannot commit between the checks and the write.
        store.set_schedules(
            conn, view.corp.id, planned(locked_view(store, conn, view, exclusive=False))
        )

    planned(view)  # refuse a bad request before taking any lock
    store.transaction(write)
