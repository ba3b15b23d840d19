"""A corp's directory and rules, parsed once per revision and cached in memory.

Every directory or rule change bumps the corp's ``revision``; a request reads the revision in
its own transaction and reuses the cached view only if it is current, so several server
processes on one PostgreSQL database stay consistent.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from daka.domain.directory import Directory, build_directory
from daka.domain.rules import Rule
from daka.storage.store import AppRecord, CorpRecord, Store
from daka.wire.rules import to_rule, to_scope


@dataclass(frozen=True, slots=True)
class CorpView:
    """Everything about one corp that evaluation needs, at one revision."""

    corp: CorpRecord
    tz: ZoneInfo
    directory: Directory
    groups: Mapping[int, Mapping[str, Any]]
    rules: Mapping[int, Rule]
    rule_of_user: Mapping[str, int | None]
    tag_names: Mapping[int, str]
    apps: Mapping[int, AppRecord]

    def rule_for(self, userid: str) -> Rule | None:
        rule_id = self.rule_of_user.get(userid)
        return self.rules.get(rule_id) if rule_id is not None else None

    def has_user(self, userid: str) -> bool:
        return userid in self.directory.users


class CorpViews:
    """Cache of :class:`CorpView` keyed by corp id, checked against the stored revision."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[int, CorpView] = {}
        self._lock = threading.Lock()

    def get(self, conn: Connection, corp_id: int) -> CorpView:
        revision = self._store.revision(conn, corp_id)
        cached = self._cache.get(corp_id)
        if cached is not None and cached.corp.revision == revision:
            return cached
        view = self._load(conn, corp_id)
        with self._lock:
            self._cache[corp_id] = view
        return view

    def _load(self, conn: Connection, corp_id: int) -> CorpView:
        corp = self._store.corp_by_id(conn, corp_id)
        if corp is None:
            raise LookupError(f"corp {corp_id} does not exist")
        rows = self._store.directory_rows(conn, corp_id)
        directory = build_directory(
            rows.users, rows.departments, rows.tag_members, (to_scope(g) for g in rows.groups)
        )
        rules = {g["groupid"]: to_rule(g) for g in rows.groups}
        return CorpView(
            corp=corp,
            tz=ZoneInfo(corp.timezone),
            directory=directory,
            groups={g["groupid"]: g for g in rows.groups},
            rules=rules,
            rule_of_user={u.userid: directory.rule_id_for(u.userid) for u in rows.users},
            tag_names=rows.tag_names,
            apps={a.agentid: a for a in self._store.apps(conn, corp_id)},
        )
