"""Invariants of approvals over whole days: a revoked or deleted approval leaves every day as
if it had never been filed, and the order of approving and punching does not matter."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from daka.domain.approvals import Action
from daka.services.approvals import Decision, act
from daka.services.org import load_org
from daka.services.ratelimit import RateLimiter
from daka.services.service import Service
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store
from tests.api.test_approvals import friday_rows
from tests.approval_factories import APPROVAL_SECRET, OUTING, TRIP, approval_org, attendance_form
from tests.conftest import DEFAULT_NOW
from tests.factories import CORPID, FakeClock, at, make_record

FRIDAY = at(2026, 11, 20)


class Caller:
    """The HR app of a fresh server, talking to the service as the HTTP adapter does."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.token, _ = service.get_token(CORPID, APPROVAL_SECRET)

    def post(self, path: str, body: dict) -> dict:
        import orjson

        try:
            answer = self.service.call(path, self.token, orjson.dumps(body))
        except Exception as exc:  # the envelope's errcode, as the adapter would answer
            errcode = getattr(exc, "errcode", None)
            if errcode is None:
                raise
            return {"errcode": errcode, "errmsg": str(exc)}
        return {"errcode": 0, "errmsg": "ok", **answer}


@contextmanager
def fresh_service() -> Iterator[Service]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{Path(tmp) / 'daka.db'}")
        upgrade(engine)
        store = Store(engine)
        load_org(store, approval_org())
        try:
            yield Service(
                store,
                clock=FakeClock(DEFAULT_NOW),
                rate_limiter=RateLimiter(enabled=False),
                media_dir=Path(tmp) / "media",
            )
        finally:
            engine.dispose()


punch_minutes = st.lists(st.integers(7 * 60, 20 * 60), max_size=4, unique=True)
# An outing within Friday (hour grain) or a trip over whole half days around it.
forms = st.one_of(
    st.tuples(st.integers(8 * 60, 17 * 60), st.integers(15, 6 * 60)).map(
        lambda p: attendance_form(
            OUTING, 4, FRIDAY + p[0] * 60, FRIDAY + (p[0] + p[1]) * 60, grain="hour"
        )
    ),
    st.tuples(st.integers(0, 3), st.integers(0, 3)).map(
        lambda p: attendance_form(
            TRIP, 3, FRIDAY + (p[0] - 2) * 43_200, FRIDAY + (p[0] - 2 + p[1]) * 43_200
        )
    ),
)


def punch(caller: Caller, minutes: list[int]) -> None:
    if minutes:
        records = [make_record(checkin_time=FRIDAY + m * 60) for m in minutes]
        assert caller.post("checkin/add_checkin_record", {"records": records})["errcode"] == 0


def decide(service: Service, sp_no: str, action: Action) -> None:
    act(service.store, service.view(1), Decision(sp_no, action), service.now())


@settings(max_examples=20, deadline=None)
@given(minutes=punch_minutes, form=forms, undo=st.sampled_from([Action.REVOKE, Action.DELETE]))
def test_a_revoked_or_deleted_approval_leaves_the_day_as_if_it_had_never_been_filed(
    minutes, form, undo
):
    with fresh_service() as service:
        caller = Caller(service)
        punch(caller, minutes)
        before = friday_rows(caller)
        sp_no = caller.post("oa/applyevent", form)["sp_no"]
        decide(service, sp_no, Action.APPROVE)

        decide(service, sp_no, undo)

        assert friday_rows(caller) == before


@settings(max_examples=20, deadline=None)
@given(minutes=punch_minutes, form=forms)
def test_approving_before_or_after_the_punches_gives_the_same_rows(minutes, form):
    with fresh_service() as first, fresh_service() as second:
        early, late = Caller(first), Caller(second)
        decide(first, early.post("oa/applyevent", form)["sp_no"], Action.APPROVE)
        punch(early, minutes)

        punch(late, minutes)
        decide(second, late.post("oa/applyevent", form)["sp_no"], Action.APPROVE)

        assert friday_rows(early) == friday_rows(late)
