"""Console accounts: passwords, lock-out, sessions and what each role sees."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.domain.admins import LOCK_SEC, MAX_FAILURES, Admin, Role, subtree, visible_users
from daka.domain.directory import Department, User
from daka.services.admins import (
    IDLE_SEC,
    LIFETIME_SEC,
    AdminError,
    SignInRefused,
    check_account,
    current_session,
    hash_password,
    set_disabled,
    set_password,
    sign_in,
    sign_out,
)
from daka.storage.store import Store
from tests.console.conftest import PASSWORD
from tests.factories import CORPID

NOW = 1_790_000_000


def corp_id(store: Store) -> int:
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    return corp.id


def test_a_password_is_stored_only_as_an_argon2id_hash(store: Store, accounts: None) -> None:
    with store.read() as conn:
        stored = store.admin(conn, corp_id(store), "hr")
    assert stored is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


def test_a_short_password_is_refused() -> None:
    with pytest.raises(AdminError, match="at least 8"):
        hash_password("short")


def test_the_right_password_opens_a_session_that_the_cookie_token_finds(
    store: Store, accounts: None
) -> None:
    session, token = sign_in(store, corp_id(store), "hr", PASSWORD, NOW)
    found = current_session(store, token, NOW + 10)
    assert found is not None and found.admin.username == "hr"
    assert found.csrf == session.csrf
    assert token not in session.token_hash  # only the token's hash is kept


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    store: Store, accounts: None
) -> None:
    cid = corp_id(store)
    for attempt in range(MAX_FAILURES):
        with pytest.raises(SignInRefused) as refused:
            sign_in(store, cid, "hr", "wrong-password", NOW + attempt)
    assert refused.value.locked_until == NOW + MAX_FAILURES - 1 + LOCK_SEC
    with pytest.raises(SignInRefused):
        sign_in(store, cid, "hr", PASSWORD, NOW + 60)
    # The lock ends on its own; the right password works again then.
    session, _ = sign_in(store, cid, "hr", PASSWORD, NOW + MAX_FAILURES + LOCK_SEC)
    assert session.admin.failures == 0


def test_an_unknown_username_is_refused_like_a_wrong_password(store: Store, accounts: None) -> None:
    with pytest.raises(SignInRefused) as refused:
        sign_in(store, corp_id(store), "nobody", PASSWORD, NOW)
    assert refused.value.locked_until == 0


def test_a_session_ends_after_the_idle_timeout_and_after_its_lifetime(
    store: Store, accounts: None
) -> None:
    cid = corp_id(store)
    _, idle_token = sign_in(store, cid, "hr", PASSWORD, NOW)
    assert current_session(store, idle_token, NOW + IDLE_SEC + 1) is None
    assert current_session(store, idle_token, NOW + 5) is None  # ended, not just expired

    _, busy_token = sign_in(store, cid, "hr", PASSWORD, NOW)
    t = NOW
    while t + IDLE_SEC // 2 < NOW + LIFETIME_SEC:
        t += IDLE_SEC // 2
        assert current_session(store, busy_token, t) is not None  # use keeps it alive
    assert current_session(store, busy_token, NOW + LIFETIME_SEC + 1) is None


def test_sign_out_disable_and_a_new_password_each_end_sessions(
    store: Store, accounts: None
) -> None:
    cid = corp_id(store)
    _, token = sign_in(store, cid, "hr", PASSWORD, NOW)
    sign_out(store, token)
    assert current_session(store, token, NOW) is None

    _, token = sign_in(store, cid, "hr", PASSWORD, NOW)
    set_disabled(store, cid, "hr", True)
    assert current_session(store, token, NOW) is None
    with pytest.raises(SignInRefused):
        sign_in(store, cid, "hr", PASSWORD, NOW)
    set_disabled(store, cid, "hr", False)

    _, token = sign_in(store, cid, "hr", PASSWORD, NOW)
    set_password(store, cid, "hr", hash_password("another-pass-2"))
    assert current_session(store, token, NOW) is None
    assert sign_in(store, cid, "hr", "another-pass-2", NOW)[0].admin.username == "hr"


@pytest.mark.parametrize(
    ("username", "role", "departments", "message"),
    [
        ("bad name", Role.ADMIN, (), "username"),
        ("lead", Role.DEPARTMENT, (), "at least one"),
        ("lead", Role.DEPARTMENT, (99,), "no such department"),
        ("boss", Role.ADMIN, (2,), "whole corp"),
    ],
)
def test_an_account_that_makes_no_sense_is_refused(
    username: str, role: Role, departments: tuple[int, ...], message: str
) -> None:
    known = {2: Department(2, "R&D", 1)}
    with pytest.raises(AdminError, match=message):
        check_account(username, role, departments, known)


# -- what a scoped account sees -------------------------------------------------------------

trees = st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=20)


@given(parents=trees, roots=st.lists(st.integers(min_value=1, max_value=21), max_size=3))
def test_a_department_admin_sees_exactly_the_people_in_its_subtrees(
    parents: list[int], roots: list[int]
) -> None:
    # Department k+1's parent is a department numbered below it (or 0): always a tree.
    departments = {
        k + 1: Department(k + 1, f"d{k + 1}", p % (k + 1)) for k, p in enumerate(parents)
    }
    users = {f"u{d}": User(f"u{d}", f"user {d}", (d,)) for d in departments}
    admin = Admin(1, 1, "lead", "", Role.DEPARTMENT, tuple(roots))
    seen = set(visible_users(admin, users, departments))
    below = subtree(departments, roots)
    for d in departments:
        ancestors, node = set(), d
        while node:
            ancestors.add(node)
            node = departments[node].parent_id
        assert (f"u{d}" in seen) == bool(ancestors & set(roots)) == (d in below)
