"""The console's reports: the memoised day reports of the people and days a page shows."""

from __future__ import annotations

from collections.abc import Sequence

from daka.console.filters import Filters
from daka.console.web import Context
from daka.domain.calendar import date_range
from daka.domain.reports import DayReport
from daka.exports.layouts import PersonMonth
from daka.exports.sources import leave_types, person_months
from daka.services.report_memo import ReportMemo
from daka.services.reports import settled


def memo(ctx: Context) -> ReportMemo:
    found: ReportMemo = ctx.request.app.state.report_memo
    return found


def day_reports(ctx: Context, userids: Sequence[str], f: Filters) -> dict[str, list[DayReport]]:
    """Each person's reports of the filter's days that are over (today has none yet)."""
    days = settled(date_range(f.since, f.until), ctx.view, ctx.now)
    service = ctx.service
    return memo(ctx).day_reports(
        service.store, ctx.view, userids, days, ctx.now, service.report_workers
    )


def warm_this_month(ctx: Context) -> None:
    """Start filling the memo with this month of everyone the account sees (once per corp
    revision and day), so that the month's pages answer from memory."""
    from daka.console.filters import default_filters

    f = default_filters(ctx)
    days = settled(date_range(f.since, f.until), ctx.view, ctx.now)
    service = ctx.service
    memo(ctx).warm(service.store, ctx.view, ctx.people(), days, ctx.now, service.report_workers)


def months(ctx: Context, userids: Sequence[str], f: Filters) -> list[PersonMonth]:
    """Each person's month row (totals and WeCom's day cells) over the filter's days."""
    reports = day_reports(ctx, userids, f)
    return list(person_months(ctx.view, userids, reports, f.since, f.until, leave_types(ctx.view)))
