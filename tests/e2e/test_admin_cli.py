"""`daka admin …` as an operator runs it: create console accounts, list them, change a
password, disable one, hash a password for the org file; and the demo's printed logins."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from daka.demo import DEMO_CONSOLE_PASSWORD, DEMO_CORPID, seed_demo
from daka.services.admins import SignInRefused, check_hash, sign_in
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store
from tests.clock import daka_environ
from tests.e2e.conftest import DAKA
from tests.factories import CORPID, make_org

pytestmark = pytest.mark.slow

NOW = 1_790_000_000


def daka(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DAKA), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=daka_environ(),
    )


def opened(db_url: str) -> tuple[Store, int]:
    engine = create_db_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    return store, corp.id


def test_an_operator_manages_console_accounts_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'daka.db'}"
    org = tmp_path / "org.json"
    org.write_text(json.dumps(make_org()), encoding="utf-8")
    assert daka("org", "load", str(org), "--db", db).returncode == 0

    made = daka(
        "admin",
        "create",
        "--corpid",
        CORPID,
        "hr",
        "--password-stdin",
        "--db",
        db,
        stdin="first-pass-1\n",
    )
    assert made.returncode == 0, made.stderr
    lead = daka(
        "admin",
        "create",
        "--corpid",
        CORPID,
        "lead",
        "--role",
        "department",
        "--department",
        "2",
        "--password-stdin",
        "--db",
        db,
        stdin="lead-pass-1\n",
    )
    assert lead.returncode == 0, lead.stderr
    listed = daka("admin", "list", "--corpid", CORPID, "--db", db)
    assert (
        "hr" in listed.stdout
        and "department" in listed.stdout
        and "first-pass" not in listed.stdout
    )

    store, corp_id = opened(db)
    assert sign_in(store, corp_id, "lead", "lead-pass-1", NOW)[0].admin.departments == (2,)

    changed = daka(
        "admin",
        "passwd",
        "--corpid",
        CORPID,
        "hr",
        "--password-stdin",
        "--db",
        db,
        stdin="second-pass-2\n",
    )
    assert changed.returncode == 0, changed.stderr
    with pytest.raises(SignInRefused):
        sign_in(store, corp_id, "hr", "first-pass-1", NOW)
    assert sign_in(store, corp_id, "hr", "second-pass-2", NOW)[0].admin.username == "hr"

    assert daka("admin", "disable", "--corpid", CORPID, "hr", "--db", db).returncode == 0
    with pytest.raises(SignInRefused):
        sign_in(store, corp_id, "hr", "second-pass-2", NOW)
    assert "disabled" in daka("admin", "list", "--corpid", CORPID, "--db", db).stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["create", "--corpid", CORPID, "x y", "--password-stdin"], "long-enough-1\n", "username"),
        (["create", "--corpid", CORPID, "hr", "--password-stdin"], "short\n", "at least 8"),
        (
            ["create", "--corpid", CORPID, "lead", "--role", "department", "--password-stdin"],
            "long-enough-1\n",
            "at least one",
        ),
        (
            [
                "create",
                "--corpid",
                CORPID,
                "lead",
                "--role",
                "department",
                "--department",
                "9",
                "--password-stdin",
            ],
            "long-enough-1\n",
            "no such department",
        ),
        (["passwd", "--corpid", CORPID, "nobody", "--password-stdin"], "long-enough-1\n", "nobody"),
        (
            ["create", "--corpid", "wwnosuchcorp", "hr", "--password-stdin"],
            "long-enough-1\n",
            "no corp",
        ),
    ],
)
def test_a_command_that_makes_no_sense_says_why(
    tmp_path: Path, args: list[str], stdin: str, message: str
) -> None:
    db = f"sqlite:///{tmp_path / 'daka.db'}"
    org = tmp_path / "org.json"
    org.write_text(json.dumps(make_org()), encoding="utf-8")
    assert daka("org", "load", str(org), "--db", db).returncode == 0
    result = daka("admin", *args, "--db", db, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr


def test_admin_hash_prints_an_argon2_hash_for_the_org_file() -> None:
    result = daka("admin", "hash", "--password-stdin", stdin="org-file-pass-1\n")
    assert result.returncode == 0, result.stderr
    assert check_hash(result.stdout.strip()).startswith("$argon2id$")


def test_the_demo_logins_it_prints_work(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    upgrade(engine)
    store = Store(engine)
    seed_demo(store, date(2026, 12, 3))
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, DEMO_CORPID)
    assert corp is not None
    hr, _ = sign_in(store, corp.id, "hr", DEMO_CONSOLE_PASSWORD, NOW)
    lead, _ = sign_in(store, corp.id, "rd-lead", DEMO_CONSOLE_PASSWORD, NOW)
    assert not hr.admin.scoped and lead.admin.departments == (2,)
    seed_demo(store, date(2026, 12, 3))  # a restart keeps the accounts, adds no second one
    with store.read() as conn:
        assert [a.username for a in store.admins(conn, corp.id)] == ["hr", "rd-lead"]
