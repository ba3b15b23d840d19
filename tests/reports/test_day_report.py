"""The day report, case by case, as a WeCom client reads it: each exception kind, the summary
fields, leave of every shape, corrections and 外勤.

The corp is the default test corp (rule 1: Monday to Friday 09:00–18:00, the office fence and
Wi-Fi) with the 假勤 templates and vacations of tests.approval_factories, plus 婚假 counted in
natural days. "Now" is Monday 2026-11-23 noon; the days reported are the week before.
"""

from __future__ import annotations

from typing import Any

import pytest

from daka.services.org import load_org
from tests.api.test_approval_golden import Hr
from tests.approval_factories import (
    APPROVAL_SECRET,
    OUTING,
    TRIP,
    VACATIONS,
    approval_corp,
    attendance_form,
    attendance_template,
    leave_form,
    leave_template,
)
from tests.factories import (
    CORPID,
    at,
    make_org,
    make_record,
    make_rule,
    make_shift_rule,
    make_slot,
)

MONDAY, TUESDAY, FRIDAY = at(2026, 11, 16), at(2026, 11, 17), at(2026, 11, 20)
SATURDAY, NEXT_MONDAY = at(2026, 11, 21), at(2026, 11, 23)
HOUR, DAY = 3600, 86_400
WORKDAY = 9 * HOUR
FAR_AWAY = {"lat": 39_908_823, "lng": 116_397_470}  # Beijing, not the Shanghai office
WEDDING = {"id": 5, "name": "婚假", "time_attr": 0, "duration_type": 0, "quota_attr": {"type": 0}}


def corp(**rule: Any) -> dict[str, Any]:
    c = approval_corp(
        rules=[make_rule(sync_holidays=False, **rule)], vacations=[*VACATIONS, WEDDING]
    )
    c["approval_templates"] = [
        leave_template((1, 2, 3, 4, 5)),
        attendance_template(TRIP, "出差", 3, "halfday"),
        attendance_template(OUTING, "外出", 4, "hour"),
    ]
    c["vacation_quotas"] = [{"userid": "zhangsan", "vacation_id": 1, "leftduration": 10 * DAY}]
    return c


def hr_for(api: Any, store: Any, **rule: Any) -> Hr:
    load_org(store, make_org(corp(**rule)))
    wire = Hr(api)
    wire.login(CORPID, APPROVAL_SECRET)
    return wire


@pytest.fixture
def hr(api: Any, store: Any) -> Hr:
    return hr_for(api, store)


def punch(hr: Hr, *moments: int, **extra: Any) -> None:
    if not moments:
        return
    records = [make_record(checkin_time=t, **extra) for t in moments]
    answer = hr.post("checkin/add_checkin_record", {"records": records})
    assert answer["errcode"] == 0, answer


def approved(hr: Hr, form: dict[str, Any]) -> str:
    sp_no = hr.file(form)
    answer = hr.api("approve", {"sp_no": sp_no, "userid": "wangwu"})
    assert answer["errcode"] == 0, answer
    return sp_no


def day_report(hr: Hr, day: int, userid: str = "zhangsan") -> dict[str, Any]:
    answer = hr.post(
        "checkin/getcheckin_daydata", {"starttime": day, "endtime": day, "useridlist": [userid]}
    )
    assert answer["errcode"] == 0 and len(answer["datas"]) == 1, answer
    return dict(answer["datas"][0])


def exceptions(report: dict[str, Any]) -> dict[int, tuple[int, int]]:
    return {e["exception"]: (e["count"], e["duration"]) for e in report["exception_infos"]}


def items(report: dict[str, Any]) -> dict[tuple[int, int], tuple[int, int, int]]:
    return {
        (i["type"], i["vacation_id"]): (i["count"], i["duration"], i["time_type"])
        for i in report["sp_items"]
        if i["type"] != 100
    }


def h(day: int, hour: int, minute: int = 0, second: int = 0) -> int:
    return day + hour * HOUR + minute * 60 + second


# -- exceptions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moments", "expected"),
    [
        pytest.param([(8, 55), (18, 5)], {}, id="on-time"),
        pytest.param([(9, 0, 59), (18, 0)], {}, id="within-the-minute-is-on-time"),
        pytest.param([(9, 15, 59), (18, 0)], {1: (1, 900)}, id="late-by-whole-minutes"),
        pytest.param([(9, 0), (17, 30, 30)], {2: (1, 1800)}, id="early-by-whole-minutes"),
        pytest.param([(9, 20), (17, 50)], {1: (1, 1200), 2: (1, 600)}, id="late-and-early"),
        pytest.param([(8, 50)], {3: (1, 0)}, id="one-point-missing"),
        pytest.param([], {4: (1, WORKDAY)}, id="no-punch-at-all-is-absence"),
    ],
)
def test_each_time_exception_is_counted_with_its_minutes(
    hr: Hr, moments: list[tuple[int, ...]], expected: dict[int, tuple[int, int]]
) -> None:
    punch(hr, *(h(MONDAY, *m) for m in moments))

    assert exceptions(day_report(hr, MONDAY)) == expected


