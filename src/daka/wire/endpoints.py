"""The endpoint registry: every path daka knows, one row each, and nothing else to keep in step.

The HTTP routes (:mod:`daka.api.app`), the service's dispatch (:class:`daka.services.service.
Service`), the server's rate limiter, the SDK's client-side limits and list fields, and the
endpoint table of ``docs/api.md`` (checked by a test) all read this table.

It lives in :mod:`daka.wire` because paths, list fields and limits are WeCom's wire names, and
it imports only the standard library, so :mod:`daka.client` (which must work on its own) can
import it without pulling in pydantic, the domain or the server. That is also why ``handler``
and ``request`` are names rather than objects: the table cannot import what it describes.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from types import MappingProxyType

__all__ = ["ENDPOINTS", "SERVED", "Body", "Endpoint", "Permission", "rate_limits"]


class Body(Enum):
    """What a request carries, which picks the HTTP adapter that serves it."""

    JSON = "json"  # POST, a JSON body read whatever the Content-Type; an empty body is {}
    QUERY = "query"  # GET, query parameters only
    MULTIPART = "multipart"  # media/upload: a multipart body streamed to a spool
    RAW = "raw"  # media/get: query parameters in, the file's raw bytes out


class Permission(Enum):
    """Which apps may call an endpoint (checked after the token, before the body)."""

    NONE = "none"  # gettoken: no token yet
    GENERAL = "general"  # any app of the corp (media, contacts): WeCom's general APIs
    CHECKIN = "checkin"  # an app with check-in access (48002 otherwise)
    RULES = "rules"  # a check-in app that may manage rules (301088 otherwise)
    APPROVAL = "approval"  # an app granted 审批 (「审批 - 可调用接口的应用」; 48002 otherwise)
    APPROVAL_ADMIN = "approval_admin"  # daka's own: act on approvals, load holidays (48002)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One endpoint.

    ``path`` is under ``/cgi-bin/`` (daka's own ``api/…`` paths sit at the root). ``methods``
    are the HTTP methods it takes; any other is answered 40058 "takes <method>", as WeCom
    answers a GET on a POST API. ``list_field`` is present and empty in its error answers.
    ``rate_limit`` is the documented per-corp limit per minute (§16); None means WeCom's
    global limit, and no client-side limit. ``handler`` is the :class:`Service` method that
    runs it, None where WeCom serves it and daka does not; it takes the corp's view and the
    body (or query), and the caller first for RULES endpoints, where rules belong to an app.
    ``request`` is the typed request (``"module:Class"``) the body or query is parsed into in
    :mod:`daka.wire.requests` before the handler sees it; None for the media endpoints, whose
    adapters read their few parameters themselves, and for paths daka does not serve.
    """

    path: str
    methods: tuple[str, ...]
    body: Body
    permission: Permission
    list_field: str | None = None
    rate_limit: int | None = None
    handler: str | None = None
    request: str | None = None

    @property
    def url(self) -> str:
        """The URL path daka serves it under."""
        return f"/{self.path}" if self.path.startswith("api/") else f"/cgi-bin/{self.path}"

    @property
    def served(self) -> bool:
        return self.handler is not None

    @property
    def empty_fields(self) -> tuple[str, ...]:
        """The fields an error answer carries empty besides errcode and errmsg."""
        return (self.list_field,) if self.list_field else ()

    def request_type(self) -> type | None:
        """The class ``request`` names, imported on first use (None without one)."""
        return None if self.request is None else _resolve(self.request)


@cache
def _resolve(name: str) -> type:
    module, _, attr = name.partition(":")
    found = getattr(importlib.import_module(module), attr)
    assert isinstance(found, type), name
    return found


_POST = ("POST",)
_GET = ("GET",)
_REQ = "daka.wire.requests:"
_CHECKIN = "daka.wire.checkin:"
_DEVICES = "daka.wire.devices:"
_APPROVALS = "daka.wire.approvals:"
_VACATIONS = "daka.wire.vacations:"


def _json(
    path: str,
    handler: str | None,
    *,
    list_field: str | None = None,
    rate_limit: int | None = None,
    permission: Permission = Permission.CHECKIN,
    request: str | None = None,
) -> Endpoint:
    return Endpoint(path, _POST, Body.JSON, permission, list_field, rate_limit, handler, request)


