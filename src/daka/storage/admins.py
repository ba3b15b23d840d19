"""Console accounts, their sessions and the console's audit trail in the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from daka.domain.admins import Admin, Role
from daka.storage import tables as t


def _admin(row: Any) -> Admin:
    return Admin(
        id=row.id,
        corp_id=row.corp_id,
        username=row.username,
        password_hash=row.password_hash,
        role=Role(row.role),
        departments=tuple(orjson.loads(row.departments)),
        disabled=bool(row.disabled),
        failures=row.failures,
        locked_until=row.locked_until,
        created_at=row.created_at,
    )


class AdminStore:
    """The console tables (mixed into :class:`daka.storage.store.Store`)."""

    def admins(self, conn: Connection, corp_id: int) -> list[Admin]:
        rows = conn.execute(
            select(t.console_admins)
            .where(t.console_admins.c.corp_id == corp_id)
            .order_by(t.console_admins.c.username)
        )
        return [_admin(r) for r in rows]

    def admin(self, conn: Connection, corp_id: int, username: str) -> Admin | None:
        row = conn.execute(
            select(t.console_admins).where(
                t.console_admins.c.corp_id == corp_id, t.console_admins.c.username == username
            )
        ).first()
        return _admin(row) if row is not None else None

    def add_admin(self, conn: Connection, admin: Admin) -> int:
        result = conn.execute(
            insert(t.console_admins).values(
                corp_id=admin.corp_id,
                username=admin.username,
                password_hash=admin.password_hash,
                role=admin.role.value,
                departments=orjson.dumps(list(admin.departments)).decode(),
                disabled=admin.disabled,
                failures=0,
                locked_until=0,
                created_at=admin.created_at,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def update_admin(self, conn: Connection, admin_id: int, values: Mapping[str, Any]) -> None:
        """Set columns of one account (``departments`` as a list, ``role`` as a Role)."""
        stored = dict(values)
        if "departments" in stored:
            stored["departments"] = orjson.dumps(list(stored["departments"])).decode()
        if "role" in stored:
            stored["role"] = Role(stored["role"]).value
        conn.execute(
            update(t.console_admins).where(t.console_admins.c.id == admin_id).values(**stored)
        )

    def add_session(
        self, conn: Connection, token_hash: str, admin_id: int, csrf: str, now: int
    ) -> None:
        conn.execute(
            insert(t.console_sessions).values(
                token_hash=token_hash, admin_id=admin_id, csrf=csrf, created_at=now, seen_at=now
            )
        )

    def session(self, conn: Connection, token_hash: str) -> tuple[Admin, str, int, int] | None:
        """``(account, csrf token, created_at, seen_at)`` of a session, if it exists."""
        s, a = t.console_sessions, t.console_admins
        row = conn.execute(
            select(a, s.c.csrf, s.c.created_at.label("s_created"), s.c.seen_at)
            .join(s, s.c.admin_id == a.c.id)
            .where(s.c.token_hash == token_hash)
        ).first()
        if row is None:
            return None
        return _admin(row), row.csrf, row.s_created, row.seen_at

    def touch_session(self, conn: Connection, token_hash: str, now: int) -> None:
        conn.execute(
            update(t.console_sessions)
            .where(t.console_sessions.c.token_hash == token_hash)
            .values(seen_at=now)
        )

    def end_session(self, conn: Connection, token_hash: str) -> None:
        conn.execute(
            delete(t.console_sessions).where(t.console_sessions.c.token_hash == token_hash)
        )

    def end_sessions_of(self, conn: Connection, admin_id: int) -> None:
        conn.execute(delete(t.console_sessions).where(t.console_sessions.c.admin_id == admin_id))

    def purge_sessions(self, conn: Connection, seen_before: int, created_before: int) -> None:
        s = t.console_sessions
        conn.execute(
            delete(s).where((s.c.seen_at < seen_before) | (s.c.created_at < created_before))
        )

    def add_audit(
        self,
        conn: Connection,
        corp_id: int,
        at: int,
        username: str,
        action: str,
        target: str,
        detail: Mapping[str, Any],
    ) -> None:
        conn.execute(
            insert(t.console_audit).values(
                corp_id=corp_id,
                at=at,
                username=username,
                action=action,
                target=target,
                detail=orjson.dumps(dict(detail)).decode(),
            )
        )

    def audit(self, conn: Connection, corp_id: int, limit: int = 200) -> list[dict[str, Any]]:
        """The newest audit entries of a corp, newest first."""
        a = t.console_audit
        rows = conn.execute(
            select(a)
            .where(a.c.corp_id == corp_id)
            .order_by(a.c.at.desc(), a.c.id.desc())
            .limit(limit)
        )
        return [
            {
                "at": r.at,
                "username": r.username,
                "action": r.action,
                "target": r.target,
                "detail": orjson.loads(r.detail),
            }
            for r in rows
        ]
