"""Check-in use cases: write punches, read classified rows, read rules.

Each function takes the store, the caller's :class:`CorpView` and ``now``; validation happens
before any write, so a refused request changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from sqlalchemy.engine import Connection

from daka.domain.approvals import excused_spans as approved_spans
from daka.domain.calendar import date_range, day_start, local_date
from daka.domain.days import WorkDay, resolve_day
from daka.domain.devices import HISTORY_DAYS, unusual_punch_times
from daka.domain.errors import (
    CheckinParamInvalid,
    InvalidParameter,
    TimeRangeInvalid,
    UnknownUser,
    UserListInvalid,
    UserNotFoundInCorp,
)
from daka.domain.evaluation import (
    CheckinType,
    DayResult,
    Row,
    SlotInstance,
    classify_punches,
    evaluate_user,
    slot_instances,
)
from daka.domain.punches import DeviceType, Punch
from daka.domain.rules import DAY, Rule, RuleKind
from daka.services.corpview import CorpView
from daka.services.daycache import DayCache
from daka.services.media import check_attachable
from daka.storage.store import Store
from daka.wire.checkin import (
    MAX_SPAN_SEC,
    MAX_USERS,
    AddCheckinRecordRequest,
    GetCheckinDataRequest,
    GetCheckinOptionRequest,
    checkin_row,
)
from daka.wire.rules import corp_view, user_view
from daka.wire.values import echo

FUTURE_TOLERANCE_SEC = 300
_by_time = attrgetter("time")

_TYPES_BY_FILTER: dict[int, frozenset[CheckinType]] = {
    1: frozenset({CheckinType.ON_DUTY, CheckinType.OFF_DUTY}),
    2: frozenset({CheckinType.OUTSIDE}),
    3: frozenset(CheckinType),
}


def add_records(store: Store, view: CorpView, request: AddCheckinRecordRequest, now: int) -> int:
    """Store a batch of punches, all or nothing. Returns how many rows were written.

    A record with the same (userid, checkin_time) as a stored one replaces it, so resending a
    batch never duplicates punches; within one batch the later record wins. Each ``mediaids``
    entry must be a media of the corp uploaded less than 3 days ago (40007).
    """
    for i, record in enumerate(request.records):
        if not view.has_user(record.userid):
            raise UnknownUser(f"userid not found: records[{i}].userid {echo(record.userid)}")
        if record.checkin_time > now + FUTURE_TOLERANCE_SEC:
            raise CheckinParamInvalid(
                f"invalid records[{i}].checkin_time: more than 5 minutes in the future"
            )
    attached = [
        (i, j, media_id)
        for i, record in enumerate(request.records)
        for j, media_id in enumerate(record.mediaids)
    ]
    latest: dict[tuple[str, int], Punch] = {}
    for record in request.records:
        punch = record.to_punch(received_at=now)
        latest[(punch.userid, punch.time)] = punch

    # No corp-wide lock: batches of one corp are written in parallel. Key order (in
    # upsert_punches) keeps overlapping batches from deadlocking; the retry covers the rest.
    def write(conn: Connection) -> int:
        if attached:
            check_attachable(store, conn, view.corp.id, attached, now)
        return store.upsert_punches(conn, view.corp.id, latest.values())

    return store.transaction(write)


def check_user_list(view: CorpView, userids: Sequence[str] | None) -> list[str]:
    """The requested userids, de-duplicated in order; 301023 / 301021 when invalid."""
    if not userids or len(userids) > MAX_USERS:
        raise UserListInvalid(
            f"userlist is over threshold: useridlist must hold 1..{MAX_USERS} userids"
        )
    ordered = list(dict.fromkeys(userids))
    for i, userid in enumerate(ordered):
        if not view.has_user(userid):
            raise UserNotFoundInCorp(f"invalid userid: useridlist[{i}] {echo(userid)}")
    return ordered


def check_time_range(start: int | None, end: int | None, max_span: int = MAX_SPAN_SEC) -> None:
    """301024 unless both bounds are given, ordered, and at most ``max_span`` apart."""
    if start is None or end is None:
        raise TimeRangeInvalid("invalid time range: starttime and endtime are required")
    if end < start:
        raise TimeRangeInvalid("invalid time range: endtime is before starttime")
    if end - start > max_span:
        raise TimeRangeInvalid(f"invalid time range: span over {max_span // 86_400} days")


def resolve_days(
    conn: Connection,
    store: Store,
    view: CorpView,
    userids: Sequence[str],
    days: Sequence[date],
) -> dict[str, list[WorkDay]]:
    """Each user's days: the rule in force, holidays, and (shift rules) the schedule."""
    tz = view.tz
    starts = {d: day_start(d, tz) for d in days}
    facts = {d: view.holidays.facts(d) for d in days}
    rulesets = {d: view.ruleset(d) for d in days}
    schedules = store.schedules(
        conn, view.corp.id, userids, days[0].toordinal(), days[-1].toordinal()
    )
    shared: dict[tuple[int | None, ...], list[WorkDay]] = {}
    out: dict[str, list[WorkDay]] = {}
    single = len({id(r) for r in rulesets.values()}) == 1  # no rule change in view
    for userid in userids:
        if single:
            rules = [rulesets[days[0]].rule_for(userid)] * len(days)
        else:
            rules = [rulesets[d].rule_for(userid) for d in days]
        if any(r is not None and r.kind is RuleKind.SHIFTS for r in rules):
            assigned = schedules[userid]
            out[userid] = [
                resolve_day(r, d, starts[d], facts[d], _schedule_of(assigned, d, r))
                for d, r in zip(days, rules, strict=True)
            ]
            continue
        # Users whose days carry the same rules share one list (and later its instances).
        key = tuple(r.id if r is not None else None for r in rules)
        if key not in shared:
            shared[key] = [
                resolve_day(r, d, starts[d], facts[d]) for d, r in zip(days, rules, strict=True)
            ]
        out[userid] = shared[key]
    return out


