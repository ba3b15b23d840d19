"""The console's routes, sign-in and sign-out, mounted at ``/console`` by the API app."""

from __future__ import annotations

import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from daka.console import (
    acting,
    day_page,
    downloads,
    month_pages,
    punch_pages,
    report_pages,
    setup_pages,
    today,
)
from daka.console.i18n import LANGUAGES, translator
from daka.console.web import (
    HERE,
    LANG_COOKIE,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Context,
    LoginThrottle,
    client_address,
    csrf_ok,
    language,
    page,
    read_form,
    refusal,
    render,
    safe_next,
    secure,
)
from daka.services.admins import SignInRefused, current_session, sign_in, sign_out
from daka.services.service import Service


def _login_form(
    request: Request, error: str = "", status: int = 200, username: str = "", corpid: str = ""
) -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        {
            "login_csrf": token,
            "error": error,
            "next": safe_next(request.query_params.get("next")),
            "username": username,
            "corpid": corpid,
        },
        status,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=secure(request),
        path="/console",
    )
    return response


async def login_page(request: Request) -> Response:
    return _login_form(request)


def _corp_id(service: Service, corpid: str) -> int | None:
    with service.store.read() as conn:
        if corpid:
            corp = service.store.corp_by_corpid(conn, corpid)
            return corp.id if corp is not None else None
        corps = service.store.corps(conn)
    return corps[0].id if len(corps) == 1 else None


async def login(request: Request) -> Response:
    service: Service = request.app.state.service
    throttle: LoginThrottle = request.app.state.console_throttle
    t = translator(language(request))
    form = await read_form(request)
    if not csrf_ok(request, form, request.cookies.get(LOGIN_COOKIE, "")):
        return refusal(request, "csrf", 403)
    username = str(form.get("username") or "")[:64]
    corpid = str(form.get("corpid") or "").strip()[:64]
    password = str(form.get("password") or "")[:1024]
    address = client_address(request)
    if not throttle.allowed(address):
        return _login_form(request, t("throttled"), 429, username, corpid)
    corp_id = await run_in_threadpool(_corp_id, service, corpid)
    now = service.now()
    try:
        if corp_id is None:
            raise SignInRefused()
        session, token = await run_in_threadpool(
            sign_in, service.store, corp_id, username, password, now
        )
    except SignInRefused as refused:
        throttle.failed(address)
        if refused.locked_until:
            minutes = max(1, (refused.locked_until - now + 59) // 60)
            return _login_form(request, t("locked", minutes=minutes), 403, username, corpid)
        return _login_form(request, t("bad_login"), 401, username, corpid)
    response = RedirectResponse(safe_next(str(form.get("next") or "")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=secure(request),
        path="/console",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/console")
    return response


async def logout(request: Request) -> Response:
    service: Service = request.app.state.service
    form = await read_form(request)
    token = request.cookies.get(SESSION_COOKIE)
    session = await run_in_threadpool(current_session, service.store, token, service.now())
    if session is not None and not csrf_ok(request, form, session.csrf):
        return refusal(request, "csrf", 403)
    await run_in_threadpool(sign_out, service.store, token)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


async def switch_language(request: Request) -> Response:
    """Set the language cookie (a preference in the browser only) and go back."""
    lang = request.query_params.get("to", "")
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 86_400, samesite="lax", path="/console"
        )
    return response


@page
async def home(request: Request, ctx: Context) -> Response:
    return RedirectResponse("/console/today", status_code=303)


def console_routes() -> list[BaseRoute]:
    """Every route under ``/console``."""
    return [
        Mount(
            "/console",
            routes=[
                Route("/", home),
                Route("/login", login_page, methods=["GET"]),
                Route("/login", login, methods=["POST"]),
                Route("/logout", logout, methods=["POST"]),
                Route("/lang", switch_language, methods=["GET"]),
                Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
                Route("/media/{media_id}", downloads.media, methods=["GET"]),
                Route("/today", today.today_page, methods=["GET"]),
                Route("/punches", punch_pages.punches_page, methods=["GET"]),
                Route("/punches.{fmt:str}", downloads.punches_export, methods=["GET"]),
                Route("/month", month_pages.month_grid, methods=["GET"]),
                Route("/days", report_pages.days_table, methods=["GET"]),
                Route("/trends", report_pages.trends_page, methods=["GET"]),
                Route("/month.{fmt:str}", downloads.month_export, methods=["GET"]),
                Route("/days.{fmt:str}", downloads.day_export, methods=["GET"]),
                Route("/day/{userid}/{day}", day_page.day_page, methods=["GET"]),
                Route("/day/{userid}/{day}/correction", acting.correct_day, methods=["POST"]),
                Route("/approvals", acting.approvals_page, methods=["GET"]),
                Route("/approvals/new", acting.new_approval_page, methods=["GET"]),
                Route("/approvals/new", acting.file_approval, methods=["POST"]),
                Route("/approvals/{sp_no}/{verb}", acting.act_on_approval, methods=["POST"]),
                Route("/person/{userid}", acting.person_page, methods=["GET"]),
                Route("/people", setup_pages.directory_page, methods=["GET"]),
                Route("/rules", setup_pages.rules_page, methods=["GET"]),
                Route("/rules/{groupid}/schedule", setup_pages.schedule_page, methods=["GET"]),
                Route("/rules/{groupid}/schedule", setup_pages.save_schedule, methods=["POST"]),
                Route("/holidays", setup_pages.holidays_page, methods=["GET"]),
                Route("/holidays", setup_pages.load_holidays, methods=["POST"]),
                Route("/audit", setup_pages.audit_page, methods=["GET"]),
                Route("/person/{userid}/balance", acting.set_balance, methods=["POST"]),
            ],
        )
    ]
