"""What a console user changes: 补卡, approvals (file, approve, reject, revoke), balances.

Each change goes through the same service function as the API (so the same checks and
errcodes apply) and leaves an audit entry naming the console user, the time and the reason.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from daka.console.day_page import STATUS_TEXT, show_day
from daka.console.web import Context, action, page, page_values, person_day, refusal, render
from daka.domain.approvals import Action, RecordType
from daka.domain.calendar import day_start, local_date
from daka.domain.errors import DakaError
from daka.services import approvals as approval_service
from daka.services import corrections
from daka.services import vacations as vacation_service
from daka.wire.approvals import ApplyEventRequest, time_off_form
from daka.wire.requests import PunchCorrectionRequest
from daka.wire.vacations import SetOneUserQuotaRequest

MAX_REASON = 200


def _text(form: FormData, name: str, limit: int = MAX_REASON) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def audit(ctx: Context, action_name: str, target: str, detail: dict[str, Any]) -> None:
    """Record a change made in the console: who, when, what, and why."""
    store = ctx.service.store
    store.transaction(
        lambda conn: store.add_audit(
            conn, ctx.view.corp.id, ctx.now, ctx.admin.username, action_name, target, detail
        )
    )


# -- 补卡 -------------------------------------------------------------------------------


def _hhmm(text: str) -> int | None:
    try:
        t = time.fromisoformat(text)
    except ValueError:
        return None
    return t.hour * 3600 + t.minute * 60


@action
async def correct_day(request: Request, ctx: Context, form: FormData) -> Response:
    """A 补卡 for one point of the day: a new correction punch; raw punches stay as they are."""
    named = person_day(request, ctx)
    if named is None:
        return refusal(request, "not_found", 404)
    userid, day = named
    reason = _text(form, "reason")
    at = _hhmm(_text(form, "time", 8))
    point_text = _text(form, "point", 12)
    if not reason or at is None:
        return await show_day(request, ctx, error="时间和原因必填 / time and reason are required")
    start = day_start(day, ctx.view.tz)
    point = int(point_text) if point_text.lstrip("-").isdigit() else None
    # A point after midnight (a night shift's 下班) is punched on the next calendar day.
    offset = 86_400 if point is not None and point >= 86_400 and at < point - 86_400 + 43_200 else 0
    request_value = PunchCorrectionRequest(userid, start, point, start + offset + at, reason)
    try:
        await run_in_threadpool(
            corrections.punch_correction, ctx.service.store, ctx.view, request_value, ctx.now
        )
    except DakaError as exc:
        return await show_day(request, ctx, error=f"{exc.errcode}: {exc.message}")
    punched = datetime.fromtimestamp(start + offset + at, ctx.view.tz).isoformat()
    await run_in_threadpool(
        audit,
        ctx,
        "correction",
        f"{userid} {day}",
        {"point": point, "time": punched, "reason": reason},
    )
    return RedirectResponse(f"/console/day/{userid}/{day}?done=correction", status_code=303)


# -- approvals --------------------------------------------------------------------------

LIST_DAYS = 62


APPROVAL_PAGE = 100


@page
async def approvals_page(request: Request, ctx: Context) -> Response:
    """The last two months' forms of the people in scope, pending first, 100 a page."""
    store = ctx.service.store
    scoped = ctx.admin.scoped
    visible = ctx.people()
    try:
        page_no = max(1, int(request.query_params.get("page", "1") or 1))
        status = int(request.query_params.get("status", "") or 0) or None
    except ValueError:
        page_no, status = 1, None

    def load() -> list[Any]:
        with store.read() as conn:
            return store.recent_approvals(
                conn,
                ctx.view.corp.id,
                ctx.now - LIST_DAYS * 86_400,
                creators=visible if scoped else None,
                status=status,
                limit=APPROVAL_PAGE + 1,
                offset=(page_no - 1) * APPROVAL_PAGE,
            )

    found = await run_in_threadpool(load)
    more = len(found) > APPROVAL_PAGE
    shown = found[:APPROVAL_PAGE]
    query = f"status={status}&" if status else ""
    return render(
        request,
        "approvals.html",
        page_values(
            ctx,
            "approvals",
            approvals=shown,
            status_text=STATUS_TEXT,
            status=status,
            names={
                a.creator: ctx.view.users[a.creator].name
                for a in shown
                if a.creator in ctx.view.users
            },
            stamp=ctx.stamp,
            done=request.query_params.get("done", "")[:40],
            error=request.query_params.get("error", "")[:200],
            prev_href=f"?{query}page={page_no - 1}" if page_no > 1 else None,
            next_href=f"?{query}page={page_no + 1}" if more else None,
        ),
    )


ACTIONS = {"approve": Action.APPROVE, "reject": Action.REJECT, "revoke": Action.REVOKE}


@action
async def act_on_approval(request: Request, ctx: Context, form: FormData) -> Response:
    sp_no = request.path_params["sp_no"][:32]
    verb = request.path_params["verb"]
    if verb not in ACTIONS:
        return refusal(request, "not_found", 404)
    store = ctx.service.store
    try:
        current = await run_in_threadpool(approval_service.get_approval, store, ctx.view, sp_no)
    except DakaError:
        return refusal(request, "not_found", 404)
    if not ctx.may_see(current.creator):
        return refusal(request, "not_found", 404)
    speech = _text(form, "speech")
    decision = approval_service.Decision(sp_no, ACTIONS[verb], None, speech)
    try:
        await run_in_threadpool(approval_service.act, store, ctx.view, decision, ctx.now)
    except DakaError as exc:
        return RedirectResponse(
            f"/console/approvals?error={exc.errcode}+{exc.message[:150]}", status_code=303
        )
    await run_in_threadpool(audit, ctx, verb, sp_no, {"creator": current.creator, "speech": speech})
    return RedirectResponse(f"/console/approvals?done={verb}+{sp_no}", status_code=303)


