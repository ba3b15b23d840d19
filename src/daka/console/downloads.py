"""Downloads: the filtered rows as WeCom's xlsx layouts or CSV, and punch attachments.

An export covers exactly the people and days the page's filters show (the same parsing,
the same scope), written by the same writers as ``daka report`` (docs/exports.md).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from daka.console.filters import FilterError, Filters, parse_filters, people_of
from daka.console.pages import _has_exception, punch_query, source_text
from daka.console.web import Context, page, refusal
from daka.exports.run import Export, run_export
from daka.exports.sources import LocalSource
from daka.services import console as queries
from daka.services.media import _MEDIA_ID

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _attachment(name: str) -> str:
    # RFC 6266: an ASCII fallback and the UTF-8 name (WeCom's file names are Chinese).
    return (
        f"attachment; filename=\"daka.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"
    )


def _export(ctx: Context, kind: str, fmt: str, f: Filters, people: list[str]) -> tuple[Path, str]:
    handle, raw = tempfile.mkstemp(prefix="daka-console-", suffix=f".{fmt}")
    os.close(handle)
    out = Path(raw)
    export = Export(kind, fmt, f.since, f.until, ctx.now, out)
    source = LocalSource(ctx.service.store, ctx.view, ctx.now)
    run_export(source, people, export, lambda n: None)
    name = "日报" if kind == "day" else "月报"
    if fmt == "xlsx":
        filename = f"上下班打卡_{name}_{f.since:%Y%m%d}-{f.until:%Y%m%d}.xlsx"
    else:
        filename = f"daka_{kind}_{f.since:%Y%m%d}-{f.until:%Y%m%d}.csv"
    return out, filename


async def _send_export(
    request: Request, ctx: Context, kind: str, extras: tuple[str, ...]
) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in CONTENT_TYPES:
        return refusal(request, "not_found", 404)
    try:
        f = parse_filters(ctx, request.query_params, extras)
    except FilterError:
        return refusal(request, "not_found", 400)
    people = people_of(ctx, f)
    only = f.get("only")
    if kind == "month" and only and only.isdigit():
        source = LocalSource(ctx.service.store, ctx.view, ctx.now)

        def matching() -> list[str]:
            months = source.months(people, f.since, f.until)
            return [m.report.userid for m in months if _has_exception(m, int(only))]

        people = await run_in_threadpool(matching)
    path, filename = await run_in_threadpool(_export, ctx, kind, fmt, f, people)
    return FileResponse(
        path,
        media_type=CONTENT_TYPES[fmt],
        headers={"content-disposition": _attachment(filename)},
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@page
async def month_export(request: Request, ctx: Context) -> Response:
    return await _send_export(request, ctx, "month", ("only",))


@page
async def day_export(request: Request, ctx: Context) -> Response:
    return await _send_export(request, ctx, "day", ("source", "exception", "kind"))


PUNCH_COLUMNS = (
    "userid",
    "name",
    "date",
    "time",
    "checkin_type",
    "exception_type",
    "rule",
    "source",
    "device_type",
    "device",
    "location_title",
    "location_detail",
    "lat",
    "lng",
    "wifiname",
    "wifimac",
    "notes",
    "received_at",
    "mediaids",
)


@page
async def punches_csv(request: Request, ctx: Context) -> Response:
    """Every line the punch list's filters keep (all pages), one CSV row each: ISO times."""
    try:
        f = parse_filters(ctx, request.query_params, ("source", "exception", "kind"))
    except FilterError:
        return refusal(request, "not_found", 400)
    people = people_of(ctx, f)
    tz = ctx.view.tz

    def iso(ts: int) -> str:
        return datetime.fromtimestamp(ts, tz).isoformat()

    def build() -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(PUNCH_COLUMNS)
        store = ctx.service.store
        for k in range(0, len(people), queries.CHUNK):
            chunk = people[k : k + queries.CHUNK]
            with store.read() as conn:
                found = queries.punch_entries(conn, store, ctx.view, chunk, punch_query(f), ctx.now)
            for userid in chunk:
                for e in found[userid]:
                    p, r = e.punch, e.row
                    writer.writerow(
                        [
                            userid,
                            ctx.view.users[userid].name,
                            e.day.isoformat(),
                            iso(e.time),
                            r.checkin_type.value if r else "",
                            ";".join(r.anomalies) if r else "not_taken",
                            r.rule_name if r else "",
                            source_text(p),
                            int(p.device_type) if p else "",
                            p.device_detail if p else "",
                            p.location_title if p else "",
                            p.location_detail if p else "",
                            p.lat if p and p.lat is not None else "",
                            p.lng if p and p.lng is not None else "",
                            p.wifiname if p else "",
                            p.wifimac if p else "",
                            (p.notes or p.remark) if p else "",
                            iso(p.received_at) if p and p.received_at else "",
                            ";".join(p.media_ids) if p else "",
                        ]
                    )
        return out.getvalue()

    body = await run_in_threadpool(build)
    name = f"daka_punches_{f.since:%Y%m%d}-{f.until:%Y%m%d}.csv"
    return Response(
        body, media_type=CONTENT_TYPES["csv"], headers={"content-disposition": _attachment(name)}
    )


@page
async def media(request: Request, ctx: Context) -> Response:
    """A punch attachment of the account's corp: images inline (thumbnails), others as files."""
    media_id = request.path_params["media_id"]
    if not _MEDIA_ID.fullmatch(media_id):
        return refusal(request, "not_found", 404)
    store = ctx.service.store

    def find() -> tuple[Path, str] | None:
        with store.read() as conn:
            record = store.media(conn, ctx.view.corp.id, media_id)
        if record is None:
            return None
        path = ctx.service.media_files.path(ctx.view.corp.id, media_id)
        return (path, record.content_type) if path.exists() else None

    found = await run_in_threadpool(find)
    if found is None:
        return refusal(request, "not_found", 404)
    path, content_type = found
    inline = content_type in ("image/jpeg", "image/png", "image/gif")
    headers = {"content-disposition": "inline" if inline else "attachment"}
    return FileResponse(
        path, media_type=content_type if inline else "application/octet-stream", headers=headers
    )
