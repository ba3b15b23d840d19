"""The ASGI app: WeCom's ``/cgi-bin/`` wire over the service layer.

Handlers are thin: authenticate, decode the body, call one service method, render. Bodies are
read as JSON whatever the Content-Type (wechatpy sends none), and an empty body is ``{}``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from daka.api.envelope import error, ok
from daka.domain.errors import DakaError, ForbiddenError, InvalidParameter
from daka.services.service import Caller, Service

log = logging.getLogger("daka.api")

Handler = Callable[[Service, Caller, Any], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A check-in endpoint: its service method and the list field it answers with."""

    name: str
    handler: Handler
    list_field: str | None


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("checkin/add_checkin_record", Service.add_checkin_record, None),
    Endpoint("checkin/getcheckindata", Service.get_checkin_data, "checkindata"),
    Endpoint("checkin/getcheckinoption", Service.get_checkin_option, "info"),
    Endpoint("checkin/getcorpcheckinoption", Service.get_corp_checkin_option, "group"),
)


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def decode_body(raw: bytes) -> Any:
    """A POST body as JSON; empty means ``{}``; anything unparsable is 40058."""
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidParameter("invalid json: Warning: wrong json format.") from None


def _checkin_route(endpoint: Endpoint) -> Route:
    empty = (endpoint.list_field,) if endpoint.list_field else ()

    async def handle(request: Request) -> Response:
        service: Service = request.app.state.service
        ip = _client_ip(request)
        try:
            if request.method != "POST":
                raise InvalidParameter(f"invalid parameter: {endpoint.name} takes POST")
            token = request.query_params.get("access_token")
            caller = await run_in_threadpool(service.checkin_caller, token, endpoint.name)
            body = decode_body(await request.body())
            payload = await run_in_threadpool(endpoint.handler, service, caller, body)
        except DakaError as exc:
            return error(exc, ip, empty)
        return ok(payload)

    return Route(f"/cgi-bin/{endpoint.name}", handle, methods=["GET", "POST"])


async def gettoken(request: Request) -> Response:
    service: Service = request.app.state.service
    try:
        token, expires_in = await run_in_threadpool(
            service.get_token,
            request.query_params.get("corpid"),
            request.query_params.get("corpsecret"),
        )
    except DakaError as exc:
        return error(exc, _client_ip(request))
    return ok({"access_token": token, "expires_in": expires_in})


async def healthz(request: Request) -> Response:
    service: Service = request.app.state.service
    await run_in_threadpool(service.ping)
    return PlainTextResponse("ok")


async def unknown_api(request: Request) -> Response:
    return error(ForbiddenError("api unauthorized", errcode=48001), _client_ip(request))


def create_app(service: Service, on_startup: Callable[[], None] | None = None) -> Starlette:
    """The ASGI app serving ``service``. ``on_startup`` runs before the first request."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if on_startup is not None:
            await run_in_threadpool(on_startup)
        yield

    routes = [
        Route("/cgi-bin/gettoken", gettoken, methods=["GET"]),
        *(_checkin_route(e) for e in ENDPOINTS),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/cgi-bin/{path:path}", unknown_api, methods=["GET", "POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.service = service
    return app
