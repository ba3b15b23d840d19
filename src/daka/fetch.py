"""``daka fetch``: any check-in endpoint's answer as JSON or CSV, through the SDK.

Reads go through :mod:`daka.client`, so user lists over 100 and ranges over the endpoint's
span are split and merged, tokens are refreshed and WeCom's rate limits respected. Dates are
local days in ``--tz`` (default Asia/Shanghai, WeCom's). Any other endpoint can be called
with ``--body`` (raw JSON, no batching).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from daka.client import Client
from daka.domain.calendar import day_start
from daka.wire.endpoints import ENDPOINTS

SHANGHAI = ZoneInfo("Asia/Shanghai")


class FetchError(ValueError):
    """The command line asks for something the endpoint cannot do."""


def _need(value: Any, option: str, endpoint: str) -> Any:
    if value is None or value == []:
        raise FetchError(f"{endpoint} needs {option}")
    return value


def fetch(
    client: Client,
    endpoint: str,
    *,
    users: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
    kind: int = 3,
    body: Mapping[str, Any] | None = None,
    tz: ZoneInfo = SHANGHAI,
) -> dict[str, Any]:
    """The raw (merged) JSON answer of ``endpoint`` for the given users and days."""
    if body is not None:
        path = (
            endpoint
            if "/" in endpoint
            else (
                f"hardware/{endpoint}"
                if endpoint == "get_hardware_checkin_data"
                else f"checkin/{endpoint}"
            )
        )
        return client.call(path, body)
    first = since or until
    last = until or since

    def days() -> tuple[date, date]:
        return _need(first, "--since/--until", endpoint), _need(last, "--since/--until", endpoint)

    calls: dict[str, Callable[[], Any]] = {
        "getcorpcheckinoption": client.getcorpcheckinoption,
        "getcheckindata": lambda: client.getcheckindata(
            _need(list(users), "--users", endpoint),
            day_start(days()[0], tz),
            day_start(days()[1] + timedelta(days=1), tz) - 1,
            opencheckindatatype=kind,
        ),
        "getcheckinoption": lambda: client.getcheckinoption(
            day_start(days()[0], tz), _need(list(users), "--users", endpoint)
        ),
        "getcheckin_daydata": lambda: client.getcheckin_daydata(
            _need(list(users), "--users", endpoint),
            day_start(days()[0], tz),
            day_start(days()[1], tz),
        ),
        "getcheckin_monthdata": lambda: client.getcheckin_monthdata(
            _need(list(users), "--users", endpoint),
            day_start(days()[0], tz),
            day_start(days()[1], tz),
        ),
        "getcheckinschedulist": lambda: client.getcheckinschedulist(
            _need(list(users), "--users", endpoint),
            day_start(days()[0], tz),
            day_start(days()[1] + timedelta(days=1), tz) - 1,
        ),
        "get_hardware_checkin_data": lambda: client.get_hardware_checkin_data(
            _need(list(users), "--users", endpoint),
            day_start(days()[0], tz),
            day_start(days()[1] + timedelta(days=1), tz) - 1,
        ),
    }
    call = calls.get(endpoint)
    if call is None:
        raise FetchError(
            f"{endpoint}: not a read endpoint; use --body to send it raw JSON "
            f"(known: {', '.join(sorted(calls))})"
        )
    raw: dict[str, Any] = call().raw
    return raw


def to_json(answer: Mapping[str, Any]) -> str:
    return orjson.dumps(dict(answer), option=orjson.OPT_INDENT_2).decode()


def _list_field(endpoint: str) -> str | None:
    """The list field of the endpoint's answer (the registry's), by path or last segment."""
    path = endpoint.strip("/").removeprefix("cgi-bin/")
    found = ENDPOINTS.get(path) or next(
        (e for e in ENDPOINTS.values() if e.path.rsplit("/", 1)[-1] == path), None
    )
    return found.list_field if found else None


# Fields that carry a Unix time in the answers daka fetch reads (``date`` is the day report's
# 0:00). A day report's ``earliest_time``/``lastest_time`` are seconds after 0:00, not times.
UNIX_TIME_KEYS = frozenset(
    {
        "checkin_time",
        "sch_checkin_time",
        "date",
        "create_time",
        "createtime",
        "update_time",
        "updatetime",
        "apply_time",
        "starttime",
        "endtime",
    }
)


def _iso_times(value: Any, tz: ZoneInfo, key: str = "") -> Any:
    """``value`` with every Unix time under :data:`UNIX_TIME_KEYS` as ISO 8601 in ``tz``."""
    if isinstance(value, dict):
        return {k: _iso_times(v, tz, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_times(v, tz) for v in value]
    if (
        key in UNIX_TIME_KEYS
        and isinstance(value, int)
        and not isinstance(value, bool)
        and value > 0
    ):
        return datetime.fromtimestamp(value, tz).isoformat()
    return value


def to_csv(endpoint: str, answer: Mapping[str, Any], tz: ZoneInfo = SHANGHAI) -> str:
    """The endpoint's list field as CSV: one row per element, nested values as JSON, Unix
    times (``checkin_time`` …) as ISO 8601 in ``tz`` (``2026-11-16T08:55:00+08:00``)."""
    field = _list_field(endpoint)
    if field is None:
        raise FetchError(f"{endpoint}: no list to write as CSV; use --format json")
    items = [_iso_times(i, tz) for i in answer.get(field) or [] if isinstance(i, dict)]
    columns: list[str] = []
    for item in items:
        columns.extend(k for k in item if k not in columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow(
            [
                orjson.dumps(item[c]).decode()
                if isinstance(item.get(c), dict | list)
                else item.get(c, "")
                for c in columns
            ]
        )
    return out.getvalue()
