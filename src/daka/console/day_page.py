"""One person's day: the rule, the windows, each punch and why, approvals, the report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from daka.console.punch_pages import source_text
from daka.console.web import Context, page, page_values, person_day, refusal, render
from daka.domain.approvals import SpStatus
from daka.domain.directory import departs_name
from daka.domain.punches import Punch
from daka.services.explain import explain_day
from daka.wire.requests import ExplainRequest


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
                "received": ctx.stamp(raw.received_at) if raw and raw.received_at else "",
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


# 审批中, 已通过, …: how each status reads in the approvals list and on a day.
STATUS_TEXT = {status: status.label for status in SpStatus}


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
            "status": SpStatus(a["sp_status"]).label,
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
