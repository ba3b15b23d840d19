"""The day cache never changes an answer: cached and uncached reads agree, across processes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daka.services.org import load_org
from daka.services.service import Service
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store
from daka.wire.requests import parse_request
from tests.factories import FakeClock, at, make_corp, make_org, make_record, make_rule

START, END = at(2026, 11, 2), at(2026, 11, 21)
USERS = ["zhangsan", "lisi"]


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    yield from _services(tmp_path_factory)


@pytest.fixture
def fresh_services(tmp_path_factory):
    """As ``services``, on a database no other test has written to."""
    yield from _services(tmp_path_factory)


def _services(tmp_path_factory):
    engine = create_db_engine(f"sqlite:///{tmp_path_factory.mktemp('cache') / 'daka.db'}")
    upgrade(engine)
    store = Store(engine)
    load_org(store, make_org())
    clock = FakeClock(at(2026, 11, 23, 12))
    # Two processes on one database: one caches, one writes too; a third never caches.
    cached = Service(store, clock=clock)
    other = Service(Store(engine), clock=clock)
    plain = Service(Store(engine), clock=clock, day_cache_rows=0)
    yield cached, other, plain, store, clock
    engine.dispose()


def read(service, start, end):
    view = service.view(1)
    return service.get_checkin_data(
        view,
        parse_request(
            GETCHECKINDATA,
            {"opencheckindatatype": 3, "starttime": start, "endtime": end, "useridlist": USERS},
        ),
    )


times = st.integers(min_value=START, max_value=END)
actions = st.one_of(
    st.tuples(st.just("punch"), st.sampled_from(USERS), times, st.booleans()),
    st.tuples(st.just("read"), times, st.integers(min_value=0, max_value=12 * 86_400)),
    st.tuples(st.just("rule"), st.sampled_from(["08:30", "09:00", "10:00"])),
)

GETCHECKINDATA = "checkin/getcheckindata"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(actions, min_size=1, max_size=12))
def test_cached_reads_equal_uncached_reads_whatever_happens_between_them(services, steps):
    cached, other, plain, store, clock = services
    for step in steps:
        if step[0] == "punch":
            _, userid, t, via_other = step
            writer = other if via_other else cached
            writer.add_checkin_record(
                writer.view(1),
                parse_request("checkin/add_checkin_record", {"records": [make_record(userid, t)]}),
            )
        elif step[0] == "rule":
            work = step[1]
            h, m = (int(x) for x in work.split(":"))
            from tests.factories import make_slot

            load_org(
                store,
                make_org(
                    make_corp(rules=[make_rule(slots=[make_slot(work, f"{h + 9:02d}:{m:02d}")])])
                ),
            )
        else:
            _, start, span = step
            end = min(start + span, START + 30 * 86_400)
            assert read(cached, start, end) == read(plain, start, end)
    assert read(cached, START, END) == read(plain, START, END)


def test_repeated_reads_of_settled_days_are_served_from_the_cache(services):
    cached, _, plain, _, _ = services
    first = read(cached, START, END)
    hits = cached.day_cache.hits

    again = read(cached, START, END)

    assert again == first == read(plain, START, END)
    assert cached.day_cache.hits == hits + len(USERS)


def test_a_write_through_another_process_is_seen_at_once(fresh_services):
    # A fresh database: punches other tests left on that day could make this one passed over.
    cached, other, _, _, _ = fresh_services
    read(cached, START, END)
    other.add_checkin_record(
        other.view(1),
        parse_request(
            "checkin/add_checkin_record",
            {
                "records": [
                    make_record("zhangsan", at(2026, 11, 10, 8, 1), notes="via another process")
                ]
            },
        ),
    )

    rows = read(cached, START, END)["checkindata"]

    assert any(r["notes"] == "via another process" for r in rows)


def test_days_still_open_are_never_cached(services):
    cached, _, plain, _, clock = services
    today = at(2026, 11, 23)
    before = read(cached, today, today + 86_399)
    clock.advance(8 * 3600)  # 20:00: the on-duty window closed, the off-duty one is open

    after = read(cached, today, today + 86_399)

    assert after == read(plain, today, today + 86_399)
    assert before != after  # 未打卡 for the morning appeared; nothing stale was served
    clock.advance(-8 * 3600)
