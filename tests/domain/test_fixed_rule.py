"""Classification of punches under a fixed-time rule (grouptype 1)."""

from __future__ import annotations

from datetime import date

from daka.wire.rules import normalize_group, to_rule
from tests.domain.helpers import evaluate, punch, rows_of, rule_of, summary
from tests.factories import OFFICE, OFFICE_MAC, at, make_rule, make_slot

MONDAY = date(2026, 11, 16)
AFTER = at(2026, 11, 17, 12, 0)  # every window of Monday has closed


def test_on_time_punches_are_normal_on_and_off_duty_rows():
    rows = rows_of([punch(at(2026, 11, 16, 8, 55)), punch(at(2026, 11, 16, 18, 2))], MONDAY, AFTER)

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 16, 8, 55)),
        ("下班打卡", "", at(2026, 11, 16, 18, 2)),
    ]
    assert [r.scheduled_time for r in rows] == [at(2026, 11, 16, 9), at(2026, 11, 16, 18)]
    assert {r.timeline_id for r in rows} == {1}


def test_a_punch_within_the_scheduled_minute_is_not_late():
    rows = rows_of([punch(at(2026, 11, 16, 9, 0, 59))], MONDAY, AFTER)

    assert summary(rows)[0] == ("上班打卡", "", at(2026, 11, 16, 9, 0, 59))


def test_arriving_after_the_minute_is_a_time_exception():
    rows = rows_of([punch(at(2026, 11, 16, 9, 1)), punch(at(2026, 11, 16, 18))], MONDAY, AFTER)

    assert summary(rows)[0][1] == "时间异常"


def test_lateness_within_flex_is_normal_and_beyond_it_is_not():
    rule = rule_of(checkindate_extra={"allow_flex": True, "flex_on_duty_time": 600})

    within = rows_of([punch(at(2026, 11, 16, 9, 10))], MONDAY, AFTER, rule)
    beyond = rows_of([punch(at(2026, 11, 16, 9, 11))], MONDAY, AFTER, rule)

    assert summary(within)[0][1] == ""
    assert summary(beyond)[0][1] == "时间异常"


def test_legacy_flex_time_in_milliseconds_applies_when_flex_fields_are_minus_one():
    rule = rule_of(
        checkindate_extra={"flex_time": 300_000, "flex_on_duty_time": -1, "flex_off_duty_time": -1}
    )

    rows = rows_of(
        [punch(at(2026, 11, 16, 9, 5)), punch(at(2026, 11, 16, 17, 55))], MONDAY, AFTER, rule
    )

    assert [r[1] for r in summary(rows)] == ["", ""]


def test_explicitly_disabled_flex_ignores_flex_values():
    rule = rule_of(checkindate_extra={"allow_flex": False, "flex_on_duty_time": 600})

    rows = rows_of([punch(at(2026, 11, 16, 9, 5))], MONDAY, AFTER, rule)

    assert summary(rows)[0][1] == "时间异常"


def test_leaving_early_is_a_time_exception():
    rows = rows_of([punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 16, 17, 59, 30))], MONDAY, AFTER)

    assert summary(rows)[1] == ("下班打卡", "时间异常", at(2026, 11, 16, 17, 59, 30))


def test_the_first_on_duty_punch_and_the_last_off_duty_punch_are_taken():
    punches = [
        punch(at(2026, 11, 16, h, m)) for h, m in [(8, 40), (8, 50), (12, 0), (18, 5), (19, 30)]
    ]

    rows = rows_of(punches, MONDAY, AFTER)

    assert [r.time for r in rows] == [at(2026, 11, 16, 8, 40), at(2026, 11, 16, 19, 30)]
    result = evaluate(punches, MONDAY, AFTER)[0]
    assert [p.time for p in result.passed_over] == [
        at(2026, 11, 16, 8, 50),
        at(2026, 11, 16, 12),
        at(2026, 11, 16, 18, 5),
    ]


def test_a_later_off_duty_punch_replaces_an_earlier_one():
    first = rows_of([punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 16, 17))], MONDAY, AFTER)
    later = rows_of(
        [punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 16, 17)), punch(at(2026, 11, 16, 18, 30))],
        MONDAY,
        AFTER,
    )

    assert summary(first)[1] == ("下班打卡", "时间异常", at(2026, 11, 16, 17))
    assert summary(later)[1] == ("下班打卡", "", at(2026, 11, 16, 18, 30))


