"""The access log: one line per request, written when the answer has been sent.

    POST /cgi-bin/checkin/getcheckindata?access_token=*** 200 errcode=40058 3.1ms hint=1795…

The errcode and hint are read from the answer itself (the envelope's ``Error-Code`` and
``Error-Msg`` headers; a success carries neither), so the log says what the client was told.
Secrets never reach it: the values of ``access_token`` and ``corpsecret`` are replaced by
``***``. The path and query are the client's, so they are escaped and bounded like ``Error-Msg``.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import IO
from urllib.parse import unquote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from daka.api.envelope import printable
from daka.wire.endpoints import SERVED

log = logging.getLogger("daka.access")

SECRET_PARAMS = frozenset({"access_token", "corpsecret"})
MAX_TARGET_CHARS = 300
_HINT = re.compile(r"hint: \[(\d*)\]")
_SERVED_URLS = frozenset(e.url for e in SERVED.values())


class AccessLog:
    """ASGI middleware logging each HTTP request to ``daka.access`` at INFO."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        answer: dict[str, str] = {"status": "-", "errcode": "-", "hint": "-"}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.update(_answer(scope, message))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            log.info(
                "%s %s %s errcode=%s %.1fms hint=%s",
                scope["method"],
                target(scope),
                answer["status"],
                answer["errcode"],
                elapsed_ms,
                answer["hint"],
            )


def _answer(scope: Scope, start: Message) -> dict[str, str]:
    headers = {k.lower(): v for k, v in start.get("headers", ())}
    status = int(start["status"])
    errcode = headers.get(b"error-code")
    if errcode is not None:
        hints = _HINT.findall(headers.get(b"error-msg", b"").decode("latin-1"))
        # The hint is the envelope's own, the last one: a client's text may quote another.
        return {
            "status": str(status),
            "errcode": errcode.decode("latin-1"),
            "hint": hints[-1] if hints and hints[-1] else "-",
        }
    # A success answer of a WeCom endpoint (JSON or media bytes) carries no Error-Code.
    served = status in (200, 206) and scope["path"] in _SERVED_URLS
    return {"status": str(status), "errcode": "0" if served else "-"}


def target(scope: Scope) -> str:
    """The request's path and query, secrets masked, escaped and bounded."""
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        query = "&".join(_mask(part) for part in query.split("&"))
    text = str(scope["path"]) + (f"?{query}" if query else "")
    return printable(text, limit=MAX_TARGET_CHARS)


def _mask(part: str) -> str:
    name = part.partition("=")[0]
    return f"{name}=***" if unquote_plus(name) in SECRET_PARAMS else part


def configure(stream: IO[str] | None = None) -> None:
    """Send the access log to ``stream`` (stdout): rich's handler on a terminal, plain text
    otherwise (a file, a pipe, journald), so log collectors see no colour codes."""
    stream = stream or sys.stdout
    handler: logging.Handler
    if stream.isatty():
        from rich.console import Console
        from rich.logging import RichHandler

        handler = RichHandler(console=Console(file=stream), show_path=False, markup=False)
    else:
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
