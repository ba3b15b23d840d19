"""Contact reads: department/list, user/simplelist, user/list, tag/list and tag/get."""

from __future__ import annotations

from typing import Any

from daka.services.org import load_org
from tests.conftest import Wire
from tests.factories import make_corp, make_org

OTHER = "wwother000000002"


def get(wire: Any, endpoint: str, **params: Any) -> dict[str, Any]:
    response = wire.client.get(
        f"/cgi-bin/{endpoint}", params={"access_token": wire.token, **params}
    )
    assert response.status_code == 200
    return response.json()


def test_department_list_gives_every_department_parents_first(wire):
    body = get(wire, "department/list")

    assert body["errcode"] == 0
    assert [(d["id"], d["name"], d["parentid"]) for d in body["department"]] == [
        (1, "Test Co", 0),
        (2, "R&D", 1),
        (3, "Backend", 2),
    ]


def test_department_list_with_an_id_gives_that_subtree(wire):
    assert [d["id"] for d in get(wire, "department/list", id=2)["department"]] == [2, 3]


def test_user_simplelist_gives_a_department_with_or_without_its_children(wire):
    direct = get(wire, "user/simplelist", department_id=2)["userlist"]
    deep = get(wire, "user/simplelist", department_id=1, fetch_child=1)["userlist"]

    assert direct == [{"userid": "zhangsan", "name": "张三", "department": [2], "open_userid": ""}]
    assert [u["userid"] for u in deep] == ["lisi", "wangwu", "zhangsan"]


def test_user_list_carries_the_detail_fields(wire):
    (user,) = get(wire, "user/list", department_id=3)["userlist"]

    assert (user["userid"], user["main_department"], user["status"]) == ("lisi", 3, 1)


def test_tags_are_listed_and_read_with_their_members(wire):
    assert get(wire, "tag/list")["taglist"] == [{"tagid": 1, "tagname": "drivers"}]
    tag = get(wire, "tag/get", tagid=1)
    assert (tag["tagname"], tag["userlist"]) == ("drivers", [{"userid": "lisi", "name": "李四"}])


def test_contact_reads_answer_errors_in_the_envelope(wire):
    missing = get(wire, "user/simplelist")
    assert (missing["errcode"], missing["userlist"]) == (40058, [])
    assert get(wire, "user/simplelist", department_id=99)["errcode"] == 60003
    assert get(wire, "department/list", id="x")["errcode"] == 40058
    assert get(wire, "tag/get", tagid=7)["errcode"] == 40068
    assert wire.client.get("/cgi-bin/tag/list").json()["errcode"] == 41001


def test_contact_reads_show_only_the_callers_corp(wire, store):
    load_org(
        store,
        make_org(
            make_corp(
                OTHER,
                secret="other-secret",
                agentid=7,
                users=[{"userid": "alice", "department": [1]}],
            )
        ),
    )
    other = Wire(wire.client)
    other.login(OTHER, "other-secret")

    theirs = get(other, "user/simplelist", department_id=1, fetch_child=1)["userlist"]
    ours = get(wire, "user/simplelist", department_id=1, fetch_child=1)["userlist"]

    assert [u["userid"] for u in theirs] == ["alice"]
    assert "alice" not in [u["userid"] for u in ours]
