"""Database engines and migrations: SQLite (default) or PostgreSQL.

SQLite runs in WAL mode with ``synchronous=FULL``: a transaction acknowledged to a client has
been fsynced, so neither ``kill -9`` nor a power cut loses it. Write transactions start with
``BEGIN IMMEDIATE`` so that concurrent writers queue on the lock instead of failing mid-way.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 0x0DA_CA  # advisory lock id: one migrator at a time


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and select the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``, configured for durable, serialised writes."""
    url = normalize_url(url)
    if not is_sqlite(url):
        return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)

    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # daka emits BEGIN itself (see _begin)
        cur = dbapi_conn.cursor()
        _enable_wal(cur)
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("daka_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _enable_wal(cur: Any) -> None:
    """Switch the database to WAL (a no-op once it is).

    The switch needs the database to itself, and SQLite answers "database is locked" at once,
    without waiting on the busy timeout, while another connection (another process starting
    on a new file) holds it. So wait and retry, up to the busy timeout.
    """
    deadline = time.monotonic() + 30.0
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def alembic_config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply every pending migration."""
    with engine.connect().execution_options(daka_write=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        command.upgrade(alembic_config(conn), "head")


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or ``None`` before the first migration."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
