"""Console fixtures: the in-process app of the default test corp with console accounts.

hr sees the whole corp; rd sees R&D (department 2) and Backend (3) below it, so zhangsan (2)
and lisi (3) but not wangwu (1); viewer reads everything and changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from daka.domain.admins import Role
from daka.services.admins import create_admin, hash_password
from daka.services.org import load_org
from daka.storage.store import Store
from tests.factories import CORPID, make_corp, make_org, make_rule, make_shift_rule

PASSWORD = "console-pass-1"
ACCOUNTS = (("hr", Role.ADMIN, ()), ("rd", Role.DEPARTMENT, (2,)), ("viewer", Role.VIEWER, ()))
_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per test process


def add_accounts(store: Store) -> None:
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    for username, role, departments in ACCOUNTS:
        store.transaction(
            lambda conn, u=username, r=role, d=departments: create_admin(
                store, conn, corp.id, u, _HASH, r, d, 0
            )
        )


SHIFT_WORKER = {"userid": "zhaoliu", "name": "赵六", "department": [1]}


def console_org() -> dict[str, Any]:
    """The default test corp, its rule allowing 补卡 (as HR consoles are used to), and
    zhaoliu (department 1, outside R&D) on shift rule 5 instead."""
    corp = make_corp(
        rules=[
            make_rule(allow_apply_offworkday=True, white_users=["zhaoliu"]),
            make_shift_rule(5, users=["zhaoliu"]),
        ]
    )
    corp["users"].append(SHIFT_WORKER)
    return make_org(corp)


@pytest.fixture
def org(store: Store) -> dict[str, Any]:
    """The console tests' corp (overrides the suite's default ``org``)."""
    document = console_org()
    load_org(store, document)
    return document


@pytest.fixture
def accounts(store: Store, org: dict) -> None:
    add_accounts(store)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the login form; returns the answer to the form's POST."""
    form = client.get("/console/login")
    return client.post(
        "/console/login",
        data={"csrf": csrf_of(form.text), "username": username, "password": password, "next": ""},
        follow_redirects=False,
    )


@pytest.fixture
def signed_in(api: TestClient, accounts: None) -> Any:
    """``signed_in(username)``: the in-process client, signed in as that account."""

    def _as(username: str) -> TestClient:
        answer = sign_in(api, username)
        assert answer.status_code == 303, answer.text
        return api

    return _as
