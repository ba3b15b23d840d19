"""Vacations and balances on both backends: the org file's vacations and initial quotas, and
the balance API the approvals call inside their own write transactions."""

from __future__ import annotations

import copy
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daka.domain.errors import VacationParamError
from daka.domain.vacations import DAY_UNIT, Balance, QuotaType, TimeAttr
from daka.services import vacations as vac
from daka.services.corpview import load_view
from daka.services.org import OrgFileError, load_org
from daka.storage import tables as t
from daka.storage.store import Store
from tests.factories import CORPID, make_corp, make_org

NOW = 1_795_000_000
OTHER = "wwvacationsother"


def vacation_list() -> list[dict[str, Any]]:
    return [
        {"id": 1, "name": "年假", "quota_attr": {"type": 1}},
        {"id": 2, "name": "调休", "time_attr": 1, "is_newovertime": 1},
        {"id": 3, "name": "事假", "quota_attr": {"type": 0}},
        {"id": 4, "name": "病假", "allow_overdraft": True},
    ]


def vacation_corp(corpid: str = CORPID, **extra: Any) -> dict[str, Any]:
    corp = make_corp(
        corpid,
        secret=f"{corpid}-secret",
        vacations=vacation_list(),
        vacation_quotas=[
            {"userid": "zhangsan", "vacation_id": 1, "leftduration": 5 * DAY_UNIT},
            {"userid": "lisi", "vacation_id": 2, "leftduration": 8 * 3600, "usedduration": 0},
        ],
    )
    corp.update(extra)
    return corp


def corp_id(store: Store, corpid: str = CORPID) -> int:
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, corpid)
    assert corp is not None
    return corp.id


def view(store: Store, corpid: str = CORPID) -> Any:
    with store.read() as conn:
        return load_view(store, conn, corp_id(store, corpid))


def vacation_rows(store: Store) -> list[tuple[Any, ...]]:
    """Every vacation, balance and ledger row (what the org file and the balance API write)."""
    with store.read() as conn:
        return [
            tuple(row)
            for table in (t.vacations, t.vacation_balances, t.vacation_ledger)
            for row in conn.execute(table.select().order_by(*table.primary_key.columns))
        ]


def balance_of(store: Store, userid: str, vacation_id: int, corpid: str = CORPID) -> Balance:
    with store.read() as conn:
        return vac.balance(store, conn, corp_id(store, corpid), userid, vacation_id)


@pytest.fixture
def loaded(contract_store: Store) -> Store:
    load_org(contract_store, make_org(vacation_corp(), vacation_corp(OTHER)), now=NOW)
    return contract_store


# -- the org file ------------------------------------------------------------------------


def test_vacations_load_into_the_view_in_file_order_with_every_field(loaded):
    current = view(loaded)

    assert list(current.vacations) == [1, 2, 3, 4]
    assert current.vacations[2].time_attr is TimeAttr.HOURS and current.vacations[2].overtime
    assert current.vacations[3].quota_type is QuotaType.UNLIMITED
    assert current.vacations[4].allow_overdraft
    assert current.overtime_vacation == current.vacations[2]
    item = current.vacation_items[0]
    assert list(item) == [
        "id",
        "name",
        "time_attr",
        "duration_type",
        "quota_attr",
        "perday_duration",
        "is_newovertime",
        "enter_comp_time_limit",
        "expire_rule",
    ]
    assert "allow_overdraft" not in current.vacation_items[3]
    assert list(item["quota_attr"]) == [
        "type",
        "autoreset_time",
        "autoreset_duration",
        "quota_rule_type",
        "quota_rules",
        "at_entry_date",
        "auto_reset_month_day",
    ]


def test_initial_quotas_are_granted_once_and_a_reload_changes_nothing(loaded):
    assert balance_of(loaded, "zhangsan", 1) == Balance(
        1, 5 * DAY_UNIT, 5 * DAY_UNIT, 0, 5 * DAY_UNIT
    )
    before = vacation_rows(loaded)

    load_org(loaded, make_org(vacation_corp(), vacation_corp(OTHER)), now=NOW + 60)

    assert vacation_rows(loaded) == before


