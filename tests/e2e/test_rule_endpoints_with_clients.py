"""Rules, schedules, 补卡, faces, device data and /api/explain through the real clients.

A real ``daka serve`` process (one per module and xdist worker) is driven with wecomkit 0.2.0
and wechatpy 2.0, unchanged except for their base URL, and /api/explain with plain httpx.

The server runs on the suite's clock (``tests.clock``), in Asia/Shanghai. So a rule created with
``effective_now`` applies from *today* (and yesterday keeps the org file's rule), schedules are
set for tomorrow onwards, and 补卡 and device punches go to past weekdays, which the org file's
rule (it has no start date, and no statutory holidays: ``sync_holidays`` off) makes workdays.

Two corps, each test on its own users, so the tests share the server in any order:

- ``RULES``: apps 1000001 and 2000002, users zhangsan (补卡), lisi (device data), wangwu
  (faces), zhaoliu (a rule created with wecomkit), sunqi (a rule updated and deleted with
  wechatpy); rule 1 from the org file: Mon–Fri 09:00–18:00 over the whole company, 补卡 allowed.
- ``SHIFTS``: zhangsan and lisi under shift rule 5 (早班 08:00–16:00, 夜班 22:00–06:00).
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from wechatpy.exceptions import WeChatClientException
from wecomkit import WeComAPIError

from tests.clock import away_from_midnight, now_int
from tests.e2e.conftest import (
    Api,
    CorpKey,
    DakaServer,
    at_day,
    day_bounds,
    past_monday,
    run_wecomkit,
    start_server,
    today_in_shanghai,
    wechatpy_client,
)
from tests.factories import (
    SHANGHAI,
    api_rule,
    make_corp,
    make_org,
    make_record,
    make_rule,
    make_shift_rule,
    make_slot,
    midnight,
)

pytestmark = pytest.mark.slow

RULES = CorpKey("wwe2erules000001", "rules-app-secret")
RULES_HR = CorpKey(RULES.corpid, "rules-hr-secret")  # a second app of the same corp
SHIFTS = CorpKey("wwe2eshifts00001", "shifts-app-secret")
HR_AGENTID = 2000002
ORG_RULE_ID = 1
SHIFT_RULE_ID = 5

# Every field of getcorpcheckinoption's group[] (docs/wecom-api.md §4.1 and §4.2).
RULE_FIELDS_4_1 = {
    "grouptype",
    "groupid",
    "groupname",
    "open_sp_checkin",
    "checkindate",
    "spe_workdays",
    "spe_offdays",
    "sync_holidays",
    "need_photo",
    "note_can_use_local_pic",
    "allow_checkin_offworkday",
    "allow_apply_offworkday",
    "wifimac_infos",
    "loc_infos",
    "schedulelist",
    "buka_restriction",
    "allow_apply_bk_cnt",
    "allow_apply_bk_day_limit",
    "buka_limit_next_month",
    "span_day_time",
    "standard_work_duration",
    "checkin_method_type",
}
RULE_FIELDS_4_2 = {
    "range",
    "create_time",
    "white_users",
    "type",
    "reporterinfo",
    "ot_info",
    "allow_apply_bk_cnt",
    "option_out_range",
    "create_userid",
    "update_userid",
    "use_face_detect",
    "open_face_live_detect",
    "allow_apply_bk_day_limit",
    "offwork_interval_time",
    "checkin_method_type",
}


def rules_org() -> dict[str, Any]:
    people = [
        ("zhangsan", "张三", 2),
        ("lisi", "李四", 3),
        ("wangwu", "王五", 1),
        ("zhaoliu", "赵六", 1),
        ("sunqi", "孙七", 1),
        ("zhouba", "周八", 1),
    ]
    rules = make_corp(
        RULES.corpid,
        secret=RULES.secret,
        users=[{"userid": u, "name": n, "department": [d]} for u, n, d in people],
        rules=[make_rule(ORG_RULE_ID, allow_apply_offworkday=True, sync_holidays=False)],
    )
    rules["apps"].append(
        {"agentid": HR_AGENTID, "name": "HR", "secret": RULES_HR.secret, "checkin": True}
    )
    shifts = make_corp(
        SHIFTS.corpid, secret=SHIFTS.secret, rules=[make_shift_rule(SHIFT_RULE_ID, parties=["1"])]
    )
    return make_org(rules, shifts)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DakaServer]:
    """One server for the module (per xdist worker), rate limits off."""
    started = start_server(tmp_path_factory.mktemp("daka-rule-endpoints"), org=rules_org())
    yield started
    started.stop()


# -- helpers -----------------------------------------------------------------------------------


def yearmonth(day: date) -> int:
    return day.year * 100 + day.month


def corp_rules(client: Any) -> dict[str, dict[str, Any]]:
    """getcorpcheckinoption (wechatpy, empty body) as {groupname: rule}."""
    answer = client.oa.get_corp_checkin_option()
    assert answer["errcode"] == 0, answer
    return {g["groupname"]: g for g in answer["group"]}


def rule_of(client: Any, userid: str, day: date) -> dict[str, Any] | None:
    """The rule getcheckinoption gives ``userid`` on ``day`` (wechatpy), or None."""
    answer = client.oa.get_checkin_option(midnight(day), [userid])
    assert answer["errcode"] == 0, answer
    return answer["info"][0]["group"] if answer["info"] else None


def explain(server: DakaServer, corp: CorpKey, userid: str, day: date) -> dict[str, Any]:
    """GET /api/explain over plain httpx, with a token from gettoken."""
    api = Api(server.base_url, corp.corpid, corp.secret)
    try:
        token = api.login()
        response = api.http.get(
            "/api/explain",
            params={"access_token": token, "userid": userid, "date": day.isoformat()},
        )
    finally:
        api.close()
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["errcode"] == 0, body
    return dict(body)


def wechatpy_error(call: Any) -> int:
    """The errcode of the WeChatClientException ``call()`` raises (header checked too)."""
    with pytest.raises(WeChatClientException) as caught:
        call()
    assert caught.value.response.headers["Error-Code"] == str(caught.value.errcode)
    return int(caught.value.errcode)


def wecomkit_error(corp: CorpKey, server: DakaServer, work: Any) -> int:
    """The errcode of the WeComAPIError ``await work(client)`` raises."""

    async def run(client: Any) -> int:
        with pytest.raises(WeComAPIError) as caught:
            await work(client)
        return int(caught.value.errcode)

    return int(run_wecomkit(server.base_url, run, corp))


def tiny_png() -> bytes:
    """A valid 1x1 RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# -- add_checkin_option (wecomkit) → getcorpcheckinoption / getcheckinoption (wechatpy) --------


