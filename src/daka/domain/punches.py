"""A punch: one raw check-in event, exactly as a device or app reported it."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class DeviceType(IntEnum):
    """What produced the punch (add_checkin_record's ``device_type``)."""

    GATE = 1
    ATTENDANCE_MACHINE = 2
    OTHER = 3


class PunchSource(IntEnum):
    """How a punch reached daka."""

    RECORD = 0  # add_checkin_record (a device, an app, a script)
    CORRECTION = 1  # punch_correction (补卡)


DEVICE_TYPES = {int(d): d for d in DeviceType}
PUNCH_SOURCES = {int(s): s for s in PunchSource}


class Punch(NamedTuple):
    """One stored check-in. ``time`` is a Unix timestamp in seconds.

    Coordinates are degrees x 1e6 in GCJ-02; ``None`` means the punch carried none. A named
    tuple rather than a dataclass: evaluation builds tens of thousands per query.
    """

    userid: str
    time: int
    location_title: str = ""
    location_detail: str = ""
    notes: str = ""
    wifiname: str = ""
    wifimac: str = ""
    media_ids: tuple[str, ...] = ()
    lat: int | None = None
    lng: int | None = None
    device_type: DeviceType = DeviceType.OTHER
    device_detail: str = ""
    received_at: int = 0
    source: PunchSource = PunchSource.RECORD
    remark: str = ""
    # A correction (补卡) made for a scheduled point counts for that point only (Unix time).
    corrects: int | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lng is not None
