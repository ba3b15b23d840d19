"""Every endpoint's body or query string, parsed into a typed request before a service sees it.

Services take these values and never read WeCom dicts. Each request type is named after its
endpoint (``<Endpoint>Request``) and refuses a malformed body with the endpoint's documented
errcode, naming the field:

* rule management (docs/wecom-api.md §12): 301086 for an unreadable envelope;
* 排班 (§9): 301075;
* everything else: 40058.

Whether a userid exists, a rule is the caller's own, a day is in the future… needs the corp's
data and stays with the service. :data:`REQUEST_TYPES` maps each endpoint path to its request
type and :func:`parse_request` parses a decoded body (or a query mapping) for any of them.

The rule body itself (``group``) stays a JSON object — it is stored as WeCom's JSON — and is
checked by :mod:`daka.wire.rule_validation`; its depth and string sizes were already bounded
by :func:`daka.wire.checkin.decode_body`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Protocol, TypeVar, cast

from pydantic import BaseModel

from daka.domain.errors import (
    CorpIdMissing,
    DakaError,
    InvalidCorpId,
    InvalidParameter,
    RuleParamError,
    ScheduleParamError,
    SecretMissing,
)
from daka.domain.holidays import YearCalendar
from daka.wire.checkin import (
    parse,
)
from daka.wire.endpoints import ENDPOINTS
from daka.wire.holidays import MAX_YEAR, MIN_YEAR, HolidayFileError, parse_file
from daka.wire.values import (
    UINT32,
    Refuse,
    echo,
    invalid_parameter,
    read_bool,
    read_int,
    read_opt_int,
    read_required_int,
    read_str,
)

MAX_USERID_CHARS = 64  # WeCom's userid limit
MAX_USERS = 100
MAX_REMARK_BYTES = 512
# explain answers about days a real attendance record can be on; anything else is a typo.
EXPLAIN_YEARS = (1970, 2100)
ARRAY_FIELDS_TO_CLEAR = {1: "spe_workdays", 2: "spe_offdays", 3: "wifimac_infos", 4: "loc_infos"}

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # [0-9]: ASCII digits only


def _object(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise InvalidParameter("invalid json: the body must be a JSON object")
    return body


def _rule_param(field: str, problem: str) -> DakaError:
    return RuleParamError(f"param error: {field} {problem}")


def _schedule_param(field: str, problem: str) -> DakaError:
    return ScheduleParamError(f"invalid parameter {field}: {problem}")


def _userid(value: Any, field: str, refuse: Refuse = invalid_parameter) -> str:
    """A userid: a string of 1..64 characters (a number is read as its digits, as before)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(read_int(value, field))
    return read_str(value, field, min_chars=1, max_chars=MAX_USERID_CHARS, refuse=refuse)


def _userid_list(value: Any, field: str, refuse: Refuse) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or len(value) > MAX_USERS:
        raise refuse(field, f"must hold 1..{MAX_USERS} userids")
    return tuple(_userid(u, f"{field}[{i}]", refuse) for i, u in enumerate(value))


@dataclass(frozen=True, slots=True)
class GetCorpCheckinOptionRequest:
    """getcorpcheckinoption: takes ``{}`` (SDKs also send an empty body or ``null``)."""

    @classmethod
    def parse(cls, body: Any) -> GetCorpCheckinOptionRequest:
        return cls()


# -- gettoken (docs/wecom-api.md §2) ---------------------------------------------------------------

MAX_CORPID_CHARS = 64  # the corps.corpid column: no corp has a longer one


@dataclass(frozen=True, slots=True)
class GetTokenRequest:
    """gettoken: ``corpid`` and ``corpsecret`` (41002 / 41004 when missing or empty).

    A corpid no corp can have (over 64 characters, or holding NUL, which PostgreSQL text cannot
    hold) is 40013 here, before any lookup, as an unknown one is; the secret is only compared
    with stored hashes, never sent to the database.
    """

    corpid: str
    corpsecret: str

    @classmethod
    def parse(cls, params: Any) -> GetTokenRequest:
        params = _object(params)
        corpid, corpsecret = params.get("corpid"), params.get("corpsecret")
        if not corpid or not isinstance(corpid, str):
            raise CorpIdMissing()
        if not corpsecret or not isinstance(corpsecret, str):
            raise SecretMissing()
        if len(corpid) > MAX_CORPID_CHARS or "\x00" in corpid:
            raise InvalidCorpId()
        return cls(corpid=corpid, corpsecret=corpsecret)


