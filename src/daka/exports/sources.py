"""Where the reports come from: the local database, or a daka/WeCom server via the SDK.

Both sources hand the writers the SDK's typed models, so a workbook made from the database
and one made from a server are made by the same code. People are read 100 at a time
(getcheckin_daydata's most), and each batch is turned into rows before the next is read: the
rows are a generator, memory holds one batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from daka.client import CheckinRecord, Client, DayReport, MonthReport, WeComError
from daka.domain.evaluation import Row
from daka.domain.reports import DayReport as DomainDayReport
from daka.exports.cells import local_day
from daka.exports.layouts import LeaveType, PersonDay, PersonMonth
from daka.services.corpview import CorpView
from daka.storage.store import Store

BATCH = 100  # users per call of getcheckin_daydata / getcheckin_monthdata

Progress = Callable[[int], None]


class Source(Protocol):
    """What an export reads: the corp's leave types and rule segments, and per batch of
    people their day reports (with punches) or month reports (with day reports)."""

    tz: ZoneInfo

    def leaves(self) -> tuple[LeaveType, ...]: ...

    def segments(self) -> int: ...

    def days(self, userids: Sequence[str], first: date, last: date) -> Iterator[PersonDay]: ...

    def months(self, userids: Sequence[str], first: date, last: date) -> Iterator[PersonMonth]: ...


def batches(userids: Sequence[str], size: int = BATCH) -> Iterator[Sequence[str]]:
    for i in range(0, len(userids), size):
        yield userids[i : i + size]


def day_rows(
    source: Source, userids: Sequence[str], first: date, last: date, progress: Progress
) -> Iterator[PersonDay]:
    """Every person-day, people in order, then days; ``progress(n)`` after each batch."""
    for batch in batches(userids):
        yield from source.days(batch, first, last)
        progress(len(batch))


def month_rows(
    source: Source, userids: Sequence[str], first: date, last: date, progress: Progress
) -> Iterator[PersonMonth]:
    """Every person's month, people in order; ``progress(n)`` after each batch."""
    for batch in batches(userids):
        yield from source.months(batch, first, last)
        progress(len(batch))


def segments_of(groups: Iterable[Mapping[str, Any]]) -> int:
    """The most work segments (上班N/下班N pairs) any rule has, at least 1."""
    most = 1
    for group in groups:
        # 固定/自由 rules list their segments per weekday, 按班次 rules per shift.
        for key, inner in (("checkindate", "checkintime"), ("schedulelist", "time_section")):
            for item in group.get(key) or []:
                if isinstance(item, Mapping):
                    most = max(most, len(item.get(inner) or []))
    return most


def _group_by_day(
    punches: Iterable[CheckinRecord], tz: ZoneInfo
) -> dict[tuple[str, date], list[CheckinRecord]]:
    out: dict[tuple[str, date], list[CheckinRecord]] = defaultdict(list)
    for p in punches:
        # A row belongs to the day of the time it was due (a night shift's off-punch is
        # after midnight); a row with no schedule to the day it was made.
        out[(p.userid, local_day(p.sch_checkin_time or p.checkin_time, tz))].append(p)
    return out


# -- local: the database through the services -------------------------------------------------


