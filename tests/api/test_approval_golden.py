"""Golden JSON of every approval answer: oa/gettemplatedetail, applyevent, getapprovalinfo,
getapprovaldetail and daka's /api/approvals actions, accepted and refused.

Each refusal is checked to change nothing: the forms stored (every row of GET /api/approvals,
with its state) are the same before and after.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from daka.services.org import load_org
from tests.api.golden import assert_golden, assert_golden_case
from tests.approval_factories import (
    APPROVAL_SECRET,
    OUTING,
    OVERTIME,
    TRIP,
    approval_corp,
    approval_org,
    attendance_form,
    leave_form,
)
from tests.conftest import Wire
from tests.factories import CORPID, at, make_org

FRIDAY = at(2026, 11, 20)
THURSDAY = at(2026, 11, 19)
OTHER_CORPID = "wwotherapprovals"


class Hr(Wire):
    """The HR app: WeCom's oa/* under /cgi-bin/, daka's /api/approvals at the root."""

    def api(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(
            f"/api/approvals/{action}", params={"access_token": self.token}, json=body
        )
        assert response.status_code == 200
        return response.json()

    def stored(self) -> list[dict[str, Any]]:
        response = self.client.get("/api/approvals", params={"access_token": self.token})
        body = response.json()
        assert body["errcode"] == 0, body
        return list(body["approvals"])

    def file(self, form: dict[str, Any]) -> str:
        answer = self.post("oa/applyevent", form)
        assert answer["errcode"] == 0, answer
        return str(answer["sp_no"])


@pytest.fixture
def hr(api: Any, store: Any) -> Hr:
    load_org(store, approval_org())
    wire = Hr(api)
    wire.login(CORPID, APPROVAL_SECRET)
    return wire


@pytest.fixture
def trip(hr: Hr) -> str:
    """zhangsan's business trip on Friday, waiting for wangwu."""
    return hr.file(attendance_form(TRIP, 3, FRIDAY, FRIDAY + 43_200))


def window(hr: Hr, **extra: Any) -> dict[str, Any]:
    now = at(2026, 11, 23, 12, 0)
    return {"starttime": str(now - 3600), "endtime": str(now + 3600), **extra}


# -- oa/gettemplatedetail ----------------------------------------------------------------------


def test_gettemplatedetail_ok(hr: Hr) -> None:
    assert_golden("gettemplatedetail_ok", hr.post("oa/gettemplatedetail", {"template_id": TRIP}))


def test_gettemplatedetail_301025(hr: Hr) -> None:
    answer = hr.post("oa/gettemplatedetail", {"template_id": "tpl-none"})
    assert_golden("gettemplatedetail_301025", answer)


# -- oa/applyevent -----------------------------------------------------------------------------


def test_applyevent_ok(hr: Hr) -> None:
    answer = hr.post("oa/applyevent", attendance_form(TRIP, 3, FRIDAY, FRIDAY + 43_200))
    assert answer["sp_no"] == "202611230001"
    assert_golden("applyevent_ok", answer)
    assert [row["sp_no"] for row in hr.stored()] == ["202611230001"]


def _without_creator() -> dict[str, Any]:
    form = attendance_form(TRIP, 3, FRIDAY, FRIDAY)
    del form["creator_userid"]
    return form


def _with_control_id(cid: str) -> dict[str, Any]:
    form = attendance_form(TRIP, 3, FRIDAY, FRIDAY)
    form["apply_data"]["contents"][0]["id"] = cid
    return form


def _required_empty() -> dict[str, Any]:
    form = attendance_form(TRIP, 3, FRIDAY, FRIDAY)
    form["apply_data"]["contents"] = [
        {"control": "Text", "id": "item-reason", "value": {"text": "客户拜访"}}
    ]
    return form


def _without_apply_data() -> dict[str, Any]:
    form = attendance_form(TRIP, 3, FRIDAY, FRIDAY)
    del form["apply_data"]
    return form


