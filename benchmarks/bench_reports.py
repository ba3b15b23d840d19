"""Benchmark the month report (getcheckin_monthdata) of a whole corp, on SQLite and PostgreSQL.

The requirement measured: the month report of 10,000 people over a 31-day month (about 1.2
million punches, approved leave, trips, outings and overtime on about 5 % of person-days)
through the HTTP API of a real ``daka serve`` process takes <= 10 s, shown beside the time to
merely read those punches with the database driver; and so does ``daka report month --format
xlsx`` for everyone.

Setup (timed for information only), once per backend:
  a fresh database (SQLite: a temporary file; PostgreSQL: a temporary database on
  127.0.0.1:5432, dropped afterwards) made by daka's own code (create_db_engine, upgrade,
  load_org, Store); an org file (tests.factories) with the users in department 1 under rule 1
  (fixed Mon-Fri 09:00-18:00, office fence and Wi-Fi, a 12:00-13:00 rest); punches of August
  2026 (31 days, no statutory holiday) written with Store.upsert_punches in transactions of
  about 10,000: in, lunch out, lunch in, out on workdays, now and then a second punch at the
  gate, late arrivals, early leaves, forgotten punches, absences, weekend visits; and about 5 %
  of person-days under an approved form (全天/半天 leave, a trip, an hour outing, overtime on a
  weekday evening or a weekend), built as domain values (daka.domain.approvals: span_of,
  split_days) and written as the rows Store.save_approval writes, in one executemany. The
  data are generated once and written to each backend. PostgreSQL is then ANALYZEd (daka does
  not run ANALYZE, see the performance findings; a table never analyzed plans 20x slower).

A. getcheckin_monthdata for everyone, through a ``daka serve`` process (rate limits off) with
   its default report workers (one per CPU beyond the first: the calling thread evaluates
   one slice of each large call, each worker process another): batches of 100 users; WeCom
   caps a call at 30 days, so each batch takes two calls, the first 30 days and the 31st.
   One keep-alive client, calls one after the other (the figure against the target). For
   information: the same server with two clients; a server started with
   ``--report-workers 0`` (everything in one process); two clients each on its own
   ``daka serve --report-workers 0`` process. The server's RSS is its VmHWM, and the peak
   of its process tree (the server and its workers) sampled every 50 ms during A.
B. the raw baseline, same run: the same users' punches over the same 31 days, read with the
   driver (sqlite3 / psycopg) in chunks of 100 users: the columns Store.punches selects, its
   WHERE and ORDER BY, fetchall.
C. ``daka report month --format xlsx`` for everyone, as a subprocess on the same database,
   with its default ``--jobs`` (one process per CPU), then with ``--jobs 1`` for
   information: wall time, and peak RSS of the exporting process and of it with its
   workers, sampled every 50 ms (skipped, with a note, where the command does not exist).

Run from the repository root::

    .venv/bin/python benchmarks/bench_reports.py                      # both, 10,000 users
    .venv/bin/python benchmarks/bench_reports.py --backend sqlite
    .venv/bin/python benchmarks/bench_reports.py --quick              # smoke: 500 users

It prints figures (a table per backend, with the machine and the daka revision); it is not a
test. Figures depend on other load on the machine: the table shows the load average.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import orjson
import psycopg
from bench_server import cpu_seconds, free_port, get_token
from reporting import Figure, load_average, machine_line, print_table, revision, step, verdict

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from daka.domain.approvals import (  # noqa: E402
    Approval,
    ApvRel,
    DayPlan,
    Node,
    NodeType,
    RangeType,
    RecordType,
    SpStatus,
    Step,
    StepStatus,
    TimeOff,
    span_of,
    split_days,
)
from daka.domain.punches import DeviceType, Punch  # noqa: E402
from daka.domain.vacations import TimeAttr  # noqa: E402
from daka.services.org import load_org  # noqa: E402
from daka.services.workers import default_processes  # noqa: E402
from daka.storage import tables  # noqa: E402
from daka.storage.approvals import approval_record  # noqa: E402
from daka.storage.engine import create_db_engine, upgrade  # noqa: E402
from daka.storage.store import Store  # noqa: E402

# The test factories build the org file. Imported by name so that mypy --strict checks this
# script without following into tests/ (which is typed for pytest, not for --strict).
factories: Any = importlib.import_module("tests.factories")
CORPID: str = factories.CORPID
OFFICE: tuple[int, int] = factories.OFFICE
OFFICE_MAC: str = factories.OFFICE_MAC

TZ = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2026, 8, 1)
DAYS = 31  # August 2026: no statutory holiday, no make-up workday
CALL_DAYS = 30  # WeCom's cap on one getcheckin_monthdata call, both days included
BATCH_USERS = 100  # WeCom's cap on useridlist
TX_PUNCHES = 10_000
APPROVAL_SHARE = 0.05  # of person-days
TARGET_S = 10.0
WORKERS = default_processes()  # daka serve's report workers on this machine
JOBS = WORKERS + 1  # daka report's default --jobs
SEED = 20260801
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PHONES = ("iPhone 15", "HUAWEI Mate 60", "Xiaomi 14", "OPPO Find X7", "vivo X100", "Honor 90")
HOUR = 3600

# What Store.punches selects, with the same WHERE and ORDER BY ({m} is the driver's mark).
PUNCH_COLUMNS = (
    "userid, checkin_time, location_title, location_detail, notes, wifiname, wifimac, "
    "mediaids, lat, lng, device_type, device_detail, received_at, source, remark, corrects"
)
RAW_SELECT = (
    f"SELECT {PUNCH_COLUMNS} FROM punches WHERE corp_id = {{m}} AND userid IN ({{marks}}) "
    "AND checkin_time >= {m} AND checkin_time < {m} ORDER BY userid, checkin_time"
)


@dataclass(frozen=True)
class Config:
    mode: str
    users: int
    backends: tuple[str, ...]
    workdir: Path | None
    keep: bool


@dataclass
class Built:
    """What the setup wrote, and how long it took."""

    punches: int = 0
    approvals: dict[RecordType, int] = field(default_factory=dict)
    approval_days: int = 0
    generate_s: float = 0.0
    punches_s: float = 0.0
    approvals_s: float = 0.0
    analyze_s: float = 0.0


# -- data -----------------------------------------------------------------------------------


def userid(k: int) -> str:
    return f"u{k:05d}"


def day_start(day: date) -> int:
    """Unix time of local 00:00 of ``day``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=TZ).timestamp())


