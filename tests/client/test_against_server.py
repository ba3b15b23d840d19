"""The blocking Client against a real ``daka serve`` process, over a socket.

The server (one per module and xdist worker) has two corps: MAIN with 150 users (s000…s149)
under rule 1 (Mon–Fri 09:00–18:00, 补卡 allowed, no statutory holidays) and SHIFTS with
zhangsan and lisi under shift rule 5. Its clock is the wall clock, so punches go to past
weekdays and schedules to future days; each test works on its own users or days.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from daka.client import (
    AsyncClient,
    Client,
    NetworkError,
    ParameterError,
    RequestTimeout,
)
from tests.client.conftest import CountingTransport
from tests.clock import away_from_midnight
from tests.e2e.conftest import DakaServer, at_day, past_monday, start_server, today_in_shanghai
from tests.factories import make_corp, make_org, make_record, make_rule, make_shift_rule
from tests.factories import midnight as day_start

pytestmark = pytest.mark.slow

MAIN = ("wwsdkmain0000001", "sdk-main-secret")
SHIFTS = ("wwsdkshifts00001", "sdk-shifts-secret")
USERS = [f"s{i:03}" for i in range(150)]
DAY = 86_400


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DakaServer]:
    main = make_corp(
        MAIN[0],
        secret=MAIN[1],
        users=[{"userid": u, "name": u, "department": [1]} for u in USERS],
        rules=[make_rule(1, allow_apply_offworkday=True, sync_holidays=False)],
    )
    shifts = make_corp(SHIFTS[0], secret=SHIFTS[1], rules=[make_shift_rule(5, parties=["1"])])
    started = start_server(tmp_path_factory.mktemp("daka-sdk"), org=make_org(main, shifts))
    yield started
    started.stop()


@pytest.fixture
def counting() -> CountingTransport:
    return CountingTransport(httpx.HTTPTransport())


@pytest.fixture
def client(server: DakaServer, counting: CountingTransport) -> Iterator[Client]:
    with Client(*MAIN, base_url=server.base_url, transport=counting, timeout=30) as c:
        yield c


def mondays() -> list[date]:
    """The six Mondays of the 45 days that end last Sunday, oldest first."""
    last = past_monday()
    return [last - timedelta(days=7 * k) for k in range(5, -1, -1)]


def punches_of(userid: str, index: int) -> list[dict[str, Any]]:
    monday = mondays()[index % 6]
    tuesday = monday + timedelta(days=1)
    return [
        make_record(userid, at_day(monday, "08:55")),
        make_record(userid, at_day(monday, "18:05")),
        make_record(userid, at_day(tuesday, "09:20"), notes="堵车"),
    ]


def test_450_punches_take_3_calls_and_150_users_over_45_days_read_back_in_4(
    client: Client, counting: CountingTransport
) -> None:
    records = [r for i, u in enumerate(USERS) for r in punches_of(u, i)]
    last_sunday = past_monday() + timedelta(days=6)
    first_day = last_sunday - timedelta(days=44)

    written = client.add_checkin_record(records)
    result = client.getcheckindata(USERS, day_start(first_day), day_start(last_sunday) + DAY - 1)

    assert written.errcode == 0
    assert counting.counts["checkin/add_checkin_record"] == 3
    assert counting.counts["checkin/getcheckindata"] == 4
    assert counting.counts["gettoken"] == 1
    rows = result.checkindata
    assert list(dict.fromkeys(r.userid for r in rows)) == USERS
    for i, userid in enumerate(USERS):
        mine = [r for r in rows if r.userid == userid]
        assert [r.checkin_time for r in mine] == sorted(r.checkin_time for r in mine)
        by_time = {r.checkin_time: r for r in mine}
        on, off, late = (p["checkin_time"] for p in punches_of(userid, i))
        assert (by_time[on].checkin_type, by_time[on].exception_type) == ("上班打卡", "")
        assert (by_time[off].checkin_type, by_time[off].exception_type) == ("下班打卡", "")
        assert (by_time[late].exceptions, by_time[late].notes) == (("时间异常",), "堵车")
        assert len(mine) == 2 * 31  # 31 workdays in the 45 days: two rows each
    assert result.raw["errcode"] == 0 and len(result.raw["checkindata"]) == len(rows)


def test_rules_of_the_corp_and_of_150_users(client: Client, counting: CountingTransport) -> None:
    corp = client.getcorpcheckinoption()
    per_user = client.getcheckinoption(day_start(past_monday()), USERS)

    [rule] = corp.group
    assert (rule.groupid, rule.grouptype, rule.groupname) == (1, 1, "rule 1")
    assert rule.raw["checkindate"][0]["checkintime"][0]["work_sec"] == 9 * 3600
    assert counting.counts["checkin/getcheckinoption"] == 2
    assert [(i.userid, i.group.groupid) for i in per_user.info] == [(u, 1) for u in USERS]


def test_a_missed_punch_corrected_then_read_back(client: Client) -> None:
    wednesday = past_monday() + timedelta(days=2)  # nobody punches on Wednesdays here
    start, end = day_start(wednesday), day_start(wednesday) + DAY - 1

    before = client.getcheckindata(["s149"], start, end)
    ack = client.punch_correction(
        "s149", start, at_day(wednesday, "08:58"), schedule_checkin_time=9 * 3600, remark="忘记打卡"
    )
    after = client.getcheckindata(["s149"], start, end)

    assert [r.exception_type for r in before.checkindata] == ["未打卡", "未打卡"]
    assert ack.errcode == 0
    assert [
        (r.checkin_type, r.exception_type, r.checkin_time, r.notes) for r in after.checkindata
    ] == [
        ("上班打卡", "", at_day(wednesday, "08:58"), "忘记打卡"),
        ("下班打卡", "未打卡", at_day(wednesday, "18:00"), ""),
    ]


def test_schedules_set_for_the_coming_days_and_read_back(server: DakaServer) -> None:
    away_from_midnight()
    tomorrow = today_in_shanghai() + timedelta(days=1)
    after = tomorrow + timedelta(days=1)

    with Client(*SHIFTS, base_url=server.base_url, timeout=30) as shifts:
        for day, user, shift in ((tomorrow, "zhangsan", 1), (after, "lisi", 2)):
            shifts.setcheckinschedulist(
                5,
                [{"userid": user, "day": day.day, "schedule_id": shift}],
                day.year * 100 + day.month,
            )
        result = shifts.getcheckinschedulist(
            ["zhangsan", "lisi"], day_start(tomorrow), day_start(after) + DAY - 1
        )

    days = {
        (s.userid, s.yearmonth, d.day): (d.schedule_id, d.schedule_name)
        for s in result.schedule_list
        for d in s.days
    }
    assert days[("zhangsan", tomorrow.year * 100 + tomorrow.month, tomorrow.day)] == (1, "早班")
    assert days[("lisi", after.year * 100 + after.month, after.day)] == (2, "夜班")
    assert {s.groupid for s in result.schedule_list} == {5}


def test_the_servers_refusals_are_typed(client: Client) -> None:
    monday = past_monday()

    with pytest.raises(ParameterError) as unknown:
        client.getcheckindata(["s000", "nobody"], day_start(monday), day_start(monday) + 60)

    assert unknown.value.errcode == 301021
    assert "nobody" in unknown.value.errmsg


# -- real sockets that fail ------------------------------------------------------------------


def test_a_port_nobody_listens_on_is_a_network_error_after_the_retries() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends
    slept: list[float] = []

    with Client("c", "s", base_url=f"http://127.0.0.1:{port}", sleep=slept.append) as client:
        with pytest.raises(NetworkError) as caught:
            client.getcorpcheckinoption()

    assert not caught.value.request_sent
    assert len(slept) == 3


def test_a_server_that_never_answers_is_a_timeout() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # accepts connections (the kernel does), never answers
        port = listener.getsockname()[1]
        with Client(
            "c",
            "s",
            base_url=f"http://127.0.0.1:{port}",
            timeout=0.2,
            retries=1,
            sleep=lambda _: None,
        ) as client:
            with pytest.raises(RequestTimeout):
                client.gettoken()


# -- docs/client.md runs as written ----------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "client.md"
DEFAULT_URL = 'BASE_URL = "http://127.0.0.1:8000"'


def runnable_blocks(text: str) -> list[str]:
    """The page's ```python blocks (```py blocks are fragments, not run)."""
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def test_every_python_example_of_the_client_docs_runs_against_a_demo_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = runnable_blocks(DOCS.read_text(encoding="utf-8"))
    assert DEFAULT_URL in blocks[0]
    # The examples read the wall clock, as a reader's code would: so does their server.
    demo = start_server(tmp_path, use_org=False, extra_args=["--demo"], wall_clock=True)
    try:
        namespace: dict[str, Any] = {"__name__": "docs_client"}
        for i, block in enumerate(blocks):
            code = block.replace(DEFAULT_URL, f'BASE_URL = "{demo.base_url}"')
            exec(compile(code, f"docs/client.md[{i}]", "exec"), namespace)
    finally:
        demo.stop()

    out = capsys.readouterr().out
    assert "Office hours" in out
    assert "60111" in out and "records in: 200" in out
    assert "wujiu" in out and "早班" in out
    assert "0 new the second time" in out


def test_the_directory_is_read_with_typed_contact_methods(client: Client) -> None:
    departments = client.department_list().department
    members = client.user_simplelist(departments[0].id, fetch_child=True).userlist
    tags = client.tag_list().taglist

    assert [(d.id, d.parentid) for d in departments] == [(1, 0), (2, 1), (3, 2)]
    assert [m.userid for m in members] == sorted(USERS)
    assert members[0].department == (1,)
    assert [t.tagname for t in tags] == ["drivers"]
    assert client.tag_get(tags[0].tagid).userlist == ()  # lisi is not a user of MAIN


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_the_async_client_reads_the_directory_too(
    server: DakaServer, anyio_backend: str
) -> None:
    async with AsyncClient(*SHIFTS, base_url=server.base_url) as client:
        departments = (await client.department_list(2)).department
        members = (await client.user_simplelist(1, fetch_child=True)).userlist
        tag = await client.tag_get(1)

    assert [d.id for d in departments] == [2, 3]
    assert {m.userid for m in members} == {"zhangsan", "lisi", "wangwu"}
    assert [u.userid for u in tag.userlist] == ["lisi"]
