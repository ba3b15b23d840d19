"""Benchmark ``daka sync``: mirroring a month of a corp from a real ``daka serve`` process.

Setup (timed for information only): a remote database made by daka's own code with the org of
bench_reevaluate (N users in department 1, rule 1 Mon-Fri 09:00-18:00) and its realistic
punches (gates, machines, phones, several per slot) over the 31 days before today; then
``daka serve`` on it (rate limits off), on the wall clock.

A. read only (the baseline): what sync reads, read with the SDK and thrown away: the directory,
   the rules, getcheckindata and get_hardware_checkin_data for every user over the 31 days,
   in the same chunks of 100 users and 30-day windows.
B. first sync: the same reads, turned into punches and written to a new local SQLite
   database (daka.sync.sync_corp, the code behind ``daka sync``), with the ratio to A.
C. second sync, nothing new: the month of overlap is read again and nothing is written.
D. third sync after 1 % new punches on the remote: only those are written.

Run from the repository root::

    .venv/bin/python benchmarks/bench_sync.py            # full: 1,000 users
    .venv/bin/python benchmarks/bench_sync.py --quick    # smoke: 200 users

It prints figures (a table at the end, with the machine and the daka revision); it is not a
test.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench_server import running_server
from reporting import Figure, load_average, machine_line, print_table, revision, step

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from daka.client import Client  # noqa: E402
from daka.domain.calendar import day_start  # noqa: E402
from daka.services.org import load_org  # noqa: E402
from daka.storage.engine import create_db_engine, upgrade  # noqa: E402
from daka.storage.store import Store  # noqa: E402
from daka.sync import SyncOptions, SyncReport, sync_corp  # noqa: E402
from daka.sync.convert import windows  # noqa: E402

reeval: Any = importlib.import_module("bench_reevaluate")
factories: Any = importlib.import_module("tests.factories")
CORPID: str = factories.CORPID
SECRET: str = factories.SECRET
TZ = reeval.TZ
DAYS = 31


def seed_remote(db: Path, users: int, days: list[Any]) -> int:
    store = Store(create_db_engine(f"sqlite:///{db}"))
    upgrade(store.engine)
    load_org(store, reeval.org_document(users, changed=False))
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    written = 0
    pending = []
    for k in range(users):
        pending.extend(reeval.user_punches(k, days))
        if len(pending) >= 10_000 or k == users - 1:
            with store.write() as conn:
                written += store.upsert_punches(conn, corp.id, pending)
            pending.clear()
    store.engine.dispose()
    return written


def read_only(base: str, userids: list[str], start: int, end: int) -> tuple[int, int]:
    """What sync reads, thrown away: returns (rows, device punches)."""
    rows = machines = 0
    with Client(CORPID, SECRET, base_url=base, rate_limits={}, timeout=120) as client:
        client.department_list()
        client.user_simplelist(1, fetch_child=True)
        for tag in client.tag_list().taglist:
            client.tag_get(tag.tagid)
        client.getcorpcheckinoption()
        for i in range(0, len(userids), 100):
            chunk = userids[i : i + 100]
            for a, b in windows(start, end):
                rows += len(client.getcheckindata(chunk, a, b - 1).checkindata)
                machines += len(client.get_hardware_checkin_data(chunk, a, b - 1).checkindata)
    return rows, machines


def sync_once(base: str, store: Store, since: Any) -> tuple[float, SyncReport]:
    with Client(CORPID, SECRET, base_url=base, rate_limits={}, timeout=120) as client:
        t0 = time.perf_counter()
        report = sync_corp(
            store, client, SyncOptions(CORPID, SECRET, base, since=since), int(time.time())
        )
        return time.perf_counter() - t0, report


def run(users: int, tmp: Path) -> None:
    load_before = load_average()
    today = datetime.now(TZ).date()
    days = [today - timedelta(days=DAYS - k) for k in range(DAYS)]
    remote_db = tmp / "remote.db"
    done = step(f"remote database: {users:,} users, {DAYS} days of punches")
    punches = seed_remote(remote_db, users, days)
    done(f" ({punches:,} punches)")
    org_file = tmp / "org.json"
    org_file.write_text(json.dumps(reeval.org_document(users, changed=False)))
    userids = sorted(reeval.userid(k) for k in range(users))
    start = day_start(days[0], TZ)
    local = Store(create_db_engine(f"sqlite:///{tmp / 'mirror.db'}"))
    upgrade(local.engine)
    figures: list[Figure] = []
    with running_server(remote_db, org_file, tmp / "server.log") as server:
        done = step("A. read only (the baseline)")
        t0 = time.perf_counter()
        rows, machines = read_only(server.base, userids, start, int(time.time()) + 1)
        read_s = time.perf_counter() - t0
        done(f" ({rows:,} rows, {machines:,} device punches)")
        done = step("B. first sync")
        first_s, first = sync_once(server.base, local, days[0])
        done(f" ({first.punches_new:,} punches new)")
        done = step("C. second sync, nothing new")
        second_s, second = sync_once(server.base, local, None)
        done(f" ({second.punches_new} new, {second.punches_unchanged:,} unchanged)")
        added = max(1, punches // 100)
        with Client(CORPID, SECRET, base_url=server.base, rate_limits={}) as client:
            yesterday = day_start(today - timedelta(days=1), TZ)
            client.add_checkin_record(
                [
                    {
                        "userid": userids[k % users],
                        "checkin_time": yesterday + 20 * 3600 + k // users,
                        "location_title": "Gate",
                        "location_detail": "1F",
                        "device_type": 1,
                        "device_detail": "Gate 9",
                    }
                    for k in range(added)
                ]
            )
        done = step(f"D. third sync after {added:,} new punches")
        third_s, third = sync_once(server.base, local, None)
        done(f" ({third.punches_new:,} new)")
    local.engine.dispose()
    mirrored = first.punches_new
    figures += [
        Figure(
            "A",
            "read only: getcheckindata + hardware, 100 users x 30 days per call",
            f"{read_s:.2f} s",
        ),
        Figure("B", "first sync", f"{first_s:.2f} s"),
        Figure("B", "  punches mirrored per second", f"{mirrored / first_s:,.0f}"),
        Figure("B", "  ratio first sync / read only", f"{first_s / read_s:.2f}"),
        Figure(
            "C", "second sync, nothing new (a month of overlap read again)", f"{second_s:.2f} s"
        ),
        Figure("C", "  punches written", f"{second.punches_new + second.punches_updated}"),
        Figure("D", f"third sync after {added:,} new punches", f"{third_s:.2f} s"),
        Figure("D", "  punches written", f"{third.punches_new + third.punches_updated:,}"),
    ]
    print_table(
        f"daka sync, {users:,} users, {DAYS} days, {revision()}",
        figures,
        machine_line(tmp, load_before),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smoke run: 200 users")
    parser.add_argument("--users", type=int, help="users in the corp")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    users = args.users or (200 if args.quick else 1_000)
    tmp = Path(tempfile.mkdtemp(prefix="daka-bench-sync-"))
    try:
        run(users, tmp)
    finally:
        if args.keep:
            print(f"databases kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
