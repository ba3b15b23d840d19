"""Access tokens: the Store's token table, and the Service's token life cycle on top of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from daka.domain.errors import AuthError
from daka.services.org import load_org
from daka.services.secrets import token_hash
from daka.services.service import Caller, Service
from daka.storage.store import Store, TokenRecord
from tests.factories import AGENTID, CORPID, SECRET, FakeClock, make_corp, make_org

NOW = 1_800_000_000


@pytest.fixture
def corp_id(contract_store: Store) -> int:
    load_org(contract_store, make_org())
    with contract_store.read() as conn:
        corp = contract_store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    return corp.id


def _add(store: Store, digest: str, record: TokenRecord) -> None:
    with store.write() as conn:
        store.add_token(conn, digest, record)


def _lookup(store: Store, digest: str) -> TokenRecord | None:
    with store.read() as conn:
        return store.token(conn, digest)


# -- Store -------------------------------------------------------------------------------


def test_an_added_token_is_found_by_its_hash(contract_store: Store, corp_id: int) -> None:
    record = TokenRecord(corp_id=corp_id, agentid=AGENTID, expires_at=NOW + 7200)
    _add(contract_store, "a" * 64, record)

    assert _lookup(contract_store, "a" * 64) == record
    assert _lookup(contract_store, "b" * 64) is None


def test_a_token_hash_is_stored_once(contract_store: Store, corp_id: int) -> None:
    record = TokenRecord(corp_id=corp_id, agentid=AGENTID, expires_at=NOW)
    _add(contract_store, "a" * 64, record)
    with pytest.raises(Exception, match="(?i)unique"):
        _add(contract_store, "a" * 64, record)
    assert _lookup(contract_store, "a" * 64) == record


def test_purging_removes_only_tokens_that_expired_before_the_cutoff(
    contract_store: Store, corp_id: int
) -> None:
    for name, expires in (("old", NOW - 1), ("edge", NOW), ("new", NOW + 1)):
        _add(contract_store, name.ljust(64, "0"), TokenRecord(corp_id, AGENTID, expires))

    with contract_store.write() as conn:
        contract_store.purge_tokens(conn, before=NOW)

    assert _lookup(contract_store, "old".ljust(64, "0")) is None
    assert _lookup(contract_store, "edge".ljust(64, "0")) is not None
    assert _lookup(contract_store, "new".ljust(64, "0")) is not None


def test_a_token_needs_an_existing_corp(contract_store: Store, corp_id: int) -> None:
    # tokens.corp_id is a foreign key (SQLite enforces it through PRAGMA foreign_keys=ON).
    with pytest.raises(Exception, match="(?i)foreign key"):
        _add(contract_store, "f" * 64, TokenRecord(corp_id + 1000, AGENTID, NOW))


# -- Service -----------------------------------------------------------------------------


def test_gettoken_returns_the_same_token_while_it_is_valid(
    contract_service: Service, contract_clock: FakeClock, corp_id: int
) -> None:
    token, ttl = contract_service.get_token(CORPID, SECRET)
    assert ttl == contract_service.token_ttl

    contract_clock.advance(600)
    again, remaining = contract_service.get_token(CORPID, SECRET)

    assert again == token
    assert remaining == contract_service.token_ttl - 600
    assert contract_service.authenticate(token) == Caller(corp_id=corp_id, agentid=AGENTID)


def test_gettoken_stores_only_the_hash_of_the_token(
    contract_service: Service, contract_store: Store, contract_clock: FakeClock, corp_id: int
) -> None:
    token, _ = contract_service.get_token(CORPID, SECRET)

    record = _lookup(contract_store, token_hash(token))
    assert record == TokenRecord(corp_id, AGENTID, int(contract_clock()) + 7200)
    assert _lookup(contract_store, token) is None


def test_a_token_survives_a_restart(
    contract_service: Service, contract_store: Store, contract_clock: FakeClock, corp_id: int
) -> None:
    token, _ = contract_service.get_token(CORPID, SECRET)

    restarted = Service(Store(contract_store.engine), clock=contract_clock)

    assert restarted.authenticate(token) == Caller(corp_id=corp_id, agentid=AGENTID)


def test_a_token_survives_a_restart_on_a_new_engine(
    contract_service: Service,
    open_engine: Callable[[], Engine],
    contract_clock: FakeClock,
    corp_id: int,
) -> None:
    token, _ = contract_service.get_token(CORPID, SECRET)

    restarted = Service(Store(open_engine()), clock=contract_clock)

    assert restarted.authenticate(token).corp_id == corp_id


def test_an_expired_token_is_refused_with_42001(
    contract_service: Service, contract_clock: FakeClock, corp_id: int
) -> None:
    token, ttl = contract_service.get_token(CORPID, SECRET)
    contract_clock.advance(ttl + 1)

    with pytest.raises(AuthError) as caught:
        contract_service.authenticate(token)
    assert caught.value.errcode == 42001

    restarted = Service(contract_service.store, clock=contract_clock)
    with pytest.raises(AuthError) as caught:
        restarted.authenticate(token)
    assert caught.value.errcode == 42001


def test_after_expiry_gettoken_issues_a_new_token(
    contract_service: Service, contract_clock: FakeClock, corp_id: int
) -> None:
    token, ttl = contract_service.get_token(CORPID, SECRET)
    contract_clock.advance(ttl + 1)

    fresh, fresh_ttl = contract_service.get_token(CORPID, SECRET)

    assert fresh != token
    assert fresh_ttl == ttl
    assert contract_service.authenticate(fresh).corp_id == corp_id


def test_an_unknown_token_is_refused_with_40014(contract_service: Service, corp_id: int) -> None:
    with pytest.raises(AuthError) as caught:
        contract_service.authenticate("not-a-token")
    assert caught.value.errcode == 40014


def test_tokens_expired_for_a_day_are_purged_when_a_new_one_is_issued(
    contract_service: Service, contract_store: Store, contract_clock: FakeClock, corp_id: int
) -> None:
    token, ttl = contract_service.get_token(CORPID, SECRET)
    contract_clock.advance(ttl + 86_400 + 1)

    contract_service.get_token(CORPID, SECRET)

    assert _lookup(contract_store, token_hash(token)) is None


def test_a_rotated_secret_is_refused_by_a_running_service(
    contract_service: Service, contract_store: Store, corp_id: int
) -> None:
    contract_service.get_token(CORPID, SECRET)  # the old secret is verified once
    load_org(contract_store, make_org(make_corp(secret="rotated-secret")))

    contract_service.get_token(CORPID, "rotated-secret")
    with pytest.raises(AuthError) as caught:
        contract_service.get_token(CORPID, SECRET)
    assert caught.value.errcode == 40001
