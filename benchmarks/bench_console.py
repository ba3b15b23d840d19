"""Console page times: each page's server time for a 1,000-person department's month on SQLite.

Builds the same month as bench_reports.py (August 2026, 09:00-18:00 with lunch, punches,
leave, trips, outings and overtime) for ``--users`` people in one department, starts a
real ``daka serve``, signs in to the console as a corp admin and loads each page several
times. The figure is the server's own time (the console's ``Server-Timing`` header), with
the client's wall time beside it, and the raw driver read of the page's punches as the
baseline. Target: ≤ 300 ms per page.

    .venv/bin/python benchmarks/bench_console.py            # 1,000 people
    .venv/bin/python benchmarks/bench_console.py --users 200 --repeat 3
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bench_reports as br
import httpx
import orjson
from reporting import machine_line, revision

from daka.domain.admins import Role
from daka.services.admins import create_admin, hash_password
from daka.storage.engine import create_db_engine
from daka.storage.store import Store

PASSWORD = "bench-console-1"
TARGET_MS = 300.0


def add_admin(url: str, corp_id: int) -> None:
    engine = create_db_engine(url)
    try:
        store = Store(engine)
        password_hash = hash_password(PASSWORD)
        store.transaction(
            lambda conn: create_admin(store, conn, corp_id, "hr", password_hash, Role.ADMIN, (), 0)
        )
    finally:
        engine.dispose()


def sign_in(client: httpx.Client) -> None:
    form = client.get("/console/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    answer = client.post(
        "/console/login",
        data={"csrf": csrf.group(1), "username": "hr", "password": PASSWORD, "corpid": br.CORPID},
    )
    assert answer.status_code == 200 and "/console/today" in str(answer.url), answer.text[:300]


def server_ms(answer: httpx.Response) -> float:
    found = re.search(r"dur=([0-9.]+)", answer.headers.get("server-timing", ""))
    assert found is not None
    return float(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=1000, help="people in the department")
    parser.add_argument("--repeat", type=int, default=5, help="loads of each page")
    args = parser.parse_args()
    days = br.month_days()
    since, until = days[0].isoformat(), days[-1].isoformat()
    month = f"since={since}&until={until}"
    pages = {
        "today": "/console/today",
        "punches, month, page 1": f"/console/punches?{month}",
        "punches, month, 时间异常 only": f"/console/punches?{month}&exception=时间异常",
        "month grid, page 1 (50 people)": f"/console/month?{month}",
        "month grid, page 2": f"/console/month?{month}&at=50&page=2",
        "month grid, only 迟到": f"/console/month?{month}&only=1",
        "day drill-down": f"/console/day/{br.userid(7)}/{days[3].isoformat()}",
        "approvals": "/console/approvals",
    }
    print(machine_line())
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
        with br.running_server(url, org_file, tmp / "server.log", workers=0) as server:
            with httpx.Client(base_url=server.base, timeout=120, follow_redirects=True) as client:
                sign_in(client)
                rows = []
                for name, path in pages.items():
                    spent, wall = [], []
                    for _ in range(args.repeat):
                        w0 = time.perf_counter()
                        answer = client.get(path)
                        wall.append((time.perf_counter() - w0) * 1000)
                        assert answer.status_code == 200, (path, answer.status_code)
                        spent.append(server_ms(answer))
                    rows.append(
                        (name, statistics.median(spent), max(spent), statistics.median(wall))
                    )
    print(f"\nraw driver read of 50 people's month of punches: {raw_ms:.1f} ms\n")
    print(f"{'page':36} {'server median':>14} {'server max':>11} {'wall median':>12}  target")
    for name, median, worst, wall in rows:
        mark = "✓" if worst <= TARGET_MS else "✗"
        print(
            f"{name:36} {median:11.1f} ms {worst:8.1f} ms {wall:9.1f} ms"
            f"  ≤ {TARGET_MS:.0f} ms {mark}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
