"""Rule management: add_checkin_option, update_checkin_option, clear_checkin_option_array_field,
del_checkin_option (docs/wecom-api.md §12).

Every change is a new *version* of the rule, in force from today (``effective_now``) or from
tomorrow (the default, as WeCom does), in the corp's timezone. Earlier days keep the version
they had, so their evaluation never changes. Only the app that created a rule may change it
(301092); rules from the org file belong to the administrator, not to any app.

Every check that depends on the corp's rules (the rule count, range conflicts, ownership, the
stored body an update merges into) runs inside the write transaction, against the corp's view
under the corp's lock (:func:`~daka.services.corpview.locked_view`): concurrent rule changes
are judged one after the other, as if they had been sent one by one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Connection

from daka.domain.calendar import local_date
from daka.domain.errors import (
    InvalidGroupId,
    LocationAndWifiEmpty,
    NoRulePermission,
    NotRuleCreator,
    RangeConflict,
    RangeOutOfScope,
    RuleFieldInvalid,
    TooManyRules,
)
from daka.services.corpview import CorpView, locked_view
from daka.storage.store import RuleVersion, Store
from daka.wire.requests import (
    AddCheckinOptionRequest,
    ClearCheckinOptionArrayFieldRequest,
    DelCheckinOptionRequest,
    UpdateCheckinOptionRequest,
)
from daka.wire.rule_validation import validate_group
from daka.wire.rules import RuleFormatError, normalize_group

MAX_RULES_PER_CORP = 1000


def _effective_from(view: CorpView, effective_now: bool, now: int) -> int:
    today = local_date(now, view.tz)
    return (today if effective_now else today + timedelta(days=1)).toordinal()


def check_app(view: CorpView, agentid: int) -> None:
    """301088 unless the app may manage rules (checked before the body is read, as before)."""
    app = view.apps.get(agentid)
    if app is None or not app.manage_rules:
        raise NoRulePermission()


def _own_rule(view: CorpView, groupid: int, agentid: int) -> RuleVersion:
    version = view.latest().get(groupid)
    if version is None or version.body is None:
        raise InvalidGroupId(f"invalid groupid: {groupid}")
    if version.creator_agentid != agentid:
        raise NotRuleCreator(f"app can not modify checkin option {groupid}")
    return version


def _check_range(view: CorpView, group: Mapping[str, Any], groupid: int | None) -> None:
    """Range ids must exist in the corp (301090) and not be named by another rule (301091)."""
    rng = group["range"]
    unknown = (
        [f"userid {u}" for u in rng["userid"] if u not in view.users]
        + [f"party_id {p}" for p in rng["party_id"] if int(p) not in view.departments]
        + [f"tagid {t}" for t in rng["tagid"] if t not in view.tag_names]
    )
    if unknown:
        raise RangeOutOfScope(f"range contains ids not in the corp: {', '.join(unknown)}")
    for other_id, other in view.latest().items():
        if other_id == groupid or other.body is None:
            continue
        theirs = other.body["range"]
        for key in ("userid", "party_id", "tagid"):
            shared = {str(x) for x in rng[key]} & {str(x) for x in theirs[key]}
            if shared:
                raise RangeConflict(
                    f"range conflict: {key} {sorted(shared)[0]} is already in rule {other_id}"
                )


def _normalized(group: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return normalize_group(group)
    except RuleFormatError as exc:
        raise RuleFieldInvalid(str(exc)) from None


def _validate(view: CorpView, group: Mapping[str, Any], now: int) -> None:
    validate_group(group, today=local_date(now, view.tz), tz=view.tz)


def add_option(
    store: Store, view: CorpView, agentid: int, request: AddCheckinOptionRequest, now: int
) -> None:
    """add_checkin_option: create a rule. WeCom answers no groupid; getcorpcheckinoption does."""
    check_app(view, agentid)
    group = request.group
    effective_from = _effective_from(view, request.effective_now, now)
    _validate(view, group, now)

    def create(conn: Connection) -> None:
        current = locked_view(store, conn, view)
        check_app(current, agentid)
        if len(current.latest()) >= MAX_RULES_PER_CORP:
            raise TooManyRules(f"a corp may have at most {MAX_RULES_PER_CORP} checkin options")
        groupid = store.next_groupid(conn, current.corp.id)
        normalized = _normalized({**group, "groupid": groupid, "create_time": now})
        normalized["reporterinfo"]["updatetime"] = now
        _check_range(current, normalized, None)
        store.add_rule_version(
            conn, current.corp.id, groupid, effective_from, normalized, agentid, now
        )
        store.bump_revision(conn, current.corp.id)

    store.transaction(create)


def merge_update(current: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """WeCom's update semantics for top-level fields of ``group``.

    An array that is absent or empty leaves the stored one unchanged; a non-empty array
    replaces it; any other value present overwrites the stored one whole (objects included).
    """
    merged = copy.deepcopy(dict(current))
    for key, value in patch.items():
        if key == "groupid":
            continue
        if isinstance(value, list):
            if value:
                merged[key] = copy.deepcopy(value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def update_option(
    store: Store, view: CorpView, agentid: int, request: UpdateCheckinOptionRequest, now: int
) -> None:
    """update_checkin_option: a new version of an app's own rule, merged as WeCom does."""
    check_app(view, agentid)
    patch = request.group
    groupid = request.groupid
    effective_from = _effective_from(view, request.effective_now, now)

    def updated(current_view: CorpView) -> dict[str, Any]:
        # Merged into the body stored under the lock: a concurrent update is not undone.
        current = _own_rule(current_view, groupid, agentid)
        assert current.body is not None
        merged = merge_update(current.body, patch)
        _validate(current_view, merged, now)
        normalized = _normalized(merged)
        normalized["groupid"] = groupid
        if "reporterinfo" in patch:
            normalized["reporterinfo"]["updatetime"] = now
        _check_range(current_view, normalized, groupid)
        return normalized

    updated(view)  # refuse a bad request before taking any lock
    _save(store, view, groupid, effective_from, updated, agentid, now)