def test_a_rule_created_with_wecomkit_is_listed_with_every_field_and_applies_from_today(
    server: DakaServer,
) -> None:
    away_from_midnight()
    today = today_in_shanghai()
    client = wechatpy_client(server.base_url, RULES)
    before = corp_rules(client)
    # Every day 00:00–23:59, so that a punch made a minute ago today is its 上班打卡.
    group = api_rule(
        groupname="e2e 创建",
        users=["zhaoliu"],
        parties=[],
        reporterinfo={"reporters": [{"userid": "wangwu"}]},
        allow_apply_offworkday=True,
        sync_holidays=False,
        workdays=[0, 1, 2, 3, 4, 5, 6],
        slots=[make_slot("00:00", "23:59")],
    )
    created_after = now_int()

    async def create(wk: Any) -> dict[str, Any]:
        return dict(await wk.checkin.add_checkin_option(group, effective_now=True))

    assert run_wecomkit(server.base_url, create, RULES) == {"errcode": 0, "errmsg": "ok"}
    created_before = now_int()

    rules = corp_rules(client)
    assert set(rules) == {*before, "e2e 创建"}
    rule = rules["e2e 创建"]
    assert rule["groupid"] not in {g["groupid"] for g in before.values()}
    assert RULE_FIELDS_4_1 | RULE_FIELDS_4_2 <= set(rule), sorted(
        (RULE_FIELDS_4_1 | RULE_FIELDS_4_2) - set(rule)
    )
    assert rule["grouptype"] == 1
    assert rule["range"] == {"party_id": [], "userid": ["zhaoliu"], "tagid": []}
    assert created_after <= rule["create_time"] <= created_before
    assert rule["white_users"] == []
    assert rule["type"] == 0
    assert rule["reporterinfo"]["reporters"] == [{"userid": "wangwu"}]
    assert rule["ot_info"] == {}
    assert rule["option_out_range"] == 0
    assert (rule["allow_apply_bk_cnt"], rule["allow_apply_bk_day_limit"]) == (-1, -1)
    assert (rule["use_face_detect"], rule["open_face_live_detect"]) == (False, False)
    assert isinstance(rule["create_userid"], str) and isinstance(rule["update_userid"], str)
    assert rule["offwork_interval_time"] == 0
    assert rule["allow_apply_offworkday"] is True and rule["sync_holidays"] is False
    [plan] = rule["checkindate"]
    assert plan["workdays"] == [0, 1, 2, 3, 4, 5, 6]
    assert (plan["checkintime"][0]["work_sec"], plan["checkintime"][0]["off_work_sec"]) == (
        0,
        23 * 3600 + 59 * 60,
    )
    assert rule["loc_infos"][0]["loc_title"] == "Office"
    assert rule["wifimac_infos"] == [{"wifiname": "Office-WiFi", "wifimac": "3c:46:d8:0c:7a:70"}]

    # effective_now: zhaoliu's rule from today on; yesterday keeps the org file's rule.
    assert rule_of(client, "zhaoliu", today)["groupid"] == rule["groupid"]
    assert rule_of(client, "zhaoliu", today + timedelta(days=1))["groupid"] == rule["groupid"]
    assert rule_of(client, "zhaoliu", today - timedelta(days=1))["groupid"] == ORG_RULE_ID
    assert rule_of(client, "wangwu", today)["groupid"] == ORG_RULE_ID
    # getcheckinoption shows §4.1 fields only.
    assert set(rule_of(client, "zhaoliu", today)) == RULE_FIELDS_4_1

    # A punch made a minute ago is judged by the new rule.
    punched = now_int() - 60
    written = client.post(
        "checkin/add_checkin_record", data={"records": [make_record("zhaoliu", punched)]}
    )
    assert written == {"errcode": 0, "errmsg": "ok"}
    rows = client.oa.get_checkin_data(3, *day_bounds(today), ["zhaoliu"])["checkindata"]
    assert [
        (
            r["checkin_type"],
            r["exception_type"],
            r["checkin_time"],
            r["groupid"],
            r["groupname"],
            r["sch_checkin_time"],
        )
        for r in rows
    ] == [("上班打卡", "时间异常", punched, rule["groupid"], "e2e 创建", midnight(today))]
    # Yesterday is still judged by the org file's rule (Mon–Fri 09:00–18:00, no punches).
    yesterday = today - timedelta(days=1)
    rows = client.oa.get_checkin_data(3, *day_bounds(yesterday), ["zhaoliu"])["checkindata"]
    assert [(r["groupid"], r["exception_type"], r["sch_checkin_time"]) for r in rows] == (
        [
            (ORG_RULE_ID, "未打卡", at_day(yesterday, "09:00")),
            (ORG_RULE_ID, "未打卡", at_day(yesterday, "18:00")),
        ]
        if yesterday.weekday() < 5
        else []
    )
    explained = explain(server, RULES, "zhaoliu", today)
    assert explained["rule"] == {
        "groupid": rule["groupid"],
        "groupname": "e2e 创建",
        "grouptype": 1,
        "version": 1,
        "effective_from": today.isoformat(),
    }
    assert [(p["checkin_time"], p["taken_as"], p["source"]) for p in explained["punches"]] == [
        (punched, "上班打卡 (timeline 1)", "record")
    ]


