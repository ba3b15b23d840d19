"""Shared fixtures: a real SQLite database per test, the service, and the in-process API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings
from starlette.testclient import TestClient

from daka.api.app import create_app
from daka.services.org import load_org
from daka.services.ratelimit import RateLimiter
from daka.services.service import Service
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store
from tests.factories import CORPID, SECRET, FakeClock, at, make_org

settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=30, deadline=None)
# A long local run of tests/api/test_fuzz.py (see README): 2,000 examples per endpoint on
# SQLite and 500 on PostgreSQL (test_fuzz.PG_MAX_EXAMPLES), about 4 minutes on 2 cores.
settings.register_profile("fuzz", max_examples=2_000, deadline=None)
settings.load_profile("ci")

# Monday 2026-11-23, noon: the default "now" of the tests (that morning's windows have closed).
DEFAULT_NOW = at(2026, 11, 23, 12, 0)


@pytest.fixture
def db_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path / 'daka.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    engine = create_db_engine(db_url)
    upgrade(engine)
    yield Store(engine)
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(DEFAULT_NOW)


@pytest.fixture
def media_dir(tmp_path: Any) -> Any:
    return tmp_path / "media"


@pytest.fixture
def service(store: Store, clock: FakeClock, media_dir: Any) -> Service:
    return Service(store, clock=clock, rate_limiter=RateLimiter(enabled=False), media_dir=media_dir)


@pytest.fixture
def org(store: Store) -> dict:
    """The default test corp (see factories.make_corp), loaded."""
    document = make_org()
    load_org(store, document)
    return document


@pytest.fixture
def api(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as client:
        yield client


class Wire:
    """Talks to the in-process API the way a WeCom client does."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.token: str | None = None

    def login(self, corpid: str = CORPID, secret: str = SECRET) -> str:
        body = self.client.get(
            "/cgi-bin/gettoken", params={"corpid": corpid, "corpsecret": secret}
        ).json()
        assert body["errcode"] == 0, body
        self.token = body["access_token"]
        return self.token

    def post(
        self, endpoint: str, body: Any = None, *, raw: bytes | None = None, token: str | None = None
    ) -> dict[str, Any]:
        params = {"access_token": token or self.token or ""}
        content = raw if raw is not None else (b"" if body is None else _dumps(body))
        response = self.client.post(f"/cgi-bin/{endpoint}", params=params, content=content)
        assert response.status_code == 200
        return response.json()

    def upload_media(
        self,
        data: bytes,
        filename: str = "face.png",
        media_type: str = "image",
        *,
        content_type: str = "application/octet-stream",
        token: str | None = None,
    ) -> dict[str, Any]:
        """media/upload of ``data`` as the multipart part ``media``."""
        response = self.client.post(
            "/cgi-bin/media/upload",
            params={"access_token": token or self.token or "", "type": media_type},
            files={"media": (filename, data, content_type)},
        )
        assert response.status_code == 200
        return response.json()


def _dumps(body: Any) -> bytes:
    import json

    return json.dumps(body, ensure_ascii=False).encode()


@pytest.fixture
def wire(api: TestClient, org: dict) -> Wire:
    """A logged-in WeCom-style caller of the default test corp."""
    w = Wire(api)
    w.login()
    return w
