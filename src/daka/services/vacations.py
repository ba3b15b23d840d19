"""Vacations (假期) and balances: the oa/vacation/* endpoints, the org file's initial quotas,
and the balance API the approvals use inside their own write transactions.

Every move of a balance writes one ``vacation_ledger`` row in the same transaction (``change``
is the change of ``left``; ``reason`` says what moved it: ``org``, ``set``, ``approval``,
``refund``, ``overtime``…). See docs/approvals.md, "Vacations and balances".

The balance functions (:func:`charge`, :func:`refund`, :func:`credit`, :func:`debit`) take the
caller's connection and never open a transaction: the approval that charges a leave and the
charge commit together or not at all. Each locks the balance row first, so two approvals of
one person's vacation are decided one after the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy.engine import Connection

from daka.domain.errors import UnknownUser, VacationParamError
from daka.domain.vacations import (
    Balance,
    TimeAttr,
    Vacation,
    charged,
    credited,
    debited,
    duration_problem,
    format_duration,
    refunded,
    regranted,
    shortfall,
    with_left,
)
from daka.services.corpview import CorpView, locked_view
from daka.storage.store import LedgerEntry, Store
from daka.wire.vacations import (
    MAX_REMARKS_CHARS,
    GetUserVacationQuotaRequest,
    QuotaEntry,
    SetOneUserQuotaRequest,
    VacationFormatError,
    quota_item,
)
from daka.wire.values import echo

MAX_REASON_CHARS = 32  # the ledger's reason column
MAX_SP_NO_CHARS = 32  # the ledger's sp_no column


# -- the balance API (inside the caller's write transaction) ------------------------------


def balance(store: Store, conn: Connection, corp_id: int, userid: str, vacation_id: int) -> Balance:
    """One person's balance of one vacation; zeros when it never moved."""
    found = store.balance(conn, corp_id, userid, vacation_id)
    return found if found is not None else Balance(vacation_id=vacation_id)


def balances(store: Store, conn: Connection, corp_id: int, userid: str) -> list[Balance]:
    """Every stored balance of one person, by vacation id (vacations never moved are absent;
    :func:`user_quotas` lists every vacation of the corp)."""
    return list(store.balances(conn, corp_id, userid).values())


def ledger(
    store: Store, conn: Connection, corp_id: int, userid: str, vacation_id: int | None = None
) -> list[LedgerEntry]:
    """Why a person's balances are what they are: their changes, oldest first."""
    return store.ledger(conn, corp_id, userid, vacation_id)


def charge(
    store: Store,
    conn: Connection,
    corp_id: int,
    userid: str,
    vacation: Vacation,
    amount: int,
    *,
    sp_no: str,
    now: int,
) -> Balance:
    """Take an approved leave of ``amount`` unit-seconds from the balance; the new balance.

    ``used`` grows by ``amount``; ``left`` shrinks by it unless the vacation is 不限额.
    Raises VacationParamError (301063, "vacation balance is not enough: …") and changes
    nothing when a limited vacation without ``allow_overdraft`` has less than ``amount``
    left. ``amount`` is what the approval counts, already rounded up to the vacation's grain
    (:func:`daka.domain.vacations.round_up`); it must not be negative (ValueError).
    """
    current = store.lock_balance(conn, corp_id, userid, vacation.id)
    if shortfall(current, vacation, amount):
        raise VacationParamError(
            f"vacation balance is not enough: {userid} has {current.left} "
            f"({format_duration(vacation, current.left)}) of {vacation.name} left, "
            f"{amount} ({format_duration(vacation, amount)}) asked"
        )
    new = charged(current, vacation, amount)
    _record(store, conn, corp_id, userid, current, new, now, "approval", sp_no, f"used +{amount}")
    return new


def refund(
    store: Store,
    conn: Connection,
    corp_id: int,
    userid: str,
    vacation: Vacation,
    amount: int,
    *,
    sp_no: str,
    now: int,
) -> Balance:
    """Give back what :func:`charge` took (a revoked or deleted approved leave): ``left``
    grows by ``amount`` (limited vacations), ``used`` shrinks by it (not below zero)."""
    current = store.lock_balance(conn, corp_id, userid, vacation.id)
    new = refunded(current, vacation, amount)
    _record(store, conn, corp_id, userid, current, new, now, "refund", sp_no, f"used -{amount}")
    return new


