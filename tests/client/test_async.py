"""AsyncClient against the in-process app (httpx.ASGITransport, no socket), plus the async
token, batching and rate-limit behaviour on the fake WeCom.

The in-process server's clock is the tests' FakeClock: Monday 2026-11-23 12:00 in Shanghai.
Corp MAIN has 150 users (u000…u149) under rule 1 (Mon–Fri 09:00–18:00, 补卡 allowed); corp
SHIFTS has zhangsan and lisi under shift rule 5 (早班 08:00–16:00, 夜班 22:00–06:00).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import anyio
import httpx
import pytest

from daka.api.app import create_app
from daka.client import (
    AsyncClient,
    ParameterError,
    PermissionDenied,
    TokenError,
    vacation_control,
)
from daka.services.org import load_org
from daka.services.service import Service
from daka.storage.store import Store
from tests.client.conftest import (
    AsyncCountingTransport,
    AsyncSleeper,
    FakeWeCom,
    error,
    path_of,
)
from tests.factories import (
    FakeClock,
    api_rule,
    at,
    make_corp,
    make_org,
    make_record,
    make_rule,
    make_shift_rule,
    midnight,
)

pytestmark = pytest.mark.anyio

MAIN = ("wwasyncmain00001", "main-secret")
SHIFTS = ("wwasyncshift0001", "shift-secret")
USERS = [f"u{i:03}" for i in range(150)]
FIRST_DAY = date(2026, 10, 5)  # a Monday; 45 days to Wednesday 2026-11-18
LAST_DAY = FIRST_DAY + timedelta(days=44)
DAY = 86_400


def org() -> dict[str, Any]:
    main = make_corp(
        MAIN[0],
        secret=MAIN[1],
        users=[{"userid": u, "name": u, "department": [1]} for u in USERS],
        rules=[make_rule(1, allow_apply_offworkday=True, sync_holidays=False)],
    )
    shifts = make_corp(SHIFTS[0], secret=SHIFTS[1], rules=[make_shift_rule(5, parties=["1"])])
    return make_org(main, shifts)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app(service: Service, store: Store) -> Any:
    load_org(store, org())
    return create_app(service)


@pytest.fixture
async def main(app: Any) -> AsyncIterator[tuple[AsyncClient, AsyncCountingTransport]]:
    counting = AsyncCountingTransport(httpx.ASGITransport(app=app))
    async with AsyncClient(*MAIN, base_url="http://daka.test", transport=counting) as client:
        yield client, counting


@pytest.fixture
async def shifts(app: Any) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(
        *SHIFTS, base_url="http://daka.test", transport=httpx.ASGITransport(app=app)
    ) as client:
        yield client


def punches_of(userid: str, index: int) -> list[dict[str, Any]]:
    """Three punches per user on distinct days of the 45: on time in and out, then late."""
    monday = FIRST_DAY + timedelta(days=7 * (index % 6))
    tuesday = monday + timedelta(days=1)
    return [
        make_record(userid, midnight(monday) + 8 * 3600 + 55 * 60),
        make_record(userid, midnight(monday) + 18 * 3600 + 5 * 60),
        make_record(userid, midnight(tuesday) + 9 * 3600 + 20 * 60, notes="堵车"),
    ]


async def test_punches_written_in_three_calls_read_back_in_four(main: Any) -> None:
    client, counting = main
    records = [r for i, u in enumerate(USERS) for r in punches_of(u, i)]

    written = await client.add_checkin_record(records)
    result = await client.getcheckindata(USERS, midnight(FIRST_DAY), midnight(LAST_DAY) + DAY - 1)

    assert written.errcode == 0 and len(records) == 450
    assert counting.counts["checkin/add_checkin_record"] == 3
    assert counting.counts["checkin/getcheckindata"] == 4  # 2 user groups × 2 time chunks
    rows = result.checkindata
    assert list(dict.fromkeys(r.userid for r in rows)) == USERS
    for userid in USERS:
        times = [r.checkin_time for r in rows if r.userid == userid]
        assert times == sorted(times)
    for i, userid in enumerate(USERS):
        mine = {r.checkin_time: r for r in rows if r.userid == userid}
        on, off, late = punches_of(userid, i)
        assert (mine[on["checkin_time"]].checkin_type, mine[on["checkin_time"]].exception_type) == (
            "上班打卡",
            "",
        )
        assert mine[off["checkin_time"]].checkin_type == "下班打卡"
        assert (mine[late["checkin_time"]].exceptions, mine[late["checkin_time"]].notes) == (
            ("时间异常",),
            "堵车",
        )
    # Every workday of the 45 (33 of them) has its two rows, punched or 未打卡.
    assert len(rows) == 150 * 33 * 2


async def test_rules_per_user_and_for_the_corp(main: Any) -> None:
    client, counting = main

    per_user = await client.getcheckinoption(midnight(date(2026, 11, 20)), USERS)
    corp = await client.getcorpcheckinoption()

    assert counting.counts["checkin/getcheckinoption"] == 2
    assert [i.userid for i in per_user.info] == USERS
    assert {(i.group.groupid, i.group.grouptype) for i in per_user.info} == {(1, 1)}
    [rule] = corp.group
    assert (rule.groupid, rule.groupname, rule.range.party_id) == (1, "rule 1", ("1",))
    assert rule.raw["checkindate"][0]["workdays"] == [1, 2, 3, 4, 5]


async def test_a_rule_created_updated_cleared_and_deleted(main: Any) -> None:
    client, _ = main

    await client.add_checkin_option(api_rule(groupname="夜校", users=["u149"]), effective_now=True)
    created = {g.groupname: g for g in (await client.getcorpcheckinoption()).group}["夜校"]
    await client.update_checkin_option({"groupid": created.groupid, "groupname": "夜校二"})
    await client.clear_checkin_option_array_field(created.groupid, [3])
    after = {g.groupid: g for g in (await client.getcorpcheckinoption()).group}[created.groupid]
    await client.del_checkin_option(created.groupid, effective_now=True)
    remaining = [g.groupid for g in (await client.getcorpcheckinoption()).group]

    assert created.range.userid == ("u149",)
    assert after.groupname == "夜校二" and after.raw["wifimac_infos"] == []
    assert created.groupid not in remaining


async def test_a_missed_punch_is_corrected(main: Any) -> None:
    client, _ = main
    friday = midnight(date(2026, 11, 20))

    before = await client.getcheckindata(["u007"], friday, friday + DAY - 1)
    ack = await client.punch_correction(
        "u007", friday, at(2026, 11, 20, 8, 58), schedule_checkin_time=9 * 3600, remark="忘记打卡"
    )
    after = await client.getcheckindata(["u007"], friday, friday + DAY - 1)

    assert [r.exception_type for r in before.checkindata] == ["未打卡", "未打卡"]
    assert ack.raw == {"errcode": 0, "errmsg": "ok"}
    assert [(r.exception_type, r.notes) for r in after.checkindata] == [
        ("", "忘记打卡"),
        ("未打卡", ""),
    ]


async def test_schedules_over_two_chunks_come_back_joined_per_month(shifts: AsyncClient) -> None:
    await shifts.setcheckinschedulist(
        5,
        [
            {"userid": "zhangsan", "day": 24, "schedule_id": 1},
            {"userid": "lisi", "day": 25, "schedule_id": 2},
        ],
        202611,
    )
    await shifts.setcheckinschedulist(
        5, [{"userid": "zhangsan", "day": d, "schedule_id": 2} for d in (20, 28)], 202612
    )

    # 2026-11-24 .. 2027-01-05: 43 days, two requests; December is in both.
    result = await shifts.getcheckinschedulist(
        ["zhangsan", "lisi"], at(2026, 11, 24), at(2027, 1, 5, 23, 59, 59)
    )

    by_key = {(s.userid, s.yearmonth): s for s in result.schedule_list}
    assert [s.userid for s in result.schedule_list][:1] == ["zhangsan"]
    assert [(d.day, d.schedule_name) for d in by_key[("zhangsan", 202611)].days] == [(24, "早班")]
    assert [(d.day, d.schedule_id) for d in by_key[("zhangsan", 202612)].days] == [(20, 2), (28, 2)]
    assert [(d.day, d.schedule_name) for d in by_key[("lisi", 202611)].days] == [(25, "夜班")]


async def test_device_punches_and_faces(main: Any) -> None:
    client, _ = main
    await client.add_checkin_record([make_record("u001", at(2026, 11, 16, 8, 50))])

    device = await client.get_hardware_checkin_data(
        ["u001", "nobody"], at(2026, 11, 16), at(2026, 11, 17)
    )
    face = await client.addcheckinuserface("u002", tiny_png())

    assert [(p.userid, p.checkin_time, p.device_name) for p in device.checkindata] == [
        ("u001", at(2026, 11, 16, 8, 50), "ZKTeco")
    ]
    assert face.errcode == 0


async def test_the_servers_errors_arrive_as_typed_exceptions(main: Any, app: Any) -> None:
    client, _ = main

    with pytest.raises(ParameterError) as unknown:
        await client.getcheckindata(["u000", "ghost"], at(2026, 11, 16), at(2026, 11, 17))
    with pytest.raises(ParameterError) as bad_type:
        await client.getcheckindata(
            ["u000"], at(2026, 11, 16), at(2026, 11, 17), opencheckindatatype=9
        )
    with pytest.raises(ParameterError) as unknown_record:
        await client.add_checkin_record([make_record("ghost")])
    async with AsyncClient(
        MAIN[0], "wrong", base_url="http://daka.test", transport=httpx.ASGITransport(app=app)
    ) as wrong:
        with pytest.raises(TokenError) as credential:
            await wrong.getcorpcheckinoption()

    assert (unknown.value.errcode, bad_type.value.errcode) == (301021, 40058)
    assert "ghost" in unknown.value.errmsg and "from ip:" in unknown.value.errmsg
    assert unknown_record.value.errcode == 60111
    assert credential.value.errcode == 40001


async def test_an_app_without_check_in_rights_gets_permission_denied(
    service: Service, store: Store
) -> None:
    load_org(store, make_org(make_corp(MAIN[0], secret=MAIN[1], checkin=False)))
    async with AsyncClient(
        *MAIN, base_url="http://daka.test", transport=httpx.ASGITransport(app=create_app(service))
    ) as client:
        with pytest.raises(PermissionDenied) as caught:
            await client.getcorpcheckinoption()

    assert caught.value.errcode == 48002


async def test_a_token_the_server_expired_is_refreshed_once(main: Any, clock: FakeClock) -> None:
    client, counting = main
    await client.getcorpcheckinoption()
    clock.advance(7200)  # the server's clock: the token has expired there (42001)

    async with anyio.create_task_group() as tg:
        for _ in range(2):
            tg.start_soon(client.getcorpcheckinoption)

    assert counting.counts["gettoken"] == 2
    assert counting.counts["checkin/getcorpcheckinoption"] >= 3


# -- on the fake WeCom ------------------------------------------------------------------------


async def test_a_thousand_users_over_ninety_days_take_thirty_async_calls(
    make_async_client: Any, wecom: FakeWeCom
) -> None:
    counting = AsyncCountingTransport(httpx.MockTransport(wecom))
    t0 = at(2026, 8, 1)

    async with make_async_client(transport=counting) as client:
        result = await client.getcheckindata([f"u{i}" for i in range(1000)], t0, t0 + 90 * DAY - 1)

    assert counting.counts["checkin/getcheckindata"] == 30
    assert result.checkindata == ()


async def test_two_tasks_meeting_a_refused_token_cause_one_gettoken(
    make_async_client: Any, wecom: FakeWeCom
) -> None:
    refused = 0
    both_refused = anyio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal refused
        response = wecom(request)
        if request.url.params.get("access_token") == "token-1" and response.json()["errcode"]:
            refused += 1
            if refused == 2:
                both_refused.set()
            await both_refused.wait()  # both tasks hold the refused token before any refresh
        return response

    async with make_async_client(transport=httpx.MockTransport(handler)) as client:
        await client.getcorpcheckinoption()
        wecom.expire_all()
        async with anyio.create_task_group() as tg:
            for _ in range(2):
                tg.start_soon(client.getcorpcheckinoption)

    assert refused == 2
    assert wecom.calls("gettoken") == 2  # the first token, then ONE refresh
    assert [
        r.url.params["access_token"]
        for r in wecom.requests
        if path_of(r) == "checkin/getcorpcheckinoption"
    ][-2:] == ["token-2", "token-2"]


async def test_a_second_token_error_in_a_row_raises(
    make_async_client: Any, wecom: FakeWeCom
) -> None:
    wecom.queue(
        "checkin/getcheckin_daydata",
        error(40014, "invalid access_token"),
        error(40014, "invalid access_token"),
    )

    async with make_async_client() as client:
        with pytest.raises(TokenError):
            await client.getcheckin_daydata(["a"], at(2026, 11, 2), at(2026, 11, 2))

    assert wecom.calls("gettoken") == 2


async def test_the_61st_async_add_checkin_record_in_a_minute_waits(
    make_async_client: Any, wecom: FakeWeCom, async_sleeper: AsyncSleeper
) -> None:
    async with make_async_client() as client:
        for i in range(60):
            await client.add_checkin_record([{"userid": "a", "checkin_time": i}])
        assert async_sleeper.calls == []
        await client.add_checkin_record([{"userid": "a", "checkin_time": 61}])

    assert async_sleeper.calls == [pytest.approx(60.0)]
    assert wecom.calls("checkin/add_checkin_record") == 61


async def test_async_reports_and_media_on_the_fake(
    make_async_client: Any, wecom: FakeWeCom
) -> None:
    wecom.handlers["checkin/getcheckin_monthdata"] = lambda body: {
        "datas": [
            {
                "base_info": {"acctid": u, "rule_info": {"groupid": 1}},
                "summary_info": {"work_days": 20},
                "exception_infos": [{"exception": 1, "count": 2, "duration": 600}],
            }
            for u in body["useridlist"]
        ]
    }

    async with make_async_client() as client:
        months = await client.getcheckin_monthdata(["a", "b"], at(2026, 11, 1), at(2026, 11, 30))
        uploaded = await client.media_upload(b"GIF89a", type="file", filename="a.gif")
        media = await client.media_get(uploaded.media_id)

    assert [(m.userid, m.work_days, m.period) for m in months.datas] == [
        ("a", 20, (at(2026, 11, 1), at(2026, 11, 30))),
        ("b", 20, (at(2026, 11, 1), at(2026, 11, 30))),
    ]
    assert months.datas[0].exceptions[0].duration == 600
    assert wecom.calls("checkin/getcheckin_monthdata") == 1  # 30 days: one request
    assert media.content.startswith(b"\x89PNG")


def tiny_png() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


async def test_async_approvals_page_and_vacations_read_on_the_fake(
    make_async_client: Any, wecom: FakeWeCom
) -> None:
    def page(body: dict[str, Any]) -> dict[str, Any]:
        if body["new_cursor"] == "":
            return {"sp_no_list": ["202611190001", "202611190002"], "new_next_cursor": "next"}
        return {"sp_no_list": ["202611190002", "202611200001"]}

    wecom.handlers["oa/getapprovalinfo"] = page
    wecom.handlers["oa/applyevent"] = lambda body: {"sp_no": "202611200002"}
    wecom.handlers["oa/vacation/getcorpconf"] = lambda body: {
        "lists": [{"id": 1, "name": "年假", "time_attr": 0}]
    }
    leave = vacation_control("vacation-1", 1, at(2026, 11, 20), at(2026, 11, 20), duration=43_200)

    async with make_async_client() as client:
        sp_no = await client.applyevent("a", "tpl", [leave], ["年假半天"])
        listed = await client.getapprovalinfo(at(2026, 11, 1), at(2026, 11, 30))
        conf = await client.vacation_getcorpconf()

    assert sp_no == "202611200002"
    assert listed.sp_no_list == ("202611190001", "202611190002", "202611200001")
    assert wecom.calls("oa/getapprovalinfo") == 2
    assert [v.name for v in conf.lists] == ["年假"]