def test_a_reload_keeps_what_approvals_moved_and_applies_only_the_files_change(loaded):
    cid = corp_id(loaded)
    annual = view(loaded).vacations[1]
    loaded.transaction(
        lambda conn: vac.charge(loaded, conn, cid, "zhangsan", annual, DAY_UNIT, sp_no="1", now=NOW)
    )
    load_org(loaded, make_org(vacation_corp(), vacation_corp(OTHER)), now=NOW + 60)
    assert balance_of(loaded, "zhangsan", 1).left == 4 * DAY_UNIT

    edited = vacation_corp()
    edited["vacation_quotas"][0]["leftduration"] = 7 * DAY_UNIT  # the admin grants 2 more days
    load_org(loaded, make_org(edited), now=NOW + 120)

    assert balance_of(loaded, "zhangsan", 1) == Balance(
        1, 7 * DAY_UNIT, 7 * DAY_UNIT, DAY_UNIT, 6 * DAY_UNIT
    )
    with loaded.read() as conn:
        reasons = [(e.reason, e.change) for e in vac.ledger(loaded, conn, cid, "zhangsan", 1)]
    assert reasons == [("org", 5 * DAY_UNIT), ("approval", -DAY_UNIT), ("org", 2 * DAY_UNIT)]


def test_a_vacation_left_out_of_the_file_leaves_getcorpconf_and_keeps_its_balances(loaded):
    corp = vacation_corp()
    corp["vacations"] = corp["vacations"][1:]
    corp["vacation_quotas"] = []

    load_org(loaded, make_org(corp), now=NOW + 60)

    assert list(view(loaded).vacations) == [2, 3, 4]
    assert balance_of(loaded, "zhangsan", 1).left == 5 * DAY_UNIT


def test_a_corp_without_vacations_in_the_file_keeps_its_vacations(loaded):
    load_org(loaded, make_org(make_corp()), now=NOW + 60)

    assert list(view(loaded).vacations) == [1, 2, 3, 4]


def _broken(path: str, value: Any) -> dict[str, Any]:
    corp = vacation_corp()
    target: Any = corp
    *parents, last = path.split(".")
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target.setdefault(key, {})
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return corp


BROKEN = [
    ("vacations.1.time_attr", 2, "corps[0].vacations[1].time_attr must be 0 or 1"),
    ("vacations.0.duration_type", "1", "corps[0].vacations[0].duration_type must be a non-neg"),
    (
        "vacations.0.quota_attr.type",
        4,
        "corps[0].vacations[0].quota_attr.type must be 0, 1, 2 or 3",
    ),
    ("vacations.0.name", "", "corps[0].vacations[0].name is required"),
    ("vacations.0.id", 0, "corps[0].vacations[0].id must be 1..4294967295"),
    ("vacations.1.id", 1, "corps[0].vacations[1].id 1 is already corps[0].vacations[0]'s"),
    ("vacations.0.qouta_attr", {}, "corps[0].vacations[0].qouta_attr is not a known field"),
    ("vacations.0.perday_duration", 0, "corps[0].vacations[0].perday_duration must be 1..86400"),
    (
        "vacations.0.is_newovertime",
        1,
        "corps[0].vacations[1].is_newovertime: corps[0].vacations[0] already",
    ),
    ("vacations.2.is_newovertime", 1, "corps[0].vacations[2].is_newovertime needs a balance"),
    (
        "vacations.0.allow_overdraft",
        1,
        "corps[0].vacations[0].allow_overdraft must be true or false",
    ),
    (
        "vacations.0.expire_rule.date.month",
        13,
        "corps[0].vacations[0].expire_rule.date.month must be 0..12",
    ),
    ("vacations", {}, "corps[0].vacations must be an array"),
    ("vacation_quotas.0.vacation_id", 9, "corps[0].vacation_quotas[0].vacation_id 9 is not one"),
    (
        "vacation_quotas.0.userid",
        "nobody",
        "corps[0].vacation_quotas[0].userid 'nobody' is not a user",
    ),
    (
        "vacation_quotas.0.leftduration",
        100,
        "corps[0].vacation_quotas[0].leftduration must be a multiple of 8640",
    ),
    (
        "vacation_quotas.1.leftduration",
        24_001 * 3600,
        "corps[0].vacation_quotas[1].leftduration must be at most 86400000 (24000 hours)",
    ),
    (
        "vacation_quotas.0",
        {"userid": "zhangsan", "vacation_id": 3, "leftduration": DAY_UNIT},
        "corps[0].vacation_quotas[0]: vacation 3 is 不限额",
    ),
    (
        "vacation_quotas.1",
        {"userid": "zhangsan", "vacation_id": 1, "leftduration": 0},
        "corps[0].vacation_quotas[1] repeats corps[0].vacation_quotas[0]",
    ),
    (
        "vacation_quotas.0.leftduration",
        None,
        "corps[0].vacation_quotas[0].leftduration is required",
    ),
]


