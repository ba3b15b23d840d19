"""The console's read pages: today, the punch list, the month grid, the day of one person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from daka.console import reports
from daka.console.filters import (
    FilterError,
    Filters,
    default_filters,
    department_options,
    parse_filters,
    people_of,
    rule_options,
)
from daka.console.web import Context, page, page_values, refusal, render
from daka.domain.approvals import SpStatus
from daka.domain.directory import departs_name
from daka.domain.evaluation import Anomaly, CheckinType
from daka.domain.punches import Punch
from daka.exports.layouts import PersonMonth
from daka.exports.sources import leave_types
from daka.services import console as queries
from daka.services.explain import explain_day
from daka.wire.requests import ExplainRequest

MONTH_PAGE = 50  # people per page of the month grid
MONTH_SCAN = 600  # people one page of the grid looks through for an exception filter

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
MONTH_EXCEPTIONS = (
    ("1", "迟到"),
    ("2", "早退"),
    ("3", "缺卡"),
    ("4", "旷工"),
    ("5", "地点异常"),
    ("6", "设备异常"),
)


def _clock(ctx: Context) -> Any:
    def clock(ts: int) -> str:
        return datetime.fromtimestamp(ts, ctx.view.tz).strftime("%H:%M")

    return clock


def _stamp(ctx: Context) -> Any:
    def stamp(ts: int) -> str:
        return datetime.fromtimestamp(ts, ctx.view.tz).strftime("%Y-%m-%d %H:%M:%S")

    return stamp


def _names(ctx: Context, userids: Any) -> dict[str, str]:
    return {u: ctx.view.users[u].name for u in userids if u in ctx.view.users}


# -- today ------------------------------------------------------------------------------


@page
async def today_page(request: Request, ctx: Context) -> Response:
    f, _ = filter_page(ctx, request, ())
    people = people_of(ctx, f)

    def load() -> queries.Today:
        with ctx.service.store.read() as conn:
            return queries.today(conn, ctx.service.store, ctx.view, people, ctx.now)

    today = await run_in_threadpool(load)
    rate_bars = [
        (d.name, round(100 * d.rate, 1), f"{d.punched_in}/{d.expected}")
        for d in today.departments
        if d.expected
    ]
    late_bars = [(d.name, d.late, str(d.late)) for d in today.departments if d.expected]
    return render(
        request,
        "today.html",
        page_values(
            ctx,
            "today",
            today=today,
            day=today.day,
            names=_names(ctx, people),
            rate_bars=rate_bars,
            late_bars=late_bars,
            late_max=max([1, *(d.late for d in today.departments)]),
            clock=_clock(ctx),
            now=ctx.now,
            f=f,
            department_options=department_options(ctx),
        ),
    )


# -- the punch list -----------------------------------------------------------------------


def _cursor(text: str | None) -> tuple[int, int]:
    try:
        index, _, skip = (text or "0.0").partition(".")
        return max(0, int(index)), max(0, int(skip or 0))
    except ValueError:
        return 0, 0


def filter_page(ctx: Context, request: Request, extras: tuple[str, ...]) -> tuple[Filters, str]:
    try:
        return parse_filters(ctx, request.query_params, extras), ""
    except FilterError as exc:
        return default_filters(ctx), str(exc)


def filter_values(ctx: Context, f: Filters, extra_filters: list[Any]) -> dict[str, Any]:
    return {
        "f": f,
        "filter_query": f.query(),
        "department_options": department_options(ctx),
        "rule_options": rule_options(ctx, f.until),
        "extra_filters": extra_filters,
    }


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
            names=_names(ctx, people),
            page_no=page_no,
            prev_href=None,
            next_href=next_href,
            clock=_clock(ctx),
            stamp=_stamp(ctx),
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


# -- the month grid -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthPage:
    months: tuple[PersonMonth, ...]
    next_index: int | None
    scanned: int
    total: int
    stopped_early: bool = False


def has_exception(month: PersonMonth, kind: int) -> bool:
    return any(e.exception == kind and e.count for e in month.report.exceptions)


def month_page(
    ctx: Context, people: list[str], f: Filters, start: int, only: int | None
) -> MonthPage:
    """One page of the grid: :data:`MONTH_PAGE` people from ``start``, or with ``only`` the
    next people having that exception kind (looking through at most :data:`MONTH_SCAN`)."""
    if only is None:
        chunk = people[start : start + MONTH_PAGE]
        months = tuple(reports.months(ctx, chunk, f))
        end = start + len(chunk)
        return MonthPage(months, end if end < len(people) else None, end, len(people))
    found: list[PersonMonth] = []
    index = start
    while index < len(people) and index - start < MONTH_SCAN and len(found) < MONTH_PAGE:
        chunk = people[index : index + MONTH_PAGE]
        for k, month in enumerate(reports.months(ctx, chunk, f)):
            if has_exception(month, only):
                found.append(month)
                if len(found) == MONTH_PAGE:
                    index += k + 1
                    break
        else:
            index += len(chunk)
    more = index if index < len(people) else None
    stopped = more is not None and len(found) < MONTH_PAGE
    return MonthPage(tuple(found), more, index, len(people), stopped)


def cell_class(text: str) -> str:
    """The colour of a month cell, from WeCom's own cell text."""
    if text in ("--", ""):
        return "none"
    if "旷工" in text or "缺卡" in text:
        return "bad"
    if "迟到" in text or "早退" in text or "异常" in text:
        return "warn"
    if text == "休息":
        return "rest"
    if text == "正常":
        return "ok"
    return "away"  # leave, trips, outings, overtime


