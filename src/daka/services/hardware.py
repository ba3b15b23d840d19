"""Attendance-device data (get_hardware_checkin_data, docs/wecom-api.md §14): raw device punches.

Unlike getcheckindata nothing is evaluated: every punch a gate or an attendance machine
reported is answered, whether or not it matches a rule.
"""

from __future__ import annotations

from typing import Any

from daka.domain.errors import InvalidParameter, UserListInvalid
from daka.services.checkin import check_time_range
from daka.services.corpview import CorpView
from daka.storage.store import Store
from daka.wire.checkin import MAX_USERS
from daka.wire.devices import MAX_HARDWARE_SPAN_SEC, GetHardwareCheckinDataRequest

BY_CHECKIN_TIME = 1
BY_RECEIVED_TIME = 2


def hardware_checkin_data(
    store: Store, view: CorpView, request: GetHardwareCheckinDataRequest, now: int
) -> list[dict[str, Any]]:
    """get_hardware_checkin_data: each user's device punches, users in request order.

    Userids that are not in the corp are skipped, as WeCom documents. ``device_sn`` is always
    ``""``: add_checkin_record carries no serial number, only ``device_detail``.
    """
    filter_type = BY_CHECKIN_TIME if request.filter_type is None else request.filter_type
    if filter_type not in (BY_CHECKIN_TIME, BY_RECEIVED_TIME):
        raise InvalidParameter("invalid parameter filter_type: must be 1 or 2")
    if not request.useridlist or len(request.useridlist) > MAX_USERS:
        raise UserListInvalid(
            f"userlist is over threshold: useridlist must hold 1..{MAX_USERS} userids"
        )
    check_time_range(request.starttime, request.endtime, MAX_HARDWARE_SPAN_SEC)
    assert request.starttime is not None and request.endtime is not None
    userids = [u for u in dict.fromkeys(request.useridlist) if view.has_user(u)]
    with store.read() as conn:
        punches = store.device_punches(
            conn,
            view.corp.id,
            userids,
            request.starttime,
            request.endtime,
            by_received=filter_type == BY_RECEIVED_TIME,
        )
    return [
        {"userid": userid, "checkin_time": time, "device_sn": "", "device_name": device}
        for userid in userids
        for time, device in punches[userid]
    ]