def test_the_summary_gives_first_and_last_punch_as_day_seconds_and_worked_time(hr: Hr) -> None:
    punch(hr, h(MONDAY, 8, 55, 10), h(MONDAY, 12, 0), h(MONDAY, 18, 5, 40))

    assert day_report(hr, MONDAY)["summary_info"] == {
        "checkin_count": 3,
        "regular_work_sec": (18 * HOUR + 5 * 60 + 40) - (8 * HOUR + 55 * 60 + 10),
        "standard_work_sec": WORKDAY,
        "earliest_time": 8 * HOUR + 55 * 60 + 10,
        "lastest_time": 18 * HOUR + 5 * 60 + 40,
    }


def test_a_rest_inside_the_slot_is_neither_standard_nor_worked_time(api: Any, store: Any) -> None:
    rested = make_slot(allow_rest=True, rest_begin_time=12 * HOUR, rest_end_time=13 * HOUR)
    hr = hr_for(api, store, slots=[rested])
    punch(hr, h(MONDAY, 9, 0), h(MONDAY, 18, 0))

    summary = day_report(hr, MONDAY)["summary_info"]

    assert (summary["standard_work_sec"], summary["regular_work_sec"]) == (8 * HOUR, 8 * HOUR)


def test_flex_time_forgives_lateness_within_it_and_counts_it_from_the_start_beyond(
    api: Any, store: Any
) -> None:
    hr = hr_for(api, store, checkindate_extra={"flex_on_duty_time": 600})
    punch(hr, h(MONDAY, 9, 8), h(MONDAY, 18, 0), h(TUESDAY, 9, 15), h(TUESDAY, 18, 0))

    assert exceptions(day_report(hr, MONDAY)) == {}
    assert exceptions(day_report(hr, TUESDAY)) == {1: (1, 900)}


def test_punches_outside_the_fence_or_on_an_unknown_wifi_are_location_exceptions(hr: Hr) -> None:
    punch(hr, h(MONDAY, 9, 0), **FAR_AWAY)
    punch(hr, h(MONDAY, 18, 0), wifimac="aa:bb:cc:dd:ee:ff", wifiname="Cafe")

    assert exceptions(day_report(hr, MONDAY)) == {5: (2, 0)}


def test_a_punch_from_a_phone_never_seen_before_is_a_device_exception(hr: Hr) -> None:
    usual = [at(2026, 11, d, 8, 55) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13)]
    punch(hr, *usual, device_type=3, device_detail="iPhone 15")
    punch(hr, h(MONDAY, 8, 55), device_type=3, device_detail="Pixel 9")
    punch(hr, h(MONDAY, 18, 0), device_type=3, device_detail="iPhone 15")

    assert exceptions(day_report(hr, MONDAY)) == {6: (1, 0)}


def test_a_rest_day_is_day_type_1_with_no_standard_time_and_no_exceptions(hr: Hr) -> None:
    report = day_report(hr, SATURDAY)

    assert report["base_info"]["day_type"] == 1
    assert report["summary_info"]["standard_work_sec"] == 0
    assert report["exception_infos"] == []


def test_base_info_names_the_person_their_departments_and_the_rule(hr: Hr) -> None:
    base = day_report(hr, MONDAY)["base_info"]

    assert base == {
        "date": MONDAY,
        "record_type": 1,
        "name": "张三",
        "name_ex": "",
        "departs_name": "Test Co/R&D",
        "acctid": "zhangsan",
        "rule_info": {
            "groupid": 1,
            "groupname": "rule 1",
            "scheduleid": 0,
            "schedulename": "",
            "checkintime": [{"work_sec": 9 * HOUR, "off_work_sec": 18 * HOUR}],
        },
        "day_type": 0,
    }


def test_today_and_later_days_have_no_report(hr: Hr) -> None:
    answer = hr.post(
        "checkin/getcheckin_daydata",
        {"starttime": FRIDAY, "endtime": NEXT_MONDAY + DAY, "useridlist": ["zhangsan"]},
    )

    assert [d["base_info"]["date"] for d in answer["datas"]] == [FRIDAY, SATURDAY, SATURDAY + DAY]


# -- leave, trips, outings ------------------------------------------------------------------


