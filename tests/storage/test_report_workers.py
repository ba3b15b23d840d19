"""Report calls spread over worker processes answer exactly what one process answers, on each
backend; a worker on another revision, or a dead one, costs time, never the answer."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.services import reports
from daka.services.corpview import load_view
from daka.services.org import load_org
from daka.services.workers import MIN_PERSON_DAYS, ReportWorkers, _slices
from daka.storage.store import Store
from daka.wire.reports import DayDataRequest, MonthDataRequest
from tests.crowd import DAYS, FIRST, crowd_org, crowd_userid, load_crowd
from tests.factories import midnight

PEOPLE = 50
NOW = midnight(FIRST + timedelta(days=40))
MONTH = MonthDataRequest(
    starttime=midnight(FIRST),
    endtime=midnight(FIRST + timedelta(days=DAYS - 1)),
    useridlist=[crowd_userid(k) for k in range(PEOPLE)],
)
WEEK = DayDataRequest(
    starttime=midnight(FIRST),
    endtime=midnight(FIRST + timedelta(days=6)),
    useridlist=MONTH.useridlist,
)


@pytest.fixture
def crowd(contract_store: Store) -> int:
    return load_crowd(contract_store, PEOPLE)


@pytest.fixture
def workers(any_db_url: str) -> Iterator[ReportWorkers]:
    pool = ReportWorkers(any_db_url, 2)
    yield pool
    pool.close()


def view_of(store: Store, corp_id: int):
    with store.read() as conn:
        return load_view(store, conn, corp_id)


def test_the_call_is_big_enough_to_be_spread() -> None:
    assert len(MONTH.useridlist) * DAYS >= MIN_PERSON_DAYS
    assert len(WEEK.useridlist) * 7 >= MIN_PERSON_DAYS


def test_workers_answer_the_month_and_day_reports_exactly_as_one_process(
    contract_store: Store, crowd: int, workers: ReportWorkers
) -> None:
    view = view_of(contract_store, crowd)
    alone_month = reports.month_data(contract_store, view, MONTH, NOW)
    alone_days = reports.day_data(contract_store, view, WEEK, NOW)

    assert workers.warm(crowd, timeout=120)
    spread_month = reports.month_data(contract_store, view, MONTH, NOW, workers)
    spread_days = reports.day_data(contract_store, view, WEEK, NOW, workers)

    assert workers.slices_sent == 4 and workers.slices_redone == 0
    assert spread_month == alone_month
    assert spread_days == alone_days
    assert [m["base_info"]["acctid"] for m in spread_month] == MONTH.useridlist
    assert sum(m["summary_info"]["except_days"] for m in spread_month) > 0


def test_before_the_workers_are_ready_the_caller_answers_alone(
    contract_store: Store, crowd: int, workers: ReportWorkers
) -> None:
    view = view_of(contract_store, crowd)
    first = reports.month_data(contract_store, view, MONTH, NOW, workers)

    assert workers.slices_sent == 0
    assert first == reports.month_data(contract_store, view, MONTH, NOW)


def test_a_worker_on_a_newer_revision_leaves_its_slice_to_the_caller(
    contract_store: Store, crowd: int, workers: ReportWorkers
) -> None:
    view = view_of(contract_store, crowd)
    alone = reports.month_data(contract_store, view, MONTH, NOW)
    assert workers.warm(crowd, timeout=120)
    renamed = crowd_org(PEOPLE)
    renamed["corps"][0]["users"][-1]["name"] = "改名了"
    load_org(contract_store, renamed, now=2)  # the org changes after the caller read its view

    answer = reports.month_data(contract_store, view, MONTH, NOW, workers)

    assert workers.slices_redone == 2 and workers.slices_sent == 0
    assert answer == alone  # all of it on the caller's revision


def test_a_dead_worker_costs_time_not_the_answer(
    contract_store: Store, crowd: int, workers: ReportWorkers
) -> None:
    view = view_of(contract_store, crowd)
    alone = reports.month_data(contract_store, view, MONTH, NOW)
    assert workers.warm(crowd, timeout=120)
    for pid in workers.pids():
        os.kill(pid, signal.SIGKILL)

    assert reports.month_data(contract_store, view, MONTH, NOW, workers) == alone
    assert workers.slices_redone == 2
    # The next call starts new workers; once they are up they answer again.
    assert workers.warm(crowd, timeout=120)
    assert reports.month_data(contract_store, view, MONTH, NOW, workers) == alone
    assert workers.slices_sent == 2


@given(st.lists(st.integers(), max_size=60), st.integers(min_value=1, max_value=9))
def test_slices_keep_every_user_in_order_and_differ_by_at_most_one(
    userids: list[int], n: int
) -> None:
    parts = _slices(userids, n)

    assert [u for part in parts for u in part] == userids
    assert len(parts) == max(1, min(n, len(userids)))
    sizes = [len(p) for p in parts]
    assert max(sizes) - min(sizes) <= 1
