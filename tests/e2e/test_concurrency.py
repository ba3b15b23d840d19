"""Concurrent writers against a real ``daka serve``: no acknowledged write is lost, none is -1.

One server process per backend (SQLite, PostgreSQL), and at the same moment:

- punch writers send overlapping ``add_checkin_record`` batches: the same punches, over the
  same users, in different orders, each batch with its own ``notes``;
- rule writers send ``add_checkin_option`` with disjoint ranges, and a few whose ranges all
  name one user.

Then the stored state must be what some serial order of the acknowledged requests would
have made: every punch of every acknowledged batch is stored, each with the notes of a batch
that held it, and one order of the batches explains every punch's notes; every acknowledged
rule is stored under its own groupid with the body it was sent with; of the rules naming the
same user, exactly one was taken and the others were answered 301091. No request is
answered -1.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from daka.storage.engine import normalize_url
from tests.e2e.conftest import Api, CorpKey, DakaServer, at_day, past_monday, start_server
from tests.factories import api_rule, make_corp, make_org, make_rule

# The database fixtures of the storage contract suite: one fresh database per backend.
from tests.storage.conftest import _pg_dropper, any_db_url  # noqa: F401

pytestmark = pytest.mark.slow

CORP = CorpKey("wwe2econcurrent1", "concurrent-secret")
USERS = [f"u{i:02d}" for i in range(40)]
PUNCH_USERS = USERS[:8]  # every batch mixes these users' punches
PUNCHES_PER_USER = 25
WRITERS, BATCHES_PER_WRITER, BATCH = 12, 4, 120
DISJOINT_RULES = 8  # each over a user of its own: u10 … u17
CONFLICTING_RULES = 4  # all over u30 (and one more user each): one of them wins


@pytest.fixture
def server(tmp_path: Path, any_db_url: str) -> Iterator[tuple[DakaServer, str]]:  # noqa: F811
    """A server of a corp of 40 users (rule 1 from the org file covers u00) on a fresh
    database of each backend, and the database's URL."""
    users = [{"userid": u, "name": u, "department": [1]} for u in USERS]
    org = make_org(
        make_corp(
            CORP.corpid,
            secret=CORP.secret,
            users=users,
            rules=[make_rule(1, users=["u00"], sync_holidays=False)],
        )
    )
    url = any_db_url if any_db_url.startswith("postgresql") else None
    started = start_server(tmp_path, db_url=url, org=org)
    yield started, url or f"sqlite:///{started.db_path}"
    started.stop()


def punch_batches(day_start: int) -> list[list[dict[str, Any]]]:
    """WRITERS × BATCHES_PER_WRITER batches drawn from one pool of punches, each in its own
    order (so two batches often hold the same punches in opposite orders)."""
    pool = [
        (u, day_start + 8 * 3600 + 60 * k) for u in PUNCH_USERS for k in range(PUNCHES_PER_USER)
    ]
    rng = random.Random(8)
    batches = []
    for n in range(WRITERS * BATCHES_PER_WRITER):
        chosen = rng.sample(pool, BATCH)
        if n % 2:
            chosen.sort(reverse=True)
        batches.append(
            [
                {
                    "userid": u,
                    "checkin_time": t,
                    "notes": f"batch {n}",
                    "location_title": "Gate",
                    "location_detail": "B1",
                    "device_type": 2,
                    "device_detail": "ZKTeco",
                }
                for u, t in chosen
            ]
        )
    return batches


def rule_requests() -> list[dict[str, Any]]:
    disjoint = [
        api_rule(groupname=f"disjoint {k}", users=[USERS[10 + k]], parties=[], sync_holidays=False)
        for k in range(DISJOINT_RULES)
    ]
    conflicting = [
        api_rule(
            groupname=f"conflict {k}", users=["u30", USERS[31 + k]], parties=[], sync_holidays=False
        )
        for k in range(CONFLICTING_RULES)
    ]
    return [{"effective_now": True, "group": g} for g in disjoint + conflicting]


