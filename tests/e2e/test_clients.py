"""The real third-party WeCom clients against a real server: wecomkit 0.2.0 and wechatpy 2.0.

The clients are used unchanged except for their base URL. The tests share the session's server
and work in its default test corp (CORPID / SECRET); each writes punches for its own user or
days, so none sees another's data.

The default rule (tests.factories.make_rule) is Mon–Fri 09:00–18:00 with no flex, so on a past
workday an 08:55 punch is an on-time 上班打卡, 18:05 an on-time 下班打卡, 09:20 a late one
(时间异常), and a day without an evening punch gets a synthetic 未打卡 下班打卡 at 18:00.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from wechatpy.exceptions import WeChatClientException
from wecomkit import WeComAPIError

from tests.e2e.conftest import (
    Api,
    DakaServer,
    at_day,
    day_bounds,
    past_monday,
    run_wecomkit,
    wechatpy_client,
)
from tests.factories import midnight

pytestmark = pytest.mark.slow

# Every key getcheckindata's rows carry (docs/wecom-api.md §3), always present.
ROW_KEYS = {
    "userid",
    "groupname",
    "checkin_type",
    "exception_type",
    "checkin_time",
    "location_title",
    "location_detail",
    "wifiname",
    "notes",
    "wifimac",
    "mediaids",
    "lat",
    "lng",
    "deviceid",
    "sch_checkin_time",
    "groupid",
    "schedule_id",
    "timeline_id",
}
LATE_NOTE = "路上堵车，迟到了20分钟"


def record(userid: str, checkin_time: int, **extra: Any) -> dict[str, Any]:
    """An add_checkin_record element from an attendance machine (no location to judge)."""
    return {
        "userid": userid,
        "checkin_time": checkin_time,
        "location_title": "Lobby",
        "location_detail": "1F",
        "device_type": 2,
        "device_detail": "ZKTeco",
        **extra,
    }


def week_records(userid: str, monday: date) -> list[dict[str, Any]]:
    """Monday 08:55 and 18:05 (on time), Tuesday 09:20 (late, with a note), no Tuesday evening."""
    tuesday = monday + timedelta(days=1)
    return [
        record(userid, at_day(monday, "08:55")),
        record(userid, at_day(monday, "18:05")),
        record(userid, at_day(tuesday, "09:20"), notes=LATE_NOTE),
    ]


def expected_week_rows(userid: str, monday: date) -> list[dict[str, Any]]:
    """The classified rows of week_records, in time order (the fields that matter)."""
    tuesday = monday + timedelta(days=1)
    return [
        {
            "userid": userid,
            "checkin_type": "上班打卡",
            "exception_type": "",
            "checkin_time": at_day(monday, "08:55"),
            "sch_checkin_time": at_day(monday, "09:00"),
            "notes": "",
        },
        {
            "userid": userid,
            "checkin_type": "下班打卡",
            "exception_type": "",
            "checkin_time": at_day(monday, "18:05"),
            "sch_checkin_time": at_day(monday, "18:00"),
            "notes": "",
        },
        {
            "userid": userid,
            "checkin_type": "上班打卡",
            "exception_type": "时间异常",
            "checkin_time": at_day(tuesday, "09:20"),
            "sch_checkin_time": at_day(tuesday, "09:00"),
            "notes": LATE_NOTE,
        },
        {
            "userid": userid,
            "checkin_type": "下班打卡",
            "exception_type": "未打卡",
            "checkin_time": at_day(tuesday, "18:00"),
            "sch_checkin_time": at_day(tuesday, "18:00"),
            "notes": "",
        },
    ]


def assert_week_rows(checkindata: list[dict[str, Any]], userid: str, monday: date) -> None:
    for row in checkindata:
        assert set(row) == ROW_KEYS, row
        assert row["groupid"] == 1
        assert row["groupname"] == "rule 1"
        assert row["timeline_id"] == 1
        assert row["schedule_id"] == 0
        assert row["deviceid"] == ""
    punched = [r for r in checkindata if r["exception_type"] != "未打卡"]
    for row in punched:
        assert (row["location_title"], row["location_detail"]) == ("Lobby", "1F")
        assert (row["wifiname"], row["wifimac"], row["mediaids"]) == ("", "", [])
        assert (row["lat"], row["lng"]) == (0, 0)
    missing = [r for r in checkindata if r["exception_type"] == "未打卡"]
    for row in missing:
        assert (row["location_title"], row["location_detail"], row["mediaids"]) == ("", "", [])
    picked = [{k: r[k] for k in expected_week_rows(userid, monday)[0]} for r in checkindata]
    assert picked == expected_week_rows(userid, monday)


def assert_user_rule(info: list[dict[str, Any]], userid: str) -> None:
    assert [i["userid"] for i in info] == [userid]
    group = info[0]["group"]
    assert group["groupid"] == 1
    assert group["groupname"] == "rule 1"
    assert group["grouptype"] == 1
    [plan] = group["checkindate"]
    assert plan["workdays"] == [1, 2, 3, 4, 5]
    [slot] = plan["checkintime"]
    assert (slot["work_sec"], slot["off_work_sec"]) == (9 * 3600, 18 * 3600)


def assert_corp_rules(groups: list[dict[str, Any]]) -> None:
    assert [g["groupid"] for g in groups] == [1]
    [group] = groups
    assert group["groupname"] == "rule 1"
    assert group["checkindate"][0]["workdays"] == [1, 2, 3, 4, 5]
    assert group["checkindate"][0]["checkintime"][0]["work_sec"] == 9 * 3600
    assert group["range"]["party_id"] == ["1"]


def wecomkit_write_and_read(
    base_url: str, records: list[dict[str, Any]], userid: str, first: date, last: date
) -> list[dict[str, Any]]:
    start, end = day_bounds(first, last)

    async def work(client: Any) -> list[dict[str, Any]]:
        if records:
            written = await client.checkin.add_checkin_record(records)
            assert written["errcode"] == 0, written
        answer = await client.checkin.get_checkin_data(
            opencheckindatatype=3, starttime=start, endtime=end, userid_list=[userid]
        )
        assert answer["errcode"] == 0, answer
        return list(answer["checkindata"])

    return list(run_wecomkit(base_url, work))


# -- wecomkit ----------------------------------------------------------------------------------


def test_wecomkit_writes_punches_and_reads_them_back_classified(
    shared_server: DakaServer,
) -> None:
    monday = past_monday()
    rows = wecomkit_write_and_read(
        shared_server.base_url,
        week_records("zhangsan", monday),
        "zhangsan",
        monday,
        monday + timedelta(days=1),
    )
    assert_week_rows(rows, "zhangsan", monday)


def test_wecomkit_reads_the_users_rule_and_every_rule_of_the_corp(
    shared_server: DakaServer,
) -> None:
    monday = past_monday()

    async def work(client: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        user = await client.checkin.get_checkin_option(
            userid_list=["zhangsan"], datetime=midnight(monday)
        )
        corp = await client.checkin.get_checkin_all_options()
        return user, corp

    user, corp = run_wecomkit(shared_server.base_url, work)
    assert user["errcode"] == 0 and corp["errcode"] == 0
    assert_user_rule(user["info"], "zhangsan")
    assert_corp_rules(corp["group"])


@pytest.mark.parametrize(
    ("call", "errcode"),
    [
        pytest.param(
            lambda c, day: c.checkin.add_checkin_record(
                [record("zhangsan", at_day(day, "08:50")), record("nobody", at_day(day, "08:51"))]
            ),
            60111,
            id="unknown-userid-in-add_checkin_record",
        ),
        pytest.param(
            lambda c, day: c.checkin.get_checkin_data(
                3, *day_bounds(day), [f"user{i}" for i in range(101)]
            ),
            301023,
            id="101-userids-in-getcheckindata",
        ),
        pytest.param(
            lambda c, day: c.checkin.get_checkin_data(3, *day_bounds(day), ["zhangsan", "nobody"]),
            301021,
            id="unknown-userid-in-getcheckindata",
        ),
        pytest.param(
            lambda c, day: c.checkin.get_checkin_option(["zhangsan"] * 101, midnight(day)),
            301023,
            id="101-userids-in-getcheckinoption",
        ),
    ],
)
def test_wecomkit_raises_wecomapierror_carrying_the_servers_errcode(
    shared_server: DakaServer, call: Any, errcode: int
) -> None:
    day = past_monday() + timedelta(days=4)  # Friday: no test writes there

    async def work(client: Any) -> None:
        with pytest.raises(WeComAPIError) as caught:
            await call(client, day)
        assert caught.value.errcode == errcode
        assert (
            f"more info at https://open.work.weixin.qq.com/devtool/query?e={errcode}"
            in caught.value.errmsg
        )

    run_wecomkit(shared_server.base_url, work)
    # Nothing was written that morning: a refused batch not even its valid first record.
    api = Api(shared_server.base_url)
    try:
        rows = api.post(
            "checkin/getcheckindata",
            {
                "opencheckindatatype": 3,
                "starttime": at_day(day, "08:00"),
                "endtime": at_day(day, "08:59"),
                "useridlist": ["zhangsan"],
            },
        )
    finally:
        api.close()
    assert rows == {"errcode": 0, "errmsg": "ok", "checkindata": []}


# -- wechatpy ----------------------------------------------------------------------------------


def test_wechatpy_writes_punches_and_reads_them_back_classified(
    shared_server: DakaServer,
) -> None:
    monday = past_monday()
    client = wechatpy_client(shared_server.base_url)
    written = client.post(
        "checkin/add_checkin_record", data={"records": week_records("lisi", monday)}
    )
    assert written == {"errcode": 0, "errmsg": "ok"}
    start, end = day_bounds(monday, monday + timedelta(days=1))
    answer = client.oa.get_checkin_data(3, start, end, ["lisi"])
    assert answer["errcode"] == 0
    assert_week_rows(answer["checkindata"], "lisi", monday)
    # opencheckindatatype 2 (外出打卡 only): none of these rows.
    assert client.oa.get_checkin_data(2, start, end, ["lisi"])["checkindata"] == []


def test_wechatpy_reads_the_users_rule_and_every_rule_of_the_corp(
    shared_server: DakaServer,
) -> None:
    client = wechatpy_client(shared_server.base_url)
    user = client.oa.get_checkin_option(midnight(past_monday()), ["lisi"])
    assert user["errcode"] == 0
    assert_user_rule(user["info"], "lisi")
    corp = client.oa.get_corp_checkin_option()  # an empty body, as wechatpy sends it
    assert corp["errcode"] == 0
    assert_corp_rules(corp["group"])


@pytest.mark.parametrize(
    ("call", "errcode"),
    [
        pytest.param(
            lambda c, day: c.post(
                "checkin/add_checkin_record",
                data={
                    "records": [
                        record("lisi", at_day(day, "08:50")),
                        record("nobody", at_day(day, "08:51")),
                    ]
                },
            ),
            60111,
            id="unknown-userid-in-add_checkin_record",
        ),
        pytest.param(
            lambda c, day: c.oa.get_checkin_data(
                3, *day_bounds(day), [f"user{i}" for i in range(101)]
            ),
            301023,
            id="101-userids-in-getcheckindata",
        ),
        pytest.param(
            lambda c, day: c.oa.get_checkin_data(
                3, day_bounds(day)[0], day_bounds(day)[0] + 31 * 86_400, ["lisi"]
            ),
            301024,
            id="31-day-span-in-getcheckindata",
        ),
        pytest.param(
            lambda c, day: c.post(
                "checkin/add_checkin_record",
                data={"records": [record("lisi", at_day(day, "08:50"), wifiname="Office-WiFi")]},
            ),
            40058,
            id="wifiname-without-wifimac",
        ),
    ],
)
def test_wechatpy_raises_wechatclientexception_carrying_the_servers_errcode(
    shared_server: DakaServer, call: Any, errcode: int
) -> None:
    day = past_monday() + timedelta(days=4)
    client = wechatpy_client(shared_server.base_url)
    with pytest.raises(WeChatClientException) as caught:
        call(client, day)
    assert caught.value.errcode == errcode
    assert caught.value.response.headers["Error-Code"] == str(errcode)
    rows = client.oa.get_checkin_data(3, at_day(day, "08:00"), at_day(day, "08:59"), ["lisi"])
    assert rows["checkindata"] == []


def test_wechatpy_refreshes_a_bogus_cached_token_and_retries_the_call(
    shared_server: DakaServer,
) -> None:
    # The server itself refuses the bogus token with 40014 ...
    raw = Api(shared_server.base_url)
    try:
        raw.token = "bogus"
        refused = raw.call("checkin/getcorpcheckinoption", {})
    finally:
        raw.close()
    assert refused.json()["errcode"] == 40014
    assert refused.headers["Error-Code"] == "40014"
    assert refused.json()["group"] == []
    # ... and wechatpy, given that token, fetches a new one and retries transparently.
    client = wechatpy_client(shared_server.base_url, access_token="bogus")
    answer = client.oa.get_checkin_option(midnight(past_monday()), ["wangwu"])
    assert answer["errcode"] == 0
    assert_user_rule(answer["info"], "wangwu")
    assert client.session.get(client.access_token_key) not in (None, "bogus")


# -- both: what one client writes, the other reads ---------------------------------------------


def test_wechatpy_reads_back_punches_written_with_wecomkit(shared_server: DakaServer) -> None:
    wednesday = past_monday() + timedelta(days=2)
    # wangwu's Wednesday/Thursday stand in for the Monday/Tuesday of week_records.
    wecomkit_write_and_read(
        shared_server.base_url, week_records("wangwu", wednesday), "wangwu", wednesday, wednesday
    )
    client = wechatpy_client(shared_server.base_url)
    start, end = day_bounds(wednesday, wednesday + timedelta(days=1))
    answer = client.oa.get_checkin_data(3, start, end, ["wangwu"])
    assert_week_rows(answer["checkindata"], "wangwu", wednesday)


def test_wecomkit_reads_back_punches_written_with_wechatpy(shared_server: DakaServer) -> None:
    # The Monday two weeks back (14..20 days ago): no other test of this module writes there.
    monday = past_monday() - timedelta(days=7)
    client = wechatpy_client(shared_server.base_url)
    written = client.post(
        "checkin/add_checkin_record", data={"records": week_records("wangwu", monday)}
    )
    assert written["errcode"] == 0
    rows = wecomkit_write_and_read(
        shared_server.base_url, [], "wangwu", monday, monday + timedelta(days=1)
    )
    assert_week_rows(rows, "wangwu", monday)
