"""End-to-end fixtures: real ``daka serve`` processes on free ports, talked to over HTTP.

Every server gets its own SQLite file and org file under a pytest temporary directory, so the
tests run in parallel under pytest-xdist. The server is started from the console script next to
the running interpreter, with a list argv and no shell, so ``Popen.pid`` is the server itself
(the script's shebang execs Python directly) and ``kill -9`` hits the process holding the
database.

Servers run on the suite's pinned clock (``tests.clock``), not the wall clock: "today" below is
the same date in the test and in every server it starts.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import clock
from tests.factories import CORPID, SECRET, make_corp, make_org, make_rule, midnight

DAKA = Path(sys.executable).parent / "daka"
STARTUP_TIMEOUT_SEC = 30.0
STOP_TIMEOUT_SEC = 10.0


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_org(path: Path, document: dict[str, Any] | None = None) -> Path:
    """Write an org file (the default test corp unless ``document`` is given)."""
    org = document if document is not None else make_org()
    path.write_text(json.dumps(org, ensure_ascii=False), encoding="utf-8")
    return path


@dataclass
class DakaServer:
    """One running ``daka serve`` process."""

    process: subprocess.Popen[bytes]
    base_url: str
    db_path: Path
    log_path: Path
    argv: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited within 10 s."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_SEC)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_SEC)

    def kill9(self) -> None:
        """``kill -9`` the server process and reap it."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT_SEC)


def _wait_healthy(server: DakaServer) -> bool:
    """Poll /healthz until 200 (True) or the process exits (False); fail after 30 s."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SEC
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            response = httpx.get(f"{server.base_url}/healthz", timeout=1.0)
            if response.status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    server.stop()
    raise AssertionError(
        f"daka serve did not become healthy within {STARTUP_TIMEOUT_SEC:.0f} s:\n{server.log()}"
    )


def start_server(
    workdir: Path,
    *,
    db_path: Path | None = None,
    db_url: str | None = None,
    org: dict[str, Any] | None = None,
    use_org: bool = True,
    rate_limits: str = "off",
    extra_args: Sequence[str] = (),
    wall_clock: bool = False,
    clock_at: str | None = None,
) -> DakaServer:
    """Start ``daka serve`` and return it once /healthz answers 200.

    ``db_path`` defaults to ``workdir/daka.db``; pass the same path again to restart a server on
    an existing database. ``db_url`` (e.g. a PostgreSQL database) replaces the SQLite file; the
    media files then live in ``workdir/daka-media``. The org file (the default test corp unless
    ``org`` is given) is written to ``workdir`` and loaded unless ``use_org`` is false. The
    server runs on the suite's clock (``tests.clock``), or on the wall clock with
    ``wall_clock``: for code that reads the wall clock itself, as the documentation's examples
    do. ``clock_at`` (an ISO 8601 instant) starts the server's clock there instead, for a
    test about a particular day of the year.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = db_path or workdir / "daka.db"
    args = ["--db", db_url or f"sqlite:///{db_path}"]
    if use_org:
        args += ["--org", str(write_org(workdir / "org.json", org))]
    attempts = 3  # another process may grab the free port between our probe and the bind
    for attempt in range(attempts):
        port = free_port()
        argv = [
            str(DAKA),
            "serve",
            *args,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--rate-limits",
            rate_limits,
            *extra_args,
        ]
        log_path = workdir / f"server-{port}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=workdir,
                env=None if wall_clock else clock.daka_environ(clock_at),
            )
        server = DakaServer(process, f"http://127.0.0.1:{port}", db_path, log_path, argv)
        if _wait_healthy(server):
            return server
        output = server.log()
        if "address already in use" not in output.lower() or attempt == attempts - 1:
            raise AssertionError(
                f"daka serve exited with {process.returncode} before becoming healthy:\n"
                f"{' '.join(argv)}\n{output}"
            )
    raise AssertionError("unreachable")


@pytest.fixture
def servers() -> Iterator[list[DakaServer]]:
    """Servers a test starts with ``start_server``; append them here to have them stopped."""
    started: list[DakaServer] = []
    yield started
    for server in started:
        server.stop()


@pytest.fixture
def launch(tmp_path: Path, servers: list[DakaServer]) -> Any:
    """``launch(**kwargs)`` starts a server in this test's tmp_path, stopped at teardown."""

    def _launch(**kwargs: Any) -> DakaServer:
        server = start_server(tmp_path, **kwargs)
        servers.append(server)
        return server

    return _launch


@pytest.fixture
def daka_server(launch: Any) -> DakaServer:
    """A fresh server of the default test corp, rate limits off, stopped at teardown.

    ``daka_server.base_url`` is where it listens; ``.pid`` and ``.db_path`` are there for tests
    that kill it or read its database.
    """
    return launch()


@dataclass(frozen=True)
class CorpKey:
    """Credentials of one corp of the shared server."""

    corpid: str
    secret: str


