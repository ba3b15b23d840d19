"""The access-token cache: one token per client, fetched once, refreshed single-flight.

A token is reused until ``margin`` seconds before it expires (at most a tenth of its life), so
a request never leaves with a token about to lapse. When WeCom refuses a token anyway
(40014 / 42001 / 40001, e.g. it was revoked early), the caller asks for a refresh *naming the
token it used*; if another thread or task refreshed in the meantime, the newer token is
returned without a new gettoken. Fetches happen under a lock, so concurrent callers cause one
gettoken between them.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable

import anyio

from daka.client._models import AccessToken

__all__: list[str] = []

DEFAULT_MARGIN_SEC = 300.0


class TokenState:
    """The cached token and when to stop using it (sans-I/O)."""

    def __init__(self, clock: Callable[[], float], margin: float = DEFAULT_MARGIN_SEC) -> None:
        self.clock = clock
        self.margin = margin
        self.token: str | None = None
        self.use_until = 0.0

    def current(self) -> str | None:
        """The cached token if it is still good to send, else None."""
        if self.token is not None and self.clock() < self.use_until:
            return self.token
        return None

    def store(self, token: AccessToken) -> None:
        life = max(float(token.expires_in), 0.0)
        self.token = token.access_token
        self.use_until = self.clock() + life - min(self.margin, life / 10)

    def fresher_than(self, stale: str | None) -> str | None:
        """A usable token other than ``stale`` (someone refreshed already), else None."""
        current = self.current()
        return current if current is not None and current != stale else None


class SyncTokenCache:
    """The token of a :class:`~daka.client.Client`, safe to share between threads."""

    def __init__(self, state: TokenState, fetch: Callable[[], AccessToken]) -> None:
        self.state = state
        self.fetch = fetch
        self._lock = threading.Lock()

    def get(self) -> str:
        token = self.state.current()
        if token is not None:
            return token
        with self._lock:
            return self.state.current() or self._fetch().access_token

    def refresh(self, stale: str | None) -> str:
        with self._lock:
            return self.state.fresher_than(stale) or self._fetch().access_token

    def renew(self) -> AccessToken:
        with self._lock:
            return self._fetch()

    def _fetch(self) -> AccessToken:
        token = self.fetch()
        self.state.store(token)
        return token


class AsyncTokenCache:
    """The token of an :class:`~daka.client.AsyncClient`, shared by its tasks."""

    def __init__(self, state: TokenState, fetch: Callable[[], Awaitable[AccessToken]]) -> None:
        self.state = state
        self.fetch = fetch
        self._lock = anyio.Lock()

    async def get(self) -> str:
        token = self.state.current()
        if token is not None:
            return token
        async with self._lock:
            return self.state.current() or (await self._fetch()).access_token

    async def refresh(self, stale: str | None) -> str:
        async with self._lock:
            return self.state.fresher_than(stale) or (await self._fetch()).access_token

    async def renew(self) -> AccessToken:
        async with self._lock:
            return await self._fetch()

    async def _fetch(self) -> AccessToken:
        token = await self.fetch()
        self.state.store(token)
        return token
