"""Invariants of the reports over a random week of punches and approvals:

- the month report is the sum of the week's day reports;
- the reports do not depend on the order punches and approvals arrived in;
- a revoked or deleted approval leaves both reports as if it had never been filed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from daka.domain.approvals import Action
from daka.services.service import Service
from tests.api.test_approval_properties import Caller, decide, fresh_service
from tests.approval_factories import OUTING, TRIP, attendance_form
from tests.factories import at, make_record

MONDAY = at(2026, 11, 16)
SUNDAY = at(2026, 11, 22)
DAY = 86_400

# Up to four punches a day on random days of the week, 07:00–21:00.
week_punches = st.lists(
    st.tuples(st.integers(0, 6), st.integers(7 * 60, 21 * 60)), max_size=14, unique=True
)
forms = st.lists(
    st.one_of(
        st.tuples(st.integers(0, 4), st.integers(8 * 60, 17 * 60), st.integers(15, 5 * 60)).map(
            lambda p: attendance_form(
                OUTING,
                4,
                MONDAY + p[0] * DAY + p[1] * 60,
                MONDAY + p[0] * DAY + (p[1] + p[2]) * 60,
                grain="hour",
            )
        ),
        st.tuples(st.integers(0, 9), st.integers(0, 2)).map(
            lambda p: attendance_form(
                TRIP, 3, MONDAY + p[0] * DAY // 2, MONDAY + (p[0] + p[1]) * DAY // 2
            )
        ),
    ),
    max_size=3,
)


def punch(caller: Caller, moments: list[tuple[int, int]]) -> None:
    if moments:
        records = [make_record(checkin_time=MONDAY + d * DAY + m * 60) for d, m in moments]
        assert caller.post("checkin/add_checkin_record", {"records": records})["errcode"] == 0


def file_approved(service: Service, caller: Caller, form: dict[str, Any]) -> str | None:
    """File and approve; None when it overlaps an earlier form (301079), as WeCom refuses."""
    answer = caller.post("oa/applyevent", form)
    if answer["errcode"] != 0:
        return None
    decide(service, answer["sp_no"], Action.APPROVE)
    return str(answer["sp_no"])


def week(caller: Caller, path: str) -> list[dict[str, Any]]:
    body = {"starttime": MONDAY, "endtime": SUNDAY, "useridlist": ["zhangsan", "lisi"]}
    answer = caller.post(path, body)
    assert answer["errcode"] == 0, answer
    return list(answer["datas"])


def summed(days: list[dict[str, Any]]) -> dict[str, Any]:
    """What the month report must say of these days, added up by hand."""
    ruled = [d for d in days if d["base_info"]["record_type"] != 7]
    workdays = [d for d in ruled if d["base_info"]["day_type"] == 0]
    exceptions: Counter[tuple[int, str]] = Counter()
    items: Counter[tuple[int, int, str]] = Counter()
    for d in days:
        for e in d["exception_infos"]:
            exceptions[(e["exception"], "count")] += e["count"]
            exceptions[(e["exception"], "duration")] += e["duration"]
        for i in d["sp_items"]:
            items[(i["type"], i["vacation_id"], "count")] += i["count"]
            items[(i["type"], i["vacation_id"], "duration")] += i["duration"]
    return {
        "work_days": len(workdays),
        "regular_days": sum(1 for d in workdays if not d["exception_infos"]),
        "except_days": sum(1 for d in ruled if d["exception_infos"]),
        "rest_days": len(ruled) - len(workdays),
        "regular_work_sec": sum(d["summary_info"]["regular_work_sec"] for d in days),
        "standard_work_sec": sum(d["summary_info"]["standard_work_sec"] for d in days),
        "exceptions": +exceptions,
        "items": +items,
        "workday_over_sec": sum(
            d["ot_info"]["ot_duration"] for d in workdays if d["base_info"]["day_type"] == 0
        ),
    }


def of_month(month: dict[str, Any]) -> dict[str, Any]:
    exceptions: Counter[tuple[int, str]] = Counter()
    items: Counter[tuple[int, int, str]] = Counter()
    for e in month["exception_infos"]:
        exceptions[(e["exception"], "count")] += e["count"]
        exceptions[(e["exception"], "duration")] += e["duration"]
    for i in month["sp_items"]:
        items[(i["type"], i["vacation_id"], "count")] += i["count"]
        items[(i["type"], i["vacation_id"], "duration")] += i["duration"]
    return {
        **month["summary_info"],
        "exceptions": +exceptions,
        "items": +items,
        "workday_over_sec": month["overwork_info"]["workday_over_sec"],
    }


@settings(max_examples=8, deadline=None)
@given(moments=week_punches, filed=forms)
def test_the_month_report_is_the_sum_of_its_day_reports(
    moments: list[tuple[int, int]], filed: list[dict[str, Any]]
) -> None:
    with fresh_service() as service:
        caller = Caller(service)
        punch(caller, moments)
        for form in filed:
            file_approved(service, caller, form)
        days = week(caller, "checkin/getcheckin_daydata")
        months = week(caller, "checkin/getcheckin_monthdata")

        for month in months:
            userid = month["base_info"]["acctid"]
            mine = [d for d in days if d["base_info"]["acctid"] == userid]
            assert len(mine) == 7
            assert of_month(month) == summed(mine)


@settings(max_examples=8, deadline=None)
@given(moments=week_punches, filed=forms, data=st.data())
def test_the_reports_do_not_depend_on_the_order_punches_and_approvals_arrived_in(
    moments: list[tuple[int, int]], filed: list[dict[str, Any]], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(moments))
    with fresh_service() as first, fresh_service() as second:
        early, late = Caller(first), Caller(second)
        kept = [form for form in filed if file_approved(first, early, form) is not None]
        for moment in moments:
            punch(early, [moment])

        punch(late, list(shuffled))
        for form in reversed(kept):
            assert file_approved(second, late, form) is not None

        for path in ("checkin/getcheckin_daydata", "checkin/getcheckin_monthdata"):
            assert unnumbered(week(early, path)) == unnumbered(week(late, path))


def unnumbered(datas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reports without the forms' numbers, which follow the order they were filed in."""
    for d in datas:
        notes = d.get("holiday_infos", [])
        for note in notes:
            note["sp_number"] = ""
        notes.sort(key=lambda n: n["sp_description"]["data"][0]["text"])
    return datas


@settings(max_examples=8, deadline=None)
@given(
    moments=week_punches,
    filed=forms.filter(bool),
    undo=st.sampled_from([Action.REVOKE, Action.DELETE]),
)
def test_a_revoked_or_deleted_approval_leaves_the_reports_as_if_never_filed(
    moments: list[tuple[int, int]], filed: list[dict[str, Any]], undo: Action
) -> None:
    with fresh_service() as service:
        caller = Caller(service)
        punch(caller, moments)
        for form in filed[1:]:
            file_approved(service, caller, form)
        before = [
            week(caller, p) for p in ("checkin/getcheckin_daydata", "checkin/getcheckin_monthdata")
        ]
        sp_no = file_approved(service, caller, filed[0])
        if sp_no is None:
            return  # overlapped an earlier form: nothing was filed
        decide(service, sp_no, undo)

        after = [
            week(caller, p) for p in ("checkin/getcheckin_daydata", "checkin/getcheckin_monthdata")
        ]
        assert after == before
