"""The queries behind the HR console's pages: today, the punch list, the day of one person.

Each takes the people an account may see (already scoped) and answers plain values; the
console only renders them. Large answers are paged over people, so that a page costs the
same for a 10-person corp and a 10,000-person one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.engine import Connection

from daka.domain.calendar import day_start, local_date
from daka.domain.directory import Department
from daka.domain.evaluation import Anomaly, CheckinType, Row
from daka.domain.punches import Punch
from daka.services.checkin import evaluate_rows, excused_spans, resolve_days
from daka.services.corpview import CorpView
from daka.storage.store import Store

DAY = 86_400
MAX_RANGE_DAYS = 31  # the punch list covers at most a month at a time, as WeCom's does
PAGE_ROWS = 100  # rows on one page of the punch list
CHUNK = 20  # people evaluated at a time while a page fills
MAX_SCAN = 600  # people one page may look through for rare matches before it stops


# -- today ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonToday:
    """Where one person stands today. ``state`` is one of: ``in`` (punched in on time),
    ``late``, ``missing`` (an on-duty punch whose window has closed), ``not_yet`` (an
    on-duty punch still due or open), ``leave`` (an approved leave, trip or outing covers
    part of the day), ``rest``, ``no_rule``."""

    userid: str
    state: str
    first_in: int | None = None
    late_sec: int = 0


@dataclass(frozen=True, slots=True)
class DepartmentToday:
    department_id: int
    name: str
    expected: int = 0
    punched_in: int = 0
    late: int = 0
    late_sec: int = 0

    @property
    def rate(self) -> float:
        """Share of the people expected today who have punched in (0 when nobody is)."""
        return self.punched_in / self.expected if self.expected else 0.0


@dataclass(frozen=True, slots=True)
class Today:
    day: date
    people: tuple[PersonToday, ...]
    departments: tuple[DepartmentToday, ...]
    exceptions: tuple[Row, ...]  # today's rows with an anomaly, newest first

    def count(self, *states: str) -> int:
        return sum(1 for p in self.people if p.state in states)

    @property
    def expected(self) -> int:
        return self.count("in", "late", "missing", "not_yet")


def today(
    conn: Connection, store: Store, view: CorpView, userids: Sequence[str], now: int
) -> Today:
    """Today so far for ``userids``: who is in, late, missing, resting or away."""
    day = local_date(now, view.tz)
    start = day_start(day, view.tz)
    workdays = resolve_days(conn, store, view, userids, [day])
    rows = evaluate_rows(conn, store, view, userids, start, now, now)
    away = excused_spans(conn, store, view, userids, start, start + DAY)
    people = tuple(
        _person_today(u, workdays[u][0].rule is None, workdays[u][0].rest, away[u], rows[u], day)
        for u in userids
    )
    exceptions = sorted(
        (r for u in userids for r in rows[u] if r.anomalies and r.day == day),
        key=lambda r: -r.time,
    )
    return Today(day, people, _by_department(view, people), tuple(exceptions))


def _person_today(
    userid: str,
    no_rule: bool,
    rest: bool,
    away: Sequence[tuple[int, int]],
    rows: Sequence[Row],
    day: date,
) -> PersonToday:
    if no_rule:
        return PersonToday(userid, "no_rule")
    on_duty = [r for r in rows if r.day == day and r.checkin_type is CheckinType.ON_DUTY]
    punched = [r for r in on_duty if r.punch is not None]
    if rest:
        return PersonToday(userid, "rest", punched[0].time if punched else None)
    if away and not punched:
        return PersonToday(userid, "leave")
    if punched:
        first = punched[0]
        if Anomaly.TIME in first.anomalies:
            return PersonToday(userid, "late", first.time, first.deviation)
        return PersonToday(userid, "in", first.time)
    if any(Anomaly.MISSING in r.anomalies for r in on_duty):
        return PersonToday(userid, "missing")
    return PersonToday(userid, "not_yet")


def _by_department(view: CorpView, people: Iterable[PersonToday]) -> tuple[DepartmentToday, ...]:
    """Each person counts in their main (first) department."""
    totals: dict[int, list[int]] = {}
    for p in people:
        depts = view.users[p.userid].department_ids
        key = depts[0] if depts else 0
        t = totals.setdefault(key, [0, 0, 0, 0])
        if p.state in ("in", "late", "missing", "not_yet"):
            t[0] += 1
        if p.state in ("in", "late"):
            t[1] += 1
        if p.state == "late":
            t[2] += 1
            t[3] += p.late_sec
    return tuple(
        DepartmentToday(k, _name(view.departments, k), *v)
        for k, v in sorted(totals.items(), key=lambda kv: _name(view.departments, kv[0]))
    )


def _name(departments: Mapping[int, Department], dept_id: int) -> str:
    found = departments.get(dept_id)
    return found.name if found is not None else str(dept_id)


# -- the punch list (打卡明细) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PunchQuery:
    """What the punch list shows: the days, and the row filters (None: any).

    ``source``: ``record`` or ``correction``, or a device type 1/2/3 as text;
    ``exception``: an :class:`Anomaly` value, ``any`` (any anomaly) or ``not_taken`` (punches
    no slot took, and punches of people without a rule); ``kind``: a checkin_type.
    """

    since: date
    until: date
    source: str | None = None
    exception: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class PunchEntry:
    """One line of the punch list: a row with its punch, a 未打卡 row (no punch), or a
    punch no row took (no row)."""

    userid: str
    day: date
    row: Row | None
    punch: Punch | None

    @property
    def time(self) -> int:
        if self.punch is not None:
            return self.punch.time
        assert self.row is not None
        return self.row.time or self.row.scheduled_time


@dataclass(frozen=True, slots=True)
class PunchPage:
    entries: tuple[PunchEntry, ...]
    next_cursor: tuple[int, int] | None  # (person index, entries of that person to skip)
    scanned: int  # people looked through up to here
    total: int  # people in scope
    stopped_early: bool = False  # MAX_SCAN reached before the page filled


def punch_entries(
    conn: Connection,
    store: Store,
    view: CorpView,
    userids: Sequence[str],
    query: PunchQuery,
    now: int,
) -> dict[str, list[PunchEntry]]:
    """Every line of ``userids`` over the query's days that its filters keep, time-ordered."""
    tz = view.tz
    start = day_start(query.since, tz)
    end = day_start(query.until + timedelta(days=1), tz) - 1
    raw = store.punches(conn, view.corp.id, list(userids), start, end + 1)
    rows = evaluate_rows(conn, store, view, userids, start, end, now)
    out: dict[str, list[PunchEntry]] = {}
    for userid in userids:
        # Rows carry the punch fields a row shows; the stored punch has them all.
        stored = {p.time: p for p in raw[userid]}
        mine = [
            PunchEntry(userid, r.day, r, stored.get(r.punch.time, r.punch) if r.punch else None)
            for r in rows[userid]
        ]
        taken = {r.punch.time for r in rows[userid] if r.punch is not None}
        mine += [
            PunchEntry(userid, local_date(p.time, tz), None, p)
            for p in raw[userid]
            if p.time not in taken
        ]
        mine.sort(key=lambda e: e.time)
        out[userid] = [e for e in mine if _keeps(query, e)]
    return out


