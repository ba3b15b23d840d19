"""`daka sync`: a real `daka serve` process as the remote, mirrored into a local database.

The mirror is judged the way a user would: the local server, asked with the same corpid and
secret, answers getcheckindata, getcorpcheckinoption, getcheckinschedulist and the contact
reads exactly as the remote does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from daka.api.app import create_app
from daka.cli import main
from daka.client import Client, NetworkError
from daka.services.org import load_org
from daka.services.ratelimit import RateLimiter
from daka.services.service import Service
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store
from daka.sync import SyncOptions, SyncReport, sync_corp
from daka.sync.convert import windows
from tests import clock
from tests.e2e.conftest import DakaServer, at_day, day_bounds, past_monday, today_in_shanghai
from tests.factories import (
    CORPID,
    OFFICE,
    SECRET,
    api_rule,
    make_corp,
    make_org,
    make_rule,
    make_shift_rule,
    midnight,
)

pytestmark = pytest.mark.slow
USERS = ["lisi", "wangwu", "zhangsan"]


def remote_org() -> dict[str, Any]:
    """R&D (zhangsan, and lisi in Backend) on fixed hours; wangwu on shifts."""
    return make_org(
        make_corp(
            rules=[
                make_rule(1, parties=["2"], sync_holidays=False),
                make_shift_rule(5, users=["wangwu"]),
            ]
        )
    )


def scheduled_days() -> list[date]:
    tomorrow = today_in_shanghai() + timedelta(days=1)
    return [
        tomorrow + timedelta(days=d)
        for d in range(5)
        if (tomorrow + timedelta(days=d)).month == tomorrow.month
    ]


def phone(userid: str, time_: int, device: str = "iPhone 15") -> dict[str, Any]:
    return {
        "userid": userid,
        "checkin_time": time_,
        "location_title": "Office",
        "location_detail": "People's Square",
        "device_type": 3,
        "device_detail": device,
        "lat": OFFICE[0],
        "lng": OFFICE[1],
        "notes": "on my way",
    }


def gate(userid: str, time_: int) -> dict[str, Any]:
    return {
        "userid": userid,
        "checkin_time": time_,
        "location_title": "Lobby",
        "location_detail": "1F",
        "device_type": 1,
        "device_detail": "Gate 3",
    }


@pytest.fixture
def remote(launch: Any) -> Iterator[tuple[DakaServer, Client]]:
    """The remote server with a week of punches and wangwu's shifts."""
    server = launch(org=remote_org())
    monday = past_monday()
    records = []
    for d in range(5):
        day = monday + timedelta(days=d)
        records += [
            gate("zhangsan", at_day(day, "08:50")),
            phone("zhangsan", at_day(day, "18:10")),
            gate("lisi", at_day(day, "09:20")),  # late
            gate("lisi", at_day(day, "12:00")),  # passed over by the rule
            gate("lisi", at_day(day, "18:01")),
        ]
        if d < 3:
            records += [gate("wangwu", at_day(day, "07:55")), gate("wangwu", at_day(day, "16:05"))]
    with Client(CORPID, SECRET, base_url=server.base_url, rate_limits={}) as client:
        client.add_checkin_record(records)
        # Only future days can be scheduled: the coming days of tomorrow's month.
        days = scheduled_days()
        client.setcheckinschedulist(
            5,
            [
                {"userid": "wangwu", "day": day.day, "schedule_id": 1 + i % 2}
                for i, day in enumerate(days)
            ],
            days[0].year * 100 + days[0].month,
        )
        yield server, client


