"""Automatic batching, sans-I/O: split a request over WeCom's limits, merge the answers.

Limits (docs/wecom-api.md §3, §7–§9, §13, §14):

- ``useridlist``: at most 100 userids per request (duplicates are dropped first, keeping the
  first occurrence, as the server would).
- ``records``: at most 200 per add_checkin_record request.
- Time ranges given in seconds (getcheckindata 30 days; getcheckinschedulist and
  get_hardware_checkin_data 31 days): ``endtime - starttime`` of every request is at most the
  span. Chunks are laid out from ``starttime`` in whole spans, so with a day-aligned
  ``starttime`` every chunk starts at a day start; when that layout would cost one request more
  than the minimum (a range a few seconds over a multiple of the span), chunks of
  ``span + 1`` seconds are used instead. The count is always the minimum,
  ``ceil((endtime - starttime + 1) / (span + 1))``.
- Day ranges (getcheckin_daydata / getcheckin_monthdata): ``starttime`` and ``endtime`` are the
  0:00 of the first and the last day, both included. Each request covers at most 30 days, and
  starts at ``starttime + k * 30 * 86400``, a day start (WeCom days are Asia/Shanghai days,
  which have no DST, so a day is always 86,400 s).
- Approvals (getapprovalinfo): the submission-time range is split as a range in seconds of at
  most 31 days (``endtime - starttime``), sent as strings of Unix seconds as WeCom's doc
  shows; each window is read page by page, 100 ``sp_no`` at a time, following
  ``new_next_cursor`` until an answer has none. The pages of a window keep its chunk index.

Chunks are ordered users first, then time: for each group of 100 users, every time chunk in
ascending order. Merging concatenates the answers and orders rows by the userid's position in
the request (a stable sort), which gives what a single unlimited call would: users in request
order, each user's rows in time order. getcheckindata rows that two adjacent time chunks both
return (a punch window straddling the seam) are kept once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from daka.client._models import lenient_int

__all__ = ["Chunk"]

DAY = 86_400
MAX_USERS = 100
MAX_RECORDS = 200
CHECKIN_DATA_SPAN = 30 * DAY
SCHEDULE_SPAN = 31 * DAY
HARDWARE_SPAN = 31 * DAY
APPROVAL_SPAN = 31 * DAY
APPROVAL_PAGE = 100
REPORT_DAYS = 30

T = TypeVar("T")
Raw = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Chunk:
    """One request of a (possibly) batched call: its position and the JSON body it sends."""

    index: int
    body: Mapping[str, Any]


def unique(userids: Iterable[str]) -> list[str]:
    """``userids`` without repeats, first occurrence kept."""
    return list(dict.fromkeys(userids))


def split(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Consecutive slices of at most ``size``; one empty slice for an empty input.

    An empty list still makes one request, so the server reports it (301023) as WeCom would.
    """
    if not items:
        return [items]
    return [items[i : i + size] for i in range(0, len(items), size)]


