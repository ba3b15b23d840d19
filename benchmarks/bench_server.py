"""Benchmark a real ``daka serve`` process on SQLite (rate limits off) against raw sqlite3.

A. add_checkin_record throughput over HTTP: 1000 users' punches over the 60 days before today,
   in batches of exactly 200 realistic records (pre-serialized), sent by several keep-alive
   httpx senders. Baseline, same run: sqlite3 ``executemany`` of the same rows into a fresh
   database with daka's own DDL (copied from the server's database) and pragmas (WAL,
   synchronous=FULL, foreign keys), one commit (fsync) per 200-row batch like the server; and,
   for information, one commit for all rows.
B. getcheckindata latency, 100 users x 30 days, on the database A filled (the 100 users punch
   four times every workday). Baseline: the indexed SELECT + fetchall of those users' punches
   over the same range, with sqlite3 directly on the server's database file.

Run from the repository root::

    .venv/bin/python benchmarks/bench_server.py          # full: 120,000 records, 30 queries
    .venv/bin/python benchmarks/bench_server.py --quick  # smoke: 20,000 records, 10 queries

It prints figures (a table at the end, with the machine and the daka revision); it is not a
test. Figures depend on the disk's fsync latency and on other load: the table shows the load
average, and the server's and client's CPU use while sending.
"""

from __future__ import annotations

import argparse
import importlib
import os
import queue
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import orjson
from reporting import (
    Figure,
    load_average,
    machine_line,
    p95,
    print_table,
    revision,
    step,
    verdict,
)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# The test factories build the org file. Imported by name so that mypy --strict checks this
# script without following into tests/ (which is typed for pytest, not for --strict).
factories: Any = importlib.import_module("tests.factories")
CORPID: str = factories.CORPID
SECRET: str = factories.SECRET
OFFICE: tuple[int, int] = factories.OFFICE
OFFICE_MAC: str = factories.OFFICE_MAC

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 200  # add_checkin_record's maximum, and the durability unit
USERS = 1000
QUERIED_USERS = 100  # the first 100 userids: 4 punches every workday
DAYS = 60  # punches lie on the 60 days before today (Asia/Shanghai), all in the past
QUERY_DAYS = 30
TARGET_RECORDS_PER_S = 20_000
TARGET_RATIO = 0.2
TARGET_QUERY_MS = 50.0

PUNCH_FIELDS = (
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
)
# The upsert the server issues for a batch (Store.upsert_punches).
RAW_UPSERT = (
    f"INSERT INTO punches (corp_id, {', '.join(PUNCH_FIELDS)}) "
    f"VALUES (?, {', '.join('?' for _ in PUNCH_FIELDS)}) "
    "ON CONFLICT (corp_id, userid, checkin_time) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in PUNCH_FIELDS[2:])
)
RAW_SELECT = (
    f"SELECT {', '.join(PUNCH_FIELDS)} FROM punches "
    "WHERE corp_id = ? AND userid IN ({marks}) AND checkin_time BETWEEN ? AND ? "
    "ORDER BY userid, checkin_time"
)

Record = dict[str, Any]


@dataclass(frozen=True)
class Config:
    mode: str
    records: int
    queries: int
    senders: int
    workdir: Path | None


# -- data -----------------------------------------------------------------------------------


def userid(k: int) -> str:
    return f"u{k:04d}"


def org_document() -> dict[str, Any]:
    users = [{"userid": userid(k), "name": f"员工{k:04d}", "department": [1]} for k in range(USERS)]
    org: dict[str, Any] = factories.make_org(
        factories.make_corp(users=users, rules=[factories.make_rule()], tags=[])
    )
    return org


