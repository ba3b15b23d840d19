"""The exceptions of ``daka.client``: one tree, rooted at :class:`WeComError`.

```
WeComError                     every error this SDK raises
├── TransportError             no usable WeCom answer (retried, within bounds)
│   ├── NetworkError           could not connect, connection reset, broken HTTP
│   ├── RequestTimeout         connect, read, write or pool timeout
│   ├── HTTPStatusError        an HTTP status other than 2xx (a proxy's 500/502, a wrong URL)
│   └── InvalidResponse        a 2xx whose body is not a JSON object
└── APIError                   WeCom answered ``errcode != 0``; has ``.errcode`` and ``.errmsg``
    ├── TokenError             40001 40014 42001 41001 … (refreshed once, then raised)
    ├── RateLimitError         45009 45033 (retried with backoff, then raised)
    ├── ParameterError         40058 301021 301023 301024 301025 60111 … (a fix in the request
    │                          is due)
    ├── PermissionDenied       48002 60011 60020 301055 301088 301092 … (the app may not do
    │                          this)
    └── SystemBusyError        -1 (retried with backoff, then raised)
```

A batched call (a list split into several requests) that fails part-way raises the error of the
failing request with :attr:`WeComError.batch` set: the merged result of the requests that
succeeded (also :attr:`WeComError.partial`), and which chunks succeeded, failed or never ran.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from daka.client._batching import Chunk

__all__ = [
    "APIError",
    "BatchProgress",
    "HTTPStatusError",
    "InvalidResponse",
    "NetworkError",
    "ParameterError",
    "PermissionDenied",
    "RateLimitError",
    "RequestTimeout",
    "SystemBusyError",
    "TokenError",
    "TransportError",
    "WeComError",
]


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """Where a batched call stood when one of its chunks failed."""

    partial: Any
    """The merged result of the chunks that succeeded, typed like the full call's result."""
    completed: tuple[Chunk, ...]
    """Chunks that succeeded, in order."""
    failed: Chunk
    """The chunk whose error is being raised (after its retries)."""
    pending: tuple[Chunk, ...]
    """Chunks never sent, because an earlier one failed."""


class WeComError(Exception):
    """Root of every error raised by ``daka.client``."""

    endpoint: str
    batch: BatchProgress | None

    def __init__(self, message: str, *, endpoint: str = "") -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.batch = None

    @property
    def partial(self) -> Any:
        """The merged result of the chunks that succeeded before this error, or None."""
        return self.batch.partial if self.batch is not None else None


class TransportError(WeComError):
    """No usable answer from the server: network, timeout, HTTP status or body trouble.

    ``request_sent`` is False when the request certainly never reached the server (the
    connection could not be made), so even a non-idempotent call may be re-sent.
    """

    request_sent: bool = True


class NetworkError(TransportError):
    """Could not connect, or the connection broke (reset, protocol error)."""


class RequestTimeout(TransportError):
    """Timed out while connecting, sending, waiting for the answer, or for a pool slot."""


class HTTPStatusError(TransportError):
    """The server answered with an HTTP status other than 2xx (WeCom itself always sends 200)."""

    def __init__(self, message: str, *, endpoint: str = "", status_code: int = 0) -> None:
        super().__init__(message, endpoint=endpoint)
        self.status_code = status_code


class InvalidResponse(TransportError):
    """A 2xx answer whose body is not a JSON object (a captive portal, a truncated body)."""


_HINT = re.compile(r"hint: \[([^\]]*)\]")


class APIError(WeComError):
    """WeCom answered with ``errcode != 0``.

    ``errcode`` and ``errmsg`` are WeCom's; ``raw`` is the whole JSON answer; ``hint`` is the
    request id WeCom puts in ``errmsg`` (quote it to WeCom support), or ``""``.
    """

    def __init__(
        self, errcode: int, errmsg: str, *, endpoint: str = "", raw: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(f"{endpoint or 'WeCom'}: errcode {errcode}: {errmsg}", endpoint=endpoint)
        self.errcode = errcode
        self.errmsg = errmsg
        self.raw: Mapping[str, Any] = (
            raw if raw is not None else {"errcode": errcode, "errmsg": errmsg}
        )

    @property
    def hint(self) -> str:
        match = _HINT.search(self.errmsg)
        return match.group(1) if match else ""


class TokenError(APIError):
    """The access token or the credentials behind it were refused."""


class RateLimitError(APIError):
    """WeCom's frequency (45009) or concurrency (45033) limit was hit, retries included."""


class ParameterError(APIError):
    """WeCom refused a parameter of the request (the errmsg usually names it)."""


class PermissionDenied(APIError):
    """The app may not make this call, or not on these users, rules or from this IP."""


class SystemBusyError(APIError):
    """WeCom's ``-1 system busy``, still there after the retries."""


# errcode → class. Anything else is a plain APIError. Reference §2 and §17.
TOKEN_ERRCODES = frozenset({40001, 40013, 40014, 40082, 40091, 41001, 41002, 41004, 42001, 42009})
# The codes a fresh token can cure: wechatpy refreshes on exactly these.
REFRESH_ERRCODES = frozenset({40001, 40014, 42001})
RATE_LIMIT_ERRCODES = frozenset({45009, 45033})
BUSY_ERRCODES = frozenset({-1})
PARAMETER_ERRCODES = frozenset(
    {
        40003,
        40004,
        40005,
        40006,
        40007,
        40009,
        40011,
        40031,
        40032,
        40033,
        40035,
        40058,
        40063,
        41006,
        41009,
        44001,
        45001,
        46004,
        60111,
        301016,
        301017,
        301021,
        301023,
        301024,
        301025,  # 审批: a request or control value that does not fit the template
        301063,  # 假期: a bad vacation id or value, or a 不限额 vacation
        301069,
        301072,
        301073,
        301075,
        301079,  # 审批: the 假勤 time overlaps another approval of the person
        301080,
        301081,
        301082,
        301083,
        301086,
        301089,
        301091,
        301093,
        301094,
        301095,
        301097,
        301098,  # 假期: the member is not in the vacation's scope
        301099,
        301101,
        301102,
        301103,
        301104,
        301105,
        301112,  # getapprovalinfo: narrow the time range
        600017,
        830002,
    }
)
PERMISSION_ERRCODES = frozenset(
    {
        48001,
        48002,
        50002,
        60011,
        60020,
        60021,
        301055,  # 审批: no approval rights, or the applicant is outside the app's range
        301056,  # 审批: the approval app is disabled
        301062,  # 假期: no 假勤 rights
        301088,
        301090,
        301092,
    }
)


def api_error(
    errcode: int, errmsg: str, *, endpoint: str = "", raw: Mapping[str, Any] | None = None
) -> APIError:
    """The :class:`APIError` subclass for ``errcode``."""
    cls: type[APIError]
    if errcode in TOKEN_ERRCODES:
        cls = TokenError
    elif errcode in RATE_LIMIT_ERRCODES:
        cls = RateLimitError
    elif errcode in PARAMETER_ERRCODES:
        cls = ParameterError
    elif errcode in PERMISSION_ERRCODES:
        cls = PermissionDenied
    elif errcode in BUSY_ERRCODES:
        cls = SystemBusyError
    else:
        cls = APIError
    return cls(errcode, errmsg, endpoint=endpoint, raw=raw)
