"""Overtime on the reports, through the in-process API: a rule's ot_info_v2 decides how the
day report's ot_info is counted and the month's overwork_info adds the days up; approving
overtime that converts to 调休 credits the 调休 balance, and revoking it takes it back."""

from __future__ import annotations

from typing import Any

import pytest

from daka.services.org import load_org
from tests.approval_factories import (
    APPROVAL_SECRET,
    OVERTIME,
    VACATIONS,
    approval_org,
    attendance_form,
)
from tests.conftest import Wire
from tests.factories import CORPID, at, make_record, make_rule

HOUR = 3600
FRIDAY = at(2026, 11, 20)
SATURDAY = at(2026, 11, 21)
TIAOXIU = 4  # VACATIONS' 调休 (is_newovertime), hour-based


def day_conf(method: int, **extra: Any) -> dict[str, Any]:
    return {"allow_ot": True, "type": method, **extra}


def punches_only(**extra: Any) -> dict[str, Any]:
    conf = day_conf(1, checkin={"ot_time_start": 1800, "ot_time_min": 1800, "ot_time_max": 14400})
    return {**conf, **extra}


class Hr(Wire):
    """The HR app: reports and quotas on the WeCom wire, approvals on daka's /api."""

    def approve(self, sp_no: str) -> None:
        response = self.client.post(
            "/api/approvals/approve", params={"access_token": self.token}, json={"sp_no": sp_no}
        )
        assert response.json()["errcode"] == 0, response.json()

    def revoke(self, sp_no: str) -> None:
        response = self.client.post(
            "/api/approvals/revoke", params={"access_token": self.token}, json={"sp_no": sp_no}
        )
        assert response.json()["errcode"] == 0, response.json()

    def punch(self, *times: int) -> None:
        records = [make_record(checkin_time=t) for t in times]
        assert self.post("checkin/add_checkin_record", {"records": records})["errcode"] == 0

    def file_overtime(self, begin: int, end: int) -> str:
        answer = self.post("oa/applyevent", attendance_form(OVERTIME, 5, begin, end, grain="hour"))
        assert answer["errcode"] == 0, answer
        return str(answer["sp_no"])

    def day(self, day: int) -> dict[str, Any]:
        body = self.post(
            "checkin/getcheckin_daydata",
            {"starttime": day, "endtime": day, "useridlist": ["zhangsan"]},
        )
        assert body["errcode"] == 0, body
        (row,) = body["datas"]
        return dict(row["ot_info"])

    def month(self, first: int, last: int) -> dict[str, Any]:
        body = self.post(
            "checkin/getcheckin_monthdata",
            {"starttime": first, "endtime": last, "useridlist": ["zhangsan"]},
        )
        assert body["errcode"] == 0, body
        (row,) = body["datas"]
        return dict(row["overwork_info"])

    def tiaoxiu_left(self) -> int:
        body = self.post("oa/vacation/getuservacationquota", {"userid": "zhangsan"})
        return next(int(i["leftduration"]) for i in body["lists"] if i["id"] == TIAOXIU)


@pytest.fixture
def corp(api: Any, store: Any) -> Any:
    """Load a corp whose rule has the given ot_info_v2; answer its HR app."""

    def load(ot_info_v2: dict[str, Any]) -> Hr:
        rule = make_rule(ot_info_v2=ot_info_v2)
        load_org(store, approval_org(rules=[rule], vacations=VACATIONS))
        hr = Hr(api)
        hr.login(CORPID, APPROVAL_SECRET)
        return hr

    return load


def test_punches_only_counts_the_evening_on_the_day_report_and_the_month_adds_the_days(corp):
    hr = corp(
        {
            "workdayconf": punches_only(ot_trans_enable=True, ot_trans_type=2),
            "restdayconf": day_conf(1, ot_trans_enable=True, vacation={"trans_ratio": 200}),
        }
    )
    hr.punch(FRIDAY + 8 * HOUR + 55 * 60, FRIDAY + 20 * HOUR)  # off 18:00 + 30 min → 1.5 h
    hr.punch(SATURDAY + 10 * HOUR, SATURDAY + 12 * HOUR)  # a rest day: first → last, 2 h

    friday, saturday = hr.day(FRIDAY), hr.day(SATURDAY)

    assert friday["ot_status"] == 1 and friday["ot_duration"] == 5400
    assert friday["exception_duration"] == []
    assert friday["workday_over_as_money"] == 5400 and friday["workday_over_as_vacation"] == 0
    assert saturday["ot_duration"] == 2 * HOUR
    assert saturday["restday_over_as_vacation"] == 4 * HOUR  # 1:2
    assert hr.month(FRIDAY, SATURDAY) == {
        "workday_over_sec": 5400,
        "restdays_over_sec": 2 * HOUR,
        "holidays_over_sec": 0,
        "workdays_over_as_vacation": 0,
        "workdays_over_as_money": 5400,
        "restdays_over_as_vacation": 4 * HOUR,
        "restdays_over_as_money": 0,
        "holidays_over_as_vacation": 0,
        "holidays_over_as_money": 0,
    }