def test_a_created_rules_reporterinfo_carries_its_updatetime(server: DakaServer) -> None:
    """§4.2: ``reporterinfo`` is ``{"reporters": [{"userid"}], "updatetime": uint32}``.

    A client sends only ``reporters`` (the doc's create example does); the listing must still
    carry ``updatetime``, the time the reporters were set.
    """
    client = wechatpy_client(server.base_url, RULES)
    set_after = now_int()
    created = client.post(
        "checkin/add_checkin_option",
        data={
            "effective_now": True,
            "group": api_rule(
                groupname="e2e 汇报人",
                users=["zhouba"],
                parties=[],
                reporterinfo={"reporters": [{"userid": "wangwu"}]},
            ),
        },
    )
    set_before = now_int()
    assert created == {"errcode": 0, "errmsg": "ok"}

    reporterinfo = corp_rules(client)["e2e 汇报人"]["reporterinfo"]
    assert set(reporterinfo) == {"reporters", "updatetime"}, reporterinfo
    assert reporterinfo["reporters"] == [{"userid": "wangwu"}]
    assert set_after <= reporterinfo["updatetime"] <= set_before


# -- update_checkin_option / del_checkin_option (raw wechatpy posts) ---------------------------


def test_wechatpy_updates_and_deletes_its_apps_rule_and_sees_the_rule_errcodes(
    server: DakaServer,
) -> None:
    away_from_midnight()
    today = today_in_shanghai()
    client = wechatpy_client(server.base_url, RULES)
    hr = wechatpy_client(server.base_url, RULES_HR)
    created = client.post(
        "checkin/add_checkin_option",
        data={
            "effective_now": True,
            "group": api_rule(groupname="e2e 修改前", users=["sunqi"], parties=[]),
        },
    )
    assert created == {"errcode": 0, "errmsg": "ok"}
    groupid = corp_rules(client)["e2e 修改前"]["groupid"]

    # The creating app may change it: a scalar overwritten, arrays left alone.
    updated = client.post(
        "checkin/update_checkin_option",
        data={
            "effective_now": True,
            "group": {
                "groupid": groupid,
                "groupname": "e2e 修改后",
                "need_photo": True,
                "wifimac_infos": [],
            },
        },
    )
    assert updated == {"errcode": 0, "errmsg": "ok"}
    rules = corp_rules(client)
    assert "e2e 修改前" not in rules
    rule = rules["e2e 修改后"]
    assert (rule["groupid"], rule["need_photo"]) == (groupid, True)
    assert rule["range"] == {"party_id": [], "userid": ["sunqi"], "tagid": []}
    assert rule["wifimac_infos"] == [{"wifiname": "Office-WiFi", "wifimac": "3c:46:d8:0c:7a:70"}]
    assert rule_of(client, "sunqi", today)["groupname"] == "e2e 修改后"

    # Another app of the corp may not change or delete it; nor may any app touch the org
    # file's rule. Refused calls change nothing.
    assert (
        wechatpy_error(
            lambda: hr.post(
                "checkin/update_checkin_option",
                data={"effective_now": True, "group": {"groupid": groupid, "groupname": "HR 的"}},
            )
        )
        == 301092
    )
    assert (
        wechatpy_error(
            lambda: hr.post(
                "checkin/del_checkin_option", data={"groupid": groupid, "effective_now": True}
            )
        )
        == 301092
    )
    assert (
        wechatpy_error(
            lambda: client.post(
                "checkin/update_checkin_option",
                data={"group": {"groupid": ORG_RULE_ID, "groupname": "mine"}},
            )
        )
        == 301092
    )
    assert corp_rules(client)["e2e 修改后"] == rule
    # An unknown groupid.
    assert (
        wechatpy_error(
            lambda: client.post(
                "checkin/update_checkin_option",
                data={"group": {"groupid": 999_999, "groupname": "x"}},
            )
        )
        == 301089
    )
    assert (
        wechatpy_error(lambda: client.post("checkin/del_checkin_option", data={"groupid": 999_999}))
        == 301089
    )
    # wecomkit sees the same errcodes as WeComAPIError.

    async def foreign_delete(wk: Any) -> Any:
        # wecomkit has no method for it: its own transport, as its methods use it.
        return await wk.checkin._post(
            "/cgi-bin/checkin/del_checkin_option", json={"groupid": groupid}
        )

    assert wecomkit_error(RULES_HR, server, foreign_delete) == 301092

    # Deleting (from tomorrow, the default): no longer listed, today keeps it, tomorrow sunqi
    # falls back to the company-wide rule of the org file.
    deleted = client.post("checkin/del_checkin_option", data={"groupid": groupid})
    assert deleted == {"errcode": 0, "errmsg": "ok"}
    assert "e2e 修改后" not in corp_rules(client)
    assert rule_of(client, "sunqi", today)["groupid"] == groupid
    assert rule_of(client, "sunqi", today + timedelta(days=1))["groupid"] == ORG_RULE_ID
    # A deleted rule is an unknown groupid.
    assert (
        wechatpy_error(lambda: client.post("checkin/del_checkin_option", data={"groupid": groupid}))
        == 301089
    )
    assert (
        wechatpy_error(
            lambda: client.post(
                "checkin/update_checkin_option",
                data={"group": {"groupid": groupid, "groupname": "again"}},
            )
        )
        == 301089
    )


