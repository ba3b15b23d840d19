"""A punch: one raw check-in event, exactly as a device or app reported it."""

from __future__ import annotations

import json
from collections.abc import Iterable
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


class Punch(NamedTuple):
    """One stored check-in. ``time`` is a Unix timestamp in seconds.

    Coordinates are degrees x 1e6 in GCJ-02; ``None`` means the punch carried none. A named
    tuple whose fields follow the stored columns, because a query turns thousands of rows
    into punches: ``device_type`` and ``source`` hold :class:`DeviceType` and
    :class:`PunchSource` values (plain ints compare equal to them), and ``media`` holds the
    attachment ids as JSON text (see :attr:`media_ids` and :func:`media_json`).
    """

    userid: str
    time: int
    location_title: str = ""
    location_detail: str = ""
    notes: str = ""
    wifiname: str = ""
    wifimac: str = ""
    media: str = "[]"
    lat: int | None = None
    lng: int | None = None
    device_type: int = DeviceType.OTHER
    device_detail: str = ""
    received_at: int = 0
    source: int = PunchSource.RECORD
    remark: str = ""
    # A correction (补卡) made for a scheduled point counts for that point only (Unix time).
    corrects: int | None = None

    @property
    def media_ids(self) -> tuple[str, ...]:
        return () if self.media == "[]" else tuple(json.loads(self.media))


def media_json(media_ids: Iterable[str]) -> str:
    """The stored form of attachment ids: a compact JSON array."""
    ids = list(media_ids)
    return json.dumps(ids, ensure_ascii=False, separators=(",", ":")) if ids else "[]"
