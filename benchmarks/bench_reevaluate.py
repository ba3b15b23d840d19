"""Benchmark re-evaluating a month of punches after a rule change, on SQLite, against raw reads.

daka evaluates check-in rows on read, from the stored punches, with the rule version in force
on each day; a rule change writes a new version and costs nothing up front. The requirement
measured: after a rule change that touches 10,000 users, re-evaluating 31 days of their
punches (about 1.2 million) finishes in <= 10 s on SQLite, shown beside the time to merely
read those punches from the database, and the ratio.

Setup (timed for information only):
  a temporary SQLite database made by daka's own code (create_db_engine, upgrade, Store); an
  org file (tests.factories) with 10,000 users in department 1, rule 1 (make_rule: department
  1, fixed Mon-Fri 09:00-18:00, office fence and Wi-Fi) and rule 2 (department 2, nobody in
  it, 10:00-19:00); about 1.2 million realistic punches over 2026-11-01 .. 2026-12-01 (31
  days without a statutory holiday or make-up workday), written with Store.upsert_punches in
  transactions of about 10,000.

The rule change: the org file is loaded again with rule 1 changed to work from 09:30 with 600 s
of flex each way (daka.services.org.load_org replaces a rule for all dates: the org file's
semantics). So every one of the 31 days really is judged by the new rule when next read.
(update_checkin_option, the API way, starts a new version from today or tomorrow, and days
before keep the version they had: a change made after the 31 days would not touch them.)

A. re-evaluate: every classified row of the 10,000 users over the 31 days, with daka's service
   code: a fresh Service (so the first read after the change builds the corp view), then
   daka.services.checkin.evaluate_rows in chunks of users, one read transaction per chunk.
   One process with several chunk sizes, then two worker processes (fork start method, each
   with its own engine on the same file, half the users each) with the best chunk size.
B. merely read: the same users, chunks and 31 days with raw sqlite3 (the 16 punch columns
   Store.punches selects, the same indexed WHERE and ORDER BY, fetchall); and, for
   information, daka's Store.punches, which also builds the Punch values.

Run from the repository root::

    .venv/bin/python benchmarks/bench_reevaluate.py            # full: 10,000 users
    .venv/bin/python benchmarks/bench_reevaluate.py --quick    # smoke: 1,000 users
    .venv/bin/python benchmarks/bench_reevaluate.py --profile  # and cProfile one A run

It prints figures (a table at the end, with the machine and the daka revision); it is not a
test. The clock is injected: "now" is 2026-12-02 12:00 Asia/Shanghai, after the 31 days.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import multiprocessing
import pstats
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from reporting import Figure, load_average, machine_line, print_table, revision, step, verdict

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from daka.domain.evaluation import Anomaly  # noqa: E402
from daka.domain.punches import DeviceType, Punch  # noqa: E402
from daka.services.checkin import evaluate_rows  # noqa: E402
from daka.services.org import load_org  # noqa: E402
from daka.services.service import Service  # noqa: E402
from daka.storage.engine import create_db_engine, upgrade  # noqa: E402
from daka.storage.store import Store  # noqa: E402

# The test factories build the org file. Imported by name so that mypy --strict checks this
# script without following into tests/ (which is typed for pytest, not for --strict).
factories: Any = importlib.import_module("tests.factories")
CORPID: str = factories.CORPID
OFFICE: tuple[int, int] = factories.OFFICE
OFFICE_MAC: str = factories.OFFICE_MAC

TZ = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2026, 11, 1)
DAYS = 31  # 2026-11-01 .. 2026-12-01: no statutory holiday, no make-up workday
NOW_AT = datetime(2026, 12, 2, 12, 0, tzinfo=TZ)  # the injected clock, after the 31 days
TX_PUNCHES = 10_000  # punches per setup transaction
TARGET_S = 10.0
SEED = 20261101

PUNCH_COLUMNS = (
    "userid",
    "checkin_time",
    "location_title",
    "location_detail",
    "notes",
    "wifiname",
    "wifimac",
    "mediaids",
    "lat",
    "lng",
    "device_type",
    "device_detail",
    "received_at",
    "source",
    "remark",
    "corrects",
)
# What Store.punches selects, with the same WHERE and ORDER BY.
RAW_SELECT = (
    f"SELECT {', '.join(PUNCH_COLUMNS)} FROM punches "
    "WHERE corp_id = ? AND userid IN ({marks}) AND checkin_time >= ? AND checkin_time < ? "
    "ORDER BY userid, checkin_time"
)
PHONES = ("iPhone 15", "HUAWEI Mate 60", "Xiaomi 14", "OPPO Find X7", "vivo X100", "Honor 90")


@dataclass(frozen=True)
class Config:
    mode: str
    users: int
    chunks: tuple[int, ...]
    repeat: int
    profile: bool
    workdir: Path | None


@dataclass(frozen=True)
class Evaluated:
    """What one re-evaluation produced, and how long it took."""

    seconds: float
    rows: int
    anomalous_rows: int
    view_seconds: float = 0.0


# -- data -----------------------------------------------------------------------------------


def userid(k: int) -> str:
    return f"u{k:05d}"


def day_start(day: date) -> int:
    """Unix time of local 00:00 of ``day``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=TZ).timestamp())


