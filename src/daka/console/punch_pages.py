"""打卡明细: every punch of the filtered people and days, a page at a time."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from daka.console.filters import Filters, filter_page, filter_values, people_of
from daka.console.web import Context, page, page_values, render
from daka.domain.evaluation import Anomaly, CheckinType
from daka.domain.punches import Punch
from daka.services import console as queries

SOURCES = (
    ("record", "打卡记录"),
    ("correction", "补卡"),
    ("1", "门禁"),
    ("2", "考勤机"),
    ("3", "其他/手机"),
)
EXCEPTIONS = (
    ("any", "任何异常"),
    *((a.value, a.value) for a in Anomaly),
    ("not_taken", "未计入"),
)
KINDS = tuple((k.value, k.value) for k in CheckinType)


def _cursor(text: str | None) -> tuple[int, int]:
    try:
        index, _, skip = (text or "0.0").partition(".")
        return max(0, int(index)), max(0, int(skip or 0))
    except ValueError:
        return 0, 0


def punch_query(f: Filters) -> queries.PunchQuery:
    return queries.PunchQuery(f.since, f.until, f.get("source"), f.get("exception"), f.get("kind"))


@page
async def punches_page(request: Request, ctx: Context) -> Response:
    f, error = filter_page(ctx, request, ("source", "exception", "kind"))
    people = people_of(ctx, f)
    cursor = _cursor(request.query_params.get("at"))
    page_no = max(1, int(request.query_params.get("page", "1") or 1)) if not error else 1

    def load() -> queries.PunchPage:
        with ctx.service.store.read() as conn:
            return queries.punch_page(
                conn, ctx.service.store, ctx.view, people, punch_query(f), ctx.now, cursor
            )

    result = None if error else await run_in_threadpool(load)
    next_href = (
        f"?{f.query(at=f'{result.next_cursor[0]}.{result.next_cursor[1]}', page=page_no + 1)}"
        if result is not None and result.next_cursor is not None
        else None
    )
    extra = [
        ("source", ctx.t("source"), SOURCES, f.get("source")),
        ("exception", ctx.t("exception"), EXCEPTIONS, f.get("exception")),
        ("kind", ctx.t("type"), KINDS, f.get("kind")),
    ]
    return render(
        request,
        "punches.html",
        page_values(
            ctx,
            "punches",
            result=result,
            error=error,
            names=ctx.names(people),
            page_no=page_no,
            prev_href=None,
            next_href=next_href,
            clock=ctx.clock,
            stamp=ctx.stamp,
            source_text=source_text,
            device_text=device_text,
            **filter_values(ctx, f, extra),
        ),
    )


def source_text(punch: Punch | None) -> str:
    if punch is None:
        return ""
    if punch.source == 1:
        return "补卡"
    return {1: "门禁", 2: "考勤机"}.get(int(punch.device_type), "打卡")


def device_text(punch: Punch | None) -> str:
    return punch.device_detail if punch is not None else ""
