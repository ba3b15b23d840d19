"""The shared core of Client and AsyncClient, sans-I/O.

Everything here decides and never waits: which endpoints exist, how a request is built, what
an answer means (a result, or which exception), whether a failure is retried and after how
long, and the configuration both clients share. ``_sync`` and ``_async`` only add the I/O:
sending, sleeping and locking.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from daka.client._batching import Chunk
from daka.client._errors import (
    REFRESH_ERRCODES,
    APIError,
    BatchProgress,
    HTTPStatusError,
    InvalidResponse,
    NetworkError,
    RateLimitError,
    RequestTimeout,
    SystemBusyError,
    TokenError,
    TransportError,
    WeComError,
    api_error,
)
from daka.client._models import Media
from daka.client._ratelimit import RateLimiter
from daka.client._tokens import DEFAULT_MARGIN_SEC, TokenState

__all__: list[str] = []

DEFAULT_BASE_URL = "https://qyapi.weixin.qq.com"
DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3
USER_AGENT = "daka-client/0.1.0"

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A WeCom path under ``/cgi-bin/``.

    ``idempotent`` is False where sending twice may act twice (a second rule created); such a
    request is re-sent after a transport failure only when it certainly never left.
    """

    path: str
    method: str = "POST"
    idempotent: bool = True


GETTOKEN = Endpoint("gettoken", "GET")
GETCHECKINDATA = Endpoint("checkin/getcheckindata")
GETCHECKINOPTION = Endpoint("checkin/getcheckinoption")
GETCORPCHECKINOPTION = Endpoint("checkin/getcorpcheckinoption")
GETCHECKIN_DAYDATA = Endpoint("checkin/getcheckin_daydata")
GETCHECKIN_MONTHDATA = Endpoint("checkin/getcheckin_monthdata")
GETCHECKINSCHEDULIST = Endpoint("checkin/getcheckinschedulist")
SETCHECKINSCHEDULIST = Endpoint("checkin/setcheckinschedulist")
PUNCH_CORRECTION = Endpoint("checkin/punch_correction")
ADDCHECKINUSERFACE = Endpoint("checkin/addcheckinuserface")
ADD_CHECKIN_OPTION = Endpoint("checkin/add_checkin_option", idempotent=False)
UPDATE_CHECKIN_OPTION = Endpoint("checkin/update_checkin_option")
CLEAR_CHECKIN_OPTION_ARRAY_FIELD = Endpoint("checkin/clear_checkin_option_array_field")
DEL_CHECKIN_OPTION = Endpoint("checkin/del_checkin_option", idempotent=False)
ADD_CHECKIN_RECORD = Endpoint("checkin/add_checkin_record")  # the server upserts: resend-safe
GET_HARDWARE_CHECKIN_DATA = Endpoint("hardware/get_hardware_checkin_data")
MEDIA_UPLOAD = Endpoint("media/upload")
MEDIA_GET = Endpoint("media/get", "GET")
DEPARTMENT_LIST = Endpoint("department/list", "GET")
USER_SIMPLELIST = Endpoint("user/simplelist", "GET")
TAG_LIST = Endpoint("tag/list", "GET")
TAG_GET = Endpoint("tag/get", "GET")
GETTEMPLATEDETAIL = Endpoint("oa/gettemplatedetail")
APPLYEVENT = Endpoint("oa/applyevent", idempotent=False)  # each send files a new approval
GETAPPROVALINFO = Endpoint("oa/getapprovalinfo")
GETAPPROVALDETAIL = Endpoint("oa/getapprovaldetail")
VACATION_GETCORPCONF = Endpoint("oa/vacation/getcorpconf", "GET")
VACATION_GETUSERVACATIONQUOTA = Endpoint("oa/vacation/getuservacationquota")
VACATION_SETONEUSERQUOTA = Endpoint("oa/vacation/setoneuserquota")  # sets, not adds: resend-safe

ENDPOINTS: dict[str, Endpoint] = {
    e.path: e
    for e in (
        GETTOKEN,
        GETCHECKINDATA,
        GETCHECKINOPTION,
        GETCORPCHECKINOPTION,
        GETCHECKIN_DAYDATA,
        GETCHECKIN_MONTHDATA,
        GETCHECKINSCHEDULIST,
        SETCHECKINSCHEDULIST,
        PUNCH_CORRECTION,
        ADDCHECKINUSERFACE,
        ADD_CHECKIN_OPTION,
        UPDATE_CHECKIN_OPTION,
        CLEAR_CHECKIN_OPTION_ARRAY_FIELD,
        DEL_CHECKIN_OPTION,
        ADD_CHECKIN_RECORD,
        GET_HARDWARE_CHECKIN_DATA,
        MEDIA_UPLOAD,
        MEDIA_GET,
        DEPARTMENT_LIST,
        USER_SIMPLELIST,
        TAG_LIST,
        TAG_GET,
        GETTEMPLATEDETAIL,
        APPLYEVENT,
        GETAPPROVALINFO,
        GETAPPROVALDETAIL,
        VACATION_GETCORPCONF,
        VACATION_GETUSERVACATIONQUOTA,
        VACATION_SETONEUSERQUOTA,
    )
}