def org_document(users: int, changed: bool) -> dict[str, Any]:
    """The org file: ``users`` people in department 1; rule 1 before or after the change."""
    people = [
        {"userid": userid(k), "name": f"员工{k:05d}", "department": [1]} for k in range(users)
    ]
    if changed:
        rule1 = factories.make_rule(
            1,
            parties=["1"],
            slots=[factories.make_slot("09:30", "18:00")],
            checkindate_extra={
                "allow_flex": True,
                "flex_on_duty_time": 600,
                "flex_off_duty_time": 600,
            },
        )
    else:
        rule1 = factories.make_rule(1, parties=["1"])
    rule2 = factories.make_rule(2, parties=["2"], slots=[factories.make_slot("10:00", "19:00")])
    org: dict[str, Any] = factories.make_org(
        factories.make_corp(users=people, rules=[rule1, rule2], tags=[])
    )
    return org


def _at(rng: random.Random, start: int, earliest: str, latest: str) -> int:
    """A random second between local ``earliest`` and ``latest`` (HH:MM) of a day."""

    def sec(hhmm: str) -> int:
        h, m = hhmm.split(":")
        return int(h) * 3600 + int(m) * 60

    return start + rng.randrange(sec(earliest), sec(latest))


def _punch(
    rng: random.Random, uid: str, ts: int, device: DeviceType, phone: str, far: bool = False
) -> Punch:
    """A gate, an attendance machine, or the mobile app (coordinates, often Wi-Fi)."""
    received = ts + rng.randrange(1, 120)
    if device is DeviceType.GATE:
        return Punch(
            uid,
            ts,
            "East gate",
            "Turnstile 3",
            device_type=device,
            device_detail="Gate-03",
            received_at=received,
        )
    if device is DeviceType.ATTENDANCE_MACHINE:
        return Punch(
            uid,
            ts,
            "Lobby",
            "1F, Building A",
            device_type=device,
            device_detail="ZKTeco MB360",
            received_at=received,
        )
    spread = 30_000 if far else 2_000  # about 3 km (a client visit) or within ~250 m
    at_office = not far and rng.random() < 0.6
    return Punch(
        uid,
        ts,
        "人民广场",
        "上海市黄浦区人民大道200号",
        notes="client visit" if far else "",
        wifiname="Office-WiFi" if at_office else "",
        wifimac=OFFICE_MAC if at_office else "",
        lat=OFFICE[0] + rng.randint(-spread, spread),
        lng=OFFICE[1] + rng.randint(-spread, spread),
        device_type=DeviceType.OTHER,
        device_detail=phone,
        received_at=received,
    )


def _device(rng: random.Random) -> DeviceType:
    r = rng.random()
    if r < 0.5:
        return DeviceType.GATE
    if r < 0.8:
        return DeviceType.ATTENDANCE_MACHINE
    return DeviceType.OTHER


