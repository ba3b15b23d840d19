"""addcheckinuserface: face images stored per user, image checks and every errcode."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest
from starlette.testclient import TestClient

from daka.api.app import create_app
from daka.services.ratelimit import RateLimiter
from daka.services.service import Service
from tests.api.golden import assert_golden, assert_golden_case
from tests.conftest import Wire
from tests.factories import CORPID

MAX_CHARS = 1_048_576


def png_1x1() -> bytes:
    """A real 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


PNG = png_1x1()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
BMP = b"BM" + b"\x00" * 60
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
TEXT = "这不是一张图片, just text.\n".encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def enrol(wire, userid="zhangsan", image=PNG):
    return wire.post("checkin/addcheckinuserface", {"userid": userid, "userface": b64(image)})


def stored_face(store, userid="zhangsan", corpid=CORPID):
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, corpid)
        return store.face(conn, corp.id, userid)


def test_a_face_is_stored_as_the_decoded_image(wire, store):
    body = enrol(wire)

    assert_golden("addcheckinuserface_ok", body)
    assert stored_face(store) == PNG


def test_a_new_face_overwrites_the_stored_one(wire, store):
    assert enrol(wire, image=PNG)["errcode"] == 0

    assert enrol(wire, image=JPEG)["errcode"] == 0

    assert stored_face(store) == JPEG
    assert stored_face(store, "lisi") is None


@pytest.mark.parametrize(
    "image",
    [PNG, JPEG, BMP, GIF, b"GIF87a" + b"\x00" * 8, WEBP],
    ids=["png", "jpeg", "bmp", "gif89a", "gif87a", "webp"],
)
def test_every_supported_image_format_is_accepted(wire, store, image):
    assert enrol(wire, image=image)["errcode"] == 0
    assert stored_face(store) == image


@pytest.mark.parametrize(
    "image",
    [TEXT, b"RIFF\x24\x00\x00\x00WAVEfmt ", b"\xff\xd8"],
    ids=["text", "riff-wave", "truncated-jpeg"],
)
def test_data_that_is_not_an_image_is_refused_with_301072(wire, store, image):
    body = enrol(wire, image=image)

    assert body["errcode"] == 301072
    assert "userface" in body["errmsg"]
    assert stored_face(store) is None


def test_a_text_file_is_refused_with_golden_301072(wire):
    assert_golden("addcheckinuserface_301072", enrol(wire, image=TEXT))


@pytest.mark.parametrize(
    "userface",
    ["not base64!", "iVBORw0KGgo=AAAA", "data:image/png;base64," + b64(PNG), "A"],
    ids=["punctuation", "inner-padding", "data-url", "one-char"],
)
def test_data_that_is_not_base64_is_refused_with_301072(wire, userface):
    body = wire.post("checkin/addcheckinuserface", {"userid": "zhangsan", "userface": userface})

    assert body["errcode"] == 301072


def test_line_broken_and_unpadded_base64_is_accepted(wire, store):
    mime = base64.encodebytes(PNG).decode()  # a line break every 76 characters
    assert "\n" in mime
    assert (
        wire.post("checkin/addcheckinuserface", {"userid": "zhangsan", "userface": mime})["errcode"]
        == 0
    )
    unpadded = b64(GIF).rstrip("=")
    assert (
        wire.post("checkin/addcheckinuserface", {"userid": "lisi", "userface": unpadded})["errcode"]
        == 0
    )

    assert stored_face(store) == PNG
    assert stored_face(store, "lisi") == GIF


def test_an_unknown_userid_is_301069_and_stores_nothing(wire, store):
    body = enrol(wire, userid="ghost")

    assert body["errcode"] == 301069
    assert "ghost" in body["errmsg"]
    assert_golden("addcheckinuserface_301069", body)
    assert "checkindata" not in body
    assert stored_face(store, "ghost") is None


def test_a_refused_face_keeps_the_stored_one(wire, store):
    enrol(wire, image=PNG)

    assert enrol(wire, image=TEXT)["errcode"] == 301072

    assert stored_face(store) == PNG


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"userface": b64(PNG)}, "userid"),
        ({"userid": "", "userface": b64(PNG)}, "userid"),
        ({"userid": "z" * 65, "userface": b64(PNG)}, "userid"),
        ({"userid": 42, "userface": b64(PNG)}, "userid"),
        ({"userid": "zhangsan"}, "userface"),
        ({"userid": "zhangsan", "userface": ""}, "userface"),  # empty: 40058, not 301072
        ({"userid": "zhangsan", "userface": ["x"]}, "userface"),
    ],
)
def test_missing_or_malformed_fields_are_40058_naming_the_field(wire, body, field, request):
    answer = wire.post("checkin/addcheckinuserface", body)

    assert answer["errcode"] == 40058
    assert answer["errmsg"].startswith(f"invalid parameter {field}:")
    assert_golden_case(request, answer)


def test_an_empty_body_is_40058(wire):
    answer = wire.post("checkin/addcheckinuserface")

    assert answer["errcode"] == 40058


def test_userface_may_be_1_mb_of_base64_text_but_no_more(wire, store):
    image = PNG + b"\x00" * (MAX_CHARS // 4 * 3 - len(PNG))
    exact = b64(image)
    assert len(exact) == MAX_CHARS

    assert (
        wire.post("checkin/addcheckinuserface", {"userid": "zhangsan", "userface": exact})[
            "errcode"
        ]
        == 0
    )
    over = wire.post("checkin/addcheckinuserface", {"userid": "lisi", "userface": exact + "AAAA"})

    assert over["errcode"] == 40058
    assert over["errmsg"].startswith("invalid parameter userface: must be at most 1048576")
    assert stored_face(store) == image
    assert stored_face(store, "lisi") is None


def test_the_11th_face_in_a_minute_is_refused(store, clock, org):
    service = Service(store, clock=clock, rate_limiter=RateLimiter(enabled=True))
    with TestClient(create_app(service)) as client:
        wire = Wire(client)
        wire.login()
        answers = [enrol(wire)["errcode"] for _ in range(11)]
        clock.advance(60)
        again = enrol(wire)["errcode"]

    assert answers == [0] * 10 + [45009]
    assert again == 0
