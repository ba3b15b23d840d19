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
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import Connection

from daka.domain.errors import AuthError, ForbiddenError, InvalidParameter, MediaError
from daka.services import (
    checkin,
    contacts,
    corrections,
    explain,
    faces,
    hardware,
    media,
    rule_admin,
    schedules,
)
from daka.services.corpview import CorpView, CorpViews
from daka.services.daycache import DEFAULT_MAX_ROWS, DayCache
from daka.services.ratelimit import RateLimiter
from daka.services.secrets import new_token, token_hash, verify_secret
from daka.storage.store import Store, TokenRecord
from daka.wire.checkin import (
    AddCheckinRecordRequest,
    GetCheckinDataRequest,
    GetCheckinOptionRequest,
    decode_body,
    parse,
)
from daka.wire.devices import AddCheckinUserFaceRequest, GetHardwareCheckinDataRequest
from daka.wire.media import upload_view

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
    ) -> None:
        """``media_dir`` defaults to the directory beside the database (see
        :func:`daka.services.media.default_media_dir`)."""
        self.store = store
        self.views = CorpViews(store)
        self.token_ttl = token_ttl
        self.rate_limiter = rate_limiter or RateLimiter(enabled=False)
        self.day_cache = DayCache(day_cache_rows)
        self.clock = clock
        root = Path(media_dir) if media_dir is not None else media.default_media_dir(
            store.engine.url)
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
        if not corpid:
            raise AuthError("corpid missing", errcode=41002)
        if not corpsecret:
            raise AuthError("corpsecret missing", errcode=41004)
        now = self.now()
        with self.store.read() as conn:
            corp = self.store.corp_by_corpid(conn, corpid)
            if corp is None:
                raise AuthError("invalid corpid", errcode=40013)
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
                raise AuthError("invalid credential", errcode=40001)
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
            raise AuthError("access_token missing", errcode=41001)
        digest = token_hash(token)
        record = self._known.get(digest)
        if record is None:
            with self.store.read() as conn:
                record = self.store.token(conn, digest)
            if record is None:
                raise AuthError("invalid access_token", errcode=40014)
            self._known[digest] = record
        if record.expires_at <= self.now():
            raise AuthError("access_token expired", errcode=42001)
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

    def upload_media(self, caller: Caller, media_type: str | None, filename: str,
                     source: IO[bytes], size: int) -> dict[str, Any]:
        """media/upload, once the HTTP adapter has received the file (``size`` bytes)."""
        record = media.store_media(self.store, self.media_files, caller.corp_id,
                                   media.check_type(media_type), filename, source, size,
                                   self.now())
        return upload_view(record.type, record.media_id, record.created_at)

    def get_media(self, token: str | None, media_id: str | None) -> media.Download:
        """media/get: the file to send, or 41006 / 40007."""
        caller = self.general_caller(token, "media/get")
        if not media_id:
            raise MediaError("media_id missing", errcode=media.MEDIA_ID_MISSING)
        return media.open_media(self.store, self.media_files, caller.corp_id, media_id,
                                self.now())

    def ping(self) -> None:
        """Touch the database (readiness check)."""
        with self.store.read() as conn:
            self.store.revision(conn, 0)

    def view(self, corp_id: int) -> CorpView:
        with self.store.read() as conn:
            return self.views.get(conn, corp_id)

    # -- check-in endpoints (bodies are decoded JSON) ------------------------------------

    def add_checkin_record(self, view: CorpView, body: Any) -> dict[str, Any]:
        request = parse(AddCheckinRecordRequest, body)
        checkin.add_records(self.store, view, request, self.now())
        return {}

    def get_checkin_data(self, view: CorpView, body: Any) -> dict[str, Any]:
        request = parse(GetCheckinDataRequest, body)
        return {"checkindata": checkin.checkin_data(self.store, view, request, self.now(),
                                                    self.day_cache)}

    def get_checkin_option(self, view: CorpView, body: Any) -> dict[str, Any]:
        request = parse(GetCheckinOptionRequest, body)
        return {"info": checkin.checkin_options(view, request)}

    def get_corp_checkin_option(self, view: CorpView, body: Any) -> dict[str, Any]:
        return {"group": checkin.corp_options(view)}

    def add_checkin_user_face(self, view: CorpView, body: Any) -> dict[str, Any]:
        request = parse(AddCheckinUserFaceRequest, body)
        faces.add_user_face(self.store, view, request, self.now())
        return {}

    def get_hardware_checkin_data(self, view: CorpView, body: Any) -> dict[str, Any]:
        request = parse(GetHardwareCheckinDataRequest, body)
        return {"checkindata": hardware.hardware_checkin_data(self.store, view, request,
                                                              self.now())}

    # -- rules, schedules, corrections (these need to know the calling app) -------------

    def add_checkin_option(self, caller: Caller, view: CorpView, body: Any) -> dict[str, Any]:
        rule_admin.add_option(self.store, view, caller.agentid, _object(body), self.now())
        return {}

    def update_checkin_option(self, caller: Caller, view: CorpView, body: Any
                              ) -> dict[str, Any]:
        rule_admin.update_option(self.store, view, caller.agentid, _object(body), self.now())
        return {}

    def clear_checkin_option_array_field(self, caller: Caller, view: CorpView, body: Any
                                         ) -> dict[str, Any]:
        rule_admin.clear_array_fields(self.store, view, caller.agentid, _object(body),
                                      self.now())
        return {}

    def del_checkin_option(self, caller: Caller, view: CorpView, body: Any) -> dict[str, Any]:
        rule_admin.delete_option(self.store, view, caller.agentid, _object(body), self.now())
        return {}

    def get_checkin_schedule_list(self, caller: Caller, view: CorpView, body: Any
                                  ) -> dict[str, Any]:
        return {"schedule_list": schedules.get_schedules(self.store, view, _object(body))}

    def set_checkin_schedule_list(self, caller: Caller, view: CorpView, body: Any
                                  ) -> dict[str, Any]:
        schedules.set_schedules(self.store, view, _object(body), self.now())
        return {}

    def punch_correction(self, caller: Caller, view: CorpView, body: Any) -> dict[str, Any]:
        corrections.punch_correction(self.store, view, _object(body), self.now())
        return {}

    def explain(self, token: str | None, userid: str | None, day: str | None
                ) -> dict[str, Any]:
        """Why a user's rows of one day are what they are (``GET /api/explain``)."""
        _, view = self.checkin_caller(token, "api/explain")
        if not userid:
            raise InvalidParameter("invalid parameter userid: required field is missing")
        return explain.explain_day(self.store, view, userid, explain.parse_day(day or ""),
                                   self.now())

    def read_contacts(self, endpoint: str, token: str | None, params: Mapping[str, str]
                      ) -> dict[str, Any]:
        """A contact read (department/list, user/simplelist, …) of the caller's corp."""
        handler = CONTACT_ENDPOINTS.get(endpoint)
        if handler is None:
            raise ForbiddenError("api unauthorized", errcode=48001)
        caller = self.general_caller(token, endpoint)
        return handler(self.view(caller.corp_id), params)

    def call(self, endpoint: str, token: str | None, raw_body: bytes) -> dict[str, Any]:
        """Authenticate, authorise and count a check-in call, then run it on the JSON body."""
        handler = CHECKIN_ENDPOINTS.get(endpoint)
        app_handler = APP_ENDPOINTS.get(endpoint)
        if handler is None and app_handler is None:
            raise ForbiddenError("api unauthorized", errcode=48001)
        caller, view = self.checkin_caller(token, endpoint)
        if app_handler is not None:
            return app_handler(self, caller, view, decode_body(raw_body))
        assert handler is not None
        return handler(self, view, decode_body(raw_body))


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidParameter("invalid json: the body must be a JSON object")
    return body