# -- schedules ---------------------------------------------------------------------------------


EARLY = {
    "schedule_id": 1,
    "schedule_name": "早班",
    "time_section": [
        {
            "id": 1,
            "work_sec": 8 * 3600,
            "off_work_sec": 16 * 3600,
            "remind_work_sec": 8 * 3600,
            "remind_off_work_sec": 16 * 3600,
        }
    ],
}
NIGHT = {
    "schedule_id": 2,
    "schedule_name": "夜班",
    "time_section": [
        {
            "id": 1,
            "work_sec": 22 * 3600,
            "off_work_sec": 30 * 3600,
            "remind_work_sec": 22 * 3600,
            "remind_off_work_sec": 30 * 3600,
        }
    ],
}
REST = {"schedule_id": 0, "schedule_name": "休息", "time_section": []}


def flatten_schedules(schedule_list: list[dict[str, Any]]) -> dict[tuple[str, date], Any]:
    """{(userid, date): schedule_info} from getcheckinschedulist's schedule_list."""
    out: dict[tuple[str, date], Any] = {}
    for element in schedule_list:
        assert set(element) == {"userid", "yearmonth", "groupid", "groupname", "schedule"}
        assert (element["groupid"], element["groupname"]) == (SHIFT_RULE_ID, "shifts 5")
        assert isinstance(element["yearmonth"], int)
        year, month = divmod(element["yearmonth"], 100)
        assert set(element["schedule"]) == {"scheduleList"}
        for entry in element["schedule"]["scheduleList"]:
            out[(element["userid"], date(year, month, entry["day"]))] = entry["schedule_info"]
    return out


