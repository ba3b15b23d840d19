"""Decisions made from stored state hold under concurrency, on SQLite and PostgreSQL.

Several threads call the service at once, each on its own database connection, as the
requests of a busy server do. A check that reads the database and then writes (the 补卡
quota, the body an update merges into) must judge them one after the other.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson

from daka.domain.errors import DakaError
from daka.services.org import load_org
from daka.services.service import Service
from tests.factories import CORPID, SECRET, api_rule, at, make_corp, make_org, make_rule

THREADS = 8
FRIDAY = at(2026, 11, 20)


def call_at_once(service: Service, endpoint: str, bodies: list[dict[str, Any]]) -> list[int]:
    """The errcode of each body sent to ``endpoint``, all released at the same moment."""
    token, _ = service.get_token(CORPID, SECRET)
    start = threading.Barrier(len(bodies))

    def send(body: dict[str, Any]) -> int:
        start.wait()
        try:
            service.call(endpoint, token, orjson.dumps(body))
        except DakaError as exc:
            return exc.errcode
        return 0

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, bodies))


def test_concurrent_corrections_never_pass_the_monthly_quota(contract_service: Service) -> None:
    rule = make_rule(allow_apply_offworkday=True, allow_apply_bk_cnt=2)
    load_org(contract_service.store, make_org(make_corp(rules=[rule])))
    bodies = [
        {
            "userid": "zhangsan",
            "schedule_date_time": FRIDAY,
            "schedule_checkin_time": 9 * 3600,
            "checkin_time": FRIDAY + 8 * 3600 + 60 * k,
            "remark": f"忘记打卡 {k}",
        }
        for k in range(THREADS)
    ]

    codes = call_at_once(contract_service, "checkin/punch_correction", bodies)

    assert sorted(codes) == [0, 0] + [301105] * (THREADS - 2)
    store = contract_service.store
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        assert store.correction_count(conn, corp.id, "zhangsan", FRIDAY, FRIDAY + 86_400) == 2


def test_concurrent_updates_of_one_rule_each_keep_the_others_changes(
    contract_service: Service,
) -> None:
    load_org(contract_service.store, make_org(make_corp(rules=[])))
    service = contract_service
    assert call_at_once(
        service,
        "checkin/add_checkin_option",
        [{"group": api_rule(groupname="shared", users=["zhangsan"], parties=[])}],
    ) == [0]
    token, _ = service.get_token(CORPID, SECRET)
    [created] = service.call("checkin/getcorpcheckinoption", token, b"{}")["group"]
    groupid = created["groupid"]
    changes = [
        {"groupname": "renamed"},
        {"white_users": ["lisi"]},
        {"range": {"userid": ["zhangsan", "wangwu"], "party_id": [], "tagid": []}},
        {
            "loc_infos": [
                {
                    "lat": 31_000_000,
                    "lng": 121_000_000,
                    "loc_title": "Depot",
                    "loc_detail": "Pudong",
                    "distance": 200,
                }
            ]
        },
        {"wifimac_infos": [{"wifiname": "Depot-WiFi", "wifimac": "3c:46:d8:0c:7a:71"}]},
        {"spe_offdays": [{"timestamp": at(2026, 12, 25), "notes": "holiday", "checkintime": []}]},
    ]
    bodies = [{"group": {"groupid": groupid, **change}} for change in changes]

    codes = call_at_once(service, "checkin/update_checkin_option", bodies)

    assert codes == [0] * len(changes)
    [rule] = service.call("checkin/getcorpcheckinoption", token, b"{}")["group"]
    assert rule["groupid"] == groupid
    assert rule["groupname"] == "renamed"
    assert rule["white_users"] == ["lisi"]
    assert rule["range"]["userid"] == ["zhangsan", "wangwu"]
    assert [p["loc_title"] for p in rule["loc_infos"]] == ["Depot"]
    assert [w["wifiname"] for w in rule["wifimac_infos"]] == ["Depot-WiFi"]
    assert [d["notes"] for d in rule["spe_offdays"]] == ["holiday"]
    store = service.store
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        versions = [v.version for v in store.rule_versions(conn, corp.id)]
    assert versions == list(range(1, len(changes) + 2))
