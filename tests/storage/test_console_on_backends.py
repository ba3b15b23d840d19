"""Console accounts, sessions, lock-out and the audit trail on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from daka.services.admins import (
    SignInRefused,
    check_hash,
    current_session,
    hash_password,
    sign_in,
)
from daka.services.org import OrgFileError, load_org
from daka.storage.store import Store
from tests.console.conftest import PASSWORD
from tests.factories import CORPID, make_corp, make_org

NOW = 1_790_000_000
HASH = hash_password(PASSWORD)


def org_with_admins(*admins: dict) -> dict:
    return make_org(make_corp(admins=list(admins)))


def corp_id(store: Store) -> int:
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    return corp.id


def test_org_file_admins_sign_in_lock_out_and_leave_an_audit_trail(
    contract_store: Store,
) -> None:
    store = contract_store
    load_org(
        store,
        org_with_admins(
            {"username": "hr", "password_hash": HASH},
            {"username": "lead", "password_hash": HASH, "role": "department", "departments": [2]},
        ),
        now=NOW,
    )
    cid = corp_id(store)
    with store.read() as conn:
        assert [(a.username, a.role.value, a.departments) for a in store.admins(conn, cid)] == [
            ("hr", "admin", ()),
            ("lead", "department", (2,)),
        ]
    session, token = sign_in(store, cid, "lead", PASSWORD, NOW)
    assert current_session(store, token, NOW + 60) == session
    for k in range(5):
        with pytest.raises(SignInRefused):
            sign_in(store, cid, "hr", "wrong-password", NOW + k)
    with pytest.raises(SignInRefused) as locked:
        sign_in(store, cid, "hr", PASSWORD, NOW + 10)
    assert locked.value.locked_until > NOW + 10
    store.transaction(
        lambda conn: store.add_audit(conn, cid, NOW, "lead", "correction", "lisi", {"a": 1})
    )
    with store.read() as conn:
        assert store.audit(conn, cid)[0]["detail"] == {"a": 1}


def test_reloading_the_org_file_with_a_new_hash_ends_the_accounts_sessions(
    contract_store: Store,
) -> None:
    store = contract_store
    load_org(store, org_with_admins({"username": "hr", "password_hash": HASH}), now=NOW)
    _, token = sign_in(store, corp_id(store), "hr", PASSWORD, NOW)
    other = hash_password("another-pass-2")
    load_org(store, org_with_admins({"username": "hr", "password_hash": other}), now=NOW)
    assert current_session(store, token, NOW) is None
    assert sign_in(store, corp_id(store), "hr", "another-pass-2", NOW)[0].admin.username == "hr"


@pytest.mark.parametrize(
    ("admin", "message"),
    [
        ({"username": "hr", "password": "plain-text-1"}, "never a password"),
        ({"username": "hr", "password_hash": "md5:abc"}, "argon2"),
        ({"username": "hr", "password_hash": HASH, "role": "boss"}, "role"),
        ({"username": "hr", "password_hash": HASH, "role": "department"}, "at least one"),
        ({"username": "hr", "password_hash": HASH, "departments": ["2"]}, "list of department"),
    ],
)
def test_an_org_file_admin_that_makes_no_sense_is_refused_and_loads_nothing(
    contract_store: Store, admin: dict, message: str
) -> None:
    with pytest.raises(OrgFileError, match=message):
        load_org(contract_store, org_with_admins(admin), now=NOW)
    with contract_store.read() as conn:
        assert contract_store.corp_by_corpid(conn, CORPID) is None  # all or nothing


def test_only_argon2_hashes_pass() -> None:
    assert check_hash(HASH) == HASH
