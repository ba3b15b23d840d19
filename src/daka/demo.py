"""The demo corp: a few departments and users, two fixed rules and a month of punches.

``daka serve --demo`` loads it so that a newcomer sees data at once. Punches are generated
deterministically per (user, day), so restarting the demo on a later day only adds new days.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from daka.domain.calendar import day_start
from daka.domain.evaluation import wecom_weekday
from daka.domain.punches import DeviceType, Punch
from daka.services.org import load_org
from daka.storage.store import Store

DEMO_CORPID = "ww0000000000000001"
DEMO_SECRET = "daka-demo-secret"
DEMO_AGENTID = 3010011
DEMO_APPROVAL_SECRET = "daka-demo-approval-secret"
DEMO_APPROVAL_AGENTID = 3010040
# Console logins the demo prints: the whole corp, and R&D (department 2, with Backend).
DEMO_CONSOLE_PASSWORD = "daka-demo-console"
DEMO_CONSOLE_ACCOUNTS = (("hr", "admin", ()), ("rd-lead", "department", (2,)))

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
                    },
                    {
                        "agentid": DEMO_APPROVAL_AGENTID,
                        "name": "审批",
                        "secret": DEMO_APPROVAL_SECRET,
                        "checkin": True,
                        "approval": True,
                        "approval_admin": True,
                    },
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
                "vacations": DEMO_VACATIONS,
                "vacation_quotas": _demo_quotas(),
                "approval_templates": demo_templates(),
            }
        ]
    }


DAY_SEC, HOUR_SEC = 86_400, 3_600
DEMO_USERS = ("zhangsan", "wangwu", "zhaoliu", "sunqi", "lisi", "zhouba", "wujiu")
# The usual Chinese vacations (ids as WeCom numbers them in getcorpconf).
DEMO_VACATIONS: list[dict[str, Any]] = [
    {"id": 1, "name": "年假", "time_attr": 0, "duration_type": 1, "quota_attr": {"type": 1}},
    {
        "id": 2,
        "name": "事假",
        "time_attr": 1,
        "duration_type": 1,
        "quota_attr": {"type": 0},
        "perday_duration": 8 * HOUR_SEC,
    },
    {"id": 3, "name": "病假", "time_attr": 0, "duration_type": 1, "quota_attr": {"type": 0}},
    {
        "id": 4,
        "name": "调休",
        "time_attr": 1,
        "duration_type": 1,
        "quota_attr": {"type": 2},
        "perday_duration": 8 * HOUR_SEC,
        "is_newovertime": 1,
    },
    {"id": 5, "name": "婚假", "time_attr": 0, "duration_type": 0, "quota_attr": {"type": 2}},
    {"id": 6, "name": "产假", "time_attr": 0, "duration_type": 0, "quota_attr": {"type": 2}},
]


def _demo_quotas() -> list[dict[str, Any]]:
    quotas = [{"userid": u, "vacation_id": 1, "leftduration": 5 * DAY_SEC} for u in DEMO_USERS]
    quotas += [{"userid": u, "vacation_id": 4, "leftduration": 8 * HOUR_SEC} for u in DEMO_USERS]
    quotas.append({"userid": "sunqi", "vacation_id": 5, "leftduration": 10 * DAY_SEC})
    return quotas


def _title(text: str) -> list[dict[str, str]]:
    return [{"text": text, "lang": "zh_CN"}]


def _control(control: str, cid: str, title: str, config: dict[str, Any], require: int) -> Any:
    return {
        "property": {
            "control": control,
            "id": cid,
            "title": _title(title),
            "placeholder": [],
            "require": require,
            "un_print": 0,
        },
        "config": config,
    }


def _template(template_id: str, name: str, time_off: Any) -> dict[str, Any]:
    return {
        "template_id": template_id,
        "template_names": _title(name),
        "template_content": {
            "controls": [time_off, _control("Textarea", "item-reason", "事由", {}, 0)]
        },
        # 吴九 (HR) approves everything; the department heads are not modelled in the demo.
        "process": {"node_list": [{"type": 1, "apv_rel": 2, "userid": ["wujiu"]}]},
    }


def demo_templates() -> list[dict[str, Any]]:
    """The four 假勤 templates: 请假, 出差, 外出 and 加班."""
    vacations = {
        "vacation_list": {
            "item": [{"id": v["id"], "name": _title(v["name"])} for v in DEMO_VACATIONS]
        }
    }

    def attendance(kind: int, grain: str) -> dict[str, Any]:
        return {"attendance": {"date_range": {"type": grain}, "type": kind}}

    return [
        _template("demo-leave", "请假", _control("Vacation", "vacation", "请假类型", vacations, 1)),
        _template(
            "demo-trip",
            "出差",
            _control("Attendance", "smart-time", "出差", attendance(3, "halfday"), 1),
        ),
        _template(
            "demo-outing",
            "外出",
            _control("Attendance", "smart-time", "外出", attendance(4, "hour"), 1),
        ),
        _template(
            "demo-overtime",
            "加班",
            _control("Attendance", "smart-time", "加班", attendance(5, "hour"), 1),
        ),
    ]


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


def demo_punches(today: date, tz: ZoneInfo, days: int = 30, now: int | None = None) -> list[Punch]:
    """A month of realistic punches before ``today`` (deterministic per user and day), and
    with ``now`` today's punches up to then (so that the console's Today has something)."""
    org = demo_org()["corps"][0]
    out: list[Punch] = []
    last = -1 if now is not None else 0
    for user in org["users"]:
        userid = user["userid"]
        split = 3 in user["department"]
        for k in range(days, last, -1):
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
    return [p for p in out if now is None or p.time <= now]


def seed_demo(store: Store, today: date, now: int | None = None) -> str:
    """Load the demo corp, its punches and (once) a month of approvals; returns the corpid."""
    tz = ZoneInfo("Asia/Shanghai")
    now = day_start(today, tz) + 9 * HOUR_SEC if now is None else now
    load_org(store, demo_org(), now=now)
    with store.write() as conn:
        corp = store.corp_by_corpid(conn, DEMO_CORPID)
        assert corp is not None
        store.upsert_punches(conn, corp.id, demo_punches(today, tz, now=now))
    seed_approvals(store, corp.id, today, tz)
    _seed_console_accounts(store, corp.id, now)
    return DEMO_CORPID


def _seed_console_accounts(store: Store, corp_id: int, now: int) -> None:
    """The demo's console accounts, once (a restart keeps a changed password)."""
    from daka.domain.admins import Role
    from daka.services.admins import create_admin, hash_password

    with store.read() as conn:
        missing = [a for a in DEMO_CONSOLE_ACCOUNTS if store.admin(conn, corp_id, a[0]) is None]
    for username, role, departments in missing:
        password_hash = hash_password(DEMO_CONSOLE_PASSWORD)

        def add(
            conn: Connection,
            u: str = username,
            r: str = role,
            d: Any = departments,
            h: str = password_hash,
        ) -> None:
            create_admin(store, conn, corp_id, u, h, Role(r), d, now)

        store.transaction(add)