def month_days() -> list[date]:
    return [FIRST_DAY + timedelta(days=k) for k in range(DAYS)]


def org_document(users: int) -> dict[str, Any]:
    """``users`` people in department 1 under rule 1: 09:00-18:00 with a lunch rest."""
    people = [
        {"userid": userid(k), "name": f"员工{k:05d}", "department": [1]} for k in range(users)
    ]
    slot = factories.make_slot(
        "09:00", "18:00", allow_rest=True, rest_begin_time=12 * HOUR, rest_end_time=13 * HOUR
    )
    rule = factories.make_rule(1, parties=["1"], slots=[slot])
    org: dict[str, Any] = factories.make_org(
        factories.make_corp(users=people, rules=[rule], tags=[])
    )
    return org


def _punch(rng: random.Random, uid: str, ts: int, phone: str, far: bool = False) -> Punch:
    """A gate, an attendance machine, or the mobile app (coordinates, often Wi-Fi)."""
    received = ts + rng.randrange(1, 120)
    r = rng.random()
    if r < 0.5 and not far:
        return Punch(
            uid,
            ts,
            "East gate",
            "Turnstile 3",
            device_type=DeviceType.GATE,
            device_detail="Gate-03",
            received_at=received,
        )
    if r < 0.8 and not far:
        return Punch(
            uid,
            ts,
            "Lobby",
            "1F, Building A",
            device_type=DeviceType.ATTENDANCE_MACHINE,
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


def _at(rng: random.Random, start: int, earliest: float, latest: float) -> int:
    """A random second between local hours ``earliest`` and ``latest`` of a day."""
    return start + rng.randrange(int(earliest * HOUR), int(latest * HOUR))


@dataclass(frozen=True)
class Form:
    """An approved form on one of a user's days: its kind, range and local hours."""

    kind: RecordType
    range_type: RangeType
    begin: float  # hours after the day's 00:00
    end: float
    vacation: tuple[int, str] | None = None


def _form(rng: random.Random, weekend: bool) -> Form:
    if weekend:
        return Form(RecordType.OVERTIME, RangeType.HOUR, 10, rng.choice((14, 15, 16)))
    r = rng.random()
    if r < 0.3:
        return Form(RecordType.LEAVE, RangeType.DAY, 0, 0, (1, "年假"))
    if r < 0.45:
        return Form(RecordType.LEAVE, RangeType.HALFDAY, 0, 0, (3, "病假"))  # the morning
    if r < 0.6:
        return Form(RecordType.TRIP, RangeType.HALFDAY, 0, 12)  # the whole day
    if r < 0.8:
        return Form(RecordType.OUTING, RangeType.HOUR, 14, 16)
    return Form(RecordType.OVERTIME, RangeType.HOUR, 18.5, rng.choice((20, 21, 21.5)))


def user_month(k: int, days: Sequence[date]) -> tuple[list[Punch], list[tuple[date, Form]]]:
    """One user's punches and approved forms: on a workday in (08:20-09:00, 8 % late), lunch
    out and in, out (18:00-19:30, 6 % early), the in and out often twice (gate, then machine or
    phone); now and then a forgotten punch, an absence, a client visit; a few weekend punches.
    About 5 % of days carry a form, and the punches follow it (no punches on a day's leave)."""
    rng = random.Random(SEED * 100_003 + k)
    uid = userid(k)
    phone = PHONES[k % len(PHONES)]
    out: list[Punch] = []
    forms: list[tuple[date, Form]] = []

    def add(ts: int, far: bool = False) -> None:
        ph = phone if rng.random() > 0.02 else PHONES[(k + 1) % len(PHONES)]
        out.append(_punch(rng, uid, ts, ph, far))

    for day in days:
        s = day_start(day)
        weekend = day.weekday() >= 5
        form = _form(rng, weekend) if rng.random() < APPROVAL_SHARE else None
        if form is not None:
            forms.append((day, form))
        if weekend:
            if form is not None:  # weekend overtime
                add(_at(rng, s, 9.8, 10))
                add(s + int(form.end * HOUR) + rng.randrange(0, 600))
            elif rng.random() < 0.06:
                add(_at(rng, s, 10, 12))
                add(_at(rng, s, 14, 16))
            continue
        if form is not None and form.range_type is RangeType.DAY:
            continue  # a day's leave
        if form is not None and form.kind is RecordType.TRIP:
            if rng.random() < 0.3:
                add(_at(rng, s, 10, 17), far=True)
            continue
        if form is None and rng.random() < 0.015:  # absent
            continue
        morning_off = form is not None and form.range_type is RangeType.HALFDAY
        if not morning_off:
            late = rng.random() < 0.08
            t_in = _at(rng, s, 9, 9.7) if late else _at(rng, s, 8.33, 9)
            add(t_in)
            if rng.random() < 0.85:
                add(t_in + rng.randrange(20, 240))
            if rng.random() < 0.93:
                add(_at(rng, s, 11.97, 12.13))
        if rng.random() < 0.93:
            add(_at(rng, s, 12.9, 13.13))
        if rng.random() < 0.04:
            add(_at(rng, s, 14, 16), far=True)
        if form is not None and form.kind is RecordType.OVERTIME:
            t_out = s + int(form.end * HOUR) + rng.randrange(0, 900)
        elif rng.random() < 0.03:
            continue  # forgot to punch out
        else:
            early = rng.random() < 0.06
            t_out = _at(rng, s, 17.33, 18) if early else _at(rng, s, 18, 19.5)
        add(t_out)
        if rng.random() < 0.85:
            add(t_out + rng.randrange(20, 240))
    seen: set[int] = set()
    unique = []
    for p in sorted(out, key=lambda p: p.time):
        if p.time not in seen:  # the primary key: keep the first of any collision
            seen.add(p.time)
            unique.append(p)
    return unique, forms


def _plan(day: date) -> DayPlan:
    s = day_start(day)
    if day.weekday() >= 5:
        return DayPlan(s, 86_400, False)
    return DayPlan(s, 86_400, True, ((s + 9 * HOUR, s + 12 * HOUR), (s + 13 * HOUR, s + 18 * HOUR)))


def approval(uid: str, day: date, form: Form, sp_no: str) -> Approval:
    """An approved form as daka stores it (the per-day split as applyevent computes it)."""
    s = day_start(day)
    begin, end = s + int(form.begin * HOUR), s + int(form.end * HOUR)
    plans = [_plan(day)]
    start, stop = span_of(form.range_type, begin, end, plans)
    slices = split_days(form.kind, form.range_type, start, stop, plans)
    filed = s - 2 * 86_400 + 10 * HOUR
    vacation_id, vacation_name = form.vacation or (None, "")
    return Approval(
        sp_no=sp_no,
        template_id=f"tpl-{form.kind.name.lower()}",
        sp_name=form.kind.label,
        creator=uid,
        department=1,
        apply_time=filed,
        status=SpStatus.APPROVED,
        nodes=(
            Node(NodeType.APPROVER, ApvRel.ANY, (Step("u00000", StepStatus.AGREED, "", filed),)),
        ),
        time_off=TimeOff(
            kind=form.kind,
            range_type=form.range_type,
            begin=begin,
            end=end,
            start=start,
            stop=stop,
            slices=slices,
            vacation_id=vacation_id,
            vacation_name=vacation_name,
            time_attr=TimeAttr.DAYS,
        ),
    )


@dataclass(frozen=True)
class Generated:
    """The corp's month, made once and written to each backend."""

    punches: list[list[Punch]]  # in transactions of about TX_PUNCHES
    approvals: list[Approval]
    kinds: dict[RecordType, int]
    seconds: float


def generate(users: int) -> Generated:
    t0 = time.perf_counter()
    days = month_days()
    batches: list[list[Punch]] = [[]]
    approvals: list[Approval] = []
    kinds: dict[RecordType, int] = {}
    for k in range(users):
        punches, forms = user_month(k, days)
        uid = userid(k)
        for day, form in forms:
            approvals.append(approval(uid, day, form, f"{day:%Y%m%d}{len(approvals) + 1:06d}"))
            kinds[form.kind] = kinds.get(form.kind, 0) + 1
        if len(batches[-1]) >= TX_PUNCHES:
            batches.append([])
        batches[-1].extend(punches)
    return Generated(batches, approvals, kinds, time.perf_counter() - t0)


def approval_row(corp_id: int, a: Approval) -> dict[str, Any]:
    """The row Store.save_approval writes for an approval (all of them have a time_off)."""
    assert a.time_off is not None
    return {
        "corp_id": corp_id,
        "sp_no": a.sp_no,
        "template_id": a.template_id,
        "creator": a.creator,
        "department": a.department,
        "apply_time": a.apply_time,
        "sp_status": int(a.status),
        "record_type": int(a.record_type),
        "begin_at": a.time_off.start,
        "end_at": a.time_off.stop,
        "body": approval_record(a).decode(),
        "updated_at": a.apply_time,
    }


def build(url: str, org: dict[str, Any], data: Generated) -> tuple[int, Built]:
    """Schema, org, punches and approvals; returns the corp's id and what was written."""
    built = Built(approvals=data.kinds, approval_days=len(data.approvals))
    built.generate_s = data.seconds
    engine = create_db_engine(url)
    try:
        store = Store(engine)
        upgrade(engine)
        load_org(store, org)
        with store.read() as conn:
            corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        w0 = time.perf_counter()
        for batch in data.punches:
            with store.write() as conn:
                built.punches += store.upsert_punches(conn, corp.id, batch)
        built.punches_s = time.perf_counter() - w0
        a0 = time.perf_counter()
        with store.write() as conn:  # one executemany: the rows save_approval would write
            conn.execute(
                tables.approvals.insert(), [approval_row(corp.id, a) for a in data.approvals]
            )
        built.approvals_s = time.perf_counter() - a0
    finally:
        engine.dispose()
    if url.startswith("postgresql"):
        n0 = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as pg:  # ANALYZE must be committed
            pg.execute("ANALYZE")
        built.analyze_s = time.perf_counter() - n0
    return corp.id, built


# -- the databases --------------------------------------------------------------------------


@contextmanager
def database(backend: str, tmp: Path) -> Iterator[str]:
    """A fresh, empty database's URL; a PostgreSQL one is dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'bench.db'}"
        return
    name = f"daka_bench_reports_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def raw_read(url: str, corp_id: int, userids: Sequence[str], start: int, stop: int) -> int:
    """Every chunk's punches, SELECT + fetchall with the driver; returns the punches read."""
    read = 0
    if url.startswith("sqlite"):
        conn = sqlite3.connect(f"file:{url.removeprefix('sqlite:///')}?mode=ro", uri=True)
        try:
            for i in range(0, len(userids), BATCH_USERS):
                users = userids[i : i + BATCH_USERS]
                sql = RAW_SELECT.format(m="?", marks=", ".join("?" for _ in users))
                read += len(conn.execute(sql, (corp_id, *users, start, stop)).fetchall())
        finally:
            conn.close()
        return read
    with psycopg.connect(url) as pg:
        for i in range(0, len(userids), BATCH_USERS):
            users = userids[i : i + BATCH_USERS]
            sql = RAW_SELECT.format(m="%s", marks=", ".join("%s" for _ in users))
            read += len(pg.execute(sql, (corp_id, *users, start, stop)).fetchall())
    return read


# -- the server and the export --------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    base: str
    pid: int


def peak_rss_mib(pid: int) -> float | None:
    """A live process's peak resident set (VmHWM), MiB (Linux), or None."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux: /proc/PID/task/TID/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def rss_mib(pid: int) -> float:
    """A live process's resident set now (VmRSS), MiB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_cpu_seconds(pid: int) -> float:
    """CPU time used so far by ``pid`` and the processes below it that are still alive."""
    return sum(cpu_seconds(p) or 0.0 for p in descendants(pid))


class TreePeak:
    """Samples a process tree's resident memory every 50 ms: the peak of the main process
    and the peak of the sum over the tree (the main process and its workers)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.main, self.total = pid, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = descendants(self.pid)
            self.main = max(self.main, rss_mib(self.pid))
            self.total = max(self.total, sum(rss_mib(p) for p in pids))
            self._stop.wait(0.05)


@contextmanager
def running_server(
    url: str, org_file: Path, log_file: Path, workers: int | None = None
) -> Iterator[Server]:
    """A ``daka serve`` subprocess (rate limits off); always terminated."""
    exe = Path(sys.executable).parent / "daka"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAKA_")}
    cmd = [str(exe), "serve", "--db", url, "--org", str(org_file), "--rate-limits", "off"]
    if workers is not None:
        cmd += ["--report-workers", str(workers)]
    base = f"http://127.0.0.1:{port}"
    with open(log_file, "wb") as log:
        proc = subprocess.Popen(
            [*cmd, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env
        )
        try:
            deadline = time.monotonic() + 120
            with httpx.Client(timeout=2) as client:
                while True:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(
                            "daka serve did not start:\n" + log_file.read_text(errors="replace")
                        )
                    try:
                        if client.get(f"{base}/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.1)
            yield Server(base, proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@dataclass(frozen=True)
class MonthPass:
    seconds: float
    calls: int
    reports: int
    work_days: int
    except_days: int
    sp_items: int


def month_pass(
    bases: Sequence[str], userids: Sequence[str], days: Sequence[date], clients: int = 1
) -> MonthPass:
    """getcheckin_monthdata for everyone: per 100 users, 30 days then the rest. ``clients``
    keep-alive clients take batches from one queue, client k calling server k mod n. Each
    client first makes one uncounted call (a fresh server builds its corp view on it)."""
    urls = [
        f"{base}/cgi-bin/checkin/getcheckin_monthdata?access_token={get_token(base)}"
        for base in bases
    ]
    periods = [
        (day_start(days[i]), day_start(days[min(i + CALL_DAYS, len(days)) - 1]))
        for i in range(0, len(days), CALL_DAYS)
    ]
    work: queue.SimpleQueue[list[str]] = queue.SimpleQueue()
    for i in range(0, len(userids), BATCH_USERS):
        work.put(list(userids[i : i + BATCH_USERS]))
    totals = [0, 0, 0, 0, 0]  # calls, reports, work_days, except_days, sp_items
    errors: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(clients + 1)

    def client_loop(url: str) -> None:
        headers = {"Content-Type": "application/json"}
        try:
            with httpx.Client(timeout=600, headers=headers) as client:
                # Open the connection, and have the server build its corp view (uncounted).
                warm = {"starttime": periods[-1][0], "endtime": periods[-1][0]}
                client.post(url, content=orjson.dumps({**warm, "useridlist": userids[:1]}))
                gate.wait(timeout=120)
                while not errors:
                    try:
                        users = work.get_nowait()
                    except queue.Empty:
                        return
                    for start, end in periods:
                        body = {"starttime": start, "endtime": end, "useridlist": users}
                        reply = client.post(url, content=orjson.dumps(body))
                        data = orjson.loads(reply.content)
                        if data.get("errcode") != 0:
                            errors.append(f"getcheckin_monthdata failed: {reply.text[:300]}")
                            return
                        got = [1, 0, 0, 0, 0]
                        for r in data["datas"]:
                            got[1] += 1
                            got[2] += r["summary_info"]["work_days"]
                            got[3] += r["summary_info"]["except_days"]
                            got[4] += sum(1 for s in r["sp_items"] if s["count"])
                        with lock:
                            for k, v in enumerate(got):
                                totals[k] += v
        except Exception as exc:  # reported by the main thread
            errors.append(f"{type(exc).__name__}: {exc}")
            gate.abort()

    threads = [
        threading.Thread(target=client_loop, args=(urls[k % len(urls)],), daemon=True)
        for k in range(clients)
    ]
    for th in threads:
        th.start()
    try:
        gate.wait(timeout=120)
    except threading.BrokenBarrierError:
        pass
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    seconds = time.perf_counter() - t0
    if errors:
        raise SystemExit(errors[0])
    return MonthPass(seconds, *totals)


@dataclass(frozen=True)
class Export:
    seconds: float | None  # None: skipped
    peak_rss_mib: float = 0.0  # the exporting process
    size: int = 0
    note: str = ""
    total_rss_mib: float = 0.0  # it and its worker processes, at the same moment


def export_xlsx(url: str, out: Path, days: Sequence[date], jobs: int | None = None) -> Export:
    """``daka report month --format xlsx`` for everyone: wall time, peak RSS (the exporting
    process, and it with its workers), file size."""
    exe = Path(sys.executable).parent / "daka"
    cmd = [
        str(exe),
        "report",
        "month",
        "--corpid",
        CORPID,
        "--since",
        days[0].isoformat(),
        "--until",
        days[-1].isoformat(),
        "--format",
        "xlsx",
        "--out",
        str(out),
        "--db",
        url,
    ]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAKA_")}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    with TreePeak(proc.pid) as peak:
        _, stderr_bytes = proc.communicate()
    seconds = time.perf_counter() - t0
    stderr = stderr_bytes.decode(errors="replace")
    if proc.returncode == 2 and "No such command" in stderr:
        return Export(None, note="skipped: this daka has no `daka report` command")
    if proc.returncode != 0:
        tail = stderr.strip().splitlines()[-1:] or ["(no output)"]
        return Export(None, note=f"skipped: daka report exited {proc.returncode}: {tail[0]}")
    size = out.stat().st_size if out.exists() else 0
    return Export(seconds, peak.main, size, total_rss_mib=peak.total)


# -- the benchmark --------------------------------------------------------------------------


def run_backend(backend: str, cfg: Config, tmp: Path, org_file: Path, data: Generated) -> None:
    load_before = load_average()
    days = month_days()
    userids = [userid(k) for k in range(cfg.users)]
    start, stop = day_start(days[0]), day_start(days[-1] + timedelta(days=1))
    with database(backend, tmp) as url:
        done = step(f"{backend}: schema, org, punches and approvals ({cfg.users:,} users)")
        b0 = time.perf_counter()
        corp_id, built = build(url, orjson.loads(org_file.read_bytes()), data)
        build_s = time.perf_counter() - b0
        done(f" ({built.punches:,} punches, {built.approval_days:,} approvals)")

        done = step(f"{backend}: B raw read (warm-up, not counted)")
        raw_read(url, corp_id, userids, start, stop)
        done()
        done = step(f"{backend}: B raw read, chunks of {BATCH_USERS}")
        r0 = time.perf_counter()
        read = raw_read(url, corp_id, userids, start, stop)
        raw_s = time.perf_counter() - r0
        done()
        if read != built.punches:
            raise SystemExit(f"read {read:,} punches, stored {built.punches:,}")

        with running_server(url, org_file, tmp / f"server-{backend}.log") as server:
            rss_fresh = peak_rss_mib(server.pid)
            done = step(
                f"{backend}: A getcheckin_monthdata for everyone over HTTP "
                f"({WORKERS} report workers)"
            )
            with TreePeak(server.pid) as server_peak:
                cpu0 = tree_cpu_seconds(server.pid)
                a = month_pass([server.base], userids, days)
                cpu1 = tree_cpu_seconds(server.pid)
            done(f" ({a.calls} calls)")
            rss_server = peak_rss_mib(server.pid)
            done = step(f"{backend}: A the same, 2 clients, 1 server")
            a2 = month_pass([server.base], userids, days, clients=2)
            done()
        with running_server(url, org_file, tmp / f"server0-{backend}.log", 0) as alone:
            done = step(f"{backend}: A the same, 1 server process without report workers")
            a0 = month_pass([alone.base], userids, days)
            done()
            with running_server(url, org_file, tmp / f"server2-{backend}.log", 0) as second:
                done = step(f"{backend}: A the same, 2 clients, 2 servers without workers")
                a3 = month_pass([alone.base, second.base], userids, days, clients=2)
                done()
        for other in (a0, a2, a3):
            if (other.reports, other.work_days, other.except_days, other.sp_items) != (
                a.reports,
                a.work_days,
                a.except_days,
                a.sp_items,
            ):
                raise SystemExit("the passes returned different reports")

        done = step(f"{backend}: C daka report month --format xlsx ({JOBS} jobs)")
        c = export_xlsx(url, tmp / f"month-{backend}.xlsx", days)
        done(f" ({c.note})" if c.note else "")
        done = step(f"{backend}: C the same, --jobs 1")
        c1 = export_xlsx(url, tmp / f"month1-{backend}.xlsx", days, jobs=1)
        done(f" ({c1.note})" if c1.note else "")

    kinds = ", ".join(f"{k.label} {n:,}" for k, n in sorted(built.approvals.items()))
    person_days = cfg.users * DAYS
    server_cpu = "n/a"
    if cpu1 > cpu0:
        server_cpu = f"{100 * (cpu1 - cpu0) / a.seconds:.0f}% of a core"

    def mib(v: float | None) -> str:
        return f"{v:.0f} MiB" if v is not None else "n/a"

    figures = [
        Figure("S", f"punches stored ({cfg.users:,} users x {DAYS} days)", f"{built.punches:,}"),
        Figure(
            "S",
            f"approved forms ({100 * built.approval_days / person_days:.1f} % of person-days)",
            f"{built.approval_days:,}",
        ),
        Figure("S", f"  {kinds}", ""),
        Figure(
            "S",
            "generating punches and forms in Python, once for all backends",
            f"{built.generate_s:.1f} s",
        ),
        Figure("S", "writing them (info)", f"{build_s:.1f} s"),
        Figure("S", "  Store.upsert_punches, ~10,000 a transaction", f"{built.punches_s:.1f} s"),
        Figure(
            "S",
            "  approvals: one executemany of save_approval's rows",
            f"{built.approvals_s:.1f} s",
        ),
    ]
    if backend == "postgresql":
        figures.append(Figure("S", "  ANALYZE", f"{built.analyze_s:.1f} s"))
    figures += [
        Figure(
            "A",
            f"getcheckin_monthdata, everyone, {a.calls} calls "
            f"({cfg.users // BATCH_USERS or 1} batches x {len(range(0, DAYS, CALL_DAYS))}), "
            f"1 client, daka serve ({WORKERS} report workers)",
            f"{a.seconds:.2f} s",
            f"<= {TARGET_S:.0f} s",
            verdict(a.seconds <= TARGET_S),
        ),
        Figure("A", "  per call, mean", f"{1000 * a.seconds / a.calls:.0f} ms"),
        Figure("A", "  the same, --report-workers 0 (info)", f"{a0.seconds:.2f} s"),
        Figure("A", "  the same, 2 clients, 1 server process (info)", f"{a2.seconds:.2f} s"),
        Figure(
            "A",
            "  the same, 2 clients, 2 server processes without workers (info)",
            f"{a3.seconds:.2f} s",
        ),
        Figure("A", "  month reports returned (users x calls)", f"{a.reports:,}"),
        Figure(
            "A", "  work_days / except_days summed (info)", f"{a.work_days:,} / {a.except_days:,}"
        ),
        Figure("A", "  sp_items with a count, summed (info)", f"{a.sp_items:,}"),
        Figure("A", "  server CPU during A (info)", server_cpu),
        Figure(
            "A", "server peak RSS: after start / after A", f"{mib(rss_fresh)} / {mib(rss_server)}"
        ),
        Figure("A", "  server and its workers, peak during A", mib(server_peak.total)),
        Figure(
            "B",
            f"raw {'sqlite3' if backend == 'sqlite' else 'psycopg'} SELECT + fetchall, "
            f"{read:,} punches, chunks of {BATCH_USERS}",
            f"{raw_s:.2f} s",
        ),
        Figure("=", "ratio A / B", f"{a.seconds / raw_s:.1f} x"),
    ]
    if c.seconds is None:
        figures.append(Figure("C", "daka report month --format xlsx, everyone", c.note))
    else:
        figures += [
            Figure(
                "C",
                "daka report month --format xlsx, everyone (wall)",
                f"{c.seconds:.2f} s",
                f"<= {TARGET_S:.0f} s",
                verdict(c.seconds <= TARGET_S),
            ),
            Figure(
                "C",
                "  peak RSS: exporting process / with its workers",
                f"{c.peak_rss_mib:.0f} / {c.total_rss_mib:.0f} MiB",
            ),
            Figure("C", "  file size", f"{c.size:,} B"),
        ]
        if c1.seconds is not None:
            figures.append(
                Figure(
                    "C",
                    "  the same, --jobs 1 (info): wall / peak RSS",
                    f"{c1.seconds:.2f} s / {c1.peak_rss_mib:.0f} MiB",
                )
            )
    engine_note = (
        "SQLite WAL + synchronous=FULL"
        if backend == "sqlite"
        else "PostgreSQL 127.0.0.1, after ANALYZE"
    )
    print_table(
        f"daka month-report benchmark ({cfg.mode}, {revision()}): {engine_note}, "
        f"August 2026, rate limits off",
        figures,
        machine_line(tmp, load_before) + "; the machine is shared with other test runs",
    )


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "both"), default="both", help="default: both"
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 500 users")
    parser.add_argument("--users", type=int, help="people in the corp (default 10,000)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files afterwards")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where to create the temporary directory (default: system temp)",
    )
    args = parser.parse_args()
    users = args.users or (500 if args.quick else 10_000)
    if users <= 0:
        parser.error("--users must be positive")
    cfg = Config(
        mode="quick" if args.quick else "full" if not args.users else "custom",
        users=users,
        backends=("sqlite", "postgresql") if args.backend == "both" else (args.backend,),
        workdir=args.workdir,
        keep=args.keep,
    )
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so the finally blocks clean up
    tmp = Path(tempfile.mkdtemp(prefix="daka-bench-", dir=cfg.workdir))
    try:
        org_file = tmp / "org.json"
        org_file.write_bytes(orjson.dumps(org_document(cfg.users)))
        done = step(f"generating {cfg.users:,} people's punches and forms")
        data = generate(cfg.users)
        # The 1.2 million generated punches stay alive for every backend: out of the
        # collector's sight, or each of the client's collections walks them all (it slowed
        # the client, hence pass A, by a fifth).
        gc.freeze()
        done()
        for backend in cfg.backends:
            run_backend(backend, cfg, tmp, org_file, data)
    finally:
        if cfg.keep:
            print(f"kept the benchmark files in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
