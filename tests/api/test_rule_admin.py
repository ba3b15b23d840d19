"""Rule management: add / update / clear / delete, versions by effective date, ownership."""

from __future__ import annotations

import pytest

from daka.services.org import load_org
from tests.api.golden import assert_golden, assert_golden_case
from tests.conftest import Wire
from tests.factories import (
    CORPID,
    OFFICE,
    api_rule,
    at,
    make_corp,
    make_org,
    make_record,
    make_slot,
)

OTHER_APP = {"agentid": 2000002, "name": "HR", "secret": "hr-secret", "checkin": True}


@pytest.fixture
def admin(api, store):
    """The default test corp without rules, with a second app; logged in as the first app."""
    corp = make_corp(rules=[])
    corp["apps"].append(OTHER_APP)
    load_org(store, make_org(corp))
    wire = Wire(api)
    wire.login()
    return wire


def rules(wire):
    return wire.post("checkin/getcorpcheckinoption")["group"]


def rule_on(wire, day_ts, userid="zhangsan"):
    info = wire.post("checkin/getcheckinoption", {"datetime": day_ts, "useridlist": [userid]})
    return info["info"][0]["group"] if info["info"] else None


def test_a_created_rule_answers_no_groupid_and_is_listed_with_every_field(admin, clock):
    body = admin.post(
        "checkin/add_checkin_option", {"effective_now": True, "group": api_rule(groupname="总部")}
    )

    assert body == {"errcode": 0, "errmsg": "ok"}
    (rule,) = rules(admin)
    assert (rule["groupid"], rule["groupname"], rule["create_time"]) == (1, "总部", clock.now)
    assert_golden("getcorpcheckinoption_created", {"group": [rule]})


def test_new_rules_apply_from_tomorrow_unless_effective_now(admin):
    admin.post("checkin/add_checkin_option", {"group": api_rule(groupname="later")})
    admin.post(
        "checkin/add_checkin_option",
        {"effective_now": True, "group": api_rule(groupname="now", parties=[], users=["lisi"])},
    )

    assert rule_on(admin, at(2026, 11, 23)) is None  # zhangsan: "later" starts tomorrow
    assert rule_on(admin, at(2026, 11, 24))["groupname"] == "later"
    assert rule_on(admin, at(2026, 11, 23), "lisi")["groupname"] == "now"


def test_a_change_keeps_past_days_as_they_were(admin, clock):
    today = clock.now
    clock.now = at(2026, 11, 2, 12)  # the rule was created three weeks ago
    admin.post("checkin/add_checkin_option", {"effective_now": True, "group": api_rule()})
    clock.now = today
    for day in (20, 23):  # last Friday, and today (Monday, now 12:00)
        admin.post(
            "checkin/add_checkin_record",
            {"records": [make_record(checkin_time=at(2026, 11, day, 9, 30))]},
        )
    groupid = rules(admin)[0]["groupid"]

    admin.post(
        "checkin/update_checkin_option",
        {
            "effective_now": True,
            "group": {
                "groupid": groupid,
                "checkindate": [
                    {
                        "workdays": [1, 2, 3, 4, 5],
                        "checkintime": [make_slot("10:00", "19:00")],
                        "limit_aheadtime": 10_800_000,
                    }
                ],
            },
        },
    )

    rows = admin.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 1,
            "starttime": at(2026, 11, 20),
            "endtime": at(2026, 11, 23, 23),
            "useridlist": ["zhangsan"],
        },
    )["checkindata"]
    on_duty = [r for r in rows if r["checkin_type"] == "上班打卡"]
    assert [(r["sch_checkin_time"], r["exception_type"]) for r in on_duty] == [
        (at(2026, 11, 20, 9), "时间异常"),
        (at(2026, 11, 23, 10), ""),
    ]


def test_update_merges_like_wecom(admin):
    admin.post(
        "checkin/add_checkin_option",
        {
            "effective_now": True,
            "group": api_rule(
                groupname="A",
                need_photo=True,
                spe_offdays=[{"timestamp": at(2026, 12, 1), "notes": "团建", "type": 0}],
            ),
        },
    )
    before = rules(admin)[0]

    admin.post(
        "checkin/update_checkin_option",
        {
            "effective_now": True,
            "group": {
                "groupid": before["groupid"],
                "groupname": "B",  # scalar: overwritten
                "spe_offdays": [],  # empty array: unchanged
                "wifimac_infos": [{"wifiname": "New", "wifimac": "aa:bb:cc:dd:ee:ff"}],  # replaced
                "range": {
                    "party_id": ["2"],
                    "userid": [],
                    "tagid": [],
                },  # object: overwritten whole
            },
        },
    )

    after = rules(admin)[0]
    assert after["groupname"] == "B"
    assert after["spe_offdays"] == before["spe_offdays"]
    assert after["wifimac_infos"] == [{"wifiname": "New", "wifimac": "aa:bb:cc:dd:ee:ff"}]
    assert after["range"] == {"party_id": ["2"], "userid": [], "tagid": []}
    assert after["need_photo"] is True and after["loc_infos"] == before["loc_infos"]