def test_without_overtime_settings_the_day_report_shows_none(corp):
    hr = corp({"workdayconf": {"allow_ot": False, "type": 2}})
    hr.punch(FRIDAY + 8 * HOUR + 55 * 60, FRIDAY + 22 * HOUR)

    assert hr.day(FRIDAY)["ot_status"] == 0 and hr.day(FRIDAY)["ot_duration"] == 0


def test_approval_only_counts_the_approved_hours_whatever_the_punches(corp):
    hr = corp({"workdayconf": day_conf(2)})
    hr.punch(FRIDAY + 8 * HOUR + 55 * 60, FRIDAY + 18 * HOUR)
    hr.approve(hr.file_overtime(FRIDAY + 19 * HOUR, FRIDAY + 21 * HOUR))

    friday = hr.day(FRIDAY)

    assert (friday["ot_status"], friday["ot_duration"]) == (1, 2 * HOUR)


def test_a_filed_but_unapproved_overtime_counts_nothing(corp):
    hr = corp({"workdayconf": day_conf(2)})
    hr.file_overtime(FRIDAY + 19 * HOUR, FRIDAY + 21 * HOUR)

    assert hr.day(FRIDAY)["ot_duration"] == 0


def test_the_intersection_short_of_the_approval_is_ot_status_2_with_the_missing_time(corp):
    hr = corp({"workdayconf": day_conf(0)})
    hr.punch(FRIDAY + 8 * HOUR + 55 * 60, FRIDAY + 20 * HOUR + 15 * 60)  # left at 20:15
    hr.approve(hr.file_overtime(FRIDAY + 19 * HOUR, FRIDAY + 21 * HOUR))

    friday = hr.day(FRIDAY)

    assert friday["ot_status"] == 2
    assert friday["ot_duration"] == HOUR + 15 * 60
    assert friday["exception_duration"] == [45 * 60]


def test_approving_overtime_converted_to_tiaoxiu_credits_the_balance_and_revoking_debits(corp):
    hr = corp(
        {
            "workdayconf": day_conf(2, ot_trans_enable=True, vacation={"trans_ratio": 150}),
            "restdayconf": day_conf(2, ot_trans_enable=True, vacation={"trans_ratio": 200}),
        }
    )
    before = hr.tiaoxiu_left()
    friday = hr.file_overtime(FRIDAY + 19 * HOUR, FRIDAY + 21 * HOUR)  # 2 h × 1.5
    saturday = hr.file_overtime(SATURDAY + 10 * HOUR, SATURDAY + 11 * HOUR)  # 1 h × 2

    hr.approve(friday)
    hr.approve(saturday)

    assert hr.tiaoxiu_left() - before == 3 * HOUR + 2 * HOUR
    assert hr.day(FRIDAY)["workday_over_as_vacation"] == 3 * HOUR
    hr.revoke(friday)
    assert hr.tiaoxiu_left() - before == 2 * HOUR


@pytest.mark.parametrize(
    "workdayconf",
    [
        pytest.param(day_conf(2, ot_trans_enable=True, ot_trans_type=2), id="converted-to-pay"),
        pytest.param(
            day_conf(2, ot_trans_enable=True, vacation={"sync_vacation": False}),
            id="tiaoxiu-not-synced",
        ),
        pytest.param(punches_only(ot_trans_enable=True), id="punches-only-known-after-the-day"),
        pytest.param(day_conf(0, ot_trans_enable=True), id="intersection-known-after-the-day"),
    ],
)
def test_approving_overtime_credits_no_tiaoxiu_unless_approval_only_and_synced(corp, workdayconf):
    hr = corp({"workdayconf": workdayconf})
    before = hr.tiaoxiu_left()

    hr.approve(hr.file_overtime(FRIDAY + 19 * HOUR, FRIDAY + 21 * HOUR))

    assert hr.tiaoxiu_left() == before


def test_a_statutory_holiday_counts_under_the_holiday_conf(corp):
    national_day = at(2026, 10, 1)  # Thursday, 国庆节: a holiday, not a workday
    hr = corp(
        {
            "workdayconf": punches_only(),
            "restdayconf": day_conf(1),
            "holidayconf": day_conf(1, ot_trans_enable=True, vacation={"trans_ratio": 300}),
        }
    )
    hr.punch(national_day + 9 * HOUR, national_day + 12 * HOUR)

    holiday = hr.day(national_day)
    month = hr.month(national_day, national_day)

    assert holiday["ot_duration"] == 3 * HOUR
    assert holiday["holiday_over_as_vacation"] == 9 * HOUR
    assert holiday["restday_over_as_vacation"] == holiday["workday_over_as_vacation"] == 0
    assert (month["holidays_over_sec"], month["holidays_over_as_vacation"]) == (3 * HOUR, 9 * HOUR)
    assert month["workday_over_sec"] == month["restdays_over_sec"] == 0