class LocalSource:
    """The reports evaluated from the database, as ``daka serve`` would answer them."""

    def __init__(self, store: Store, view: CorpView, now: int) -> None:
        self.store, self.view, self.now = store, view, now
        self.tz: ZoneInfo = view.tz

    def leaves(self) -> tuple[LeaveType, ...]:
        return leave_types(self.view)

    def segments(self) -> int:
        return segments_of(self.view.ruleset(local_day(self.now, self.tz)).groups.values())

    def _reports(
        self, userids: Sequence[str], first: date, last: date
    ) -> tuple[dict[str, list[DomainDayReport]], dict[str, list[Row]]]:
        from daka.domain.calendar import date_range, day_start
        from daka.services.checkin import evaluate_rows
        from daka.services.reports import day_reports, settled

        days = settled(date_range(first, last), self.view, self.now)
        with self.store.read() as conn:
            reports = day_reports(conn, self.store, self.view, userids, days, self.now)
            start = day_start(first, self.tz)
            end = day_start(last + timedelta(days=1), self.tz) - 1
            rows = evaluate_rows(conn, self.store, self.view, userids, start, end, self.now)
        return reports, rows

    def _person(self, userid: str) -> tuple[str, str, str]:
        from daka.domain.directory import departs_name

        user = self.view.users[userid]
        return user.name, user.alias, departs_name(self.view.departments, user)

    def days(self, userids: Sequence[str], first: date, last: date) -> Iterator[PersonDay]:
        from daka.exports.models import day_model
        from daka.wire.checkin import checkin_row

        reports, rows = self._reports(userids, first, last)
        for userid in userids:
            person = self._person(userid)
            punches: dict[date, list[CheckinRecord]] = defaultdict(list)
            for row in rows.get(userid, []):
                punches[row.day].append(CheckinRecord.from_raw(checkin_row(row)))
            for report in reports[userid]:
                model = day_model(report, person)
                yield PersonDay(model, tuple(punches.get(report.date, ())))

    def months(self, userids: Sequence[str], first: date, last: date) -> Iterator[PersonMonth]:
        from daka.domain.calendar import date_range
        from daka.services.reports import day_reports, settled

        days = settled(date_range(first, last), self.view, self.now)
        with self.store.read() as conn:
            reports = day_reports(conn, self.store, self.view, userids, days, self.now)
        return person_months(self.view, userids, reports, first, last, self.leaves())


def leave_types(view: CorpView) -> tuple[LeaveType, ...]:
    """The corp's vacations as the layouts' leave columns."""
    from daka.domain.vacations import TimeAttr

    return tuple(
        LeaveType(v.id, v.name, v.time_attr is TimeAttr.HOURS) for v in view.vacations.values()
    )


def person_months(
    view: CorpView,
    userids: Sequence[str],
    reports: Mapping[str, Sequence[DomainDayReport]],
    first: date,
    last: date,
    leaves: Sequence[LeaveType],
) -> Iterator[PersonMonth]:
    """Each user's month row from their day reports over ``first``..``last``."""
    from daka.domain.calendar import day_start
    from daka.domain.directory import departs_name
    from daka.domain.reports import month_report
    from daka.exports.models import MonthCells
    from daka.wire.reports import month_view

    period = (day_start(first, view.tz), day_start(last, view.tz))
    month_cells = MonthCells({leave.id: leave.unit for leave in leaves})
    for userid in userids:
        user = view.users[userid]
        person = (user.name, user.alias, departs_name(view.departments, user))
        mine = reports[userid]
        # The month is the sum of the same day reports the day columns show, as
        # services.reports.month_reports makes it, without evaluating the days twice.
        month = MonthReport.from_raw(month_view(month_report(userid, list(mine)), *person), period)
        cells = {r.date: month_cells.cell(r) for r in mine}
        attended = sum(1 for r in mine if r.summary.checkin_count > 0)
        yield PersonMonth(month, cells=cells, attended=attended)


def local_people(view: CorpView, department: int | None, with_children: bool) -> list[str]:
    """The corp's userids (of ``department``, and below it ``with_children``), sorted."""
    if department is None:
        return sorted(view.users)
    from daka.services.contacts import user_simplelist
    from daka.wire.requests import UserSimpleListRequest

    answer = user_simplelist(view, UserSimpleListRequest(department, with_children))
    return [u["userid"] for u in answer["userlist"]]


# -- remote: a daka or WeCom server through the SDK -------------------------------------------


