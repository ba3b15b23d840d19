"""调休 from punch-counted overtime, credited once its day is over.

An approved overtime form counted by approval alone (method 2) is credited when it is
approved (:func:`daka.services.approvals.overtime_credit`). Under methods 0 and 1 the
overtime depends on the punches, which keep arriving until the day is over (and corrections
after that), so its 调休 is credited by settling the day: :func:`settle_day` credits each
person what the day report converts into 调休, and on a later run only the difference, so it
can run every night and again after a late correction or approval. What a day was credited
is read back from the balance's ledger (reason ``overtime-day``, the date in the remarks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Connection

from daka.domain.days import WorkDay
from daka.domain.errors import TimeRangeInvalid
from daka.domain.overtime import OvertimeMethod, day_category
from daka.domain.reports import DayReport
from daka.domain.vacations import Vacation
from daka.services import vacations
from daka.services.approvals import credits_tiaoxiu, in_vacation_unit
from daka.services.checkin import resolve_days
from daka.services.corpview import CorpView
from daka.services.reports import day_reports, settled
from daka.storage.store import Store

REASON = "overtime-day"
BATCH = 100  # people per transaction


@dataclass(frozen=True, slots=True)
class Settled:
    """One person's 调休 for the day: credited now (``change``, negative when taken back)
    and in all (``total``), in the vacation's unit-seconds."""

    userid: str
    change: int
    total: int


def settle_day(
    store: Store, view: CorpView, day: date, now: int, userids: Sequence[str] | None = None
) -> list[Settled]:
    """Credit the 调休 that methods 0 and 1 convert ``day``'s overtime into, for everyone (or
    ``userids``); the people whose credit changed. ``day`` must be over (301024 if not)."""
    vacation = view.overtime_vacation
    if not settled([day], view, now):
        raise TimeRangeInvalid(f"invalid time range: {day} is not over yet")
    if vacation is None:
        return []
    people = list(userids) if userids is not None else sorted(view.users)
    out: list[Settled] = []
    for i in range(0, len(people), BATCH):
        with store.write() as conn:
            out.extend(_settle(conn, store, view, vacation, people[i : i + BATCH], day, now))
    return out


def _settle(
    conn: Connection,
    store: Store,
    view: CorpView,
    vacation: Vacation,
    people: Sequence[str],
    day: date,
    now: int,
) -> list[Settled]:
    reports = day_reports(conn, store, view, people, [day], now)
    workdays = resolve_days(conn, store, view, people, [day])
    out: list[Settled] = []
    for userid in people:
        earned = _earned(view, vacation, workdays[userid][0], reports[userid][0])
        store.lock_balance(conn, view.corp.id, userid, vacation.id)  # read, then move, alone
        before = sum(
            e.change
            for e in vacations.ledger(store, conn, view.corp.id, userid, vacation.id)
            if e.reason == REASON and e.remarks == day.isoformat()
        )
        change = earned - before
        if change == 0:
            continue
        move = vacations.credit if change > 0 else vacations.debit
        move(
            store,
            conn,
            view.corp.id,
            userid,
            vacation,
            abs(change),
            reason=REASON,
            sp_no=None,
            now=now,
            remarks=day.isoformat(),
        )
        out.append(Settled(userid, change, earned))
    return out


def _earned(view: CorpView, vacation: Vacation, workday: WorkDay, report: DayReport) -> int:
    """The day's 调休 under methods 0 and 1, in the vacation's unit (0 under method 2, which
    approval credits, or where the day's conf does not convert into a synced 调休)."""
    rule = workday.rule
    if rule is None or rule.overtime is None:
        return 0
    category = day_category(workday.rest, view.holidays.facts(workday.date).holiday)
    conf = rule.overtime.conf(category)
    if conf.method is OvertimeMethod.APPROVAL or not credits_tiaoxiu(conf):
        return 0
    earned = report.overtime.as_vacation
    return in_vacation_unit(vacation, earned) if earned > 0 else 0