def _workdays_before(today: date, count: int) -> list[date]:
    days: list[date] = []
    day = today
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def _form(template_id: str, creator: str, control: dict[str, Any], reason: str) -> dict[str, Any]:
    return {
        "creator_userid": creator,
        "template_id": template_id,
        "use_template_approver": 1,
        "apply_data": {
            "contents": [
                control,
                {"control": "Textarea", "id": "item-reason", "value": {"text": reason}},
            ]
        },
        "summary_list": [{"summary_info": [{"text": reason[:20], "lang": "zh_CN"}]}],
    }


def _range(kind: int, grain: str, begin: int, end: int) -> dict[str, Any]:
    return {"date_range": {"type": grain, "new_begin": begin, "new_end": end}, "type": kind}


def _leave(creator: str, vacation_id: int, grain: str, begin: int, end: int, why: str) -> Any:
    value = {
        "vacation": {
            "selector": {"type": "single", "options": [{"key": str(vacation_id)}], "exp_type": 0},
            "attendance": _range(1, grain, begin, end),
        }
    }
    control = {"control": "Vacation", "id": "vacation", "value": value}
    return _form("demo-leave", creator, control, why)


def _attendance(
    template_id: str, creator: str, kind: int, grain: str, begin: int, end: int, why: str
) -> Any:
    control = {
        "control": "Attendance",
        "id": "smart-time",
        "value": {"attendance": _range(kind, grain, begin, end)},
    }
    return _form(template_id, creator, control, why)


def seed_approvals(store: Store, corp_id: int, today: date, tz: ZoneInfo) -> None:
    """A realistic month of 假勤 forms before ``today``: approved leave, a trip, an outing and
    overtime, one form still pending and one revoked after approval. Filed once: a corp that
    already has forms keeps them."""
    from daka.domain.approvals import Action
    from daka.services.approvals import Decision, act, apply_event
    from daka.services.corpview import CorpView, load_view
    from daka.wire.approvals import ApplyEventRequest

    def view() -> CorpView:
        with store.read() as conn:
            return load_view(store, conn, corp_id)

    with store.read() as conn:
        if store.approval_numbers(conn, corp_id, 0, 2**62, limit=1):
            return
    days = _workdays_before(today, 20)
    saturday = next(
        d for d in (today - timedelta(days=k) for k in range(8, 15)) if d.weekday() == 5
    )

    def at(day: date, hour: float) -> int:
        return day_start(day, tz) + int(hour * HOUR_SEC)

    # (form, filed at, then: approve / revoke after approval / leave pending)
    forms = [
        (
            _leave("zhangsan", 1, "halfday", at(days[12], 0), at(days[12], 12), "回老家"),
            at(days[14], 10),
            "approve",
        ),
        (
            _attendance(
                "demo-trip", "lisi", 3, "halfday", at(days[9], 0), at(days[8], 12), "杭州客户拜访"
            ),
            at(days[11], 15),
            "approve",
        ),
        (
            _attendance(
                "demo-outing",
                "zhaoliu",
                4,
                "hour",
                at(days[6], 14),
                at(days[6], 17),
                "去银行办理业务",
            ),
            at(days[6], 9.5),
            "approve",
        ),
        (
            _attendance(
                "demo-overtime", "sunqi", 5, "hour", at(saturday, 10), at(saturday, 16), "版本上线"
            ),
            at(saturday - timedelta(days=1), 17),
            "approve",
        ),
        (
            _leave("zhouba", 3, "halfday", at(days[4], 12), at(days[4], 12), "发烧看病"),
            at(days[4], 8),
            "revoke",
        ),
        (
            _leave("wangwu", 2, "hour", at(days[0], 15), at(days[0], 17), "接孩子"),
            at(days[1], 18),
            "pending",
        ),
    ]
    for form, filed, then in forms:
        sp_no = apply_event(store, view(), ApplyEventRequest.parse(form), filed)
        if then == "pending":
            continue
        decided = filed + 2 * HOUR_SEC
        act(
            store,
            view(),
            Decision(sp_no, Action.APPROVE, "wujiu", "同意"),
            decided,
        )
        if then == "revoke":
            act(
                store,
                view(),
                Decision(sp_no, Action.REVOKE),
                decided + DAY_SEC,
            )