class RemoteSource:
    """The reports as a server answers them (getcheckin_daydata/monthdata, getcheckindata)."""

    def __init__(self, client: Client, tz: ZoneInfo, warn: Callable[[str], None]) -> None:
        self.client, self.tz, self.warn = client, tz, warn

    def leaves(self) -> tuple[LeaveType, ...]:
        try:
            conf = self.client.vacation_getcorpconf()
        except WeComError as exc:
            # The check-in app's secret may not reach 假期管理: export without leave columns.
            self.warn(f"no leave columns: oa/vacation/getcorpconf answered {exc}")
            return ()
        return tuple(LeaveType(v.id, v.name, v.time_attr == 1) for v in conf.lists)

    def segments(self) -> int:
        try:
            rules = self.client.getcorpcheckinoption().group
        except WeComError as exc:
            self.warn(f"one 上班/下班 pair: getcorpcheckinoption answered {exc}")
            return 1
        return segments_of(r.raw for r in rules)

    def _span(self, first: date, last: date) -> tuple[int, int]:
        from daka.domain.calendar import day_start

        return day_start(first, self.tz), day_start(last, self.tz)

    def _day_reports(
        self, userids: Sequence[str], first: date, last: date
    ) -> tuple[DayReport, ...]:
        return self.client.getcheckin_daydata(list(userids), *self._span(first, last)).datas

    def days(self, userids: Sequence[str], first: date, last: date) -> Iterator[PersonDay]:
        from daka.domain.calendar import day_start

        reports = self._day_reports(userids, first, last)
        start, end = day_start(first, self.tz), day_start(last + timedelta(days=1), self.tz) - 1
        punches = _group_by_day(
            self.client.getcheckindata(list(userids), start, end).checkindata, self.tz
        )
        for r in reports:
            yield PersonDay(r, tuple(punches.get((r.userid, local_day(r.date, self.tz)), ())))

    def months(self, userids: Sequence[str], first: date, last: date) -> Iterator[PersonMonth]:
        span = self._span(first, last)
        chunks: dict[str, list[MonthReport]] = defaultdict(list)
        for m in self.client.getcheckin_monthdata(list(userids), *span).datas:
            chunks[m.userid].append(m)
        days: dict[str, dict[date, DayReport]] = defaultdict(dict)
        for d in self._day_reports(userids, first, last):
            days[d.userid][local_day(d.date, self.tz)] = d
        for userid in userids:
            if userid in chunks:
                yield PersonMonth(merge_months(chunks[userid], span), days.get(userid, {}))


def remote_people(client: Client, department: int | None, with_children: bool) -> list[str]:
    """Userids from the contacts API: ``department`` (and below it ``with_children``), or
    everyone under the visible root departments."""
    if department is not None:
        members = client.user_simplelist(department, fetch_child=with_children).userlist
        return list(dict.fromkeys(m.userid for m in members))
    departments = client.department_list().department
    known = {d.id for d in departments}
    roots = [d.id for d in departments if d.parentid not in known or d.parentid == d.id]
    seen: dict[str, None] = {}
    for root in roots:
        for m in client.user_simplelist(root, fetch_child=True).userlist:
            seen.setdefault(m.userid)
    return list(seen)


# -- months over 30 days -------------------------------------------------------------------


def merge_months(chunks: Sequence[MonthReport], period: tuple[int, int]) -> MonthReport:
    """One report from the SDK's 30-day chunks of one user: every count and duration summed
    (exceptions by kind, sp_items by type and vacation); identity and rule from the last."""
    if len(chunks) == 1:
        return MonthReport.from_raw(chunks[0].raw, period)
    summary: dict[str, int] = defaultdict(int)
    overwork: dict[str, int] = defaultdict(int)
    exceptions: dict[int, dict[str, int]] = {}
    items: dict[tuple[int, int], dict[str, Any]] = {}
    for chunk in chunks:
        for key, value in _numbers(chunk.raw.get("summary_info")).items():
            summary[key] += value
        for key, value in _numbers(chunk.raw.get("overwork_info")).items():
            overwork[key] += value
        for e in chunk.exceptions:
            got = exceptions.setdefault(
                e.exception, {"exception": e.exception, "count": 0, "duration": 0}
            )
            got["count"] += e.count
            got["duration"] += e.duration
        for i in chunk.sp_items:
            item = items.setdefault(
                (i.type, i.vacation_id),
                {
                    "type": i.type,
                    "vacation_id": i.vacation_id,
                    "time_type": i.time_type,
                    "name": i.name,
                    "count": 0,
                    "duration": 0,
                },
            )
            item["count"] += i.count
            item["duration"] += i.duration
    raw = {
        "base_info": chunks[-1].raw.get("base_info", {}),
        "summary_info": dict(summary),
        "exception_infos": list(exceptions.values()),
        "sp_items": list(items.values()),
        "overwork_info": dict(overwork),
    }
    return MonthReport.from_raw(raw, period)


def _numbers(obj: Any) -> dict[str, int]:
    from daka.client._models import lenient_int

    if not isinstance(obj, Mapping):
        return {}
    return {k: lenient_int(v) for k, v in obj.items() if not isinstance(v, Mapping | list)}
