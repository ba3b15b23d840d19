"""Console accounts and sessions: create, sign in (with lock-out), sign out, check a session.

Passwords are hashed with argon2id (argon2-cffi's defaults: 64 MiB, 3 passes), a
memory-hard KDF. A session is a random token in an HttpOnly cookie; the database keeps only
its SHA-256, so a leaked database holds no usable session. Sessions live in the database so
that several server processes share them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Connection

from daka.domain.admins import Admin, Role, after_failure
from daka.domain.directory import Department
from daka.storage.store import Store

_hasher = PasswordHasher()
# Verified when the username is unknown, so that a miss costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("daka: no such account")

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8
IDLE_SEC = 30 * 60  # a session unused this long is over
LIFETIME_SEC = 12 * 3600  # and any session after this long
TOUCH_SEC = 60  # seen_at is written at most once a minute per session


class AdminError(ValueError):
    """A console account cannot be created or changed as asked (the message says why)."""


class SignInRefused(Exception):
    """Sign-in refused: ``locked_until`` is set when the account is locked."""

    def __init__(self, locked_until: int = 0) -> None:
        super().__init__("wrong username or password" if not locked_until else "locked")
        self.locked_until = locked_until


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in console user: the account, and the CSRF token of this session."""

    admin: Admin
    csrf: str
    token_hash: str


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (refused when shorter than 8 characters)."""
    if len(password) < MIN_PASSWORD:
        raise AdminError(f"the password must have at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def check_hash(password_hash: str) -> str:
    """``password_hash`` if it is an argon2 hash (the org file's ``admins`` hold only these)."""
    if not password_hash.startswith("$argon2"):
        raise AdminError("password_hash must be an argon2 hash (daka admin hash makes one)")
    return password_hash


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_account(
    username: str,
    role: Role,
    departments: Sequence[int],
    known: dict[int, Department] | None = None,
) -> None:
    """Refuse a bad username, a department admin without departments, unknown departments."""
    if not USERNAME.match(username):
        raise AdminError(
            "a username is 1 to 64 letters, digits and . _ @ -, starting with a letter or digit"
        )
    if role is Role.DEPARTMENT and not departments:
        raise AdminError("a department admin needs at least one --department")
    if role is Role.ADMIN and departments:
        raise AdminError(
            "a corp admin sees the whole corp: give --department to a department admin"
        )
    unknown = [d for d in departments if known is not None and d not in known]
    if unknown:
        raise AdminError(f"no such department: {', '.join(map(str, unknown))}")


def create_admin(
    store: Store,
    conn: Connection,
    corp_id: int,
    username: str,
    password_hash: str,
    role: Role,
    departments: Sequence[int],
    now: int,
) -> Admin:
    """Add an account (refused when the corp already has one of that name)."""
    if store.admin(conn, corp_id, username) is not None:
        raise AdminError(f"the corp already has a console account {username!r}")
    admin = Admin(0, corp_id, username, password_hash, role, tuple(departments), created_at=now)
    return replace(admin, id=store.add_admin(conn, admin))


def upsert_admin(
    store: Store,
    conn: Connection,
    corp_id: int,
    username: str,
    password_hash: str,
    role: Role,
    departments: Sequence[int],
    now: int,
) -> None:
    """The org file's ``admins``: add the account, or set its hash, role and departments."""
    found = store.admin(conn, corp_id, username)
    if found is None:
        create_admin(store, conn, corp_id, username, password_hash, role, departments, now)
        return
    changes: dict[str, object] = {"role": role, "departments": list(departments)}
    if found.password_hash != password_hash:
        changes["password_hash"] = password_hash
        store.end_sessions_of(conn, found.id)
    store.update_admin(conn, found.id, changes)


def sign_in(
    store: Store, corp_id: int, username: str, password: str, now: int
) -> tuple[Session, str]:
    """Check the password and open a session: the session and the token for its cookie (only
    the token's hash is stored). Or raise :class:`SignInRefused`.

    Five wrong passwords in a row lock the account for 15 minutes; a locked or disabled
    account is refused even with the right password (and a try while locked does not
    extend the lock). The failure count is in the database, so it holds across processes.
    """

    def work(conn: Connection) -> tuple[Session, str] | _Refusal:
        admin = store.admin(conn, corp_id, username)
        if admin is None:
            _verify(_DUMMY_HASH, password)
            raise SignInRefused()
        if admin.locked(now):
            raise SignInRefused(admin.locked_until)
        if admin.disabled or not _verify(admin.password_hash, password):
            failures, locked_until = after_failure(admin, now)
            store.update_admin(conn, admin.id, {"failures": failures, "locked_until": locked_until})
            # The failure must be committed: the transaction returns it rather than raising.
            return _Refusal(locked_until if locked_until > now else 0)
        if admin.failures or admin.locked_until:
            store.update_admin(conn, admin.id, {"failures": 0, "locked_until": 0})
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        store.purge_sessions(conn, now - IDLE_SEC, now - LIFETIME_SEC)  # sessions long over
        store.add_session(conn, _token_hash(token), admin.id, csrf, now)
        return Session(replace(admin, failures=0, locked_until=0), csrf, _token_hash(token)), token

    outcome = store.transaction(work)
    if isinstance(outcome, _Refusal):
        raise SignInRefused(outcome.locked_until)
    return outcome


@dataclass(frozen=True, slots=True)
class _Refusal:
    locked_until: int


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def current_session(
    store: Store, token: str | None, now: int, idle: int = IDLE_SEC, lifetime: int = LIFETIME_SEC
) -> Session | None:
    """The session of a cookie's token, if it is live: not idle for ``idle`` seconds, not
    older than ``lifetime``, its account enabled. Use keeps it alive."""
    if not token:
        return None
    digest = _token_hash(token)
    with store.read() as conn:
        found = store.session(conn, digest)
    if found is None:
        return None
    admin, csrf, created, seen = found
    if admin.disabled or now - seen > idle or now - created > lifetime:
        store.transaction(lambda conn: store.end_session(conn, digest))
        return None
    if now - seen >= TOUCH_SEC:
        store.transaction(lambda conn: store.touch_session(conn, digest, now))
    return Session(admin, csrf, digest)


def sign_out(store: Store, token: str | None) -> None:
    """End the session of a cookie's token (nothing when there is none)."""
    if token:
        digest = _token_hash(token)
        store.transaction(lambda conn: store.end_session(conn, digest))


def set_password(store: Store, corp_id: int, username: str, password_hash: str) -> None:
    """A new password: every open session of the account ends, a lock is lifted."""

    def work(conn: Connection) -> None:
        admin = _existing(store, conn, corp_id, username)
        store.update_admin(
            conn, admin.id, {"password_hash": password_hash, "failures": 0, "locked_until": 0}
        )
        store.end_sessions_of(conn, admin.id)

    store.transaction(work)


def set_disabled(store: Store, corp_id: int, username: str, disabled: bool) -> None:
    """Disable (every session ends) or enable an account."""

    def work(conn: Connection) -> None:
        admin = _existing(store, conn, corp_id, username)
        store.update_admin(conn, admin.id, {"disabled": disabled})
        if disabled:
            store.end_sessions_of(conn, admin.id)

    store.transaction(work)


def _existing(store: Store, conn: Connection, corp_id: int, username: str) -> Admin:
    admin = store.admin(conn, corp_id, username)
    if admin is None:
        raise AdminError(f"no console account {username!r}")
    return admin
