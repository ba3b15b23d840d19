"""Several corps on one server, and WeCom's per-minute rate limits."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from daka.api.app import create_app
from daka.services.org import load_org
from daka.services.ratelimit import RateLimiter
from daka.services.service import Service
from tests.conftest import Wire
from tests.factories import at, make_corp, make_org, make_record, make_rule

OTHER = "wwother000000002"


@pytest.fixture
def two_corps(api, store):
    load_org(
        store,
        make_org(
            make_corp(), make_corp(OTHER, secret="other-secret", agentid=7, rules=[make_rule(9)])
        ),
    )
    a, b = Wire(api), Wire(api)
    a.login()
    b.login(OTHER, "other-secret")
    return a, b


def test_corps_never_see_each_others_punches_or_rules(two_corps):
    a, b = two_corps
    a.post(
        "checkin/add_checkin_record",
        {"records": [make_record(checkin_time=at(2026, 11, 16, 8, 59), notes="corp A")]},
    )

    rows_b = b.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 3,
            "starttime": at(2026, 11, 16),
            "endtime": at(2026, 11, 16, 23),
            "useridlist": ["zhangsan"],
        },
    )["checkindata"]
    rules_b = b.post("checkin/getcorpcheckinoption")["group"]

    assert rows_b and all(r["notes"] == "" and r["exception_type"] == "未打卡" for r in rows_b)
    assert [g["groupid"] for g in rules_b] == [9]


def test_a_secret_only_opens_its_own_corp(two_corps):
    a, _ = two_corps

    body = a.client.get(
        "/cgi-bin/gettoken", params={"corpid": OTHER, "corpsecret": "test-secret-1"}
    ).json()

    assert body["errcode"] == 40001


@pytest.fixture
def limited(store, clock, org):
    service = Service(store, clock=clock, rate_limiter=RateLimiter(enabled=True))
    with TestClient(create_app(service)) as client:
        wire = Wire(client)
        wire.login()
        yield wire


def test_the_61st_getcorpcheckinoption_in_a_minute_is_refused_until_the_minute_ends(limited, clock):
    answers = [limited.post("checkin/getcorpcheckinoption")["errcode"] for _ in range(61)]
    clock.advance(30)
    still = limited.post("checkin/getcorpcheckinoption")
    clock.advance(30)
    again = limited.post("checkin/getcorpcheckinoption")

    assert answers[:60] == [0] * 60
    assert answers[60] == 45009
    assert (still["errcode"], still["group"]) == (45009, [])
    assert again["errcode"] == 0


def test_limits_are_counted_per_corp_and_per_endpoint(limited, store, clock):
    for _ in range(60):
        limited.post("checkin/add_checkin_record", {"records": [make_record()]})

    assert (
        limited.post("checkin/add_checkin_record", {"records": [make_record()]})["errcode"] == 45009
    )
    assert limited.post("checkin/getcorpcheckinoption")["errcode"] == 0
