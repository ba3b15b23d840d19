"""Fixtures of the SDK tests: a fake WeCom for httpx.MockTransport, counting transports, a
clock and a sleep that tests drive by hand.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from daka.client import AsyncClient, Client

CORPID = "wwclient00000001"
SECRET = "client-secret"

# The list field of each endpoint's answer (present and empty when there is nothing).
LIST_FIELDS = {
    "checkin/getcheckindata": "checkindata",
    "checkin/getcheckinoption": "info",
    "checkin/getcorpcheckinoption": "group",
    "checkin/getcheckin_daydata": "datas",
    "checkin/getcheckin_monthdata": "datas",
    "checkin/getcheckinschedulist": "schedule_list",
    "hardware/get_hardware_checkin_data": "checkindata",
    "oa/getapprovalinfo": "sp_no_list",
    "oa/vacation/getcorpconf": "lists",
    "oa/vacation/getuservacationquota": "lists",
}

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def path_of(request: httpx.Request) -> str:
    return request.url.path.removeprefix("/cgi-bin/")


def reply(body: dict[str, Any], status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body)


def error(errcode: int, errmsg: str = "error") -> httpx.Response:
    return reply(
        {
            "errcode": errcode,
            "errmsg": f"{errmsg}, hint: [1700000000123], from ip: "
            f"127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?"
            f"e={errcode}",
        }
    )


class FakeWeCom:
    """A WeCom stand-in for ``httpx.MockTransport``.

    gettoken issues ``token-1``, ``token-2``… (each replacing the last). Other endpoints check
    the token (40014 if unknown) and answer with the queued replies of their path first, then
    with ``handlers[path](body)`` if set, else a valid empty answer.
    """

    def __init__(self, expires_in: int = 7200) -> None:
        self.expires_in = expires_in
        self.issued = 0
        self.valid: set[str] = set()
        self.queued: dict[str, list[Reply]] = {}
        self.handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
        self.requests: list[httpx.Request] = []

    def queue(self, path: str, *replies: Reply) -> None:
        self.queued.setdefault(path, []).extend(replies)

    def calls(self, path: str) -> int:
        return sum(1 for r in self.requests if path_of(r) == path)

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests if path_of(r) == path]

    def expire_all(self) -> None:
        self.valid.clear()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = path_of(request)
        queued = self.queued.get(path)
        if queued:
            item = queued.pop(0)
            if isinstance(item, Exception):
                raise item
            return item(request) if callable(item) else item
        if path == "gettoken":
            if request.url.params.get("corpsecret") != SECRET:
                return error(40001, "invalid credential")
            self.issued += 1
            token = f"token-{self.issued}"
            self.valid = {token}
            return reply(
                {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": self.expires_in}
            )
        if request.url.params.get("access_token") not in self.valid:
            return error(40014, "invalid access_token")
        if path == "media/get":
            return httpx.Response(
                200,
                content=b"\x89PNG...",
                headers={
                    "Content-Type": "image/png",
                    "Content-Disposition": 'attachment; filename="MEDIA.png"',
                },
            )
        if path == "media/upload":
            return reply(
                {
                    "errcode": 0,
                    "errmsg": "",
                    "type": "image",
                    "media_id": "1G6nrLmr5",
                    "created_at": "1380000000",
                }
            )
        body = json.loads(request.content) if request.content else {}
        answer: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
        if path in self.handlers:
            answer.update(self.handlers[path](body))
        elif path in LIST_FIELDS:
            answer[LIST_FIELDS[path]] = []
        return reply(answer)


class FakeClock:
    """Monotonic time that only moves when told to (or when the fake sleep sleeps)."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Sleeper:
    """A ``sleep`` that records how long it was asked to sleep and moves the clock instead."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.clock.advance(seconds)


class AsyncSleeper(Sleeper):
    async def __call__(self, seconds: float) -> None:  # type: ignore[override]
        Sleeper.__call__(self, seconds)


class CountingTransport(httpx.BaseTransport):
    """Delegates to another transport and counts requests by path (``checkin/…``)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.counts: Counter[str] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.counts[path_of(request)] += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class AsyncCountingTransport(httpx.AsyncBaseTransport):
    """The async twin of :class:`CountingTransport`."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.counts: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.counts[path_of(request)] += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
def wecom() -> FakeWeCom:
    return FakeWeCom()


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeper(fake_clock: FakeClock) -> Sleeper:
    return Sleeper(fake_clock)


@pytest.fixture
def async_sleeper(fake_clock: FakeClock) -> AsyncSleeper:
    return AsyncSleeper(fake_clock)


@pytest.fixture
def make_client(
    wecom: FakeWeCom, fake_clock: FakeClock, sleeper: Sleeper
) -> Iterator[Callable[..., Client]]:
    """``make_client(**options)``: a Client on the fake WeCom, fake clock and sleep."""
    made: list[Client] = []

    def make(**options: Any) -> Client:
        options.setdefault("transport", httpx.MockTransport(wecom))
        options.setdefault("clock", fake_clock)
        options.setdefault("sleep", sleeper)
        client = Client(CORPID, options.pop("corpsecret", SECRET), **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., Client]) -> Client:
    return make_client()


@pytest.fixture
def make_async_client(
    wecom: FakeWeCom, fake_clock: FakeClock, async_sleeper: AsyncSleeper
) -> Callable[..., AsyncClient]:
    """``make_async_client(**options)``: an AsyncClient on the fake WeCom (use ``async with``)."""

    def make(**options: Any) -> AsyncClient:
        options.setdefault("transport", httpx.MockTransport(wecom))
        options.setdefault("clock", fake_clock)
        options.setdefault("sleep", async_sleeper)
        return AsyncClient(CORPID, options.pop("corpsecret", SECRET), **options)

    return make
