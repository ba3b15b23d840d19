"""HTTP for the media endpoints: receiving media/upload's multipart body, sending media/get's
bytes (with single byte ranges).

The body is parsed as it streams in, with python-multipart's parser, rather than through
``request.form()``: reading stops as soon as the ``media`` part (or the whole body) is over
the type's limit, and only that part is kept, in a spool that holds 1 MB in memory and the
rest in an unnamed file of the media directory.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import anyio
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from daka.services import media
from daka.services.media import Download

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

PART_NAME = b"media"
# Room for the multipart framing and small fields beside the file: a body longer than the
# type's limit plus this is over the limit whatever it holds.
BODY_OVERHEAD = 64 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class ReceivedMedia:
    filename: str  # as the client sent it (display only)
    size: int


@dataclass
class _Collector:
    """python-multipart callbacks keeping the first part named ``media``."""

    limit: int
    media_type: str
    found: bool = False
    complete: bool = False
    filename: str = ""
    size: int = 0
    pending: list[bytes] = field(default_factory=list)
    _in_media: bool = False
    _header_name: bytes = b""
    _header_value: bytes = b""
    _disposition: bytes = b""

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._in_media = False
        self._disposition = b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if self._header_name.strip().lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if options.get(b"name") == PART_NAME and not self.found:
            self.found = self._in_media = True
            # Clients send the filename in UTF-8 (Starlette and python-multipart decode the
            # same way); it is only ever displayed.
            self.filename = options.get(b"filename", b"").decode("utf-8", "replace")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if not self._in_media:
            return
        self.size += end - start
        if self.size > self.limit:
            raise media.too_large(self.media_type)
        self.pending.append(data[start:end])

    def _part_end(self) -> None:
        if self._in_media:
            self.complete = True
        self._in_media = False


async def receive_media(
    request: Request, media_type: str, spool: tempfile.SpooledTemporaryFile[bytes]
) -> ReceivedMedia:
    """Read the body's ``media`` part into ``spool``: 44001 without one, 45001 over the limit.

    Nothing past the limit is read: a declared Content-Length over it is refused before
    reading, and a streamed body is refused as soon as it passes it.
    """
    limit = media.LIMITS[media_type]
    kind, params = parse_options_header(request.headers.get("content-type"))
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise media.empty("the body must be multipart/form-data with a part named media")
    body_limit = limit + BODY_OVERHEAD
    declared = request.headers.get("content-length", "")
    # A header is latin-1: "²" passes str.isdigit() but not int(). The stream is counted
    # below anyway, so only a plain ASCII number is trusted here.
    if re.fullmatch(r"[0-9]{1,18}", declared) and int(declared) > body_limit:
        raise media.too_large(media_type)
    collector = _Collector(limit, media_type)
    written = 0
    try:
        parser = MultipartParser(boundary, collector.callbacks())
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > body_limit:
                raise media.too_large(media_type)
            parser.write(chunk)
            for data in collector.pending:
                if written + len(data) > media.SPOOL_MEMORY:  # on disk: keep the loop free
                    await run_in_threadpool(spool.write, data)
                else:
                    spool.write(data)
                written += len(data)
            collector.pending.clear()
        parser.finalize()
    except FormParserError:
        raise media.empty("the body is not valid multipart/form-data") from None
    if not collector.found:
        raise media.empty("no multipart part named media")
    if not collector.complete:
        raise media.empty("the body ends inside the media part")
    return ReceivedMedia(collector.filename, collector.size)


# [0-9], not \d (which takes "١٢"); 18 digits at most, so int() never meets a huge string
# (a longer range is malformed, and ignored).
_RANGE = re.compile(r"bytes=([0-9]{0,18})-([0-9]{0,18})")


class RangeNotSatisfiable(Exception):
    pass


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive ``(first, last)`` byte a ``Range`` header asks for, or None for the
    whole file.

    One range of bytes only: ``a-b``, ``a-`` or ``-n``. A header that is malformed, names
    several ranges or another unit is ignored (the whole file is sent, as RFC 9110 allows);
    a range starting at or past the end, or ``-0``, is :class:`RangeNotSatisfiable`.
    """
    if header is None:
        return None
    match = _RANGE.fullmatch(header.strip().replace(" ", ""))
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # the last n bytes
        suffix = int(last_text)
        if suffix == 0:
            raise RangeNotSatisfiable
        return max(size - suffix, 0), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None
    if first >= size:
        raise RangeNotSatisfiable
    last = int(last_text) if last_text else size - 1
    return first, min(last, size - 1)


async def _chunks(download: Download, start: int, length: int) -> AsyncIterator[bytes]:
    async with await anyio.open_file(download.path, "rb") as file:
        await file.seek(start)
        remaining = length
        while remaining > 0:
            chunk = await file.read(min(CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def media_response(download: Download, range_header: str | None) -> Response:
    """media/get's answer: the bytes (200), a byte range (206) or 416 with ``bytes */size``."""
    headers = {
        "Content-Disposition": f'attachment; filename="{download.filename}"',
        "Cache-Control": "no-cache, must-revalidate",
        "Accept-Ranges": "bytes",
    }
    try:
        wanted = byte_range(range_header, download.size)
    except RangeNotSatisfiable:
        headers["Content-Range"] = f"bytes */{download.size}"
        return Response(status_code=416, headers=headers)
    status = 200
    first, last = 0, download.size - 1
    if wanted is not None:
        status = 206
        first, last = wanted
        headers["Content-Range"] = f"bytes {first}-{last}/{download.size}"
    length = last - first + 1
    headers["Content-Length"] = str(length)
    return StreamingResponse(
        _chunks(download, first, length),
        status_code=status,
        headers=headers,
        media_type=download.content_type,
    )
