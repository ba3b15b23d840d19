"""Punches: upsert on (corp, userid, checkin_time), range reads, exact round trips."""

from __future__ import annotations

import pytest

from daka.domain.punches import DeviceType, Punch, media_json
from daka.storage.store import Store
from tests.factories import OFFICE, OFFICE_MAC, at

T0 = at(2026, 11, 16, 9, 0)


@pytest.fixture
def corp_id(contract_store: Store) -> int:
    with contract_store.write() as conn:
        return contract_store.upsert_corp(conn, "wwpunches", "Punch Co", "Asia/Shanghai")


def _write(store: Store, corp_id: int, *punches: Punch) -> int:
    with store.write() as conn:
        return store.upsert_punches(conn, corp_id, punches)


def _read(
    store: Store, corp_id: int, userids: list[str], start: int = 0, end: int = 2**32
) -> dict[str, list[Punch]]:
    with store.read() as conn:
        return store.punches(conn, corp_id, userids, start, end)


def _count(store: Store, corp_id: int) -> int:
    with store.read() as conn:
        return store.punch_count(conn, corp_id)


FULL = Punch(
    userid="zhangsan",
    time=T0,
    location_title="人民广场",
    location_detail="上海市黄浦区人民大道 200 号",
    notes="忘带工牌 🙈, \"quoted\" 'and' \\ backslash",
    wifiname="Office-WiFi 办公室",
    wifimac=OFFICE_MAC,
    media=media_json(["WWCISP_media-0123456789"]),
    lat=OFFICE[0],
    lng=OFFICE[1],
    device_type=DeviceType.OTHER,
    device_detail="iPhone 15 / 企业微信 4.1",
    received_at=T0 + 7,
)

# One user each, so that one database holds them all.
ROUND_TRIPS = {
    "every-field-chinese": FULL,
    "defaults-no-coordinates": Punch(userid="nocoords", time=T0),
    "zero-coordinates": Punch(userid="zerocoords", time=T0, lat=0, lng=0),
    "negative-extremes": Punch(userid="southwest", time=T0, lat=-90_000_000, lng=-180_000_000),
    "positive-extremes": Punch(userid="northeast", time=T0, lat=90_000_000, lng=180_000_000),
    "max-time-gate-uppercase-mac": Punch(
        userid="gate",
        time=2**32 - 1,
        device_type=DeviceType.GATE,
        device_detail="x" * 40,
        wifimac="AA:BB:CC:DD:EE:FF",
    ),
    "long-userid-and-texts": Punch(
        userid="u" * 64,
        time=0,
        device_type=DeviceType.ATTENDANCE_MACHINE,
        notes="n" * 1024,
        location_title="标" * 1024,
        media=media_json(["m" * 128]),
    ),
}


def test_every_field_of_a_stored_punch_reads_back_identical(
    contract_store: Store, corp_id: int
) -> None:
    assert _write(contract_store, corp_id, *ROUND_TRIPS.values()) == len(ROUND_TRIPS)

    stored = _read(contract_store, corp_id, [p.userid for p in ROUND_TRIPS.values()])

    for case, punch in ROUND_TRIPS.items():
        assert stored[punch.userid] == [punch], case
        got = stored[punch.userid][0]
        assert DeviceType(got.device_type) == punch.device_type, case
        # None (no coordinates) and 0 (the equator) stay apart.
        assert (got.lat, got.lng) == (punch.lat, punch.lng), case
        assert (got.lat is None, got.lng is None) == (punch.lat is None, punch.lng is None), case


def test_a_punch_at_the_same_moment_replaces_the_stored_one(
    contract_store: Store, corp_id: int
) -> None:
    _write(contract_store, corp_id, Punch("zhangsan", T0, notes="first", lat=1, lng=2))
    replacement = Punch(
        "zhangsan", T0, notes="second", media=media_json(["m1"]), received_at=T0 + 60
    )

    _write(contract_store, corp_id, replacement)

    assert _read(contract_store, corp_id, ["zhangsan"]) == {"zhangsan": [replacement]}
    assert _count(contract_store, corp_id) == 1


