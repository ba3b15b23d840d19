"""The error tree. Every error carries the WeCom errcode it is reported with.

    DakaError
    ├── AuthError            token and credential failures
    │                        (40001, 40013, 40014, 41001, 41002, 41004, 42001)
    ├── ForbiddenError       48002: the app may not call check-in endpoints
    ├── InvalidParameter     40058: malformed JSON, wrong type, value out of range
    ├── UnknownUser          60111 / 301021: a userid that is not in the corp
    ├── UserListInvalid      301023: useridlist empty or over 100
    ├── TimeRangeInvalid     301024: starttime/endtime missing, reversed or too wide
    ├── CheckinParamInvalid  301083: e.g. a check-in time in the future
    ├── MediaError           40007 (and 40004/40005/40006/41006/44001/45001): media files
    └── RateLimited          45009: the per-minute limit of an endpoint was exceeded

Raise the subclass with a message naming the offending field; the HTTP adapter renders
``{"errcode", "errmsg"}`` from it and nothing else builds error bodies.
"""

from __future__ import annotations


class DakaError(Exception):
    """Root of every error daka reports on the wire."""

    errcode: int = -1
    default_message: str = "system busy"

    def __init__(self, message: str | None = None, *, errcode: int | None = None) -> None:
        self.message = message or self.default_message
        if errcode is not None:
            self.errcode = errcode
        super().__init__(self.message)


class AuthError(DakaError):
    errcode = 40014
    default_message = "invalid access_token"


class ForbiddenError(DakaError):
    errcode = 48002
    default_message = "api forbidden"


class InvalidParameter(DakaError):
    errcode = 40058
    default_message = "invalid parameter"


class UnknownUser(DakaError):
    errcode = 60111
    default_message = "userid not found"


class UserListInvalid(DakaError):
    errcode = 301023
    default_message = "userlist is over threshold"


class TimeRangeInvalid(DakaError):
    errcode = 301024
    default_message = "invalid time range"


class CheckinParamInvalid(DakaError):
    errcode = 301083
    default_message = "invalid checkin param"


class MediaError(DakaError):
    errcode = 40007
    default_message = "invalid media_id"


class RateLimited(DakaError):
    errcode = 45009
    default_message = "api freq out of limit"
