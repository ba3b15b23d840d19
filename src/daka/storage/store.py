"""The one place that reads and writes the database.

``Store`` turns rows into plain values and back. Services read inside ``store.read()`` blocks
and write through ``store.transaction(work)``: ``work(conn)`` runs in one write transaction,
rolled back unless it completes, and run again from the start when the database gives up on it
because of a concurrent writer (a deadlock, a serialization failure, SQLite still locked after
its busy timeout). ``store.write()`` is the single-attempt block underneath (tests, migrations,
seeding).

Multi-row writes take their row locks in a fixed key order (sorted keys), so two writers of
overlapping rows wait for each other instead of deadlocking; the retry covers what ordering
cannot (e.g. a lock taken by a unique-index check).
"""

from __future__ import annotations

import logging
import random
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from operator import itemgetter
from time import sleep
from typing import Any, TypeVar

import orjson
from sqlalchemy import Engine, and_, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from daka.domain.directory import Department, User
from daka.domain.errors import WriteConflict
from daka.domain.punches import Punch
from daka.domain.vacations import Balance
from daka.storage import tables as t
from daka.storage.admins import AdminStore
from daka.storage.approvals import ApprovalStore

log = logging.getLogger("daka.storage")

T = TypeVar("T")

# A write transaction the database aborted because of a concurrent one is run again, up to
# this many times in all, after a random pause (full jitter, growing exponentially) so that
# the writers that collided do not collide again in lockstep.
WRITE_ATTEMPTS = 8
RETRY_BASE_DELAY_SEC = 0.005
RETRY_MAX_DELAY_SEC = 0.25

# PostgreSQL: serialization_failure, deadlock_detected. SQLite (primary result codes, the
# extended ones such as SQLITE_BUSY_SNAPSHOT share their low byte): SQLITE_BUSY, SQLITE_LOCKED.
_RETRIABLE_SQLSTATES = frozenset({"40001", "40P01"})
_RETRIABLE_SQLITE_CODES = frozenset({5, 6})


def is_retriable(exc: BaseException) -> bool:
    """Whether ``exc`` aborted a transaction only because of concurrent transactions, so that
    running it again from the start can succeed (and nothing of it was committed)."""
    seen: BaseException | None = exc
    for _ in range(4):  # the exception, the DB-API error SQLAlchemy wraps, its cause
        if seen is None:
            return False
        if getattr(seen, "sqlstate", None) in _RETRIABLE_SQLSTATES:
            return True
        if isinstance(seen, sqlite3.OperationalError):
            code = getattr(seen, "sqlite_errorcode", None)
            if code is not None:
                return code & 0xFF in _RETRIABLE_SQLITE_CODES
            return "database is locked" in str(seen) or "database is busy" in str(seen)
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


@dataclass(frozen=True, slots=True)
class CorpRecord:
    id: int
    corpid: str
    name: str
    timezone: str
    revision: int


@dataclass(frozen=True, slots=True)
class AppRecord:
    corp_id: int
    agentid: int
    name: str
    secret_hash: str
    checkin: bool
    manage_rules: bool = True
    approval: bool = False
    approval_admin: bool = False


@dataclass(frozen=True, slots=True)
class TokenRecord:
    corp_id: int
    agentid: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """One version of a rule: in force from ``effective_from`` (a date ordinal; 0 = always)."""

    groupid: int
    version: int
    effective_from: int
    body: dict[str, Any] | None  # None: deleted from that date
    creator_agentid: int | None  # None: loaded from the org file
    created_at: int


@dataclass(frozen=True, slots=True)
class HolidayCalendarRow:
    """One stored version of one year's holiday calendar (``corp_id`` 0: server-wide)."""

    corp_id: int
    year: int
    version: int
    effective_from: int  # the first local date ordinal it applies to
    source: str
    body: dict[str, Any]  # the year object of the holiday file, normalised
    loaded_at: int


@dataclass(frozen=True, slots=True)
class MediaRecord:
    """One uploaded media file (its bytes are a file under the media directory)."""

    corp_id: int
    media_id: str
    type: str
    content_type: str
    filename: str
    size: int
    created_at: int


@dataclass(frozen=True, slots=True)
class DirectoryRows:
    """Everything a corp's directory is made of, as stored."""

    users: tuple[User, ...]
    departments: tuple[Department, ...]
    tag_members: Mapping[int, tuple[str, ...]]
    tag_names: Mapping[int, str]
    versions: tuple[RuleVersion, ...]


