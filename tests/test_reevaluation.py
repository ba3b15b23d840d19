"""Evaluation is a function of the stored punches: arrival order and batching never matter,
and a back-dated punch re-evaluates exactly the affected user-days."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daka.services.org import load_org
from daka.services.service import Service
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store
from daka.wire.requests import parse_request
from tests.factories import FakeClock, at, make_org, make_record

GETCHECKINDATA = "checkin/getcheckindata"
ADD_CHECKIN_RECORD = "checkin/add_checkin_record"

START, END = at(2026, 11, 9), at(2026, 11, 21)
NOW = at(2026, 11, 23, 12)
times = st.lists(st.integers(min_value=START, max_value=END), min_size=1, max_size=30, unique=True)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    engine = create_db_engine(f"sqlite:///{tmp_path_factory.mktemp('re') / 'daka.db'}")
    upgrade(engine)
    store = Store(engine)
    load_org(store, make_org())
    yield Service(store, clock=FakeClock(NOW))
    engine.dispose()


def _reset(service):
    # Deleting behind the store's back must announce the change, as every write path does.
    with service.store.write() as conn:
        conn.exec_driver_sql("DELETE FROM punches")
        service.store.bump_user_versions(conn, 1, ["zhangsan", "lisi"])


def _rows(service):
    view = service.view(1)
    return service.get_checkin_data(
        view,
        parse_request(
            GETCHECKINDATA,
            {
                "opencheckindatatype": 3,
                "starttime": START,
                "endtime": END + 86_400,
                "useridlist": ["zhangsan", "lisi"],
            },
        ),
    )["checkindata"]


def _write(service, records, batch):
    view = service.view(1)
    for k in range(0, len(records), batch):
        service.add_checkin_record(
            view, parse_request(ADD_CHECKIN_RECORD, {"records": records[k : k + batch]})
        )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(times, st.randoms(), st.integers(min_value=1, max_value=7))
def test_the_same_punches_in_any_order_and_batching_give_the_same_rows(service, ts, rnd, batch):
    records = [make_record("zhangsan" if t % 2 else "lisi", t) for t in ts]
    _reset(service)
    _write(service, records, 200)
    expected = _rows(service)

    shuffled = list(records)
    rnd.shuffle(shuffled)
    _reset(service)
    _write(service, shuffled, batch)

    assert _rows(service) == expected


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(times, st.integers(min_value=START, max_value=END))
def test_a_back_dated_punch_changes_only_that_users_rows_around_its_day(service, ts, late):
    from daka.domain.calendar import local_date
    from tests.factories import SHANGHAI

    records = [make_record("zhangsan" if t % 2 else "lisi", t) for t in ts if t != late]
    _reset(service)
    _write(service, records, 200)
    before = _rows(service)

    _write(service, [make_record("zhangsan", late)], 1)
    after = _rows(service)

    def day(row):
        return local_date(row["sch_checkin_time"] or row["checkin_time"], SHANGHAI)

    affected = local_date(late, SHANGHAI)
    changed = [r for r in after if r not in before] + [r for r in before if r not in after]
    assert all(r["userid"] == "zhangsan" for r in changed)
    assert all(abs((day(r) - affected).days) <= 1 for r in changed)
