"""Load the org file: corps, apps, departments, tags, users, check-in rules, vacations and
initial vacation balances.

Loading upserts; loading the same file twice changes nothing. Everything in one file is
written in one transaction, so a file with an error anywhere leaves the database untouched.
See ``docs/org-file.md`` for the format.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
from sqlalchemy.engine import Connection

from daka.domain.directory import Department, User
from daka.domain.errors import DakaError
from daka.domain.holidays import YearCalendar
from daka.services.holidays import add_years
from daka.services.secrets import hash_secret, verify_secret
from daka.services.vacations import apply_org_quotas, check_quota_entry
from daka.storage.store import AppRecord, Store
from daka.wire.approvals import parse_template
from daka.wire.holidays import HolidayFileError, parse_years
from daka.wire.rules import RuleFormatError, normalize_group
from daka.wire.vacations import (
    QuotaEntry,
    VacationFormatError,
    normalize_vacation,
    parse_quota_entry,
    to_vacation,
)
from daka.wire.values import MAX_JSON_DEPTH, UINT32, check_shape, int_problem


class OrgFileError(ValueError):
    """The org file is malformed; the message says where."""


def _need(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise OrgFileError(f"{where}.{key} is required")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise OrgFileError(f"{where}.{key} has the wrong type")
    return value


def _text(value: Any, where: str) -> str:
    """A display string; NUL is refused (PostgreSQL text cannot hold it)."""
    text = str(value)
    if "\x00" in text:
        raise OrgFileError(f"{where} must not contain NUL characters")
    return text


def _int_id(value: Any, where: str) -> int:
    # The wire's one reader: ASCII digits within uint32, so "²" is an error, not a crash.
    number, _ = int_problem(value, UINT32)
    if number is None:
        raise OrgFileError(f"{where} must be an integer id")
    return number


def read_org_file(path: str | Path) -> dict[str, Any]:
    """Parse an org file, or raise OrgFileError."""
    try:
        data = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise OrgFileError(f"cannot read {path}: {exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise OrgFileError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise OrgFileError("the org file must be a JSON object with a 'corps' array")
    return data


def _load_templates(store: Store, conn: Connection, corp_id: int, raw: Any, where: str) -> None:
    """The corp's approval templates (WeCom's gettemplatedetail shape; docs/approvals.md)."""
    if not isinstance(raw, list):
        raise OrgFileError(f"{where}.approval_templates must be an array")
    bodies: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(raw):
        tw = f"{where}.approval_templates[{i}]"
        try:
            template, body = parse_template(item, tw)
        except ValueError as exc:
            raise OrgFileError(str(exc)) from None
        if template.template_id in bodies:
            raise OrgFileError(f"{tw}.template_id {template.template_id!r} is given twice")
        bodies[template.template_id] = body
    store.replace_templates(conn, corp_id, bodies)


def _holiday_years(raw: Any, where: str) -> list[YearCalendar]:
    try:
        return parse_years(raw, where)
    except HolidayFileError as exc:
        raise OrgFileError(str(exc)) from None


def load_org(store: Store, org: dict[str, Any], *, now: int | None = None) -> list[str]:
    """Upsert every corp of an org document; returns the corpids loaded.

    Holiday calendars (the top-level ``holidays``: server-wide; ``corps[].holidays``: the
    corp's own) are loaded as by ``daka holidays load``, with ``now`` as the load time.
    ``now`` dates the ledger rows of initial vacation balances (default: the wall clock).
    """
    at = int(time.time()) if now is None else now
    try:
        # Rules are serialised and deep-copied while loading: bound the depth as for request
        # bodies (a rule sits three levels down: corps[].checkin_groups[]).
        check_shape(org, max_depth=MAX_JSON_DEPTH + 3, max_chars=2**31)
    except DakaError as exc:
        raise OrgFileError(f"org: {exc.message}") from None
    corps = _need(org, "corps", list, "org")
    # Every calendar is checked before anything is written (and the transaction is one).
    server_years = _holiday_years(org["holidays"], "holidays") if "holidays" in org else []
    corp_years = [
        _holiday_years(c["holidays"], f"corps[{ci}].holidays")
        if isinstance(c, dict) and "holidays" in c
        else []
        for ci, c in enumerate(corps)
    ]
    if (server_years or any(corp_years)) and now is None:
        raise OrgFileError("holidays: loading calendars needs the load time (now)")
    load_time = at

    def load(conn: Connection) -> list[str]:
        loaded = []
        for ci, corp in enumerate(corps):
            where = f"corps[{ci}]"
            corpid = _need(corp, "corpid", str, where)
            if not corpid:
                raise OrgFileError(f"{where}.corpid must not be empty")
            timezone = corp.get("timezone", "Asia/Shanghai")
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError, TypeError):
                raise OrgFileError(
                    f"{where}.timezone {timezone!r} is not a known timezone"
                ) from None
            corp_id = store.upsert_corp(
                conn,
                _text(corpid, f"{where}.corpid"),
                _text(corp.get("name", ""), f"{where}.name"),
                timezone,
            )
            existing = {a.agentid: a for a in store.apps(conn, corp_id)}
            for ai, app in enumerate(corp.get("apps", [])):
                aw = f"{where}.apps[{ai}]"
                agentid = _int_id(_need(app, "agentid", (int, str), aw), f"{aw}.agentid")
                secret = _need(app, "secret", str, aw)
                if not secret:
                    raise OrgFileError(f"{aw}.secret must not be empty")
                old = existing.get(agentid)
                keep = old is not None and verify_secret(secret, old.secret_hash)
                store.upsert_app(
                    conn,
                    AppRecord(
                        corp_id=corp_id,
                        agentid=agentid,
                        name=_text(app.get("name", ""), f"{aw}.name"),
                        secret_hash=old.secret_hash if keep and old else hash_secret(secret),
                        checkin=bool(app.get("checkin", True)),
                        manage_rules=bool(app.get("manage_rules", True)),
                        approval=bool(app.get("approval", False)),
                        approval_admin=bool(app.get("approval_admin", False)),
                    ),
                )
            for di, dept in enumerate(corp.get("departments", [])):
                dw = f"{where}.departments[{di}]"
                store.upsert_department(
                    conn,
                    corp_id,
                    Department(
                        id=_int_id(_need(dept, "id", (int, str), dw), f"{dw}.id"),
                        name=_text(dept.get("name", ""), f"{dw}.name"),
                        parent_id=_int_id(dept.get("parentid", 0), f"{dw}.parentid"),
                    ),
                )
            for ti, tag in enumerate(corp.get("tags", [])):
                tw = f"{where}.tags[{ti}]"
                userids = tag.get("userids", [])
                if not isinstance(userids, list):
                    raise OrgFileError(f"{tw}.userids must be an array")
                store.upsert_tag(
                    conn,
                    corp_id,
                    _int_id(_need(tag, "tagid", (int, str), tw), f"{tw}.tagid"),
                    _text(tag.get("tagname", ""), f"{tw}.tagname"),
                    [_text(u, f"{tw}.userids") for u in userids],
                )
            for ui, user in enumerate(corp.get("users", [])):
                uw = f"{where}.users[{ui}]"
                userid = _text(_need(user, "userid", str, uw), f"{uw}.userid")
                if not 1 <= len(userid) <= 64:
                    raise OrgFileError(f"{uw}.userid must be 1..64 characters")
                depts = user.get("department", [])
                if not isinstance(depts, list):
                    raise OrgFileError(f"{uw}.department must be an array")
                store.upsert_user(
                    conn,
                    corp_id,
                    User(
                        userid=userid,
                        name=_text(user.get("name", ""), f"{uw}.name"),
                        alias=_text(user.get("alias", ""), f"{uw}.alias"),
                        department_ids=tuple(
                            _int_id(d, f"{uw}.department[{k}]") for k, d in enumerate(depts)
                        ),
                    ),
                )
            for gi, raw in enumerate(corp.get("checkin_groups", [])):
                gw = f"{where}.checkin_groups[{gi}]"
                _need(raw, "groupid", (int, str), gw)
                if "\\u0000" in orjson.dumps(raw).decode():
                    raise OrgFileError(f"{gw} must not contain NUL characters")
                try:
                    group = normalize_group(raw, gw)
                except RuleFormatError as exc:
                    raise OrgFileError(str(exc)) from None
                store.replace_rule(conn, corp_id, group)
            _load_templates(store, conn, corp_id, corp.get("approval_templates", []), where)
            try:
                _load_vacations(store, conn, corp_id, corp, where, at)
            except VacationFormatError as exc:
                raise OrgFileError(str(exc)) from None
            if corp_years[ci]:
                add_years(store, conn, corp_id, corp_years[ci], load_time, ZoneInfo(timezone))
            _load_admins(store, conn, corp_id, corp.get("admins", []), where, at)
            store.bump_revision(conn, corp_id)
            loaded.append(corpid)
        if server_years:
            add_years(store, conn, 0, server_years, load_time)
        return loaded

    # Retried whole when a concurrent writer (a running server, another load) collides.
    return store.transaction(load)


def _load_admins(
    store: Store, conn: Connection, corp_id: int, raw: Any, where: str, now: int
) -> None:
    """The corp's ``admins``: console accounts with argon2 hashes (never passwords). An
    account listed is added or updated; one not listed is left as it is (``daka admin``
    manages those)."""
    from daka.domain.admins import Role
    from daka.services.admins import AdminError, check_account, check_hash, upsert_admin

    if not isinstance(raw, list):
        raise OrgFileError(f"{where}.admins must be a list")
    departments = {row.id: row for row in store.directory_rows(conn, corp_id).departments}
    for k, item in enumerate(raw):
        aw = f"{where}.admins[{k}]"
        if not isinstance(item, dict):
            raise OrgFileError(f"{aw} must be an object")
        if "password" in item:
            raise OrgFileError(f"{aw}: give password_hash (daka admin hash), never a password")
        username = _need(item, "username", str, aw)
        role_text = item.get("role", "admin")
        if role_text not in {r.value for r in Role}:
            raise OrgFileError(f"{aw}.role must be admin, department or viewer")
        depts = item.get("departments", [])
        if not isinstance(depts, list) or not all(isinstance(d, int) for d in depts):
            raise OrgFileError(f"{aw}.departments must be a list of department ids")
        try:
            password_hash = check_hash(_need(item, "password_hash", str, aw))
            check_account(username, Role(role_text), depts, departments)
        except AdminError as exc:
            raise OrgFileError(f"{aw}: {exc}") from None
        upsert_admin(store, conn, corp_id, username, password_hash, Role(role_text), depts, now)


def _load_vacations(
    store: Store, conn: Connection, corp_id: int, corp: dict[str, Any], where: str, now: int
) -> None:
    """The corp's ``vacations`` (when given, the corp's whole list, in getcorpconf's order)
    and ``vacation_quotas`` (initial balances, see :func:`apply_org_quotas`)."""
    raw_vacations = corp.get("vacations")
    if raw_vacations is not None:
        if not isinstance(raw_vacations, list):
            raise VacationFormatError(f"{where}.vacations must be an array")
        bodies = []
        seen: dict[int, int] = {}
        overtime: int | None = None
        for vi, raw in enumerate(raw_vacations):
            vw = f"{where}.vacations[{vi}]"
            body = normalize_vacation(raw, vw)
            if body["id"] in seen:
                raise VacationFormatError(
                    f"{vw}.id {body['id']} is already {where}.vacations[{seen[body['id']]}]'s"
                )
            if body["is_newovertime"]:
                if overtime is not None:
                    raise VacationFormatError(
                        f"{vw}.is_newovertime: {where}.vacations[{overtime}] already is the "
                        "调休 vacation (one per corp)"
                    )
                overtime = vi
            seen[body["id"]] = vi
            bodies.append(body)
        store.replace_vacations(conn, corp_id, bodies)
    raw_quotas = corp.get("vacation_quotas")
    if raw_quotas is None:
        return
    if not isinstance(raw_quotas, list):
        raise VacationFormatError(f"{where}.vacation_quotas must be an array")
    vacations = {v.vacation_id: to_vacation(v.body) for v in store.vacation_rows(conn, corp_id)}
    users = {u.userid for u in store.directory_rows(conn, corp_id).users}
    entries: list[QuotaEntry] = []
    placed: dict[tuple[str, int], int] = {}
    for qi, raw in enumerate(raw_quotas):
        qw = f"{where}.vacation_quotas[{qi}]"
        entry = parse_quota_entry(raw, qw)
        if entry.userid not in users:
            raise VacationFormatError(f"{qw}.userid {entry.userid!r} is not a user of the corp")
        check_quota_entry(entry, vacations.get(entry.vacation_id), qw)
        key = (entry.userid, entry.vacation_id)
        if key in placed:
            raise VacationFormatError(
                f"{qw} repeats {where}.vacation_quotas[{placed[key]}] "
                f"({entry.userid}, vacation {entry.vacation_id})"
            )
        placed[key] = qi
        entries.append(entry)
    apply_org_quotas(store, conn, corp_id, entries, now)
