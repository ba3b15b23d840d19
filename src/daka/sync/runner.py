"""``daka sync``: mirror a WeCom-compatible server's corp into the local database.

The order matters: the directory first (rules name departments and tags), then the rules
(schedules belong to shift rules), then schedules, then records. Everything reaches the remote
through :mod:`daka.client`, so batching, token refresh and WeCom's rate limits are handled.

- **Incremental.** Each user has a cursor (``sync_cursors``): records before it are mirrored.
  A run reads from the cursor minus ``overlap_days`` (late uploads and 补卡 land in the past)
  up to ``now``, and stores only punches that are new or changed.
- **Resumable.** Records are read in windows of at most 30 days and 100 users; each window's
  punches and the cursors it moves are committed together, so an interrupted run loses at
  most one window and the next run starts where it stopped.
- **Idempotent.** A punch is keyed by (user, time) and only written when it differs; a rule
  gets a new local version only when its content changed; schedules likewise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from daka.client import APIError, Client, PermissionDenied
from daka.domain.calendar import date_range, day_start, local_date
from daka.domain.directory import Department, User, build_directory
from daka.domain.punches import Punch
from daka.domain.rules import RuleKind
from daka.services.corpview import CorpView, CorpViews
from daka.services.secrets import hash_secret, verify_secret
from daka.storage.store import AppRecord, Store, SyncSource
from daka.sync.convert import (
    PunchChanges,
    changed_schedules,
    punch_changes,
    punches_from_remote,
    schedule_items,
    windows,
)
from daka.wire.rules import RuleFormatError, corp_view, normalize_group, to_scope, user_view

USERS_PER_CALL = 100
# WeCom has no "changed since" query and records may be written for any past time (a device
# that was offline, 补卡): each run reads the last month again, and stores only what changed.
DEFAULT_OVERLAP_DAYS = 31
# How far back a changed rule's first day is looked for, one getcheckinoption call per day.
MAX_PROBE_DAYS = 31
# Schedules are mirrored this many days past today (next month's rota is usually out).
SCHEDULE_AHEAD_DAYS = 62


class SyncError(Exception):
    """The mirror cannot be made as asked; the message says why and what to do."""


class Progress(Protocol):
    """What the runner reports as it goes (the CLI draws a progress bar from it)."""

    def stage(self, name: str, total: int) -> None: ...

    def advance(self, steps: int = 1) -> None: ...


class _Silent:
    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


@dataclass
class SyncReport:
    """What one run did."""

    corpid: str
    base_url: str
    first_day: date
    users: int = 0
    departments: int = 0
    tags: int = 0
    directory_mirrored: bool = True
    rules_added: int = 0
    rules_changed: int = 0
    rules_removed: int = 0
    schedules_changed: int = 0
    punches_new: int = 0
    punches_updated: int = 0
    punches_unchanged: int = 0
    windows: int = 0
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[tuple[str, str]]:
        """The summary as (label, value) pairs, in reading order."""
        return [
            ("source", self.base_url),
            ("corp", self.corpid),
            ("first day", self.first_day.isoformat()),
            (
                "directory",
                f"{self.users} users, {self.departments} departments, "
                f"{self.tags} tags"
                + ("" if self.directory_mirrored else " (not readable: kept local)"),
            ),
            (
                "rules",
                f"{self.rules_added} added, {self.rules_changed} changed, "
                f"{self.rules_removed} removed",
            ),
            ("schedules", f"{self.schedules_changed} days changed"),
            (
                "punches",
                f"{self.punches_new} new, {self.punches_updated} updated, "
                f"{self.punches_unchanged} unchanged ({self.windows} windows read)",
            ),
        ]


@dataclass(frozen=True)
class SyncOptions:
    """What to mirror. ``users`` narrows the records (and schedules) read to those users."""

    corpid: str
    secret: str
    base_url: str
    since: date | None = None
    users: Sequence[str] = ()
    timezone: str = "Asia/Shanghai"
    agentid: int = 1
    overlap_days: int = DEFAULT_OVERLAP_DAYS


def default_first_day(today: date) -> date:
    """Without ``--since``, a first run mirrors from the first day of last month."""
    first_of_month = today.replace(day=1)
    return (first_of_month - timedelta(days=1)).replace(day=1)


class _Run:
    def __init__(
        self, store: Store, client: Client, options: SyncOptions, now: int, progress: Progress
    ) -> None:
        self.store, self.client, self.options, self.now = store, client, options, now
        self.progress = progress
        self.tz = ZoneInfo(options.timezone)
        self.today = local_date(now, self.tz)
        self.views = CorpViews(store)

    # -- the local corp --------------------------------------------------------------------

    def open_corp(self) -> tuple[int, SyncSource | None, SyncSource]:
        """The local corp to mirror into (created on the first run), and its sync source as
        the last run left it and as this run records it."""
        o = self.options

        def open_it(conn: Connection) -> tuple[int, SyncSource | None, SyncSource]:
            corp = self.store.corp_by_corpid(conn, o.corpid)
            source = self.store.sync_source(conn, corp.id) if corp else None
            if (
                corp is not None
                and source is None
                and self.store.directory_rows(conn, corp.id).users
            ):
                raise SyncError(
                    f"corp {o.corpid} exists in this database and is not a mirror; sync "
                    "would replace its directory and rules. Sync into another database."
                )
            if source is not None and source.base_url.rstrip("/") != o.base_url.rstrip("/"):
                raise SyncError(
                    f"corp {o.corpid} is mirrored from {source.base_url}, not {o.base_url}; "
                    "sync into another database to mirror it from a second source."
                )
            corp_id = self.store.upsert_corp(
                conn, o.corpid, corp.name if corp else o.corpid, o.timezone
            )
            self._register_app(conn, corp_id)
            first_day = (
                source.first_day
                if source
                else (o.since or default_first_day(self.today)).toordinal()
            )
            if o.since is not None:
                first_day = min(first_day, o.since.toordinal())
            current = SyncSource(
                o.base_url, first_day, self.now, source.last_completed_at if source else None
            )
            self.store.save_sync_source(conn, corp_id, current)
            return corp_id, source, current

        return self.store.transaction(open_it)

    def _register_app(self, conn: Any, corp_id: int) -> None:
        """The mirror answers the same corpid and secret as the remote, read-only for rules."""
        o = self.options
        old = self.store.app(conn, corp_id, o.agentid)
        keep = old is not None and verify_secret(o.secret, old.secret_hash)
        self.store.upsert_app(
            conn,
            AppRecord(
                corp_id=corp_id,
                agentid=o.agentid,
                name="daka sync",
                secret_hash=old.secret_hash if keep and old else hash_secret(o.secret),
                checkin=True,
                manage_rules=False,
            ),
        )

    def view(self, corp_id: int) -> CorpView:
        with self.store.read() as conn:
            return self.views.get(conn, corp_id)

    # -- directory -------------------------------------------------------------------------

    def directory(self, corp_id: int, report: SyncReport) -> None:
        self.progress.stage("directory", 3)
        try:
            departments = self.client.department_list().department
            self.progress.advance()
            known = {d.id for d in departments}
            roots = [d.id for d in departments if d.parentid not in known or d.parentid == d.id]
            members: dict[str, User] = {}
            for root in roots:
                for m in self.client.user_simplelist(root, fetch_child=True).userlist:
                    members[m.userid] = User(m.userid, m.name, m.department)
            self.progress.advance()
            tags = []
            for tag in self.client.tag_list().taglist:
                got = self.client.tag_get(tag.tagid)
                tags.append(
                    (tag.tagid, got.tagname or tag.tagname, [u.userid for u in got.userlist])
                )
            self.progress.advance()
        except PermissionDenied as exc:
            report.directory_mirrored = False
            report.warnings.append(
                f"the app may not read the directory ({exc.errcode}): kept the local one; "
                "rules that name departments or tags only reach users the directory knows. "
                "Give the app contact read access, or name users with --users."
            )
            self._add_named_users(corp_id)
            return

        def replace(conn: Connection) -> None:
            self.store.replace_directory(
                conn,
                corp_id,
                [Department(d.id, d.name, d.parentid) for d in departments],
                members.values(),
                tags,
            )
            self.store.bump_revision(conn, corp_id)

        self.store.transaction(replace)
        report.users, report.departments, report.tags = len(members), len(departments), len(tags)

    def _add_named_users(self, corp_id: int) -> None:
        """Without directory access, at least the users named with --users exist locally."""
        view = self.view(corp_id)
        missing = [u for u in self.options.users if not view.has_user(u)]
        if not missing:
            return

        def add(conn: Connection) -> None:
            for userid in sorted(missing):
                self.store.upsert_user(conn, corp_id, User(userid, ""))
            self.store.bump_revision(conn, corp_id)

        self.store.transaction(add)

    # -- rules -----------------------------------------------------------------------------

    def rules(self, corp_id: int, source: SyncSource | None, report: SyncReport) -> None:
        self.progress.stage("rules", 1)
        remote: dict[int, dict[str, Any]] = {}
        for rule in self.client.getcorpcheckinoption().group:
            try:
                group = normalize_group(dict(rule.raw))
            except RuleFormatError as exc:
                report.warnings.append(f"rule {rule.groupid} skipped: {exc}")
                continue
            remote[group["groupid"]] = group
        self.progress.advance()
        view = self.view(corp_id)
        latest = view.latest()
        last_run = local_date(source.last_run_at, self.tz) if source is not None else None
        versions: list[tuple[int, int, dict[str, Any] | None, int]] = []
        for groupid, group in remote.items():
            old = latest.get(groupid)
            if old is None:
                # A rule is in force from the day it was created (older versions of it are
                # not readable); one created since the last run is probed for its first day.
                created = group["create_time"]
                first = local_date(created, self.tz).toordinal() if created > 0 else 0
                if last_run is not None:
                    first = self._first_day(view, groupid, group, last_run, remote).toordinal()
                versions.append((groupid, first, group, created))
                report.rules_added += 1
            elif old.body is None or corp_view(old.body) != corp_view(group):
                changed = (
                    self._first_day(view, groupid, group, last_run, remote)
                    if last_run is not None
                    else self.today
                )
                versions.append((groupid, changed.toordinal(), group, self.now))
                report.rules_changed += 1
        for groupid in latest.keys() - remote.keys():
            removed = (
                self._first_day(view, groupid, None, last_run, remote)
                if last_run is not None
                else self.today
            )
            versions.append((groupid, removed.toordinal(), None, self.now))
            report.rules_removed += 1
        if not versions:
            return

        def add_versions(conn: Connection) -> None:
            for groupid, first, body, created in sorted(versions, key=lambda v: v[0]):
                self.store.add_rule_version(conn, corp_id, groupid, first, body, None, created)
            self.store.bump_revision(conn, corp_id)

        self.store.transaction(add_versions)

    def _first_day(
        self,
        view: CorpView,
        groupid: int,
        group: dict[str, Any] | None,
        since: date,
        remote: dict[int, dict[str, Any]],
    ) -> date:
        """The first day since ``since`` on which a rule change was in force remotely.

        getcheckinoption tells the rule of a user on a given day: ask it, day by day, about a
        user the changed rule covers (or, for a deleted rule, covered) until the answer shows
        the new state. If no day up to today shows it, the change takes effect tomorrow
        (WeCom's default for an edit). Without such a user, it counts from today.
        """
        userid = self._covered_user(view, groupid, group, remote)
        if userid is None:
            return self.today
        wanted = user_view(group) if group is not None else None
        first = max(since, self.today - timedelta(days=MAX_PROBE_DAYS))
        for day in date_range(first, self.today):
            info = self.client.getcheckinoption(day_start(day, self.tz), [userid]).info
            rule = next((i.group for i in info if i.userid == userid), None)
            if wanted is None:
                if rule is None or rule.groupid != groupid:
                    return day
                continue
            if rule is None or rule.groupid != groupid:
                continue
            try:
                if user_view(normalize_group(dict(rule.raw))) == wanted:
                    return day
            except RuleFormatError:
                continue
        return self.today + timedelta(days=1)

    def _covered_user(
        self,
        view: CorpView,
        groupid: int,
        group: dict[str, Any] | None,
        remote: dict[int, dict[str, Any]],
    ) -> str | None:
        if group is None:  # deleted: someone the rule covered before
            return next(
                (u for u, r in view.ruleset(self.today).rule_of_user.items() if r == groupid), None
            )
        scopes = [to_scope(g) for g in remote.values()]
        directory = build_directory(
            view.users.values(), view.departments.values(), view.tag_members, scopes
        )
        return next((u for u in sorted(view.users) if directory.rule_id_for(u) == groupid), None)

    # -- users, schedules and records ------------------------------------------------------

    def userids(self, view: CorpView) -> list[str]:
        if self.options.users:
            unknown = [u for u in self.options.users if not view.has_user(u)]
            if unknown:
                raise SyncError(f"unknown users: {', '.join(unknown[:10])}")
            return list(dict.fromkeys(self.options.users))
        return sorted(view.users)

    def schedules(
        self, corp_id: int, userids: Sequence[str], first: date, report: SyncReport
    ) -> None:
        view = self.view(corp_id)
        shift_users = [
            u
            for u in userids
            if any(
                r is not None and r.kind is RuleKind.SHIFTS
                for r in (view.ruleset(self.today).rule_for(u), view.ruleset(first).rule_for(u))
            )
        ]
        last = self.today + timedelta(days=SCHEDULE_AHEAD_DAYS)
        self.progress.stage("schedules", 1)
        if not shift_users:
            self.progress.advance()
            return
        answer = self.client.getcheckinschedulist(
            shift_users, day_start(first, self.tz), day_start(last, self.tz) + 86_399
        )
        self.progress.advance()
        remote = schedule_items(answer.schedule_list, self.tz)

        def store_changed(conn: Connection) -> list[tuple[str, int, int, int]]:
            local = self.store.schedules(
                conn, corp_id, shift_users, first.toordinal(), last.toordinal()
            )
            changed = changed_schedules(remote, local)
            if changed:
                self.store.set_schedules(conn, corp_id, changed)
            return changed

        changed = self.store.transaction(store_changed)
        report.schedules_changed = len(changed)

    def record_plan(
        self, corp_id: int, userids: Sequence[str], first_day: int
    ) -> list[tuple[list[str], int, int]]:
        """(users, start, end) windows still to read, users grouped by where they start."""
        with self.store.read() as conn:
            cursors = self.store.sync_cursors(conn, corp_id)
        floor = day_start(date.fromordinal(first_day), self.tz)
        overlap = self.options.overlap_days * 86_400
        by_start: dict[int, list[str]] = {}
        since = self.options.since
        for userid in userids:
            cursor = cursors.get(userid)
            if since is not None:  # asked for: read again from that day
                start = day_start(since, self.tz)
            elif cursor is None:  # new to the mirror: from its first day
                start = floor
            else:
                start = max(floor, cursor - overlap)
            by_start.setdefault(start, []).append(userid)
        plan: list[tuple[list[str], int, int]] = []
        for start, group in sorted(by_start.items()):
            for i in range(0, len(group), USERS_PER_CALL):
                chunk = group[i : i + USERS_PER_CALL]
                plan.extend((chunk, a, b) for a, b in windows(start, self.now + 1))
        return plan

    def records(
        self, corp_id: int, plan: Sequence[tuple[list[str], int, int]], report: SyncReport
    ) -> None:
        self.progress.stage("records", len(plan))
        hardware_readable = True
        for users, start, end in plan:
            rows = self.client.getcheckindata(users, start, end - 1).checkindata
            machines: Iterable[Any] = ()
            if hardware_readable:
                try:
                    machines = self.client.get_hardware_checkin_data(
                        users, start, end - 1
                    ).checkindata
                except (PermissionDenied, APIError) as exc:
                    hardware_readable = False
                    report.warnings.append(
                        f"device punches not readable ({exc.errcode}): punches the rules "
                        "passed over are not mirrored"
                    )
            remote = punches_from_remote(rows, machines, self.now)
            changes = self.store.transaction(
                partial(self._store_window, corp_id, users, start, end, remote)
            )
            report.punches_new += len(changes.new)
            report.punches_updated += len(changes.updated)
            report.punches_unchanged += changes.unchanged
            report.windows += 1
            self.progress.advance()

    def _store_window(
        self,
        corp_id: int,
        users: Sequence[str],
        start: int,
        end: int,
        remote: Sequence[Punch],
        conn: Connection,
    ) -> PunchChanges:
        """Store a window's new and changed punches and move its users' cursors past it."""
        local = self.store.punches(conn, corp_id, users, start, end)
        changes = punch_changes(remote, local)
        if changes.to_store:
            self.store.upsert_punches(conn, corp_id, changes.to_store)
        self.store.advance_sync_cursors(conn, corp_id, users, end)
        return changes

    def finish(self, corp_id: int, source: SyncSource) -> None:
        self.store.transaction(
            lambda conn: self.store.save_sync_source(
                conn, corp_id, replace(source, last_completed_at=self.now)
            )
        )


def sync_corp(
    store: Store, client: Client, options: SyncOptions, now: int, progress: Progress | None = None
) -> SyncReport:
    """Mirror ``options.corpid`` from the server ``client`` talks to into ``store``.

    Raises :class:`SyncError` when the mirror cannot be made as asked, and the client's
    :class:`~daka.client.WeComError` when the remote refuses; what was committed before stays
    (the next run resumes from it).
    """
    run = _Run(store, client, options, now, progress or _Silent())
    client.gettoken()  # wrong credentials fail here, before anything local is touched
    corp_id, previous, current = run.open_corp()
    report = SyncReport(options.corpid, options.base_url, date.fromordinal(current.first_day))
    run.directory(corp_id, report)
    run.rules(corp_id, previous, report)
    userids = run.userids(run.view(corp_id))
    if not report.directory_mirrored:
        report.users = len(userids)
    plan = run.record_plan(corp_id, userids, current.first_day)
    first = min((local_date(start, run.tz) for _, start, _ in plan), default=run.today)
    run.schedules(corp_id, userids, first, report)
    run.records(corp_id, plan, report)
    run.finish(corp_id, current)
    return report
