"""WeCom's 假期 objects ↔ daka's vacations: the org file's ``vacations`` and
``vacation_quotas``, the three oa/vacation/* requests, and their answers (docs/approvals.md).

A vacation is stored as its getcorpconf ``lists[]`` item with every documented field present
(defaults filled in), plus daka's own keys (:data:`DAKA_KEYS`), which never reach the wire.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from daka.domain.errors import InvalidParameter
from daka.domain.vacations import (
    DAY_UNIT,
    Balance,
    DurationType,
    QuotaType,
    TimeAttr,
    Vacation,
)
from daka.wire.values import (
    UINT32,
    UINT64,
    IntKind,
    int_problem,
    read_int,
    read_str,
)

# daka's own settings of a vacation: stored with the item, left out of getcorpconf.
DAKA_KEYS = ("allow_overdraft",)
MAX_USERID_CHARS = 64  # WeCom's userid limit (as daka.wire.requests, which imports this module)
MAX_NAME_CHARS = 64
MAX_REMARKS_CHARS = 200  # setoneuserquota: "不超过200字符"
# One day of work, when the file does not say (the day↔hour bridge; WeCom's examples say
# 86400, real corps' 8-hour days 28800).
DEFAULT_PERDAY_DURATION = 8 * 3600


class VacationFormatError(ValueError):
    """A vacation or quota of the org file that cannot be understood; the message names it."""


# -- reading the org file's vacations ------------------------------------------------------


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise VacationFormatError(f"{where} must be an object")
    return value


def _only(obj: Mapping[str, Any], keys: tuple[str, ...], where: str) -> None:
    # Strict: a misspelt key would otherwise silently take its default.
    for key in obj:
        if key not in keys:
            raise VacationFormatError(f"{where}.{key} is not a known field")


def _int(
    obj: Mapping[str, Any],
    key: str,
    where: str,
    default: int,
    kind: IntKind = UINT32,
    choices: tuple[int, ...] | None = None,
    lo: int | None = None,
    hi: int | None = None,
) -> int:
    value = obj.get(key)
    if value is None:
        return default
    number, problem = int_problem(value, kind, strings=False)
    if number is None:
        raise VacationFormatError(f"{where}.{key} {problem}")
    if choices is not None and number not in choices:
        listed = ", ".join(str(c) for c in choices[:-1]) + f" or {choices[-1]}"
        raise VacationFormatError(f"{where}.{key} must be {listed}")
    if lo is not None and number < lo or hi is not None and number > hi:
        raise VacationFormatError(f"{where}.{key} must be {lo}..{hi}")
    return number


def _bool(obj: Mapping[str, Any], key: str, where: str) -> bool:
    value = obj.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise VacationFormatError(f"{where}.{key} must be true or false")
    return value


def _month_day(obj: Mapping[str, Any], key: str, where: str) -> dict[str, int]:
    raw = _object(obj.get(key) or {}, f"{where}.{key}")
    _only(raw, ("month", "day"), f"{where}.{key}")
    return {
        "month": _int(raw, "month", f"{where}.{key}", 0, hi=12, lo=0),
        "day": _int(raw, "day", f"{where}.{key}", 0, hi=31, lo=0),
    }


_VACATION_KEYS = (
    "id",
    "name",
    "time_attr",
    "duration_type",
    "quota_attr",
    "perday_duration",
    "is_newovertime",
    "enter_comp_time_limit",
    "expire_rule",
    *DAKA_KEYS,
)
_QUOTA_ATTR_KEYS = (
    "type",
    "autoreset_time",
    "autoreset_duration",
    "quota_rule_type",
    "quota_rules",
    "at_entry_date",
    "auto_reset_month_day",
)
_EXPIRE_KEYS = ("type", "duration", "date", "extern_duration_enable", "extern_duration")


def normalize_vacation(raw: Any, where: str) -> dict[str, Any]:
    """The org file's vacation as daka stores it: every getcorpconf field, in WeCom's order,
    defaults filled in, and daka's ``allow_overdraft``. Raises VacationFormatError."""
    obj = _object(raw, where)
    _only(obj, _VACATION_KEYS, where)
    if obj.get("id") is None:
        raise VacationFormatError(f"{where}.id is required")
    vacation_id = _int(obj, "id", where, 0, lo=1, hi=UINT32.hi)
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise VacationFormatError(f"{where}.name is required (a non-empty string)")
    if len(name) > MAX_NAME_CHARS or "\x00" in name:
        raise VacationFormatError(
            f"{where}.name must be at most {MAX_NAME_CHARS} characters, without NUL"
        )
    qw = f"{where}.quota_attr"
    quota = _object(obj.get("quota_attr") or {}, qw)
    _only(quota, _QUOTA_ATTR_KEYS, qw)
    rules_where = f"{qw}.quota_rules"
    rules = _object(quota.get("quota_rules") or {}, rules_where)
    _only(rules, ("list", "based_on_actual_work_time"), rules_where)
    items = rules.get("list") or []
    if not isinstance(items, list):
        raise VacationFormatError(f"{rules_where}.list must be an array")
    ranges = []
    for k, item in enumerate(items):
        iw = f"{rules_where}.list[{k}]"
        item = _object(item, iw)
        _only(item, ("quota", "begin", "end"), iw)
        ranges.append(
            {
                "quota": _int(item, "quota", iw, 0),
                "begin": _int(item, "begin", iw, 0),
                "end": _int(item, "end", iw, 0),
            }
        )
    ew = f"{where}.expire_rule"
    expire = _object(obj.get("expire_rule") or {}, ew)
    _only(expire, _EXPIRE_KEYS, ew)
    body: dict[str, Any] = {
        "id": vacation_id,
        "name": name,
        "time_attr": _int(obj, "time_attr", where, int(TimeAttr.DAYS), choices=(0, 1)),
        "duration_type": _int(
            obj, "duration_type", where, int(DurationType.WORKING), choices=(0, 1)
        ),
        "quota_attr": {
            "type": _int(quota, "type", qw, int(QuotaType.MANUAL), choices=(0, 1, 2, 3)),
            "autoreset_time": _int(quota, "autoreset_time", qw, 0),
            "autoreset_duration": _int(quota, "autoreset_duration", qw, 0),
            "quota_rule_type": _int(quota, "quota_rule_type", qw, 0, choices=(0, 1, 2)),
            "quota_rules": {
                "list": ranges,
                "based_on_actual_work_time": _bool(rules, "based_on_actual_work_time", rules_where),
            },
            "at_entry_date": _bool(quota, "at_entry_date", qw),
            "auto_reset_month_day": _int(quota, "auto_reset_month_day", qw, 0, lo=0, hi=31),
        },
        "perday_duration": _int(
            obj, "perday_duration", where, DEFAULT_PERDAY_DURATION, lo=1, hi=DAY_UNIT
        ),
        "is_newovertime": _int(obj, "is_newovertime", where, 0, choices=(0, 1)),
        "enter_comp_time_limit": _int(obj, "enter_comp_time_limit", where, 0),
        "expire_rule": {
            "type": _int(expire, "type", ew, 4, choices=(1, 2, 3, 4)),
            "duration": _int(expire, "duration", ew, 0, UINT64),
            "date": _month_day(expire, "date", ew),
            "extern_duration_enable": _bool(expire, "extern_duration_enable", ew),
            "extern_duration": _month_day(expire, "extern_duration", ew),
        },
        "allow_overdraft": _bool(obj, "allow_overdraft", where),
    }
    if body["is_newovertime"] and body["quota_attr"]["type"] == QuotaType.UNLIMITED:
        raise VacationFormatError(
            f"{where}.is_newovertime needs a balance to credit: quota_attr.type must not be 0"
        )
    return body


