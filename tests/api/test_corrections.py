"""补卡: punch_correction under the rule's correction policy."""

from __future__ import annotations

import pytest

from daka.services.org import load_org
from tests.api.golden import assert_golden, assert_golden_case
from tests.conftest import Wire
from tests.factories import at, make_corp, make_org, make_record, make_rule

FRIDAY = at(2026, 11, 20)


def corp_with(**policy):
    rule = make_rule(allow_apply_offworkday=True, **policy)
    return make_org(make_corp(rules=[rule]))


@pytest.fixture
def lenient(api, store):
    load_org(store, corp_with())
    wire = Wire(api)
    wire.login()
    return wire


def friday_rows(wire):
    return wire.post(
        "checkin/getcheckindata",
        {
            "opencheckindatatype": 3,
            "starttime": FRIDAY,
            "endtime": FRIDAY + 86399,
            "useridlist": ["zhangsan"],
        },
    )["checkindata"]


def correct(wire, point_sec, checkin_time, **extra):
    return wire.post(
        "checkin/punch_correction",
        {
            "userid": "zhangsan",
            "schedule_date_time": FRIDAY,
            "schedule_checkin_time": point_sec,
            "checkin_time": checkin_time,
            "remark": "忘记打卡",
            **extra,
        },
    )


def test_a_corrected_missing_punch_turns_the_row_normal(lenient):
    assert [r["exception_type"] for r in friday_rows(lenient)] == ["未打卡", "未打卡"]

    body = correct(lenient, 9 * 3600, at(2026, 11, 20, 8, 58))

    rows = friday_rows(lenient)
    assert body == {"errcode": 0, "errmsg": "ok"}
    assert (
        rows[0]["checkin_type"],
        rows[0]["exception_type"],
        rows[0]["checkin_time"],
        rows[0]["notes"],
    ) == ("上班打卡", "", at(2026, 11, 20, 8, 58), "忘记打卡")


def test_a_correction_is_judged_like_a_punch(lenient):
    correct(lenient, 18 * 3600, at(2026, 11, 20, 17, 30))

    assert friday_rows(lenient)[1]["exception_type"] == "时间异常"


@pytest.mark.parametrize(
    ("point", "checkin_time", "extra", "errcode"),
    [
        (10 * 3600, at(2026, 11, 20, 9), {}, 301080),  # no punch point at 10:00
        (9 * 3600, at(2026, 11, 20, 4), {}, 301081),  # before the on-duty window opens
        (9 * 3600, at(2026, 11, 23, 13), {}, 301083),  # in the future
        (9 * 3600, at(2026, 11, 20, 9), {"schedule_date_time": FRIDAY + 3600}, 301082),
        (9 * 3600, at(2026, 11, 21, 9), {"schedule_date_time": at(2026, 11, 21)}, 301080),
        (9 * 3600, at(2026, 11, 20, 9), {"userid": "ghost"}, 301021),
        (9 * 3600, at(2026, 11, 20, 9), {"remark": "字" * 200}, 40058),
    ],
)
def test_punch_correction_errors_change_nothing(
    lenient, point, checkin_time, extra, errcode, request
):
    body = correct(lenient, point, checkin_time, **extra)

    assert body["errcode"] == errcode
    assert_golden_case(request, body)
    assert [r["exception_type"] for r in friday_rows(lenient)] == ["未打卡", "未打卡"]


def test_a_rule_that_does_not_allow_corrections_refuses_them(wire):
    body = correct(wire, 9 * 3600, at(2026, 11, 20, 8, 58))

    assert_golden("punch_correction_301099", body)


@pytest.mark.parametrize(
    ("restriction", "punches", "point", "errcode"),
    [
        (1, [], 9, 301101),  # 缺卡 corrections forbidden
        (2, [at(2026, 11, 20, 9, 30)], 9, 301102),  # 迟到
        (4, [at(2026, 11, 20, 8, 58), at(2026, 11, 20, 17)], 18, 301103),  # 早退
    ],
)
def test_buka_restriction_forbids_correcting_those_exceptions(
    api, store, restriction, punches, point, errcode, request
):
    load_org(store, corp_with(buka_restriction=restriction))
    wire = Wire(api)
    wire.login()
    if punches:
        wire.post(
            "checkin/add_checkin_record",
            {"records": [make_record(checkin_time=t) for t in punches]},
        )

    body = correct(wire, point * 3600, FRIDAY + point * 3600 - 60)
    assert body["errcode"] == errcode
    assert_golden_case(request, body)


def test_the_monthly_correction_count_is_enforced(api, store):
    load_org(store, corp_with(allow_apply_bk_cnt=1))
    wire = Wire(api)
    wire.login()

    first = correct(wire, 9 * 3600, at(2026, 11, 20, 8, 58))
    second = correct(wire, 18 * 3600, at(2026, 11, 20, 18, 5))

    assert first["errcode"] == 0
    assert_golden("punch_correction_301105", second)


def test_corrections_only_within_the_day_limit(api, store):
    load_org(store, corp_with(allow_apply_bk_day_limit=2))  # today and yesterday only
    wire = Wire(api)
    wire.login()

    assert correct(wire, 9 * 3600, at(2026, 11, 20, 8, 58))["errcode"] == 301105