def month_totals(month: PersonMonth) -> dict[str, Any]:
    from daka.exports import cells as c

    ex = month.report.exceptions
    return {
        "late": c.exception(ex, c.LATE)[0],
        "late_min": c.minutes(c.exception(ex, c.LATE)[1]),
        "early": c.exception(ex, c.EARLY)[0],
        "missing": c.exception(ex, c.MISSING)[0],
        "absent": c.exception(ex, c.ABSENT)[0],
        "ot_hours": c.hours(
            month.report.overwork_info.workday_over_sec
            + month.report.overwork_info.holidays_over_sec
            + month.report.overwork_info.restdays_over_sec
        ),
    }


def people_cursor(request: Request, f: Filters) -> tuple[int, int, int | None]:
    """``(first person, page number, exception kind)`` of a page paged over people."""
    try:
        start = max(0, int(request.query_params.get("at", "0") or 0))
        page_no = max(1, int(request.query_params.get("page", "1") or 1))
        only = int(f.get("only") or 0) or None
    except ValueError:
        return 0, 1, None
    return start, page_no, only


def next_page(f: Filters, next_index: int | None, page_no: int) -> str | None:
    """The link to the page starting at person ``next_index`` (None: this is the last)."""
    return f"?{f.query(at=next_index, page=page_no + 1)}" if next_index is not None else None


def person_day(request: Request, ctx: Context) -> tuple[str, date] | None:
    """The person and day a URL names, if the account may see that person."""
    userid = request.path_params["userid"]
    try:
        day = date.fromisoformat(request.path_params["day"])
    except ValueError:
        return None
    return (userid, day) if ctx.may_see(userid) else None


@page
async def month_grid(request: Request, ctx: Context) -> Response:
    f, error = filter_page(ctx, request, ("only",))
    people = people_of(ctx, f)
    start, page_no, only = people_cursor(request, f)
    result = None if error else await run_in_threadpool(month_page, ctx, people, f, start, only)
    next_href = next_page(f, result.next_index if result else None, page_no)
    extra = [("only", ctx.t("only_with"), MONTH_EXCEPTIONS, f.get("only"))]
    days = _days(f)
    return render(
        request,
        "month.html",
        page_values(
            ctx,
            "month",
            result=result,
            error=error,
            days=days,
            unit_of={leave.id: leave.unit for leave in leave_types(ctx.view)},
            totals={m.report.userid: month_totals(m) for m in (result.months if result else ())},
            cell_class=cell_class,
            page_no=page_no,
            prev_href=None,
            next_href=next_href,
            **filter_values(ctx, f, extra),
        ),
    )


def _days(f: Filters) -> list[date]:
    from daka.domain.calendar import date_range

    return date_range(f.since, f.until)


# -- one person's day -------------------------------------------------------------------


