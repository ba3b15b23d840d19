"""The shipped example org file is valid and is the demo corp."""

from __future__ import annotations

import json
from pathlib import Path

from daka.demo import demo_org
from daka.services.org import load_org, read_org_file

EXAMPLE = Path(__file__).parent.parent / "examples" / "org.json"


def test_the_example_org_file_is_the_demo_corp():
    assert json.loads(EXAMPLE.read_text()) == demo_org()


def test_the_example_org_file_loads_and_reloading_it_changes_nothing(store):
    load_org(store, read_org_file(EXAMPLE))
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, "ww0000000000000001")
        first = store.directory_rows(conn, corp.id)
        hashes = [a.secret_hash for a in store.apps(conn, corp.id)]

    load_org(store, read_org_file(EXAMPLE))

    with store.read() as conn:
        assert store.directory_rows(conn, corp.id) == first
        assert [a.secret_hash for a in store.apps(conn, corp.id)] == hashes