def _keeps(query: PunchQuery, entry: PunchEntry) -> bool:
    row, punch = entry.row, entry.punch
    if query.kind is not None and (row is None or row.checkin_type != query.kind):
        return False
    if query.exception == "not_taken":
        if row is not None:
            return False
    elif query.exception == "any":
        if row is None or not row.anomalies:
            return False
    elif query.exception is not None and (row is None or query.exception not in row.anomalies):
        return False
    if query.source is None:
        return True
    if punch is None:
        return False
    if query.source == "record":
        return punch.source == 0
    if query.source == "correction":
        return punch.source == 1
    return str(punch.device_type) == query.source and punch.source == 0


def punch_page(
    conn: Connection,
    store: Store,
    view: CorpView,
    userids: Sequence[str],
    query: PunchQuery,
    now: int,
    cursor: tuple[int, int] = (0, 0),
    page_rows: int = PAGE_ROWS,
) -> PunchPage:
    """One page of the punch list, people in ``userids``'s order, each person's lines in
    time order. ``cursor`` says where the page starts (from the previous page's
    ``next_cursor``). A page looks through at most :data:`MAX_SCAN` people for matches."""
    index, skip = cursor
    entries: list[PunchEntry] = []
    looked = 0
    while index < len(userids) and looked < MAX_SCAN:
        chunk = list(userids[index : index + CHUNK])
        found = punch_entries(conn, store, view, chunk, query, now)
        for userid in chunk:
            mine = found[userid][skip:]
            room = page_rows - len(entries)
            if len(mine) > room:
                entries.extend(mine[:room])
                return PunchPage(tuple(entries), (index, skip + room), index, len(userids))
            entries.extend(mine)
            index, skip, looked = index + 1, 0, looked + 1
            if len(entries) == page_rows:
                more = (index, 0) if index < len(userids) else None
                return PunchPage(tuple(entries), more, index, len(userids))
    more = (index, 0) if index < len(userids) else None
    return PunchPage(tuple(entries), more, index, len(userids), stopped_early=more is not None)
