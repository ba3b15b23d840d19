"""Media against a real ``daka serve``, through wechatpy 2.0's own media API.

wechatpy uploads with ``client.media.upload(type, file)`` (a multipart part named ``media``)
and downloads with ``client.media.download(media_id)``, a plain ``requests.get`` of the URL
``client.media.get_url`` builds. That URL has WeCom's host written into it, so the tests point
it at the server; everything else is wechatpy's code, unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from tests.e2e.conftest import DakaServer, at_day, day_bounds, past_monday, wechatpy_client
from tests.factories import PNG_BYTES

pytestmark = pytest.mark.slow

WECOM = "https://qyapi.weixin.qq.com"


def media_client(server: DakaServer) -> Any:
    client = wechatpy_client(server.base_url)
    wechatpys_url = client.media.get_url
    client.media.get_url = lambda media_id: wechatpys_url(media_id).replace(WECOM, server.base_url)
    return client


def upload_file(client: Any, path: Path, media_type: str = "image") -> dict[str, Any]:
    with path.open("rb") as file:
        return dict(client.media.upload(media_type, file))


def test_wechatpy_uploads_downloads_and_attaches_media(
    daka_server: DakaServer, tmp_path: Path
) -> None:
    client = media_client(daka_server)
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG_BYTES)

    uploaded = upload_file(client, photo)

    assert uploaded["errcode"] == 0 and uploaded["errmsg"] == ""
    assert uploaded["type"] == "image"
    assert isinstance(uploaded["created_at"], str) and uploaded["created_at"].isdigit()
    media_id = uploaded["media_id"]
    # The bytes are in a file named after the media_id, beside the database.
    (stored,) = (daka_server.db_path.parent / "daka-media").rglob(media_id)
    assert stored.read_bytes() == PNG_BYTES

    response = client.media.download(media_id)
    assert response.status_code == 200
    assert response.content == PNG_BYTES
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"] == (f'attachment; filename="{media_id}.png"')
    assert response.headers["Cache-Control"] == "no-cache, must-revalidate"
    assert response.headers["Content-Length"] == str(len(PNG_BYTES))

    part = requests.get(client.media.get_url(media_id), headers={"Range": "bytes=0-7"}, timeout=30)
    assert part.status_code == 206
    assert part.content == PNG_BYTES[:8]
    assert part.headers["Content-Range"] == f"bytes 0-7/{len(PNG_BYTES)}"

    monday = past_monday()
    written = client.post(
        "checkin/add_checkin_record",
        data={
            "records": [
                {
                    "userid": "zhangsan",
                    "checkin_time": at_day(monday, "08:55"),
                    "location_title": "Lobby",
                    "location_detail": "1F",
                    "device_type": 3,
                    "device_detail": "iPhone",
                    "mediaids": [media_id],
                }
            ]
        },
    )
    assert written == {"errcode": 0, "errmsg": "ok"}
    rows = client.oa.get_checkin_data(3, *day_bounds(monday), ["zhangsan"])["checkindata"]
    assert [r["mediaids"] for r in rows if r["checkin_time"] == at_day(monday, "08:55")] == [
        [media_id]
    ]

    with pytest.raises(WeChatClientException) as caught:
        client.post(
            "checkin/add_checkin_record",
            data={
                "records": [
                    {
                        "userid": "zhangsan",
                        "checkin_time": at_day(monday, "18:05"),
                        "location_title": "Lobby",
                        "location_detail": "1F",
                        "device_type": 3,
                        "device_detail": "iPhone",
                        "mediaids": ["not-uploaded"],
                    }
                ]
            },
        )
    assert caught.value.errcode == 40007


def test_wechatpy_sees_the_media_errcodes_and_daka_media_dir_is_obeyed(
    launch: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    media_dir = tmp_path / "elsewhere"
    monkeypatch.setenv("DAKA_MEDIA_DIR", str(media_dir))  # inherited by the server process
    server = launch()
    client = media_client(server)
    text = tmp_path / "notes.txt"
    text.write_text("not a picture at all\n")
    too_big = tmp_path / "huge.jpg"
    too_big.write_bytes(b"\xff\xd8\xff" + bytes(10 * 1024 * 1024 - 2))  # 10 MB + 1 byte

    with pytest.raises(WeChatClientException) as wrong_format:
        upload_file(client, text, "image")
    with pytest.raises(WeChatClientException) as over_limit:
        upload_file(client, too_big, "image")
    with pytest.raises(WeChatClientException) as bad_type:
        upload_file(client, text, "picture")
    as_file = upload_file(client, text, "file")

    assert (wrong_format.value.errcode, over_limit.value.errcode, bad_type.value.errcode) == (
        40004,
        45001,
        40005,
    )
    assert [p.name for p in media_dir.rglob("*") if p.is_file()] == [as_file["media_id"]]
    assert not (server.db_path.parent / "daka-media").exists()
    download = client.media.download(as_file["media_id"])
    assert download.content == b"not a picture at all\n"
    assert download.headers["Content-Type"] == "application/octet-stream"
    assert download.headers["Content-Disposition"].endswith('.txt"')
    unknown = client.media.download("nope").json()
    assert unknown["errcode"] == 40007