def run_at_once(base_url: str, requests: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Send every (endpoint, body) from a thread of its own, all released at once."""
    apis = [Api(base_url, CORP.corpid, CORP.secret) for _ in requests]
    for api in apis:
        api.login()
    start = threading.Barrier(len(requests))

    def send(i: int) -> dict[str, Any]:
        endpoint, body = requests[i]
        start.wait()
        return apis[i].post(endpoint, body)

    try:
        with ThreadPoolExecutor(len(requests)) as pool:
            return list(pool.map(send, range(len(requests))))
    finally:
        for api in apis:
            api.close()


def stored_punches(db_url: str) -> dict[tuple[str, int], str]:
    """(userid, checkin_time) → notes of every stored punch, read from the database itself."""
    engine = create_engine(normalize_url(db_url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT userid, checkin_time, notes FROM punches"))
            return {(r.userid, r.checkin_time): r.notes for r in rows}
    finally:
        engine.dispose()


def has_serial_order(batches: list[list[dict[str, Any]]], winner: Callable[[Any], int]) -> bool:
    """Whether one order of ``batches`` ends with ``winner(key)`` last among the batches
    holding each punch key: the graph "b before winner" has no cycle."""
    after: dict[int, set[int]] = {n: set() for n in range(len(batches))}
    for n, batch in enumerate(batches):
        for r in batch:
            w = winner((r["userid"], r["checkin_time"]))
            if w != n:
                after[n].add(w)
    state: dict[int, int] = {}  # 1 visiting, 2 done

    def acyclic(n: int) -> bool:
        state[n] = 1
        for m in after[n]:
            if state.get(m) == 1 or (m not in state and not acyclic(m)):
                return False
        state[n] = 2
        return True

    return all(n in state or acyclic(n) for n in after)


def test_concurrent_punch_batches_and_rule_creations_are_all_kept_as_answered(
    server: tuple[DakaServer, str],
) -> None:
    daka, db_url = server
    day = past_monday() - timedelta(days=7)
    batches = punch_batches(at_day(day, "00:00"))
    rules = rule_requests()
    requests = [("checkin/add_checkin_record", {"records": b}) for b in batches]
    requests += [("checkin/add_checkin_option", r) for r in rules]
    answers = run_at_once(daka.base_url, requests)
    punch_answers, rule_answers = answers[: len(batches)], answers[len(batches) :]

    assert [a for a in answers if a["errcode"] == -1] == [], daka.log()[-3000:]
    assert [a["errcode"] for a in punch_answers] == [0] * len(batches)
    codes = [a["errcode"] for a in rule_answers]
    assert codes[:DISJOINT_RULES] == [0] * DISJOINT_RULES
    assert sorted(codes[DISJOINT_RULES:]) == [0] + [301091] * (CONFLICTING_RULES - 1)

    # Rules: each acknowledged one under a groupid of its own, with the range it was sent.
    api = Api(daka.base_url, CORP.corpid, CORP.secret)
    try:
        listed = api.post("checkin/getcorpcheckinoption", {})
    finally:
        api.close()
    assert listed["errcode"] == 0, listed
    groups = listed["group"]
    acknowledged = {
        r["group"]["groupname"]: r["group"]
        for r, code in zip(rules, codes, strict=True)
        if code == 0
    }
    assert sorted(g["groupname"] for g in groups) == sorted(["rule 1", *acknowledged])
    assert len({g["groupid"] for g in groups}) == len(groups)
    for g in groups:
        if g["groupname"] in acknowledged:
            sent = acknowledged[g["groupname"]]["range"]
            assert g["range"]["userid"] == sent["userid"], g["groupname"]

    # Punches: exactly the union of the batches, and one serial order explains the notes.
    stored = stored_punches(db_url)
    sent_keys = {(r["userid"], r["checkin_time"]) for b in batches for r in b}
    assert set(stored) == sent_keys
    holders: dict[tuple[str, int], set[str]] = {}
    for b in batches:
        for r in b:
            holders.setdefault((r["userid"], r["checkin_time"]), set()).add(r["notes"])
    assert [k for k, notes in stored.items() if notes not in holders[k]] == []
    assert has_serial_order(batches, lambda key: int(stored[key].split()[1]))
