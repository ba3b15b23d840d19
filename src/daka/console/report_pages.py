"""The daily report as a table (one row per person-day) and the trends charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from daka.client import DayReport as DayModel
from daka.console import reports
from daka.console.filters import (
    EXCEPTION_KINDS,
    Filters,
    filter_page,
    filter_values,
    next_page,
    people_cursor,
    people_of,
)
from daka.console.web import Context, page, page_values, render
from daka.domain.directory import departs_name
from daka.domain.reports import DayReport
from daka.domain.trends import attendance_by_day, late_by_group, overtime_by_week
from daka.exports import cells
from daka.exports.models import day_model

DAY_ROWS = 200  # person-days on one page of the daily report
SCAN = 600  # people one page looks through for an exception filter


@dataclass(frozen=True, slots=True)
class DayLine:
    report: DayReport
    model: DayModel

    @property
    def result(self) -> str:
        return cells.day_result(self.model)

    @property
    def approvals(self) -> str:
        return cells.approvals(self.model)


@dataclass(frozen=True, slots=True)
class DaysPage:
    lines: tuple[DayLine, ...]
    next_index: int | None
    scanned: int
    total: int
    stopped_early: bool = False


def _keeps(report: DayReport, only: int | None) -> bool:
    return only is None or any(int(e.kind) == only and e.count for e in report.exceptions)


def days_page(
    ctx: Context, people: list[str], f: Filters, start: int, only: int | None
) -> DaysPage:
    """Whole people's days from ``start`` until about :data:`DAY_ROWS` lines."""
    per_page = max(1, DAY_ROWS // ((f.until - f.since).days + 1))
    lines: list[DayLine] = []
    index = start
    while index < len(people) and index - start < SCAN and len(lines) < DAY_ROWS:
        chunk = people[index : index + per_page]
        found = reports.day_reports(ctx, chunk, f)
        for userid in chunk:
            index += 1
            user = ctx.view.users[userid]
            person = (user.name, user.alias, departs_name(ctx.view.departments, user))
            lines += [DayLine(r, day_model(r, person)) for r in found[userid] if _keeps(r, only)]
            if len(lines) >= DAY_ROWS:
                break
    more = index if index < len(people) else None
    stopped = more is not None and len(lines) < DAY_ROWS and only is not None
    return DaysPage(tuple(lines), more, index, len(people), stopped)


def _hm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}" if seconds else "--"


@page
async def days_table(request: Request, ctx: Context) -> Response:
    f, error = filter_page(ctx, request, ("only",))
    people = people_of(ctx, f)
    start, page_no, only = people_cursor(request, f)
    result = None if error else await run_in_threadpool(days_page, ctx, people, f, start, only)
    next_href = next_page(f, result.next_index if result else None, page_no)
    extra = [("only", ctx.t("only_with"), EXCEPTION_KINDS, f.get("only"))]
    return render(
        request,
        "days.html",
        page_values(
            ctx,
            "days",
            result=result,
            error=error,
            hm=_hm,
            hours=cells.hours,
            departs={
                u: departs_name(ctx.view.departments, ctx.view.users[u])
                for u in {line.report.userid for line in (result.lines if result else ())}
            },
            page_no=page_no,
            prev_href=None,
            next_href=next_href,
            **filter_values(ctx, f, extra),
        ),
    )


# -- trends ---------------------------------------------------------------------------------

TREND_PEOPLE = 2_000  # trends evaluate everyone in the filter: bounded, and said so


@page
async def trends_page(request: Request, ctx: Context) -> Response:
    f, error = filter_page(ctx, request, ())
    people = people_of(ctx, f)
    capped = len(people) > TREND_PEOPLE
    people = people[:TREND_PEOPLE]

    def load() -> dict[str, Any]:
        found = reports.day_reports(ctx, people, f)
        every = [r for u in people for r in found[u]]
        view = ctx.view

        def department(userid: str) -> str:
            depts = view.users[userid].department_ids
            d = view.departments.get(depts[0]) if depts else None
            return d.name if d is not None else "—"

        days = attendance_by_day(every)
        late = sorted(late_by_group(every, department).items(), key=lambda kv: -kv[1][1])
        weeks = overtime_by_week(every)
        return {
            "rate_points": [
                (
                    f"{d.day:%m-%d}",
                    round(100 * d.rate, 1),
                    f"{100 * d.rate:.1f}% ({d.attended}/{d.due})" if d.due else "— (0/0)",
                )
                for d in days
            ],
            "late_bars": [(name, s // 60, f"{s // 60} min, {n}×") for name, (n, s) in late[:20]],
            "late_max": max([1, *(s // 60 for _, (_, s) in late)]),
            "ot_points": [
                (f"{w:%m-%d}", round(s / 3600, 1), f"{s / 3600:.1f} h") for w, s in weeks.items()
            ],
            "ot_max": max([1.0, *(s / 3600 for s in weeks.values())]),
        }

    values = {} if error else await run_in_threadpool(load)
    return render(
        request,
        "trends.html",
        page_values(
            ctx,
            "trends",
            error=error,
            capped=capped,
            cap=TREND_PEOPLE,
            **values,
            **filter_values(ctx, f, []),
        ),
    )