def test_schedules_set_for_future_days_with_both_clients_read_back_with_both(
    server: DakaServer,
) -> None:
    away_from_midnight()
    today = today_in_shanghai()
    tomorrow, after = today + timedelta(days=1), today + timedelta(days=2)

    async def set_tomorrow(wk: Any) -> dict[str, Any]:
        return dict(
            await wk.checkin.set_checkin_schedules(
                SHIFT_RULE_ID,
                yearmonth(tomorrow),
                [
                    {"userid": "zhangsan", "day": tomorrow.day, "schedule_id": 1},
                    {"userid": "lisi", "day": tomorrow.day, "schedule_id": 0},
                ],
            )
        )

    assert run_wecomkit(server.base_url, set_tomorrow, SHIFTS) == {"errcode": 0, "errmsg": "ok"}
    client = wechatpy_client(server.base_url, SHIFTS)
    written = client.oa.set_checkin_schedu_list(
        SHIFT_RULE_ID,
        [
            {"userid": "zhangsan", "day": after.day, "schedule_id": 2},
            {"userid": "lisi", "day": after.day, "schedule_id": 1},
        ],
        yearmonth(after),
    )
    assert written == {"errcode": 0, "errmsg": "ok"}

    start, end = day_bounds(tomorrow, after)
    by_wechatpy = client.oa.get_checkin_schedu_list(start, end, ["zhangsan", "lisi"])

    async def read(wk: Any) -> dict[str, Any]:
        return dict(await wk.checkin.get_checkin_schedules(start, end, ["zhangsan", "lisi"]))

    by_wecomkit = run_wecomkit(server.base_url, read, SHIFTS)
    assert by_wechatpy == by_wecomkit
    assert by_wechatpy["errcode"] == 0
    # Users in request order.
    assert [e["userid"] for e in by_wechatpy["schedule_list"]][:1] == ["zhangsan"]
    assert flatten_schedules(by_wechatpy["schedule_list"]) == {
        ("zhangsan", tomorrow): EARLY,
        ("lisi", tomorrow): REST,
        ("zhangsan", after): NIGHT,
        ("lisi", after): EARLY,
    }
    # The schedule decides the day: explain shows tomorrow's 早班 for zhangsan.
    explained = explain(server, SHIFTS, "zhangsan", tomorrow)
    assert explained["rule"]["groupid"] == SHIFT_RULE_ID
    assert (explained["day"]["workday"], explained["day"]["schedule_id"]) == (True, 1)
    [instance] = explained["instances"]
    assert instance["scheduled"] == {
        "on": datetime(tomorrow.year, tomorrow.month, tomorrow.day, 8, tzinfo=SHANGHAI).isoformat(),
        "off": datetime(
            tomorrow.year, tomorrow.month, tomorrow.day, 16, tzinfo=SHANGHAI
        ).isoformat(),
    }


