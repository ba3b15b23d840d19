"""Temporary media (docs/wecom-api.md §15): files a corp uploads with media/upload, reads back with
media/get, and attaches to punches with add_checkin_record's ``mediaids``.

The bytes are files under the media directory, ``<media_dir>/<corp_id>/<media_id>``, written
atomically (a temporary file, fsynced, then renamed into place); the ``media`` table holds what
is known about each. A media_id can be fetched and attached for 3 days after its upload. The
file itself is never deleted, so a punch that holds the id keeps it for good.

The client's filename is kept for display only: it never becomes part of a path, and the
content is judged by its bytes, never by its name or its part's Content-Type.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import URL, make_url
from sqlalchemy.engine import Connection

from daka.domain.errors import (
    MediaEmpty,
    MediaError,
    MediaSizeInvalid,
    MediaTooLarge,
    MediaTypeInvalid,
    MediaTypeParamInvalid,
)
from daka.storage.store import MediaRecord, Store

MEDIA_TTL_SEC = 3 * 86_400  # a media_id is valid for 3 days
MIN_SIZE = 6  # "every file > 5 bytes"
MB = 1024 * 1024
# The largest file of each type, in bytes (WeCom's "10MB" read as 10 MiB).
LIMITS: dict[str, int] = {"image": 10 * MB, "voice": 2 * MB, "video": 10 * MB, "file": 20 * MB}
SPOOL_MEMORY = 1 * MB  # an upload is kept in memory up to this size, then in a temporary file
_CHUNK = 256 * 1024


_WHAT = {"image": "an image", "voice": "a voice", "video": "a video", "file": "a file"}
_FORMATS = {"image": "a JPG or PNG file", "voice": "an AMR file", "video": "an MP4 file"}
# Extensions media/get names a download with, by content type (a "file" keeps its own).
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "audio/amr": "amr", "video/mp4": "mp4"}
_MEDIA_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,16}")
MAX_FILENAME_CHARS = 255


def check_type(value: str | None) -> str:
    """The ``type`` query parameter, or 40005."""
    if value not in LIMITS:
        got = "missing" if not value else f"got {value[:32]!r}"
        raise MediaTypeParamInvalid(
            f"invalid type param: type must be image, voice, video or file ({got})"
        )
    return value


def empty(detail: str) -> MediaError:
    """44001 (no file at all)."""
    return MediaEmpty(f"empty media data: {detail}")


def too_large(media_type: str) -> MediaError:
    """45001 for a file of ``media_type`` over its limit."""
    limit = LIMITS[media_type]
    shown = f"{limit // MB} MB ({limit} bytes)" if limit % MB == 0 else f"{limit} bytes"
    return MediaTooLarge(f"media size out of limit: {_WHAT[media_type]} may be at most {shown}")


def check_size(media_type: str, size: int) -> None:
    """44001 for an empty file, 40006 for 1 to 5 bytes, 45001 over the type's limit."""
    if size == 0:
        raise empty("the media part is empty")
    if size < MIN_SIZE:
        raise MediaSizeInvalid(
            f"invalid media size: a media file must be over 5 bytes ({size} sent)"
        )
    if size > LIMITS[media_type]:
        raise too_large(media_type)


def sniff(media_type: str, head: bytes) -> str:
    """The content type of a file of ``media_type`` starting with ``head``, or 40004.

    Only magic bytes are checked: JPEG ``FF D8 FF`` and PNG for images, ``#!AMR`` for voice,
    ``ftyp`` at bytes 4..8 for video (MP4). A "file" may hold anything.
    """
    if media_type == "image":
        if head.startswith(b"\xff\xd8\xff"):
            return "image/jpeg"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "image/png"
    elif media_type == "voice":
        if head.startswith(b"#!AMR"):
            return "audio/amr"
    elif media_type == "video":
        if head[4:8] == b"ftyp":
            return "video/mp4"
    else:
        return "application/octet-stream"
    raise MediaTypeInvalid(
        f"invalid media type: {_WHAT[media_type]} must be {_FORMATS[media_type]}"
    )


def display_name(filename: str) -> str:
    """The client's filename made harmless for display: its last path component, without
    control characters, at most 255 characters."""
    name = re.split(r"[/\\]", filename)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:MAX_FILENAME_CHARS]


def download_name(record: MediaRecord) -> str:
    """``<media_id>.<ext>``: the filename media/get offers the download under."""
    ext = _EXTENSIONS.get(record.content_type)
    if ext is None:
        suffix = record.filename.rpartition(".")[2] if "." in record.filename else ""
        ext = suffix.lower() if _EXTENSION.fullmatch(suffix) else None
    return f"{record.media_id}.{ext}" if ext else record.media_id


