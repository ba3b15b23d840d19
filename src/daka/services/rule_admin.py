"""Rule management: add_checkin_option, update_checkin_option, clear_checkin_option_array_field,
del_checkin_option (reference §12).

Every change is a new *version* of the rule, in force from today (``effective_now``) or from
tomorrow (the default, as WeCom does), in the corp's timezone. Earlier days keep the version
they had, so their evaluation never changes. Only the app that created a rule may change it
(301092); rules from the org file belong to the administrator, not to any app.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

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
from daka.services.corpview import CorpView
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


def add_option(store: Store, view: CorpView, agentid: int, request: AddCheckinOptionRequest,
               now: int) -> None:
    """add_checkin_option: create a rule. WeCom answers no groupid; getcorpcheckinoption does."""
    check_app(view, agentid)
    group = request.group
    effective_from = _effective_from(view, request.effective_now, now)
    _validate(view, group, now)
    if len(view.latest()) >= MAX_RULES_PER_CORP:
        raise TooManyRules(f"a corp may have at most {MAX_RULES_PER_CORP} checkin options")
    with store.write() as conn:
        groupid = store.max_groupid(conn, view.corp.id) + 1
        normalized = _normalized({**group, "groupid": groupid, "create_time": now})
        normalized["reporterinfo"]["updatetime"] = now
        _check_range(view, normalized, None)
        store.add_rule_version(conn, view.corp.id, groupid, effective_from, normalized, agentid,
                               now)
        store.bump_revision(conn, view.corp.id)


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


def update_option(store: Store, view: CorpView, agentid: int,
                  request: UpdateCheckinOptionRequest, now: int) -> None:
    """update_checkin_option: a new version of an app's own rule, merged as WeCom does."""
    check_app(view, agentid)
    patch = request.group
    groupid = request.groupid
    effective_from = _effective_from(view, request.effective_now, now)
    current = _own_rule(view, groupid, agentid)
    assert current.body is not None
    merged = merge_update(current.body, patch)
    _validate(view, merged, now)
    normalized = _normalized(merged)
    normalized["groupid"] = groupid
    if "reporterinfo" in patch:
        normalized["reporterinfo"]["updatetime"] = now
    _check_range(view, normalized, groupid)
    _save(store, view, groupid, effective_from, normalized, agentid, now)


def clear_array_fields(store: Store, view: CorpView, agentid: int,
                       request: ClearCheckinOptionArrayFieldRequest, now: int) -> None:
    """clear_checkin_option_array_field: empty spe_workdays, spe_offdays, Wi-Fi or places."""
    check_app(view, agentid)
    groupid = request.groupid
    effective_from = _effective_from(view, request.effective_now, now)
    current = _own_rule(view, groupid, agentid)
    assert current.body is not None
    cleared = copy.deepcopy(current.body)
    for name in request.fields:
        cleared[name] = []
    if not cleared["wifimac_infos"] and not cleared["loc_infos"]:
        raise LocationAndWifiEmpty()
    _save(store, view, groupid, effective_from, cleared, agentid, now)


def delete_option(store: Store, view: CorpView, agentid: int,
                  request: DelCheckinOptionRequest, now: int) -> None:
    """del_checkin_option: the rule stops applying from today or tomorrow."""
    check_app(view, agentid)
    groupid = request.groupid
    effective_from = _effective_from(view, request.effective_now, now)
    _own_rule(view, groupid, agentid)
    _save(store, view, groupid, effective_from, None, agentid, now)


def _save(store: Store, view: CorpView, groupid: int, effective_from: int,
          group: Mapping[str, Any] | None, agentid: int, now: int) -> None:
    with store.write() as conn:
        store.add_rule_version(conn, view.corp.id, groupid, effective_from, group, agentid, now)
        store.bump_revision(conn, view.corp.id)