def test_schedules_for_today_or_the_past_are_refused_with_301073(server: DakaServer) -> None:
    away_from_midnight()
    today = today_in_shanghai()
    yesterday = today - timedelta(days=1)
    client = wechatpy_client(server.base_url, SHIFTS)

    assert (
        wechatpy_error(
            lambda: client.oa.set_checkin_schedu_list(
                SHIFT_RULE_ID,
                [{"userid": "zhangsan", "day": today.day, "schedule_id": 1}],
                yearmonth(today),
            )
        )
        == 301073
    )

    async def set_yesterday(wk: Any) -> Any:
        return await wk.checkin.set_checkin_schedules(
            SHIFT_RULE_ID,
            yearmonth(yesterday),
            [{"userid": "lisi", "day": yesterday.day, "schedule_id": 1}],
        )

    assert wecomkit_error(SHIFTS, server, set_yesterday) == 301073
    start, end = day_bounds(yesterday, today)
    answer = client.oa.get_checkin_schedu_list(start, end, ["zhangsan", "lisi"])
    assert answer == {"errcode": 0, "errmsg": "ok", "schedule_list": []}


# -- punch_correction (wecomkit) → getcheckindata (wechatpy) and /api/explain (httpx) ----------


def test_a_punch_corrected_with_wecomkit_turns_the_missing_row_normal(
    server: DakaServer,
) -> None:
    monday = past_monday()  # a past workday of the org file's rule 1
    client = wechatpy_client(server.base_url, RULES)
    start, end = day_bounds(monday)
    before = client.oa.get_checkin_data(3, start, end, ["zhangsan"])["checkindata"]
    assert [(r["checkin_type"], r["exception_type"]) for r in before] == [
        ("上班打卡", "未打卡"),
        ("下班打卡", "未打卡"),
    ]

    async def correct(wk: Any) -> dict[str, Any]:
        return dict(
            await wk.checkin.punch_correction(
                "zhangsan",
                midnight(monday),
                at_day(monday, "08:58"),
                schedule_checkin_time=9 * 3600,
                remark="忘记打卡",
            )
        )

    assert run_wecomkit(server.base_url, correct, RULES) == {"errcode": 0, "errmsg": "ok"}

    rows = client.oa.get_checkin_data(3, start, end, ["zhangsan"])["checkindata"]
    assert [
        (
            r["checkin_type"],
            r["exception_type"],
            r["checkin_time"],
            r["sch_checkin_time"],
            r["groupid"],
            r["notes"],
        )
        for r in rows
    ] == [
        ("上班打卡", "", at_day(monday, "08:58"), at_day(monday, "09:00"), ORG_RULE_ID, "忘记打卡"),
        ("下班打卡", "未打卡", at_day(monday, "18:00"), at_day(monday, "18:00"), ORG_RULE_ID, ""),
    ]

    explained = explain(server, RULES, "zhangsan", monday)
    assert explained["rule"]["groupid"] == ORG_RULE_ID
    assert [(p["checkin_time"], p["taken_as"], p["source"]) for p in explained["punches"]] == [
        (at_day(monday, "08:58"), "上班打卡 (timeline 1)", "correction")
    ]
    assert [(r["checkin_type"], r["exception_type"]) for r in explained["rows"]] == [
        ("上班打卡", ""),
        ("下班打卡", "未打卡"),
    ]

    # A 补卡 is no device punch.
    hardware = client.oa.get_hardware_checkin_data(start, end, ["zhangsan"])
    assert hardware == {"errcode": 0, "errmsg": "ok", "checkindata": []}


