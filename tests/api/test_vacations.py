"""oa/vacation/*: getcorpconf, getuservacationquota and setoneuserquota over the in-process API,
golden answers for each errcode, and refusals that change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daka.services.org import load_org
from daka.storage import tables as t
from tests.api.golden import assert_golden, assert_golden_case
from tests.conftest import Wire
from tests.factories import AGENTID, CORPID, SECRET, make_corp, make_org

DAY = 86_400
HOUR = 3_600
OTHER = "wwvacationapiother"
NO_APPROVAL_SECRET = "checkin-only-secret"


def vacations() -> list[dict[str, Any]]:
    """WeCom's getcorpconf example item (年假), an hour-based 调休, a 不限额 事假."""
    return [
        {
            "id": 1,
            "name": "年假",
            "time_attr": 0,
            "duration_type": 0,
            "quota_attr": {
                "type": 1,
                "autoreset_time": 1641010352,
                "autoreset_duration": 432000,
                "quota_rule_type": 1,
                "quota_rules": {
                    "list": [
                        {"quota": 432000, "begin": 0, "end": 1},
                        {"quota": 518400, "begin": 1, "end": 2},
                    ],
                    "based_on_actual_work_time": True,
                },
                "at_entry_date": True,
                "auto_reset_month_day": 0,
            },
            "perday_duration": 86400,
            "is_newovertime": 0,
            "enter_comp_time_limit": 0,
            "expire_rule": {
                "type": 2,
                "duration": 2,
                "date": {"month": 0, "day": 0},
                "extern_duration_enable": False,
                "extern_duration": {"month": 0, "day": 0},
            },
        },
        {"id": 2, "name": "调休", "time_attr": 1, "is_newovertime": 1, "allow_overdraft": True},
        {"id": 3, "name": "事假", "quota_attr": {"type": 0}},
    ]


def vacation_corp(corpid: str = CORPID, secret: str = SECRET) -> dict[str, Any]:
    return make_corp(
        corpid,
        secret=secret,
        apps=[
            {"agentid": AGENTID, "name": "审批", "secret": secret, "approval": True},
            {"agentid": AGENTID + 1, "name": "打卡", "secret": f"{secret}-checkin-only"},
        ],
        vacations=vacations(),
        vacation_quotas=[
            {"userid": "zhangsan", "vacation_id": 1, "assignduration": 0, "leftduration": 604800},
            {"userid": "zhangsan", "vacation_id": 2, "leftduration": 10 * HOUR},
        ],
    )


@pytest.fixture
def vacation_wire(api, store) -> Wire:
    load_org(store, make_org(vacation_corp(), vacation_corp(OTHER, "other-secret")), now=1)
    wire = Wire(api)
    wire.login()
    return wire


def quota(wire: Wire, userid: str = "zhangsan") -> dict[str, Any]:
    return wire.post("oa/vacation/getuservacationquota", {"userid": userid})


def set_quota(wire: Wire, **body: Any) -> dict[str, Any]:
    request = {"userid": "zhangsan", "vacation_id": 1, "time_attr": 0, "leftduration": 0}
    return wire.post("oa/vacation/setoneuserquota", {**request, **body})


def vacation_rows(store) -> list[tuple[Any, ...]]:
    with store.read() as conn:
        return [
            tuple(row)
            for table in (t.vacations, t.vacation_balances, t.vacation_ledger)
            for row in conn.execute(table.select())
        ]


def test_getcorpconf_answers_wecoms_items_in_file_order(vacation_wire):
    body = vacation_wire.client.get(
        "/cgi-bin/oa/vacation/getcorpconf", params={"access_token": vacation_wire.token}
    ).json()

    assert_golden("getcorpconf_ok", body)
    # WeCom's own example item comes back as it went in.
    assert body["lists"][0] == vacations()[0]
    assert all("allow_overdraft" not in item for item in body["lists"])


def test_getuservacationquota_lists_every_vacation_of_the_corp(vacation_wire):
    body = quota(vacation_wire)

    assert_golden("getuservacationquota_ok", body)
    assert [item["id"] for item in body["lists"]] == [1, 2, 3]
    assert [item["leftduration"] for item in quota(vacation_wire, "lisi")["lists"]] == [0, 0, 0]


def test_setoneuserquota_sets_the_balance_absolutely(vacation_wire, store):
    body = set_quota(vacation_wire, leftduration=3 * DAY + 8640, remarks="carry-over")

    assert_golden("setoneuserquota_ok", body)
    annual = quota(vacation_wire)["lists"][0]
    assert (annual["leftduration"], annual["assignduration"], annual["usedduration"]) == (
        3 * DAY + 8640,
        0,
        0,
    )
    with store.read() as conn:
        ledger = conn.execute(
            t.vacation_ledger.select().order_by(t.vacation_ledger.c.id.desc())
        ).first()
    assert ledger is not None
    assert (ledger.reason, ledger.change, ledger.remarks) == (
        "set",
        3 * DAY + 8640 - 604800,
        "carry-over",
    )


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.sampled_from([(1, 0, 8640, 1000 * DAY), (2, 1, 360, 24000 * HOUR)]),
    tenths=st.integers(min_value=0, max_value=240_000),
)
def test_any_valid_leftduration_round_trips_through_set_and_get(vacation_wire, target, tenths):
    vacation_id, time_attr, grain, ceiling = target
    left = min(tenths * grain, ceiling)

    answer = set_quota(
        vacation_wire, vacation_id=vacation_id, time_attr=time_attr, leftduration=left
    )

    assert answer["errcode"] == 0, answer
    item = next(i for i in quota(vacation_wire)["lists"] if i["id"] == vacation_id)
    assert item["leftduration"] == left