def new_media_id() -> str:
    """264 random bits, URL-safe base64 (44 characters, like WeCom's media ids)."""
    return secrets.token_urlsafe(33)


def is_current(created_at: int, now: int) -> bool:
    """Whether a media uploaded at ``created_at`` may still be fetched or attached."""
    return now < created_at + MEDIA_TTL_SEC


def default_media_dir(db_url: str | URL) -> Path:
    """Where media files live unless ``DAKA_MEDIA_DIR`` says otherwise.

    Beside a SQLite database file (``path/daka.db`` → ``path/daka-media``); ``./daka-media``
    for PostgreSQL and in-memory databases.
    """
    url = make_url(db_url) if isinstance(db_url, str) else db_url
    database = url.database or ""
    if (
        url.get_backend_name() == "sqlite"
        and database
        and database != ":memory:"
        and not database.startswith("file:")
    ):
        path = Path(database)
        return path.with_name(f"{path.stem}-media")
    return Path("daka-media")


class MediaFiles:
    """The media directory: ``<root>/<corp_id>/<media_id>``, created on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def spool(self) -> tempfile.SpooledTemporaryFile[bytes]:
        """Where an upload is received: memory up to 1 MB, then an unnamed file in the media
        directory (same filesystem; gone when closed, or if the process dies)."""
        self.root.mkdir(parents=True, exist_ok=True)
        return tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, dir=str(self.root))

    def path(self, corp_id: int, media_id: str) -> Path:
        if not _MEDIA_ID.fullmatch(media_id):  # ids are ours, but never build a path blindly
            raise ValueError(f"not a media id: {media_id!r}")
        return self.root / str(corp_id) / media_id

    def write(self, corp_id: int, media_id: str, source: IO[bytes]) -> Path:
        """Copy ``source`` to the media's file atomically and durably; returns its path."""
        final = self.path(corp_id, media_id)
        folder = final.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _fsync_dir(folder)
        return final


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class Download:
    """A media file media/get sends."""

    path: Path
    size: int
    content_type: str
    filename: str  # <media_id>.<ext>


def store_media(
    store: Store,
    files: MediaFiles,
    corp_id: int,
    media_type: str,
    filename: str,
    source: IO[bytes],
    size: int,
    now: int,
) -> MediaRecord:
    """media/upload: check a received file (``size`` bytes in ``source``) and keep it.

    Checks, in order: 44001 empty, 40006 five bytes or fewer, 45001 over the limit, 40004 not
    the type's format. The file is in place before its row commits, so a media_id that is
    answered always has its bytes.
    """
    check_size(media_type, size)
    source.seek(0)
    content_type = sniff(media_type, source.read(16))
    source.seek(0)
    record = MediaRecord(
        corp_id=corp_id,
        media_id=new_media_id(),
        type=media_type,
        content_type=content_type,
        filename=display_name(filename),
        size=size,
        created_at=now,
    )
    path = files.write(corp_id, record.media_id, source)
    try:
        store.transaction(lambda conn: store.add_media(conn, record))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return record


def open_media(store: Store, files: MediaFiles, corp_id: int, media_id: str, now: int) -> Download:
    """media/get: the corp's media ``media_id`` while it is valid, or 40007."""
    record = None
    if _MEDIA_ID.fullmatch(media_id):
        with store.read() as conn:
            record = store.media(conn, corp_id, media_id)
    if record is None:
        raise MediaError("invalid media_id")
    if not is_current(record.created_at, now):
        raise MediaError("invalid media_id: expired (a media_id is valid for 3 days)")
    path = files.path(corp_id, media_id)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MediaError("invalid media_id: its file is missing on the server") from None
    return Download(
        path=path, size=size, content_type=record.content_type, filename=download_name(record)
    )


def check_attachable(
    store: Store, conn: Connection, corp_id: int, attached: Iterable[tuple[int, int, str]], now: int
) -> None:
    """40007 unless every ``(record index, mediaids index, media_id)`` names a media of the
    corp uploaded less than 3 days ago."""
    attached = list(attached)
    created = store.media_created(conn, corp_id, (m for _, _, m in attached))
    for i, j, media_id in attached:
        field = f"records[{i}].mediaids[{j}] {media_id!r}"
        created_at = created.get(media_id)
        if created_at is None:
            raise MediaError(f"invalid media_id: {field} is not a media of this corp")
        if not is_current(created_at, now):
            raise MediaError(
                f"invalid media_id: {field} has expired (a media_id can be "
                "attached for 3 days after its upload)"
            )