@pytest.mark.parametrize(
    ("point", "hhmm", "errcode"),
    [
        pytest.param(10 * 3600, "09:58", 301080, id="no-point-at-10:00"),
        pytest.param(9 * 3600, "04:00", 301081, id="before-the-on-duty-window"),
    ],
)
def test_wecomkit_sees_punch_correction_errcodes(
    server: DakaServer, point: int, hhmm: str, errcode: int
) -> None:
    tuesday = past_monday() + timedelta(days=1)  # nothing is ever written there

    async def correct(wk: Any) -> Any:
        return await wk.checkin.punch_correction(
            "zhangsan", midnight(tuesday), at_day(tuesday, hhmm), schedule_checkin_time=point
        )

    assert wecomkit_error(RULES, server, correct) == errcode
    client = wechatpy_client(server.base_url, RULES)
    rows = client.oa.get_checkin_data(3, *day_bounds(tuesday), ["zhangsan"])["checkindata"]
    assert [r["exception_type"] for r in rows] == ["未打卡", "未打卡"]


# -- addcheckinuserface (wechatpy) -------------------------------------------------------------


def test_wechatpy_enrols_a_face_and_sees_301072_for_data_that_is_no_image(
    server: DakaServer,
) -> None:
    client = wechatpy_client(server.base_url, RULES)
    png = base64.b64encode(tiny_png()).decode()

    assert client.oa.add_checkin_userface("wangwu", png) == {"errcode": 0, "errmsg": "ok"}
    text = base64.b64encode("不是图片".encode()).decode()
    assert wechatpy_error(lambda: client.oa.add_checkin_userface("wangwu", text)) == 301072
    assert wechatpy_error(lambda: client.oa.add_checkin_userface("wangwu", "%%%")) == 301072
    assert wechatpy_error(lambda: client.oa.add_checkin_userface("ghost", png)) == 301069


# -- hardware/get_hardware_checkin_data (wechatpy) ---------------------------------------------


def test_wechatpy_reads_device_punches_with_their_device_name(server: DakaServer) -> None:
    wednesday = past_monday() + timedelta(days=2)
    client = wechatpy_client(server.base_url, RULES)
    received_from = now_int() - 1
    written = client.post(
        "checkin/add_checkin_record",
        data={
            "records": [
                make_record(
                    "lisi", at_day(wednesday, "08:52"), device_type=1, device_detail="Gate-A"
                ),
                make_record(
                    "lisi", at_day(wednesday, "12:00"), device_type=3, device_detail="Phone"
                ),
                make_record(
                    "lisi", at_day(wednesday, "18:07"), device_type=1, device_detail="Gate-B"
                ),
                make_record(
                    "lisi", at_day(wednesday, "18:09"), device_type=2, device_detail="ZKTeco"
                ),
            ]
        },
    )
    assert written == {"errcode": 0, "errmsg": "ok"}
    received_to = now_int() + 1
    expected = [
        {
            "userid": "lisi",
            "checkin_time": at_day(wednesday, "08:52"),
            "device_sn": "",
            "device_name": "Gate-A",
        },
        {
            "userid": "lisi",
            "checkin_time": at_day(wednesday, "18:07"),
            "device_sn": "",
            "device_name": "Gate-B",
        },
        {
            "userid": "lisi",
            "checkin_time": at_day(wednesday, "18:09"),
            "device_sn": "",
            "device_name": "ZKTeco",
        },
    ]

    # By punch time (the default); an unknown userid is ignored.
    answer = client.oa.get_hardware_checkin_data(*day_bounds(wednesday), ["ghost", "lisi"])
    assert answer == {"errcode": 0, "errmsg": "ok", "checkindata": expected}
    # By the time the server received them.
    answer = client.oa.get_hardware_checkin_data(
        received_from, received_to, ["lisi"], filter_type=2
    )
    assert answer["checkindata"] == expected
    # getcheckindata judges the same punches by the rule: gate at 08:52, last at 18:09.
    rows = client.oa.get_checkin_data(1, *day_bounds(wednesday), ["lisi"])["checkindata"]
    assert [(r["checkin_type"], r["checkin_time"], r["exception_type"]) for r in rows] == [
        ("上班打卡", at_day(wednesday, "08:52"), ""),
        ("下班打卡", at_day(wednesday, "18:09"), ""),
    ]