def evaluate_day(
    conn: Connection, store: Store, view: CorpView, userid: str, day: date, now: int
) -> tuple[WorkDay, DayResult]:
    """One user's ``day``: what it is, and everything evaluation decided about it.

    Its neighbours are resolved and their punches read too, because windows are clipped
    against them (explain and punch corrections look at one day this way).
    """
    days = resolve_days(
        conn, store, view, [userid], date_range(day - timedelta(days=1), day + timedelta(days=1))
    )[userid]
    lo, hi = days[0].start - DAY, days[-1].start + 2 * DAY
    punches = store.punches(conn, view.corp.id, [userid], lo, hi)[userid]
    unusual = unusual_devices(conn, store, view, {userid: punches}, lo)[userid]
    spans = excused_spans(conn, store, view, [userid], lo, hi)[userid]
    return days[1], evaluate_user(userid, days, punches, now, unusual, spans)[1]


def excused_spans(
    conn: Connection, store: Store, view: CorpView, userids: Sequence[str], lo: int, hi: int
) -> dict[str, tuple[tuple[int, int], ...]]:
    """Each user's spans that approved leave, trips and outings excuse within ``[lo, hi)``."""
    found = store.approvals_of(conn, view.corp.id, userids, lo, hi)
    return {u: approved_spans(found.get(u, [])) for u in userids}


def unusual_devices(
    conn: Connection,
    store: Store,
    view: CorpView,
    punches: Mapping[str, Sequence[Punch]],
    since: int,
) -> dict[str, frozenset[int]]:
    """非常用设备: times of each user's punches made from a device unusual for them.

    ``punches`` are each user's punches from ``since`` on; the judgement reads the
    :data:`HISTORY_DAYS` of phone punches before ``since`` as well.
    """
    # A user who only ever used one phone has nothing unusual, so the full history is read
    # only for users with several devices.
    history_start = since - (HISTORY_DAYS + 1) * DAY
    recent = {
        u: [
            (p.time, p.device_detail)
            for p in ps
            if p.device_type == DeviceType.OTHER and p.device_detail
        ]
        for u, ps in punches.items()
    }
    userids = list(punches)
    devices = store.phone_devices(conn, view.corp.id, userids, history_start, since)
    several = [u for u in userids if len(devices[u] | {d for _, d in recent[u]}) > 1]
    history = store.phone_punches(conn, view.corp.id, several, history_start, since)
    return {
        u: (unusual_punch_times(history[u] + recent[u], view.tz) if u in history else frozenset())
        for u in userids
    }


def _schedule_of(assigned: dict[int, tuple[int, int]], day: date, rule: Rule | None) -> int:
    entry = assigned.get(day.toordinal())
    if entry is None or rule is None or entry[0] != rule.id:
        return 0
    return entry[1]


@dataclass(frozen=True, slots=True)
class _Plan:
    """The instances a group of users (sharing the same days) is evaluated on."""

    relevant: list[SlotInstance]  # instances that can yield a row in range (and a day before)
    report_days: list[date]  # days whose rows may fall in range
    cacheable: frozenset[date]  # report days complete in ``relevant`` and settled


def _plan(days: list[WorkDay], start: int, end: int, now: int) -> _Plan:
    instances = slot_instances(days)
    late = any(i.late_rules for i in instances)
    lookback = DAY if late else 0
    relevant = [i for i in instances if i.span_close > start - lookback and i.span_open <= end]
    chosen = {id(i) for i in relevant}
    by_day: dict[date, list[SlotInstance]] = {}
    for inst in instances:
        by_day.setdefault(inst.day, []).append(inst)
    report_days = sorted({i.day for i in relevant if i.span_close > start})

    def complete(day: date) -> bool:
        return all(id(i) in chosen for i in by_day.get(day, ()))

    cacheable = frozenset(
        d
        for d in report_days
        if complete(d)
        and all(i.span_close <= now for i in by_day[d])
        # 晚走晚到 reads the day before: it must have been evaluated too.
        and (not late or complete(d - timedelta(days=1)))
    )
    return _Plan(relevant, report_days, cacheable)