def test_a_single_morning_punch_leaves_the_off_duty_point_missing_once_its_window_closed():
    rows = rows_of([punch(at(2026, 11, 16, 8, 58))], MONDAY, AFTER)

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 16, 8, 58)),
        ("下班打卡", "未打卡", at(2026, 11, 16, 18)),
    ]
    assert rows[1].punch is None


def test_no_missing_row_is_made_while_the_window_is_still_open():
    evening = at(2026, 11, 16, 20, 0)  # off-duty punching is open until 06:00 tomorrow

    rows = rows_of([punch(at(2026, 11, 16, 8, 58))], MONDAY, evening)

    assert summary(rows) == [("上班打卡", "", at(2026, 11, 16, 8, 58))]


def test_a_day_without_punches_yields_two_missing_rows_at_the_scheduled_times():
    rows = rows_of([], MONDAY, AFTER)

    assert summary(rows) == [
        ("上班打卡", "未打卡", at(2026, 11, 16, 9)),
        ("下班打卡", "未打卡", at(2026, 11, 16, 18)),
    ]


def test_before_the_on_duty_window_closes_nothing_is_missing():
    morning = at(2026, 11, 16, 10, 0)

    assert rows_of([], MONDAY, morning) == []


def test_rest_days_yield_no_rows_even_with_punches():
    saturday = date(2026, 11, 21)

    rows = rows_of(
        [punch(at(2026, 11, 21, 9)), punch(at(2026, 11, 21, 18))], saturday, at(2026, 11, 23, 12)
    )

    assert rows == []


def test_an_off_duty_punch_after_midnight_belongs_to_the_previous_workday():
    punches = [punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 17, 1, 30))]

    monday, tuesday = evaluate(punches, MONDAY, at(2026, 11, 18, 12), days_after=1)

    assert summary(list(monday.rows))[1] == ("下班打卡", "", at(2026, 11, 17, 1, 30))
    assert all(r.time != at(2026, 11, 17, 1, 30) for r in tuesday.rows)


def test_a_punch_after_the_next_window_opens_is_the_next_days_on_duty_punch():
    punches = [punch(at(2026, 11, 16, 9)), punch(at(2026, 11, 17, 6, 30))]

    monday, tuesday = evaluate(punches, MONDAY, at(2026, 11, 18, 12), days_after=1)

    assert summary(list(monday.rows))[1][1] == "未打卡"
    assert summary(list(tuesday.rows))[0] == ("上班打卡", "", at(2026, 11, 17, 6, 30))


def test_two_slots_a_day_are_matched_separately_with_their_timeline_ids():
    rule = rule_of(slots=[make_slot("09:00", "12:00", 1), make_slot("13:30", "18:00", 2)])
    punches = [punch(at(2026, 11, 16, h, m)) for h, m in [(8, 55), (12, 5), (13, 25), (18, 1)]]

    rows = rows_of(punches, MONDAY, AFTER, rule)

    assert [(r.checkin_type.value, r.timeline_id, r.anomalies) for r in rows] == [
        ("上班打卡", 1, ()),
        ("下班打卡", 1, ()),
        ("上班打卡", 2, ()),
        ("下班打卡", 2, ()),
    ]
    assert [r.scheduled_time for r in rows] == [
        at(2026, 11, 16, *t) for t in [(9, 0), (12, 0), (13, 30), (18, 0)]
    ]


def test_explicit_earliest_and_latest_windows_are_honoured():
    slot = make_slot(
        earliest_work_sec=8 * 3600,
        latest_work_sec=10 * 3600,
        earliest_off_work_sec=17 * 3600,
        latest_off_work_sec=20 * 3600,
    )
    rule = rule_of(slots=[slot])
    punches = [
        punch(at(2026, 11, 16, 7, 50)),
        punch(at(2026, 11, 16, 10, 30)),
        punch(at(2026, 11, 16, 20, 30)),
    ]

    rows = rows_of(punches, MONDAY, AFTER, rule)

    # 07:50 is before the window, 10:30 after it; 20:30 is after the off-duty window.
    assert summary(rows) == [
        ("上班打卡", "未打卡", at(2026, 11, 16, 9)),
        ("下班打卡", "未打卡", at(2026, 11, 16, 18)),
    ]


