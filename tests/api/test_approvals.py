"""审批 on the wire: filing 假勤 forms with oa/applyevent, reading them back, acting on them,
and their effect on the days they cover."""

from __future__ import annotations

import pytest

from daka.domain.approvals import Action
from daka.domain.errors import VacationParamError
from daka.services.approvals import Decision, act
from daka.services.org import load_org
from tests.approval_factories import (
    APPROVAL_SECRET,
    OUTING,
    OVERTIME,
    TRIP,
    VACATIONS,
    approval_org,
    attendance_form,
    leave_form,
)
from tests.conftest import Wire
from tests.factories import CORPID, at, make_record

FRIDAY = at(2026, 11, 20)
THURSDAY = at(2026, 11, 19)


@pytest.fixture
def hr(api, store):
    load_org(store, approval_org())
    wire = Wire(api)
    wire.login(CORPID, APPROVAL_SECRET)
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


def file(wire, form):
    answer = wire.post("oa/applyevent", form)
    assert answer["errcode"] == 0, answer
    return answer["sp_no"]


def decide(service, sp_no, action, userid=None):
    view = service.view(1)
    return act(service.store, view, Decision(sp_no, action, userid), service.now())


def test_a_business_trip_is_filed_with_a_wecom_sp_no_and_reads_back_with_its_slices(hr):
    sp_no = file(hr, attendance_form(TRIP, 3, THURSDAY, FRIDAY + 43_200))

    detail = hr.post("oa/getapprovaldetail", {"sp_no": sp_no})["info"]

    assert len(sp_no) == 12 and sp_no.startswith("20261123")
    assert detail["sp_status"] == 1
    assert detail["applyer"] == {"userid": "zhangsan", "partyid": "2"}
    attendance = detail["apply_data"]["contents"][0]["value"]["attendance"]
    assert attendance["slice_info"] == {
        "day_items": [
            {"daytime": THURSDAY, "duration": 86_400},
            {"daytime": FRIDAY, "duration": 86_400},
        ],
        "duration": 172_800,
        "state": 1,
    }
    assert attendance["date_range"]["new_duration"] == 172_800
    assert detail["sp_record"][0]["details"][0]["approver"] == {"userid": "wangwu"}


def test_an_approved_trip_excuses_the_days_it_covers_and_revoking_restores_them(hr, service):
    assert [r["exception_type"] for r in friday_rows(hr)] == ["未打卡", "未打卡"]
    sp_no = file(hr, attendance_form(TRIP, 3, FRIDAY, FRIDAY + 43_200))
    assert [r["exception_type"] for r in friday_rows(hr)] == ["未打卡", "未打卡"]

    decide(service, sp_no, Action.APPROVE)
    assert friday_rows(hr) == []

    decide(service, sp_no, Action.REVOKE)
    assert [r["exception_type"] for r in friday_rows(hr)] == ["未打卡", "未打卡"]
    assert hr.post("oa/getapprovaldetail", {"sp_no": sp_no})["info"]["sp_status"] == 6


def test_a_morning_outing_moves_the_on_duty_point_to_its_end(hr, service):
    punch = make_record(checkin_time=FRIDAY + 11 * 3600 + 5 * 60)
    assert hr.post("checkin/add_checkin_record", {"records": [punch]})["errcode"] == 0
    form = attendance_form(OUTING, 4, FRIDAY + 9 * 3600, FRIDAY + 11 * 3600, grain="hour")
    decide(service, file(hr, form), Action.APPROVE)

    rows = friday_rows(hr)

    assert [(r["checkin_type"], r["exception_type"]) for r in rows] == [
        ("上班打卡", "时间异常"),
        ("下班打卡", "未打卡"),
    ]


def test_overlapping_forms_of_one_person_are_refused_with_301079(hr):
    file(hr, attendance_form(TRIP, 3, FRIDAY, FRIDAY + 43_200))

    refused = hr.post(
        "oa/applyevent",
        attendance_form(OVERTIME, 5, FRIDAY + 19 * 3600, FRIDAY + 21 * 3600, grain="hour"),
    )

    assert refused["errcode"] == 301079
    assert "sp_no" not in refused


def test_getapprovalinfo_pages_with_new_cursor_until_the_field_is_gone(hr, service):
    numbers = [
        file(hr, attendance_form(TRIP, 3, at(2026, 11, d), at(2026, 11, d), creator="lisi"))
        for d in (2, 3, 4, 5, 6)
    ]
    seen, cursor, pages = [], "", 0
    while True:
        page = hr.post(
            "oa/getapprovalinfo",
            {
                "starttime": str(service.now() - 60),
                "endtime": str(service.now() + 60),
                "new_cursor": cursor,
                "size": 2,
            },
        )
        pages += 1
        seen += page["sp_no_list"]
        if "new_next_cursor" not in page:
            break
        cursor = page["new_next_cursor"]

    assert seen == numbers
    assert pages == 3


def test_an_app_without_approval_access_gets_48002(wire):
    refused = wire.post("oa/getapprovalinfo", {"starttime": "1", "endtime": "2"})

    assert refused["errcode"] == 48002
    assert refused["sp_no_list"] == []


@pytest.fixture
def hr_with_vacations(api, store):
    load_org(
        store,
        approval_org(
            vacations=VACATIONS,
            vacation_quotas=[{"userid": "zhangsan", "vacation_id": 1, "leftduration": 172_800}],
        ),
    )
    wire = Wire(api)
    wire.login(CORPID, APPROVAL_SECRET)
    return wire


def annual_left(wire):
    quotas = wire.post("oa/vacation/getuservacationquota", {"userid": "zhangsan"})["lists"]
    return next(q["leftduration"] for q in quotas if q["id"] == 1)


def test_approving_a_leave_charges_its_slices_and_revoking_gives_them_back(
    hr_with_vacations, service
):
    hr = hr_with_vacations
    # Thursday morning to Friday afternoon: two working days of 年假.
    sp_no = file(hr, leave_form(1, THURSDAY, FRIDAY + 43_200))
    assert annual_left(hr) == 172_800

    decide(service, sp_no, Action.APPROVE)
    assert annual_left(hr) == 0
    assert friday_rows(hr) == []

    decide(service, sp_no, Action.REVOKE)
    assert annual_left(hr) == 172_800
    assert [r["exception_type"] for r in friday_rows(hr)] == ["未打卡", "未打卡"]


def test_a_leave_larger_than_the_balance_is_refused_when_filed_and_when_approved(
    hr_with_vacations, service
):
    hr = hr_with_vacations
    too_long = hr.post("oa/applyevent", leave_form(1, at(2026, 11, 16), FRIDAY + 43_200))
    assert too_long["errcode"] == 301025
    assert "balance is not enough" in too_long["errmsg"]

    sp_no = file(hr, leave_form(1, FRIDAY, FRIDAY + 43_200))
    drained = {"userid": "zhangsan", "vacation_id": 1, "leftduration": 43_200, "time_attr": 0}
    assert hr.post("oa/vacation/setoneuserquota", drained)["errcode"] == 0

    with pytest.raises(VacationParamError):
        decide(service, sp_no, Action.APPROVE)
    assert hr.post("oa/getapprovaldetail", {"sp_no": sp_no})["info"]["sp_status"] == 1
    assert annual_left(hr) == 43_200
