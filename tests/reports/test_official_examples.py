"""WeCom's official getcheckin_daydata and getcheckin_monthdata examples, answered by daka.

The examples are copied verbatim into ``wecom_examples/``. Every value daka answers equals
the example's, except the few where the example contradicts itself or WeCom's own rules;
each of those is listed below with the arithmetic that shows the contradiction (and in
docs/reports.md). The test fails if daka stops matching any other value, and also if a listed
deviation no longer holds, so the list cannot go stale.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest

from daka.services.org import load_org
from tests.conftest import Wire
from tests.report_examples import DAY_DATA, MONTH_DATA
from tests.reports.example_corp import (
    CORPID,
    MONDAY,
    NOW,
    SECRET,
    THURSDAY,
    USERID,
    example_org,
    example_punches,
    store_example_approvals,
)

MISSING = object()
Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Deviation:
    """Where daka's answer differs from WeCom's example, and why."""

    path: Path_
    wecom: Any
    daka: Any
    why: str


DAY_DEVIATIONS = [
    Deviation(
        ("ot_info", "workday_over_as_money"),
        54_000,
        3_600,
        "ot_duration is 3,600 s, converted 1:1 to pay; 54,000 s (15 h) is the month "
        "example's workday total, not one day's",
    ),
    Deviation(
        ("ot_info", "restday_over_as_money"),
        172_800,
        0,
        "09-03 is a workday: it has no rest-day overtime (172,800 is the month's rest-day pay)",
    ),
    Deviation(
        ("sp_items", {"type": 1}, "time_type"),
        0,
        1,
        "a 1-minute leave counted as 360 s is 0.1 hour (the title says 小时): 按小时 is 1",
    ),
]

MONTH_DEVIATIONS = [
    Deviation(
        ("summary_info", "rest_days"),
        0,
        2,
        "the five days 09-03..09-07 include Saturday and Sunday, rest days under the rule",
    ),
    Deviation(
        ("summary_info", "regular_days"),
        MISSING,
        0,
        "documented in the field table, absent from the example: no workday was without "
        "an exception",
    ),
    Deviation(
        ("sp_items", {"type": 1}, "duration"),
        0,
        360,
        "the day example counts 360 s of this leave on 09-03; the month is the sum of its days",
    ),
    Deviation(("sp_items", {"type": 1}, "time_type"), 0, 1, "as in the day example"),
    Deviation(
        ("overwork_info", "restdays_over_sec"),
        205_560,
        0,
        "205,560 s is 57.1 h, more than the 48 h two rest days hold",
    ),
    Deviation(
        ("overwork_info", "restdays_over_as_money"),
        172_800,
        0,
        "no rest-day overtime can be rebuilt (see restdays_over_sec)",
    ),
    Deviation(
        ("overwork_info", "holidays_over_sec"),
        MISSING,
        0,
        "documented in the field table, absent from the example; no holiday in range",
    ),
]


def _step(node: Any, key: Any) -> tuple[Any, Any]:
    """The container and key ``key`` names in ``node`` (a dict selects a list element)."""
    if isinstance(key, dict):
        matches = [i for i, e in enumerate(node) if all(e.get(k) == v for k, v in key.items())]
        assert len(matches) == 1, (key, node)
        return node, matches[0]
    return node, key


def apply(deviations: list[Deviation], element: dict[str, Any]) -> dict[str, Any]:
    """The example element with each deviation's WeCom value checked and replaced by daka's."""
    out = copy.deepcopy(element)
    for d in deviations:
        node: Any = out
        for key in d.path[:-1]:
            node, k = _step(node, key)
            node = node[k]
        container, last = _step(node, d.path[-1])
        assert container.get(last, MISSING) == d.wecom, d
        container[last] = d.daka
    return out


def normalised(element: dict[str, Any]) -> dict[str, Any]:
    """Lists WeCom's two examples order differently (by kind in one, not in the other),
    sorted by kind: the order carries no meaning."""
    out = copy.deepcopy(element)
    out["exception_infos"].sort(key=lambda e: e["exception"])
    out["sp_items"].sort(key=lambda e: (e["type"], e["vacation_id"]))
    return out


@pytest.fixture
def example(api: Any, store: Any, clock: Any) -> Wire:
    clock.now = NOW
    load_org(store, example_org(), now=NOW)
    store_example_approvals(store)
    wire = Wire(api)
    wire.login(CORPID, SECRET)
    answer = wire.post("checkin/add_checkin_record", {"records": example_punches()})
    assert answer["errcode"] == 0, answer
    return wire


def example_of(name: str) -> dict[str, Any]:
    """A fresh copy of one of WeCom's examples."""
    return copy.deepcopy(DAY_DATA if name == "getcheckin_daydata" else MONTH_DATA)


def test_the_day_report_reproduces_wecoms_example(example: Wire) -> None:
    official = example_of("getcheckin_daydata")
    answer = example.post(
        "checkin/getcheckin_daydata",
        {"starttime": THURSDAY, "endtime": THURSDAY, "useridlist": [USERID]},
    )
    assert answer["errcode"] == 0 and len(answer["datas"]) == 1, answer
    expected = apply(DAY_DEVIATIONS, official["datas"][0])
    assert answer["datas"][0] == normalised(expected)


def test_the_month_report_reproduces_wecoms_example(example: Wire) -> None:
    official = example_of("getcheckin_monthdata")
    answer = example.post(
        "checkin/getcheckin_monthdata",
        {"starttime": THURSDAY, "endtime": MONDAY, "useridlist": [USERID]},
    )
    assert answer["errcode"] == 0 and len(answer["datas"]) == 1, answer
    expected = apply(MONTH_DEVIATIONS, official["datas"][0])
    assert normalised(answer["datas"][0]) == normalised(expected)


def test_the_month_example_is_the_sum_of_its_day_reports(example: Wire) -> None:
    days = example.post(
        "checkin/getcheckin_daydata",
        {"starttime": THURSDAY, "endtime": MONDAY, "useridlist": [USERID]},
    )["datas"]
    month = example.post(
        "checkin/getcheckin_monthdata",
        {"starttime": THURSDAY, "endtime": MONDAY, "useridlist": [USERID]},
    )["datas"][0]
    assert [d["base_info"]["day_type"] for d in days] == [0, 0, 1, 1, 0]
    assert month["summary_info"]["standard_work_sec"] == sum(
        d["summary_info"]["standard_work_sec"] for d in days
    )
    absences = [e for d in days for e in d["exception_infos"] if e["exception"] == 4]
    assert [e["duration"] for e in absences] == [14_460, 14_460]
    assert month["overwork_info"]["workday_over_sec"] == sum(
        d["ot_info"]["ot_duration"] for d in days if d["base_info"]["day_type"] == 0
    )