# -- rule management (docs/wecom-api.md §12) -------------------------------------------------------


def _rule_groupid(value: Any, field: str) -> int:
    if value is None:
        raise RuleParamError(f"param error: {field} is required")
    return read_int(value, field, UINT32, refuse=_rule_param)


def _group(body: Mapping[str, Any]) -> dict[str, Any]:
    group = body.get("group")
    if not isinstance(group, dict):
        raise RuleParamError("param error: group is required and must be an object")
    return group


def _effective_now(body: Mapping[str, Any]) -> bool:
    return read_bool(body.get("effective_now"), "effective_now", refuse=_rule_param)


@dataclass(frozen=True, slots=True)
class AddCheckinOptionRequest:
    """add_checkin_option: a new rule (``group``), in force today or from tomorrow."""

    group: dict[str, Any]
    effective_now: bool

    @classmethod
    def parse(cls, body: Any) -> AddCheckinOptionRequest:
        body = _object(body)
        return cls(group=_group(body), effective_now=_effective_now(body))


@dataclass(frozen=True, slots=True)
class UpdateCheckinOptionRequest:
    """update_checkin_option: a patch of rule ``groupid`` (``group.groupid``)."""

    groupid: int
    group: dict[str, Any]
    effective_now: bool

    @classmethod
    def parse(cls, body: Any) -> UpdateCheckinOptionRequest:
        body = _object(body)
        group = _group(body)
        return cls(
            groupid=_rule_groupid(group.get("groupid"), "group.groupid"),
            group=group,
            effective_now=_effective_now(body),
        )


@dataclass(frozen=True, slots=True)
class ClearCheckinOptionArrayFieldRequest:
    """clear_checkin_option_array_field: the array fields to empty, by WeCom's numbers."""

    groupid: int
    fields: tuple[str, ...]  # spe_workdays, spe_offdays, wifimac_infos, loc_infos
    effective_now: bool

    @classmethod
    def parse(cls, body: Any) -> ClearCheckinOptionArrayFieldRequest:
        body = _object(body)
        groupid = _rule_groupid(body.get("groupid"), "groupid")
        raw = body.get("clear_field")
        problem = RuleParamError(
            "param error: clear_field must list 1 (spe_workdays), "
            "2 (spe_offdays), 3 (wifimac_infos) or 4 (loc_infos)"
        )
        if not isinstance(raw, list) or not raw:
            raise problem
        fields: list[str] = []
        for i, item in enumerate(raw):
            # Any element — a list, an object, "²" — is read as an integer first, never hashed.
            number = read_int(item, f"clear_field[{i}]", UINT32, refuse=_rule_param)
            if number not in ARRAY_FIELDS_TO_CLEAR:
                raise problem
            if ARRAY_FIELDS_TO_CLEAR[number] not in fields:
                fields.append(ARRAY_FIELDS_TO_CLEAR[number])
        return cls(groupid=groupid, fields=tuple(fields), effective_now=_effective_now(body))


@dataclass(frozen=True, slots=True)
class DelCheckinOptionRequest:
    """del_checkin_option: rule ``groupid`` stops applying today or from tomorrow."""

    groupid: int
    effective_now: bool

    @classmethod
    def parse(cls, body: Any) -> DelCheckinOptionRequest:
        body = _object(body)
        return cls(
            groupid=_rule_groupid(body.get("groupid"), "groupid"),
            effective_now=_effective_now(body),
        )


# -- 排班 (docs/wecom-api.md §9) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GetCheckinScheduListRequest:
    """getcheckinschedulist: users' schedules from ``starttime`` to ``endtime``."""

    useridlist: tuple[str, ...]
    starttime: int
    endtime: int

    @classmethod
    def parse(cls, body: Any) -> GetCheckinScheduListRequest:
        body = _object(body)
        return cls(
            useridlist=_userid_list(body.get("useridlist"), "useridlist", _schedule_param),
            starttime=read_required_int(body.get("starttime"), "starttime", refuse=_schedule_param),
            endtime=read_required_int(body.get("endtime"), "endtime", refuse=_schedule_param),
        )


@dataclass(frozen=True, slots=True)
class ScheduleItem:
    """One ``items[]`` entry of setcheckinschedulist: a shift for a user on a day."""

    userid: str
    day: int
    schedule_id: int


