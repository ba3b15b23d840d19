"""What every console page shares: the session, CSRF, language, rendering, security headers.

A page handler is ``async def handler(request, ctx) -> Response``, wrapped by :func:`page`
(signed in, any role) or :func:`action` (signed in, may act, POST with a valid CSRF token).
Blocking work (the database, evaluation) runs in the thread pool.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from daka.console.i18n import DEFAULT, LANGUAGES, translator
from daka.domain.admins import Admin, visible_departments, visible_users
from daka.services.admins import Session, current_session
from daka.services.corpview import CorpView
from daka.services.service import Service

HERE = Path(__file__).parent
SESSION_COOKIE = "daka_session"
LOGIN_COOKIE = "daka_login"  # the login form's CSRF token (double submit: no session yet)
LANG_COOKIE = "daka_lang"
MAX_FORM_BYTES = 1024 * 1024

# No inline script or style anywhere: the CSP allows only what daka itself serves.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}

env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS`, no-store and Server-Timing to every answer under
    ``/console/``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith("/console"):
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                # How long the server took, for the console benchmark (and browsers' devtools).
                spent = (time.perf_counter() - started) * 1000
                headers.append((b"server-timing", f"app;dur={spent:.1f}".encode()))
                names = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in names:
                        headers.append((name.encode(), value.encode()))
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoginThrottle:
    """At most ``limit`` failed sign-ins per client address in ``window`` seconds (per
    process; the per-account lock-out is in the database and holds across processes)."""

    def __init__(self, clock: Callable[[], float], limit: int = 20, window: float = 600.0) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str) -> deque[float]:
        now = self.clock()
        q = self._failures.setdefault(address, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def allowed(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address)) < self.limit

    def failed(self, address: str) -> None:
        with self._lock:
            self._recent(address).append(self.clock())
            if len(self._failures) > 10_000:  # forget idle addresses rather than grow
                for key in [k for k, q in self._failures.items() if not q]:
                    del self._failures[key]


@dataclass
class Context:
    """A signed-in request: who, in which corp view, in which language."""

    request: Request
    service: Service
    session: Session
    view: CorpView
    lang: str
    now: int

    @property
    def admin(self) -> Admin:
        return self.session.admin

    def t(self, key: str, **values: object) -> str:
        return translator(self.lang)(key, **values)

    def people(self) -> list[str]:
        """Everyone this account may see, in directory order (a copy: callers filter it)."""
        return list(self._people)

    def departments(self) -> frozenset[int]:
        return self._departments

    @cached_property
    def _people(self) -> tuple[str, ...]:
        return tuple(visible_users(self.admin, self.view.users, self.view.departments))

    @cached_property
    def _departments(self) -> frozenset[int]:
        return visible_departments(self.admin, self.view.departments)

    def clock(self, ts: int) -> str:
        """``HH:MM`` of a Unix time in the corp's zone."""
        return datetime.fromtimestamp(ts, self.view.tz).strftime("%H:%M")

    def stamp(self, ts: int) -> str:
        """``YYYY-MM-DD HH:MM:SS`` of a Unix time in the corp's zone."""
        return datetime.fromtimestamp(ts, self.view.tz).strftime("%Y-%m-%d %H:%M:%S")

    def names(self, userids: Iterable[str]) -> dict[str, str]:
        return {u: self.view.users[u].name for u in userids if u in self.view.users}

    def may_see(self, userid: str) -> bool:
        if userid not in self.view.users:
            return False
        if not self.admin.scoped:
            return True
        seen = self.departments()
        return any(d in seen for d in self.view.users[userid].department_ids)


def person_day(request: Request, ctx: Context) -> tuple[str, date] | None:
    """The person and day a URL names, if the account may see that person."""
    userid = request.path_params["userid"]
    try:
        day = date.fromisoformat(request.path_params["day"])
    except ValueError:
        return None
    return (userid, day) if ctx.may_see(userid) else None


def language(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, DEFAULT)
    return lang if lang in LANGUAGES else DEFAULT


def render(
    request: Request, template: str, values: dict[str, Any], status: int = 200
) -> HTMLResponse:
    lang = language(request)
    body = env.get_template(template).render(
        t=translator(lang), lang=lang, path=request.url.path, query=str(request.url.query), **values
    )
    return HTMLResponse(body, status_code=status)


def page_values(ctx: Context, nav: str, **values: Any) -> dict[str, Any]:
    """What the layout needs, with the page's own values."""
    return {
        "admin": ctx.admin,
        "corp": ctx.view.corp,
        "csrf": ctx.session.csrf,
        "nav": nav,
        **values,
    }


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def secure(request: Request) -> bool:
    """Whether the browser reached daka over HTTPS (directly or, with uvicorn's
    ``--proxy-headers``, through a proxy that says so): cookies are Secure then."""
    return request.url.scheme == "https"


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/console/login?next={quote(target)}", status_code=303)


def safe_next(value: str | None) -> str:
    """A local console path to go to after sign-in (never another site)."""
    if not value:
        return "/console/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console/"):
        return "/console/"
    return value


def same_origin(request: Request) -> bool:
    """A POST's Origin (or Referer) names this server, when the browser sent one."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", "")


async def read_form(request: Request) -> FormData:
    size = int(request.headers.get("content-length") or 0)
    if size > MAX_FORM_BYTES:
        return FormData()
    return await request.form(max_files=1, max_fields=200, max_part_size=MAX_FORM_BYTES)


def csrf_ok(request: Request, form: FormData, expected: str) -> bool:
    sent = form.get("csrf")
    return (
        isinstance(sent, str)
        and bool(expected)
        and hmac.compare_digest(sent, expected)
        and same_origin(request)
    )


def refusal(request: Request, key: str, status: int) -> HTMLResponse:
    return render(request, "message.html", {"message_key": key}, status)


Handler = Callable[[Request, Context], Awaitable[Response]]


async def _context(request: Request) -> Context | None:
    service: Service = request.app.state.service
    now = service.now()
    session = await run_in_threadpool(
        current_session, service.store, request.cookies.get(SESSION_COOKIE), now
    )
    if session is None:
        return None
    view = await run_in_threadpool(service.view, session.admin.corp_id)
    return Context(request, service, session, view, language(request), now)


def page(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A signed-in GET page."""

    async def endpoint(request: Request) -> Response:
        ctx = await _context(request)
        if ctx is None:
            return login_redirect(request)
        from daka.console.reports import warm_this_month

        await run_in_threadpool(warm_this_month, ctx)
        return await handler(request, ctx)

    return endpoint


FormHandler = Callable[[Request, Context, FormData], Awaitable[Response]]


def action(handler: FormHandler) -> Callable[[Request], Awaitable[Response]]:
    """A signed-in POST that changes something: CSRF-checked, refused to viewers."""

    async def endpoint(request: Request) -> Response:
        ctx = await _context(request)
        if ctx is None:
            return login_redirect(request)
        form = await read_form(request)
        if not csrf_ok(request, form, ctx.session.csrf):
            return refusal(request, "csrf", 403)
        if not ctx.admin.can_act:
            return refusal(request, "forbidden", 403)
        return await handler(request, ctx, form)

    return endpoint
