"""media/upload and media/get (docs/wecom-api.md §15), and media ids in add_checkin_record (§13).

Limits are WeCom's (image 10 MB, voice 2 MB, video 10 MB, file 20 MB); tests that need a file
over a limit shrink that limit with monkeypatch rather than send megabytes, except where the
real limit itself is checked.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request

from daka.api.media import BODY_OVERHEAD, receive_media
from daka.domain.errors import MediaError
from daka.services import media
from daka.services.org import load_org
from daka.services.ratelimit import GLOBAL_LIMIT, RateLimiter
from daka.settings import Settings
from tests.api.golden import assert_golden, assert_golden_case
from tests.conftest import DEFAULT_NOW, Wire
from tests.factories import (
    AMR_BYTES,
    CORPID,
    JPEG_BYTES,
    MP4_BYTES,
    PNG_BYTES,
    at,
    make_corp,
    make_org,
    make_record,
)

OTHER = "wwother000000002"
MONDAY_0855 = at(2026, 11, 16, 8, 55)
MEDIA_ID = re.compile(r"[A-Za-z0-9_-]{43,64}")
NOT_AN_IMAGE = "这不是一张图片, just text.\n".encode()


def upload_golden(name: str, body: dict[str, Any]) -> None:
    """Golden JSON of a successful upload, the random media_id replaced."""
    assert MEDIA_ID.fullmatch(body["media_id"]), body
    assert_golden(name, {**body, "media_id": "MEDIA_ID"})


def fetch(
    wire: Wire, media_id: str | None, *, token: str | None = None, range_: str | None = None
) -> Any:
    params = {"access_token": token or wire.token or ""}
    if media_id is not None:
        params["media_id"] = media_id
    headers = {"Range": range_} if range_ is not None else {}
    return wire.client.get("/cgi-bin/media/get", params=params, headers=headers)


def uploaded(
    wire: Wire, data: bytes = PNG_BYTES, filename: str = "face.png", media_type: str = "image"
) -> str:
    body = wire.upload_media(data, filename, media_type)
    assert body["errcode"] == 0, body
    return str(body["media_id"])


def corp_id(store: Any, corpid: str = CORPID) -> int:
    with store.read() as conn:
        return int(store.corp_by_corpid(conn, corpid).id)


def media_rows(store: Any, corpid: str = CORPID) -> list[Any]:
    from sqlalchemy import select

    from daka.storage import tables as t

    with store.read() as conn:
        return list(
            conn.execute(select(t.media).where(t.media.c.corp_id == corp_id(store, corpid)))
        )


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# -- upload: accepted files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "ext"),
    [
        (PNG_BYTES, "face.png", "image/png", "png"),
        (JPEG_BYTES, "face.jpg", "image/jpeg", "jpg"),
        (JPEG_BYTES, "face.jpeg", "image/jpeg", "jpg"),
    ],
)
def test_a_png_or_jpg_is_stored_and_read_back_byte_for_byte(
    wire, data, filename, content_type, ext
):
    body = wire.upload_media(data, filename, "image", content_type=content_type)

    upload_golden("media_upload_ok", body)
    response = fetch(wire, body["media_id"])
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == content_type
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{body["media_id"]}.{ext}"'
    )
    assert response.headers["cache-control"] == "no-cache, must-revalidate"
    assert response.headers["content-length"] == str(len(data))
    assert response.headers["accept-ranges"] == "bytes"


def test_the_upload_answer_is_wecoms_example_shape(wire):
    body = wire.upload_media(PNG_BYTES)

    assert list(body) == ["errcode", "errmsg", "type", "media_id", "created_at"]
    assert body["errmsg"] == ""  # as in WeCom's example, not "ok"
    assert body["created_at"] == str(DEFAULT_NOW)  # a string, as in WeCom's example
    assert len(body["media_id"]) == 44  # 264 random bits, URL-safe base64


@pytest.mark.parametrize(
    ("media_type", "data", "filename", "content_type", "ext"),
    [
        ("voice", AMR_BYTES, "hello.amr", "audio/amr", "amr"),
        ("video", MP4_BYTES, "clip.mp4", "video/mp4", "mp4"),
        ("file", NOT_AN_IMAGE, "报告.PDF", "application/octet-stream", "pdf"),
        ("file", PNG_BYTES, "face.png", "application/octet-stream", "png"),
        ("file", b"\x00\x01\x02\x03\x04\x05", "noext", "application/octet-stream", None),
        ("file", b"\x00\x01\x02\x03\x04\x05", 'x.p"df', "application/octet-stream", None),
    ],
)
def test_voice_video_and_file_uploads(wire, media_type, data, filename, content_type, ext):
    body = wire.upload_media(data, filename, media_type)

    assert (body["errcode"], body["type"]) == (0, media_type), body
    response = fetch(wire, body["media_id"])
    assert response.content == data
    assert response.headers["content-type"] == content_type
    name = f"{body['media_id']}.{ext}" if ext else body["media_id"]
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'


def test_the_bytes_decide_not_the_filename_or_the_parts_content_type(wire):
    body = wire.upload_media(PNG_BYTES, "face.jpg", content_type="image/jpeg")

    response = fetch(wire, body["media_id"])
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-disposition"].endswith('.png"')
    refused = wire.upload_media(
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "face.png", content_type="image/png"
    )
    assert refused["errcode"] == 40004


def test_an_image_of_exactly_six_bytes_is_enough(wire):
    assert wire.upload_media(b"\xff\xd8\xff\xe0\x00\x10")["errcode"] == 0


def test_the_file_lives_under_the_corp_and_media_id_and_the_row_describes_it(
    wire, store, media_dir
):
    media_id = uploaded(wire, PNG_BYTES, "../../etc/人脸 1.png")

    assert files_under(media_dir) == [media_dir / str(corp_id(store)) / media_id]
    assert (media_dir / str(corp_id(store)) / media_id).read_bytes() == PNG_BYTES
    (row,) = media_rows(store)
    assert (row.media_id, row.type, row.content_type, row.filename, row.size, row.created_at) == (
        media_id,
        "image",
        "image/png",
        "人脸 1.png",
        len(PNG_BYTES),
        DEFAULT_NOW,
    )


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("face.png", "face.png"),
        ("C:\\Users\\me\\face.png", "face.png"),
        ("../../etc/passwd", "passwd"),
        ("evil\x00na\tme\u202egnp.exe", "evilnamegnp.exe"),
        ("  spaced.png  ", "spaced.png"),
        ("长" * 300 + ".png", "长" * 255),
    ],
)
def test_the_client_filename_is_kept_for_display_only_made_harmless(sent, kept):
    assert media.display_name(sent) == kept


def test_a_filename_is_only_displayed_never_a_path(wire, store, media_dir, tmp_path):
    for name in ("../escape.png", "/etc/passwd", "..\\..\\win.png", "a/../../b.png", ""):
        uploaded(wire, PNG_BYTES, name)

    stored = files_under(tmp_path)
    assert all(
        p.parent == media_dir / str(corp_id(store))
        for p in stored
        if p.name not in ("daka.db", "daka.db-wal", "daka.db-shm")
    )
    assert sorted(r.filename for r in media_rows(store)) == [
        "",
        "b.png",
        "escape.png",
        "passwd",
        "win.png",
    ]


# -- upload: errors ------------------------------------------------------------------------


def raw_upload(wire: Wire, *, params: dict[str, str] | None = None, **kwargs: Any) -> Any:
    query = {"access_token": wire.token or "", **(params or {})}
    response = wire.client.post("/cgi-bin/media/upload", params=query, **kwargs)
    assert response.status_code == 200
    return response.json()


PNG_PART = {"media": ("face.png", PNG_BYTES, "image/png")}


@pytest.mark.parametrize(
    ("params", "files", "content", "headers", "errcode"),
    [
        pytest.param({}, PNG_PART, None, None, 40005, id="type-missing"),
        pytest.param({"type": ""}, PNG_PART, None, None, 40005, id="type-empty"),
        pytest.param({"type": "gif"}, PNG_PART, None, None, 40005, id="type-unknown"),
        pytest.param({"type": "IMAGE"}, PNG_PART, None, None, 40005, id="type-uppercase"),
        pytest.param(
            {"type": "image"},
            {"media": ("a.png", NOT_AN_IMAGE)},
            None,
            None,
            40004,
            id="image-not-jpg-or-png",
        ),
        pytest.param(
            {"type": "voice"},
            {"media": ("a.amr", PNG_BYTES)},
            None,
            None,
            40004,
            id="voice-not-amr",
        ),
        pytest.param(
            {"type": "video"},
            {"media": ("a.mp4", AMR_BYTES)},
            None,
            None,
            40004,
            id="video-not-mp4",
        ),
        pytest.param(
            {"type": "image"}, {"file": ("a.png", PNG_BYTES)}, None, None, 44001, id="no-media-part"
        ),
        pytest.param(
            {"type": "image"}, {"media": ("a.png", b"")}, None, None, 44001, id="empty-media-part"
        ),
        pytest.param({"type": "image"}, None, PNG_BYTES, None, 44001, id="not-multipart"),
        pytest.param(
            {"type": "image"},
            None,
            b'--b\r\nContent-Disposition: form-data; name="media"; filename="a.png"\r\n\r\n'
            + PNG_BYTES,
            {"Content-Type": "multipart/form-data; boundary=b"},
            44001,
            id="body-ends-inside-the-part",
        ),
        pytest.param(
            {"type": "file"}, {"media": ("a.txt", b"12345")}, None, None, 40006, id="five-bytes"
        ),
        pytest.param(
            {"type": "image"}, {"media": ("a.png", b"\xff")}, None, None, 40006, id="one-byte"
        ),
    ],
)
def test_upload_errors(request, wire, store, media_dir, params, files, content, headers, errcode):
    body = raw_upload(wire, params=params, files=files, content=content, headers=headers)

    assert body["errcode"] == errcode, body
    assert_golden_case(request, body)
    assert media_rows(store) == []
    assert files_under(media_dir) == []  # the spool is unnamed and gone


@pytest.mark.parametrize(("token", "errcode"), [("", 41001), ("nope", 40014)])
def test_upload_needs_a_valid_token(request, wire, store, token, errcode):
    body = wire.client.post(
        "/cgi-bin/media/upload", params={"access_token": token, "type": "image"}, files=PNG_PART
    ).json()

    assert body["errcode"] == errcode
    assert_golden_case(request, body)
    assert media_rows(store) == []


def test_an_expired_token_is_42001_before_anything_else(wire, clock):
    clock.advance(7200)

    body = wire.upload_media(b"", media_type="gif")
    assert_golden("media_upload_42001", body)
    assert fetch(wire, None).json() | {"errmsg": ""} == body | {"errmsg": ""}


def test_the_real_limits_are_wecoms():
    assert media.LIMITS == {
        "image": 10 * 1024 * 1024,
        "voice": 2 * 1024 * 1024,
        "video": 10 * 1024 * 1024,
        "file": 20 * 1024 * 1024,
    }


def test_a_voice_of_exactly_2_mb_is_taken_and_one_byte_more_is_45001(wire, store):
    limit = 2 * 1024 * 1024
    exact = AMR_BYTES + bytes(limit - len(AMR_BYTES))

    assert wire.upload_media(exact, "a.amr", "voice")["errcode"] == 0
    over = wire.upload_media(exact + b"\x00", "a.amr", "voice")
    assert_golden("media_upload_45001_voice", over)
    assert len(media_rows(store)) == 1


@pytest.mark.parametrize(
    ("media_type", "data"),
    [
        ("image", PNG_BYTES),
        ("voice", AMR_BYTES),
        ("video", MP4_BYTES),
        ("file", NOT_AN_IMAGE),
    ],
)
def test_each_type_has_its_own_size_limit(wire, store, media_dir, monkeypatch, media_type, data):
    monkeypatch.setitem(media.LIMITS, media_type, len(data))

    assert wire.upload_media(data, "a", media_type)["errcode"] == 0
    body = wire.upload_media(data + b"\x00", "a", media_type)
    assert body["errcode"] == 45001
    assert f"at most {len(data)} bytes" in body["errmsg"]
    assert len(media_rows(store)) == 1
    assert len(files_under(media_dir)) == 1


def test_a_declared_body_far_over_the_limit_is_refused_before_reading(wire, monkeypatch):
    monkeypatch.setitem(media.LIMITS, "image", 100)
    body = raw_upload(
        wire,
        params={"type": "image"},
        content=b"x" * (100 + BODY_OVERHEAD + 1),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )

    assert body["errcode"] == 45001


def test_other_parts_beside_the_media_are_ignored(wire):
    body = raw_upload(
        wire,
        params={"type": "image"},
        data={"filelength": str(len(PNG_BYTES)), "note": "hi"},
        files={
            "media": ("a.png", PNG_BYTES, "image/png"),
            "other": ("b.png", JPEG_BYTES, "image/jpeg"),
        },
    )

    assert fetch(wire, body["media_id"]).content == PNG_BYTES


# -- the body is read only up to the limit -------------------------------------------------


def _streaming_request(chunks: list[bytes], headers: dict[str, str]) -> tuple[Request, list[int]]:
    consumed = [0]

    async def receive() -> dict[str, Any]:
        index = consumed[0]
        consumed[0] += 1
        return {
            "type": "http.request",
            "body": chunks[index] if index < len(chunks) else b"",
            "more_body": index < len(chunks) - 1,
        }

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/cgi-bin/media/upload",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "query_string": b"",
    }
    return Request(scope, receive), consumed


@pytest.fixture
def spool() -> Iterator[Any]:
    with tempfile.SpooledTemporaryFile() as file:
        yield file


def test_reading_stops_once_the_media_part_passes_the_limit(monkeypatch, spool):
    monkeypatch.setitem(media.LIMITS, "image", 1000)
    head = b'--b\r\nContent-Disposition: form-data; name="media"; filename="a.png"\r\n\r\n'
    chunks = [head + PNG_BYTES] + [b"\x00" * 512] * 100 + [b"\r\n--b--\r\n"]
    request, consumed = _streaming_request(
        chunks, {"content-type": "multipart/form-data; boundary=b"}
    )

    with pytest.raises(MediaError) as caught:
        asyncio.run(receive_media(request, "image", spool))

    assert caught.value.errcode == 45001
    assert consumed[0] <= 3  # 67 + 512 + 512 bytes pass 1000: nothing after that was read
    assert spool.tell() <= 1000


def test_reading_stops_once_the_whole_body_passes_the_limit(monkeypatch, spool):
    monkeypatch.setitem(media.LIMITS, "image", 1000)
    chunks = [b'--b\r\nContent-Disposition: form-data; name="junk"\r\n\r\n'] + [
        b"\x00" * 4096
    ] * 1000
    request, consumed = _streaming_request(
        chunks, {"content-type": "multipart/form-data; boundary=b"}
    )

    with pytest.raises(MediaError) as caught:
        asyncio.run(receive_media(request, "image", spool))

    assert caught.value.errcode == 45001
    assert consumed[0] <= (1000 + BODY_OVERHEAD) // 4096 + 2


# -- get: ranges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("range_", "first", "last"),
    [
        ("bytes=0-3", 0, 3),
        ("bytes=10-19", 10, 19),
        ("bytes=60-", 60, 66),
        ("bytes=60-1000", 60, 66),
        ("bytes=-5", 62, 66),
        ("bytes=-1000", 0, 66),
        ("bytes=66-66", 66, 66),
    ],
)
def test_a_byte_range_is_206_partial_content(wire, range_, first, last):
    media_id = uploaded(wire)

    response = fetch(wire, media_id, range_=range_)

    assert response.status_code == 206
    assert response.content == PNG_BYTES[first : last + 1]
    assert response.headers["content-range"] == f"bytes {first}-{last}/{len(PNG_BYTES)}"
    assert response.headers["content-length"] == str(last - first + 1)
    assert response.headers["content-type"] == "image/png"
    assert response.headers["accept-ranges"] == "bytes"


@pytest.mark.parametrize("range_", ["bytes=67-", "bytes=67-70", "bytes=1000-2000", "bytes=-0"])
def test_an_unsatisfiable_range_is_416_with_the_size(wire, range_):
    media_id = uploaded(wire)

    response = fetch(wire, media_id, range_=range_)

    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(PNG_BYTES)}"
    assert response.content == b""


@pytest.mark.parametrize(
    "range_",
    [
        "bytes=5-2",
        "items=0-3",
        "bytes=0-1,4-5",
        "bytes=x-y",
        "bytes=-",
        "",
        "bytes=" + "9" * 5000 + "-",
        "bytes=-" + "9" * 5000,
    ],
)
def test_a_malformed_or_multiple_range_is_ignored_and_the_whole_file_sent(wire, range_):
    media_id = uploaded(wire)

    response = fetch(wire, media_id, range_=range_)

    assert response.status_code == 200
    assert response.content == PNG_BYTES
    assert "content-range" not in response.headers


# -- get: errors, expiry, corps --------------------------------------------------------------


def test_get_without_media_id_is_41006(wire):
    assert_golden("media_get_41006", fetch(wire, None).json())
    assert fetch(wire, "").json()["errcode"] == 41006


@pytest.mark.parametrize("media_id", ["unknown", "x" * 200, "../../daka.db", "a/b"])
def test_get_of_an_unknown_media_id_is_40007(wire, media_id):
    response = fetch(wire, media_id)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    assert response.headers["error-code"] == "40007"
    assert_golden("media_get_40007", response.json())


@pytest.mark.parametrize(("token", "errcode"), [("", 41001), ("nope", 40014)])
def test_get_needs_a_valid_token(request, wire, token, errcode):
    media_id = uploaded(wire)

    body = wire.client.get(
        "/cgi-bin/media/get", params={"access_token": token, "media_id": media_id}
    ).json()

    assert body["errcode"] == errcode
    assert_golden_case(request, body)


def test_a_media_id_is_valid_for_3_days(wire, clock, store, media_dir):
    media_id = uploaded(wire)

    clock.advance(3 * 86_400 - 1)
    wire.login()  # the first token has expired by now
    assert fetch(wire, media_id).content == PNG_BYTES
    clock.advance(1)
    body = fetch(wire, media_id).json()

    assert_golden("media_get_40007_expired", body)
    assert (media_dir / str(corp_id(store)) / media_id).exists()  # the file is kept


def other_corp(wire: Wire, store: Any) -> Wire:
    load_org(store, make_org(make_corp(OTHER, secret="other-secret")))
    other = Wire(wire.client)
    other.login(OTHER, "other-secret")
    return other


def test_a_corp_never_reads_another_corps_media(wire, store, media_dir):
    other = other_corp(wire, store)
    mine = uploaded(wire)
    theirs = uploaded(other, JPEG_BYTES, "theirs.jpg")

    assert fetch(other, mine).json()["errcode"] == 40007
    assert fetch(wire, theirs).json()["errcode"] == 40007
    assert fetch(other, theirs).content == JPEG_BYTES
    assert (media_dir / str(corp_id(store, OTHER)) / theirs).exists()


def test_any_app_of_the_corp_may_upload_and_fetch_without_checkin_access(api, store):
    load_org(store, make_org(make_corp(checkin=False)))
    caller = Wire(api)
    caller.login()

    assert caller.post("checkin/getcorpcheckinoption")["errcode"] == 48002
    media_id = uploaded(caller)
    assert fetch(caller, media_id).content == PNG_BYTES


def test_the_wrong_method_is_40058(wire):
    media_id = uploaded(wire)

    got = wire.client.get(
        "/cgi-bin/media/upload", params={"access_token": wire.token, "type": "image"}
    ).json()
    posted = wire.client.post(
        "/cgi-bin/media/get", params={"access_token": wire.token, "media_id": media_id}
    ).json()
    assert (got["errcode"], posted["errcode"]) == (40058, 40058)
    assert_golden("media_get_post_40058", posted)


def test_media_calls_count_against_wecoms_global_limit(store, org, clock, media_dir):
    from starlette.testclient import TestClient

    from daka.api.app import create_app
    from daka.services.service import Service

    limiter = RateLimiter(enabled=True)
    assert limiter.limit_for("media/upload") == limiter.limit_for("media/get") == GLOBAL_LIMIT
    service = Service(
        store,
        clock=clock,
        media_dir=media_dir,
        rate_limiter=RateLimiter(enabled=True, limits={"media/upload": 1}),
    )
    with TestClient(create_app(service)) as client:
        w = Wire(client)
        w.login()
        assert w.upload_media(PNG_BYTES)["errcode"] == 0
        assert w.upload_media(PNG_BYTES)["errcode"] == 45009


# -- add_checkin_record mediaids ------------------------------------------------------------


def stored_media_ids(store: Any, userid: str = "zhangsan") -> list[tuple[str, ...]]:
    with store.read() as conn:
        punches = store.punches(conn, corp_id(store), [userid], 0, 2**32)[userid]
    return [p.media_ids for p in punches]


def day_rows(wire: Wire) -> list[dict[str, Any]]:
    body = wire.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 3,
            "starttime": at(2026, 11, 16),
            "endtime": at(2026, 11, 17) - 1,
            "useridlist": ["zhangsan"],
        },
    )
    assert body["errcode"] == 0, body
    return [r for r in body["checkindata"] if r["checkin_time"] == MONDAY_0855]


def test_a_record_may_carry_an_uploaded_media_id_and_getcheckindata_lists_it(wire, store):
    media_id = uploaded(wire)

    body = wire.post(
        "checkin/add_checkin_record",
        {"records": [make_record(checkin_time=MONDAY_0855, mediaids=[media_id])]},
    )

    assert body == {"errcode": 0, "errmsg": "ok"}
    assert stored_media_ids(store) == [(media_id,)]
    (row,) = day_rows(wire)
    assert row["mediaids"] == [media_id]


def test_an_unknown_media_id_refuses_the_whole_batch(wire, store):
    media_id = uploaded(wire)
    records = [
        make_record(checkin_time=MONDAY_0855, mediaids=[media_id]),
        make_record(checkin_time=MONDAY_0855 + 60, mediaids=["WWCISP_x"]),
    ]

    body = wire.post("checkin/add_checkin_record", {"records": records})

    assert_golden("add_records_40007", body)
    assert "records[1].mediaids" in body["errmsg"]
    assert stored_media_ids(store) == []


def test_another_corps_media_id_cannot_be_attached(wire, store):
    theirs = uploaded(other_corp(wire, store))

    body = wire.post(
        "checkin/add_checkin_record",
        {"records": [make_record(checkin_time=MONDAY_0855, mediaids=[theirs])]},
    )

    assert body["errcode"] == 40007
    assert "records[0].mediaids[0]" in body["errmsg"]
    assert stored_media_ids(store) == []


def test_a_media_id_older_than_3_days_can_no_longer_be_attached(wire, store, clock):
    media_id = uploaded(wire)
    clock.advance(3 * 86_400)
    wire.login()

    body = wire.post(
        "checkin/add_checkin_record",
        {"records": [make_record(checkin_time=MONDAY_0855, mediaids=[media_id])]},
    )

    assert_golden(
        "add_records_40007_expired",
        {**body, "errmsg": body["errmsg"].replace(media_id, "MEDIA_ID")},
    )
    assert stored_media_ids(store) == []


def test_a_record_keeps_its_media_id_and_file_after_the_id_expires(wire, store, clock, media_dir):
    media_id = uploaded(wire)
    wire.post(
        "checkin/add_checkin_record",
        {"records": [make_record(checkin_time=MONDAY_0855, mediaids=[media_id])]},
    )

    clock.advance(30 * 86_400)
    wire.login()

    (row,) = day_rows(wire)
    assert row["mediaids"] == [media_id]
    assert fetch(wire, media_id).json()["errcode"] == 40007  # as WeCom's media_id expires
    assert (media_dir / str(corp_id(store)) / media_id).read_bytes() == PNG_BYTES


def test_checks_run_fields_then_users_then_media(wire, store):
    records = [make_record("nobody", MONDAY_0855, mediaids=["unknown"])]

    assert wire.post("checkin/add_checkin_record", {"records": records})["errcode"] == 60111
    records[0].update(userid="zhangsan", mediaids=["a", "b"])
    assert wire.post("checkin/add_checkin_record", {"records": records})["errcode"] == 40058


# -- where the files live -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////srv/daka/daka.db", Path("/srv/daka/daka-media")),
        ("sqlite:///data/att.sqlite3", Path("data/att-media")),
        ("sqlite:///daka.db", Path("daka-media")),
        ("sqlite://", Path("daka-media")),
        ("sqlite:///:memory:", Path("daka-media")),
        ("postgresql://postgres@127.0.0.1/daka", Path("daka-media")),
        ("postgresql+psycopg://u:p@db:5432/daka", Path("daka-media")),
    ],
)
def test_the_media_directory_defaults_beside_the_database(url, expected):
    assert media.default_media_dir(url) == expected


def test_daka_media_dir_sets_the_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("DAKA_MEDIA_DIR", raising=False)
    assert Settings.from_env().media_dir is None
    monkeypatch.setenv("DAKA_MEDIA_DIR", str(tmp_path / "m"))
    assert Settings.from_env().media_dir == tmp_path / "m"


def test_without_a_media_dir_the_service_keeps_files_beside_the_sqlite_file(store, db_url):
    from daka.services.service import Service

    service = Service(store)

    assert service.media_files.root == Path(db_url.removeprefix("sqlite:///")).with_name(
        "daka-media"
    )