# The kinds of form the console files for a person.
FILED = (RecordType.LEAVE, RecordType.TRIP, RecordType.OUTING, RecordType.OVERTIME)


def _templates(ctx: Context) -> list[Any]:
    return [t for t in ctx.view.templates.values() if t.kind in FILED]


@page
async def new_approval_page(request: Request, ctx: Context) -> Response:
    return _new_form(request, ctx, dict(request.query_params))


def _new_form(
    request: Request, ctx: Context, values: dict[str, str], error: str = "", status: int = 200
) -> Response:
    if not ctx.admin.can_act:
        return refusal(request, "forbidden", 403)
    today = local_date(ctx.now, ctx.view.tz)
    day = values.get("date") or today.isoformat()
    people = ctx.people()
    return render(
        request,
        "approval_new.html",
        page_values(
            ctx,
            "approvals",
            templates=_templates(ctx),
            people=[(u, ctx.view.users[u].name) for u in people],
            vacations=list(ctx.view.vacations.values()),
            values={"begin": f"{day}T09:00", "end": f"{day}T18:00", **values},
            error=error,
        ),
        status,
    )


def _instant(ctx: Context, text: str) -> int | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return int(moment.replace(tzinfo=ctx.view.tz).timestamp())


@action
async def file_approval(request: Request, ctx: Context, form: FormData) -> Response:
    """File a leave, trip, outing or overtime form for a person, as applyevent does."""
    values = {
        k: _text(form, k) for k in ("userid", "template", "vacation", "begin", "end", "reason")
    }
    userid = values["userid"]
    template = ctx.view.templates.get(values["template"])
    if not ctx.may_see(userid) or template is None or template.kind not in FILED:
        return _new_form(request, ctx, values, "请选择人员和类型 / pick a person and a kind", 400)
    begin, end = _instant(ctx, values["begin"]), _instant(ctx, values["end"])
    if begin is None or end is None:
        return _new_form(
            request, ctx, values, "开始和结束时间必填 / begin and end are required", 400
        )
    vacation = int(values["vacation"]) if values["vacation"].isdigit() else None
    body = time_off_form(template, userid, begin, end, values["reason"], vacation)
    try:
        parsed = ApplyEventRequest.parse(body)
        sp_no = await run_in_threadpool(
            approval_service.apply_event, ctx.service.store, ctx.view, parsed, ctx.now
        )
    except DakaError as exc:
        return _new_form(request, ctx, values, f"{exc.errcode}: {exc.message}", 400)
    await run_in_threadpool(
        audit,
        ctx,
        "file",
        sp_no,
        {"userid": userid, "template": template.template_id, "reason": values["reason"]},
    )
    return RedirectResponse(f"/console/approvals?done=file+{sp_no}", status_code=303)


# -- vacation balances ---------------------------------------------------------------------


@page
async def person_page(request: Request, ctx: Context) -> Response:
    return await _person(request, ctx)


async def _person(request: Request, ctx: Context, error: str = "", status: int = 200) -> Response:
    userid = request.path_params["userid"]
    if not ctx.may_see(userid):
        return refusal(request, "not_found", 404)
    store = ctx.service.store

    def load() -> list[Any]:
        with store.read() as conn:
            return vacation_service.balances(store, conn, ctx.view.corp.id, userid)

    balances = await run_in_threadpool(load)
    user = ctx.view.users[userid]
    today = local_date(ctx.now, ctx.view.tz)
    recent = [today - timedelta(days=n) for n in range(1, 8)]
    return render(
        request,
        "person.html",
        page_values(
            ctx,
            "people",
            user=user,
            balances=[(ctx.view.vacations.get(b.vacation_id), b) for b in balances],
            recent=recent,
            vacations=list(ctx.view.vacations.values()),
            done=request.query_params.get("done", "")[:40],
            error=error,
        ),
        status,
    )


@action
async def set_balance(request: Request, ctx: Context, form: FormData) -> Response:
    userid = request.path_params["userid"]
    if not ctx.may_see(userid):
        return refusal(request, "not_found", 404)
    vacation_text, amount, reason = (
        _text(form, "vacation"),
        _text(form, "amount", 16),
        _text(form, "reason"),
    )
    vacation = ctx.view.vacations.get(int(vacation_text)) if vacation_text.isdigit() else None
    try:
        value = float(amount)
    except ValueError:
        value = -1.0
    if vacation is None or value < 0 or not reason:
        return await _person(
            request, ctx, "假期、余额和原因必填 / vacation, amount and reason are required", 400
        )
    by_hour = int(vacation.time_attr) == 1
    seconds = round(value * (3600 if by_hour else 86_400))
    parsed = SetOneUserQuotaRequest(userid, vacation.id, seconds, int(vacation.time_attr), reason)
    try:
        await run_in_threadpool(
            vacation_service.set_quota, ctx.service.store, ctx.view, parsed, ctx.now
        )
    except DakaError as exc:
        return await _person(request, ctx, f"{exc.errcode}: {exc.message}", 400)
    await run_in_threadpool(
        audit, ctx, "balance", f"{userid} {vacation.name}", {"seconds": seconds, "reason": reason}
    )
    return RedirectResponse(f"/console/person/{userid}?done=balance", status_code=303)