def evaluate_rows(
    conn: Connection,
    store: Store,
    view: CorpView,
    userids: Sequence[str],
    start: int,
    end: int,
    now: int,
    cache: DayCache | None = None,
) -> dict[str, list[Row]]:
    """Classified rows of each user whose time lies in ``[start, end]``.

    With a ``cache``, settled days evaluated before are served from it while the user's
    version and the corp's revision still match the database (see :mod:`daycache`).
    """
    tz = view.tz
    first = local_date(start, tz) - timedelta(days=2)
    last = local_date(end, tz) + timedelta(days=1)
    # One more day each side as context: windows are clipped against their neighbours.
    days = date_range(first - timedelta(days=1), last + timedelta(days=1))
    workdays = resolve_days(conn, store, view, userids, days)

    # Users sharing a day list share its instances.
    plans: dict[int, _Plan] = {}
    for userid in userids:
        if id(workdays[userid]) not in plans:
            plans[id(workdays[userid])] = _plan(workdays[userid], start, end, now)

    def plan_of(userid: str) -> _Plan:
        return plans[id(workdays[userid])]

    out: dict[str, list[Row]] = {u: [] for u in userids}
    active = [u for u in userids if plan_of(u).relevant]
    corp_id, revision = view.corp.id, view.corp.revision
    versions = store.user_versions(conn, corp_id, active) if cache is not None else {}
    to_evaluate = []
    for userid in active:
        plan = plan_of(userid)
        if cache is not None and len(plan.cacheable) == len(plan.report_days):
            cached = cache.get(corp_id, userid, revision, versions[userid], plan.report_days)
            if cached is not None:
                out[userid] = sorted((r for r in cached if start <= r.time <= end), key=_by_time)
                continue
        to_evaluate.append(userid)
    if not to_evaluate:
        return out

    lo, hi = start, end + 1
    for plan in {id(plan_of(u)): plan_of(u) for u in to_evaluate}.values():
        for inst in plan.relevant:
            lo, hi = min(lo, inst.span_open), max(hi, inst.span_close)
    punches = store.punches(conn, corp_id, to_evaluate, lo, hi, for_rows=True)
    unusual = unusual_devices(conn, store, view, punches, lo)
    excused = excused_spans(conn, store, view, to_evaluate, lo, hi)
    for userid in to_evaluate:
        plan = plan_of(userid)
        rows = classify_punches(
            userid, plan.relevant, punches[userid], now, unusual[userid], excused[userid]
        )
        if cache is not None and plan.cacheable:
            settled: dict[date, list[Row]] = {d: [] for d in plan.cacheable}
            for row in rows:
                if row.day in settled:
                    settled[row.day].append(row)
            cache.put(
                corp_id,
                userid,
                revision,
                versions[userid],
                {d: tuple(r) for d, r in settled.items()},
            )
        in_range_rows = [r for r in rows if start <= r.time <= end]
        in_range_rows.sort(key=_by_time)  # linear on the already-ordered rows
        out[userid] = in_range_rows
    return out


def checkin_data(
    store: Store,
    view: CorpView,
    request: GetCheckinDataRequest,
    now: int,
    cache: DayCache | None = None,
) -> list[dict[str, Any]]:
    """getcheckindata: the effective rows of each user, users in request order."""
    kind = request.opencheckindatatype
    if kind not in _TYPES_BY_FILTER:
        raise InvalidParameter("invalid parameter opencheckindatatype: must be 1, 2 or 3")
    userids = check_user_list(view, request.useridlist)
    check_time_range(request.starttime, request.endtime)
    assert request.starttime is not None and request.endtime is not None
    wanted = _TYPES_BY_FILTER[kind]
    with store.read() as conn:
        rows = evaluate_rows(
            conn, store, view, userids, request.starttime, request.endtime, now, cache
        )
    return [checkin_row(r) for u in userids for r in rows[u] if r.checkin_type in wanted]


def checkin_options(view: CorpView, request: GetCheckinOptionRequest) -> list[dict[str, Any]]:
    """getcheckinoption: each user's rule as it was on the given day (users without one omitted)."""
    if request.datetime is None:
        raise InvalidParameter("invalid parameter datetime: required field is missing")
    userids = check_user_list(view, request.useridlist)
    ruleset = view.ruleset(local_date(request.datetime, view.tz))
    info = []
    for userid in userids:
        rule_id = ruleset.rule_of_user.get(userid)
        if rule_id is not None:
            info.append({"userid": userid, "group": user_view(ruleset.groups[rule_id])})
    return info


def corp_options(view: CorpView) -> list[dict[str, Any]]:
    """getcorpcheckinoption: every rule of the corp, newest version, with all its fields."""
    return [corp_view(v.body) for _, v in sorted(view.latest().items()) if v.body is not None]