def clear_array_fields(
    store: Store,
    view: CorpView,
    agentid: int,
    request: ClearCheckinOptionArrayFieldRequest,
    now: int,
) -> None:
    """clear_checkin_option_array_field: empty spe_workdays, spe_offdays, Wi-Fi or places."""
    check_app(view, agentid)
    groupid = request.groupid
    effective_from = _effective_from(view, request.effective_now, now)

    def cleared(current_view: CorpView) -> dict[str, Any]:
        current = _own_rule(current_view, groupid, agentid)
        assert current.body is not None
        body = copy.deepcopy(current.body)
        for name in request.fields:
            body[name] = []
        if not body["wifimac_infos"] and not body["loc_infos"]:
            raise LocationAndWifiEmpty()
        return body

    cleared(view)  # refuse a bad request before taking any lock
    _save(store, view, groupid, effective_from, cleared, agentid, now)


def delete_option(
    store: Store, view: CorpView, agentid: int, request: DelCheckinOptionRequest, now: int
) -> None:
    """del_checkin_option: the rule stops applying from today or tomorrow."""
    check_app(view, agentid)
    groupid = request.groupid
    effective_from = _effective_from(view, request.effective_now, now)

    def deleted(current_view: CorpView) -> None:
        _own_rule(current_view, groupid, agentid)

    deleted(view)  # refuse a bad request before taking any lock
    _save(store, view, groupid, effective_from, deleted, agentid, now)


def _save(
    store: Store,
    view: CorpView,
    groupid: int,
    effective_from: int,
    new_body: Callable[[CorpView], Mapping[str, Any] | None],
    agentid: int,
    now: int,
) -> None:
    """Store ``new_body(view)`` as the rule's next version (``None``: deleted), deciding it
    from the corp's view under the corp's lock, in the transaction that writes it."""

    def save(conn: Connection) -> None:
        current = locked_view(store, conn, view)
        check_app(current, agentid)
        group = new_body(current)
        store.add_rule_version(conn, current.corp.id, groupid, effective_from, group, agentid, now)
        store.bump_revision(conn, current.corp.id)

    store.transaction(save)
