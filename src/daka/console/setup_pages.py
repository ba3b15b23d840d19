"""Rules, shift schedules, the directory, holiday calendars and the audit trail.

Rules are shown, not edited: they are changed through add/update_checkin_option or the org
file, which keep every version (docs/rules.md). A shift rule's schedule for the coming
days is edited here as a grid, through setcheckinschedulist's service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from daka.console.acting import audit
from daka.console.web import Context, action, page, page_values, refusal, render
from daka.domain.calendar import date_range, local_date
from daka.domain.errors import DakaError
from daka.domain.rules import Rule, RuleKind
from daka.services import holidays, schedules
from daka.wire.requests import LoadHolidaysRequest, ScheduleItem, SetCheckinScheduListRequest

KIND_TEXT = {
    RuleKind.FIXED: "固定时间上下班",
    RuleKind.SHIFTS: "按班次上下班",
    RuleKind.FREE: "自由上下班",
}
SCHEDULE_DAYS = 7
MAX_HOLIDAY_FILE = 1024 * 1024


def _hm(seconds: int) -> str:
    seconds %= 86_400
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _plan_text(rule: Rule) -> list[str]:
    lines = []
    for plan in rule.plans:
        days = "".join("日一二三四五六"[d] for d in sorted(plan.weekdays))
        slots = ", ".join(f"{_hm(s.work_sec)}–{_hm(s.off_work_sec)}" for s in plan.slots)
        lines.append(f"周{days}: {slots}" if days else slots)
    for shift in rule.shifts:
        slots = ", ".join(f"{_hm(s.work_sec)}–{_hm(s.off_work_sec)}" for s in shift.plan.slots)
        lines.append(f"{shift.name} (#{shift.id}): {slots}")
    return lines


@page
async def rules_page(request: Request, ctx: Context) -> Response:
    today = local_date(ctx.now, ctx.view.tz)
    ruleset = ctx.view.ruleset(today)
    visible = set(ctx.people())
    members: dict[int, int] = {}
    for userid in visible:
        rule_id = ruleset.rule_of_user.get(userid)
        if rule_id is not None:
            members[rule_id] = members.get(rule_id, 0) + 1
    rules = [
        {
            "rule": r,
            "kind": KIND_TEXT.get(r.kind, str(r.kind)),
            "version": ruleset.versions[r.id].version if r.id in ruleset.versions else "",
            "plans": _plan_text(r),
            "members": members.get(r.id, 0),
        }
        for r in sorted(ruleset.rules.values(), key=lambda r: r.id)
    ]
    no_rule = sum(1 for u in visible if ruleset.rule_of_user.get(u) is None)
    return render(request, "rules.html", page_values(ctx, "rules", rules=rules, no_rule=no_rule))


def _shift_rule(ctx: Context, request: Request) -> Rule | None:
    """The shift rule in force today that the URL names (None: no such shift rule)."""
    text = request.path_params["groupid"]
    if not text.isdigit():
        return None
    rule = ctx.view.ruleset(local_date(ctx.now, ctx.view.tz)).rules.get(int(text))
    return rule if rule is not None and rule.kind is RuleKind.SHIFTS else None


def _schedule_people(ctx: Context, rule: Rule) -> list[str]:
    ruleset = ctx.view.ruleset(local_date(ctx.now, ctx.view.tz))
    return [u for u in ctx.people() if ruleset.rule_of_user.get(u) == rule.id]


def _coming_days(ctx: Context) -> list[date]:
    tomorrow = local_date(ctx.now, ctx.view.tz) + timedelta(days=1)
    return date_range(tomorrow, tomorrow + timedelta(days=SCHEDULE_DAYS - 1))


@page
async def schedule_page(request: Request, ctx: Context) -> Response:
    return await _schedule(request, ctx)


async def _schedule(request: Request, ctx: Context, error: str = "", status: int = 200) -> Response:
    rule = _shift_rule(ctx, request)
    if rule is None:
        return refusal(request, "not_found", 404)
    people = _schedule_people(ctx, rule)
    days = _coming_days(ctx)
    store = ctx.service.store

    def load() -> dict[str, dict[int, tuple[int, int]]]:
        with store.read() as conn:
            return store.schedules(
                conn, ctx.view.corp.id, people, days[0].toordinal(), days[-1].toordinal()
            )

    assigned = await run_in_threadpool(load)
    # Each cell: the shift of this rule the person works that day (0: none, 休息).
    grid = {(u, d): _shift_on(assigned[u], d, rule.id) for u in people for d in days}
    return render(
        request,
        "schedule.html",
        page_values(
            ctx,
            "rules",
            rule=rule,
            people=[(u, ctx.view.users[u].name) for u in people],
            days=days,
            grid=grid,
            done=request.query_params.get("done", "")[:20],
            error=error,
        ),
        status,
    )


def _shift_on(assigned: dict[int, tuple[int, int]], day: date, groupid: int) -> int:
    rule_id, shift = assigned.get(day.toordinal(), (0, 0))
    return shift if rule_id == groupid else 0


@action
async def save_schedule(request: Request, ctx: Context, form: FormData) -> Response:
    """The grid's cells as setcheckinschedulist calls (one per month the week touches)."""
    rule = _shift_rule(ctx, request)
    if rule is None:
        return refusal(request, "not_found", 404)
    groupid = rule.id
    people = set(_schedule_people(ctx, rule))
    by_month: dict[int, list[ScheduleItem]] = {}
    for day in _coming_days(ctx):
        for userid in people:
            value = form.get(f"s:{userid}:{day.isoformat()}")
            if not isinstance(value, str) or not value.isdigit():
                continue
            items = by_month.setdefault(day.year * 100 + day.month, [])
            items.append(ScheduleItem(userid, day.day, int(value)))
    try:
        for yearmonth, items in sorted(by_month.items()):
            parsed = SetCheckinScheduListRequest(groupid, yearmonth, tuple(items))
            await run_in_threadpool(
                schedules.set_schedules, ctx.service.store, ctx.view, parsed, ctx.now
            )
    except DakaError as exc:
        return await _schedule(request, ctx, f"{exc.errcode}: {exc.message}", 400)
    changed = sum(len(i) for i in by_month.values())
    await run_in_threadpool(audit, ctx, "schedule", rule.name, {"cells": changed})
    return RedirectResponse(f"/console/rules/{groupid}/schedule?done=saved", status_code=303)