def credit(
    store: Store,
    conn: Connection,
    corp_id: int,
    userid: str,
    vacation: Vacation,
    amount: int,
    *,
    reason: str,
    sp_no: str | None,
    now: int,
    remarks: str = "",
) -> Balance:
    """Grant ``amount`` (the 调休 hook: overtime converted into the ``is_newovertime``
    vacation): assigned, real_assignduration and left grow by it. ``reason`` is the
    ledger's (e.g. ``overtime``, at most 32 characters)."""
    current = store.lock_balance(conn, corp_id, userid, vacation.id)
    new = credited(current, amount)
    _record(store, conn, corp_id, userid, current, new, now, reason, sp_no, remarks)
    return new


def debit(
    store: Store,
    conn: Connection,
    corp_id: int,
    userid: str,
    vacation: Vacation,
    amount: int,
    *,
    reason: str,
    sp_no: str | None,
    now: int,
    remarks: str = "",
) -> Balance:
    """Take back a :func:`credit` (a revoked overtime conversion). Never refused: ``left``
    may go below zero when the 调休 was already taken."""
    current = store.lock_balance(conn, corp_id, userid, vacation.id)
    new = debited(current, amount)
    _record(store, conn, corp_id, userid, current, new, now, reason, sp_no, remarks)
    return new


def _record(
    store: Store,
    conn: Connection,
    corp_id: int,
    userid: str,
    old: Balance,
    new: Balance,
    now: int,
    reason: str,
    sp_no: str | None,
    remarks: str,
) -> None:
    """Store ``new`` and its ledger row."""
    # Programming errors, not requests: the columns cannot hold longer values.
    if not 1 <= len(reason) <= MAX_REASON_CHARS:
        raise ValueError(f"a ledger reason is 1..{MAX_REASON_CHARS} characters: {reason!r}")
    if sp_no is not None and len(sp_no) > MAX_SP_NO_CHARS:
        raise ValueError(f"an sp_no is at most {MAX_SP_NO_CHARS} characters: {sp_no!r}")
    store.save_balance(conn, corp_id, userid, new)
    store.add_ledger_entry(
        conn,
        corp_id,
        userid,
        new.vacation_id,
        at=now,
        change=new.left - old.left,
        left_after=new.left,
        reason=reason,
        sp_no=sp_no,
        remarks=remarks,
    )


# -- the endpoints ---------------------------------------------------------------------------


def corp_conf(view: CorpView) -> list[dict[str, Any]]:
    """getcorpconf's ``lists``: the corp's vacations in the org file's order."""
    return [dict(item) for item in view.vacation_items]


def user_quotas(
    store: Store, view: CorpView, request: GetUserVacationQuotaRequest
) -> list[dict[str, Any]]:
    """getuservacationquota's ``lists``: every vacation of the corp (不限额 ones included,
    as WeCom lists them), zeros where the person's balance never moved."""
    if not view.has_user(request.userid):
        raise UnknownUser(f"userid not found: {echo(request.userid)}")
    with store.read() as conn:
        stored = store.balances(conn, view.corp.id, request.userid)
    return [
        quota_item(vacation, stored.get(vacation.id, Balance(vacation_id=vacation.id)))
        for vacation in view.vacations.values()
    ]


def set_quota(store: Store, view: CorpView, request: SetOneUserQuotaRequest, now: int) -> None:
    """setoneuserquota: the person's balance ``left`` becomes ``leftduration`` (absolute).

    Decided inside the write transaction, against the corp as it is then (an org reload
    running at the same time cannot slip a changed vacation between check and write).
    """

    def work(conn: Connection) -> None:
        current = locked_view(store, conn, view, exclusive=False)
        if not current.has_user(request.userid):
            raise UnknownUser(f"userid not found: {echo(request.userid)}")
        vacation = check_set_request(current, request)
        old = store.lock_balance(conn, current.corp.id, request.userid, vacation.id)
        new = with_left(old, request.leftduration)
        _record(
            store,
            conn,
            current.corp.id,
            request.userid,
            old,
            new,
            now,
            "set",
            None,
            request.remarks,
        )

    store.transaction(work)


