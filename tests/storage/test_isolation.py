"""Corps never see each other's rows, and a failed write transaction writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, insert

from daka.domain.errors import AuthError
from daka.domain.punches import Punch
from daka.services.org import load_org
from daka.services.service import Caller, Service
from daka.storage import tables as t
from daka.storage.store import Store, TokenRecord
from daka.wire.requests import parse_request
from tests.factories import AGENTID, at, make_corp, make_org, make_record

GETCHECKINDATA = "checkin/getcheckindata"
ADD_CHECKIN_RECORD = "checkin/add_checkin_record"

CORP_A, CORP_B = "wwcorpa000000001", "wwcorpb000000002"
SECRET_A, SECRET_B = "secret-of-a", "secret-of-b"
DAY = at(2026, 11, 16)


@pytest.fixture
def two_corps(contract_store: Store) -> tuple[int, int]:
    """Two corps with the same users (zhangsan, lisi, wangwu) and the same agentid."""
    load_org(
        contract_store,
        make_org(make_corp(CORP_A, secret=SECRET_A), make_corp(CORP_B, secret=SECRET_B)),
    )
    with contract_store.read() as conn:
        a = contract_store.corp_by_corpid(conn, CORP_A)
        b = contract_store.corp_by_corpid(conn, CORP_B)
    assert a is not None and b is not None and a.id != b.id
    return a.id, b.id


class Boom(Exception):
    pass


def test_punches_of_one_corp_are_never_returned_for_another(
    contract_store: Store, two_corps: tuple[int, int]
) -> None:
    a, b = two_corps
    with contract_store.write() as conn:
        contract_store.upsert_punches(conn, a, [Punch("zhangsan", DAY + 100, notes="A")])
        contract_store.upsert_punches(
            conn,
            b,
            [Punch("zhangsan", DAY + 100, notes="B"), Punch("zhangsan", DAY + 200, notes="B")],
        )

    with contract_store.read() as conn:
        of_a = contract_store.punches(conn, a, ["zhangsan"], DAY, DAY + 86_400)
        of_b = contract_store.punches(conn, b, ["zhangsan"], DAY, DAY + 86_400)
        counts = contract_store.punch_count(conn, a), contract_store.punch_count(conn, b)

    assert [p.notes for p in of_a["zhangsan"]] == ["A"]
    assert [p.notes for p in of_b["zhangsan"]] == ["B", "B"]
    assert counts == (1, 2)


def test_the_same_userid_in_two_corps_is_two_users(
    contract_store: Store, two_corps: tuple[int, int]
) -> None:
    a, _ = two_corps
    corp = make_corp(CORP_A, secret=SECRET_A)
    corp["users"][0]["name"] = "Only in A"
    load_org(contract_store, make_org(corp))

    with contract_store.read() as conn:
        names = {
            corp_id: {u.userid: u.name for u in contract_store.directory_rows(conn, corp_id).users}
            for corp_id in two_corps
        }
    assert names[a]["zhangsan"] == "Only in A"
    assert {n["zhangsan"] for i, n in names.items() if i != a} == {"张三"}


def test_tokens_of_corp_a_authenticate_as_corp_a_only(
    contract_service: Service, two_corps: tuple[int, int]
) -> None:
    a, b = two_corps
    token_a, _ = contract_service.get_token(CORP_A, SECRET_A)
    token_b, _ = contract_service.get_token(CORP_B, SECRET_B)

    assert token_a != token_b
    assert contract_service.authenticate(token_a) == Caller(corp_id=a, agentid=AGENTID)
    assert contract_service.authenticate(token_b) == Caller(corp_id=b, agentid=AGENTID)
    # A fresh process resolves them from the database the same way.
    fresh = Service(contract_service.store, clock=contract_service.clock)
    assert fresh.authenticate(token_a).corp_id == a
    assert fresh.authenticate(token_b).corp_id == b


def test_the_secret_of_one_corp_does_not_open_another(
    contract_service: Service, two_corps: tuple[int, int]
) -> None:
    with pytest.raises(AuthError) as caught:
        contract_service.get_token(CORP_B, SECRET_A)
    assert caught.value.errcode == 40001


def test_checkin_data_of_corp_a_never_shows_corp_b_rows(
    contract_service: Service, two_corps: tuple[int, int]
) -> None:
    token_a, _ = contract_service.get_token(CORP_A, SECRET_A)
    token_b, _ = contract_service.get_token(CORP_B, SECRET_B)
    _, view_a = contract_service.checkin_caller(token_a, "checkin/add_checkin_record")
    _, view_b = contract_service.checkin_caller(token_b, "checkin/add_checkin_record")
    assert (view_a.corp.id, view_b.corp.id) == two_corps
    contract_service.add_checkin_record(
        view_a,
        parse_request(
            ADD_CHECKIN_RECORD,
            {
                "records": [
                    make_record("zhangsan", at(2026, 11, 16, 8, 55), notes="from A"),
                ]
            },
        ),
    )
    contract_service.add_checkin_record(
        view_b,
        parse_request(
            ADD_CHECKIN_RECORD,
            {
                "records": [
                    make_record("zhangsan", at(2026, 11, 16, 8, 50), notes="from B"),
                    make_record("zhangsan", at(2026, 11, 16, 18, 5), notes="from B"),
                ]
            },
        ),
    )
    query = parse_request(
        GETCHECKINDATA,
        {
            "opencheckindatatype": 3,
            "starttime": DAY,
            "endtime": DAY + 86_399,
            "useridlist": ["zhangsan"],
        },
    )

    rows_a = contract_service.get_checkin_data(view_a, query)["checkindata"]
    rows_b = contract_service.get_checkin_data(view_b, query)["checkindata"]

    punched_a = [r for r in rows_a if r["notes"]]
    assert [r["notes"] for r in punched_a] == ["from A"]
    assert [r["checkin_time"] for r in punched_a] == [at(2026, 11, 16, 8, 55)]
    assert all(r["notes"] != "from B" for r in rows_a)
    assert [r["notes"] for r in rows_b] == ["from B", "from B"]


def test_a_write_transaction_that_raises_midway_writes_nothing(
    contract_store: Store, two_corps: tuple[int, int]
) -> None:
    a, b = two_corps
    with pytest.raises(Boom), contract_store.write() as conn:
        contract_store.upsert_punches(conn, a, [Punch("zhangsan", DAY + 1)])
        contract_store.upsert_corp(conn, "wwhalfway", "Half", "Asia/Shanghai")
        contract_store.bump_revision(conn, b)
        contract_store.add_token(conn, "0" * 64, TokenRecord(a, AGENTID, DAY + 7200))
        raise Boom

    with contract_store.read() as conn:
        assert contract_store.punch_count(conn, a) == 0
        assert contract_store.corp_by_corpid(conn, "wwhalfway") is None
        assert contract_store.revision(conn, b) == 1
        assert contract_store.token(conn, "0" * 64) is None


def test_a_database_error_midway_rolls_back_the_earlier_statements(
    contract_store: Store, two_corps: tuple[int, int]
) -> None:
    a, _ = two_corps
    with pytest.raises(Exception) as caught, contract_store.write() as conn:
        contract_store.upsert_punches(conn, a, [Punch("zhangsan", DAY + 1)])
        # The corps.corpid unique constraint fails in the database itself.
        conn.execute(insert(t.corps).values(corpid=CORP_A, name="", timezone="UTC", revision=0))
    assert "unique" in str(caught.value).lower()

    with contract_store.read() as conn:
        assert contract_store.punch_count(conn, a) == 0


def test_a_committed_write_is_visible_to_a_new_engine(
    open_engine: Callable[[], Engine], contract_store: Store, two_corps: tuple[int, int]
) -> None:
    a, _ = two_corps
    with contract_store.write() as conn:
        contract_store.upsert_punches(conn, a, [Punch("zhangsan", DAY + 1)])

    other = Store(open_engine())
    with other.read() as conn:
        assert other.punch_count(conn, a) == 1
