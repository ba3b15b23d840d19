"""Downloads: the filtered rows as WeCom's xlsx layouts or CSV, and punch attachments.

An export covers exactly the people and days the page's filters show (the same parsing,
the same scope), written by the same writers as ``daka report`` (docs/exports.md).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from daka.console import reports
from daka.console.filters import FilterError, Filters, parse_filters, people_of
from daka.console.month_pages import has_exception
from daka.console.punch_pages import punch_query, source_text
from daka.console.web import Context, page, refusal
from daka.exports.layouts import LeaveType, PersonDay, PersonMonth
from daka.exports.run import Export, run_export
from daka.exports.sources import LocalSource, Source
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


class OnlyDays:
    """A source whose day rows are only those with one exception kind (the daily report
    page's "only" filter), so that the export holds exactly the rows the page shows."""

    def __init__(self, source: LocalSource, kind: int) -> None:
        self.source, self.kind, self.tz = source, kind, source.tz

    def leaves(self) -> tuple[LeaveType, ...]:
        return self.source.leaves()

    def segments(self) -> int:
        return self.source.segments()

    def days(self, userids: Sequence[str], first: date, last: date) -> Iterator[PersonDay]:
        for row in self.source.days(userids, first, last):
            if any(e.exception == self.kind and e.count for e in row.report.exceptions):
                yield row

    def months(self, userids: Sequence[str], first: date, last: date) -> Iterator[PersonMonth]:
        return self.source.months(userids, first, last)


class MemoMonths(LocalSource):
    """The local source, its month rows from the console's memo (a download of the grid
    just viewed evaluates nobody again)."""

    def __init__(self, ctx: Context, f: Filters) -> None:
        super().__init__(ctx.service.store, ctx.view, ctx.now)
        self.ctx, self.filters = ctx, f

    def months(self, userids: Sequence[str], first: date, last: date) -> Iterator[PersonMonth]:
        return iter(reports.months(self.ctx, userids, self.filters))


def _export(
    ctx: Context, kind: str, fmt: str, f: Filters, people: list[str], only: int | None
) -> tuple[Path, str]:
    handle, raw = tempfile.mkstemp(prefix="daka-console-", suffix=f".{fmt}")
    os.close(handle)
    out = Path(raw)
    export = Export(kind, fmt, f.since, f.until, ctx.now, out)
    local = MemoMonths(ctx, f)
    source: Source = local if only is None or kind != "day" else OnlyDays(local, only)
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
    only_text = f.get("only") or ""
    only = int(only_text) if only_text.isdigit() else None
    if kind == "month" and only is not None:

        def matching() -> list[str]:
            months = reports.months(ctx, people, f)
            return [m.report.userid for m in months if has_exception(m, only)]

        people = await run_in_threadpool(matching)
    path, filename = await run_in_threadpool(_export, ctx, kind, fmt, f, people, only)
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
    return await _send_export(request, ctx, "day", ("only",))


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


PUNCH_HEADINGS = (
    "账号",
    "姓名",
    "日期",
    "打卡时间",
    "打卡类型",
    "异常类型",
    "规则",
    "来源",
    "设备类型",
    "设备",
    "地点",
    "详细地址",
    "纬度",
    "经度",
    "Wi-Fi名称",
    "Wi-Fi MAC",
    "备注",
    "上传时间",
    "附件",
)


def punch_lines(ctx: Context, f: Filters) -> Iterator[list[Any]]:
    """Every line the punch list's filters keep (all pages), as cells: ISO times."""
    tz = ctx.view.tz
    people = people_of(ctx, f)
    store = ctx.service.store

    def iso(ts: int) -> str:
        return datetime.fromtimestamp(ts, tz).isoformat()

    for k in range(0, len(people), queries.CHUNK):
        chunk = people[k : k + queries.CHUNK]
        with store.read() as conn:
            found = queries.punch_entries(conn, store, ctx.view, chunk, punch_query(f), ctx.now)
        for userid in chunk:
            for e in found[userid]:
                p, r = e.punch, e.row
                yield [
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


def _punch_csv(ctx: Context, f: Filters) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PUNCH_COLUMNS)
    writer.writerows(punch_lines(ctx, f))
    return out.getvalue().encode()


def _punch_xlsx(ctx: Context, f: Filters) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet("打卡详情")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, PUNCH_HEADINGS, bold)
    for n, line in enumerate(punch_lines(ctx, f), start=1):
        sheet.write_row(n, 0, line)
    sheet.freeze_panes(1, 2)
    book.close()
    return out.getvalue()


@page
async def punches_export(request: Request, ctx: Context) -> Response:
    """The punch list's lines (every page of it) as CSV or as an xlsx sheet 打卡详情."""
    fmt = request.path_params["fmt"]
    if fmt not in CONTENT_TYPES:
        return refusal(request, "not_found", 404)
    try:
        f = parse_filters(ctx, request.query_params, ("source", "exception", "kind"))
    except FilterError:
        return refusal(request, "not_found", 400)
    write = _punch_csv if fmt == "csv" else _punch_xlsx
    body = await run_in_threadpool(write, ctx, f)
    name = f"daka_打卡明细_{f.since:%Y%m%d}-{f.until:%Y%m%d}.{fmt}"
    return Response(
        body, media_type=CONTENT_TYPES[fmt], headers={"content-disposition": _attachment(name)}
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