def to_vacation(body: Mapping[str, Any]) -> Vacation:
    """The domain value of a stored vacation."""
    return Vacation(
        id=int(body["id"]),
        name=str(body["name"]),
        time_attr=TimeAttr(body["time_attr"]),
        duration_type=DurationType(body["duration_type"]),
        quota_type=QuotaType(body["quota_attr"]["type"]),
        perday_duration=int(body["perday_duration"]),
        overtime=bool(body["is_newovertime"]),
        allow_overdraft=bool(body.get("allow_overdraft", False)),
    )


def corpconf_item(body: Mapping[str, Any]) -> dict[str, Any]:
    """The getcorpconf ``lists[]`` item of a stored vacation (daka's own keys left out),
    in WeCom's field order (the stored JSON's keys are sorted; normalising again restores
    the documented order of the nested objects too)."""
    item = normalize_vacation(body, "vacation")
    return {key: value for key, value in item.items() if key not in DAKA_KEYS}


@dataclass(frozen=True, slots=True)
class QuotaEntry:
    """One ``vacation_quotas[]`` element of the org file: a person's initial balance."""

    userid: str
    vacation_id: int
    balance: Balance

    def as_values(self) -> dict[str, int]:
        """The file's numbers, as they are recorded in the ledger (to notice a change)."""
        return {
            "assignduration": self.balance.assigned,
            "leftduration": self.balance.left,
            "real_assignduration": self.balance.real_assigned,
            "usedduration": self.balance.used,
        }


