"""Settings from the environment, and the token lifetime they set."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from daka.api.app import create_app
from daka.services.service import Service
from daka.settings import DEFAULT_DB, Settings
from tests.factories import CORPID, SECRET


def test_defaults_are_sqlite_and_a_7200_second_token(monkeypatch):
    monkeypatch.delenv("DAKA_DB", raising=False)
    monkeypatch.delenv("DAKA_TOKEN_EXPIRES_IN", raising=False)

    settings = Settings.from_env()

    assert (settings.db_url, settings.token_ttl, settings.rate_limits) == (DEFAULT_DB, 7200, True)


def test_the_environment_sets_the_database_and_token_lifetime_and_flags_override(monkeypatch):
    monkeypatch.setenv("DAKA_DB", "postgresql://postgres@127.0.0.1/daka")
    monkeypatch.setenv("DAKA_TOKEN_EXPIRES_IN", "600")

    settings = Settings.from_env(db_url="sqlite:///other.db")

    assert (settings.db_url, settings.token_ttl) == ("sqlite:///other.db", 600)


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_a_bad_token_lifetime_fails_loudly(monkeypatch, value):
    monkeypatch.setenv("DAKA_TOKEN_EXPIRES_IN", value)

    with pytest.raises(ValueError, match="DAKA_TOKEN_EXPIRES_IN"):
        Settings.from_env()


def test_gettoken_reports_the_configured_lifetime_and_the_token_expires_then(store, clock, org):
    service = Service(store, clock=clock, token_ttl=600)
    with TestClient(create_app(service)) as api:
        body = api.get("/cgi-bin/gettoken",
                       params={"corpid": CORPID, "corpsecret": SECRET}).json()
        clock.advance(600)
        expired = api.post("/cgi-bin/checkin/getcorpcheckinoption",
                           params={"access_token": body["access_token"]}).json()

    assert body["expires_in"] == 600
    assert expired["errcode"] == 42001
