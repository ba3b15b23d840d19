"""非常用设备: which punches were made from a device unusual for the user.

A phone or app punch (``device_type`` 3, "其他") names its device in ``device_detail``. A device
is *usual* for a user on day D when the user punched with it on at least
:data:`USUAL_MIN_DAYS` distinct days among the :data:`HISTORY_DAYS` days before D. A punch
from any other device is unusual, but only once the user has phone punches on at least
:data:`MIN_HISTORY_DAYS` days in that window (a new employee, or a new phone after a long
leave, has no history to judge by). Gates and attendance machines (types 1 and 2) are fixed
hardware and never unusual.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

HISTORY_DAYS = 30
USUAL_MIN_DAYS = 3
MIN_HISTORY_DAYS = 5


def _day_numbers(tz: ZoneInfo) -> Callable[[int], int]:
    """A fast Unix time → local day number, caching the zone's offset per hour."""
    offsets: dict[int, int] = {}

    def day_number(time: int) -> int:
        hour = time // 3600
        offset = offsets.get(hour)
        if offset is None:
            delta = datetime.fromtimestamp(time, tz).utcoffset()
            offset = offsets[hour] = int(delta.total_seconds()) if delta else 0
        return (time + offset) // 86_400

    return day_number


def unusual_punch_times(phone_punches: Iterable[tuple[int, str]], tz: ZoneInfo) -> frozenset[int]:
    """Times of the unusual punches among ``(time, device_detail)`` phone punches.

    Give the punches to judge plus every phone punch of the :data:`HISTORY_DAYS` before them.
    """
    punches = [(t, d) for t, d in phone_punches if d]
    if len({d for _, d in punches}) <= 1:
        # One device only: once there is history to judge by, it is usual.
        return frozenset()
    day_number = _day_numbers(tz)
    by_day: dict[int, set[str]] = {}
    punches_by_day: dict[int, list[tuple[int, str]]] = {}
    for time, device in punches:
        day = day_number(time)
        by_day.setdefault(day, set()).add(device)
        punches_by_day.setdefault(day, []).append((time, device))
    days = sorted(by_day)
    window: Counter[str] = Counter()
    window_days: deque[int] = deque()
    unusual: set[int] = set()
    added = 0
    for day in days:
        # Slide the window to [day - HISTORY_DAYS, day): add earlier days, drop stale ones.
        while added < len(days) and days[added] < day:
            window_days.append(days[added])
            window.update(by_day[days[added]])
            added += 1
        while window_days and window_days[0] < day - HISTORY_DAYS:
            window.subtract(by_day[window_days.popleft()])
        if len(window_days) < MIN_HISTORY_DAYS:
            continue
        for time, device in punches_by_day[day]:
            if window[device] < USUAL_MIN_DAYS:
                unusual.add(time)
    return frozenset(unusual)
