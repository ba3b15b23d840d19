"""The service facade the HTTP API, CLI and console call.

It owns the process-wide state that use cases share: the store, the cache of corp views,
issued tokens and the rate limiter. ``clock`` is injected so tests can move time.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import Connection

from daka.domain.approvals import Action
from daka.domain.errors import (
    ApiUnauthorized,
    ForbiddenError,
    InvalidCorpId,
    InvalidCredential,
    InvalidToken,
    MediaIdMissing,
    NoRulePermission,
    TokenExpired,
    TokenMissing,
)
from daka.services import (
    approvals,
    checkin,
    contacts,
    corrections,
    explain,
    faces,
    hardware,
    holidays,
    media,
    reports,
    rule_admin,
    schedules,
    vacations,
)
from daka.services.corpview import CorpView, CorpViews
from daka.services.daycache import DEFAULT_MAX_ROWS, DayCache
from daka.services.ratelimit import RateLimiter
from daka.services.secrets import new_token, token_hash, verify_secret
from daka.services.workers import ReportWorkers
from daka.storage.store import Store, TokenRecord
from daka.wire.approvals import (
    ApplyEventRequest,
    ApprovalActionRequest,
    ApprovalListRequest,
    GetApprovalDetailRequest,
    GetApprovalInfoRequest,
    GetTemplateDetailRequest,
    info_view,
)
from daka.wire.checkin import (
    AddCheckinRecordRequest,
    GetCheckinDataRequest,
    GetCheckinOptionRequest,
    decode_body,
)
from daka.wire.devices import AddCheckinUserFaceRequest, GetHardwareCheckinDataRequest
from daka.wire.endpoints import ENDPOINTS, SERVED, Body, Endpoint, Permission
from daka.wire.media import upload_view
from daka.wire.reports import DayDataRequest, MonthDataRequest
from daka.wire.requests import (
    AddCheckinOptionRequest,
    ClearCheckinOptionArrayFieldRequest,
    DelCheckinOptionRequest,
    DepartmentListRequest,
    ExplainRequest,
    GetCheckinScheduListRequest,
    GetCorpCheckinOptionRequest,
    GetTokenRequest,
    HolidaysRequest,
    LoadHolidaysRequest,
    PunchCorrectionRequest,
    SetCheckinScheduListRequest,
    TagGetRequest,
    TagListRequest,
    UpdateCheckinOptionRequest,
    UserListRequest,
    UserSimpleListRequest,
    parse_as,
)
from daka.wire.vacations import (
    GetCorpConfRequest,
    GetUserVacationQuotaRequest,
    SetOneUserQuotaRequest,
)

DEFAULT_TOKEN_TTL = 7200


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: the corp and app an access token was issued to."""

    corp_id: int
    agentid: int