def _explain_values(
    ctx: Context, explained: dict[str, Any], stored: dict[int, Punch]
) -> dict[str, Any]:
    rule = explained["rule"]
    if rule is None:
        rule_line = "没有适用的考勤规则 / no rule applies"
    else:
        rule_line = (
            f"{rule['groupname']} (groupid {rule['groupid']}, version {rule['version']},"
            f" from {rule['effective_from']})"
        )
    day = explained["day"]
    if day["holiday_name"]:
        rule_line += f" · {day['holiday_name']}"
    rule_line += " · 工作日" if day["workday"] else " · 休息日"

    def hm(iso: str) -> str:
        return iso[11:16]

    windows = []
    for i in explained["instances"]:
        sched = i.get("scheduled")
        if i["on_duty_window"]:
            windows.append(
                {
                    "kind": "上班打卡",
                    "at": hm(sched["on"]) if sched else "",
                    "window": " – ".join(hm(x) for x in i["on_duty_window"]),
                    "state": "; ".join(a.get("kind", "") for a in i.get("approvals", [])),
                }
            )
        if i["off_duty_window"]:
            windows.append(
                {
                    "kind": "下班打卡",
                    "at": hm(sched["off"]) if sched else "",
                    "window": " – ".join(hm(x) for x in i["off_duty_window"]),
                    "state": "",
                }
            )
    punches = []
    for p in explained["punches"]:
        fences = p.get("fence_distances_m") or []
        nearest = min((x["distance_m"] for x in fences), default=None)
        raw: Punch | None = stored.get(p["checkin_time"])
        place = raw.location_title if raw is not None else ""
        punches.append(
            {
                "time": hm(p["local_time"]),
                "why": p["taken_as"],
                "source": source_text(raw),
                "location": place,
                "distance": f"{nearest} m" if nearest is not None else "",
                "wifi": raw.wifiname if raw is not None else "",
                "device": p["device"],
                "notes": (raw.notes or raw.remark) if raw is not None else "",
                "received": _stamp(ctx)(raw.received_at) if raw and raw.received_at else "",
            }
        )
    report = explained["report"]
    return {
        "rule_line": rule_line,
        "windows": windows,
        "punches": punches,
        "report_lines": report["how"] if report else [],
        "no_report": "",
    }


def correction_points(explained: dict[str, Any], day_start: int, tz: Any) -> list[tuple[str, str]]:
    """The points a 补卡 may fill: each on/off row of a slot rule, and the whole day of a
    free rule or a rest day."""
    points = []
    for row in explained["rows"]:
        sch = row.get("sch_checkin_time") or 0
        if sch:
            label = f"{row['checkin_type']} {datetime.fromtimestamp(sch, tz).strftime('%H:%M')}"
            points.append(
                (
                    str(sch - day_start),
                    label + (f" ({row['exception_type']})" if row["exception_type"] else ""),
                )
            )
    return points or [("", "当天 / the day")]


def _stored_punches(ctx: Context, userid: str, explained: dict[str, Any]) -> dict[int, Punch]:
    """The day's punches as stored (every field: location, Wi-Fi, notes, received time)."""
    times = [p["checkin_time"] for p in explained["punches"]]
    if not times:
        return {}
    store = ctx.service.store
    with store.read() as conn:
        found = store.punches(conn, ctx.view.corp.id, [userid], min(times), max(times) + 1)
    return {p.time: p for p in found[userid]}


STATUS_TEXT = {
    SpStatus.PENDING: "审批中",
    SpStatus.APPROVED: "已通过",
    SpStatus.REJECTED: "已驳回",
    SpStatus.REVOKED: "已撤销",
    SpStatus.REVOKED_AFTER_APPROVAL: "通过后撤销",
    SpStatus.DELETED: "已删除",
    SpStatus.PAID: "已支付",
}


@page
async def day_page(request: Request, ctx: Context) -> Response:
    return await show_day(request, ctx, done=request.query_params.get("done", "")[:40])


async def show_day(
    request: Request, ctx: Context, done: str = "", error: str = "", status: int = 200
) -> Response:
    named = person_day(request, ctx)
    if named is None:
        return refusal(request, "not_found", 404)
    userid, day = named
    explained = await run_in_threadpool(
        explain_day, ctx.service.store, ctx.view, ExplainRequest(userid, day), ctx.now
    )
    stored = await run_in_threadpool(_stored_punches, ctx, userid, explained)
    from daka.domain.calendar import day_start

    user = ctx.view.users[userid]
    approvals = [
        {
            "sp_no": a["sp_no"],
            "name": f"{a['sp_name']} {a['vacation'] or ''}".strip(),
            "status": STATUS_TEXT.get(SpStatus(a["sp_status"]), str(a["sp_status"])),
            "span": f"{a['from'][:16]} – {a['to'][:16]}",
        }
        for a in explained["approvals"]
    ]
    return render(
        request,
        "day.html",
        page_values(
            ctx,
            "days",
            user=user,
            day=day,
            departs=departs_name(ctx.view.departments, user),
            explain=_explain_values(ctx, explained, stored),
            approvals=approvals,
            correction_points=correction_points(
                explained, day_start(day, ctx.view.tz), ctx.view.tz
            ),
            done=done,
            error=error,
        ),
        status,
    )