REFUSED_FORMS = {
    "40058_no_creator": _without_creator(),
    "301025_unknown_template": attendance_form("tpl-none", 3, FRIDAY, FRIDAY),
    "301025_invalid_control_id": _with_control_id("item-none"),
    "301025_required_control_empty": _required_empty(),
    "301025_halfday_not_at_0_or_12": attendance_form(TRIP, 3, FRIDAY + 9 * 3600, FRIDAY + 43_200),
    "301025_slice_not_a_multiple": attendance_form(
        OUTING, 4, FRIDAY + 9 * 3600, FRIDAY + 11 * 3600, grain="hour", slices=[(FRIDAY, 7000)]
    ),
    "301025_overtime_over_7_days": attendance_form(
        OVERTIME, 5, THURSDAY - 7 * 86_400, THURSDAY + 3600, grain="hour"
    ),
    "301025_no_apply_data": _without_apply_data(),
    "301025_unknown_vacation": leave_form(99, FRIDAY, FRIDAY),
    "301055_creator_not_in_corp": attendance_form(TRIP, 3, FRIDAY, FRIDAY, creator="nobody"),
    "301079_overlaps_the_trip": attendance_form(
        OVERTIME, 5, FRIDAY + 19 * 3600, FRIDAY + 21 * 3600, grain="hour"
    ),
}


@pytest.mark.parametrize("case", REFUSED_FORMS, ids=lambda c: c)
def test_applyevent(case: str, hr: Hr, trip: str, request: pytest.FixtureRequest) -> None:
    before = hr.stored()

    answer = hr.post("oa/applyevent", copy.deepcopy(REFUSED_FORMS[case]))

    assert answer["errcode"] == int(case.split("_")[0])
    assert "sp_no" not in answer
    assert_golden_case(request, answer)
    assert hr.stored() == before


# -- oa/getapprovalinfo ------------------------------------------------------------------------


def test_getapprovalinfo_ok_with_a_next_cursor_then_without(hr: Hr) -> None:
    first = hr.file(attendance_form(TRIP, 3, THURSDAY, THURSDAY))
    second = hr.file(attendance_form(TRIP, 3, FRIDAY, FRIDAY))

    page = hr.post("oa/getapprovalinfo", window(hr, size=1))
    last = hr.post("oa/getapprovalinfo", window(hr, size=1, new_cursor=page["new_next_cursor"]))

    assert (page["sp_no_list"], last["sp_no_list"]) == ([first], [second])
    assert_golden("getapprovalinfo_ok_next_cursor", page)
    assert_golden("getapprovalinfo_ok", last)


REFUSED_LISTS = {
    "ms_timestamps": {
        "starttime": str(at(2026, 11, 23) * 1000),
        "endtime": str(at(2026, 11, 24) * 1000),
    },
    "reversed": {"starttime": str(at(2026, 11, 24)), "endtime": str(at(2026, 11, 23))},
    "over_31_days": {"starttime": str(at(2026, 10, 1)), "endtime": str(at(2026, 11, 23))},
    "cursor_beyond_int64": {
        "starttime": str(at(2026, 11, 23)),
        "endtime": str(at(2026, 11, 24)),
        "new_cursor": "99999999999999999999_202611230001",
    },
    "bad_filter_key": {
        "starttime": str(at(2026, 11, 23)),
        "endtime": str(at(2026, 11, 24)),
        "filters": [{"key": "colour", "value": "red"}],
    },
}


@pytest.mark.parametrize("case", REFUSED_LISTS, ids=lambda c: c)
def test_getapprovalinfo_301025(
    case: str, hr: Hr, trip: str, request: pytest.FixtureRequest
) -> None:
    before = hr.stored()

    answer = hr.post("oa/getapprovalinfo", REFUSED_LISTS[case])

    assert answer["errcode"] == 301025
    assert_golden_case(request, answer)
    assert hr.stored() == before
    assert hr.post("oa/getapprovalinfo", window(hr))["sp_no_list"] == [trip]


# -- oa/getapprovaldetail ----------------------------------------------------------------------


def test_getapprovaldetail_ok_pending(hr: Hr, trip: str) -> None:
    assert_golden("getapprovaldetail_pending", hr.post("oa/getapprovaldetail", {"sp_no": trip}))


def test_getapprovaldetail_ok_approved(hr: Hr, trip: str) -> None:
    assert hr.api("approve", {"sp_no": trip, "speech": "同意"})["errcode"] == 0
    assert_golden("getapprovaldetail_approved", hr.post("oa/getapprovaldetail", {"sp_no": trip}))


def test_getapprovaldetail_ok_revoked_after_approval(hr: Hr, trip: str) -> None:
    assert hr.api("approve", {"sp_no": trip})["errcode"] == 0
    assert hr.api("revoke", {"sp_no": trip})["errcode"] == 0
    assert_golden("getapprovaldetail_revoked", hr.post("oa/getapprovaldetail", {"sp_no": trip}))