def endpoint_for(path: str, method: str | None = None) -> Endpoint:
    """The known endpoint for ``path`` (``checkin/getcheckindata``), else a POST one;
    ``method`` overrides the HTTP method.
    """
    path = path.strip("/").removeprefix("cgi-bin/")
    endpoint = ENDPOINTS.get(path) or Endpoint(path)
    if method is not None and method.upper() != endpoint.method:
        endpoint = Endpoint(endpoint.path, method.upper(), endpoint.idempotent)
    return endpoint


# -- requests --------------------------------------------------------------------------------

FileTuple = tuple[str, bytes, str]


@dataclass(frozen=True, slots=True)
class Payload:
    """What one request carries besides the token: a JSON body, query params or a file."""

    body: Mapping[str, Any] | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, FileTuple] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """Arguments for ``httpx.Client.request`` (relative URL, the base URL ends in /cgi-bin/)."""

    method: str
    url: str
    params: dict[str, str]
    headers: dict[str, str]
    content: bytes | None = None
    files: Mapping[str, FileTuple] | None = None


def build_request(endpoint: Endpoint, payload: Payload, token: str | None) -> RequestSpec:
    """The HTTP request for ``endpoint``: the token goes in the query string
    (docs/wecom-api.md §1)."""
    params = dict(payload.params)
    if token is not None:
        params["access_token"] = token
    headers = dict(payload.headers)
    content = None
    if endpoint.method == "POST" and payload.files is None:
        content = json.dumps(
            payload.body if payload.body is not None else {},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        headers.setdefault("Content-Type", "application/json")
    return RequestSpec(endpoint.method, endpoint.path, params, headers, content, payload.files)


def cgi_base_url(base_url: str) -> str:
    """``https://host`` → ``https://host/cgi-bin/`` (a base URL already ending so is kept)."""
    base = base_url.rstrip("/")
    return base + "/" if base.endswith("/cgi-bin") else base + "/cgi-bin/"


# -- answers ---------------------------------------------------------------------------------

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def check_status(endpoint: Endpoint, response: httpx.Response) -> None:
    if not response.is_success:
        raise HTTPStatusError(
            f"{endpoint.path}: HTTP {response.status_code} {response.reason_phrase}",
            endpoint=endpoint.path,
            status_code=response.status_code,
        )


def parse_answer(endpoint: Endpoint, response: httpx.Response) -> dict[str, Any]:
    """WeCom's JSON answer, or the exception it stands for."""
    check_status(endpoint, response)
    try:
        data = json.loads(response.content)
    except ValueError:
        snippet = response.content[:80].decode("utf-8", "replace")
        raise InvalidResponse(
            f"{endpoint.path}: the answer is not JSON: {snippet!r}", endpoint=endpoint.path
        ) from None
    if not isinstance(data, dict):
        raise InvalidResponse(
            f"{endpoint.path}: the answer is not a JSON object", endpoint=endpoint.path
        )
    errcode = data.get("errcode", 0)
    if isinstance(errcode, bool) or not isinstance(errcode, int):
        try:
            errcode = int(errcode)
        except (TypeError, ValueError):
            raise InvalidResponse(
                f"{endpoint.path}: errcode is not a number: {errcode!r}", endpoint=endpoint.path
            ) from None
    if errcode != 0:
        raise api_error(errcode, str(data.get("errmsg", "")), endpoint=endpoint.path, raw=data)
    return data


_FILENAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def parse_media(endpoint: Endpoint, response: httpx.Response) -> Media:
    """media/get: the file, or (a JSON body) WeCom's error."""
    check_status(endpoint, response)
    content_type = response.headers.get("content-type", "")
    if content_type.split(";")[0].strip() in ("application/json", "text/plain"):
        try:
            data = json.loads(response.content)
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get("errcode", 0) != 0:
            parse_answer(endpoint, response)  # raises the API error
    match = _FILENAME.search(response.headers.get("content-disposition", ""))
    return Media(
        response.content,
        content_type,
        match.group(1) if match else "",
        response.status_code,
        dict(response.headers),
    )


def transport_error(endpoint: Endpoint, exc: httpx.RequestError) -> TransportError:
    """Our exception for an httpx failure; ``request_sent`` is False when it never left."""
    unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    cls: type[TransportError]
    if isinstance(exc, httpx.TimeoutException):
        cls = RequestTimeout
    elif isinstance(exc, httpx.TransportError):
        cls = NetworkError
    else:
        cls = TransportError
    error = cls(f"{endpoint.path}: {type(exc).__name__}: {exc}", endpoint=endpoint.path)
    error.request_sent = not unsent
    return error


# -- retries ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most ``retries`` re-sends per request, after exponential backoff with jitter.

    The n-th wait (n = 0, 1, …) is uniform in ``[b/2, b]`` with ``b = min(max_backoff,
    backoff * 2**n)``: growing, never zero, and spread so that clients do not retry in step.
    """

    retries: int = DEFAULT_RETRIES
    backoff: float = 0.5
    max_backoff: float = 30.0
    jitter: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        ceiling = min(self.max_backoff, self.backoff * 2.0**attempt)
        return ceiling / 2 + ceiling / 2 * self.jitter()

    def should_retry(self, endpoint: Endpoint, exc: WeComError, attempt: int) -> bool:
        """Whether the ``attempt``-th failure (0-based) of a request is re-sent."""
        if attempt >= self.retries:
            return False
        if isinstance(exc, RateLimitError | SystemBusyError):
            return True  # 45009 / 45033 / -1: WeCom did not act on the request
        if isinstance(exc, HTTPStatusError):
            return exc.status_code in RETRY_STATUSES and endpoint.idempotent
        if isinstance(exc, TransportError):
            return endpoint.idempotent or not exc.request_sent
        return False


def needs_new_token(exc: APIError, refreshed: bool) -> bool:
    """A token error a fresh token may cure, and no refresh was tried for this request yet."""
    return isinstance(exc, TokenError) and exc.errcode in REFRESH_ERRCODES and not refreshed


# -- operations ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Operation(Generic[R]):
    """One SDK method call: the requests it needs and how their answers become its result.

    ``chunks`` are known up front (a list or range split over WeCom's limits). ``next_page``,
    for a paged endpoint (getapprovalinfo's ``new_cursor``), turns a chunk and its answer into
    the request for the next page, or None at the last page; pages keep their chunk's index.
    """

    endpoint: Endpoint
    chunks: tuple[Chunk, ...]
    merge: Callable[[Sequence[tuple[Chunk, Mapping[str, Any]]]], R]
    next_page: Callable[[Chunk, Mapping[str, Any]], Chunk | None] | None = None


class Run(Generic[R]):
    """The sans-I/O driver of one :class:`Operation`: which request is next, and the result.

    Both clients loop ``next()`` → send → ``record()`` (or ``fail()`` on an error, which
    attaches what was achieved), then take ``result()``; so chunking and paging are decided
    here once, and the clients only do the I/O.
    """

    def __init__(self, op: Operation[R]) -> None:
        self.op = op
        self.answers: list[tuple[Chunk, Mapping[str, Any]]] = []
        self._window = 0  # index into op.chunks of the chunk whose pages are being read
        self._next: Chunk | None = op.chunks[0] if op.chunks else None

    def next(self) -> Chunk | None:
        """The request to send now, or None when the call is complete."""
        return self._next

    def record(self, chunk: Chunk, answer: Mapping[str, Any]) -> None:
        """Take ``chunk``'s answer and decide the request after it.

        Raises (:class:`InvalidResponse`) when the answer cannot say what comes next; the
        chunk is then the failed one, and its answer is not taken.
        """
        page = self.op.next_page(chunk, answer) if self.op.next_page is not None else None
        self.answers.append((chunk, answer))
        if page is None:
            self._window += 1
            chunks = self.op.chunks
            page = chunks[self._window] if self._window < len(chunks) else None
        self._next = page

    def fail(self, exc: WeComError) -> None:
        """Record on ``exc`` what the call achieved before the current request failed.

        A call of one request that failed has nothing to report (``batch`` stays None); a
        batched or paged call gets its :class:`BatchProgress`.
        """
        failed = self._next
        if failed is None or (len(self.op.chunks) < 2 and not self.answers):
            return
        exc.batch = BatchProgress(
            partial=self.op.merge(self.answers),
            completed=tuple(c for c, _ in self.answers),
            failed=failed,
            pending=self.op.chunks[self._window + 1 :],
        )

    def result(self) -> R:
        return self.op.merge(self.answers)


# -- configuration ---------------------------------------------------------------------------


class BaseClient:
    """What Client and AsyncClient share: credentials, limits, token state, retry policy."""

    def __init__(
        self,
        corpid: str,
        corpsecret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        rate_limits: Mapping[str, int] | None = None,
        token_margin: float = DEFAULT_MARGIN_SEC,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.corpid = corpid
        self._corpsecret = corpsecret
        self.base_url = base_url
        self._timeout = timeout
        self._retry = RetryPolicy(retries, backoff, max_backoff)
        self._limiter = RateLimiter(rate_limits, clock=clock)
        self._token_state = TokenState(clock, token_margin)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(corpid={self.corpid!r}, base_url={self.base_url!r})"

    def _token_payload(self) -> Payload:
        return Payload(params={"corpid": self.corpid, "corpsecret": self._corpsecret})

    def _http_options(self) -> dict[str, Any]:
        return {
            "base_url": cgi_base_url(self.base_url),
            "timeout": self._timeout,
            "headers": {"User-Agent": USER_AGENT},
        }
