"""What daka sync makes of a remote's answers (pure conversions, no I/O)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from daka.client import CheckinRecord, HardwarePunch, ScheduleListResult
from daka.domain.punches import DeviceType, Punch
from daka.sync.convert import (
    changed_schedules,
    punch_changes,
    punches_from_remote,
    schedule_items,
    windows,
)
from tests.factories import SHANGHAI


def row(**fields: Any) -> CheckinRecord:
    base = {
        "userid": "zhangsan",
        "checkin_type": "上班打卡",
        "exception_type": "",
        "checkin_time": 1_000,
        "location_title": "",
        "location_detail": "",
        "wifiname": "",
        "notes": "",
        "wifimac": "",
        "mediaids": [],
        "lat": 0,
        "lng": 0,
        "deviceid": "",
    }
    return CheckinRecord.from_raw({**base, **fields})


def machine(time: int, userid: str = "zhangsan") -> HardwarePunch:
    return HardwarePunch.from_raw(
        {"userid": userid, "checkin_time": time, "device_sn": "SN-1", "device_name": "Gate 3"}
    )


def test_a_missed_row_is_not_a_punch():
    punches = punches_from_remote([row(exception_type="未打卡"), row(checkin_time=2_000)], [], 9)

    assert [p.time for p in punches] == [2_000]


def test_a_row_with_a_deviceid_is_a_phone_punch_with_its_place_and_notes():
    (punch,) = punches_from_remote(
        [
            row(
                deviceid="iPhone 15",
                lat=30547645,
                lng=104063236,
                location_title="依澜府",
                notes="堵车",
                mediaids=["m1"],
            )
        ],
        [],
        9,
    )

    assert (punch.device_type, punch.device_detail) == (DeviceType.OTHER, "iPhone 15")
    assert (punch.lat, punch.lng, punch.location_title, punch.notes) == (
        30547645,
        104063236,
        "依澜府",
        "堵车",
    )
    assert (punch.media_ids, punch.received_at) == (("m1",), 9)


def test_a_row_without_a_deviceid_came_from_a_machine_named_by_the_hardware_data():
    punches = punches_from_remote([row(checkin_time=1_000)], [machine(1_000), machine(1_500)], 9)

    assert [(p.time, p.device_type, p.device_detail, p.lat) for p in punches] == [
        (1_000, DeviceType.ATTENDANCE_MACHINE, "Gate 3", None),
        (1_500, DeviceType.ATTENDANCE_MACHINE, "Gate 3", None),  # passed over by the rules
    ]


def test_only_new_and_different_punches_are_stored():
    stored = {"zhangsan": [Punch("zhangsan", 1_000, notes="old"), Punch("zhangsan", 2_000)]}
    remote = [
        Punch("zhangsan", 1_000, notes="new"),
        Punch("zhangsan", 2_000),
        Punch("zhangsan", 3_000),
    ]

    changes = punch_changes(remote, stored)

    assert [p.time for p in changes.new] == [3_000]
    assert [p.time for p in changes.updated] == [1_000]
    assert changes.unchanged == 1


def test_a_bare_device_punch_never_overwrites_a_stored_one():
    stored = {
        "zhangsan": [Punch("zhangsan", 1_000, location_title="Lobby", device_type=DeviceType.GATE)]
    }

    changes = punch_changes(punches_from_remote([], [machine(1_000)], 9), stored)

    assert (changes.to_store, changes.unchanged) == ([], 1)


def test_schedules_become_day_assignments_and_only_changes_are_kept():
    answer = ScheduleListResult.from_raw(
        {
            "schedule_list": [
                {
                    "userid": "lisi",
                    "yearmonth": 202611,
                    "groupid": 5,
                    "schedule": {
                        "scheduleList": [
                            {"day": 2, "schedule_info": {"schedule_id": 1}},
                            {"day": 3, "schedule_info": {"schedule_id": 2}},
                            {"day": 31, "schedule_info": {"schedule_id": 2}},
                        ]
                    },
                }
            ]
        }
    )

    items = schedule_items(answer.schedule_list, SHANGHAI)
    nov2 = items[0][1]

    assert [(u, d - nov2, g, s) for u, d, g, s in items] == [("lisi", 0, 5, 1), ("lisi", 1, 5, 2)]
    assert changed_schedules(items, {"lisi": {nov2: (5, 1)}}) == [items[1]]


# The length is drawn as whole spans plus a remainder, at most 200 windows: drawing it freely
# let hypothesis ask for ~1e8 one-second windows (minutes and gigabytes for one example),
# and the shape that matters (exact multiples, a short last window, none at all) is the same.
@given(
    st.integers(0, 10**9), st.integers(1, 3 * 10**6), st.integers(0, 200), st.integers(0, 3 * 10**6)
)
def test_windows_cover_the_range_exactly_without_overlap(start, span, whole, remainder):
    length = whole * span + remainder % span
    cut = windows(start, start + length, span)

    assert len(cut) == -(-length // span)

    assert all(0 < b - a <= span for a, b in cut)
    assert all(cut[i][1] == cut[i + 1][0] for i in range(len(cut) - 1))
    assert (cut[0][0], cut[-1][1]) == (start, start + length) if length else cut == []