def midnight(day: date) -> int:
    """Unix time of local 00:00 of ``day``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=TZ).timestamp())


def at(day: date, earliest: str, latest: str, rng: random.Random) -> int:
    """A random second of ``day`` between local ``earliest`` and ``latest`` (HH:MM)."""

    def sec(hhmm: str) -> int:
        h, m = hhmm.split(":")
        return int(h) * 3600 + int(m) * 60

    return midnight(day) + rng.randrange(sec(earliest), sec(latest))


def _punch(rng: random.Random, uid: str, ts: int) -> Record:
    """One realistic record: a gate or attendance machine, or the mobile app with GPS/Wi-Fi."""
    kind = rng.random()
    if kind < 0.45:
        return {
            "userid": uid,
            "checkin_time": ts,
            "location_title": "Lobby",
            "location_detail": "1F, Building A",
            "device_type": 2,
            "device_detail": "ZKTeco MB360",
        }
    if kind < 0.65:
        return {
            "userid": uid,
            "checkin_time": ts,
            "location_title": "East gate",
            "location_detail": "Turnstile 3",
            "device_type": 1,
            "device_detail": "Gate-03",
        }
    record: Record = {
        "userid": uid,
        "checkin_time": ts,
        "location_title": "人民广场",
        "location_detail": "上海市黄浦区人民大道200号",
        "device_type": 3,
        "device_detail": "iPhone 15",
        "lat": OFFICE[0] + rng.randint(-2_000, 2_000),
        "lng": OFFICE[1] + rng.randint(-2_000, 2_000),
    }
    if kind < 0.85:
        record["wifiname"] = "Office-WiFi"
        record["wifimac"] = OFFICE_MAC
    if kind > 0.97:
        record["notes"] = "client visit"
    return record


def _user_day(rng: random.Random, uid: str, day: date, full: bool) -> list[Record]:
    """A user's punches on one day: in, lunch out, lunch in, out on workdays (``full``), or
    a realistic subset; now and then a weekend punch."""
    if day.weekday() >= 5:
        if full or rng.random() > 0.05:
            return []
        return [_punch(rng, uid, at(day, "10:00", "16:00", rng))]
    times = [
        at(day, "08:30", "09:10", rng),  # in (some late)
        at(day, "11:55", "12:05", rng),  # lunch out
        at(day, "12:50", "13:05", rng),  # lunch in
        at(day, "17:50", "20:00", rng),  # out (some early)
    ]
    if not full:  # some skip the lunch punches, a few forget to punch out
        times = rng.choices([times, [times[0], times[3]], [times[0]]], weights=[6, 3, 1])[0]
    return [_punch(rng, uid, ts) for ts in times]


def make_records(total: int, today: date, seed: int = 20261116) -> list[Record]:
    """``total`` distinct punches over the ``DAYS`` days before ``today``, in upload order
    (chronological, as devices upload). The first ``QUERIED_USERS`` users always punch four
    times a workday; the rest fill up to ``total`` from a random sample of their user-days."""
    rng = random.Random(seed)
    days = [today - timedelta(days=k) for k in range(DAYS, 0, -1)]
    chosen: list[Record] = []
    for k in range(QUERIED_USERS):
        for day in days:
            chosen.extend(_user_day(rng, userid(k), day, full=True))
    pool: list[Record] = []
    for k in range(QUERIED_USERS, USERS):
        for day in days:
            pool.extend(_user_day(rng, userid(k), day, full=False))
    rng.shuffle(pool)
    need = total - len(chosen)
    if need < 0 or need > len(pool):
        raise SystemExit(
            f"cannot make {total:,} records: the 100 queried users alone punch "
            f"{len(chosen):,} times, the others at most {len(pool):,}"
        )
    chosen.extend(pool[:need])
    chosen.sort(key=lambda r: (r["checkin_time"], r["userid"]))
    return chosen


def batches(records: Sequence[Record]) -> list[list[Record]]:
    if len(records) % BATCH:
        raise SystemExit(f"the record count must be a multiple of {BATCH}")
    return [list(records[i : i + BATCH]) for i in range(0, len(records), BATCH)]


def raw_row(corp_id: int, r: Record, received_at: int) -> tuple[Any, ...]:
    """The row Store.upsert_punches writes for a record."""
    return (
        corp_id,
        r["userid"],
        r["checkin_time"],
        r["location_title"],
        r["location_detail"],
        r.get("notes", ""),
        r.get("wifiname", ""),
        r.get("wifimac", ""),
        "[]",
        r.get("lat"),
        r.get("lng"),
        r["device_type"],
        r["device_detail"],
        received_at,
    )


# -- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    base: str
    pid: int


@contextmanager
def running_server(
    db: Path, org_file: Path, log_file: Path, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    """A ``daka serve`` subprocess; yields its URL and pid, and always terminates it."""
    exe = Path(sys.executable).parent / "daka"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAKA_")}
    env.update(extra_env or {})
    cmd = [
        str(exe),
        "serve",
        "--db",
        f"sqlite:///{db}",
        "--org",
        str(org_file),
        "--rate-limits",
        "off",
        "--port",
        str(port),
    ]
    base = f"http://127.0.0.1:{port}"
    with open(log_file, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_healthy(proc, base, log_file)
            yield Server(base, proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def query_latencies(url: str, body: bytes, n: int) -> tuple[list[float], int]:
    """Latencies (ms) of ``n`` identical getcheckindata calls after one uncounted warm-up,
    and the number of rows each returned."""
    latencies: list[float] = []
    returned = 0
    with httpx.Client(timeout=120, headers={"Content-Type": "application/json"}) as client:
        for k in range(n + 1):  # the first call warms up and is not counted
            t0 = time.perf_counter()
            reply = client.post(url, content=body)
            elapsed_ms = (time.perf_counter() - t0) * 1000
            data = orjson.loads(reply.content)
            if data.get("errcode") != 0:
                raise SystemExit(f"getcheckindata failed: {reply.text[:300]}")
            returned = len(data["checkindata"])
            if k:
                latencies.append(elapsed_ms)
    return latencies, returned


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a process has used so far (Linux), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_healthy(proc: subprocess.Popen[bytes], base: str, log_file: Path) -> None:
    deadline = time.monotonic() + 60
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(
                    f"daka serve exited ({proc.returncode}):\n"
                    + log_file.read_text(errors="replace")
                )
            try:
                if client.get(f"{base}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise SystemExit(
        "daka serve did not become healthy within 60 s:\n" + log_file.read_text(errors="replace")
    )


def get_token(base: str) -> str:
    reply = httpx.get(
        f"{base}/cgi-bin/gettoken", params={"corpid": CORPID, "corpsecret": SECRET}, timeout=30
    ).json()
    if reply.get("errcode") != 0:
        raise SystemExit(f"gettoken failed: {reply}")
    return str(reply["access_token"])


def send_all(url: str, bodies: Sequence[bytes], senders: int) -> float:
    """POST every body with ``senders`` keep-alive clients; returns the elapsed seconds."""
    work: queue.SimpleQueue[bytes] = queue.SimpleQueue()
    for body in bodies:
        work.put(body)
    errors: list[str] = []
    start_gate = threading.Barrier(senders + 1)
    headers = {"Content-Type": "application/json"}

    def sender() -> None:
        try:
            with httpx.Client(timeout=120, headers=headers) as client:
                client.get(url.split("/cgi-bin/")[0] + "/healthz")  # open the connection
                start_gate.wait(timeout=60)
                while not errors:
                    try:
                        body = work.get_nowait()
                    except queue.Empty:
                        return
                    reply = client.post(url, content=body)
                    if reply.status_code != 200 or orjson.loads(reply.content)["errcode"] != 0:
                        errors.append(f"HTTP {reply.status_code}: {reply.text[:300]}")
        except Exception as exc:  # report it from the main thread
            errors.append(f"{type(exc).__name__}: {exc}")
            start_gate.abort()

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(senders)]
    for th in threads:
        th.start()
    try:
        start_gate.wait(timeout=60)
    except threading.BrokenBarrierError:
        pass
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"add_checkin_record failed: {errors[0]}")
    return elapsed


# -- raw sqlite3 baselines -------------------------------------------------------------------


def raw_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


@dataclass(frozen=True)
class Schema:
    """daka's ``corps`` and ``punches`` DDL (tables, then indexes) and its corp row."""

    ddl: tuple[str, ...]
    corp_row: tuple[Any, ...]


