"""Fixtures of the storage contract suite: every test runs on SQLite and on PostgreSQL.

``any_db_url`` yields a fresh, empty database per test: a file under ``tmp_path`` for SQLite,
and ``daka_test_<random hex>`` on the PostgreSQL server for PostgreSQL (random names keep
pytest-xdist workers apart). Without a reachable server the PostgreSQL leg is skipped, except
on CI (``CI=true``), where it fails: CI must really exercise PostgreSQL.

The server is ``127.0.0.1:5432`` with trust auth (user ``postgres``, else ``root``);
``DAKA_TEST_PG_URL`` overrides it with the URL of a maintenance database on another server.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, make_url

from daka.services.ratelimit import RateLimiter
from daka.services.service import Service
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store
from tests.factories import FakeClock, at

# Monday 2026-11-23, noon (as in tests/conftest.py): after every punch the tests write.
CONTRACT_NOW = at(2026, 11, 23, 12, 0)

PG_ADMIN_URLS = (
    "postgresql://postgres@127.0.0.1:5432/postgres",
    "postgresql://root@127.0.0.1:5432/postgres",
)

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]

_admin_url: str | None = None  # the first admin URL that worked, per xdist worker
_admin_error: str | None = None  # why none did (reported once per worker, not retried)


def _admin_candidates() -> tuple[str, ...]:
    override = os.environ.get("DAKA_TEST_PG_URL")
    return (override,) if override else PG_ADMIN_URLS


def _connect_admin() -> psycopg.Connection[Any]:
    """An autocommit connection to the server's maintenance database, or skip / fail."""
    global _admin_url, _admin_error
    if _admin_url is None and _admin_error is None:
        errors = []
        for url in _admin_candidates():
            try:
                psycopg.connect(url, autocommit=True, connect_timeout=3).close()
            except psycopg.Error as exc:
                errors.append(f"{url}: {str(exc).strip()}")
                continue
            _admin_url = url
            break
        else:
            _admin_error = "; ".join(errors)
    if _admin_url is None:
        message = f"no PostgreSQL server reachable ({_admin_error})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true requires the PostgreSQL leg to run")
        pytest.skip(message)
    return psycopg.connect(_admin_url, autocommit=True, connect_timeout=10)


def _database_url(admin_url: str, dbname: str) -> str:
    return make_url(admin_url).set(database=dbname).render_as_string(hide_password=False)


def _drop_database(admin: psycopg.Connection[Any], dbname: str) -> None:
    try:
        # FORCE ends any connection a failing test left open.
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )
    finally:
        admin.close()


DropDatabase = Callable[[psycopg.Connection[Any], str], None]


@pytest.fixture(scope="session")
def _pg_dropper() -> Iterator[DropDatabase]:
    """Drops test databases off the critical path; the session waits for every drop."""
    futures: list[Future[None]] = []
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="daka-test-dropdb") as pool:
        yield lambda admin, dbname: futures.append(pool.submit(_drop_database, admin, dbname))
    for future in futures:
        future.result()  # a failed drop is an error of the session, not silently ignored


@contextmanager
def pg_database(drop: DropDatabase) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped by ``drop`` on exit (skips or,
    under ``CI=true``, fails without a server). For fixtures of any scope: the fuzz test
    (tests/api/test_fuzz.py) keeps one database per module."""
    admin = _connect_admin()
    assert _admin_url is not None
    dbname = f"daka_test_{secrets.token_hex(8)}"
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    except BaseException:
        admin.close()
        raise
    try:
        yield _database_url(_admin_url, dbname)
    finally:
        drop(admin, dbname)


@pytest.fixture(params=BACKENDS)
def any_db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """The URL of a fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'contract.db'}"
        return
    # The fixtures that made engines on it have disposed them by the time it is dropped (they
    # depend on this one, so they tear down first). The drop itself runs in the background.
    with pg_database(request.getfixturevalue("_pg_dropper")) as url:
        yield url


@pytest.fixture
def open_engine(any_db_url: str) -> Iterator[Callable[[], Engine]]:
    """Makes engines on ``any_db_url`` (a "process" each); all are disposed at teardown."""
    engines: list[Engine] = []

    def make() -> Engine:
        engine = create_db_engine(any_db_url)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def contract_store(open_engine: Callable[[], Engine]) -> Store:
    """A migrated database behind a Store."""
    engine = open_engine()
    upgrade(engine)
    return Store(engine)


@pytest.fixture
def contract_clock() -> FakeClock:
    return FakeClock(CONTRACT_NOW)


@pytest.fixture
def contract_service(contract_store: Store, contract_clock: FakeClock, tmp_path: Any) -> Service:
    return Service(
        contract_store,
        clock=contract_clock,
        rate_limiter=RateLimiter(enabled=False),
        media_dir=tmp_path / "media",
    )
