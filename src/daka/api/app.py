"""The ASGI app: WeCom's ``/cgi-bin/`` wire over the service layer.

Every route comes from the endpoint registry (:mod:`daka.wire.endpoints`); the row's body kind
picks the adapter. Adapters are thin: hand the token and the raw body (or the query) to the
service, render its answer. Bodies are read as JSON whatever the Content-Type (wechatpy sends
none), and an empty body is ``{}``. The media endpoints take a multipart body and answer raw
bytes (see :mod:`daka.api.media`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, request_response
from starlette.types import Receive, Scope, Send

from daka.api.accesslog import AccessLog
from daka.api.envelope import error, ok
from daka.api.media import media_response, receive_media
from daka.console.app import console_routes
from daka.console.web import LoginThrottle, SecurityHeaders
from daka.domain.errors import DakaError, InvalidParameter
from daka.services.media import check_type
from daka.services.report_memo import ReportMemo
from daka.services.service import Service, not_served
from daka.wire.endpoints import SERVED, Body, Endpoint

log = logging.getLogger("daka.api")

Handler = Callable[[Request], Awaitable[Response]]
Adapter = Callable[[Request, Endpoint], Awaitable[Response]]


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def enveloped(endpoint: Endpoint, adapter: Adapter) -> Handler:
    """``adapter`` for ``endpoint``, answering any error in WeCom's envelope (with the list
    field present, empty).

    Never a bare 500: an unexpected failure is logged and answered with WeCom's "system busy"
    (-1), which clients retry.
    """

    async def handle(request: Request) -> Response:
        try:
            if request.method not in endpoint.methods:
                # WeCom answers a GET on a POST API with 40058, not an HTTP 405.
                raise InvalidParameter(
                    f"invalid parameter: {endpoint.path} takes {endpoint.methods[0]}"
                )
            return await adapter(request, endpoint)
        except DakaError as exc:
            return error(exc, _client_ip(request), endpoint.empty_fields)
        except Exception:
            log.exception("unexpected error on %s", endpoint.path)
            return error(DakaError(), _client_ip(request), endpoint.empty_fields)

    return handle


# No WeCom request comes near this (200 records, a 1 MB face, a rule of 500 places and 500
# Wi-Fis are each well under 4 MB); a larger body is refused before it is held in memory.
MAX_JSON_BODY_BYTES = 16 * 1024 * 1024


async def read_body(request: Request) -> bytes:
    """The request body, refused (40058) as soon as it passes :data:`MAX_JSON_BODY_BYTES`."""
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_JSON_BODY_BYTES:
                raise InvalidParameter(
                    f"invalid json: the body is over {MAX_JSON_BODY_BYTES} bytes"
                )
            chunks.append(chunk)
    except ClientDisconnect:
        log.info("%s: the client went away mid-body", request.url.path)
        raise DakaError() from None
    return b"".join(chunks)


async def json_call(request: Request, endpoint: Endpoint) -> Response:
    """A POST endpoint with a JSON body."""
    service: Service = request.app.state.service
    body = await read_body(request)
    return ok(
        await run_in_threadpool(
            service.call, endpoint.path, request.query_params.get("access_token"), body
        )
    )


async def query_call(request: Request, endpoint: Endpoint) -> Response:
    """A GET endpoint on its query parameters (gettoken, contact reads, /api/explain)."""
    service: Service = request.app.state.service
    return ok(await run_in_threadpool(service.query, endpoint.path, dict(request.query_params)))


async def media_upload(request: Request, endpoint: Endpoint) -> Response:
    """media/upload: token (41001/40014/42001), then ``type`` (40005), then the body."""
    service: Service = request.app.state.service
    params = request.query_params
    caller = await run_in_threadpool(
        service.general_caller, params.get("access_token"), endpoint.path
    )
    media_type = check_type(params.get("type"))
    spool = await run_in_threadpool(service.media_files.spool)
    try:
        received = await receive_media(request, media_type, spool)
        payload = await run_in_threadpool(
            service.upload_media, caller, media_type, received.filename, spool, received.size
        )
    except ClientDisconnect:
        log.info("media/upload: the client went away mid-body")
        raise DakaError() from None
    finally:
        await run_in_threadpool(spool.close)
    return ok(payload, errmsg="")  # WeCom's example answers errmsg ""


async def media_get(request: Request, endpoint: Endpoint) -> Response:
    """media/get: the raw bytes (200/206/416), or a JSON error (41006, 40007, token errors)."""
    service: Service = request.app.state.service
    params = request.query_params
    download = await run_in_threadpool(
        service.get_media, params.get("access_token"), params.get("media_id")
    )
    return media_response(download, request.headers.get("range"))


ADAPTERS: dict[Body, Adapter] = {
    Body.JSON: json_call,
    Body.QUERY: query_call,
    Body.MULTIPART: media_upload,
    Body.RAW: media_get,
}


class AnyMethod:
    """An endpoint's handler as an ASGI app, which a Route runs for every method (PUT, DELETE,
    OPTIONS, made-up ones…), so that a wrong one is answered 40058 in the envelope rather than
    a bare 405 by Starlette (a plain function would be a GET-only route)."""

    def __init__(self, handler: Handler) -> None:
        self.app = request_response(handler)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


async def healthz(request: Request) -> Response:
    service: Service = request.app.state.service
    await run_in_threadpool(service.ping)
    return PlainTextResponse("ok")


async def unmatched(scope: Scope, receive: Receive, send: Send) -> None:
    """What no route matched: 48001 under ``/cgi-bin/`` (whatever the path holds, CR and LF
    too, which a path route does not match), a plain 404 elsewhere."""
    response: Response
    if scope["type"] == "http" and str(scope["path"]).startswith("/cgi-bin/"):
        response = error(not_served(scope["path"]), _client_ip(Request(scope)))
    else:
        response = PlainTextResponse("Not Found", status_code=404)
    await response(scope, receive, send)


def create_app(service: Service, on_startup: Callable[[], None] | None = None) -> Starlette:
    """The ASGI app serving ``service``. ``on_startup`` runs before the first request."""

    memo = ReportMemo()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if on_startup is not None:
            await run_in_threadpool(on_startup)
        try:
            yield
        finally:
            memo.close()
            service.close()

    routes = [
        *(Route(e.url, AnyMethod(enveloped(e, ADAPTERS[e.body]))) for e in SERVED.values()),
        Route("/healthz", healthz, methods=["GET"]),
        *console_routes(),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.router.default = unmatched
    app.add_middleware(AccessLog)
    app.add_middleware(SecurityHeaders)
    app.state.service = service
    app.state.console_throttle = LoginThrottle(service.clock)
    app.state.report_memo = memo
    return app
