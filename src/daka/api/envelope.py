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

# WeCom's own messages are a few dozen characters; these bounds only ever cut quoted input.
MAX_MESSAGE_CHARS = 200
MAX_HEADER_BYTES = 512
ELLIPSIS = "…"
ELLIPSIS_ASCII = "..."


def request_id() -> str:
    """A 25-digit hint beginning with the Unix time, like WeCom's newer hints."""
    return f"{int(time.time())}{secrets.randbelow(10**15):015d}"


def ok(payload: dict[str, Any], errmsg: str = "ok") -> Response:
    """Success; ``errmsg`` is "ok" except where WeCom's own example shows "" (media/upload)."""
    body = {"errcode": 0, "errmsg": errmsg, **payload}
    return Response(orjson.dumps(body), media_type=JSON_TYPE)


def error(exc: DakaError, client_ip: str, empty_fields: tuple[str, ...] = ()) -> Response:
    """The error answer: WeCom's body, and the same errmsg in the ``Error-Msg`` header.

    The message names the field first, so bounding it keeps the name: the body's message part
    is at most MAX_MESSAGE_CHARS characters (a 1 MB userid is quoted, not echoed), and the
    header is at most MAX_HEADER_BYTES of printable ASCII, because a header holding CR, LF or
    NUL is refused by uvicorn (the connection closes with no answer) and a 1 MB header is more
    than HTTP clients read. The hint, ip and errcode are never cut.
    """
    suffix = (
        f", hint: [{request_id()}], from ip: {client_ip}, more info at {MORE_INFO}{exc.errcode}"
    )
    errmsg = printable(exc.message, limit=MAX_MESSAGE_CHARS, unicode=True) + suffix
    body: dict[str, Any] = {"errcode": exc.errcode, "errmsg": errmsg}
    for name in empty_fields:
        body[name] = []
    header_suffix = printable(suffix)
    header_msg = printable(exc.message, limit=MAX_HEADER_BYTES - len(header_suffix))
    return Response(
        orjson.dumps(body),
        media_type=JSON_TYPE,
        headers={"Error-Code": str(exc.errcode), "Error-Msg": header_msg + header_suffix},
    )


def printable(text: str, *, limit: int | None = None, unicode: bool = False) -> str:
    """``text`` with control characters and lone surrogates escaped (``\\x1b``, ``\\r``,
    ``\\n``, ``\\ud800``) and, unless ``unicode``, every other non-ASCII character too
    (``\\u4e2d``); cut to at most ``limit`` characters with an ellipsis, never inside an escape.
    """
    if limit is None:
        return "".join(_escape(c, unicode) for c in text)
    pieces = [_escape(c, unicode) for c in text[: limit + 1]]  # a char is at least one
    if len(text) <= limit and sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    ellipsis = ELLIPSIS if unicode else ELLIPSIS_ASCII
    kept: list[str] = []
    room = limit - len(ellipsis)
    for piece in pieces:
        if len(piece) > room:
            break
        kept.append(piece)
        room -= len(piece)
    return "".join(kept) + ellipsis


def _escape(char: str, unicode: bool) -> str:
    if " " <= char <= "~" or (unicode and char >= "\xa0" and not "\ud800" <= char <= "\udfff"):
        return char
    return char.encode("unicode_escape").decode("ascii")
