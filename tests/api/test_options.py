"""getcheckinoption and getcorpcheckinoption."""

from __future__ import annotations

import pytest

from daka.services.org import load_org
from tests.api.golden import assert_golden
from tests.conftest import Wire
from tests.factories import at, make_corp, make_org, make_rule

MONDAY = at(2026, 11, 16)


def test_getcheckinoption_answers_each_users_rule(wire):
    body = wire.post(
        "checkin/getcheckinoption", {"datetime": MONDAY, "useridlist": ["zhangsan", "lisi"]}
    )

    assert_golden("getcheckinoption_ok", body)


def test_getcorpcheckinoption_lists_every_rule_with_every_field(wire):
    assert_golden("getcorpcheckinoption_ok", wire.post("checkin/getcorpcheckinoption"))


def test_getcorpcheckinoption_accepts_an_empty_object(wire):
    assert wire.post("checkin/getcorpcheckinoption", {})["errcode"] == 0


def test_the_person_rule_department_rule_and_white_list_decide_the_rule(api, store):
    rules = [
        make_rule(1, parties=[1]),
        make_rule(2, parties=["3"]),
        make_rule(3, users=["wangwu"], create_time=1),
        make_rule(4, parties=[2], white_users=["zhangsan"], create_time=99),
    ]
    load_org(store, make_org(make_corp(rules=rules)))
    wire = Wire(api)
    wire.login()

    info = wire.post(
        "checkin/getcheckinoption",
        {"datetime": MONDAY, "useridlist": ["zhangsan", "lisi", "wangwu"]},
    )["info"]

    # zhangsan (R&D) is white-listed by rule 4, so the root rule 1 applies; lisi (Backend)
    # gets the deepest department rule 2; wangwu is named by rule 3.
    assert [(i["userid"], i["group"]["groupid"]) for i in info] == [
        ("zhangsan", 1),
        ("lisi", 2),
        ("wangwu", 3),
    ]


def test_users_without_a_rule_are_left_out(api, store):
    load_org(store, make_org(make_corp(rules=[make_rule(parties=["3"])])))
    wire = Wire(api)
    wire.login()

    info = wire.post(
        "checkin/getcheckinoption", {"datetime": MONDAY, "useridlist": ["zhangsan", "lisi"]}
    )["info"]

    assert [i["userid"] for i in info] == ["lisi"]


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        ({"useridlist": ["zhangsan"]}, 40058),
        ({"datetime": "today", "useridlist": ["zhangsan"]}, 40058),
        ({"datetime": MONDAY, "useridlist": []}, 301023),
        ({"datetime": MONDAY, "useridlist": ["x"] * 101}, 301023),
        ({"datetime": MONDAY, "useridlist": ["ghost"]}, 301021),
    ],
)
def test_getcheckinoption_errors(wire, body, errcode):
    response = wire.post("checkin/getcheckinoption", body)

    assert (response["errcode"], response["info"]) == (errcode, [])