_QUOTA_KEYS = (
    "userid",
    "vacation_id",
    "assignduration",
    "leftduration",
    "usedduration",
    "real_assignduration",
)


def parse_quota_entry(raw: Any, where: str) -> QuotaEntry:
    """A ``vacation_quotas[]`` element; its numbers are checked against the vacation later."""
    obj = _object(raw, where)
    _only(obj, _QUOTA_KEYS, where)
    userid = obj.get("userid")
    if not isinstance(userid, str) or not 1 <= len(userid) <= MAX_USERID_CHARS:
        raise VacationFormatError(f"{where}.userid is required (1..64 characters)")
    if obj.get("vacation_id") is None:
        raise VacationFormatError(f"{where}.vacation_id is required")
    if obj.get("leftduration") is None:
        raise VacationFormatError(f"{where}.leftduration is required")
    left = _int(obj, "leftduration", where, 0)
    used = _int(obj, "usedduration", where, 0)
    assigned = _int(obj, "assignduration", where, left + used, UINT64)
    return QuotaEntry(
        userid=userid,
        vacation_id=_int(obj, "vacation_id", where, 0, lo=1, hi=UINT32.hi),
        balance=Balance(
            vacation_id=_int(obj, "vacation_id", where, 0, lo=1, hi=UINT32.hi),
            assigned=assigned,
            real_assigned=_int(obj, "real_assignduration", where, assigned, UINT64),
            used=used,
            left=left,
        ),
    )


# -- the requests --------------------------------------------------------------------------


def _body(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise InvalidParameter("invalid json: the body must be a JSON object")
    return body


def _userid(value: Any) -> str:
    # As every endpoint reads a userid: a number is read as its digits.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(read_int(value, "userid"))
    return read_str(value, "userid", min_chars=1, max_chars=MAX_USERID_CHARS)


@dataclass(frozen=True, slots=True)
class GetCorpConfRequest:
    """GET oa/vacation/getcorpconf: no parameters (others are ignored)."""

    @classmethod
    def parse(cls, params: Any) -> GetCorpConfRequest:
        return cls()


@dataclass(frozen=True, slots=True)
class GetUserVacationQuotaRequest:
    """oa/vacation/getuservacationquota: ``{"userid"}`` (40058 when missing or malformed)."""

    userid: str

    @classmethod
    def parse(cls, body: Any) -> GetUserVacationQuotaRequest:
        return cls(userid=_userid(_body(body).get("userid")))


@dataclass(frozen=True, slots=True)
class SetOneUserQuotaRequest:
    """oa/vacation/setoneuserquota. A missing or ill-typed field is 40058 naming it; whether
    the values fit the vacation (301063) needs the corp's vacations and is the service's."""

    userid: str
    vacation_id: int
    leftduration: int
    time_attr: int
    remarks: str

    @classmethod
    def parse(cls, body: Any) -> SetOneUserQuotaRequest:
        body = _body(body)

        def required(field: str, kind: IntKind = UINT32) -> int:
            value = body.get(field)
            if value is None:
                raise InvalidParameter(f"invalid parameter {field}: required field is missing")
            return read_int(value, field, kind)

        remarks = body.get("remarks")
        return cls(
            userid=_userid(body.get("userid")),
            vacation_id=required("vacation_id"),
            leftduration=required("leftduration", UINT64),
            time_attr=required("time_attr"),
            # The length is the service's check (301063, WeCom's rule); bound it for the
            # message here only as every string is bounded (check_shape).
            remarks="" if remarks is None else read_str(remarks, "remarks", max_chars=2**20),
        )


# -- the answers ---------------------------------------------------------------------------


def quota_item(vacation: Vacation, balance: Balance) -> dict[str, Any]:
    """One getuservacationquota ``lists[]`` item, in WeCom's field order."""
    return {
        "id": vacation.id,
        "assignduration": balance.assigned,
        "usedduration": balance.used,
        "leftduration": balance.left,
        "vacationname": vacation.name,
        "real_assignduration": balance.real_assigned,
    }