def user_punches(k: int, days: Sequence[date]) -> list[Punch]:
    """One user's month: on a workday in (08:30-09:20), lunch out and in (12:00 / 13:00), out
    (18:00-19:30), the in and out often twice (gate, then machine or phone); now and then
    absent, a client visit, a different phone; a few weekend punches."""
    rng = random.Random(SEED * 100_003 + k)
    uid = userid(k)
    phone = PHONES[k % len(PHONES)]
    out: list[Punch] = []

    def add(ts: int, device: DeviceType | None = None, far: bool = False) -> None:
        dev = device if device is not None else _device(rng)
        ph = phone if rng.random() > 0.02 else PHONES[(k + 1) % len(PHONES)]
        out.append(_punch(rng, uid, ts, dev, ph, far))

    for day in days:
        s = day_start(day)
        if day.weekday() >= 5:
            if rng.random() < 0.08:
                t0 = _at(rng, s, "10:00", "12:00")
                add(t0)
                add(_at(rng, s, "14:00", "16:00"))
            continue
        if rng.random() < 0.02:  # on leave
            continue
        t_in = _at(rng, s, "08:30", "09:20")
        add(t_in)
        if rng.random() < 0.8:
            add(t_in + rng.randrange(20, 240))
        if rng.random() < 0.9:
            add(_at(rng, s, "11:58", "12:08"), DeviceType.GATE)
            add(_at(rng, s, "12:55", "13:08"), DeviceType.GATE)
        if rng.random() < 0.05:
            add(_at(rng, s, "14:00", "16:00"), DeviceType.OTHER, far=True)
        t_out = _at(rng, s, "18:00", "19:30")
        add(t_out)
        if rng.random() < 0.8:
            add(t_out + rng.randrange(20, 240))
    # Distinct times per user (the primary key); keep the first of any collision.
    seen: set[int] = set()
    unique = []
    for p in sorted(out, key=lambda p: p.time):
        if p.time not in seen:
            seen.add(p.time)
            unique.append(p)
    return unique


# -- measurements ---------------------------------------------------------------------------


