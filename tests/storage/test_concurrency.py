"""Concurrent writers all succeed and nothing is lost (SQLite: BEGIN IMMEDIATE + busy_timeout)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from daka.domain.punches import Punch
from daka.storage.store import Store

THREADS, BATCHES, BATCH = 4, 50, 200
T0 = 1_790_000_000


def test_concurrent_writers_all_succeed_and_the_count_is_exact(contract_store: Store) -> None:
    with contract_store.write() as conn:
        corp_id = contract_store.upsert_corp(conn, "wwconcurrent", "Busy Co", "Asia/Shanghai")
    start = threading.Barrier(THREADS)

    def writer(worker: int) -> int:
        start.wait()
        written = 0
        for batch in range(BATCHES):
            punches = [
                Punch(
                    userid=f"user{worker}",
                    time=T0 + batch * BATCH + i,
                    notes=f"{batch}/{i}",
                    received_at=T0,
                )
                for i in range(BATCH)
            ]
            with contract_store.write() as conn:
                written += contract_store.upsert_punches(conn, corp_id, punches)
        return written

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(writer, range(THREADS)))

    assert results == [BATCHES * BATCH] * THREADS
    with contract_store.read() as conn:
        assert contract_store.punch_count(conn, corp_id) == THREADS * BATCHES * BATCH
        got = contract_store.punches(conn, corp_id, ["user0", "user3"], T0, T0 + 10**6)
    assert [len(v) for v in got.values()] == [BATCHES * BATCH] * 2
    assert [p.time for p in got["user3"]] == list(range(T0, T0 + BATCHES * BATCH))


def test_concurrent_upserts_of_the_same_punches_never_duplicate(contract_store: Store) -> None:
    with contract_store.write() as conn:
        corp_id = contract_store.upsert_corp(conn, "wwsame", "Same Co", "Asia/Shanghai")
    start = threading.Barrier(THREADS)

    def writer(worker: int) -> None:
        start.wait()
        for _ in range(10):
            punches = [Punch("zhangsan", T0 + i, notes=f"w{worker}") for i in range(BATCH)]
            with contract_store.write() as conn:
                contract_store.upsert_punches(conn, corp_id, punches)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(writer, range(THREADS)))

    with contract_store.read() as conn:
        assert contract_store.punch_count(conn, corp_id) == BATCH