@dataclass(frozen=True, slots=True)
class SetCheckinScheduListRequest:
    """setcheckinschedulist: shifts of rule ``groupid`` in month ``yearmonth`` (YYYYMM)."""

    groupid: int
    yearmonth: int
    items: tuple[ScheduleItem, ...]

    @property
    def year(self) -> int:
        return self.yearmonth // 100

    @property
    def month(self) -> int:
        return self.yearmonth % 100

    @classmethod
    def parse(cls, body: Any) -> SetCheckinScheduListRequest:
        body = _object(body)
        groupid = read_required_int(body.get("groupid"), "groupid", refuse=_schedule_param)
        yearmonth = read_required_int(body.get("yearmonth"), "yearmonth", refuse=_schedule_param)
        year, month = divmod(yearmonth, 100)
        if not 1 <= month <= 12 or not 2000 <= year <= 9999:
            raise ScheduleParamError(f"invalid parameter yearmonth: {yearmonth} is not YYYYMM")
        raw = body.get("items")
        if not isinstance(raw, list) or not raw:
            raise ScheduleParamError("invalid parameter items: must be a non-empty array")
        items = []
        for i, item in enumerate(raw):
            where = f"items[{i}]"
            if not isinstance(item, dict):
                raise ScheduleParamError(f"invalid parameter {where}: must be an object")
            userid = item.get("userid", "")
            if isinstance(userid, int) and not isinstance(userid, bool):
                userid = str(userid)
            if not isinstance(userid, str) or not 1 <= len(userid) <= MAX_USERID_CHARS:
                raise ScheduleParamError(f"invalid parameter {where}.userid: 1..64 characters")
            items.append(
                ScheduleItem(
                    userid=read_str(
                        userid,
                        f"{where}.userid",
                        max_chars=MAX_USERID_CHARS,
                        refuse=_schedule_param,
                    ),
                    day=read_required_int(item.get("day"), f"{where}.day", refuse=_schedule_param),
                    schedule_id=read_required_int(
                        item.get("schedule_id"), f"{where}.schedule_id", refuse=_schedule_param
                    ),
                )
            )
        return cls(groupid=groupid, yearmonth=yearmonth, items=tuple(items))


# -- 补卡 (docs/wecom-api.md §10) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PunchCorrectionRequest:
    """punch_correction: a corrected punch at ``checkin_time`` for one slot point."""

    userid: str
    schedule_date_time: int  # the day's 0:00
    schedule_checkin_time: int | None  # day-seconds of the point; None on rest/free days
    checkin_time: int
    remark: str

    @classmethod
    def parse(cls, body: Any) -> PunchCorrectionRequest:
        body = _object(body)
        userid = body.get("userid")
        if not isinstance(userid, str) or not userid:
            raise InvalidParameter("invalid parameter userid: required field is missing")
        userid = _userid(userid, "userid")
        remark = body.get("remark", "")
        # Characters first: a megabyte of remark is refused before it is encoded.
        if (
            not isinstance(remark, str)
            or len(remark) > MAX_REMARK_BYTES
            or len(remark.encode()) > MAX_REMARK_BYTES
            or "\x00" in remark
        ):
            raise InvalidParameter(
                f"invalid parameter remark: a string of at most {MAX_REMARK_BYTES} bytes"
            )
        return cls(
            userid=userid,
            schedule_date_time=read_required_int(
                body.get("schedule_date_time"), "schedule_date_time"
            ),
            schedule_checkin_time=read_opt_int(
                body.get("schedule_checkin_time"), "schedule_checkin_time"
            ),
            checkin_time=read_required_int(body.get("checkin_time"), "checkin_time"),
            remark=remark,
        )


# -- contact reads (query parameters) -----------------------------------------------------------


def _query_id(params: Mapping[str, Any], name: str, *, required: bool) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise InvalidParameter(f"invalid parameter {name}: required field is missing")
        return None
    return read_int(raw, name, UINT32)


def _fetch_child(params: Mapping[str, Any]) -> bool:
    # WeCom documents 1/0; anything else has always meant "no".
    return bool(params.get("fetch_child", "0") == "1")


@dataclass(frozen=True, slots=True)
class DepartmentListRequest:
    """department/list: department ``id`` and its sub-departments, or all of them."""

    id: int | None

    @classmethod
    def parse(cls, params: Any) -> DepartmentListRequest:
        return cls(id=_query_id(_object(params), "id", required=False))


@dataclass(frozen=True, slots=True)
class UserSimpleListRequest:
    """user/simplelist: members of ``department_id`` (and below it with ``fetch_child``)."""

    department_id: int
    fetch_child: bool

    @classmethod
    def parse(cls, params: Any) -> UserSimpleListRequest:
        params = _object(params)
        dept = _query_id(params, "department_id", required=True)
        assert dept is not None
        return cls(department_id=dept, fetch_child=_fetch_child(params))


