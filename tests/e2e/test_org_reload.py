"""``daka org load`` run against the database of a running server, from another process.

The server caches each corp's directory and rules per revision and must notice what another
process changed: new users, and rotated app secrets. Each test works in its own corp of the
shared server, and ``org load`` files name only that corp, so no other corp is touched.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import (
    DAKA,
    SHARED_CORPS,
    Api,
    CorpKey,
    DakaServer,
    at_day,
    past_monday,
    write_org,
)
from tests.factories import make_corp, make_org

pytestmark = pytest.mark.slow

ROTATED = "rotated-secret-2"


def org_load(server: DakaServer, document: dict[str, Any], path: Path) -> None:
    """Run ``daka org load FILE --db <the server's database>`` as a separate process."""
    write_org(path, document)
    result = subprocess.run(
        [str(DAKA), "org", "load", str(path), "--db", f"sqlite:///{server.db_path}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def gettoken(server: DakaServer, corp: CorpKey, secret: str) -> dict[str, Any]:
    return httpx.get(
        f"{server.base_url}/cgi-bin/gettoken",
        params={"corpid": corp.corpid, "corpsecret": secret},
        timeout=30,
    ).json()


def test_a_running_server_accepts_punches_for_a_user_added_by_org_load_in_another_process(
    shared_server: DakaServer, api_factory: Callable[..., Api], tmp_path: Path
) -> None:
    corp = SHARED_CORPS["new-user"]
    api = api_factory(shared_server, corp)
    punch = {
        "userid": "zhaoliu",
        "checkin_time": at_day(past_monday(), "08:58"),
        "location_title": "Lobby",
        "location_detail": "1F",
        "device_type": 2,
        "device_detail": "ZKTeco",
    }
    assert api.post("checkin/add_checkin_record", {"records": [punch]})["errcode"] == 60111

    users = [*make_corp()["users"], {"userid": "zhaoliu", "name": "赵六", "department": [3]}]
    document = make_org(make_corp(corp.corpid, secret=corp.secret, users=users))
    org_load(shared_server, document, tmp_path / "more-users.json")

    assert api.post("checkin/add_checkin_record", {"records": [punch]})["errcode"] == 0
    rows = api.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 1,
            "starttime": punch["checkin_time"],
            "endtime": punch["checkin_time"],
            "useridlist": ["zhaoliu"],
        },
    )
    assert [(r["checkin_type"], r["exception_type"]) for r in rows["checkindata"]] == [
        ("上班打卡", "")
    ]


def test_a_freshly_started_server_refuses_a_secret_that_org_load_rotated_away(
    shared_server: DakaServer, launch: Callable[..., DakaServer], tmp_path: Path
) -> None:
    corp = SHARED_CORPS["rotate-restart"]
    document = make_org(make_corp(corp.corpid, secret=ROTATED))
    org_load(shared_server, document, tmp_path / "rotated.json")
    # A second server process on the same database (the shared one keeps running).
    fresh = launch(db_path=shared_server.db_path, use_org=False)
    assert gettoken(fresh, corp, corp.secret)["errcode"] == 40001
    assert gettoken(fresh, corp, ROTATED)["errcode"] == 0


def test_a_running_server_refuses_the_old_secret_once_org_load_rotates_it(
    shared_server: DakaServer, tmp_path: Path
) -> None:
    corp = SHARED_CORPS["rotate-running"]
    assert gettoken(shared_server, corp, corp.secret)["errcode"] == 0  # the server saw it

    document = make_org(make_corp(corp.corpid, secret=ROTATED))
    org_load(shared_server, document, tmp_path / "rotated.json")

    assert gettoken(shared_server, corp, ROTATED)["errcode"] == 0
    # A freshly started server refuses the old secret with 40001 (previous test), and so must
    # the running one: WeCom answers 40001 for a wrong or old secret.
    old = gettoken(shared_server, corp, corp.secret)
    assert old["errcode"] == 40001, f"the rotated-away secret still gets a token: {old}"
