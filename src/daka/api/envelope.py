"""WeCom's response envelope: the only code that builds response bodies.

Errors are HTTP 200 with ``{"errcode", "errmsg", <list field>: []}`` and ``Error-Code`` /
``Error-Msg`` headers, the errmsg shaped like WeCom's:
``<text>, hint: [<request id>], from ip: <ip>, more info at <url>``.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import orjson
from starlette.responses import Response

from daka.domain.errors import DakaError

MORE_INFO = "https://open.work.weixin.qq.com/devtool/query?e="
JSON_TYPE = "application/json; charset=UTF-8"


def request_id() -> str:
    """A 25-digit hint beginning with the Unix time, like WeCom's newer hints."""
    return f"{int(time.time())}{secrets.randbelow(10**15):015d}"


def ok(payload: dict[str, Any], errmsg: str = "ok") -> Response:
    """Success; ``errmsg`` is "ok" except where WeCom's own example shows "" (media/upload)."""
    body = {"errcode": 0, "errmsg": errmsg, **payload}
    return Response(orjson.dumps(body), media_type=JSON_TYPE)


def error(exc: DakaError, client_ip: str, empty_fields: tuple[str, ...] = ()) -> Response:
    errmsg = (
        f"{exc.message}, hint: [{request_id()}], from ip: {client_ip}, "
        f"more info at {MORE_INFO}{exc.errcode}"
    )
    body: dict[str, Any] = {"errcode": exc.errcode, "errmsg": errmsg}
    for name in empty_fields:
        body[name] = []
    # Header values must be latin-1; escape anything else (e.g. a Chinese userid).
    header_msg = errmsg.encode("ascii", "backslashreplace").decode("ascii")
    return Response(
        orjson.dumps(body),
        media_type=JSON_TYPE,
        headers={"Error-Code": str(exc.errcode), "Error-Msg": header_msg},
    )