# -- the directory ----------------------------------------------------------------------------


@page
async def directory_page(request: Request, ctx: Context) -> Response:
    from daka.console.filters import department_options

    view = ctx.view
    people = ctx.people()
    needle = request.query_params.get("q", "").strip().lower()[:64]
    if needle:
        people = [u for u in people if needle in u.lower() or needle in view.users[u].name.lower()]
    counts: dict[int, int] = {}
    for u in ctx.people():
        for d in view.users[u].department_ids:
            counts[d] = counts.get(d, 0) + 1
    ruleset = view.ruleset(local_date(ctx.now, view.tz))
    rows = [
        {
            "user": view.users[u],
            "departments": " / ".join(
                view.departments[d].name
                for d in view.users[u].department_ids
                if d in view.departments
            ),
            "rule": rule.name if (rule := ruleset.rule_for(u)) is not None else "—",
        }
        for u in people[:500]
    ]
    return render(
        request,
        "directory.html",
        page_values(
            ctx,
            "people",
            departments=department_options(ctx),
            counts=counts,
            rows=rows,
            more=len(people) > 500,
            q=needle,
        ),
    )


# -- holidays ---------------------------------------------------------------------------------


@page
async def holidays_page(request: Request, ctx: Context) -> Response:
    return _holidays(request, ctx)


