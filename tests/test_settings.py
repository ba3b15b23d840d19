"""Settings from the environment, and the token lifetime they set."""

from __future__ import annotations

import time

import pytest
from starlette.testclient import TestClient

from daka.api.app import create_app
from daka.services.service import Service
from daka.settings import DEFAULT_DB, Settings, parse_clock
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
        body = api.get("/cgi-bin/gettoken", params={"corpid": CORPID, "corpsecret": SECRET}).json()
        clock.advance(600)
        expired = api.post(
            "/cgi-bin/checkin/getcorpcheckinoption", params={"access_token": body["access_token"]}
        ).json()

    assert body["expires_in"] == 600
    assert expired["errcode"] == 42001


WALL = 1_796_000_000.0  # the wall clock the parsing tests pretend it is


def test_without_daka_clock_the_server_runs_on_the_wall_clock(monkeypatch):
    monkeypatch.delenv("DAKA_CLOCK", raising=False)

    settings = Settings.from_env()

    assert settings.clock_shift == 0
    assert abs(settings.clock()() - time.time()) < 1


@pytest.mark.parametrize(
    ("value", "shift"),
    [
        ("+3600", 3600),
        ("-86400", -86400),
        ("+1.5", 1.5),
        ("1796003600", 3600),
        ("2026-12-03T21:30:00+08:00", 1_796_304_600 - WALL),
        ("2026-12-03T13:30:00Z", 1_796_304_600 - WALL),
    ],
)
def test_daka_clock_is_a_shift_a_unix_time_or_an_iso_instant(value, shift):
    assert parse_clock(value, WALL) == shift


@pytest.mark.parametrize("value", ["tomorrow", "2026-12-03T21:30:00", "+1h"])
def test_a_bad_daka_clock_fails_loudly(value):
    with pytest.raises(ValueError, match="DAKA_CLOCK"):
        parse_clock(value, WALL)


def test_a_server_on_a_clock_starting_at_an_instant_counts_on_from_there(monkeypatch):
    monkeypatch.setenv("DAKA_CLOCK", "2026-12-03T21:30:00+08:00")

    clock = Settings.from_env().clock()

    assert 1_796_304_600 <= clock() < 1_796_304_600 + 5