def _contacts(path: str, handler: str, list_field: str, request: str) -> Endpoint:
    return Endpoint(
        path,
        _GET,
        Body.QUERY,
        Permission.GENERAL,
        list_field,
        handler=handler,
        request=_REQ + request,
    )


_ROWS = (
    Endpoint(
        "gettoken",
        _GET,
        Body.QUERY,
        Permission.NONE,
        handler="gettoken",
        request=_REQ + "GetTokenRequest",
    ),
    # check-in records and rules (docs/wecom-api.md §3–§6, §13)
    _json(
        "checkin/add_checkin_record",
        "add_checkin_record",
        rate_limit=60,
        request=_CHECKIN + "AddCheckinRecordRequest",
    ),
    _json(
        "checkin/getcheckindata",
        "get_checkin_data",
        list_field="checkindata",
        rate_limit=600,
        request=_CHECKIN + "GetCheckinDataRequest",
    ),
    _json(
        "checkin/getcheckinoption",
        "get_checkin_option",
        list_field="info",
        request=_CHECKIN + "GetCheckinOptionRequest",
    ),
    _json(
        "checkin/getcorpcheckinoption",
        "get_corp_checkin_option",
        list_field="group",
        rate_limit=60,
        request=_REQ + "GetCorpCheckinOptionRequest",
    ),
    # reports (docs/reports.md)
    _json(
        "checkin/getcheckin_daydata",
        "get_checkin_daydata",
        list_field="datas",
        rate_limit=100,
        request="daka.wire.reports:DayDataRequest",
    ),
    _json(
        "checkin/getcheckin_monthdata",
        "get_checkin_monthdata",
        list_field="datas",
        rate_limit=60,
        request="daka.wire.reports:MonthDataRequest",
    ),
    # schedules, 补卡 and faces (§9–§11)
    _json(
        "checkin/getcheckinschedulist",
        "get_checkin_schedule_list",
        list_field="schedule_list",
        rate_limit=60,
        request=_REQ + "GetCheckinScheduListRequest",
    ),
    _json(
        "checkin/setcheckinschedulist",
        "set_checkin_schedule_list",
        rate_limit=60,
        request=_REQ + "SetCheckinScheduListRequest",
    ),
    _json(
        "checkin/punch_correction",
        "punch_correction",
        rate_limit=600,
        request=_REQ + "PunchCorrectionRequest",
    ),
    _json(
        "checkin/addcheckinuserface",
        "add_checkin_user_face",
        rate_limit=10,
        request=_DEVICES + "AddCheckinUserFaceRequest",
    ),
    # rule management (§12)
    _json(
        "checkin/add_checkin_option",
        "add_checkin_option",
        permission=Permission.RULES,
        request=_REQ + "AddCheckinOptionRequest",
    ),
    _json(
        "checkin/update_checkin_option",
        "update_checkin_option",
        permission=Permission.RULES,
        request=_REQ + "UpdateCheckinOptionRequest",
    ),
    _json(
        "checkin/clear_checkin_option_array_field",
        "clear_checkin_option_array_field",
        permission=Permission.RULES,
        request=_REQ + "ClearCheckinOptionArrayFieldRequest",
    ),
    _json(
        "checkin/del_checkin_option",
        "del_checkin_option",
        permission=Permission.RULES,
        request=_REQ + "DelCheckinOptionRequest",
    ),
    # attendance machines (§14)
    _json(
        "hardware/get_hardware_checkin_data",
        "get_hardware_checkin_data",
        list_field="checkindata",
        request=_DEVICES + "GetHardwareCheckinDataRequest",
    ),
    # temporary media (§15)
    Endpoint("media/upload", _POST, Body.MULTIPART, Permission.GENERAL, handler="upload_media"),
    Endpoint("media/get", ("GET", "HEAD"), Body.RAW, Permission.GENERAL, handler="get_media"),
    # contact reads (general WeCom APIs, answered from the directory)
    _contacts("department/list", "department_list", "department", "DepartmentListRequest"),
    _contacts("user/simplelist", "user_simplelist", "userlist", "UserSimpleListRequest"),
    _contacts("user/list", "user_list", "userlist", "UserListRequest"),
    _contacts("tag/list", "tag_list", "taglist", "TagListRequest"),
    _contacts("tag/get", "tag_get", "userlist", "TagGetRequest"),
    # 假勤: approvals and vacations (docs/approvals.md)
    _json(
        "oa/gettemplatedetail",
        "get_template_detail",
        rate_limit=600,
        permission=Permission.APPROVAL,
        request=_APPROVALS + "GetTemplateDetailRequest",
    ),
    # WeCom's sources disagree on 60 or 600 a minute; daka takes the newer 600.
    _json(
        "oa/applyevent",
        "apply_event",
        rate_limit=600,
        permission=Permission.APPROVAL,
        request=_APPROVALS + "ApplyEventRequest",
    ),
    _json(
        "oa/getapprovalinfo",
        "get_approval_info",
        list_field="sp_no_list",
        rate_limit=600,
        permission=Permission.APPROVAL,
        request=_APPROVALS + "GetApprovalInfoRequest",
    ),
    _json(
        "oa/getapprovaldetail",
        "get_approval_detail",
        rate_limit=600,
        permission=Permission.APPROVAL,
        request=_APPROVALS + "GetApprovalDetailRequest",
    ),
    Endpoint(
        "oa/vacation/getcorpconf",
        _GET,
        Body.QUERY,
        Permission.APPROVAL,
        list_field="lists",
        rate_limit=600,
        handler="get_vacation_corp_conf",
        request=_VACATIONS + "GetCorpConfRequest",
    ),
    _json(
        "oa/vacation/getuservacationquota",
        "get_user_vacation_quota",
        list_field="lists",
        rate_limit=600,
        permission=Permission.APPROVAL,
        request=_VACATIONS + "GetUserVacationQuotaRequest",
    ),
    _json(
        "oa/vacation/setoneuserquota",
        "set_one_user_quota",
        rate_limit=600,
        permission=Permission.APPROVAL,
        request=_VACATIONS + "SetOneUserQuotaRequest",
    ),
    # daka's own: the approver's step WeCom leaves to its app (docs/approvals.md)
    Endpoint(
        "api/approvals",
        _GET,
        Body.QUERY,
        Permission.APPROVAL_ADMIN,
        list_field="approvals",
        handler="list_approvals",
        request=_APPROVALS + "ApprovalListRequest",
    ),
    *(
        _json(
            f"api/approvals/{action}",
            f"{action}_approval",
            permission=Permission.APPROVAL_ADMIN,
            request=_APPROVALS + "ApprovalActionRequest",
        )
        for action in ("approve", "reject", "revoke", "delete")
    ),
    # daka's own: why a user-day is what it is
    Endpoint(
        "api/explain",
        _GET,
        Body.QUERY,
        Permission.CHECKIN,
        handler="explain",
        request=_REQ + "ExplainRequest",
    ),
    # daka's own: statutory holiday calendars (docs/holidays.md). Two paths, as a row is one
    # path with one body kind: the calendar in force (GET), and loading a file (POST).
    Endpoint(
        "api/holidays",
        _GET,
        Body.QUERY,
        Permission.APPROVAL_ADMIN,
        handler="holidays",
        request=_REQ + "HolidaysRequest",
    ),
    _json(
        "api/holidays/load",
        "load_holidays",
        permission=Permission.APPROVAL_ADMIN,
        request=_REQ + "LoadHolidaysRequest",
    ),
)

ENDPOINTS: Mapping[str, Endpoint] = MappingProxyType({e.path: e for e in _ROWS})
"""Every endpoint daka knows, by path, in the order above."""

SERVED: Mapping[str, Endpoint] = MappingProxyType({e.path: e for e in _ROWS if e.served})
"""The endpoints daka answers; any other path is "not served by daka" (48001)."""


def rate_limits() -> dict[str, int]:
    """The documented per-minute limits by path, for the server's and the SDK's limiters."""
    return {e.path: e.rate_limit for e in _ROWS if e.rate_limit is not None}