# Endpoints whose use case needs the calling app (rule ownership, 补卡 policy).
APP_ENDPOINTS: dict[str, Callable[[Service, Caller, CorpView, Any], dict[str, Any]]] = {
    "checkin/add_checkin_option": Service.add_checkin_option,
    "checkin/update_checkin_option": Service.update_checkin_option,
    "checkin/clear_checkin_option_array_field": Service.clear_checkin_option_array_field,
    "checkin/del_checkin_option": Service.del_checkin_option,
    "checkin/getcheckinschedulist": Service.get_checkin_schedule_list,
    "checkin/setcheckinschedulist": Service.set_checkin_schedule_list,
    "checkin/punch_correction": Service.punch_correction,
}

CHECKIN_ENDPOINTS: dict[str, Callable[[Service, CorpView, Any], dict[str, Any]]] = {
    "checkin/add_checkin_record": Service.add_checkin_record,
    "checkin/getcheckindata": Service.get_checkin_data,
    "checkin/getcheckinoption": Service.get_checkin_option,
    "checkin/getcorpcheckinoption": Service.get_corp_checkin_option,
    "checkin/addcheckinuserface": Service.add_checkin_user_face,
    "hardware/get_hardware_checkin_data": Service.get_hardware_checkin_data,
}

CONTACT_ENDPOINTS: dict[str, Callable[[CorpView, Mapping[str, str]], dict[str, Any]]] = {
    "department/list": contacts.department_list,
    "user/simplelist": contacts.user_simplelist,
    "user/list": contacts.user_list,
    "tag/list": contacts.tag_list,
    "tag/get": contacts.tag_get,
}