def check_set_request(view: CorpView, request: SetOneUserQuotaRequest) -> Vacation:
    """The vacation a setoneuserquota request may set, or VacationParamError (301063) saying
    why not."""
    vacation = view.vacations.get(request.vacation_id)
    if vacation is None:
        raise VacationParamError(
            f"vacation param error: vacation_id {request.vacation_id} is not a vacation of "
            "the corp (see oa/vacation/getcorpconf)"
        )
    if not vacation.limited:
        raise VacationParamError(
            f"vacation param error: vacation {vacation.id} ({vacation.name}) is 不限额 "
            "(quota_attr.type 0) and has no balance to set"
        )
    if request.time_attr != int(vacation.time_attr):
        raise VacationParamError(
            f"vacation param error: time_attr {request.time_attr} is not the vacation's "
            f"time_attr {int(vacation.time_attr)} "
            f"({'按天' if vacation.time_attr is TimeAttr.DAYS else '按小时'})"
        )
    problem = duration_problem(vacation, request.leftduration)
    if problem is not None:
        raise VacationParamError(f"vacation param error: leftduration {problem}")
    if len(request.remarks) > MAX_REMARKS_CHARS:
        raise VacationParamError(
            f"vacation param error: remarks must be at most {MAX_REMARKS_CHARS} characters"
        )
    return vacation


# -- the org file's initial quotas -----------------------------------------------------------


def check_quota_entry(entry: QuotaEntry, vacation: Vacation | None, where: str) -> None:
    """VacationFormatError when an org file quota does not fit its vacation."""
    if vacation is None:
        raise VacationFormatError(
            f"{where}.vacation_id {entry.vacation_id} is not one of the corp's vacations"
        )
    values = entry.as_values()
    if not vacation.limited:
        if values["assignduration"] or values["leftduration"] or values["real_assignduration"]:
            raise VacationFormatError(
                f"{where}: vacation {vacation.id} is 不限额 (quota_attr.type 0) and has no "
                "balance; only usedduration may be given"
            )
    for key in ("leftduration", "usedduration"):
        problem = duration_problem(vacation, values[key])
        if problem is not None:
            raise VacationFormatError(f"{where}.{key} {problem}")
    for key in ("assignduration", "real_assignduration"):
        if values[key] % vacation.grain:
            raise VacationFormatError(f"{where}.{key} must be a multiple of {vacation.grain}")


def _grant(vacation_id: int, values: dict[str, Any]) -> Balance:
    """A grant as the ledger recorded it (its remarks' JSON)."""
    return Balance(
        vacation_id=vacation_id,
        assigned=int(values.get("assignduration", 0)),
        real_assigned=int(values.get("real_assignduration", 0)),
        used=int(values.get("usedduration", 0)),
        left=int(values.get("leftduration", 0)),
    )


def apply_org_quotas(
    store: Store, conn: Connection, corp_id: int, entries: Sequence[QuotaEntry], now: int
) -> None:
    """Apply the org file's initial balances, idempotently and without losing moves.

    Each entry is a grant. The values applied last are recorded in the newest ``org`` ledger
    row of the balance (its remarks, as JSON); an entry whose values did not change since is
    skipped, and a changed one moves the balance by the difference only (the first time, by
    its whole values). So reloading the same file changes nothing, and what approvals and
    setoneuserquota did to a balance is kept whatever the file says.
    """
    for entry in sorted(entries, key=lambda e: (e.userid, e.vacation_id)):  # key order
        values = entry.as_values()
        applied = store.ledger(conn, corp_id, entry.userid, entry.vacation_id, reason="org")
        before = orjson.loads(applied[-1].remarks) if applied else dict.fromkeys(values, 0)
        if before == values:
            continue
        old = store.lock_balance(conn, corp_id, entry.userid, entry.vacation_id)
        new = regranted(old, _grant(entry.vacation_id, before), entry.balance)
        remarks = orjson.dumps(values, option=orjson.OPT_SORT_KEYS).decode()
        _record(store, conn, corp_id, entry.userid, old, new, now, "org", None, remarks)
