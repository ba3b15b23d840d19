"""Durability: what add_checkin_record acknowledged is on disk, and batches are atomic.

The server is killed with SIGKILL (no shutdown, no flush) and its SQLite file is then read
directly, so nothing but the committed database state can answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.clock import now_int
from tests.e2e.conftest import SHARED_CORPS, Api, DakaServer, at_day, past_monday, punch_rows

pytestmark = pytest.mark.slow

USERS = ("zhangsan", "lisi", "wangwu")
BATCH = 200


def batch(first_time: int, marker: str) -> list[dict[str, Any]]:
    """200 punches with distinct (userid, checkin_time), all tagged ``notes=marker``."""
    return [
        {
            "userid": USERS[i % len(USERS)],
            "checkin_time": first_time + i,
            "location_title": "Gate 3",
            "location_detail": "B1",
            "notes": marker,
            "device_type": 1,
            "device_detail": "ZKTeco",
        }
        for i in range(BATCH)
    ]


def integrity_ok(db_path: Path) -> bool:
    return punch_rows(db_path, "PRAGMA integrity_check") == [("ok",)]


def counts_by_marker(db_path: Path) -> dict[str, int]:
    return dict(punch_rows(db_path, "SELECT notes, COUNT(*) FROM punches GROUP BY notes"))


def test_every_acknowledged_punch_survives_kill_9_right_after_the_last_acknowledgement(
    daka_server: DakaServer, launch: Callable[..., DakaServer], api_factory: Callable[..., Api]
) -> None:
    server = daka_server
    api = api_factory(server)
    base = at_day(past_monday() - timedelta(days=7), "07:00")  # a Monday 14..20 days ago
    acknowledged: set[tuple[str, int]] = set()
    for k in range(30):
        records = batch(base + k * BATCH, f"batch-{k}")
        answer = api.post("checkin/add_checkin_record", {"records": records})
        if answer["errcode"] == 0:
            acknowledged.update((r["userid"], r["checkin_time"]) for r in records)
    server.kill9()
    assert server.process.returncode == -9  # it really died of SIGKILL, not a clean exit

    assert len(acknowledged) == 30 * BATCH
    assert integrity_ok(server.db_path)
    stored = set(punch_rows(server.db_path, "SELECT userid, checkin_time FROM punches"))
    assert acknowledged - stored == set()
    assert len(stored) == len(acknowledged)

    # A new server on the same file serves them: zhangsan's first punch is his on-time 上班打卡.
    # The token issued by the killed server is still good: tokens are stored, not in memory.
    again = launch(db_path=server.db_path)
    cached = api_factory(again)
    cached.token = api.token
    rows = cached.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 1,
            "starttime": base,
            "endtime": base + 30 * BATCH,
            "useridlist": ["zhangsan"],
        },
    )
    assert rows["errcode"] == 0, rows
    assert [
        (r["checkin_type"], r["checkin_time"], r["exception_type"]) for r in rows["checkindata"]
    ][:1] == [("上班打卡", base, "")]


@pytest.mark.parametrize(
    ("last_record", "errcode"),
    [
        pytest.param({"userid": "nobody"}, 60111, id="unknown-userid"),
        pytest.param({"checkin_time": now_int() + 3600}, 301083, id="future-time"),
        pytest.param(
            {"wifiname": "Office-WiFi", "wifimac": "not-a-mac"}, 40058, id="malformed-wifimac"
        ),
        pytest.param({"device_type": 9}, 40058, id="device-type-out-of-range"),
    ],
)
def test_a_batch_refused_for_its_last_record_writes_none_of_its_records(
    shared_server: DakaServer,
    api_factory: Callable[..., Api],
    last_record: dict[str, Any],
    errcode: int,
    request: pytest.FixtureRequest,
) -> None:
    marker = f"refused-{request.node.callspec.id}"
    records = batch(at_day(past_monday(), "06:00"), marker)
    records[-1] = {**records[-1], **last_record}
    api = api_factory(shared_server, SHARED_CORPS["durability"])
    answer = api.call("checkin/add_checkin_record", {"records": records})
    assert answer.json()["errcode"] == errcode, answer.json()
    assert answer.headers["Error-Code"] == str(errcode)
    assert "records[199]" in answer.json()["errmsg"]
    assert counts_by_marker(shared_server.db_path).get(marker, 0) == 0


def test_a_valid_batch_of_200_is_written_whole(
    shared_server: DakaServer, api_factory: Callable[..., Api]
) -> None:
    records = batch(at_day(past_monday(), "06:30"), "accepted-200")
    api = api_factory(shared_server, SHARED_CORPS["durability"])
    answer = api.post("checkin/add_checkin_record", {"records": records})
    assert answer == {"errcode": 0, "errmsg": "ok"}
    assert counts_by_marker(shared_server.db_path)["accepted-200"] == BATCH


class Sender(threading.Thread):
    """Sends batches back to back until the server goes away; remembers what was acknowledged."""

    def __init__(self, base_url: str, token: str, name: str, first_time: int) -> None:
        super().__init__(name=name, daemon=True)
        self.base_url = base_url
        self.token = token
        self.first_time = first_time
        self.sent: list[str] = []
        self.acknowledged: list[str] = []
        self.refused: list[tuple[str, Any]] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=10.0) as http:
            for k in range(1000):  # 200 000 s of punches at most
                marker = f"{self.name}-batch-{k}"
                self.sent.append(marker)
                try:
                    response = http.post(
                        "/cgi-bin/checkin/add_checkin_record",
                        params={"access_token": self.token},
                        json={"records": batch(self.first_time + k * BATCH, marker)},
                    )
                except httpx.TransportError:
                    return  # the server was killed
                body = response.json()
                if body["errcode"] == 0:
                    self.acknowledged.append(marker)
                else:
                    self.refused.append((marker, body))


def test_kill_9_during_a_stream_of_batches_leaves_every_batch_whole_or_absent(
    launch: Callable[..., DakaServer], api_factory: Callable[..., Api]
) -> None:
    server = launch()
    token = api_factory(server).token
    assert token is not None
    base = at_day(past_monday() - timedelta(days=7), "00:00")
    senders = [Sender(server.base_url, token, f"s{n}", base + n * 300_000) for n in range(3)]
    for sender in senders:
        sender.start()
    deadline = time.monotonic() + 20
    while sum(len(s.acknowledged) for s in senders) < 30 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill9()  # while the senders are still sending
    for sender in senders:
        sender.join(timeout=15)
        assert not sender.is_alive()

    assert [s.refused for s in senders] == [[], [], []]
    acknowledged = {m for s in senders for m in s.acknowledged}
    sent = {m for s in senders for m in s.sent}
    assert len(acknowledged) >= 30
    assert integrity_ok(server.db_path)
    counts = counts_by_marker(server.db_path)
    assert set(counts) <= sent
    half_written = {m: n for m, n in counts.items() if n != BATCH}
    assert half_written == {}
    assert acknowledged - set(counts) == set()  # every acknowledged batch is there, whole