def test_a_whole_day_of_leave_makes_the_day_normal_without_punches(hr: Hr) -> None:
    sp_no = approved(hr, leave_form(1, MONDAY, MONDAY, grain="day"))
    report = day_report(hr, MONDAY)

    assert exceptions(report) == {}
    assert items(report) == {(1, 1): (1, DAY, 0)}
    assert [
        (n["sp_number"], n["sp_title"]["data"][0]["text"]) for n in report["holiday_infos"]
    ] == [(sp_no, "请假1.0天")]
    assert report["holiday_infos"][0]["sp_description"]["data"][0]["text"] == "11/16~11/16"


def test_lateness_after_a_morning_of_leave_counts_from_noon(hr: Hr) -> None:
    approved(hr, leave_form(1, MONDAY, MONDAY))  # 上午: 00:00–12:00
    punch(hr, h(MONDAY, 13, 5), h(MONDAY, 18, 0))
    report = day_report(hr, MONDAY)

    assert exceptions(report) == {1: (1, 65 * 60)}
    assert items(report) == {(1, 1): (1, DAY // 2, 0)}
    assert (
        report["holiday_infos"][0]["sp_description"]["data"][0]["text"] == "11/16 上午~11/16 上午"
    )


def test_hours_of_leave_over_the_off_duty_point_let_the_person_leave_when_it_starts(hr: Hr) -> None:
    approved(hr, leave_form(2, h(MONDAY, 14), h(MONDAY, 18), grain="hour"))  # 事假, by the hour
    punch(hr, h(MONDAY, 8, 58), h(MONDAY, 14, 0))
    report = day_report(hr, MONDAY)

    assert exceptions(report) == {}
    assert items(report) == {(1, 2): (1, 4 * HOUR, 1)}
    assert report["holiday_infos"][0]["sp_title"]["data"][0]["text"] == "请假4.0小时"


def test_leave_that_misses_both_points_still_needs_both_punches(hr: Hr) -> None:
    approved(hr, leave_form(2, h(MONDAY, 10), h(MONDAY, 11), grain="hour"))

    assert exceptions(day_report(hr, MONDAY)) == {4: (1, WORKDAY - HOUR)}


def test_an_outing_across_midnight_is_split_over_both_days_and_excuses_the_morning(
    hr: Hr,
) -> None:
    approved(hr, attendance_form(OUTING, 4, h(MONDAY, 20), h(TUESDAY, 10), grain="hour"))
    punch(hr, h(MONDAY, 9, 0), h(MONDAY, 18, 0), h(TUESDAY, 10, 0), h(TUESDAY, 18, 0))

    monday, tuesday = day_report(hr, MONDAY), day_report(hr, TUESDAY)

    assert items(monday) == {(4, 0): (1, 4 * HOUR, 1)}
    assert items(tuesday) == {(4, 0): (1, 10 * HOUR, 1)}
    assert exceptions(tuesday) == {}
    assert [len(r["holiday_infos"]) for r in (monday, tuesday)] == [1, 1]


@pytest.mark.parametrize(
    ("vacation_id", "days_counted"),
    [
        pytest.param(1, [FRIDAY, NEXT_MONDAY], id="working-days-skip-the-weekend"),
        pytest.param(5, [FRIDAY, SATURDAY, SATURDAY + DAY, NEXT_MONDAY], id="natural-days"),
    ],
)
def test_leave_across_a_weekend_counts_working_or_natural_days_as_its_vacation_says(
    hr: Hr, clock: Any, vacation_id: int, days_counted: list[int]
) -> None:
    approved(hr, leave_form(vacation_id, FRIDAY, NEXT_MONDAY, grain="day"))
    clock.now = NEXT_MONDAY + 2 * DAY  # Monday is over
    hr.login(CORPID, APPROVAL_SECRET)
    answer = hr.post(
        "checkin/getcheckin_daydata",
        {"starttime": FRIDAY, "endtime": NEXT_MONDAY, "useridlist": ["zhangsan"]},
    )

    counted = [
        d["base_info"]["date"]
        for d in answer["datas"]
        if items(d).get((1, vacation_id), (0, 0, 0))[1] == DAY
    ]
    assert counted == days_counted
    assert all(len(d["holiday_infos"]) == 1 for d in answer["datas"])
    assert all(exceptions(d) == {} for d in answer["datas"])


def test_a_pending_or_revoked_form_has_no_effect(hr: Hr) -> None:
    hr.file(leave_form(1, MONDAY, MONDAY, grain="day"))
    revoked = approved(hr, leave_form(1, TUESDAY, TUESDAY, grain="day"))
    assert hr.api("revoke", {"sp_no": revoked, "userid": "zhangsan"})["errcode"] == 0

    for day in (MONDAY, TUESDAY):
        report = day_report(hr, day)
        assert exceptions(report) == {4: (1, WORKDAY)}
        assert (report["holiday_infos"], items(report)) == ([], {})


# -- corrections and 外勤 ---------------------------------------------------------------------


def test_a_correction_removes_the_missing_point_and_counts_as_buka(api: Any, store: Any) -> None:
    hr = hr_for(api, store, allow_apply_offworkday=True)
    punch(hr, h(FRIDAY, 8, 57))
    corrected = hr.post(
        "checkin/punch_correction",
        {
            "userid": "zhangsan",
            "schedule_date_time": FRIDAY,
            "schedule_checkin_time": 18 * HOUR,
            "checkin_time": h(FRIDAY, 18, 0),
            "remark": "忘记打卡",
        },
    )
    assert corrected["errcode"] == 0, corrected

    report = day_report(hr, FRIDAY)

    assert exceptions(report) == {}
    assert items(report) == {(2, 0): (1, 0, 0)}


def test_out_of_range_punches_accepted_as_outside_work_count_as_waiqin(
    api: Any, store: Any
) -> None:
    hr = hr_for(api, store, option_out_range=1)
    punch(hr, h(MONDAY, 9, 0), h(MONDAY, 18, 0))
    punch(hr, h(MONDAY, 14, 0), **FAR_AWAY)

    report = day_report(hr, MONDAY)
    outside = next(i for i in report["sp_items"] if i["type"] == 100)

    assert (outside["count"], outside["name"]) == (1, "外勤次数")
    assert exceptions(report) == {}


# -- other rules ----------------------------------------------------------------------------


def test_a_night_shift_reports_its_shift_and_the_morning_punch_past_86400(
    api: Any, store: Any, clock: Any
) -> None:
    load_org(store, make_org(approval_corp(rules=[make_shift_rule(5, parties=["1"])])))
    hr = Hr(api)
    clock.now = at(2026, 11, 10, 12)  # schedules are set for days to come
    hr.login(CORPID, APPROVAL_SECRET)
    answer = hr.post(
        "checkin/setcheckinschedulist",
        {
            "groupid": 5,
            "yearmonth": 202611,
            "items": [{"userid": "zhangsan", "day": 16, "schedule_id": 2}],
        },
    )
    assert answer["errcode"] == 0, answer
    clock.now = at(2026, 11, 23, 12)
    hr.login(CORPID, APPROVAL_SECRET)
    punch(hr, h(MONDAY, 21, 55), h(TUESDAY, 6, 10))

    report = day_report(hr, MONDAY)
    rule, summary = report["base_info"]["rule_info"], report["summary_info"]

    assert report["base_info"]["record_type"] == 3
    assert (rule["scheduleid"], rule["schedulename"], rule["checkintime"]) == (2, "夜班", [])
    assert (summary["earliest_time"], summary["lastest_time"]) == (78_900, 108_600)
    assert summary["standard_work_sec"] == 8 * HOUR
    assert exceptions(report) == {}


def test_a_free_rule_reports_absence_and_a_short_day(api: Any, store: Any) -> None:
    hr = hr_for(api, store, grouptype=3, slots=[], standard_work_duration=8 * HOUR)
    punch(hr, h(TUESDAY, 10, 0), h(TUESDAY, 16, 30))

    monday, tuesday = day_report(hr, MONDAY), day_report(hr, TUESDAY)

    assert monday["base_info"]["record_type"] == 4
    assert exceptions(monday) == {4: (1, 8 * HOUR)}
    assert exceptions(tuesday) == {2: (1, 90 * 60)}
    assert tuesday["summary_info"]["standard_work_sec"] == 8 * HOUR


def test_arriving_past_the_late_allowance_of_wandao_wanzou_counts_only_the_excess(
    api: Any, store: Any
) -> None:
    hr = hr_for(api, store, checkindate_extra={"allow_flex": True, "max_allow_arrive_late": 1800})
    punch(hr, h(MONDAY, 9, 25), h(MONDAY, 18, 25), h(TUESDAY, 9, 40), h(TUESDAY, 18, 30))

    assert exceptions(day_report(hr, MONDAY)) == {}
    assert exceptions(day_report(hr, TUESDAY)) == {1: (1, 600)}


def test_a_person_without_a_rule_gets_record_type_7_rows(api: Any, store: Any) -> None:
    hr = hr_for(api, store, users=["lisi"])
    punch(hr, h(MONDAY, 9, 0), h(MONDAY, 18, 0))

    report = day_report(hr, MONDAY)

    assert report["base_info"]["record_type"] == 7
    assert report["base_info"]["day_type"] == 1
    assert report["base_info"]["rule_info"]["groupid"] == 0
    assert report["summary_info"]["checkin_count"] == 2
    assert report["exception_infos"] == []
