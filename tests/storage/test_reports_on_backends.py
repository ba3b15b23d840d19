"""The reports on each backend: WeCom's official examples come out the same on SQLite and
PostgreSQL (the same queries for punches, approvals and schedules feed them)."""

from __future__ import annotations

from typing import Any

import orjson

from daka.services.org import load_org
from daka.services.service import Service
from tests.reports.example_corp import (
    CORPID,
    MONDAY,
    NOW,
    SECRET,
    THURSDAY,
    USERID,
    example_org,
    example_punches,
    store_example_approvals,
)
from tests.reports.test_official_examples import (
    DAY_DEVIATIONS,
    MONTH_DEVIATIONS,
    apply,
    example_of,
    normalised,
)


def call(service: Service, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    return service.call(path, token, orjson.dumps(body))


def test_the_official_examples_come_out_the_same_on_each_backend(
    contract_service: Service, contract_clock: Any
) -> None:
    contract_clock.now = NOW
    load_org(contract_service.store, example_org(), now=NOW)
    store_example_approvals(contract_service.store)
    token, _ = contract_service.get_token(CORPID, SECRET)
    call(contract_service, token, "checkin/add_checkin_record", {"records": example_punches()})

    days = call(
        contract_service,
        token,
        "checkin/getcheckin_daydata",
        {"starttime": THURSDAY, "endtime": THURSDAY, "useridlist": [USERID]},
    )["datas"]
    months = call(
        contract_service,
        token,
        "checkin/getcheckin_monthdata",
        {"starttime": THURSDAY, "endtime": MONDAY, "useridlist": [USERID]},
    )["datas"]

    day = example_of("getcheckin_daydata")["datas"][0]
    month = example_of("getcheckin_monthdata")["datas"][0]
    assert days == [normalised(apply(DAY_DEVIATIONS, day))]
    assert [normalised(m) for m in months] == [normalised(apply(MONTH_DEVIATIONS, month))]
