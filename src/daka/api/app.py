"""The ASGI app: WeCom's ``/cgi-bin/`` wire over the service layer.

Handlers are thin: hand the token and raw body to the service, render its answer. Bodies are
read as JSON whatever the Content-Type (wechatpy sends none), and an empty body is ``{}``.
The media endpoints take a multipart body and answer raw bytes (see :mod:`daka.api.media`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from daka.api.envelope import error, ok
from daka.api.media import media_response, receive_media
from daka.domain.errors import ApiUnauthorized, DakaError, InvalidParameter
from daka.services.media import check_type
from daka.services.service import Service

log = logging.getLogger("daka.api")

# The list field each endpoint answers with, present and empty on errors.
LIST_FIELDS: dict[str, str | None] = {
    "checkin/add_checkin_record": None,
    "checkin/getcheckindata": "checkindata",
    "checkin/getcheckinoption": "info",
    "checkin/getcorpcheckinoption": "group",
    "checkin/addcheckinuserface": None,
    "hardware/get_hardware_checkin_data": "checkindata",
    "checkin/add_checkin_option": None,
    "checkin/update_checkin_option": None,
    "checkin/clear_checkin_option_array_field": None,
    "checkin/del_checkin_option": None,
    "checkin/getcheckinschedulist": "schedule_list",
    "checkin/setcheckinschedulist": None,
    "checkin/punch_correction": None,
}


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


Endpoint = Callable[[Request], Awaitable[Response]]


def enveloped(name: str, empty_fields: tuple[str, ...] = ()) -> Callable[[Endpoint], Endpoint]:
    """Answer any error of a handler in WeCom's envelope (with its list field present, empty).

    Never a bare 500: an unexpected failure is logged and answered with WeCom's "system busy"
    (-1), which clients retry.
    """

    def wrap(handler: Endpoint) -> Endpoint:
        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except DakaError as exc:
                return error(exc, _client_ip(request), empty_fields)
            except Exception:
                log.exception("unexpected error on %s", name)
                return error(DakaError(), _client_ip(request), empty_fields)

        return handle

    return wrap


def _checkin_route(endpoint: str, list_field: str | None) -> Route:
    @enveloped(endpoint, (list_field,) if list_field else ())
    async def handle(request: Request) -> Response:
        service: Service = request.app.state.service
        if request.method != "POST":
            raise InvalidParameter(f"invalid parameter: {endpoint} takes POST")
        body = await request.body()
        payload = await run_in_threadpool(
            service.call, endpoint, request.query_params.get("access_token"), body
        )
        return ok(payload)

    return Route(f"/cgi-bin/{endpoint}", handle, methods=["GET", "POST"])


# Contact reads (GET, query parameters) and the list field each answers with.
CONTACT_LIST_FIELDS: dict[str, str | None] = {
    "department/list": "department",
    "user/simplelist": "userlist",
    "user/list": "userlist",
    "tag/list": "taglist",
    "tag/get": "userlist",
}


def _contact_route(endpoint: str, list_field: str | None) -> Route:
    @enveloped(endpoint, (list_field,) if list_field else ())
    async def handle(request: Request) -> Response:
        service: Service = request.app.state.service
        params = dict(request.query_params)
        payload = await run_in_threadpool(
            service.read_contacts, endpoint, params.pop("access_token", None), params
        )
        return ok(payload)

    return Route(f"/cgi-bin/{endpoint}", handle, methods=["GET"])


@enveloped("gettoken")
async def gettoken(request: Request) -> Response:
    service: Service = request.app.state.service
    token, expires_in = await run_in_threadpool(
        service.get_token,
        request.query_params.get("corpid"),
        request.query_params.get("corpsecret"),
    )
    return ok({"access_token": token, "expires_in": expires_in})


@enveloped("media/upload")
async def media_upload(request: Request) -> Response:
    """media/upload: token (41001/40014/42001), then ``type`` (40005), then the body."""
    service: Service = request.app.state.service
    params = request.query_params
    if request.method != "POST":
        raise InvalidParameter("invalid parameter: media/upload takes POST")
    caller = await run_in_threadpool(service.general_caller, params.get("access_token"),
                                     "media/upload")
    media_type = check_type(params.get("type"))
    spool = await run_in_threadpool(service.media_files.spool)
    try:
        received = await receive_media(request, media_type, spool)
        payload = await run_in_threadpool(service.upload_media, caller, media_type,
                                          received.filename, spool, received.size)
    except ClientDisconnect:
        log.info("media/upload: the client went away mid-body")
        raise DakaError() from None
    finally:
        await run_in_threadpool(spool.close)
    return ok(payload, errmsg="")  # WeCom's example answers errmsg ""


@enveloped("media/get")
async def media_get(request: Request) -> Response:
    """media/get: the raw bytes (200/206/416), or a JSON error (41006, 40007, token errors)."""
    service: Service = request.app.state.service
    params = request.query_params
    if request.method not in ("GET", "HEAD"):
        raise InvalidParameter("invalid parameter: media/get takes GET")
    download = await run_in_threadpool(service.get_media, params.get("access_token"),
                                       params.get("media_id"))
    return media_response(download, request.headers.get("range"))


@enveloped("api/explain")
async def explain(request: Request) -> Response:
    """Not a WeCom path: why each row of a user-day is what it is (access_token required)."""
    service: Service = request.app.state.service
    params = request.query_params
    payload = await run_in_threadpool(service.explain, params.get("access_token"),
                                      params.get("userid"), params.get("date"))
    return ok(payload)


async def healthz(request: Request) -> Response:
    service: Service = request.app.state.service
    await run_in_threadpool(service.ping)
    return PlainTextResponse("ok")


async def unknown_api(request: Request) -> Response:
    return error(ApiUnauthorized(), _client_ip(request))


def create_app(service: Service, on_startup: Callable[[], None] | None = None) -> Starlette:
    """The ASGI app serving ``service``. ``on_startup`` runs before the first request."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if on_startup is not None:
            await run_in_threadpool(on_startup)
        yield

    routes = [
        Route("/cgi-bin/gettoken", gettoken, methods=["GET"]),
        *(_checkin_route(name, field) for name, field in LIST_FIELDS.items()),
        *(_contact_route(name, field) for name, field in CONTACT_LIST_FIELDS.items()),
        Route("/cgi-bin/media/upload", media_upload, methods=["GET", "POST"]),
        Route("/cgi-bin/media/get", media_get, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/explain", explain, methods=["GET"]),
        Route("/cgi-bin/{path:path}", unknown_api, methods=["GET", "POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.service = service
    return app
