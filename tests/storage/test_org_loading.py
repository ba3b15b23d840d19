"""load_org: upserts, keeps unchanged secret hashes, and is all-or-nothing per file."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from daka.services.org import OrgFileError, load_org
from daka.storage.store import DirectoryRows, Store
from tests.factories import AGENTID, CORPID, make_corp, make_org, make_rule


def _corp_id(store: Store, corpid: str = CORPID) -> int:
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, corpid)
    assert corp is not None
    return corp.id


def _directory(store: Store, corpid: str = CORPID) -> DirectoryRows:
    with store.read() as conn:
        return store.directory_rows(conn, _corp_id(store, corpid))


def _secret_hash(store: Store, corpid: str = CORPID, agentid: int = AGENTID) -> str:
    with store.read() as conn:
        app = store.app(conn, _corp_id(store, corpid), agentid)
    assert app is not None
    return app.secret_hash


def _snapshot(store: Store) -> dict[str, Any]:
    """Everything load_org writes, per corp (revisions included)."""
    with store.read() as conn:
        return {
            corp.corpid: (corp, store.apps(conn, corp.id), store.directory_rows(conn, corp.id))
            for corp in store.corps(conn)
        }


def test_loading_creates_the_corp_with_its_directory(contract_store: Store) -> None:
    assert load_org(contract_store, make_org()) == [CORPID]

    rows = _directory(contract_store)
    assert [(u.userid, u.name, u.department_ids) for u in rows.users] == [
        ("lisi", "李四", (3,)),
        ("wangwu", "王五", (1,)),
        ("zhangsan", "张三", (2,)),
    ]
    assert sorted((d.id, d.name, d.parent_id) for d in rows.departments) == [
        (1, "Test Co", 0),
        (2, "R&D", 1),
        (3, "Backend", 2),
    ]
    assert rows.tag_members == {1: ("lisi",)}
    assert rows.tag_names == {1: "drivers"}
    assert [(v.groupid, v.effective_from) for v in rows.versions] == [(1, 0)]
    assert rows.versions[0].body["groupname"] == "rule 1"


def test_loading_the_same_org_twice_gives_the_same_directory(contract_store: Store) -> None:
    load_org(contract_store, make_org())
    first = _directory(contract_store)

    load_org(contract_store, make_org())

    assert _directory(contract_store) == first
    with contract_store.read() as conn:
        assert [c.corpid for c in contract_store.corps(conn)] == [CORPID]


def test_reloading_updates_changed_rows_in_place(contract_store: Store) -> None:
    load_org(contract_store, make_org())
    corp = make_corp()
    corp["users"][0]["name"] = "张三丰"
    corp["tags"][0]["userids"] = ["lisi", "wangwu"]
    corp["checkin_groups"] = [make_rule(groupname="早班")]

    load_org(contract_store, make_org(corp))

    rows = _directory(contract_store)
    assert {u.userid: u.name for u in rows.users}["zhangsan"] == "张三丰"
    assert rows.tag_members == {1: ("lisi", "wangwu")}
    assert [v.body["groupname"] for v in rows.versions] == ["早班"]


def test_reloading_an_unchanged_secret_keeps_its_hash(contract_store: Store) -> None:
    load_org(contract_store, make_org())
    before = _secret_hash(contract_store)

    load_org(contract_store, make_org())

    assert _secret_hash(contract_store) == before


def test_reloading_a_changed_secret_rehashes_it(contract_store: Store) -> None:
    load_org(contract_store, make_org())
    before = _secret_hash(contract_store)

    load_org(contract_store, make_org(make_corp(secret="rotated-secret")))

    after = _secret_hash(contract_store)
    assert after != before
    assert after.startswith("scrypt$")


def test_every_load_bumps_the_corp_revision(contract_store: Store) -> None:
    load_org(contract_store, make_org())
    load_org(contract_store, make_org())
    with contract_store.read() as conn:
        assert contract_store.revision(conn, _corp_id(contract_store)) == 2


def _bad_grouptype(org: dict[str, Any]) -> None:
    org["corps"][-1]["checkin_groups"][0]["grouptype"] = 9


def _user_without_userid(org: dict[str, Any]) -> None:
    del org["corps"][-1]["users"][1]["userid"]


def _superscript_department_id(org: dict[str, Any]) -> None:
    org["corps"][-1]["departments"][1]["id"] = "²"  # str.isdigit() is true; int() fails


def _huge_agentid(org: dict[str, Any]) -> None:
    org["corps"][-1]["apps"][0]["agentid"] = "9" * 5000


def _far_future_rule(org: dict[str, Any]) -> None:
    org["corps"][-1]["checkin_groups"][0]["create_time"] = 2**62  # overflows a date


def _deeply_nested_rule(org: dict[str, Any]) -> None:
    deep: Any = 1
    for _ in range(1000):
        deep = [deep]
    org["corps"][-1]["checkin_groups"][0]["ot_info_v2"] = deep


MALFORMED = [
    pytest.param(_bad_grouptype, r"corps\[1\]\.checkin_groups\[0\]\.grouptype", id="grouptype-9"),
    pytest.param(_user_without_userid, r"corps\[1\]\.users\[1\]\.userid", id="no-userid"),
    pytest.param(
        _superscript_department_id, r"corps\[1\]\.departments\[1\]\.id", id="unicode-digit-id"
    ),
    pytest.param(_huge_agentid, r"corps\[1\]\.apps\[0\]\.agentid", id="huge-agentid"),
    pytest.param(
        _far_future_rule, r"corps\[1\]\.checkin_groups\[0\]\.create_time", id="create-time-overflow"
    ),
    pytest.param(
        _deeply_nested_rule, r"corps\[1\]\.checkin_groups\[0\].*nests deeper", id="nested-1000-deep"
    ),
]


@pytest.mark.parametrize(("spoil", "field"), MALFORMED)
def test_a_malformed_file_names_the_field_and_writes_nothing(
    contract_store: Store,
    spoil: Any,
    field: str,
) -> None:
    # A good corp first, then a corp with the error: neither may be written.
    org = make_org(make_corp("wwgood00000000001"), make_corp("wwbad000000000002"))
    spoil(org)

    with pytest.raises(OrgFileError, match=field):
        load_org(contract_store, org)

    assert _snapshot(contract_store) == {}


@pytest.mark.parametrize(("spoil", "field"), MALFORMED)
def test_a_malformed_reload_leaves_the_loaded_org_unchanged(
    contract_store: Store,
    spoil: Any,
    field: str,
) -> None:
    good = make_org(make_corp("wwgood00000000001"), make_corp("wwbad000000000002"))
    load_org(contract_store, good)
    before = _snapshot(contract_store)

    changed = copy.deepcopy(good)
    for corp in changed["corps"]:
        corp["name"] = "Renamed"
        corp["users"][0]["name"] = "Renamed"
        corp["apps"][0]["secret"] = "another-secret"
    spoil(changed)
    with pytest.raises(OrgFileError, match=field):
        load_org(contract_store, changed)

    assert _snapshot(contract_store) == before
