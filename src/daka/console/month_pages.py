"""月报: the person × day grid with WeCom's cell texts, totals and exception filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

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
from daka.exports.layouts import PersonMonth
from daka.exports.sources import leave_types

MONTH_PAGE = 50  # people per page of the month grid
MONTH_SCAN = 600  # people one page of the grid looks through for an exception filter


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


@page
async def month_grid(request: Request, ctx: Context) -> Response:
    f, error = filter_page(ctx, request, ("only",))
    people = people_of(ctx, f)
    start, page_no, only = people_cursor(request, f)
    result = None if error else await run_in_threadpool(month_page, ctx, people, f, start, only)
    next_href = next_page(f, result.next_index if result else None, page_no)
    extra = [("only", ctx.t("only_with"), EXCEPTION_KINDS, f.get("only"))]
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
