"""Face enrolment (addcheckinuserface, docs/wecom-api.md §11): store one image per user.

daka does no face recognition: it checks the data is an image file and keeps it, so a device
integration can read it back. Validation happens before the write, so a refused request
changes nothing.
"""

from __future__ import annotations

import base64
import binascii

from daka.domain.errors import FaceImageInvalid, FaceUserUnknown
from daka.services.corpview import CorpView
from daka.storage.store import Store
from daka.wire.devices import AddCheckinUserFaceRequest
from daka.wire.values import echo

_IMAGE_FORMATS = "JPEG, PNG, BMP, GIF or WEBP"


def image_format(data: bytes) -> str | None:
    """The image format ``data`` starts like (by magic bytes), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"BM"):
        return "bmp"
    return None


def decode_face(userface: str) -> bytes:
    """The image bytes of a base64 ``userface``, or 301072.

    Standard base64 alphabet; line breaks and other whitespace (MIME encoders) are skipped and
    missing ``=`` padding is tolerated. Anything else, a ``data:`` URL prefix included, is
    refused.
    """
    text = "".join(userface.split())
    text += "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise FaceImageInvalid("invalid userface: not base64 data") from None
    if image_format(data) is None:
        raise FaceImageInvalid(f"invalid userface: not a {_IMAGE_FORMATS} image")
    return data


def add_user_face(
    store: Store, view: CorpView, request: AddCheckinUserFaceRequest, now: int
) -> None:
    """addcheckinuserface: store the user's face, replacing any earlier one."""
    if not view.has_user(request.userid):
        raise FaceUserUnknown(f"userid not found: userid {echo(request.userid)}")
    image = decode_face(request.userface)
    store.transaction(lambda conn: store.set_face(conn, view.corp.id, request.userid, image, now))
