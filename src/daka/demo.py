"""The demo corp: a few departments and users, two fixed rules and a month of punches.

``daka serve --demo`` loads it so that a newcomer sees data at once. Punches are generated
deterministically per (user, day), so restarting the demo on a later day only adds new days.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from daka.domain.calendar import day_start
from daka.domain.evaluation import wecom_weekday
from daka.domain.punches import DeviceType, Punch
from daka.services.org import load_org
from daka.storage.store import Store

DEMO_CORPID = "ww0000000000000001"
DEMO_SECRET = "daka-demo-secret"
DEMO_AGENTID = 3010011

OFFICE_LAT, OFFICE_LNG = 31_230_416, 121_473_701  # People's Square, Shanghai (GCJ-02)
OFFICE_WIFI = ("Demo-Office", "3c:46:d8:0c:7a:70")


def _slot(time_id: int, work: int, off: int) -> dict[str, Any]:
    return {
        "time_id": time_id,
        "work_sec": work,
        "off_work_sec": off,
        "remind_work_sec": work - 600,
        "remind_off_work_sec": off,
    }


def demo_org() -> dict[str, Any]:
    """The demo corp as an org document (the same format as ``--org`` files)."""
    place = {
        "loc_infos": [
            {
                "lat": OFFICE_LAT,
                "lng": OFFICE_LNG,
                "loc_title": "Demo Tower",
                "loc_detail": "上海市黄浦区人民大道200号",
                "distance": 300,
            }
        ],
        "wifimac_infos": [{"wifiname": OFFICE_WIFI[0], "wifimac": OFFICE_WIFI[1]}],
    }
    return {
        "corps": [
            {
                "corpid": DEMO_CORPID,
                "name": "Demo Co",
                "timezone": "Asia/Shanghai",
                "apps": [
                    {
                        "agentid": DEMO_AGENTID,
                        "name": "打卡",
                        "secret": DEMO_SECRET,
                        "checkin": True,
                    }
                ],
                "departments": [
                    {"id": 1, "name": "Demo Co", "parentid": 0},
                    {"id": 2, "name": "R&D", "parentid": 1},
                    {"id": 3, "name": "Sales", "parentid": 1},
                    {"id": 4, "name": "Backend", "parentid": 2},
                ],
                "tags": [{"tagid": 1, "tagname": "drivers", "userids": ["lisi"]}],
                "users": [
                    {"userid": "zhangsan", "name": "张三", "department": [2]},
                    {"userid": "wangwu", "name": "王五", "department": [4]},
                    {"userid": "zhaoliu", "name": "赵六", "department": [4]},
                    {"userid": "sunqi", "name": "孙七", "department": [2]},
                    {"userid": "lisi", "name": "李四", "department": [3]},
                    {"userid": "zhouba", "name": "周八", "department": [3]},
                    {"userid": "wujiu", "name": "吴九", "department": [1]},
                ],
                "checkin_groups": [
                    {
                        "groupid": 1,
                        "grouptype": 1,
                        "groupname": "Office hours",
                        "create_time": 1700000000,
                        "checkindate": [
                            {
                                "workdays": [1, 2, 3, 4, 5],
                                "checkintime": [_slot(1, 9 * 3600, 18 * 3600)],
                                "limit_aheadtime": 10_800_000,
                                "allow_flex": True,
                                "flex_on_duty_time": 600,
                                "flex_off_duty_time": 0,
                                "noneed_offwork": False,
                            }
                        ],
                        "range": {"party_id": ["1"], "userid": [], "tagid": []},
                        "white_users": ["wujiu"],
                        **place,
                    },
                    {
                        "groupid": 2,
                        "grouptype": 1,
                        "groupname": "Sales split day",
                        "create_time": 1700000100,
                        "checkindate": [
                            {
                                "workdays": [1, 2, 3, 4, 5, 6],
                                "checkintime": [
                                    _slot(1, 9 * 3600, 12 * 3600),
                                    _slot(2, 13 * 3600 + 1800, 18 * 3600),
                                ],
                                "limit_aheadtime": 7_200_000,
                                "allow_flex": False,
                            }
                        ],
                        "range": {"party_id": ["3"], "userid": [], "tagid": []},
                        **place,
                    },
                ],
            }
        ]
    }


def _punch(rng: random.Random, userid: str, ts: int) -> Punch:
    """A punch near the office: by phone on the Wi-Fi, by phone outside, or at the gate."""
    roll = rng.random()
    if roll < 0.55:
        return Punch(
            userid=userid,
            time=ts,
            location_title="Demo Tower",
            location_detail="上海市黄浦区人民大道200号",
            lat=OFFICE_LAT + rng.randint(-800, 800),
            lng=OFFICE_LNG + rng.randint(-800, 800),
            wifiname=OFFICE_WIFI[0],
            wifimac=OFFICE_WIFI[1],
            device_type=DeviceType.OTHER,
            device_detail="iPhone",
            received_at=ts,
        )
    if roll < 0.95:
        return Punch(
            userid=userid,
            time=ts,
            location_title="Lobby gate",
            location_detail="1F",
            device_type=DeviceType.GATE,
            device_detail="ZKTeco",
            received_at=ts,
        )
    return Punch(
        userid=userid,
        time=ts,
        location_title="Café",
        location_detail="上海市静安区南京西路1266号",
        lat=31_228_200,
        lng=121_452_900,
        device_type=DeviceType.OTHER,
        device_detail="Android",
        received_at=ts,
    )


def demo_punches(today: date, tz: ZoneInfo, days: int = 30) -> list[Punch]:
    """A month of realistic punches before ``today`` (deterministic per user and day)."""
    org = demo_org()["corps"][0]
    out: list[Punch] = []
    for user in org["users"]:
        userid = user["userid"]
        split = 3 in user["department"]
        for k in range(days, 0, -1):
            day = today - timedelta(days=k)
            weekday = wecom_weekday(day)
            if weekday == 0 or (weekday == 6 and not split):
                continue
            rng = random.Random(f"{userid}:{day.isoformat()}")
            base = day_start(day, tz)
            slots = (
                [(9 * 3600, 12 * 3600), (13 * 3600 + 1800, 18 * 3600)]
                if split
                else [(9 * 3600, 18 * 3600)]
            )
            for work, off in slots:
                if rng.random() > 0.03:  # 3 % forget to punch in
                    late = rng.random() < 0.12
                    offset = rng.randint(300, 2400) if late else -rng.randint(0, 1800)
                    out.append(_punch(rng, userid, base + work + offset))
                if rng.random() > 0.04:
                    early = rng.random() < 0.06
                    offset = -rng.randint(60, 1800) if early else rng.randint(0, 5400)
                    out.append(_punch(rng, userid, base + off + offset))
    return out


def seed_demo(store: Store, today: date) -> str:
    """Load the demo corp and its punches; returns the demo corpid."""
    load_org(store, demo_org())
    tz = ZoneInfo("Asia/Shanghai")
    with store.write() as conn:
        corp = store.corp_by_corpid(conn, DEMO_CORPID)
        assert corp is not None
        store.upsert_punches(conn, corp.id, demo_punches(today, tz))
    return DEMO_CORPID