def chunked(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def reevaluate(
    url: str, userids: Sequence[str], chunk: int, start: int, end: int, now: int
) -> Evaluated:
    """Re-evaluate ``userids`` over [start, end] as a freshly started daka process would:
    its own engine, a fresh Service (the corp view is built on the first read), then
    evaluate_rows chunk by chunk, one read transaction each."""
    t0 = time.perf_counter()
    engine = create_db_engine(url)
    try:
        store = Store(engine)
        service = Service(store, clock=lambda: float(now))
        with store.read() as conn:
            corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        view = service.view(corp.id)
        view_s = time.perf_counter() - t0
        rows = anomalous = 0
        for users in chunked(userids, chunk):
            with store.read() as conn:
                found = evaluate_rows(conn, store, view, users, start, end, now)
            for user_rows in found.values():
                rows += len(user_rows)
                anomalous += sum(1 for r in user_rows if r.anomalies)
    finally:
        engine.dispose()
    return Evaluated(time.perf_counter() - t0, rows, anomalous, view_s)


def _worker(
    url: str, userids: Sequence[str], chunk: int, start: int, end: int, now: int, results: Any
) -> None:
    try:
        results.put(reevaluate(url, userids, chunk, start, end, now))
    except BaseException as exc:  # reported by the parent
        results.put(f"{type(exc).__name__}: {exc}")


def reevaluate_parallel(
    url: str, userids: Sequence[str], chunk: int, start: int, end: int, now: int, procs: int
) -> Evaluated:
    """The same work split in ``procs`` forked workers (contiguous shares of the users);
    the wall time runs from before the first fork to the last result."""
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    share = -(-len(userids) // procs)
    t0 = time.perf_counter()
    workers = [
        ctx.Process(
            target=_worker, args=(url, userids[i : i + share], chunk, start, end, now, results)
        )
        for i in range(0, len(userids), share)
    ]
    for w in workers:
        w.start()
    parts = [results.get(timeout=3600) for _ in workers]
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    errors = [p for p in parts if not isinstance(p, Evaluated)]
    if errors:
        raise SystemExit(f"a worker failed: {errors[0]}")
    done = [p for p in parts if isinstance(p, Evaluated)]
    return Evaluated(
        elapsed,
        sum(p.rows for p in done),
        sum(p.anomalous_rows for p in done),
        max(p.view_seconds for p in done),
    )


def raw_read(
    db: Path, corp_id: int, userids: Sequence[str], chunk: int, start: int, end: int
) -> tuple[float, int]:
    """Wall seconds to SELECT + fetchall every chunk's punches with sqlite3; punches read."""
    t0 = time.perf_counter()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        read = 0
        for users in chunked(userids, chunk):
            sql = RAW_SELECT.format(marks=", ".join("?" for _ in users))
            read += len(conn.execute(sql, (corp_id, *users, start, end + 1)).fetchall())
    finally:
        conn.close()
    return time.perf_counter() - t0, read


def store_read(
    store: Store, corp_id: int, userids: Sequence[str], chunk: int, start: int, end: int
) -> tuple[float, int]:
    """Wall seconds for daka's Store.punches over the same chunks; punches read."""
    t0 = time.perf_counter()
    read = 0
    for users in chunked(userids, chunk):
        with store.read() as conn:
            found = store.punches(conn, corp_id, users, start, end + 1)
        read += sum(len(v) for v in found.values())
    return time.perf_counter() - t0, read


def time_anomalies(
    store: Store, corp_id: int, userids: Sequence[str], start: int, end: int, now: int
) -> int:
    """How many rows of ``userids`` are 时间异常 (shows which rule judged the days)."""
    service = Service(store, clock=lambda: float(now))
    view = service.view(corp_id)
    with store.read() as conn:
        found = evaluate_rows(conn, store, view, userids, start, end, now)
    return sum(1 for rows in found.values() for r in rows if Anomaly.TIME in r.anomalies)


# -- reporting ------------------------------------------------------------------------------


def profile_once(
    url: str, userids: Sequence[str], chunk: int, start: int, end: int, now: int
) -> None:
    """cProfile one single-process re-evaluation and print the top costs."""
    profiler = cProfile.Profile()
    profiler.enable()
    result = reevaluate(url, userids, chunk, start, end, now)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)
    print(f"\ncProfile of A, 1 process, chunk {chunk} ({result.seconds:.1f} s under the profiler):")
    print(out.getvalue())


# -- the benchmark --------------------------------------------------------------------------


def run(cfg: Config, tmp: Path) -> None:
    load_before = load_average()
    db = tmp / "bench.db"
    url = f"sqlite:///{db}"
    days = [FIRST_DAY + timedelta(days=k) for k in range(DAYS)]
    start = day_start(days[0])
    end = day_start(days[-1] + timedelta(days=1)) - 1
    now = int(NOW_AT.timestamp())
    userids = [userid(k) for k in range(cfg.users)]

    engine = create_db_engine(url)
    store = Store(engine)
    done = step(f"schema and org file ({cfg.users:,} users, 2 rules)")
    upgrade(engine)
    load_org(store, org_document(cfg.users, changed=False))
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    corp_id = corp.id
    done()

    done = step(f"generating and writing punches ({DAYS} days, ~{TX_PUNCHES:,} per transaction)")
    t0 = time.perf_counter()
    gen_s = 0.0
    pending: list[Punch] = []
    stored = transactions = 0

    def flush() -> None:
        nonlocal stored, transactions
        with store.write() as conn:
            stored += store.upsert_punches(conn, corp_id, pending)
        transactions += 1
        pending.clear()

    for k in range(cfg.users):
        g0 = time.perf_counter()
        pending.extend(user_punches(k, days))
        gen_s += time.perf_counter() - g0
        if len(pending) >= TX_PUNCHES:
            flush()
    if pending:
        flush()
    insert_s = time.perf_counter() - t0 - gen_s
    done(f" ({stored:,} punches in {transactions} transactions)")
    with store.read() as conn:
        count = store.punch_count(conn, corp_id)
    if count != stored:
        raise SystemExit(f"stored {count} punches, expected {stored}")

    sample = userids[:200]
    before_time = time_anomalies(store, corp_id, sample, start, end, now)
    done = step("rule change: org file loaded again, rule 1 now 09:30-18:00, flex 600 s")
    c0 = time.perf_counter()
    load_org(store, org_document(cfg.users, changed=True))
    change_s = time.perf_counter() - c0
    done()
    after_time = time_anomalies(store, corp_id, sample, start, end, now)
    if after_time == before_time:
        raise SystemExit("the rule change did not change any row: nothing was re-evaluated")

    # One raw pass over everything first, so that every measurement finds the database
    # file in the OS page cache (it was just written, so it mostly is anyway).
    done = step("warming the page cache (one raw read, not counted)")
    raw_read(db, corp_id, userids, max(cfg.chunks), start, end)
    done()
    engine.dispose()  # no pooled connection crosses a fork

    one_proc: dict[int, Evaluated] = {}
    for chunk in cfg.chunks:
        done = step(f"A: re-evaluate, 1 process, chunks of {chunk}")
        one_proc[chunk] = reevaluate(url, userids, chunk, start, end, now)
        done(f" ({one_proc[chunk].rows:,} rows)")
    best_chunk = min(one_proc, key=lambda c: one_proc[c].seconds)
    a1 = one_proc[best_chunk]
    done = step(f"A: re-evaluate, 2 processes (fork), chunks of {best_chunk}")
    a2 = reevaluate_parallel(url, userids, best_chunk, start, end, now, procs=2)
    done(f" ({a2.rows:,} rows)")
    if any(
        e.rows != a1.rows or e.anomalous_rows != a1.anomalous_rows for e in (*one_proc.values(), a2)
    ):
        raise SystemExit("the runs produced different rows")

    done = step(f"B: raw sqlite3 read, chunks of {best_chunk}, best of {cfg.repeat}")
    raw_s, punches_read = min(
        raw_read(db, corp_id, userids, best_chunk, start, end) for _ in range(cfg.repeat)
    )
    done()
    done = step(f"B: Store.punches, chunks of {best_chunk}, best of {cfg.repeat}")
    store_s, store_read_n = min(
        store_read(store, corp_id, userids, best_chunk, start, end) for _ in range(cfg.repeat)
    )
    done()
    engine.dispose()
    if punches_read != stored or store_read_n != stored:
        raise SystemExit(
            f"read {punches_read} (raw) / {store_read_n} (Store) punches, stored {stored}"
        )

    headline = min(a1.seconds, a2.seconds)
    best_label = "1 process" if a1.seconds <= a2.seconds else "2 processes"
    n_users = f"{cfg.users:,} users x {DAYS} days"
    figures = [
        Figure("S", f"punches stored ({n_users}, 2026-11-01..12-01)", f"{stored:,}"),
        Figure(
            "S",
            f"write: Store.upsert_punches, {transactions} transactions (info)",
            f"{insert_s:.1f} s",
        ),
        Figure("S", "rule change: load_org with rule 1 changed (info)", f"{change_s:.2f} s"),
        Figure(
            "S",
            f"时间异常 rows of {len(sample)} users: old rule -> new rule",
            f"{before_time:,} -> {after_time:,}",
        ),
    ]
    for chunk, e in one_proc.items():
        mark = " *" if chunk == best_chunk else ""
        figures.append(
            Figure("A", f"re-evaluate, 1 process, chunks of {chunk}{mark}", f"{e.seconds:.2f} s")
        )
    figures += [
        Figure(
            "A", f"  of which engine + corp view ({cfg.users:,} users)", f"{a1.view_seconds:.2f} s"
        ),
        Figure(
            "A", f"re-evaluate, 2 processes (fork), chunks of {best_chunk}", f"{a2.seconds:.2f} s"
        ),
        Figure("A", "rows produced (in range)", f"{a1.rows:,}"),
        Figure("A", "  of which with an exception_type (info)", f"{a1.anomalous_rows:,}"),
        Figure(
            "A",
            f"re-evaluate, best ({best_label})",
            f"{headline:.2f} s",
            f"<= {TARGET_S:.0f} s",
            verdict(headline <= TARGET_S),
        ),
        Figure("A", "throughput, best", f"{punches_read / headline:,.0f} punches/s"),
        Figure("B", "punches read", f"{punches_read:,}"),
        Figure(
            "B",
            f"raw sqlite3 SELECT + fetchall, chunks of {best_chunk}, best of {cfg.repeat}",
            f"{raw_s:.2f} s",
        ),
        Figure("B", "daka Store.punches, same chunks (info)", f"{store_s:.2f} s"),
        Figure("=", "ratio A (1 process) / B raw read", f"{a1.seconds / raw_s:.1f} x"),
        Figure("=", "ratio A (best) / B raw read", f"{headline / raw_s:.1f} x"),
    ]
    print_table(
        f"daka re-evaluation benchmark ({cfg.mode}, {revision()}): SQLite, "
        "rule change by org file reload, rows evaluated on read",
        figures,
        machine_line(tmp, load_before),
    )
    if cfg.profile:
        profile_once(url, userids, best_chunk, start, end, now)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smoke run: 1,000 users")
    parser.add_argument("--users", type=int, help="users to load and re-evaluate")
    parser.add_argument(
        "--chunks",
        default="100,500,1000",
        help="chunk sizes (users per evaluate_rows call) to try, comma-separated",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each read baseline")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile one single-process re-evaluation"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where to create the temporary directory (default: system temp)",
    )
    args = parser.parse_args()
    try:
        chunks = tuple(sorted({int(c) for c in args.chunks.split(",") if c.strip()}))
    except ValueError:
        parser.error("--chunks must be comma-separated integers")
    if not chunks or min(chunks) <= 0:
        parser.error("--chunks must be positive")
    cfg = Config(
        mode="quick" if args.quick else "full" if not args.users else "custom",
        users=args.users or (1_000 if args.quick else 10_000),
        chunks=chunks,
        repeat=max(1, args.repeat),
        profile=args.profile,
        workdir=args.workdir,
    )
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so the finally block cleans up
    tmp = Path(tempfile.mkdtemp(prefix="daka-bench-", dir=cfg.workdir))
    try:
        run(cfg, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