def test_limit_aheadtime_opens_the_on_duty_window():
    rule = rule_of(checkindate_extra={"limit_aheadtime": 3_600_000})  # one hour

    early = rows_of([punch(at(2026, 11, 16, 7, 55))], MONDAY, AFTER, rule)
    inside = rows_of([punch(at(2026, 11, 16, 8, 5))], MONDAY, AFTER, rule)

    assert summary(early)[0][1] == "未打卡"
    assert summary(inside)[0] == ("上班打卡", "", at(2026, 11, 16, 8, 5))


def test_noneed_offwork_yields_no_off_duty_row():
    rule = rule_of(checkindate_extra={"noneed_offwork": True})

    rows = rows_of([punch(at(2026, 11, 16, 8, 59))], MONDAY, AFTER, rule)

    assert summary(rows) == [("上班打卡", "", at(2026, 11, 16, 8, 59))]


def test_a_punch_outside_every_fence_without_wifi_is_a_location_exception():
    far = punch(at(2026, 11, 16, 8, 55), lat=OFFICE[0] + 10_000, lng=OFFICE[1])  # ~1.1 km north

    rows = rows_of([far], MONDAY, AFTER)

    assert summary(rows)[0][1] == "地点异常"


def test_a_punch_inside_the_fence_is_normal():
    near = punch(at(2026, 11, 16, 8, 55), lat=OFFICE[0] + 2_000, lng=OFFICE[1])  # ~220 m

    assert summary(rows_of([near], MONDAY, AFTER))[0][1] == ""


def test_a_known_wifi_clears_a_location_outside_the_fence():
    far_on_wifi = punch(
        at(2026, 11, 16, 8, 55),
        lat=OFFICE[0] + 10_000,
        lng=OFFICE[1],
        wifiname="Office-WiFi",
        wifimac=OFFICE_MAC.upper(),
    )

    assert summary(rows_of([far_on_wifi], MONDAY, AFTER))[0][1] == ""


def test_an_unknown_wifi_without_coordinates_is_a_wifi_exception():
    unknown = punch(at(2026, 11, 16, 8, 55), wifiname="Cafe", wifimac="aa:bb:cc:dd:ee:ff")

    assert summary(rows_of([unknown], MONDAY, AFTER))[0][1] == "wifi异常"


def test_a_punch_without_coordinates_or_wifi_has_no_location_exception():
    gate = punch(at(2026, 11, 16, 8, 55), location_title="Lobby gate")

    assert summary(rows_of([gate], MONDAY, AFTER))[0][1] == ""


def test_several_exceptions_are_all_reported():
    late_and_far = punch(at(2026, 11, 16, 9, 30), lat=OFFICE[0] + 10_000, lng=OFFICE[1])

    rows = rows_of([late_and_far], MONDAY, AFTER)

    assert summary(rows)[0][1] == "时间异常;地点异常"


def test_a_rule_without_places_checks_no_location():
    rule = to_rule(normalize_group(make_rule(loc_infos=[], wifimac_infos=[])))
    far = punch(at(2026, 11, 16, 8, 55), lat=0, lng=0)

    assert summary(rows_of([far], MONDAY, AFTER, rule))[0][1] == ""


def test_outside_punches_become_outside_work_when_the_rule_says_so():
    rule = rule_of(option_out_range=1)
    far = punch(at(2026, 11, 16, 10), lat=OFFICE[0] + 10_000, lng=OFFICE[1])

    rows = rows_of(
        [punch(at(2026, 11, 16, 8, 55)), far, punch(at(2026, 11, 16, 18))], MONDAY, AFTER, rule
    )

    assert summary(rows) == [
        ("上班打卡", "", at(2026, 11, 16, 8, 55)),
        ("外出打卡", "", at(2026, 11, 16, 10)),
        ("下班打卡", "", at(2026, 11, 16, 18)),
    ]
