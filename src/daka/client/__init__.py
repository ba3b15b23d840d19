"""daka.client: a Python SDK for WeCom's (企业微信) check-in API.

``Client`` (blocking) and ``AsyncClient`` (asyncio / trio) share one sans-I/O core and speak
to WeCom itself (``https://qyapi.weixin.qq.com``, the default) or to a daka server. One
method per endpoint, named after it; tokens, batching, rate limits and retries are handled.
See docs/client.md. It imports nothing else from daka but the standard-library endpoint
table :mod:`daka.wire.endpoints`, so it works on its own.

    >>> from daka.client import Client
    >>> with Client("wwcorpid", "secret", base_url="http://127.0.0.1:8000") as wecom:
    ...     rules = wecom.getcorpcheckinoption().group
"""

from daka.client._async import AsyncClient
from daka.client._batching import Chunk
from daka.client._core import DEFAULT_BASE_URL
from daka.client._errors import (
    APIError,
    BatchProgress,
    HTTPStatusError,
    InvalidResponse,
    NetworkError,
    ParameterError,
    PermissionDenied,
    RateLimitError,
    RequestTimeout,
    SystemBusyError,
    TokenError,
    TransportError,
    WeComError,
)
from daka.client._models import (
    AccessToken,
    Ack,
    CheckinDataResult,
    CheckinOptionResult,
    CheckinRecord,
    CheckinRule,
    CorpCheckinOptionResult,
    DayDataResult,
    DayReport,
    Department,
    DepartmentListResult,
    HardwareCheckinDataResult,
    HardwarePunch,
    Media,
    MediaUpload,
    Member,
    MonthDataResult,
    MonthReport,
    ReportException,
    RuleRange,
    ScheduleDay,
    ScheduleListResult,
    Tag,
    TagListResult,
    TagMembersResult,
    UserCheckinOption,
    UserListResult,
    UserSchedule,
)
from daka.client._ratelimit import DEFAULT_RATE_LIMITS
from daka.client._sync import Client

__all__ = [
    "AccessToken",
    "Ack",
    "APIError",
    "AsyncClient",
    "BatchProgress",
    "CheckinDataResult",
    "CheckinOptionResult",
    "CheckinRecord",
    "CheckinRule",
    "Chunk",
    "Client",
    "CorpCheckinOptionResult",
    "DayDataResult",
    "DayReport",
    "DEFAULT_BASE_URL",
    "DEFAULT_RATE_LIMITS",
    "Department",
    "DepartmentListResult",
    "HardwareCheckinDataResult",
    "HardwarePunch",
    "HTTPStatusError",
    "InvalidResponse",
    "Media",
    "MediaUpload",
    "Member",
    "MonthDataResult",
    "MonthReport",
    "NetworkError",
    "ParameterError",
    "PermissionDenied",
    "RateLimitError",
    "ReportException",
    "RequestTimeout",
    "RuleRange",
    "ScheduleDay",
    "ScheduleListResult",
    "SystemBusyError",
    "Tag",
    "TagListResult",
    "TagMembersResult",
    "TokenError",
    "TransportError",
    "UserCheckinOption",
    "UserListResult",
    "UserSchedule",
    "WeComError",
]