def daka_schema(db: Path) -> Schema:
    """Copy the schema daka's migrations created (read from the server's database), so the
    raw baseline maintains the same B-trees and checks the same foreign key as the server."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ddl = tuple(
            sql
            for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name IN ('corps', 'punches') "
                "AND sql IS NOT NULL "
                "ORDER BY type = 'index', tbl_name = 'punches', name"
            )
        )
        corp_row = conn.execute("SELECT * FROM corps WHERE corpid = ?", (CORPID,)).fetchone()
    finally:
        conn.close()
    if not any("CREATE TABLE punches" in sql.replace('"', "") for sql in ddl) or not corp_row:
        raise SystemExit(f"no punches table or corp {CORPID} in {db}")
    return Schema(ddl, tuple(corp_row))


def raw_insert(
    path: Path, schema: Schema, rows: Sequence[tuple[Any, ...]], per_batch: bool
) -> float:
    """executemany ``rows`` into a fresh database; one commit per 200 rows or one in all."""
    conn = raw_connect(path)
    try:
        for sql in schema.ddl:
            conn.execute(sql)
        marks = ", ".join("?" for _ in schema.corp_row)
        conn.execute(f"INSERT INTO corps VALUES ({marks})", schema.corp_row)
        t0 = time.perf_counter()
        if per_batch:
            for i in range(0, len(rows), BATCH):
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(RAW_UPSERT, rows[i : i + BATCH])
                conn.execute("COMMIT")
        else:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(RAW_UPSERT, rows)
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - t0
        (count,) = conn.execute("SELECT count(*) FROM punches").fetchone()
        if count != len(rows):
            raise SystemExit(f"raw baseline stored {count} rows, expected {len(rows)}")
        return elapsed
    finally:
        conn.close()


def raw_select_ms(
    db: Path, corp_id: int, users: Sequence[str], start: int, end: int, runs: int
) -> tuple[float, int]:
    """Median ms of the indexed SELECT + fetchall on the server's database, and its row count."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        sql = RAW_SELECT.format(marks=", ".join("?" for _ in users))
        args = (corp_id, *users, start, end)
        conn.execute(sql, args).fetchall()  # warm the page cache like the server's
        times = []
        rows: list[Any] = []
        for _ in range(runs):
            t0 = time.perf_counter()
            rows = conn.execute(sql, args).fetchall()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times), len(rows)
    finally:
        conn.close()