@pytest.mark.parametrize(("path", "value", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_vacation_is_named_and_nothing_is_written(loaded, path, value, message):
    before = vacation_rows(loaded), view(loaded).corp.revision

    with pytest.raises(OrgFileError) as raised:
        load_org(loaded, make_org(_broken(path, value)), now=NOW + 60)

    assert str(raised.value).startswith(message), str(raised.value)
    assert (vacation_rows(loaded), view(loaded).corp.revision) == before


# -- the balance API ----------------------------------------------------------------------


def test_charge_takes_the_leave_and_writes_its_ledger_row(loaded):
    cid = corp_id(loaded)
    annual = view(loaded).vacations[1]

    after = loaded.transaction(
        lambda conn: vac.charge(
            loaded, conn, cid, "zhangsan", annual, 43_200, sp_no="202612030001", now=NOW
        )
    )

    assert after == Balance(1, 5 * DAY_UNIT, 5 * DAY_UNIT, 43_200, 5 * DAY_UNIT - 43_200)
    assert balance_of(loaded, "zhangsan", 1) == after
    with loaded.read() as conn:
        last = vac.ledger(loaded, conn, cid, "zhangsan")[-1]
    assert (last.reason, last.change, last.left_after, last.sp_no, last.at) == (
        "approval",
        -43_200,
        after.left,
        "202612030001",
        NOW,
    )


def test_a_charge_over_the_balance_is_refused_and_changes_nothing(loaded):
    cid = corp_id(loaded)
    annual = view(loaded).vacations[1]
    before = vacation_rows(loaded)

    with pytest.raises(VacationParamError) as refused:
        loaded.transaction(
            lambda conn: vac.charge(
                loaded, conn, cid, "zhangsan", annual, 6 * DAY_UNIT, sp_no="2", now=NOW
            )
        )

    assert refused.value.errcode == 301063
    assert refused.value.message.startswith("vacation balance is not enough: zhangsan has ")
    assert "(5 days)" in refused.value.message and "(6 days) asked" in refused.value.message
    assert vacation_rows(loaded) == before


def test_overdraft_and_unlimited_vacations_are_never_short(loaded):
    cid = corp_id(loaded)
    vacations = view(loaded).vacations

    def work(conn: Any) -> tuple[Balance, Balance]:
        sick = vac.charge(
            loaded, conn, cid, "wangwu", vacations[4], 2 * DAY_UNIT, sp_no="3", now=NOW
        )
        leave = vac.charge(loaded, conn, cid, "wangwu", vacations[3], DAY_UNIT, sp_no="4", now=NOW)
        return sick, leave

    sick, leave = loaded.transaction(work)

    assert sick == Balance(4, used=2 * DAY_UNIT, left=-2 * DAY_UNIT)
    assert leave == Balance(3, used=DAY_UNIT, left=0)  # 不限额: only the use is recorded


def test_credit_grants_调休_and_debit_takes_it_back(loaded):
    cid = corp_id(loaded)
    overtime = view(loaded).vacations[2]
    start = balance_of(loaded, "lisi", 2)

    credited = loaded.transaction(
        lambda conn: vac.credit(
            loaded, conn, cid, "lisi", overtime, 7200, reason="overtime", sp_no="5", now=NOW
        )
    )
    assert credited.left == start.left + 7200 and credited.assigned == start.assigned + 7200
    back = loaded.transaction(
        lambda conn: vac.debit(
            loaded, conn, cid, "lisi", overtime, 7200, reason="overtime", sp_no="5", now=NOW
        )
    )
    assert back == start


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.integers(min_value=0, max_value=50).map(lambda n: n * 8640))
def test_charge_then_refund_restores_the_stored_balance(loaded, amount):
    cid = corp_id(loaded)
    annual = view(loaded).vacations[1]
    before = balance_of(loaded, "zhangsan", 1)

    def both(conn: Any) -> Balance:
        vac.charge(loaded, conn, cid, "zhangsan", annual, amount, sp_no="6", now=NOW)
        return vac.refund(loaded, conn, cid, "zhangsan", annual, amount, sp_no="6", now=NOW)

    if amount > before.left:
        with pytest.raises(VacationParamError):
            loaded.transaction(both)
        assert balance_of(loaded, "zhangsan", 1) == before
        return
    assert loaded.transaction(both) == before
    assert balance_of(loaded, "zhangsan", 1) == before


def test_two_corps_never_share_balances(loaded):
    other = corp_id(loaded, OTHER)
    annual = view(loaded, OTHER).vacations[1]

    loaded.transaction(
        lambda conn: vac.charge(
            loaded, conn, other, "zhangsan", annual, DAY_UNIT, sp_no="7", now=NOW
        )
    )

    assert balance_of(loaded, "zhangsan", 1).used == 0
    assert balance_of(loaded, "zhangsan", 1, OTHER).used == DAY_UNIT
    with loaded.read() as conn:
        assert len(vac.ledger(loaded, conn, corp_id(loaded), "zhangsan")) == 1
        assert [b.vacation_id for b in vac.balances(loaded, conn, other, "zhangsan")] == [1]


def test_the_org_files_vacations_are_deep_copied_not_shared(loaded):
    corp = vacation_corp()
    original = copy.deepcopy(corp)

    load_org(loaded, make_org(corp), now=NOW)

    assert corp == original


# -- concurrency: charges of one balance are judged one after the other -------------------

THREADS = 8


def test_concurrent_charges_never_overdraw_and_all_count(loaded):
    # zhangsan has 5 days of 年假 (a stored row) and lisi none of 病假 (no row yet, overdraft
    # allowed): 8 one-day charges of each at once. 年假 takes exactly 5, 病假 all 8.
    cid = corp_id(loaded)
    vacations = view(loaded).vacations
    start = threading.Barrier(THREADS * 2)

    def attempt(args: tuple[str, int, int]) -> int:
        userid, vacation_id, k = args
        start.wait()
        try:
            loaded.transaction(
                lambda conn: vac.charge(
                    loaded,
                    conn,
                    cid,
                    userid,
                    vacations[vacation_id],
                    DAY_UNIT,
                    sp_no=f"{k}",
                    now=NOW,
                )
            )
        except VacationParamError:
            return 301063
        return 0

    jobs = [("zhangsan", 1, k) for k in range(THREADS)] + [("lisi", 4, k) for k in range(THREADS)]
    with ThreadPoolExecutor(len(jobs)) as pool:
        codes = list(pool.map(attempt, jobs))

    assert sorted(codes[:THREADS]) == [0] * 5 + [301063] * (THREADS - 5)
    assert codes[THREADS:] == [0] * THREADS
    assert balance_of(loaded, "zhangsan", 1) == Balance(
        1, 5 * DAY_UNIT, 5 * DAY_UNIT, 5 * DAY_UNIT, 0
    )
    assert balance_of(loaded, "lisi", 4) == Balance(
        4, used=THREADS * DAY_UNIT, left=-THREADS * DAY_UNIT
    )
    with loaded.read() as conn:
        assert len(vac.ledger(loaded, conn, cid, "lisi", 4)) == THREADS
