"""The filter bar: parsed from the query string into one value every page reads the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request

from daka.console.web import Context
from daka.domain.admins import subtree
from daka.domain.calendar import local_date

MAX_DAYS = 31
# The day and month reports' exception kinds, for their "only with" filter.
EXCEPTION_KINDS = (
    ("1", "迟到"),
    ("2", "早退"),
    ("3", "缺卡"),
    ("4", "旷工"),
    ("5", "地点异常"),
    ("6", "设备异常"),
)


class FilterError(ValueError):
    """A filter value that cannot be used (the message is shown above the table)."""


@dataclass(frozen=True, slots=True)
class Filters:
    since: date
    until: date
    department: int | None = None
    children: bool = False
    person: str = ""
    rule: int | None = None
    extra: tuple[tuple[str, str], ...] = ()  # page-specific (name, value), value not empty

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.extra if k == name), None)

    def query(self, **changes: Any) -> str:
        """This filter as a query string (for exports and pagers), with ``changes``."""
        values: dict[str, Any] = {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "department": self.department or "",
            "children": "1" if self.children else "",
            "person": self.person,
            "rule": self.rule or "",
            **dict(self.extra),
            **changes,
        }
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _date(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"not a date: {text[:20]!r}") from None


def _int(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise FilterError(f"not a number: {text[:20]!r}") from None


def month_start(day: date) -> date:
    return day.replace(day=1)


def parse_filters(
    ctx: Context, params: QueryParams, extras: tuple[str, ...] = (), default_days: str = "month"
) -> Filters:
    """The filters of a page; the dates default to this month up to today (``month``) or to
    today (``today``). At most 31 days, as WeCom's console allows."""
    today = local_date(ctx.now, ctx.view.tz)
    first_default = month_start(today) if default_days == "month" else today
    since = _date(params.get("since"), first_default)
    until = _date(params.get("until"), today if since <= today else since)
    if until < since:
        raise FilterError("the end date is before the start date")
    if (until - since).days + 1 > MAX_DAYS:
        raise FilterError(f"at most {MAX_DAYS} days at a time")
    extra = tuple((k, v[:64]) for k in extras if (v := params.get(k, "").strip()))
    return Filters(
        since=since,
        until=until,
        department=_int(params.get("department")),
        children=params.get("children") == "1",
        person=params.get("person", "").strip()[:64],
        rule=_int(params.get("rule")),
        extra=extra,
    )


def default_filters(ctx: Context) -> Filters:
    today = local_date(ctx.now, ctx.view.tz)
    return Filters(month_start(today), today)


def people_of(ctx: Context, f: Filters) -> list[str]:
    """The people the filters keep, within what the account may see, in directory order."""
    people = ctx.people()
    view = ctx.view
    if f.department is not None:
        if f.department not in ctx.departments():
            return []  # out of scope, or no such department: nobody, never an error page
        wanted = subtree(view.departments, [f.department]) if f.children else {f.department}
        people = [u for u in people if any(d in wanted for d in view.users[u].department_ids)]
    if f.person:
        needle = f.person.lower()
        people = [
            u
            for u in people
            if needle in u.lower()
            or needle in view.users[u].name.lower()
            or needle in view.users[u].alias.lower()
        ]
    if f.rule is not None:
        ruleset = view.ruleset(f.until)
        people = [u for u in people if ruleset.rule_of_user.get(u) == f.rule]
    return people


def department_options(ctx: Context) -> list[dict[str, Any]]:
    """The departments the account sees, as a tree flattened with indentation."""
    view = ctx.view
    seen = ctx.departments()
    children: dict[int, list[int]] = {}
    for d in view.departments.values():
        if d.id in seen:
            parent = d.parent_id if d.parent_id in seen else 0
            children.setdefault(parent, []).append(d.id)
    out: list[dict[str, Any]] = []

    def walk(parent: int, depth: int) -> None:
        for dept_id in sorted(children.get(parent, []), key=lambda i: view.departments[i].name):
            out.append({"id": dept_id, "label": "\u3000" * depth + view.departments[dept_id].name})
            walk(dept_id, depth + 1)

    walk(0, 0)
    return out


def rule_options(ctx: Context, day: date) -> list[dict[str, Any]]:
    rules = ctx.view.ruleset(day).rules
    return [{"id": r.id, "name": r.name} for r in sorted(rules.values(), key=lambda r: r.id)]


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
