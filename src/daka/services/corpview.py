"""A corp's directory and rules, parsed once per revision and cached in memory.

Every directory or rule change bumps the corp's ``revision``; a request reads the revision in
its own transaction and reuses the cached view only if it is current, so several server
processes on one database stay consistent.

Rules are versioned by effective date. The rule set in force on a day is, for each rule, its
latest version whose ``effective_from`` is on or before that day (a deleted rule's last
version is a tombstone). Rule sets are built lazily per *epoch*, the stretch of days between
two effective dates, so past days keep the rules they had.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from daka.domain.approvals import Template
from daka.domain.directory import Department, User, build_directory
from daka.domain.holidays import HolidayCalendar
from daka.domain.rules import Rule
from daka.domain.vacations import Vacation
from daka.services.heap import LARGE_VIEW, settle
from daka.services.holidays import calendar_for, package_calendar
from daka.storage.store import AppRecord, CorpRecord, RuleVersion, Store
from daka.wire.approvals import parse_template
from daka.wire.rules import to_rule, to_scope
from daka.wire.vacations import corpconf_item, to_vacation


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules in force during one epoch, and whom each applies to."""

    versions: Mapping[int, RuleVersion]
    groups: Mapping[int, Mapping[str, Any]]
    rules: Mapping[int, Rule]
    rule_of_user: Mapping[str, int | None]

    def rule_for(self, userid: str) -> Rule | None:
        rule_id = self.rule_of_user.get(userid)
        return self.rules.get(rule_id) if rule_id is not None else None


@dataclass(slots=True)
class CorpView:
    """Everything about one corp that the use cases need, at one revision."""

    corp: CorpRecord
    tz: ZoneInfo
    users: Mapping[str, User]
    departments: Mapping[int, Department]
    tag_members: Mapping[int, frozenset[str]]
    tag_names: Mapping[int, str]
    apps: Mapping[int, AppRecord]
    versions: tuple[RuleVersion, ...]
    templates: Mapping[str, Template] = field(default_factory=dict)
    template_bodies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # 假期: by id in getcorpconf's order, and getcorpconf's items (the org file's order)
    vacations: Mapping[int, Vacation] = field(default_factory=dict)
    vacation_items: tuple[Mapping[str, Any], ...] = ()
    # Statutory holidays as this corp follows them: its own loaded calendars, the server-wide
    # ones, then the chinese-calendar package (a load bumps the revision, so it is current).
    holidays: HolidayCalendar = field(default_factory=package_calendar)
    epochs: list[int] = field(default_factory=list)
    _rulesets: dict[int, RuleSet] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.epochs = sorted({0, *(v.effective_from for v in self.versions)})

    def has_user(self, userid: str) -> bool:
        return userid in self.users

    @property
    def overtime_vacation(self) -> Vacation | None:
        """The corp's 调休 vacation (``is_newovertime``; the org file allows at most one),
        which converted overtime is credited to."""
        return next((v for v in self.vacations.values() if v.overtime), None)

    def ruleset(self, day: date) -> RuleSet:
        """The rules in force on ``day``."""
        epoch = self.epochs[bisect_right(self.epochs, day.toordinal()) - 1]
        cached = self._rulesets.get(epoch)
        if cached is not None:
            return cached
        versions = self._versions_on(epoch)
        live = {g: v for g, v in versions.items() if v.body is not None}
        directory = build_directory(
            self.users.values(),
            self.departments.values(),
            self.tag_members,
            [to_scope(v.body) for v in live.values() if v.body is not None],
        )
        ruleset = RuleSet(
            versions=live,
            groups={g: v.body for g, v in live.items() if v.body is not None},
            rules={g: to_rule(v.body, self.tz) for g, v in live.items() if v.body is not None},
            rule_of_user={u: directory.rule_id_for(u) for u in self.users},
        )
        with self._lock:
            self._rulesets[epoch] = ruleset
        return ruleset

    def latest(self) -> dict[int, RuleVersion]:
        """Each rule's newest version (whatever its effective date), deleted ones left out."""
        newest: dict[int, RuleVersion] = {}
        for v in self.versions:
            if v.groupid not in newest or v.version > newest[v.groupid].version:
                newest[v.groupid] = v
        return {g: v for g, v in newest.items() if v.body is not None}

    def _versions_on(self, limit: int | None) -> dict[int, RuleVersion]:
        """Each rule's version in force on day ordinal ``limit`` (``None``: the newest)."""
        if limit is None:
            return self.latest()
        chosen: dict[int, RuleVersion] = {}
        for v in self.versions:
            if v.effective_from <= limit and (
                v.groupid not in chosen or v.version > chosen[v.groupid].version
            ):
                chosen[v.groupid] = v
        return chosen


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
        if len(view.users) >= LARGE_VIEW:
            settle()  # a long-lived heap: out of the collector's walk (see services.heap)
        return view

    def _load(self, conn: Connection, corp_id: int) -> CorpView:
        return load_view(self._store, conn, corp_id)


def load_view(store: Store, conn: Connection, corp_id: int) -> CorpView:
    """The corp's view as ``conn`` sees the database."""
    corp = store.corp_by_id(conn, corp_id)
    if corp is None:
        raise LookupError(f"corp {corp_id} does not exist")
    rows = store.directory_rows(conn, corp_id)
    bodies = store.templates(conn, corp_id)
    vacation_rows = store.vacation_rows(conn, corp_id)
    return CorpView(
        corp=corp,
        tz=ZoneInfo(corp.timezone),
        users={u.userid: u for u in rows.users},
        departments={d.id: d for d in rows.departments},
        tag_members={t: frozenset(m) for t, m in rows.tag_members.items()},
        tag_names=rows.tag_names,
        apps={a.agentid: a for a in store.apps(conn, corp_id)},
        versions=rows.versions,
        templates={k: parse_template(b, k)[0] for k, b in bodies.items()},
        template_bodies=bodies,
        vacations={v.vacation_id: to_vacation(v.body) for v in vacation_rows},
        vacation_items=tuple(corpconf_item(v.body) for v in vacation_rows),
        holidays=calendar_for(store.holiday_calendars(conn, corp_id)),
    )


def locked_view(
    store: Store, conn: Connection, view: CorpView, *, exclusive: bool = True
) -> CorpView:
    """Lock the corp for the write transaction ``conn`` (:meth:`Store.lock_corp`) and return
    its view as of that lock: ``view`` itself while it is still current, else reloaded.

    The requests' cached views are read before their transactions, so two concurrent rule
    changes would both check against the rules as they were before either. Checks that decide
    a write (range conflicts, the rule count, ownership, 补卡 quotas) run against this view,
    inside the transaction that writes, so concurrent writers are judged one after the other.
    """
    revision = store.lock_corp(conn, view.corp.id, exclusive=exclusive)
    if revision == view.corp.revision:
        return view
    return load_view(store, conn, view.corp.id)