def _holidays(
    request: Request, ctx: Context, error: str = "", done: str = "", status: int = 200
) -> Response:
    today = local_date(ctx.now, ctx.view.tz)
    try:
        year = int(request.query_params.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    described = holidays.describe_year(ctx.view.holidays, year)
    marks: dict[date, str] = {}
    for item in described["holidays"]:
        for d in _days_of(item):
            marks[d] = "holiday"
    for item in described["makeup_workdays"]:
        for d in _days_of(item):
            marks[d] = "makeup"
    months = [_month_cells(year, m, marks) for m in range(1, 13)]
    return render(
        request,
        "holidays.html",
        page_values(
            ctx,
            "holidays",
            year=year,
            described=described,
            months=months,
            warnings=holidays.holiday_warnings(ctx.view, [date(year, 1, 1), date(year, 12, 31)]),
            error=error,
            done=done or request.query_params.get("done", "")[:20],
        ),
        status,
    )


def _days_of(item: dict[str, str]) -> list[date]:
    """The dates of one entry of a year's calendar: a make-up ``date``, a holiday's
    ``from``..``to``."""
    if "date" in item:
        return [date.fromisoformat(item["date"])]
    return date_range(date.fromisoformat(item["from"]), date.fromisoformat(item["to"]))


def _month_cells(year: int, month: int, marks: dict[date, str]) -> dict[str, Any]:
    first = date(year, month, 1)
    days = [d for d in date_range(first, first + timedelta(days=31)) if d.month == month]
    weeks: list[list[tuple[date, str] | None]] = [[None] * first.weekday()]
    for d in days:
        if len(weeks[-1]) == 7:
            weeks.append([])
        kind = marks.get(d) or ("weekend" if d.weekday() >= 5 else "")
        weeks[-1].append((d, kind))
    weeks[-1] += [None] * (7 - len(weeks[-1]))
    return {"month": month, "weeks": weeks}


@action
async def load_holidays(request: Request, ctx: Context, form: FormData) -> Response:
    """A holiday file (the format of docs/holidays.md) as the corp's own calendar."""
    if ctx.admin.scoped:
        return refusal(request, "forbidden", 403)  # a corp-wide setting
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return _holidays(request, ctx, error="请选择文件 / choose a file", status=400)
    raw = await upload.read(MAX_HOLIDAY_FILE + 1)
    if len(raw) > MAX_HOLIDAY_FILE:
        return _holidays(request, ctx, error="文件过大 / the file is over 1 MB", status=400)
    try:
        parsed = LoadHolidaysRequest.parse(orjson.loads(raw))
        loaded = await run_in_threadpool(
            holidays.load_years,
            ctx.service.store,
            ctx.view.corp.id,
            parsed.years,
            ctx.now,
            ctx.view.tz,
        )
    except orjson.JSONDecodeError:
        return _holidays(request, ctx, error="不是 JSON 文件 / not a JSON file", status=400)
    except DakaError as exc:
        return _holidays(request, ctx, error=f"{exc.errcode}: {exc.message}", status=400)
    years = [item.year for item in loaded]
    await run_in_threadpool(audit, ctx, "holidays", upload.filename or "file", {"years": years})
    return RedirectResponse(
        f"/console/holidays?year={years[0] if years else ''}&done=loaded", status_code=303
    )


# -- the audit trail ----------------------------------------------------------------------------


@page
async def audit_page(request: Request, ctx: Context) -> Response:
    store = ctx.service.store

    def load() -> list[dict[str, Any]]:
        with store.read() as conn:
            return store.audit(conn, ctx.view.corp.id, limit=500)

    entries = await run_in_threadpool(load)
    if ctx.admin.scoped:
        entries = [e for e in entries if _in_scope(ctx, e)]
    return render(
        request,
        "audit.html",
        page_values(
            ctx,
            "audit",
            entries=entries,
            stamp=ctx.stamp,
            detail=lambda d: orjson.dumps(d, option=orjson.OPT_SORT_KEYS).decode(),
        ),
    )


def _in_scope(ctx: Context, entry: dict[str, Any]) -> bool:
    """A scoped account sees entries about people it sees (and its own)."""
    if entry["username"] == ctx.admin.username:
        return True
    detail = entry["detail"]
    who: Sequence[str] = [
        entry["target"].split(" ")[0],
        str(detail.get("userid", "")),
        str(detail.get("creator", "")),
    ]
    return any(ctx.may_see(u) for u in who if u)
