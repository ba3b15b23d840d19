"""Pure conversions for ``daka sync``: remote answers into local values, and what changed.

No I/O here: the runner fetches, these functions decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from daka.client import CheckinRecord, HardwarePunch
from daka.domain.punches import DeviceType, Punch, media_json

# getcheckindata answers at most 30 days per call (docs/wecom-api.md §3).
WINDOW_SEC = 30 * 86_400
MISSED = "未打卡"
# What a mirrored punch is compared on: everything the remote tells about it.
_COMPARED = (
    "location_title",
    "location_detail",
    "notes",
    "wifiname",
    "wifimac",
    "media",
    "lat",
    "lng",
    "device_type",
    "device_detail",
)


def windows(start: int, end: int, span: int = WINDOW_SEC) -> list[tuple[int, int]]:
    """``[start, end)`` cut into consecutive half-open windows of at most ``span`` seconds."""
    out = []
    while start < end:
        out.append((start, min(start + span, end)))
        start += span
    return out


def punches_from_remote(
    rows: Iterable[CheckinRecord],
    hardware: Iterable[HardwarePunch],
    received_at: int,
) -> list[Punch]:
    """The punches behind a remote's getcheckindata rows and raw device punches.

    A row marked 未打卡 is synthetic (no punch behind it) and is skipped. A row with a
    ``deviceid`` was punched on a phone (device type 3, the device named as WeCom names it);
    one without came from a gate or attendance machine (type 2). Device punches the rules
    passed over are not in getcheckindata, so get_hardware_checkin_data adds them.
    """
    found: dict[tuple[str, int], Punch] = {}
    machines = {(h.userid, h.checkin_time): h for h in hardware}
    for row in rows:
        if MISSED in row.exceptions:
            continue
        key = (row.userid, row.checkin_time)
        machine = machines.get(key)
        if row.deviceid:
            device_type, device = DeviceType.OTHER, row.deviceid
        else:
            device_type = DeviceType.ATTENDANCE_MACHINE
            device = (machine.device_name or machine.device_sn) if machine else ""
        found[key] = Punch(
            userid=row.userid,
            time=row.checkin_time,
            location_title=row.location_title,
            location_detail=row.location_detail,
            notes=row.notes,
            wifiname=row.wifiname,
            wifimac=row.wifimac[:17],
            media=media_json(row.mediaids),
            lat=row.lat if (row.lat or row.lng) else None,
            lng=row.lng if (row.lat or row.lng) else None,
            device_type=device_type,
            device_detail=device[:40],
            received_at=received_at,
        )
    for key, machine in machines.items():
        if key not in found:
            found[key] = Punch(
                userid=machine.userid,
                time=machine.checkin_time,
                device_type=DeviceType.ATTENDANCE_MACHINE,
                device_detail=(machine.device_name or machine.device_sn)[:40],
                received_at=received_at,
            )
    return sorted(found.values(), key=lambda p: (p.userid, p.time))


@dataclass(frozen=True, slots=True)
class PunchChanges:
    """Remote punches split by what storing them would do."""

    new: list[Punch]
    updated: list[Punch]
    unchanged: int

    @property
    def to_store(self) -> list[Punch]:
        return self.new + self.updated


def punch_changes(remote: Sequence[Punch], local: Mapping[str, Sequence[Punch]]) -> PunchChanges:
    """Which remote punches are new, which differ from the stored one, how many are the same.

    A punch already stored with more to say (a gate's punch also in getcheckindata) keeps it:
    a bare device punch never overwrites a stored one.
    """
    stored = {(p.userid, p.time): p for ps in local.values() for p in ps}
    new, updated, unchanged = [], [], 0
    for punch in remote:
        old = stored.get((punch.userid, punch.time))
        if old is None:
            new.append(punch)
        elif all(getattr(old, f) == getattr(punch, f) for f in _COMPARED) or _bare(punch):
            unchanged += 1
        else:
            updated.append(punch)
    return PunchChanges(new, updated, unchanged)


def _bare(punch: Punch) -> bool:
    return (
        punch.device_type == DeviceType.ATTENDANCE_MACHINE
        and not punch.location_title
        and not punch.notes
        and punch.media == "[]"
        and punch.lat is None
    )


def schedule_items(schedule_list: Iterable[Any], tz: ZoneInfo) -> list[tuple[str, int, int, int]]:
    """(userid, day ordinal, groupid, schedule_id) of getcheckinschedulist's answer."""
    items = []
    for month in schedule_list:
        year, mon = divmod(month.yearmonth, 100)
        for day in month.days:
            try:
                ordinal = date(year, mon, day.day).toordinal()
            except (ValueError, OverflowError):
                continue  # a malformed day in the remote's answer: nothing to store
            items.append((month.userid, ordinal, month.groupid, day.schedule_id))
    return items


def changed_schedules(
    remote: Iterable[tuple[str, int, int, int]], local: Mapping[str, Mapping[int, tuple[int, int]]]
) -> list[tuple[str, int, int, int]]:
    """The remote assignments that the local schedules do not already hold."""
    return [item for item in remote if local.get(item[0], {}).get(item[1]) != (item[2], item[3])]