class Service:
    """Use cases of daka behind one object, shared by every adapter."""

    def __init__(
        self,
        store: Store,
        *,
        token_ttl: int = DEFAULT_TOKEN_TTL,
        rate_limiter: RateLimiter | None = None,
        clock: Callable[[], float] = time.time,
        day_cache_rows: int = DEFAULT_MAX_ROWS,
        media_dir: str | os.PathLike[str] | None = None,
        report_workers: ReportWorkers | None = None,
    ) -> None:
        """``media_dir`` defaults to the directory beside the database (see
        :func:`daka.services.media.default_media_dir`); ``report_workers`` evaluate large
        report calls beside the calling thread (none: in place)."""
        self.store = store
        self.report_workers = report_workers
        self.views = CorpViews(store)
        self.token_ttl = token_ttl
        self.rate_limiter = rate_limiter or RateLimiter(enabled=False)
        self.day_cache = DayCache(day_cache_rows)
        self.clock = clock
        root = (
            Path(media_dir) if media_dir is not None else media.default_media_dir(store.engine.url)
        )
        self.media_files = media.MediaFiles(root.absolute())
        self._issued: dict[tuple[int, int], tuple[str, int]] = {}
        self._known: dict[str, TokenRecord] = {}
        # (corp, secret) → (agentid, the stored hash it was verified against)
        self._verified: dict[tuple[int, str], tuple[int, str]] = {}
        self._lock = threading.Lock()
        self._token_locks: dict[tuple[int, int], threading.Lock] = {}

    def now(self) -> int:
        return int(self.clock())

    # -- tokens ---------------------------------------------------------------------------

    def get_token(self, corpid: str | None, corpsecret: str | None) -> tuple[str, int]:
        """gettoken: the app's access token and its remaining lifetime in seconds."""
        return self._issue_token(
            parse_as(GetTokenRequest, {"corpid": corpid, "corpsecret": corpsecret})
        )

    def _issue_token(self, request: GetTokenRequest) -> tuple[str, int]:
        corpid, corpsecret = request.corpid, request.corpsecret
        now = self.now()
        with self.store.read() as conn:
            corp = self.store.corp_by_corpid(conn, corpid)
            if corp is None:
                raise InvalidCorpId()
            apps = self.store.apps(conn, corp.id)
        # Skip the slow scrypt check only while the very hash we verified is still stored:
        # a secret rotated by an org reload (from any process) must stop working at once.
        cached = self._verified.get((corp.id, corpsecret))
        if cached is not None and any((a.agentid, a.secret_hash) == cached for a in apps):
            agentid = cached[0]
        else:
            self._verified.pop((corp.id, corpsecret), None)
            match = next((a for a in apps if verify_secret(corpsecret, a.secret_hash)), None)
            if match is None:
                raise InvalidCredential()
            agentid = match.agentid
            self._verified[(corp.id, corpsecret)] = (agentid, match.secret_hash)
        # One token at a time per app (concurrent gettokens of an app get the same token),
        # but apps do not wait for each other's token writes.
        with self._lock:
            app_lock = self._token_locks.setdefault((corp.id, agentid), threading.Lock())
        with app_lock:
            issued = self._issued.get((corp.id, agentid))
            if issued is not None and issued[1] > now:
                return issued[0], issued[1] - now
            token = new_token()
            record = TokenRecord(corp_id=corp.id, agentid=agentid, expires_at=now + self.token_ttl)

            def issue(conn: Connection) -> None:
                self.store.purge_tokens(conn, before=now - 86_400)
                self.store.add_token(conn, token_hash(token), record)

            self.store.transaction(issue)
            self._issued[(corp.id, agentid)] = (token, record.expires_at)
            self._known[token_hash(token)] = record
            return token, self.token_ttl

    def authenticate(self, token: str | None) -> Caller:
        """The caller an access token belongs to; 41001 / 40014 / 42001 otherwise."""
        if not token:
            raise TokenMissing()
        digest = token_hash(token)
        record = self._known.get(digest)
        if record is None:
            with self.store.read() as conn:
                record = self.store.token(conn, digest)
            if record is None:
                raise InvalidToken()
            self._known[digest] = record
        if record.expires_at <= self.now():
            raise TokenExpired()
        return Caller(corp_id=record.corp_id, agentid=record.agentid)

    def checkin_caller(self, token: str | None, endpoint: str) -> tuple[Caller, CorpView]:
        """Authenticate a check-in call, check the app may make it, and count it.

        Returns the caller and the corp's current view, which the call then uses.
        """
        caller = self.authenticate(token)
        view = self.view(caller.corp_id)
        app = view.apps.get(caller.agentid)
        if app is None or not app.checkin:
            raise ForbiddenError("api forbidden")
        self.rate_limiter.hit(caller.corp_id, endpoint, self.clock())
        return caller, view

    def general_caller(self, token: str | None, endpoint: str) -> Caller:
        """Authenticate a call to a general WeCom API (media, contacts) and count it.

        Any app of the corp may call those, check-in access or not.
        """
        caller = self.authenticate(token)
        self.rate_limiter.hit(caller.corp_id, endpoint, self.clock())
        return caller

    def upload_media(
        self, caller: Caller, media_type: str | None, filename: str, source: IO[bytes], size: int
    ) -> dict[str, Any]:
        """media/upload, once the HTTP adapter has received the file (``size`` bytes)."""
        record = media.store_media(
            self.store,
            self.media_files,
            caller.corp_id,
            media.check_type(media_type),
            filename,
            source,
            size,
            self.now(),
        )
        return upload_view(record.type, record.media_id, record.created_at)

    def get_media(self, token: str | None, media_id: str | None) -> media.Download:
        """media/get: the file to send, or 41006 / 40007."""
        caller = self.general_caller(token, "media/get")
        if not media_id:
            raise MediaIdMissing()
        return media.open_media(self.store, self.media_files, caller.corp_id, media_id, self.now())

    def close(self) -> None:
        """Release what outlives requests (the report workers)."""
        if self.report_workers is not None:
            self.report_workers.close()

    def ping(self) -> None:
        """Touch the database (readiness check)."""
        with self.store.read() as conn:
            self.store.revision(conn, 0)

    def view(self, corp_id: int) -> CorpView:
        with self.store.read() as conn:
            return self.views.get(conn, corp_id)

    # -- dispatch (the registry in daka.wire.endpoints says what runs where) ------------

    def call(self, path: str, token: str | None, raw_body: bytes) -> dict[str, Any]:
        """A JSON endpoint: authenticate, authorise and count the call, then run its handler
        on the decoded body."""
        endpoint = _served(path, Body.JSON)
        handler = getattr(self, str(endpoint.handler))
        context = self.authorise(token, endpoint)  # 48002/301088 before any body error
        return _answer(handler(*context, _typed(endpoint, decode_body(raw_body))))

    def query(self, path: str, params: Mapping[str, str]) -> dict[str, Any]:
        """A query endpoint (gettoken, contact reads, /api/explain) on its query parameters;
        ``access_token`` among them is the token."""
        endpoint = _served(path, Body.QUERY)
        rest = dict(params)
        token = rest.pop("access_token", None)
        handler = getattr(self, str(endpoint.handler))
        if endpoint.permission is Permission.NONE:
            return _answer(handler(_typed(endpoint, rest)))
        context = self.authorise(token, endpoint)
        return _answer(handler(*context, _typed(endpoint, rest)))

    def authorise(
        self, token: str | None, endpoint: Endpoint
    ) -> tuple[CorpView] | tuple[Caller, CorpView]:
        """Check the endpoint's permission and count the call; returns what its handler
        takes before the request: the corp's view, with the caller first where the app
        matters (rule ownership is per app; approval administration records who acted)."""
        if endpoint.permission is Permission.GENERAL:
            caller = self.general_caller(token, endpoint.path)
            return (self.view(caller.corp_id),)
        if endpoint.permission in (Permission.APPROVAL, Permission.APPROVAL_ADMIN):
            caller = self.authenticate(token)
            view = self.view(caller.corp_id)
            app = view.apps.get(caller.agentid)
            allowed = app is not None and (
                app.approval_admin
                if endpoint.permission is Permission.APPROVAL_ADMIN
                else app.approval
            )
            if not allowed:
                raise ForbiddenError("api forbidden")
            self.rate_limiter.hit(caller.corp_id, endpoint.path, self.clock())
            if endpoint.permission is Permission.APPROVAL_ADMIN:
                return caller, view
            return (view,)
        caller, view = self.checkin_caller(token, endpoint.path)
        if endpoint.permission is not Permission.RULES:
            return (view,)
        app = view.apps.get(caller.agentid)
        if app is None or not app.manage_rules:
            raise NoRulePermission()
        return caller, view

    # -- check-in endpoints (bodies are decoded JSON) ------------------------------------

    def add_checkin_record(
        self, view: CorpView, request: AddCheckinRecordRequest
    ) -> dict[str, Any]:
        checkin.add_records(self.store, view, request, self.now())
        return {}

    def get_checkin_data(self, view: CorpView, request: GetCheckinDataRequest) -> dict[str, Any]:
        return {
            "checkindata": checkin.checkin_data(
                self.store, view, request, self.now(), self.day_cache
            )
        }

    def get_checkin_daydata(self, view: CorpView, request: DayDataRequest) -> dict[str, Any]:
        return {
            "datas": reports.day_data(self.store, view, request, self.now(), self.report_workers)
        }

    def get_checkin_monthdata(self, view: CorpView, request: MonthDataRequest) -> dict[str, Any]:
        return {
            "datas": reports.month_data(self.store, view, request, self.now(), self.report_workers)
        }

    def get_checkin_option(
        self, view: CorpView, request: GetCheckinOptionRequest
    ) -> dict[str, Any]:
        return {"info": checkin.checkin_options(view, request)}

    def get_corp_checkin_option(
        self, view: CorpView, request: GetCorpCheckinOptionRequest
    ) -> dict[str, Any]:
        return {"group": checkin.corp_options(view)}

    def add_checkin_user_face(
        self, view: CorpView, request: AddCheckinUserFaceRequest
    ) -> dict[str, Any]:
        faces.add_user_face(self.store, view, request, self.now())
        return {}

    def get_hardware_checkin_data(
        self, view: CorpView, request: GetHardwareCheckinDataRequest
    ) -> dict[str, Any]:
        return {
            "checkindata": hardware.hardware_checkin_data(self.store, view, request, self.now())
        }

    def get_checkin_schedule_list(
        self, view: CorpView, request: GetCheckinScheduListRequest
    ) -> dict[str, Any]:
        return {"schedule_list": schedules.get_schedules(self.store, view, request)}

    def set_checkin_schedule_list(
        self, view: CorpView, request: SetCheckinScheduListRequest
    ) -> dict[str, Any]:
        schedules.set_schedules(self.store, view, request, self.now())
        return {}

    def punch_correction(self, view: CorpView, request: PunchCorrectionRequest) -> dict[str, Any]:
        corrections.punch_correction(self.store, view, request, self.now())
        return {}

    # -- 审批 (oa/*) ------------------------------------------------------------------------

    def get_template_detail(
        self, view: CorpView, request: GetTemplateDetailRequest
    ) -> dict[str, Any]:
        return approvals.template_detail(view, request)

    def apply_event(self, view: CorpView, request: ApplyEventRequest) -> dict[str, Any]:
        return {"sp_no": approvals.apply_event(self.store, view, request, self.now())}

    def get_approval_info(self, view: CorpView, request: GetApprovalInfoRequest) -> dict[str, Any]:
        return approvals.approval_info(self.store, view, request)

    def get_approval_detail(
        self, view: CorpView, request: GetApprovalDetailRequest
    ) -> dict[str, Any]:
        return approvals.approval_detail(self.store, view, request)

    # -- daka's own approver step (/api/approvals) ---------------------------------------

    def list_approvals(
        self, caller: Caller, view: CorpView, request: ApprovalListRequest
    ) -> dict[str, Any]:
        return {"approvals": approvals.list_approvals(self.store, view, request)}

    def _act(
        self, view: CorpView, request: ApprovalActionRequest, action: Action
    ) -> dict[str, Any]:
        decision = approvals.Decision(request.sp_no, action, request.userid, request.speech)
        done = approvals.act(self.store, view, decision, self.now())
        return {"info": info_view(done)}

    def approve_approval(
        self, caller: Caller, view: CorpView, request: ApprovalActionRequest
    ) -> dict[str, Any]:
        return self._act(view, request, Action.APPROVE)

    def reject_approval(
        self, caller: Caller, view: CorpView, request: ApprovalActionRequest
    ) -> dict[str, Any]:
        return self._act(view, request, Action.REJECT)

    def revoke_approval(
        self, caller: Caller, view: CorpView, request: ApprovalActionRequest
    ) -> dict[str, Any]:
        return self._act(view, request, Action.REVOKE)

    def delete_approval(
        self, caller: Caller, view: CorpView, request: ApprovalActionRequest
    ) -> dict[str, Any]:
        return self._act(view, request, Action.DELETE)

    # -- rules (these need to know the calling app) ---------------------------------------

    def add_checkin_option(
        self, caller: Caller, view: CorpView, request: AddCheckinOptionRequest
    ) -> dict[str, Any]:
        rule_admin.add_option(self.store, view, caller.agentid, request, self.now())
        return {}

    def update_checkin_option(
        self, caller: Caller, view: CorpView, request: UpdateCheckinOptionRequest
    ) -> dict[str, Any]:
        rule_admin.update_option(self.store, view, caller.agentid, request, self.now())
        return {}

    def clear_checkin_option_array_field(
        self, caller: Caller, view: CorpView, request: ClearCheckinOptionArrayFieldRequest
    ) -> dict[str, Any]:
        rule_admin.clear_array_fields(self.store, view, caller.agentid, request, self.now())
        return {}

    def del_checkin_option(
        self, caller: Caller, view: CorpView, request: DelCheckinOptionRequest
    ) -> dict[str, Any]:
        rule_admin.delete_option(self.store, view, caller.agentid, request, self.now())
        return {}

    # -- 假期 (an app with 审批 access) ---------------------------------------------------

    def get_vacation_corp_conf(self, view: CorpView, request: GetCorpConfRequest) -> dict[str, Any]:
        """oa/vacation/getcorpconf: the corp's vacations, as the org file set them."""
        return {"lists": vacations.corp_conf(view)}

    def get_user_vacation_quota(
        self, view: CorpView, request: GetUserVacationQuotaRequest
    ) -> dict[str, Any]:
        """oa/vacation/getuservacationquota: one person's balance of every vacation."""
        return {"lists": vacations.user_quotas(self.store, view, request)}

    def set_one_user_quota(self, view: CorpView, request: SetOneUserQuotaRequest) -> dict[str, Any]:
        """oa/vacation/setoneuserquota: set one person's balance of one vacation."""
        vacations.set_quota(self.store, view, request, self.now())
        return {}

    # -- query endpoints (query parameters) ----------------------------------------------

    def gettoken(self, request: GetTokenRequest) -> dict[str, Any]:
        token, expires_in = self._issue_token(request)  # parsed once, by the dispatch
        return {"access_token": token, "expires_in": expires_in}

    def explain(self, view: CorpView, request: ExplainRequest) -> dict[str, Any]:
        """Why a user's rows of one day are what they are (``GET /api/explain``)."""
        return explain.explain_day(self.store, view, request, self.now())

    # -- daka's own: holiday calendars (apps with approval_admin) ------------------------

    def holidays(self, caller: Caller, view: CorpView, request: HolidaysRequest) -> dict[str, Any]:
        """The corp's calendar of ``year`` in force, its source and versions, and a warning
        when the year has no data (``GET /api/holidays``)."""
        year = request.year
        days = [date(year, 1, 1), date(year, 12, 31)]
        return {
            **holidays.describe_year(view.holidays, year),
            "warnings": holidays.holiday_warnings(view, days),
        }

    def load_holidays(
        self, caller: Caller, view: CorpView, request: LoadHolidaysRequest
    ) -> dict[str, Any]:
        """Load a holiday file as the caller's corp's own calendar (``POST
        /api/holidays/load``): server-wide calendars are the server operator's (the CLI)."""
        loaded = holidays.load_years(self.store, view.corp.id, request.years, self.now(), view.tz)
        return {
            "loaded": [
                {
                    "year": item.year,
                    "version": item.version,
                    "changed": item.version is not None,
                    "effective_from": item.effective_from.isoformat()
                    if item.effective_from
                    else None,
                }
                for item in loaded
            ]
        }

    def department_list(self, view: CorpView, request: DepartmentListRequest) -> dict[str, Any]:
        return contacts.department_list(view, request)

    def user_simplelist(self, view: CorpView, request: UserSimpleListRequest) -> dict[str, Any]:
        return contacts.user_simplelist(view, request)

    def user_list(self, view: CorpView, request: UserListRequest) -> dict[str, Any]:
        return contacts.user_list(view, request)

    def tag_list(self, view: CorpView, request: TagListRequest) -> dict[str, Any]:
        return contacts.tag_list(view, request)

    def tag_get(self, view: CorpView, request: TagGetRequest) -> dict[str, Any]:
        return contacts.tag_get(view, request)


def not_served(url: str) -> ApiUnauthorized:
    """The answer to a path daka does not serve: WeCom's 48001, saying why."""
    return ApiUnauthorized(f"api unauthorized: {url} is not served by daka")


def _served(path: str, body: Body) -> Endpoint:
    endpoint = SERVED.get(path)
    if endpoint is None or endpoint.body is not body:
        raise not_served(ENDPOINTS[path].url if path in ENDPOINTS else f"/cgi-bin/{path}")
    return endpoint


def _typed(endpoint: Endpoint, body: Any) -> Any:
    """The body or query parsed into the request type the registry names for ``endpoint``."""
    kind = endpoint.request_type()
    assert kind is not None, endpoint.path
    return parse_as(kind, body)


def _answer(payload: Any) -> dict[str, Any]:
    assert isinstance(payload, dict)
    return payload