@dataclass(frozen=True, slots=True)
class UserListRequest(UserSimpleListRequest):
    """user/list: as user/simplelist, with the detail fields."""

    @classmethod
    def parse(cls, params: Any) -> UserListRequest:
        simple = UserSimpleListRequest.parse(params)
        return cls(department_id=simple.department_id, fetch_child=simple.fetch_child)


@dataclass(frozen=True, slots=True)
class TagListRequest:
    """tag/list: takes nothing."""

    @classmethod
    def parse(cls, params: Any) -> TagListRequest:
        _object(params)
        return cls()


@dataclass(frozen=True, slots=True)
class TagGetRequest:
    """tag/get: tag ``tagid``'s name and members."""

    tagid: int

    @classmethod
    def parse(cls, params: Any) -> TagGetRequest:
        tagid = _query_id(_object(params), "tagid", required=True)
        assert tagid is not None
        return cls(tagid=tagid)


# -- explain (daka's own, GET /api/explain) -----------------------------------------------------


def parse_day(text: Any) -> date:
    """A ``YYYY-MM-DD`` date of ASCII digits in years 1970..2100, else 40058."""
    problem = InvalidParameter(f"invalid parameter date: {echo(text)} is not YYYY-MM-DD")
    if not isinstance(text, str):
        raise problem
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        raise problem
    year, month, day = (int(g) for g in match.groups())
    first, last = EXPLAIN_YEARS
    if not first <= year <= last:
        raise InvalidParameter(f"invalid parameter date: {text} is outside {first}..{last}")
    try:
        return date(year, month, day)
    except ValueError:
        raise problem from None


@dataclass(frozen=True, slots=True)
class ExplainRequest:
    """/api/explain: one user's day."""

    userid: str
    date: date

    @classmethod
    def parse(cls, params: Any) -> ExplainRequest:
        params = _object(params)
        userid = params.get("userid")
        if not userid:
            raise InvalidParameter("invalid parameter userid: required field is missing")
        return cls(userid=_userid(userid, "userid"), date=parse_day(params.get("date") or ""))


# -- daka's own: holiday calendars (docs/holidays.md) ---------------------------------------


@dataclass(frozen=True, slots=True)
class HolidaysRequest:
    """GET /api/holidays: the calendar of one ``year`` (2000..2100)."""

    year: int

    @classmethod
    def parse(cls, params: Any) -> HolidaysRequest:
        params = _object(params)
        raw = params.get("year")
        if raw is None or raw == "":
            raise InvalidParameter("invalid parameter year: required field is missing")
        year = read_int(raw, "year")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidParameter(
                f"invalid parameter year: {year} is outside {MIN_YEAR}..{MAX_YEAR}"
            )
        return cls(year=year)


@dataclass(frozen=True, slots=True)
class LoadHolidaysRequest:
    """POST /api/holidays/load: a holiday file (one year object, or ``{"years": […]}``)."""

    years: tuple[YearCalendar, ...]

    @classmethod
    def parse(cls, body: Any) -> LoadHolidaysRequest:
        try:
            return cls(years=tuple(parse_file(body)))
        except HolidayFileError as exc:
            raise InvalidParameter(f"invalid parameter {exc}") from None


# -- the table ----------------------------------------------------------------------------------


class _Parses(Protocol):
    @classmethod
    def parse(cls, body: Any) -> Any: ...


# Endpoint path → its request type, as the endpoint registry names it (one table for both).
REQUEST_TYPES: Mapping[str, type] = MappingProxyType(
    {
        path: kind
        for path, endpoint in ENDPOINTS.items()
        if (kind := endpoint.request_type()) is not None
    }
)

R = TypeVar("R")


def parse_as(kind: type[R], body: Any) -> R:
    """``body`` (a decoded JSON body or a query mapping) parsed as request type ``kind``."""
    if issubclass(kind, BaseModel):
        return cast(R, parse(kind, body))
    parser = cast(Callable[[Any], R], cast(type[_Parses], kind).parse)
    return parser(body)


def parse_request(endpoint: str, body_or_query: Any) -> Any:
    """The typed request of ``endpoint`` (a registry path with a request type).

    A ``KeyError`` names a path that is not an endpoint.
    """
    return parse_as(REQUEST_TYPES[endpoint], body_or_query)
