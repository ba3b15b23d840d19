"""Console page times: each page's server time for a 1,000-person department's month on SQLite.

Builds the same month as bench_reports.py (August 2026, 09:00-18:00 with lunch, punches,
leave, trips, outings and overtime) for ``--users`` people in one department, starts a
real ``daka serve``, signs in to the console as a corp admin and loads each page several
times, signed in as a department admin of that department. The figure is the server's own
time (the console's ``Server-Timing`` header): the first load (nothing memoised) and the
median and worst of the next ones; the baseline is the raw driver read of one page's people's
month of punches (50 people), measured in the same run. Target: ≤ 300 ms per page.

    .venv/bin/python benchmarks/bench_console.py            # 1,000 people
    .venv/bin/python benchmarks/bench_console.py --users 200 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bench_reports as br
import httpx
import orjson
from bench_server import free_port
from reporting import load_average, machine_line, revision

from daka.domain.admins import Role
from daka.services.admins import create_admin, hash_password
from daka.storage.engine import create_db_engine
from daka.storage.store import Store

PASSWORD = "bench-console-1"
TARGET_MS = 300.0


def add_admin(url: str, corp_id: int) -> None:
    """A department admin of department 1 (where the bench's people are): the scoped path."""
    engine = create_db_engine(url)
    try:
        store = Store(engine)
        password_hash = hash_password(PASSWORD)
        store.transaction(
            lambda conn: create_admin(
                store, conn, corp_id, "lead", password_hash, Role.DEPARTMENT, (1,), 0
            )
        )
    finally:
        engine.dispose()


@contextmanager
def running_server(url: str, org_file: Path, log_file: Path, clock: str) -> Iterator[str]:
    """``daka serve`` on the bench's database, its clock at the end of the bench's month."""
    exe = Path(sys.executable).parent / "daka"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAKA_")}
    env["DAKA_CLOCK"] = clock
    argv = [str(exe), "serve", "--db", url, "--org", str(org_file), "--rate-limits", "off"]
    base = f"http://127.0.0.1:{port}"
    with open(log_file, "wb") as log:
        proc = subprocess.Popen(
            [*argv, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("daka serve did not start:\n" + log_file.read_text())
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=15)


def sign_in(client: httpx.Client) -> None:
    form = client.get("/console/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    answer = client.post(
        "/console/login",
        data={"csrf": csrf.group(1), "username": "lead", "password": PASSWORD, "corpid": br.CORPID},
    )
    assert answer.status_code == 200 and "/console/today" in str(answer.url), answer.text[:300]


def server_ms(answer: httpx.Response) -> float:
    found = re.search(r"dur=([0-9.]+)", answer.headers.get("server-timing", ""))
    assert found is not None
    return float(found.group(1))


def timed(client: httpx.Client, path: str) -> float:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return server_ms(answer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=1000, help="people in the department")
    parser.add_argument("--repeat", type=int, default=5, help="loads of each page")
    args = parser.parse_args()
    days = br.month_days()
    since, until = days[0].isoformat(), days[-1].isoformat()
    month = f"since={since}&until={until}"
    pages = {
        "today (the month's last day, at 18:30)": "/console/today",
        "punches, month, page 1": f"/console/punches?{month}",
        "punches, month, 时间异常 only": f"/console/punches?{month}&exception=时间异常",
        "month grid, page 1 (50 people)": f"/console/month?{month}",
        "month grid, page 2": f"/console/month?{month}&at=50&page=2",
        "month grid, only 迟到": f"/console/month?{month}&only=1",
        "daily report, one day": f"/console/days?since={since}&until={since}",
        "daily report, month, page 1": f"/console/days?{month}",
        "trends, month (everyone)": f"/console/trends?{month}",
        "day drill-down": f"/console/day/{br.userid(7)}/{days[3].isoformat()}",
        "approvals (the month's forms)": "/console/approvals",
        "month export xlsx (everyone)": f"/console/month.xlsx?{month}",
    }
    load_before = load_average()
    print(f"daka {revision()} · {args.users} people × {len(days)} days · SQLite")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = br.generate(args.users)
        org = br.org_document(args.users)
        org_file = tmp / "org.json"
        org_file.write_bytes(orjson.dumps(org))
        url = f"sqlite:///{tmp / 'bench.db'}"
        corp_id, built = br.build(url, org, data)
        add_admin(url, corp_id)
        print(f"built {built.punches:,} punches and {built.approval_days:,} approvals")
        start, stop = br.day_start(days[0]), br.day_start(days[-1]) + 86_400
        t0 = time.perf_counter()
        br.raw_read(url, corp_id, [br.userid(k) for k in range(50)], start, stop)
        raw_ms = (time.perf_counter() - t0) * 1000
        clock = f"{days[-1].isoformat()}T18:30:00+08:00"
        with running_server(url, org_file, tmp / "server.log", clock) as base:
            with httpx.Client(base_url=base, timeout=300, follow_redirects=True) as client:
                sign_in(client)
                # Cold: a fresh server, each page once, straight after sign-in (the first
                # page starts the memo's warmer and the report workers, as it does for an
                # HR person). Then warm: the next loads, a few seconds later.
                first = {}
                for name, path in pages.items():
                    first[name] = timed(client, path)
                time.sleep(5)
                rows = []
                for name, path in pages.items():
                    spent = [timed(client, path) for _ in range(args.repeat)]
                    rows.append((name, first[name], statistics.median(spent), max(spent)))
        print(machine_line(tmp, load_before))
    print(f"\nraw driver read of 50 people's month of punches: {raw_ms:.1f} ms\n")
    print("server time per page (Server-Timing), ms: cold (fresh server) and warm median, max")
    print(f"{'page':42} {'cold':>8} {'median':>8} {'max':>8}  ×raw   ≤ {TARGET_MS:.0f} ms")
    for name, cold, median, worst in rows:
        mark = "✓" if worst <= TARGET_MS else "✗"
        mark += "" if cold <= TARGET_MS else " (cold ✗)"
        ratio = median / raw_ms if raw_ms else float("nan")
        print(f"{name:42} {cold:8.1f} {median:8.1f} {worst:8.1f} {ratio:6.1f}  {mark}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