# -- reporting ------------------------------------------------------------------------------


# -- the benchmark --------------------------------------------------------------------------


def run(cfg: Config, tmp: Path) -> None:
    load_before = load_average()
    today = datetime.now(TZ).date()
    org_file = tmp / "org.json"
    org_file.write_bytes(orjson.dumps(org_document()))
    db = tmp / "bench.db"

    done = step(f"generating {cfg.records:,} records")
    records = make_records(cfg.records, today)
    bodies = [orjson.dumps({"records": b}) for b in batches(records)]
    done(f" ({len(bodies)} bodies of {BATCH}, {sum(map(len, bodies)) / 1e6:.1f} MB)")

    with running_server(db, org_file, tmp / "server.log") as server:
        base = server.base
        token = get_token(base)

        # The raw baselines run while the server idles, on a copy of its schema.
        schema = daka_schema(db)
        corp_id = int(schema.corp_row[0])
        rows = [raw_row(corp_id, r, int(time.time())) for r in records]
        done = step("raw sqlite3, one commit per 200-row batch")
        raw_batch_s = raw_insert(tmp / "raw_batch.db", schema, rows, per_batch=True)
        done()
        done = step("raw sqlite3, one commit for all rows")
        raw_once_s = raw_insert(tmp / "raw_once.db", schema, rows, per_batch=False)
        done()

        add_url = f"{base}/cgi-bin/checkin/add_checkin_record?access_token={token}"
        done = step(f"add_checkin_record over HTTP, {cfg.senders} senders")
        cpu_before, client_before = cpu_seconds(server.pid), time.process_time()
        server_s = send_all(add_url, bodies, cfg.senders)
        cpu_after, client_cpu = cpu_seconds(server.pid), time.process_time() - client_before
        done()

        ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            (stored,) = ro.execute(
                "SELECT count(*) FROM punches WHERE corp_id = ?", (corp_id,)
            ).fetchone()
        finally:
            ro.close()
        if stored != cfg.records:
            raise SystemExit(f"the server stored {stored} punches, expected {cfg.records}")

        # B: the first 100 users over 30 days ending the day before yesterday.
        users = [userid(k) for k in range(QUERIED_USERS)]
        start = midnight(today - timedelta(days=QUERY_DAYS + 1))
        end = start + QUERY_DAYS * 86_400 - 1
        query_url = f"{base}/cgi-bin/checkin/getcheckindata?access_token={token}"
        query = orjson.dumps(
            {"opencheckindatatype": 3, "starttime": start, "endtime": end, "useridlist": users}
        )
        done = step(f"getcheckindata x {cfg.queries}, day cache on (as deployed)")
        latencies, returned = query_latencies(query_url, query, cfg.queries)
        done()
        raw_ms, punches_in_range = raw_select_ms(
            db, corp_id, users, start, end, max(cfg.queries, 30)
        )

    # The same queries on a server without the day cache: every day evaluated every time.
    with running_server(
        db, org_file, tmp / "server-cold.log", {"DAKA_DAY_CACHE_ROWS": "0"}
    ) as cold_server:
        cold_token = get_token(cold_server.base)
        done = step(f"getcheckindata x {cfg.queries}, day cache off (every day evaluated)")
        cold_latencies, _ = query_latencies(
            f"{cold_server.base}/cgi-bin/checkin/getcheckindata?access_token={cold_token}",
            query,
            cfg.queries,
        )
        done()

    server_rate = cfg.records / server_s
    raw_batch_rate = cfg.records / raw_batch_s
    raw_once_rate = cfg.records / raw_once_s
    ratio = server_rate / raw_batch_rate
    q_median = statistics.median(latencies)
    server_cpu = "n/a"
    if cpu_before is not None and cpu_after is not None:
        server_cpu = f"{100 * (cpu_after - cpu_before) / server_s:.0f}% of a core"
    client_cpu_share = f"{100 * client_cpu / server_s:.0f}% of a core"
    n = cfg.records
    figures = [
        Figure(
            "A",
            f"add_checkin_record over HTTP ({cfg.senders} senders, "
            f"{n:,} records, {n // BATCH} x {BATCH})",
            f"{server_rate:,.0f} rec/s",
            f">= {TARGET_RECORDS_PER_S:,} rec/s",
            verdict(server_rate >= TARGET_RECORDS_PER_S),
        ),
        Figure(
            "A", "raw sqlite3 executemany, commit per 200-row batch", f"{raw_batch_rate:,.0f} rec/s"
        ),
        Figure("A", "raw sqlite3 executemany, one commit (info)", f"{raw_once_rate:,.0f} rec/s"),
        Figure(
            "A",
            "ratio server / raw (commit per batch)",
            f"{ratio:.2f}",
            f">= {TARGET_RATIO}",
            verdict(ratio >= TARGET_RATIO),
        ),
        Figure("A", "CPU while sending: server process (info)", server_cpu),
        Figure("A", "CPU while sending: this client (info)", client_cpu_share),
        Figure(
            "B",
            f"getcheckindata {QUERIED_USERS} users x {QUERY_DAYS} days "
            f"on {stored:,} punches, median",
            f"{q_median:.1f} ms",
            f"<= {TARGET_QUERY_MS:.0f} ms",
            verdict(q_median <= TARGET_QUERY_MS),
        ),
        Figure("B", f"getcheckindata p95 ({len(latencies)} calls)", f"{p95(latencies):.1f} ms"),
        Figure(
            "B",
            "  the same, day cache off (every day evaluated), median",
            f"{statistics.median(cold_latencies):.1f} ms",
        ),
        Figure("B", "  the same, day cache off, p95", f"{p95(cold_latencies):.1f} ms"),
        Figure("B", "getcheckindata rows returned per call", f"{returned:,}"),
        Figure(
            "B",
            f"raw indexed SELECT + fetchall, median ({punches_in_range:,} punches)",
            f"{raw_ms:.1f} ms",
        ),
        Figure("B", "ratio getcheckindata / raw SELECT (median)", f"{q_median / raw_ms:.1f} x"),
    ]
    print_table(
        f"daka benchmark ({cfg.mode}, {revision()}): "
        "SQLite, rate limits off, WAL + synchronous=FULL",
        figures,
        machine_line(tmp, load_before),
    )


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 20,000 records and 10 queries"
    )
    parser.add_argument("--records", type=int, help="records to send (a multiple of 200)")
    parser.add_argument("--queries", type=int, help="getcheckindata calls to time")
    parser.add_argument("--senders", type=int, default=4, help="concurrent HTTP senders")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database files afterwards (to profile queries on them)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where to create the temporary directory (default: system temp)",
    )
    args = parser.parse_args()
    cfg = Config(
        mode="quick" if args.quick else "full" if not (args.records or args.queries) else "custom",
        records=args.records or (20_000 if args.quick else 120_000),
        queries=args.queries or (10 if args.quick else 30),
        senders=args.senders,
        workdir=args.workdir,
    )
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so the finally blocks stop the server
    if cfg.records <= 0 or cfg.records % BATCH:
        parser.error(f"--records must be a positive multiple of {BATCH}")
    tmp = Path(tempfile.mkdtemp(prefix="daka-bench-", dir=cfg.workdir))
    try:
        run(cfg, tmp)
    finally:
        if args.keep:
            print(f"kept the benchmark files in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
