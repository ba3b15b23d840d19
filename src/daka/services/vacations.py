"""Vacation balances (placeholder until the vacations branch lands)."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from daka.domain.vacations import Balance, Vacation
from daka.storage.store import Store


def balance(store: Store, conn: Connection, corp_id: int, userid: str, vacation_id: int) -> Balance:
    return Balance(vacation_id)


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
    return Balance(vacation.id)


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
    return Balance(vacation.id)


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
) -> Balance:
    return Balance(vacation.id)