@pytest.mark.parametrize(
    ("case", "body"),
    [("301025_no_sp_no", {}), ("301025_sp_no_not_a_string", {"sp_no": ["x"]})],
    ids=["301025_no_sp_no", "301025_sp_no_not_a_string"],
)
def test_getapprovaldetail(
    case: str, body: dict[str, Any], hr: Hr, trip: str, request: pytest.FixtureRequest
) -> None:
    answer = hr.post("oa/getapprovaldetail", body)
    assert answer["errcode"] == 301025
    assert_golden_case(request, answer)


def test_getapprovaldetail_301026(hr: Hr, trip: str) -> None:
    answer = hr.post("oa/getapprovaldetail", {"sp_no": "202611239999"})
    assert answer["errcode"] == 301026
    assert_golden("getapprovaldetail_301026", answer)


# -- /api/approvals ----------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["approve", "reject", "revoke", "delete"])
def test_api_approvals_action_ok(action: str, hr: Hr, trip: str) -> None:
    answer = hr.api(action, {"sp_no": trip})

    assert answer["errcode"] == 0, answer
    assert_golden(f"api_approvals_{action}_ok", answer)
    status = {"approve": 2, "reject": 3, "revoke": 4, "delete": 7}[action]
    assert [row["sp_status"] for row in hr.stored()] == [status]


REFUSED_ACTIONS = {
    "approve_301055_not_the_approver": ("approve", {"userid": "lisi"}),
    "revoke_301055_not_in_corp": ("revoke", {"userid": "nobody"}),
    "approve_301026_unknown_sp_no": ("approve", {"sp_no": "202611239999"}),
    "reject_301057_already_approved": ("reject", {"userid": "wangwu"}),
    "reject_301057_already_approved_nobody_named": ("reject", {}),
    "revoke_301055_not_the_applicant": ("revoke", {"userid": "lisi"}),
}


@pytest.mark.parametrize("case", REFUSED_ACTIONS, ids=lambda c: c)
def test_api_approvals(case: str, hr: Hr, trip: str, request: pytest.FixtureRequest) -> None:
    if "already_approved" in case:
        assert hr.api("approve", {"sp_no": trip})["errcode"] == 0
    before = hr.stored()
    action, body = REFUSED_ACTIONS[case]

    answer = hr.api(action, {"sp_no": trip, **body})

    assert answer["errcode"] == int(case.split("_")[1])
    assert_golden_case(request, answer)
    assert hr.stored() == before


# -- another corp --------------------------------------------------------------------------------


def test_another_corps_token_never_sees_nor_acts_on_the_first_corps_forms(
    api: Any, store: Any
) -> None:
    load_org(store, make_org(approval_corp(), approval_corp(corpid=OTHER_CORPID)))
    first = Hr(api)
    first.login(CORPID, APPROVAL_SECRET)
    other = Hr(api)
    other.login(OTHER_CORPID, APPROVAL_SECRET)
    sp_no = first.file(attendance_form(TRIP, 3, FRIDAY, FRIDAY))

    assert other.post("oa/getapprovalinfo", window(other))["sp_no_list"] == []
    assert other.post("oa/getapprovaldetail", {"sp_no": sp_no})["errcode"] == 301026
    for action in ("approve", "reject", "revoke", "delete"):
        assert other.api(action, {"sp_no": sp_no, "userid": "wangwu"})["errcode"] == 301026
    assert other.stored() == []
    assert [(r["sp_no"], r["sp_status"]) for r in first.stored()] == [(sp_no, 1)]


def test_two_corps_number_their_forms_alike_yet_acting_in_one_leaves_the_other_alone(
    api: Any, store: Any
) -> None:
    load_org(store, make_org(approval_corp(), approval_corp(corpid=OTHER_CORPID)))
    first = Hr(api)
    first.login(CORPID, APPROVAL_SECRET)
    other = Hr(api)
    other.login(OTHER_CORPID, APPROVAL_SECRET)
    mine = first.file(attendance_form(TRIP, 3, FRIDAY, FRIDAY))
    theirs = other.file(attendance_form(TRIP, 3, FRIDAY, FRIDAY))

    assert other.api("approve", {"sp_no": theirs})["errcode"] == 0

    assert mine == theirs
    assert [(r["sp_no"], r["sp_status"]) for r in first.stored()] == [(mine, 1)]
    assert [(r["sp_no"], r["sp_status"]) for r in other.stored()] == [(theirs, 2)]
    assert first.post("oa/getapprovaldetail", {"sp_no": mine})["info"]["sp_status"] == 1