# The corps of the shared server: one per purpose, so that tests sharing the server never see
# each other's users, punches, tokens, rules or rate-limit windows. Each is the default test
# corp of tests.factories.make_corp (zhangsan, lisi, wangwu; rule 1: Mon–Fri 09:00–18:00).
SHARED_CORPS: dict[str, CorpKey] = {
    "clients": CorpKey(CORPID, SECRET),
    "durability": CorpKey("wwe2e00durability", "durability-secret"),
    "no-limits": CorpKey("wwe2e000nolimits", "no-limits-secret"),
    "new-user": CorpKey("wwe2e0000newuser", "new-user-secret"),
    "rotate-running": CorpKey("wwe2e0rotaterun", "rotate-running-secret"),
    "rotate-restart": CorpKey("wwe2e0rotatenew", "rotate-restart-secret"),
    "fetch": CorpKey("wwe2e00000fetch", "fetch-secret"),
}


def shared_org() -> dict[str, Any]:
    # The tests write punches on last week's weekdays, measured from the suite's clock: without
    # sync_holidays a statutory holiday in that week cannot turn a test day into a rest day.
    rules = [make_rule(sync_holidays=False)]
    return make_org(
        *(make_corp(k.corpid, secret=k.secret, rules=rules) for k in SHARED_CORPS.values())
    )


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DakaServer]:
    """One server per test session (per xdist worker) with the corps of SHARED_CORPS.

    Rate limits are off. A test using it works in its own corp, and within that corp on its
    own users or days, so it does not depend on which other tests ran before.
    """
    server = start_server(tmp_path_factory.mktemp("daka-shared"), org=shared_org())
    yield server
    server.stop()


class Api:
    """A WeCom caller over plain httpx: gettoken, then POSTs with ``?access_token=``."""

    def __init__(self, base_url: str, corpid: str = CORPID, secret: str = SECRET) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30.0)
        self.corpid = corpid
        self.secret = secret
        self.token: str | None = None

    def login(self) -> str:
        body = self.http.get(
            "/cgi-bin/gettoken", params={"corpid": self.corpid, "corpsecret": self.secret}
        ).json()
        assert body["errcode"] == 0, body
        self.token = body["access_token"]
        return self.token

    def call(self, endpoint: str, body: Any = None) -> httpx.Response:
        if self.token is None:
            self.login()
        content = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        response = self.http.post(
            f"/cgi-bin/{endpoint}", params={"access_token": self.token}, content=content
        )
        assert response.status_code == 200, response.text
        return response

    def post(self, endpoint: str, body: Any = None) -> dict[str, Any]:
        return self.call(endpoint, body).json()

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def api_factory() -> Iterator[Any]:
    """``api_factory(server, corp)`` returns a logged-in :class:`Api`, closed at teardown.

    ``corp`` defaults to the default test corp (CORPID / SECRET).
    """
    made: list[Api] = []

    def _make(server: DakaServer, corp: CorpKey | None = None) -> Api:
        corp = corp or SHARED_CORPS["clients"]
        api = Api(server.base_url, corp.corpid, corp.secret)
        api.login()
        made.append(api)
        return api

    yield _make
    for api in made:
        api.close()


# -- dates: the servers' "now" is the suite's clock (tests.clock); tests punch on past weekdays


def today_in_shanghai() -> date:
    """Today on the suite's clock, which is the servers' clock too."""
    return clock.today()


def past_monday() -> date:
    """The Monday of last week: 7 to 13 days ago, so the whole week is in the past."""
    today = today_in_shanghai()
    return today - timedelta(days=today.weekday() + 7)


def at_day(day: date, hhmm: str) -> int:
    """Unix time of ``hh:mm`` Shanghai time on ``day``."""
    hours, minutes = hhmm.split(":")
    return midnight(day) + int(hours) * 3600 + int(minutes) * 60


def day_bounds(first: date, last: date | None = None) -> tuple[int, int]:
    """``(starttime, endtime)`` covering whole days ``first`` .. ``last`` inclusive."""
    return midnight(first), midnight((last or first) + timedelta(days=1)) - 1


# -- the database file, read directly ---------------------------------------------------------


def punch_rows(db_path: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run a read query against a server's SQLite file (WAL is recovered on open)."""
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        return conn.execute(sql, tuple(params)).fetchall()
    finally:
        conn.close()


# -- the real third-party clients, pointed at a daka server -----------------------------------


def wechatpy_client(
    base_url: str, corp: CorpKey | None = None, access_token: str | None = None
) -> Any:
    """wechatpy's WeCom client, unchanged except for where it sends requests."""
    corp = corp or SHARED_CORPS["clients"]
    from wechatpy.work import WeChatClient

    class DakaWeChatClient(WeChatClient):  # type: ignore[misc]
        API_BASE_URL = base_url + "/cgi-bin/"

        def fetch_access_token(self) -> Any:
            return self._fetch_access_token(
                url=base_url + "/cgi-bin/gettoken",
                params={"corpid": self.corp_id, "corpsecret": self.secret},
            )

    return DakaWeChatClient(corp.corpid, corp.secret, access_token=access_token, timeout=30)


def run_wecomkit(base_url: str, work: Any, corp: CorpKey | None = None) -> Any:
    """Run ``await work(client)`` with a wecomkit client for ``base_url`` (sync wrapper)."""
    key = corp or SHARED_CORPS["clients"]
    import asyncio

    from wecomkit import AsyncWeComClient, WeComConfig

    async def main() -> Any:
        config = WeComConfig(
            corp_id=key.corpid, corp_secret=key.secret, base_url=base_url, timeout=30
        )
        async with AsyncWeComClient(config) as client:
            return await work(client)

    return asyncio.run(main())
