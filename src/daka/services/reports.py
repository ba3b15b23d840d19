"""The daily and monthly reports: read what a run of days needs, hand it to the domain.

One path makes both: :func:`day_reports` evaluates each user's days and builds a day report
for each; a month report is :func:`daka.domain.reports.month_report` over those same days.
Today and later days have no report (WeCom answers ``datas: []`` for today): a day's report
is final once the day is over.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.engine import Connection

from daka.domain.approvals import TIME_OFF_KINDS, Approval, excused_spans
from daka.domain.calendar import date_range, day_start, local_date
from daka.domain.days import WorkDay
from daka.domain.directory import departs_name
from daka.domain.errors import TimeRangeInvalid
from daka.domain.evaluation import SlotInstance, evaluate_user, slot_instances
from daka.domain.reports import (
    DayFacts,
    DayReport,
    DayShape,
    MonthReport,
    day_report,
    day_shape,
    month_report,
)
from daka.services.checkin import check_user_list, resolve_days, unusual_devices
from daka.services.corpview import CorpView
from daka.services.workers import in_place
from daka.storage.store import Store
from daka.wire.checkin import UserRangeRequest
from daka.wire.reports import (
    REPORT_MAX_DAYS,
    DayDataRequest,
    MonthDataRequest,
    day_view,
    month_view,
)

if TYPE_CHECKING:
    from daka.services.workers import ReportWorkers, Work

T = TypeVar("T")
DAY = 86_400
ONE_DAY = timedelta(days=1)


def report_days(view: CorpView, request: UserRangeRequest) -> list[date]:
    """The days a report request names (301024 unless both ends are given, ordered and at
    most 30 days apart, both included). Each end names the local day it falls on."""
    start, end = request.starttime, request.endtime
    if start is None or end is None:
        raise TimeRangeInvalid("invalid time range: starttime and endtime are required")
    if end < start:
        raise TimeRangeInvalid("invalid time range: endtime is before starttime")
    first, last = local_date(start, view.tz), local_date(end, view.tz)
    if (last - first).days + 1 > REPORT_MAX_DAYS:
        raise TimeRangeInvalid(
            f"invalid time range: over {REPORT_MAX_DAYS} days (both days included)"
        )
    return date_range(first, last)


def settled(days: Sequence[date], view: CorpView, now: int) -> list[date]:
    """The days that are over: today and later have no report yet."""
    today = local_date(now, view.tz)
    return [d for d in days if d < today]


def day_reports(
    conn: Connection,
    store: Store,
    view: CorpView,
    userids: Sequence[str],
    days: Sequence[date],
    now: int,
) -> dict[str, list[DayReport]]:
    """Each user's day reports for ``days`` (consecutive dates, all over)."""
    out: dict[str, list[DayReport]] = {u: [] for u in userids}
    if not days or not userids:
        return out
    tz = view.tz
    # One more day each side: windows are clipped against their neighbours.
    context = date_range(days[0] - timedelta(days=1), days[-1] + timedelta(days=1))
    workdays = resolve_days(conn, store, view, userids, context)
    # The reported days are the context's inner days: (start, stop, holiday) of each.
    edges = [day_start(d, tz) for d in (*days, days[-1] + ONE_DAY)]
    spans = [(edges[k], edges[k + 1], view.holidays.facts(d)) for k, d in enumerate(days)]
    # Users with the same rules share one list of days (resolve_days): its plan is worked
    # out once per list, not once per user.
    plans: dict[int, _Plan] = {}
    for userid in userids:
        if id(workdays[userid]) not in plans:
            plans[id(workdays[userid])] = _plan(workdays[userid], days, edges)
    # Only the punches the classified windows can hold, and those of the days themselves.
    lo = min(p.lo for p in plans.values())
    hi = max(p.hi for p in plans.values())
    punches = store.punches(conn, view.corp.id, list(userids), lo, hi)
    unusual = unusual_devices(conn, store, view, punches, lo)
    wide_lo, wide_hi = day_start(context[0], tz) - DAY, day_start(context[-1], tz) + 2 * DAY
    approvals = store.approvals_of(
        conn, view.corp.id, userids, wide_lo, wide_hi, kinds=TIME_OFF_KINDS
    )
    for userid in userids:
        mine = approvals.get(userid, [])
        excused = excused_spans(mine)
        user_days = workdays[userid]
        plan = plans[id(user_days)]
        results = evaluate_user(
            userid,
            user_days,
            punches[userid],
            now,
            unusual[userid],
            excused,
            plan.instances,
            plan.classified,
        )
        out[userid] = [
            day_report(
                DayFacts(
                    userid,
                    workday,
                    result,
                    stop,
                    tuple(_touching(mine, start, stop)) if mine else (),
                    excused,
                    holiday,
                    tz,
                ),
                shape,
            )
            for workday, result, shape, (start, stop, holiday) in zip(
                user_days[1:-1], results[1:-1], plan.shapes, spans, strict=True
            )
        ]
    return out


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the users sharing one list of days are evaluated on."""

    instances: list[SlotInstance]  # of every day in the list, context days included
    shapes: list[DayShape]  # of the reported days
    classified: frozenset[date]  # the reported days, and the day before for 晚走晚到
    lo: int  # the punches worth reading: [lo, hi)
    hi: int


def _plan(user_days: Sequence[WorkDay], days: Sequence[date], edges: Sequence[int]) -> _Plan:
    instances = slot_instances(user_days)
    classified = set(days)
    if any(i.late_rules for i in instances):
        classified.add(days[0] - ONE_DAY)
    mine = [i for i in instances if i.day in classified]
    return _Plan(
        instances,
        [day_shape(w) for w in user_days[1:-1]],
        frozenset(classified),
        min([edges[0], *(i.span_open for i in mine)]),
        max([edges[-1], *(i.span_close for i in mine)]),
    )


def _touching(approvals: Sequence[Approval], start: int, stop: int) -> Iterator[Approval]:
    """Approvals whose span meets the day or that count a share of it."""
    for a in approvals:
        t = a.time_off
        if t is not None and (t.overlaps(start, stop) or any(s.daytime == start for s in t.slices)):
            yield a


def _asked(view: CorpView, request: UserRangeRequest, now: int) -> tuple[list[str], list[date]]:
    """The users and the days (over already) a report request asks for, or its errcode."""
    return check_user_list(view, request.useridlist), settled(report_days(view, request), view, now)


def _person(view: CorpView, userid: str) -> tuple[str, str, str]:
    user = view.users[userid]
    return user.name, user.alias, departs_name(view.departments, user)


def day_data(
    store: Store,
    view: CorpView,
    request: DayDataRequest,
    now: int,
    workers: ReportWorkers | None = None,
) -> list[dict[str, Any]]:
    """getcheckin_daydata: one element per user and day, users in request order (spread
    over ``workers`` when the call is big)."""
    userids, days = _asked(view, request, now)
    reports = _run(day_reports, store, view, userids, days, now, workers)
    out: list[dict[str, Any]] = []
    for userid in userids:
        person = _person(view, userid)
        out.extend(day_view(r, *person) for r in reports[userid])
    return out


def month_reports(
    conn: Connection,
    store: Store,
    view: CorpView,
    userids: Sequence[str],
    days: Sequence[date],
    now: int,
) -> dict[str, MonthReport]:
    """Each user's month report over ``days``: the sum of their day reports."""
    reports = day_reports(conn, store, view, userids, days, now)
    return {u: month_report(u, reports[u]) for u in userids}


def month_data(
    store: Store,
    view: CorpView,
    request: MonthDataRequest,
    now: int,
    workers: ReportWorkers | None = None,
) -> list[dict[str, Any]]:
    """getcheckin_monthdata: one element per user over the range, users in request order
    (spread over ``workers`` when the call is big)."""
    userids, days = _asked(view, request, now)
    reports = _run(month_reports, store, view, userids, days, now, workers)
    return [month_view(reports[u], *_person(view, u)) for u in userids]


def _run(
    work: Work[T],
    store: Store,
    view: CorpView,
    userids: Sequence[str],
    days: Sequence[date],
    now: int,
    workers: ReportWorkers | None,
) -> dict[str, T]:
    if workers is not None:
        return workers.run(work, store, view, userids, days, now)
    return in_place(work, store, view, userids, days, now)