@dataclass(frozen=True, slots=True)
class VacationRow:
    """One stored vacation: its getcorpconf item (with daka's own keys) and its place."""

    vacation_id: int
    position: int
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One change of a balance (``change`` is of ``left``; unit-seconds)."""

    id: int
    userid: str
    vacation_id: int
    at: int
    change: int
    left_after: int
    reason: str
    sp_no: str | None
    remarks: str


@dataclass(frozen=True, slots=True)
class SyncSource:
    """Where a mirrored corp comes from (``daka sync``)."""

    base_url: str
    first_day: int  # local date ordinal
    last_run_at: int
    last_completed_at: int | None


_PUNCH_COLUMNS = (
    t.punches.c.userid,
    t.punches.c.checkin_time,
    t.punches.c.location_title,
    t.punches.c.location_detail,
    t.punches.c.notes,
    t.punches.c.wifiname,
    t.punches.c.wifimac,
    t.punches.c.mediaids,
    t.punches.c.lat,
    t.punches.c.lng,
    t.punches.c.device_type,
    t.punches.c.device_detail,
    t.punches.c.received_at,
)


_UPSERT_PUNCH = (
    "INSERT INTO punches (corp_id, userid, checkin_time, location_title, location_detail, "
    "notes, wifiname, wifimac, mediaids, lat, lng, device_type, device_detail, received_at, "
    "source, remark, corrects) "
    "VALUES (" + ", ".join(["{mark}"] * 17) + ") "
    "ON CONFLICT (corp_id, userid, checkin_time) DO UPDATE SET "
    + ", ".join(
        f"{c} = excluded.{c}"
        for c in (
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
    )
)


class Store(ApprovalStore, AdminStore):
    """Repository over one SQLAlchemy engine (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction; commits on success (durably), rolls back on any error.

        One attempt only: a block cannot be run again by its context manager. Services write
        through :meth:`transaction`, which retries.
        """
        with self.engine.connect().execution_options(daka_write=True) as conn, conn.begin():
            yield conn

    def transaction(self, work: Callable[[Connection], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
        """Run ``work(conn)`` in a write transaction and commit it; return what it returned.

        When the database aborts the transaction because of a concurrent one (deadlock,
        serialization failure, SQLite still locked after its busy timeout), it is rolled back
        and ``work`` runs again on a new transaction, up to ``attempts`` times in all, after a
        random pause. So ``work`` must do all its deciding on ``conn`` (what it read before
        the transaction may be stale) and must not change anything outside the database.
        After the last attempt, :class:`WriteConflict` (-1, retriable) is raised. Any other
        error rolls back and propagates at once. When this returns, the write is committed
        (durably: see :mod:`daka.storage.engine`).
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as conn:
                    return work(conn)
            except Exception as exc:
                if not is_retriable(exc):
                    raise
                if attempt == attempts:
                    log.warning("write transaction gave up after %d attempts: %s", attempts, exc)
                    raise WriteConflict() from exc
                log.info("write transaction attempt %d collided, retrying: %s", attempt, exc)
                ceiling = min(RETRY_MAX_DELAY_SEC, RETRY_BASE_DELAY_SEC * 2**attempt)
                sleep(random.uniform(0, ceiling))
        raise AssertionError("unreachable")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (one consistent snapshot).

        SQLite's WAL gives a snapshot per transaction; PostgreSQL needs REPEATABLE READ for
        that (its default gives each statement its own snapshot).
        """
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            with conn.begin():
                yield conn

    # -- corps and apps -------------------------------------------------------------------

    def corp_by_corpid(self, conn: Connection, corpid: str) -> CorpRecord | None:
        row = conn.execute(select(t.corps).where(t.corps.c.corpid == corpid)).first()
        return CorpRecord(**row._mapping) if row else None

    def corp_by_id(self, conn: Connection, corp_id: int) -> CorpRecord | None:
        row = conn.execute(select(t.corps).where(t.corps.c.id == corp_id)).first()
        return CorpRecord(**row._mapping) if row else None

    def corps(self, conn: Connection) -> list[CorpRecord]:
        return [CorpRecord(**r._mapping) for r in conn.execute(select(t.corps).order_by("id"))]

    def upsert_corp(self, conn: Connection, corpid: str, name: str, timezone: str) -> int:
        """Create or rename the corp ``corpid``; its id.

        One statement, so two processes loading the same new corp at once both succeed (a
        check-then-insert would fail one of them on the unique corpid).
        """
        stmt = self._insert(t.corps).values(corpid=corpid, name=name, timezone=timezone, revision=0)
        stmt = stmt.on_conflict_do_update(
            index_elements=["corpid"], set_={"name": name, "timezone": timezone}
        )
        return int(conn.execute(stmt.returning(t.corps.c.id)).scalar_one())

    def lock_corp(self, conn: Connection, corp_id: int, *, exclusive: bool = True) -> int:
        """Lock the corp's row until the transaction ends; the corp's revision under the lock.

        Writes that decide from the corp's rules (rule changes, 补卡 quotas, schedules) take
        it first, so that their checks and writes see every rule change committed before and
        none during. ``exclusive`` (FOR UPDATE) serialises with every other holder;
        otherwise (FOR SHARE) only with exclusive holders and revision bumps. On SQLite the
        write transaction (``BEGIN IMMEDIATE``) already holds the database's only write lock,
        so this is a plain read.
        """
        query = select(t.corps.c.revision).where(t.corps.c.id == corp_id)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(read=not exclusive)
        return int(conn.execute(query).scalar() or 0)

    def bump_revision(self, conn: Connection, corp_id: int) -> None:
        conn.execute(
            update(t.corps).where(t.corps.c.id == corp_id).values(revision=t.corps.c.revision + 1)
        )

    def revision(self, conn: Connection, corp_id: int) -> int:
        value = conn.execute(select(t.corps.c.revision).where(t.corps.c.id == corp_id)).scalar()
        return int(value or 0)

    def apps(self, conn: Connection, corp_id: int) -> list[AppRecord]:
        rows = conn.execute(select(t.apps).where(t.apps.c.corp_id == corp_id))
        return [AppRecord(**r._mapping) for r in rows]

    def app(self, conn: Connection, corp_id: int, agentid: int) -> AppRecord | None:
        row = conn.execute(
            select(t.apps).where(and_(t.apps.c.corp_id == corp_id, t.apps.c.agentid == agentid))
        ).first()
        return AppRecord(**row._mapping) if row else None

    def upsert_app(self, conn: Connection, app: AppRecord) -> None:
        values = {
            "corp_id": app.corp_id,
            "agentid": app.agentid,
            "name": app.name,
            "secret_hash": app.secret_hash,
            "checkin": app.checkin,
            "manage_rules": app.manage_rules,
            "approval": app.approval,
            "approval_admin": app.approval_admin,
        }
        self._upsert(conn, t.apps, values, ("corp_id", "agentid"))

    # -- tokens ---------------------------------------------------------------------------

    def add_token(self, conn: Connection, token_hash: str, record: TokenRecord) -> None:
        conn.execute(
            insert(t.tokens).values(
                token_hash=token_hash,
                corp_id=record.corp_id,
                agentid=record.agentid,
                expires_at=record.expires_at,
            )
        )

    def token(self, conn: Connection, token_hash: str) -> TokenRecord | None:
        row = conn.execute(
            select(t.tokens.c.corp_id, t.tokens.c.agentid, t.tokens.c.expires_at).where(
                t.tokens.c.token_hash == token_hash
            )
        ).first()
        return TokenRecord(**row._mapping) if row else None

    def purge_tokens(self, conn: Connection, before: int) -> None:
        conn.execute(delete(t.tokens).where(t.tokens.c.expires_at < before))

    # -- directory ------------------------------------------------------------------------

    def upsert_department(self, conn: Connection, corp_id: int, dept: Department) -> None:
        values = {
            "corp_id": corp_id,
            "dept_id": dept.id,
            "name": dept.name,
            "parent_id": dept.parent_id,
        }
        self._upsert(conn, t.departments, values, ("corp_id", "dept_id"))

    def upsert_user(self, conn: Connection, corp_id: int, user: User) -> None:
        values = {
            "corp_id": corp_id,
            "userid": user.userid,
            "name": user.name,
            "departments": orjson.dumps(list(user.department_ids)).decode(),
            "alias": user.alias,
        }
        self._upsert(conn, t.users, values, ("corp_id", "userid"))

    def upsert_tag(
        self, conn: Connection, corp_id: int, tagid: int, name: str, userids: Sequence[str]
    ) -> None:
        values = {
            "corp_id": corp_id,
            "tagid": tagid,
            "tagname": name,
            "userids": orjson.dumps(list(userids)).decode(),
        }
        self._upsert(conn, t.tags, values, ("corp_id", "tagid"))

    def replace_rule(self, conn: Connection, corp_id: int, group: Mapping[str, Any]) -> None:
        """Make ``group`` the only version of its rule, for all dates (the org file's way)."""
        groupid = group["groupid"]
        conn.execute(
            delete(t.rule_versions).where(
                t.rule_versions.c.corp_id == corp_id, t.rule_versions.c.groupid == groupid
            )
        )
        conn.execute(
            insert(t.rule_versions).values(
                corp_id=corp_id,
                groupid=groupid,
                version=1,
                effective_from=0,
                body=orjson.dumps(dict(group)).decode(),
                creator_agentid=None,
                created_at=0,
            )
        )

    def add_rule_version(
        self,
        conn: Connection,
        corp_id: int,
        groupid: int,
        effective_from: int,
        group: Mapping[str, Any] | None,
        creator_agentid: int | None,
        created_at: int,
    ) -> int:
        """Record a new version of a rule from ``effective_from`` (``None``: deleted).

        The version number is the next one under the corp's lock (:meth:`lock_corp`), so two
        concurrent changes of one rule get two versions, in the order they commit.
        """
        self.lock_corp(conn, corp_id)
        latest = conn.execute(
            select(func.max(t.rule_versions.c.version)).where(
                t.rule_versions.c.corp_id == corp_id, t.rule_versions.c.groupid == groupid
            )
        ).scalar()
        version = int(latest or 0) + 1
        conn.execute(
            insert(t.rule_versions).values(
                corp_id=corp_id,
                groupid=groupid,
                version=version,
                effective_from=effective_from,
                body=None if group is None else orjson.dumps(dict(group)).decode(),
                creator_agentid=creator_agentid,
                created_at=created_at,
            )
        )
        return version

    def rule_versions(self, conn: Connection, corp_id: int) -> list[RuleVersion]:
        rows = conn.execute(
            select(t.rule_versions)
            .where(t.rule_versions.c.corp_id == corp_id)
            .order_by(t.rule_versions.c.groupid, t.rule_versions.c.version)
        )
        return [
            RuleVersion(
                groupid=r.groupid,
                version=r.version,
                effective_from=r.effective_from,
                body=orjson.loads(r.body) if r.body is not None else None,
                creator_agentid=r.creator_agentid,
                created_at=r.created_at,
            )
            for r in rows
        ]

    def max_groupid(self, conn: Connection, corp_id: int) -> int:
        value = conn.execute(
            select(func.max(t.rule_versions.c.groupid)).where(t.rule_versions.c.corp_id == corp_id)
        ).scalar()
        return int(value or 0)

    def next_groupid(self, conn: Connection, corp_id: int) -> int:
        """A groupid no rule of the corp has, reserved until the transaction ends: taken under
        the corp's lock (:meth:`lock_corp`), so concurrent creations get distinct ids."""
        self.lock_corp(conn, corp_id)
        return self.max_groupid(conn, corp_id) + 1

    # -- holiday calendars ----------------------------------------------------------------

    def lock_holiday_calendars(self, conn: Connection, corp_id: int) -> list[int]:
        """Lock the corps a holiday calendar of ``corp_id`` applies to (every corp for 0),
        in id order, until the transaction ends; their ids.

        Loads of one calendar then run one after the other, so each sees the versions the
        previous one added and numbers its own after them.
        """
        if corp_id != 0:
            self.lock_corp(conn, corp_id)
            return [corp_id]
        ids = [c.id for c in self.corps(conn)]
        for cid in ids:
            self.lock_corp(conn, cid)
        return ids

    def holiday_calendars(self, conn: Connection, corp_id: int) -> list[HolidayCalendarRow]:
        """The stored versions a corp follows: the server-wide ones (corp 0) and its own,
        by corp, year and version."""
        table = t.holiday_calendars
        rows = conn.execute(
            select(table)
            .where(table.c.corp_id.in_(sorted({0, corp_id})))
            .order_by(table.c.corp_id, table.c.year, table.c.version)
        )
        return [
            HolidayCalendarRow(
                corp_id=r.corp_id,
                year=r.year,
                version=r.version,
                effective_from=r.effective_from,
                source=r.source,
                body=orjson.loads(r.body),
                loaded_at=r.loaded_at,
            )
            for r in rows
        ]

    def add_holiday_calendar(
        self,
        conn: Connection,
        corp_id: int,
        year: int,
        effective_from: int,
        source: str,
        body: Mapping[str, Any],
        loaded_at: int,
    ) -> int:
        """Record a new version of ``year``'s calendar for ``corp_id`` (0: server-wide) and
        bump the revision of every corp it applies to, so cached views and days are dropped.
        Returns the version number. Call :meth:`lock_holiday_calendars` first."""
        table = t.holiday_calendars
        latest = conn.execute(
            select(func.max(table.c.version)).where(
                table.c.corp_id == corp_id, table.c.year == year
            )
        ).scalar()
        version = int(latest or 0) + 1
        conn.execute(
            insert(table).values(
                corp_id=corp_id,
                year=year,
                version=version,
                effective_from=effective_from,
                source=source,
                body=orjson.dumps(dict(body)).decode(),
                loaded_at=loaded_at,
            )
        )
        if corp_id == 0:
            conn.execute(update(t.corps).values(revision=t.corps.c.revision + 1))
        else:
            self.bump_revision(conn, corp_id)
        return version

    # -- user versions (what a cached evaluation is checked against) ---------------------

    def bump_user_versions(self, conn: Connection, corp_id: int, userids: Iterable[str]) -> None:
        """Mark the users' punches or schedules as changed."""
        users = sorted(set(userids))
        if not users:
            return
        self._execute_many_raw(
            conn,
            "INSERT INTO user_versions (corp_id, userid, version) VALUES ({mark}, {mark}, 1) "
            "ON CONFLICT (corp_id, userid) DO UPDATE SET version = user_versions.version + 1",
            [(corp_id, u) for u in users],
        )

    def user_versions(
        self, conn: Connection, corp_id: int, userids: Sequence[str]
    ) -> dict[str, int]:
        """Each user's version (0 for a user never written)."""
        found = dict.fromkeys(userids, 0)
        if not userids:
            return found
        rows = conn.execute(
            select(t.user_versions.c.userid, t.user_versions.c.version).where(
                t.user_versions.c.corp_id == corp_id, t.user_versions.c.userid.in_(list(userids))
            )
        )
        for userid, version in rows:
            found[userid] = int(version)
        return found

    # -- schedules and faces -------------------------------------------------------------

    def set_schedules(
        self, conn: Connection, corp_id: int, items: Iterable[tuple[str, int, int, int]]
    ) -> None:
        """Upsert (userid, day ordinal, groupid, schedule_id) assignments."""
        items = sorted(items)  # rows are locked in key order (see the module docstring)
        self.bump_user_versions(conn, corp_id, (i[0] for i in items))
        for userid, day, groupid, schedule_id in items:
            self._upsert(
                conn,
                t.schedules,
                {
                    "corp_id": corp_id,
                    "userid": userid,
                    "day": day,
                    "groupid": groupid,
                    "schedule_id": schedule_id,
                },
                ("corp_id", "userid", "day"),
            )

    def schedules(
        self,
        conn: Connection,
        corp_id: int,
        userids: Sequence[str],
        first_day: int,
        last_day: int,
    ) -> dict[str, dict[int, tuple[int, int]]]:
        """Each user's assignments by day ordinal: (groupid, schedule_id)."""
        found: dict[str, dict[int, tuple[int, int]]] = {u: {} for u in userids}
        if not userids:
            return found
        rows = conn.execute(
            select(t.schedules).where(
                t.schedules.c.corp_id == corp_id,
                t.schedules.c.userid.in_(list(userids)),
                t.schedules.c.day >= first_day,
                t.schedules.c.day <= last_day,
            )
        )
        for r in rows:
            found[r.userid][r.day] = (r.groupid, r.schedule_id)
        return found

    def set_face(self, conn: Connection, corp_id: int, userid: str, image: bytes, now: int) -> None:
        self._upsert(
            conn,
            t.faces,
            {"corp_id": corp_id, "userid": userid, "image": image, "updated_at": now},
            ("corp_id", "userid"),
        )

    def face(self, conn: Connection, corp_id: int, userid: str) -> bytes | None:
        value = conn.execute(
            select(t.faces.c.image).where(t.faces.c.corp_id == corp_id, t.faces.c.userid == userid)
        ).scalar()
        return bytes(value) if value is not None else None

    # -- media --------------------------------------------------------------------------

    def add_media(self, conn: Connection, media: MediaRecord) -> None:
        conn.execute(
            insert(t.media).values(
                media_id=media.media_id,
                corp_id=media.corp_id,
                type=media.type,
                content_type=media.content_type,
                filename=media.filename,
                size=media.size,
                created_at=media.created_at,
            )
        )

    def media(self, conn: Connection, corp_id: int, media_id: str) -> MediaRecord | None:
        """The corp's media ``media_id``; another corp's is None, as an unknown one."""
        row = conn.execute(
            select(t.media).where(t.media.c.corp_id == corp_id, t.media.c.media_id == media_id)
        ).first()
        return MediaRecord(**row._mapping) if row else None

    def media_created(
        self, conn: Connection, corp_id: int, media_ids: Iterable[str]
    ) -> dict[str, int]:
        """``created_at`` of each of ``media_ids`` that is a media of the corp."""
        ids = sorted(set(media_ids))
        if not ids:
            return {}
        rows = conn.execute(
            select(t.media.c.media_id, t.media.c.created_at).where(
                t.media.c.corp_id == corp_id, t.media.c.media_id.in_(ids)
            )
        )
        return {media_id: int(created_at) for media_id, created_at in rows}

    def directory_rows(self, conn: Connection, corp_id: int) -> DirectoryRows:
        users = tuple(
            User(
                userid=r.userid,
                name=r.name,
                department_ids=tuple(orjson.loads(r.departments)),
                alias=r.alias,
            )
            for r in conn.execute(
                select(t.users).where(t.users.c.corp_id == corp_id).order_by(t.users.c.userid)
            )
        )
        departments = tuple(
            Department(id=r.dept_id, name=r.name, parent_id=r.parent_id)
            for r in conn.execute(
                select(t.departments)
                .where(t.departments.c.corp_id == corp_id)
                .order_by(t.departments.c.dept_id)
            )
        )
        tag_members: dict[int, tuple[str, ...]] = {}
        tag_names: dict[int, str] = {}
        for r in conn.execute(select(t.tags).where(t.tags.c.corp_id == corp_id)):
            tag_members[r.tagid] = tuple(orjson.loads(r.userids))
            tag_names[r.tagid] = r.tagname
        return DirectoryRows(
            users, departments, tag_members, tag_names, tuple(self.rule_versions(conn, corp_id))
        )

    # -- punches --------------------------------------------------------------------------

    def upsert_punches(self, conn: Connection, corp_id: int, punches: Iterable[Punch]) -> int:
        """Insert punches; one with the same (userid, checkin_time) as a stored one replaces it.

        The write hot path: one DB-API ``executemany`` of an upsert that SQLite and PostgreSQL
        both understand. ``punches`` must not repeat a (userid, checkin_time). Rows are written
        in key order, then the users' versions (also in key order): two batches holding the
        same punches in any orders lock them in the same order, so they cannot deadlock.
        """
        rows = sorted(
            [
                (
                    corp_id,
                    p.userid,
                    p.time,
                    p.location_title,
                    p.location_detail,
                    p.notes,
                    p.wifiname,
                    p.wifimac,
                    p.media,
                    p.lat,
                    p.lng,
                    int(p.device_type),
                    p.device_detail,
                    p.received_at,
                    int(p.source),
                    p.remark,
                    p.corrects,
                )
                for p in punches
            ],
            key=itemgetter(1, 2),
        )
        if not rows:
            return 0
        self._execute_many_raw(conn, _UPSERT_PUNCH, rows)
        self.bump_user_versions(conn, corp_id, (r[1] for r in rows))
        return len(rows)

    def punches(
        self,
        conn: Connection,
        corp_id: int,
        userids: Sequence[str],
        start: int,
        end: int,
        *,
        for_rows: bool = False,
    ) -> dict[str, list[Punch]]:
        """Punches of ``userids`` with ``start <= checkin_time < end``, by user, time-ordered.

        The hottest read of the service: it goes straight to the DB-API cursor, skipping
        SQLAlchemy's per-row result processing (several times faster for 10k+ rows).
        ``for_rows`` leaves out what check-in rows never show (``received_at``, ``source``
        and ``remark`` read as 0, 0 and ""), which makes large reads cheaper.
        """
        found: dict[str, list[Punch]] = {u: [] for u in userids}
        if not userids:
            return found
        marks = ", ".join(["{mark}"] * len(userids))
        # Constants cost almost nothing per row: CPython shares small ints and "".
        tail = "0, 0, ''" if for_rows else "received_at, source, remark"
        rows = self._fetch_raw(
            conn,
            (
                "SELECT userid, checkin_time, location_title, location_detail, notes, wifiname, "
                f"wifimac, mediaids, lat, lng, device_type, device_detail, {tail}, corrects "
                f"FROM punches WHERE corp_id = {{mark}} AND userid IN ({marks})"
                " AND checkin_time >= {mark} AND checkin_time < {mark} "
                "ORDER BY userid, checkin_time"
            ),
            (corp_id, *userids, start, end),
        )
        # Punch's fields follow the selected columns, so each row becomes a Punch as it is.
        make = partial(tuple.__new__, Punch)
        for userid, group in groupby(rows, key=itemgetter(0)):
            found[userid] = list(map(make, group))
        return found

    def phone_punches(
        self, conn: Connection, corp_id: int, userids: Sequence[str], start: int, end: int
    ) -> dict[str, list[tuple[int, str]]]:
        """(time, device_detail) of each user's phone punches (device_type 3) in [start, end)."""
        found: dict[str, list[tuple[int, str]]] = {u: [] for u in userids}
        for userid, time, device in self._phones(
            conn, "userid, checkin_time, device_detail", corp_id, userids, start, end
        ):
            found[userid].append((time, device))
        return found

    def phone_devices(
        self, conn: Connection, corp_id: int, userids: Sequence[str], start: int, end: int
    ) -> dict[str, set[str]]:
        """The distinct phone devices (device_type 3) each user punched with in [start, end)."""
        found: dict[str, set[str]] = {u: set() for u in userids}
        for userid, device in self._phones(
            conn, "DISTINCT userid, device_detail", corp_id, userids, start, end
        ):
            found[userid].add(device)
        return found

    def _phones(
        self,
        conn: Connection,
        columns: str,
        corp_id: int,
        userids: Sequence[str],
        start: int,
        end: int,
    ) -> list[Any]:
        if not userids:
            return []
        marks = ", ".join(["{mark}"] * len(userids))
        return self._fetch_raw(
            conn,
            (
                f"SELECT {columns} FROM punches WHERE corp_id = {{mark}} AND userid IN ({marks}) "
                "AND checkin_time >= {mark} AND checkin_time < {mark} AND device_type = 3"
            ),
            (corp_id, *userids, start, end),
        )

    def correction_count(
        self, conn: Connection, corp_id: int, userid: str, start: int, end: int
    ) -> int:
        """How many 补卡 punches a user has with ``start <= checkin_time < end``."""
        value = conn.execute(
            select(func.count())
            .select_from(t.punches)
            .where(
                t.punches.c.corp_id == corp_id,
                t.punches.c.userid == userid,
                t.punches.c.checkin_time >= start,
                t.punches.c.checkin_time < end,
                t.punches.c.source == 1,
            )
        ).scalar()
        return int(value or 0)

    def punch_count(self, conn: Connection, corp_id: int) -> int:
        value = conn.execute(
            select(func.count()).select_from(t.punches).where(t.punches.c.corp_id == corp_id)
        ).scalar()
        return int(value or 0)

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _raw_cursor(conn: Connection, sql: str) -> tuple[Any, str]:
        """A DB-API cursor of ``conn`` and ``sql`` with ``{mark}`` in the driver's paramstyle.

        For the hot paths: the raw cursor skips SQLAlchemy's per-row processing.
        """
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        return cursor, sql.replace("{mark}", mark)

    @classmethod
    def _fetch_raw(cls, conn: Connection, sql: str, params: Sequence[Any]) -> list[Any]:
        """Rows of ``sql`` (``{mark}`` for each placeholder)."""
        cursor, statement = cls._raw_cursor(conn, sql)
        try:
            cursor.execute(statement, tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    @classmethod
    def _execute_many_raw(cls, conn: Connection, sql: str, rows: Sequence[Any]) -> None:
        """Run ``sql`` (``{mark}`` for each placeholder) once per row of ``rows``."""
        cursor, statement = cls._raw_cursor(conn, sql)
        try:
            cursor.executemany(statement, rows)
        finally:
            cursor.close()

    def _upsert(
        self, conn: Connection, table: Any, values: Mapping[str, Any], keys: Sequence[str]
    ) -> None:
        stmt = self._insert(table).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys),
            set_={k: v for k, v in values.items() if k not in keys},
        )
        conn.execute(stmt)

    # -- mirroring (daka sync) ------------------------------------------------------------

    def replace_directory(
        self,
        conn: Connection,
        corp_id: int,
        departments: Iterable[Department],
        users: Iterable[User],
        tags: Iterable[tuple[int, str, Sequence[str]]],
    ) -> None:
        """Make the corp's departments, users and tags exactly these (punches are kept)."""
        for table in (t.departments, t.users, t.tags):
            conn.execute(delete(table).where(table.c.corp_id == corp_id))
        # In key order, as every multi-row write (see the module docstring).
        for dept in sorted(departments, key=lambda d: d.id):
            self.upsert_department(conn, corp_id, dept)
        for user in sorted(users, key=lambda u: u.userid):
            self.upsert_user(conn, corp_id, user)
        for tagid, name, userids in sorted(tags, key=itemgetter(0)):
            self.upsert_tag(conn, corp_id, tagid, name, userids)

    def sync_source(self, conn: Connection, corp_id: int) -> SyncSource | None:
        row = conn.execute(
            select(t.sync_sources).where(t.sync_sources.c.corp_id == corp_id)
        ).first()
        if row is None:
            return None
        return SyncSource(row.base_url, row.first_day, row.last_run_at, row.last_completed_at)

    def save_sync_source(self, conn: Connection, corp_id: int, source: SyncSource) -> None:
        self._upsert(
            conn,
            t.sync_sources,
            {
                "corp_id": corp_id,
                "base_url": source.base_url,
                "first_day": source.first_day,
                "last_run_at": source.last_run_at,
                "last_completed_at": source.last_completed_at,
            },
            ("corp_id",),
        )

    def sync_cursors(
        self, conn: Connection, corp_id: int, userids: Sequence[str] | None = None
    ) -> dict[str, int]:
        """Each mirrored user's ``records_through`` (of ``userids``, or of everyone):
        records before it are mirrored."""
        c = t.sync_cursors.c
        query = select(c.userid, c.records_through).where(c.corp_id == corp_id)
        if userids is not None:
            query = query.where(c.userid.in_(list(userids)))
        return {r.userid: r.records_through for r in conn.execute(query)}

    def advance_sync_cursors(
        self, conn: Connection, corp_id: int, userids: Sequence[str], through: int
    ) -> None:
        """Move users' cursors forward to ``through`` (never back)."""
        current = self.sync_cursors(conn, corp_id, userids)
        for userid in sorted(set(userids)):  # in key order (see the module docstring)
            if current.get(userid, -1) < through:
                self._upsert(
                    conn,
                    t.sync_cursors,
                    {
                        "corp_id": corp_id,
                        "userid": userid,
                        "records_through": through,
                    },
                    ("corp_id", "userid"),
                )

    # -- vacations and balances (假期) ---------------------------------------------------

    def vacation_rows(self, conn: Connection, corp_id: int) -> list[VacationRow]:
        """The corp's vacations in getcorpconf's order."""
        v = t.vacations.c
        rows = conn.execute(
            select(v.vacation_id, v.position, v.body)
            .where(v.corp_id == corp_id)
            .order_by(v.position, v.vacation_id)
        )
        return [VacationRow(r.vacation_id, r.position, orjson.loads(r.body)) for r in rows]

    def replace_vacations(
        self, conn: Connection, corp_id: int, bodies: Sequence[Mapping[str, Any]]
    ) -> None:
        """Make the corp's vacations exactly ``bodies`` (each with its ``id``), in this order.

        Balances and ledger rows are kept, whichever vacations go.
        """
        v = t.vacations.c
        wanted = {int(b["id"]): (position, b) for position, b in enumerate(bodies)}
        stored = {
            int(r.vacation_id): (r.position, r.body)
            for r in conn.execute(
                select(v.vacation_id, v.position, v.body).where(v.corp_id == corp_id)
            )
        }
        gone = sorted(set(stored) - set(wanted))
        if gone:
            conn.execute(delete(t.vacations).where(v.corp_id == corp_id, v.vacation_id.in_(gone)))
        for vacation_id in sorted(wanted):  # in key order (see the module docstring)
            position, body = wanted[vacation_id]
            text = orjson.dumps(dict(body), option=orjson.OPT_SORT_KEYS).decode()
            if stored.get(vacation_id) == (position, text):
                continue  # an unchanged vacation is not rewritten
            self._upsert(
                conn,
                t.vacations,
                {
                    "corp_id": corp_id,
                    "vacation_id": vacation_id,
                    "position": position,
                    "body": text,
                },
                ("corp_id", "vacation_id"),
            )

    def balance(
        self,
        conn: Connection,
        corp_id: int,
        userid: str,
        vacation_id: int,
        *,
        for_update: bool = False,
    ) -> Balance | None:
        """One balance as stored (None: never written).

        ``for_update`` locks the row until the transaction ends (PostgreSQL; SQLite's write
        transaction already holds the only write lock): a read that decides a write.
        """
        b = t.vacation_balances.c
        query = select(b.vacation_id, b.assigned, b.real_assigned, b.used, b.left).where(
            b.corp_id == corp_id, b.userid == userid, b.vacation_id == vacation_id
        )
        if for_update and conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).first()
        return Balance(*row) if row is not None else None

    def lock_balance(
        self, conn: Connection, corp_id: int, userid: str, vacation_id: int
    ) -> Balance:
        """The balance, created at zero if it was never written, locked for this transaction.

        The row is inserted first (a no-op when it exists), so two transactions moving a new
        balance at once wait for each other on the row instead of both deciding from zero.
        """
        stmt = self._insert(t.vacation_balances).values(
            corp_id=corp_id,
            userid=userid,
            vacation_id=vacation_id,
            assigned=0,
            real_assigned=0,
            used=0,
            left=0,
        )
        conn.execute(
            stmt.on_conflict_do_nothing(index_elements=["corp_id", "userid", "vacation_id"])
        )
        found = self.balance(conn, corp_id, userid, vacation_id, for_update=True)
        assert found is not None
        return found

    def save_balance(self, conn: Connection, corp_id: int, userid: str, balance: Balance) -> None:
        """Store ``balance`` (created or replaced)."""
        self._upsert(
            conn,
            t.vacation_balances,
            {
                "corp_id": corp_id,
                "userid": userid,
                "vacation_id": balance.vacation_id,
                "assigned": balance.assigned,
                "real_assigned": balance.real_assigned,
                "used": balance.used,
                "left": balance.left,
            },
            ("corp_id", "userid", "vacation_id"),
        )

    def balances(self, conn: Connection, corp_id: int, userid: str) -> dict[int, Balance]:
        """Every stored balance of one person, by vacation id."""
        b = t.vacation_balances.c
        rows = conn.execute(
            select(b.vacation_id, b.assigned, b.real_assigned, b.used, b.left)
            .where(b.corp_id == corp_id, b.userid == userid)
            .order_by(b.vacation_id)
        )
        return {int(r.vacation_id): Balance(*r) for r in rows}

    def add_ledger_entry(
        self,
        conn: Connection,
        corp_id: int,
        userid: str,
        vacation_id: int,
        *,
        at: int,
        change: int,
        left_after: int,
        reason: str,
        sp_no: str | None = None,
        remarks: str = "",
    ) -> None:
        conn.execute(
            insert(t.vacation_ledger).values(
                corp_id=corp_id,
                userid=userid,
                vacation_id=vacation_id,
                at=at,
                change=change,
                left_after=left_after,
                reason=reason,
                sp_no=sp_no,
                remarks=remarks,
            )
        )

    def ledger(
        self,
        conn: Connection,
        corp_id: int,
        userid: str,
        vacation_id: int | None = None,
        *,
        reason: str | None = None,
    ) -> list[LedgerEntry]:
        """A person's balance changes (of one vacation, or of one ``reason``), oldest first."""
        lg = t.vacation_ledger.c
        query = select(
            lg.id,
            lg.userid,
            lg.vacation_id,
            lg.at,
            lg.change,
            lg.left_after,
            lg.reason,
            lg.sp_no,
            lg.remarks,
        ).where(lg.corp_id == corp_id, lg.userid == userid)
        if vacation_id is not None:
            query = query.where(lg.vacation_id == vacation_id)
        if reason is not None:
            query = query.where(lg.reason == reason)
        return [LedgerEntry(*r) for r in conn.execute(query.order_by(lg.id))]

    # -- attendance devices ---------------------------------------------------------------

    def device_punches(
        self,
        conn: Connection,
        corp_id: int,
        userids: Sequence[str],
        start: int,
        end: int,
        *,
        by_received: bool = False,
    ) -> dict[str, list[tuple[int, str]]]:
        """(checkin_time, device_detail) of each user's gate and attendance-machine punches
        (device_type 1 and 2, never corrections), ascending by checkin_time.

        Selected by ``start <= checkin_time <= end``, or with ``by_received`` by the time the
        punch was received (``received_at``, indexed by ix_punches_received).
        """
        found: dict[str, list[tuple[int, str]]] = {u: [] for u in userids}
        if not userids:
            return found
        p = t.punches.c
        column = p.received_at if by_received else p.checkin_time
        rows = conn.execute(
            select(p.userid, p.checkin_time, p.device_detail)
            .where(
                p.corp_id == corp_id,
                p.userid.in_(list(userids)),
                column >= start,
                column <= end,
                p.device_type.in_((1, 2)),
                p.source == 0,
            )
            .order_by(p.userid, p.checkin_time)
        )
        for userid, time, device in rows:
            found[userid].append((time, device))
        return found
