"""The console's memo of day reports: the same answers as evaluating, never stale."""

from __future__ import annotations

from datetime import date

from daka.domain.calendar import date_range
from daka.services.report_memo import ReportMemo
from daka.services.reports import day_reports
from daka.services.service import Service
from tests.conftest import Wire
from tests.factories import CORPID, at, make_record

DAYS = date_range(date(2026, 11, 16), date(2026, 11, 20))
PEOPLE = ["zhangsan", "lisi", "wangwu"]


def view_of(service: Service):
    with service.store.read() as conn:
        corp = service.store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    return service.view(corp.id)


def evaluated(service: Service) -> dict:
    view = view_of(service)
    with service.store.read() as conn:
        return day_reports(conn, service.store, view, PEOPLE, DAYS, service.now())


def test_a_memoised_report_equals_a_fresh_one_and_a_second_ask_evaluates_nothing(
    service: Service, wire: Wire
) -> None:
    wire.post(
        "checkin/add_checkin_record", {"records": [make_record("lisi", at(2026, 11, 16, 9, 20))]}
    )
    memo = ReportMemo()
    first = memo.day_reports(service.store, view_of(service), PEOPLE, DAYS, service.now())
    assert first == evaluated(service)
    second = memo.day_reports(service.store, view_of(service), PEOPLE, DAYS, service.now())
    assert second == first and memo.hits == 3 and memo.misses == 3


def test_a_new_punch_is_in_the_next_answer(service: Service, wire: Wire) -> None:
    memo = ReportMemo()
    before = memo.day_reports(service.store, view_of(service), PEOPLE, DAYS, service.now())
    assert before["lisi"][0].summary.checkin_count == 0
    wire.post(
        "checkin/add_checkin_record", {"records": [make_record("lisi", at(2026, 11, 16, 8, 58))]}
    )
    after = memo.day_reports(service.store, view_of(service), PEOPLE, DAYS, service.now())
    assert after["lisi"][0].summary.checkin_count == 1
    assert after == evaluated(service)
    assert after["zhangsan"] == before["zhangsan"]  # untouched people come from the memo


def test_the_memo_forgets_the_oldest_people_beyond_its_size(service: Service, wire: Wire) -> None:
    memo = ReportMemo(max_person_days=len(DAYS) * 2)
    memo.day_reports(service.store, view_of(service), PEOPLE, DAYS, service.now())
    memo.day_reports(service.store, view_of(service), ["zhangsan"], DAYS, service.now())
    assert memo.misses == 4  # zhangsan was the oldest and had been dropped


def test_a_day_is_final_once_its_last_window_closes(service: Service, wire: Wire) -> None:
    from daka.services.report_memo import final_at

    view = view_of(service)
    friday = date(2026, 11, 20)
    closes = final_at(service.store, view, PEOPLE, friday)
    # 09:00–18:00: the 下班 window runs into the night; Saturday is a rest day, so it stays
    # open until the end of its clip, and never before the day is over.
    assert closes >= at(2026, 11, 21)
    memo = ReportMemo()
    before = memo._bucket(service.store, view, PEOPLE, friday, closes - 1)
    after = memo._bucket(service.store, view, PEOPLE, friday, closes)
    assert before != 0 and after == 0
    assert memo._bucket(service.store, view, PEOPLE, friday, at(2026, 11, 24)) == 0


def test_the_warmer_fills_the_memo_in_the_background(service: Service, wire: Wire) -> None:
    memo = ReportMemo()
    view = view_of(service)
    assert memo.warm(service.store, view, PEOPLE, DAYS, service.now())
    assert not memo.warm(service.store, view, PEOPLE, DAYS, service.now())  # once per key
    memo.wait(30)
    memo.hits = memo.misses = 0
    assert memo.day_reports(service.store, view, PEOPLE, DAYS, service.now()) == evaluated(service)
    assert (memo.hits, memo.misses) == (3, 0)