@pytest.fixture
def local(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    url = f"sqlite:///{tmp_path / 'mirror.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    yield url, Store(engine)
    engine.dispose()


def mirror_client(store: Store) -> Client:
    """A client of the mirror: the local app, served in-process, same corpid and secret."""
    app = create_app(Service(store, clock=clock.now, rate_limiter=RateLimiter(enabled=False)))
    return Client(
        CORPID, SECRET, base_url="http://mirror", rate_limits={}, transport=_AsgiTransport(app)
    )


class _AsgiTransport(httpx.BaseTransport):
    """Sends httpx requests to an ASGI app through Starlette's TestClient."""

    def __init__(self, app: Any) -> None:
        self._client = TestClient(app, base_url="http://mirror")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._client.request(
            request.method, str(request.url), headers=dict(request.headers), content=request.read()
        )
        return httpx.Response(
            response.status_code, headers=response.headers, content=response.content
        )


def answers(client: Client, first: date, last: date) -> dict[str, Any]:
    start, end = day_bounds(first, last)
    today = today_in_shanghai()
    rules = sorted(
        (dict(g.raw) for g in client.getcorpcheckinoption().group), key=lambda g: g["groupid"]
    )
    return {
        "rows": client.getcheckindata(USERS, start, end).raw["checkindata"],
        "rules": rules,
        "today's rules": client.getcheckinoption(day_bounds(today)[0], USERS).raw["info"],
        "schedules": client.getcheckinschedulist(
            ["wangwu"], *day_bounds(today, today + timedelta(days=14))
        ).raw["schedule_list"],
        "users": client.user_simplelist(1, fetch_child=True).raw["userlist"],
        "tags": client.tag_get(1).raw["userlist"],
    }


def sync(
    server: DakaServer,
    store: Store,
    since: date | None = None,
    client: Client | None = None,
    **options: Any,
) -> SyncReport:
    own = client is None
    client = client or Client(CORPID, SECRET, base_url=server.base_url, rate_limits={})
    try:
        return sync_corp(
            store,
            client,
            SyncOptions(CORPID, SECRET, server.base_url, since=since, **options),
            clock.now_int(),
        )
    finally:
        if own:
            client.close()


def test_a_first_sync_makes_a_mirror_that_answers_as_the_remote_does(remote, local):
    server, remote_client = remote
    _, store = local
    monday = past_monday()

    report = sync(server, store, since=monday - timedelta(days=3))

    assert (report.users, report.departments, report.tags) == (3, 3, 1)
    assert report.rules_added == 2
    assert report.schedules_changed == len(scheduled_days())
    assert report.punches_new == 5 * 5 + 3 * 2
    with mirror_client(store) as mirror:
        assert answers(mirror, monday, monday + timedelta(days=6)) == answers(
            remote_client, monday, monday + timedelta(days=6)
        )


def test_a_second_sync_reads_only_what_is_new_and_a_third_changes_nothing(remote, local):
    server, remote_client = remote
    _, store = local
    monday = past_monday()
    sync(server, store, since=monday)
    friday = monday + timedelta(days=4)
    remote_client.add_checkin_record(
        [
            phone("zhangsan", at_day(friday, "20:30"), "Pixel 9"),
            gate("wangwu", at_day(friday, "07:58")),
        ]
    )
    remote_client.add_checkin_option(
        api_rule(groupname="Sales hours", users=["lisi"]), effective_now=True
    )

    second = sync(server, store)
    third = sync(server, store)

    assert (second.punches_new, second.punches_updated, second.rules_added) == (2, 0, 1)
    assert (
        third.punches_new,
        third.punches_updated,
        third.rules_added,
        third.rules_changed,
        third.schedules_changed,
    ) == (0, 0, 0, 0, 0)
    assert third.punches_unchanged == second.punches_new + second.punches_unchanged
    with mirror_client(store) as mirror:
        assert answers(mirror, monday, friday) == answers(remote_client, monday, friday)


def mirror_with_a_new_rule(server: DakaServer, store: Store, remote_client: Client) -> Any:
    """Create a rule for lisi on the remote, in force today, and mirror it; the rule."""
    remote_client.add_checkin_option(
        api_rule(groupname="Sales hours", users=["lisi"]), effective_now=True
    )
    sync(server, store, since=past_monday())
    (created,) = [
        g for g in remote_client.getcorpcheckinoption().group if g.groupname == "Sales hours"
    ]
    return created


def test_a_changed_or_deleted_rule_gets_a_new_local_version_from_the_day_it_took_effect(
    remote, local
):
    server, remote_client = remote
    _, store = local
    created = mirror_with_a_new_rule(server, store, remote_client)
    remote_client.update_checkin_option(
        {**created.raw, "groupname": "Sales hours (winter)"}, effective_now=True
    )
    changed = sync(server, store)
    remote_client.del_checkin_option(created.groupid, effective_now=True)
    deleted = sync(server, store)

    assert (changed.rules_changed, deleted.rules_removed) == (1, 1)
    with mirror_client(store) as mirror:
        today = day_bounds(today_in_shanghai())[0]
        assert (
            mirror.getcheckinoption(today, USERS).raw["info"]
            == remote_client.getcheckinoption(today, USERS).raw["info"]
        )


def test_a_rule_change_that_takes_effect_tomorrow_leaves_today_alone_in_the_mirror(remote, local):
    server, remote_client = remote
    _, store = local
    created = mirror_with_a_new_rule(server, store, remote_client)
    remote_client.update_checkin_option({**created.raw, "groupname": "Sales hours (winter)"})

    changed = sync(server, store)

    today = day_bounds(today_in_shanghai())[0]
    with mirror_client(store) as mirror:
        for day in (today, today + 86_400):
            ours = mirror.getcheckinoption(day, ["lisi"]).info[0].group.groupname
            theirs = remote_client.getcheckinoption(day, ["lisi"]).info[0].group.groupname
            assert ours == theirs
    assert changed.rules_changed == 1
    assert [
        remote_client.getcheckinoption(d, ["lisi"]).info[0].group.groupname
        for d in (today, today + 86_400)
    ] == ["Sales hours", "Sales hours (winter)"]


def test_since_reads_again_from_that_day_only(remote, local):
    server, _ = remote
    _, store = local
    monday = past_monday()
    sync(server, store, since=monday - timedelta(days=40))

    again = sync(server, store, since=monday)

    assert again.windows == 1
    assert (again.punches_new, again.punches_unchanged) == (0, 5 * 5 + 3 * 2)


class _CutAfter(httpx.BaseTransport):
    """A real HTTP transport whose connection drops at the ``calls + 1``-th call of ``path``."""

    def __init__(self, path: str, calls: int) -> None:
        self.path, self.left = path, calls
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(self.path):
            if self.left <= 0:
                raise httpx.ConnectError("the network went away", request=request)
            self.left -= 1
        return self._inner.handle_request(request)


def test_an_interrupted_sync_keeps_what_it_stored_and_the_next_run_resumes_from_there(
    remote, local
):
    server, remote_client = remote
    _, store = local
    monday = past_monday()
    since = monday - timedelta(days=95)  # four 30-day windows of records
    full = len(windows(midnight(since), clock.now_int() + 1))
    flaky = Client(
        CORPID,
        SECRET,
        base_url=server.base_url,
        rate_limits={},
        retries=0,
        transport=_CutAfter("checkin/getcheckindata", 2),
    )

    with flaky, pytest.raises(NetworkError):
        sync(server, store, since=since, client=flaky)
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        kept = store.punch_count(conn, corp.id)
    resumed = sync(server, store)

    assert kept == 0  # the first two windows end before the punches of last week
    assert full == 4 and resumed.windows < full  # windows already read are not read again
    assert resumed.punches_new == 5 * 5 + 3 * 2
    with mirror_client(store) as mirror:
        assert answers(mirror, monday, monday + timedelta(days=6)) == answers(
            remote_client, monday, monday + timedelta(days=6)
        )


def test_sync_from_the_command_line_shows_a_summary(remote, local):
    server, _ = remote
    url, _ = local

    result = CliRunner(env=clock.clock_env()).invoke(
        main,
        [
            "sync",
            "--from",
            server.base_url,
            "--corpid",
            CORPID,
            "--secret",
            SECRET,
            "--since",
            past_monday().isoformat(),
            "--db",
            url,
        ],
    )

    assert result.exit_code == 0, result.output
    assert "31 new, 0 updated, 0 unchanged" in result.output
    assert "2 added, 0 changed, 0 removed" in result.output


def test_sync_with_a_wrong_secret_fails_and_touches_nothing(remote, local):
    server, _ = remote
    url, store = local

    result = CliRunner(env=clock.clock_env()).invoke(
        main,
        ["sync", "--from", server.base_url, "--corpid", CORPID, "--secret", "wrong", "--db", url],
    )

    assert result.exit_code == 1
    assert "40001" in result.output
    with store.read() as conn:
        assert store.corps(conn) == []


def test_sync_refuses_to_overwrite_a_corp_that_is_not_a_mirror(remote, local):
    server, _ = remote
    url, store = local
    load_org(store, make_org(make_corp()))

    result = CliRunner(env=clock.clock_env()).invoke(
        main,
        ["sync", "--from", server.base_url, "--corpid", CORPID, "--secret", SECRET, "--db", url],
    )

    assert result.exit_code == 2
    assert "not a mirror" in result.output


class _NoContacts(httpx.BaseTransport):
    """A real HTTP transport in front of a server whose app may not read the directory."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith(("/cgi-bin/department/", "/cgi-bin/user/", "/cgi-bin/tag/")):
            return httpx.Response(
                200,
                json={
                    "errcode": 60011,
                    "errmsg": "no privilege to access/modify contact/party/agent",
                },
            )
        return self._inner.handle_request(request)


def test_without_directory_access_the_named_users_are_still_mirrored(remote, local):
    server, _ = remote
    _, store = local
    client = Client(
        CORPID, SECRET, base_url=server.base_url, rate_limits={}, transport=_NoContacts()
    )

    with client:
        report = sync(
            server, store, since=past_monday(), client=client, users=["zhangsan", "wangwu"]
        )

    assert not report.directory_mirrored
    assert any("60011" in w for w in report.warnings)
    assert report.punches_new == 5 * 2 + 3 * 2
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        assert {u.userid for u in store.directory_rows(conn, corp.id).users} == {
            "zhangsan",
            "wangwu",
        }
        monday = store.punches(conn, corp.id, ["zhangsan"], *day_bounds(past_monday()))
    assert [p.time for p in monday["zhangsan"]] == [
        at_day(past_monday(), "08:50"),
        at_day(past_monday(), "18:10"),
    ]