def split_seconds(start: int, end: int, span: int) -> list[tuple[int, int]]:
    """``[start, end]`` as the fewest ranges with ``end - start <= span`` each."""
    length = end - start
    if length <= span:
        return [(start, end)]  # includes end < start: the server answers 301024, not us
    fewest = -(-(length + 1) // (span + 1))
    aligned = -(-length // span)
    if aligned == fewest:
        starts = [start + k * span for k in range(aligned)]
        return [
            (a, min(a + span - 1, end)) if k < aligned - 1 else (a, end)
            for k, a in enumerate(starts)
        ]
    return [(a, min(a + span, end)) for a in range(start, end + 1, span + 1)]


def split_days(start: int, end: int, max_days: int = REPORT_DAYS) -> list[tuple[int, int]]:
    """Inclusive day ranges ``[first 0:00, last 0:00]`` of at most ``max_days`` days each."""
    if end - start < max_days * DAY:
        return [(start, end)]
    step = max_days * DAY
    return [(a, min(a + step - DAY, end)) for a in range(start, end + 1, step)]


def user_time_chunks(
    base: Mapping[str, Any], userids: Sequence[str], ranges: Sequence[tuple[int, int]]
) -> tuple[Chunk, ...]:
    """Bodies for every (≤100 users, time range): users outer, time inner."""
    bodies = [
        {**base, "starttime": s, "endtime": e, "useridlist": list(group)}
        for group in split(unique(userids), MAX_USERS)
        for s, e in ranges
    ]
    return tuple(Chunk(i, body) for i, body in enumerate(bodies))


def user_chunks(base: Mapping[str, Any], userids: Sequence[str]) -> tuple[Chunk, ...]:
    bodies = [{**base, "useridlist": list(group)} for group in split(unique(userids), MAX_USERS)]
    return tuple(Chunk(i, body) for i, body in enumerate(bodies))


def record_chunks(records: Sequence[Mapping[str, Any]]) -> tuple[Chunk, ...]:
    return tuple(
        Chunk(i, {"records": [dict(r) for r in group]})
        for i, group in enumerate(split(records, MAX_RECORDS))
    )


def approval_chunks(
    filters: Sequence[Mapping[str, str]], starttime: int, endtime: int
) -> tuple[Chunk, ...]:
    """The first page of each ≤ 31-day window of getapprovalinfo."""
    base: dict[str, Any] = {"new_cursor": "", "size": APPROVAL_PAGE}
    if filters:
        base["filters"] = [dict(f) for f in filters]
    return tuple(
        Chunk(i, {"starttime": str(s), "endtime": str(e), **base})
        for i, (s, e) in enumerate(split_seconds(starttime, endtime, APPROVAL_SPAN))
    )


def merge_sp_nos(answers: Sequence[tuple[Chunk, Raw]]) -> list[str]:
    """Every answer's ``sp_no_list`` in request order, each ``sp_no`` once (first kept).

    Windows touch but do not overlap, so a repeat can only come from the server: a page
    boundary that moved while forms were being filed, or a window it reads inclusively.
    """
    seen: dict[str, None] = {}
    for _, answer in answers:
        numbers = answer.get("sp_no_list")
        if isinstance(numbers, list):
            seen.update((str(n), None) for n in numbers)
    return list(seen)


def _fingerprint(row: Raw) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)


def user_order(answers: Sequence[tuple[Chunk, Raw]]) -> dict[str, int]:
    """Each requested userid's position, from the chunks' ``useridlist`` in chunk order."""
    order: dict[str, int] = {}
    for chunk, _ in answers:
        for userid in chunk.body.get("useridlist") or ():
            order.setdefault(userid, len(order))
    return order


def merge_rows(
    answers: Sequence[tuple[Chunk, Raw]],
    field: str,
    userid_of: Callable[[Raw], str],
    *,
    drop_seam_duplicates: bool = False,
) -> list[Raw]:
    """The ``field`` lists of all answers, ordered by user (request order), then chunk order.

    With ``drop_seam_duplicates``, a row equal to one an *earlier chunk* returned is dropped
    (rows repeated inside one answer are the server's and are kept).
    """
    order = user_order(answers)
    rows: list[Raw] = []
    seen: set[str] = set()
    for _, answer in answers:
        batch = [r for r in (answer.get(field) or ()) if isinstance(r, Mapping)]
        if drop_seam_duplicates:
            prints = [_fingerprint(r) for r in batch]
            batch = [r for r, p in zip(batch, prints, strict=True) if p not in seen]
            seen.update(prints)
        rows.extend(batch)
    last = len(order)
    rows.sort(key=lambda r: order.get(userid_of(r), last))
    return rows


def merge_schedules(answers: Sequence[tuple[Chunk, Raw]]) -> list[Raw]:
    """getcheckinschedulist's ``schedule_list``: one element per (user, month).

    Time chunks are 31 days, not calendar months, so two chunks can both report a month;
    their ``scheduleList`` days are joined (first answer wins on a repeated day) and sorted.
    """
    elements = merge_rows(answers, "schedule_list", lambda r: str(r.get("userid", "")))
    merged: dict[tuple[str, Any], dict[str, Any]] = {}
    for element in elements:
        key = (str(element.get("userid", "")), element.get("yearmonth"))
        schedule = element.get("schedule")
        days = schedule.get("scheduleList") if isinstance(schedule, Mapping) else None
        days = [d for d in days if isinstance(d, Mapping)] if isinstance(days, list) else []
        if key not in merged:
            merged[key] = {**element, "schedule": {**(schedule or {}), "scheduleList": days}}
            continue
        target: list[Raw] = merged[key]["schedule"]["scheduleList"]
        have = {d.get("day") for d in target}
        target.extend(d for d in days if d.get("day") not in have)
    for element in merged.values():
        element["schedule"]["scheduleList"].sort(key=lambda d: _day(d.get("day")))
    return list(merged.values())


def _day(value: Any) -> int:
    return lenient_int(value)


def acctid(report: Raw) -> str:
    """The userid of a day/month report element (``base_info.acctid``)."""
    base = report.get("base_info")
    return str(base.get("acctid", "")) if isinstance(base, Mapping) else ""