def test_clearing_array_fields_empties_them_but_not_both_places(admin):
    admin.post(
        "checkin/add_checkin_option",
        {
            "effective_now": True,
            "group": api_rule(
                spe_offdays=[{"timestamp": at(2026, 12, 1), "notes": "团建", "type": 0}]
            ),
        },
    )
    groupid = rules(admin)[0]["groupid"]

    cleared = admin.post(
        "checkin/clear_checkin_option_array_field",
        {"groupid": groupid, "clear_field": [2, 3], "effective_now": True},
    )
    both = admin.post(
        "checkin/clear_checkin_option_array_field",
        {"groupid": groupid, "clear_field": [4], "effective_now": True},
    )

    rule = rules(admin)[0]
    assert cleared["errcode"] == 0
    assert (rule["spe_offdays"], rule["wifimac_infos"]) == ([], [])
    assert rule["loc_infos"][0]["lat"] == OFFICE[0]
    assert both["errcode"] == 301097


def test_a_deleted_rule_stops_applying_from_tomorrow(admin):
    admin.post("checkin/add_checkin_option", {"effective_now": True, "group": api_rule()})
    groupid = rules(admin)[0]["groupid"]

    body = admin.post("checkin/del_checkin_option", {"groupid": groupid})

    assert body["errcode"] == 0
    assert rules(admin) == []
    assert rule_on(admin, at(2026, 11, 23))["groupid"] == groupid
    assert rule_on(admin, at(2026, 11, 24)) is None
    again = admin.post("checkin/update_checkin_option", {"group": {"groupid": groupid}})
    assert again["errcode"] == 301089


def test_only_the_creating_app_may_change_a_rule(admin, api):
    admin.post("checkin/add_checkin_option", {"effective_now": True, "group": api_rule()})
    groupid = rules(admin)[0]["groupid"]
    hr = Wire(api)
    hr.login(CORPID, "hr-secret")

    for endpoint, body in [
        ("checkin/update_checkin_option", {"group": {"groupid": groupid, "groupname": "x"}}),
        ("checkin/clear_checkin_option_array_field", {"groupid": groupid, "clear_field": [1]}),
        ("checkin/del_checkin_option", {"groupid": groupid}),
    ]:
        assert hr.post(endpoint, body)["errcode"] == 301092


def test_rules_from_the_org_file_belong_to_no_app(wire):
    body = wire.post("checkin/update_checkin_option", {"group": {"groupid": 1, "groupname": "x"}})

    assert_golden("update_checkin_option_301092", body)


def test_an_app_without_rule_management_gets_301088(api, store):
    corp = make_corp(rules=[])
    corp["apps"][0]["manage_rules"] = False
    load_org(store, make_org(corp))
    wire = Wire(api)
    wire.login()

    assert_golden(
        "add_checkin_option_301088", wire.post("checkin/add_checkin_option", {"group": api_rule()})
    )


@pytest.mark.parametrize(
    ("group", "errcode", "golden"),
    [
        (None, 301086, "add_checkin_option_301086"),
        (api_rule(groupname=""), 301094, "add_checkin_option_301094"),
        (api_rule(loc_infos=[], wifimac_infos=[]), 301097, None),
        (api_rule(users=["ghost"]), 301090, "add_checkin_option_301090"),
    ],
)
def test_add_checkin_option_errors(admin, group, errcode, golden, request):
    body = admin.post("checkin/add_checkin_option", {} if group is None else {"group": group})

    assert body["errcode"] == errcode
    assert rules(admin) == []
    if golden:
        assert_golden(golden, body)
    else:
        assert_golden_case(request, body)


def test_the_same_department_in_two_rules_is_a_range_conflict(admin):
    admin.post("checkin/add_checkin_option", {"group": api_rule(parties=["2"])})

    body = admin.post("checkin/add_checkin_option", {"group": api_rule(parties=["2"])})

    assert_golden("add_checkin_option_301091", body)
    assert len(rules(admin)) == 1


def test_a_corp_has_a_limited_number_of_rules(admin, monkeypatch):
    monkeypatch.setattr("daka.services.rule_admin.MAX_RULES_PER_CORP", 1)
    admin.post("checkin/add_checkin_option", {"group": api_rule(parties=["2"])})

    body = admin.post("checkin/add_checkin_option", {"group": api_rule(parties=["3"])})

    assert_golden("add_checkin_option_301095", body)
    assert len(rules(admin)) == 1


def test_update_needs_a_known_groupid(admin):
    assert_golden(
        "update_checkin_option_301086", admin.post("checkin/update_checkin_option", {"group": {}})
    )
    assert_golden(
        "update_checkin_option_301089",
        admin.post("checkin/update_checkin_option", {"group": {"groupid": 99}}),
    )
