"""Store.transaction: a write the database aborts for a concurrent one is run again, whole."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from daka.domain.errors import WriteConflict
from daka.domain.punches import Punch
from daka.storage.store import Store

T0 = 1_790_000_000


def test_two_writers_locking_rows_in_opposite_orders_both_commit(contract_store: Store) -> None:
    store = contract_store
    with store.write() as conn:
        corp_id = store.upsert_corp(conn, "wwdeadlock", "Deadlock Co", "Asia/Shanghai")
        store.upsert_punches(conn, corp_id, [Punch("a", T0), Punch("b", T0)])
    both_hold_one = threading.Barrier(2, timeout=2)
    attempts = {"a": 0, "b": 0}

    def writer(first: str, second: str) -> None:
        def work(conn: Connection) -> None:
            attempts[first] += 1
            touch(conn, first)
            if attempts[first] == 1:  # the first attempt waits until the other holds its row
                try:
                    both_hold_one.wait()
                except threading.BrokenBarrierError:
                    pass  # SQLite: the other writer waits for the database lock itself
            touch(conn, second)

        def touch(conn: Connection, userid: str) -> None:
            conn.execute(
                text("UPDATE punches SET notes = :n WHERE corp_id = :c AND userid = :u"),
                {"n": f"by {first}", "c": corp_id, "u": userid},
            )

        store.transaction(work)

    with ThreadPoolExecutor(2) as pool:
        done = [pool.submit(writer, "a", "b"), pool.submit(writer, "b", "a")]
        for future in done:
            future.result()  # neither raised

    with store.read() as conn:
        notes = {
            p.notes
            for ps in store.punches(conn, corp_id, ["a", "b"], T0, T0 + 1).values()
            for p in ps
        }
    assert len(notes) == 1  # one writer's transaction committed after the other's, whole
    # PostgreSQL aborted one of them (deadlock_detected) and it ran again (the retry may
    # collide once more, with the other's first attempt); SQLite's BEGIN IMMEDIATE made the
    # second wait before it locked anything.
    if store.engine.dialect.name == "postgresql":
        assert sum(attempts.values()) >= 3
    else:
        assert sum(attempts.values()) == 2


def test_a_write_still_colliding_after_every_attempt_answers_the_retriable_minus_1(
    contract_store: Store,
) -> None:
    calls = []

    def work(conn: Connection) -> None:
        calls.append(1)
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(WriteConflict) as raised:
        contract_store.transaction(work, attempts=3)

    assert (len(calls), raised.value.errcode) == (3, -1)


def test_any_other_error_is_not_retried(contract_store: Store) -> None:
    calls = []

    def work(conn: Connection) -> None:
        calls.append(1)
        raise ValueError("a bug, not a collision")

    with pytest.raises(ValueError):
        contract_store.transaction(work)

    assert len(calls) == 1
