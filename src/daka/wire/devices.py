"""Request shapes of the face and attendance-device endpoints (docs/wecom-api.md §11, §14).

Validated like every other request (see :mod:`daka.wire.checkin`): lax numbers, unknown fields
ignored, and any failure a 40058 that names the field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from daka.wire.checkin import Int, UserRangeRequest, _reject_nul, _Wire

# addcheckinuserface: "图片数据不超过1M", read as 1 MB of base64 text.
MAX_USERFACE_CHARS = 1_048_576
# get_hardware_checkin_data: "时间跨度不超过一个月", read as 31 days.
MAX_HARDWARE_SPAN_SEC = 31 * 86_400


class AddCheckinUserFaceRequest(_Wire):
    """addcheckinuserface: one user's face, as base64 of an image file."""

    # Length constraints before the NUL check, so they report as string lengths.
    userid: Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_reject_nul)]
    userface: Annotated[
        str, Field(min_length=1, max_length=MAX_USERFACE_CHARS), AfterValidator(_reject_nul)
    ]


class GetHardwareCheckinDataRequest(UserRangeRequest):
    """get_hardware_checkin_data: ``filter_type`` 1 (punch time, the default) or 2 (received)."""

    filter_type: Int | None = None