SET_ERRORS = [
    pytest.param({"vacation_id": 9}, 301063, id="unknown_vacation-301063"),
    pytest.param({"vacation_id": 3}, 301063, id="unlimited-301063"),
    pytest.param({"time_attr": 1, "leftduration": 360}, 301063, id="time_attr-301063"),
    pytest.param({"time_attr": 7}, 301063, id="time_attr_range-301063"),
    pytest.param({"leftduration": 360}, 301063, id="not_a_tenth_of_a_day-301063"),
    pytest.param({"leftduration": 1000 * DAY + 8640}, 301063, id="over_1000_days-301063"),
    pytest.param(
        {"vacation_id": 2, "time_attr": 1, "leftduration": 24000 * HOUR + 360},
        301063,
        id="over_24000_hours-301063",
    ),
    pytest.param({"remarks": "备" * 201}, 301063, id="remarks_too_long-301063"),
    pytest.param({"userid": "nobody"}, 60111, id="unknown_user-60111"),
    pytest.param({"userid": None}, 40058, id="no_userid-40058"),
    pytest.param({"leftduration": None}, 40058, id="no_leftduration-40058"),
    pytest.param({"leftduration": -8640}, 40058, id="negative_leftduration-40058"),
    pytest.param({"vacation_id": "一"}, 40058, id="vacation_id_not_a_number-40058"),
    pytest.param({"time_attr": True}, 40058, id="time_attr_boolean-40058"),
    pytest.param({"remarks": 5}, 40058, id="remarks_not_a_string-40058"),
]


@pytest.mark.parametrize(("change", "errcode"), SET_ERRORS)
def test_setoneuserquota_errors_change_nothing(vacation_wire, store, request, change, errcode):
    before = vacation_rows(store)
    sent = {"userid": "zhangsan", "vacation_id": 1, "time_attr": 0, "leftduration": 8640, **change}

    answer = vacation_wire.post(
        "oa/vacation/setoneuserquota", {k: v for k, v in sent.items() if v is not None}
    )

    assert answer["errcode"] == errcode, answer
    assert_golden_case(request, answer)
    assert vacation_rows(store) == before


def test_a_setoneuserquota_body_that_is_not_an_object_is_40058(vacation_wire):
    assert vacation_wire.post("oa/vacation/setoneuserquota", [1])["errcode"] == 40058


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        pytest.param({}, 40058, id="missing-40058"),
        pytest.param({"userid": ""}, 40058, id="empty-40058"),
        pytest.param({"userid": "x" * 65}, 40058, id="too_long-40058"),
        pytest.param({"userid": "nobody"}, 60111, id="unknown-60111"),
    ],
)
def test_getuservacationquota_errors(vacation_wire, request, body, errcode):
    answer = vacation_wire.post("oa/vacation/getuservacationquota", body)

    assert answer["errcode"] == errcode
    assert answer["lists"] == []
    assert_golden_case(request, answer)


def test_an_app_without_approval_access_gets_48002_on_every_vacation_endpoint(vacation_wire, store):
    checkin_only = Wire(vacation_wire.client)
    checkin_only.login(CORPID, f"{SECRET}-checkin-only")
    before = vacation_rows(store)

    conf = checkin_only.client.get(
        "/cgi-bin/oa/vacation/getcorpconf", params={"access_token": checkin_only.token}
    ).json()
    quotas = quota(checkin_only)
    changed = set_quota(checkin_only, leftduration=8640)

    assert_golden("vacation_48002", conf)
    assert conf["lists"] == [] and quotas["lists"] == []
    assert {conf["errcode"], quotas["errcode"], changed["errcode"]} == {48002}
    assert vacation_rows(store) == before


def test_two_corps_never_see_each_others_vacations_or_balances(vacation_wire, api):
    other = Wire(api)
    other.login(OTHER, "other-secret")

    assert set_quota(vacation_wire, leftduration=8640)["errcode"] == 0

    assert quota(other)["lists"][0]["leftduration"] == 604800
    assert quota(vacation_wire)["lists"][0]["leftduration"] == 8640


def test_a_corp_without_vacations_answers_empty_lists(wire, store):
    # The default test corp's app has no approval access: give it one, without vacations.
    corp = make_corp(apps=[{"agentid": AGENTID, "secret": SECRET, "approval": True}])
    load_org(store, make_org(corp), now=1)

    conf = wire.client.get(
        "/cgi-bin/oa/vacation/getcorpconf", params={"access_token": wire.token}
    ).json()

    assert conf == {"errcode": 0, "errmsg": "ok", "lists": []}
    assert quota(wire)["lists"] == []
    assert set_quota(wire, leftduration=8640)["errcode"] == 301063
