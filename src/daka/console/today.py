"""Today: who is in, late, missing or away so far, by department."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from daka.console.filters import department_options, filter_page, people_of
from daka.console.web import Context, page, page_values, render
from daka.services import console as queries


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
            names=ctx.names(people),
            rate_bars=rate_bars,
            late_bars=late_bars,
            late_max=max([1, *(d.late for d in today.departments)]),
            clock=ctx.clock,
            now=ctx.now,
            f=f,
            department_options=department_options(ctx),
        ),
    )