def test_resending_a_batch_never_duplicates(contract_store: Store, corp_id: int) -> None:
    batch = [Punch("zhangsan", T0 + i * 60, notes=str(i)) for i in range(10)]
    _write(contract_store, corp_id, *batch)
    _write(contract_store, corp_id, *batch)
    assert _count(contract_store, corp_id) == 10


def test_a_batch_that_fails_midway_writes_none_of_its_punches(
    contract_store: Store, corp_id: int
) -> None:
    _write(contract_store, corp_id, Punch("zhangsan", T0 - 1, notes="committed before"))
    batch = [Punch("zhangsan", T0 + i) for i in range(200)]
    batch[150] = batch[150]._replace(location_title=None)  # violates NOT NULL in the database

    with pytest.raises(Exception, match="(?i)null"):
        _write(contract_store, corp_id, *batch)

    assert _read(contract_store, corp_id, ["zhangsan"])["zhangsan"] == [
        Punch("zhangsan", T0 - 1, notes="committed before")
    ]


def test_the_same_moment_of_different_users_is_two_punches(
    contract_store: Store, corp_id: int
) -> None:
    _write(contract_store, corp_id, Punch("zhangsan", T0), Punch("lisi", T0))
    assert _count(contract_store, corp_id) == 2


def test_an_empty_batch_writes_nothing(contract_store: Store, corp_id: int) -> None:
    assert _write(contract_store, corp_id) == 0
    assert _count(contract_store, corp_id) == 0


def test_reads_are_start_inclusive_and_end_exclusive(contract_store: Store, corp_id: int) -> None:
    _write(contract_store, corp_id, *(Punch("zhangsan", T0 + s) for s in (-1, 0, 1, 99, 100)))

    got = _read(contract_store, corp_id, ["zhangsan"], start=T0, end=T0 + 100)

    assert [p.time - T0 for p in got["zhangsan"]] == [0, 1, 99]


def test_reads_return_only_the_asked_users_time_ordered(
    contract_store: Store, corp_id: int
) -> None:
    # Written out of order, and interleaved between users.
    _write(
        contract_store,
        corp_id,
        Punch("zhangsan", T0 + 300),
        Punch("lisi", T0 + 200),
        Punch("wangwu", T0 + 100),
        Punch("zhangsan", T0 + 100),
        Punch("lisi", T0),
        Punch("zhangsan", T0 + 200),
    )

    got = _read(contract_store, corp_id, ["zhangsan", "lisi", "nobody"])

    assert list(got) == ["zhangsan", "lisi", "nobody"]
    assert [p.time - T0 for p in got["zhangsan"]] == [100, 200, 300]
    assert [p.time - T0 for p in got["lisi"]] == [0, 200]
    assert got["nobody"] == []


def test_userids_match_exactly(contract_store: Store, corp_id: int) -> None:
    _write(contract_store, corp_id, Punch("ZhangSan", T0), Punch("zhang%", T0))
    got = _read(contract_store, corp_id, ["zhangsan", "zhang_"])
    assert got == {"zhangsan": [], "zhang_": []}


def test_a_read_transaction_sees_one_snapshot(contract_store: Store, corp_id: int) -> None:
    # Store.read(): "A read-only transaction (one consistent snapshot)". A write committed by
    # another connection meanwhile must not show up halfway through the read.
    with contract_store.read() as conn:
        before = contract_store.punch_count(conn, corp_id)
        _write(contract_store, corp_id, Punch("zhangsan", T0))
        during = contract_store.punch_count(conn, corp_id)
        punches = contract_store.punches(conn, corp_id, ["zhangsan"], 0, 2**32)
    assert (before, during, punches) == (0, 0, {"zhangsan": []})
    assert _count(contract_store, corp_id) == 1


def test_asking_for_no_users_returns_nothing(contract_store: Store, corp_id: int) -> None:
    _write(contract_store, corp_id, Punch("zhangsan", T0))
    assert _read(contract_store, corp_id, []) == {}
