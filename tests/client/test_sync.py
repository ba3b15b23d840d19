"""The blocking Client on a fake WeCom (httpx.MockTransport): one method per endpoint, tokens,
batching, rate limits, retries and partial failures.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from daka.client import (
    Ack,
    APIError,
    Client,
    ParameterError,
    RateLimitError,
    SystemBusyError,
    TokenError,
)
from tests.client.conftest import (
    CORPID,
    CountingTransport,
    FakeWeCom,
    Sleeper,
    error,
    path_of,
    reply,
)

DAY = 86_400
T0 = 1_795_104_000  # 2026-11-19 00:00 +08:00


def users(n: int) -> list[str]:
    return [f"user{i:04}" for i in range(n)]


def echo_rows(body: dict[str, Any]) -> dict[str, Any]:
    """getcheckindata rows: one per requested user at the chunk's start."""
    return {
        "checkindata": [
            {"userid": u, "checkin_time": body["starttime"]} for u in body["useridlist"]
        ]
    }


# -- one method per endpoint -----------------------------------------------------------------


ENDPOINT_CALLS: list[tuple[str, Callable[[Client], Any], dict[str, Any]]] = [
    (
        "checkin/getcheckindata",
        lambda c: c.getcheckindata(["a"], T0, T0 + 60),
        {"opencheckindatatype": 3, "starttime": T0, "endtime": T0 + 60, "useridlist": ["a"]},
    ),
    (
        "checkin/getcheckinoption",
        lambda c: c.getcheckinoption(T0, ["a"]),
        {"datetime": T0, "useridlist": ["a"]},
    ),
    ("checkin/getcorpcheckinoption", lambda c: c.getcorpcheckinoption(), {}),
    (
        "checkin/getcheckin_daydata",
        lambda c: c.getcheckin_daydata(["a"], T0, T0),
        {"starttime": T0, "endtime": T0, "useridlist": ["a"]},
    ),
    (
        "checkin/getcheckin_monthdata",
        lambda c: c.getcheckin_monthdata(["a"], T0, T0 + DAY),
        {"starttime": T0, "endtime": T0 + DAY, "useridlist": ["a"]},
    ),
    (
        "checkin/getcheckinschedulist",
        lambda c: c.getcheckinschedulist(["a"], T0, T0 + DAY),
        {"starttime": T0, "endtime": T0 + DAY, "useridlist": ["a"]},
    ),
    (
        "checkin/setcheckinschedulist",
        lambda c: c.setcheckinschedulist(5, [{"userid": "a", "day": 24, "schedule_id": 1}], 202611),
        {
            "groupid": 5,
            "items": [{"userid": "a", "day": 24, "schedule_id": 1}],
            "yearmonth": 202611,
        },
    ),
    (
        "checkin/punch_correction",
        lambda c: c.punch_correction(
            "a", T0, T0 + 32000, schedule_checkin_time=32400, remark="忘记打卡"
        ),
        {
            "userid": "a",
            "schedule_date_time": T0,
            "schedule_checkin_time": 32400,
            "checkin_time": T0 + 32000,
            "remark": "忘记打卡",
        },
    ),
    (
        "checkin/addcheckinuserface",
        lambda c: c.addcheckinuserface("a", b"\x89PNG"),
        {"userid": "a", "userface": "iVBORw=="},
    ),
    (
        "checkin/add_checkin_option",
        lambda c: c.add_checkin_option({"grouptype": 1, "groupname": "r"}, effective_now=True),
        {"effective_now": True, "group": {"grouptype": 1, "groupname": "r"}},
    ),
    (
        "checkin/update_checkin_option",
        lambda c: c.update_checkin_option({"groupid": 3, "groupname": "r2"}),
        {"effective_now": False, "group": {"groupid": 3, "groupname": "r2"}},
    ),
    (
        "checkin/clear_checkin_option_array_field",
        lambda c: c.clear_checkin_option_array_field(3, [1, 2]),
        {"groupid": 3, "clear_field": [1, 2], "effective_now": False},
    ),
    (
        "checkin/del_checkin_option",
        lambda c: c.del_checkin_option(3, effective_now=True),
        {"groupid": 3, "effective_now": True},
    ),
    (
        "checkin/add_checkin_record",
        lambda c: c.add_checkin_record([{"userid": "a", "checkin_time": T0}]),
        {"records": [{"userid": "a", "checkin_time": T0}]},
    ),
    (
        "hardware/get_hardware_checkin_data",
        lambda c: c.get_hardware_checkin_data(["a"], T0, T0 + DAY, filter_type=2),
        {"filter_type": 2, "starttime": T0, "endtime": T0 + DAY, "useridlist": ["a"]},
    ),
]


@pytest.mark.parametrize(
    ("path", "call", "body"), ENDPOINT_CALLS, ids=[p for p, _, _ in ENDPOINT_CALLS]
)
def test_each_method_posts_its_endpoint_with_the_token_in_the_query(
    client: Client,
    wecom: FakeWeCom,
    path: str,
    call: Callable[[Client], Any],
    body: dict[str, Any],
) -> None:
    result = call(client)

    [request] = [r for r in wecom.requests if path_of(r) == path]
    assert request.method == "POST"
    assert request.url.params["access_token"] == "token-1"
    assert json.loads(request.content) == body
    assert result.errcode == 0 and result.raw["errmsg"] == "ok"


def test_gettoken_and_media_upload_and_get(client: Client, wecom: FakeWeCom) -> None:
    token = client.gettoken()
    uploaded = client.media_upload(b"\x89PNG...", filename="p.png", content_type="image/png")
    media = client.media_get(uploaded.media_id, byte_range=(0, 1023))

    assert (token.access_token, token.expires_in) == ("token-1", 7200)
    gettoken, upload, get = wecom.requests
    assert gettoken.method == "GET"
    assert dict(gettoken.url.params) == {"corpid": CORPID, "corpsecret": "client-secret"}
    assert upload.url.params["type"] == "image"
    assert b'name="media"; filename="p.png"' in upload.content
    assert (uploaded.media_id, uploaded.created_at) == ("1G6nrLmr5", 1380000000)
    assert get.method == "GET" and get.url.params["media_id"] == "1G6nrLmr5"
    assert get.headers["range"] == "bytes=0-1023"
    assert (media.content, media.content_type, media.filename) == (
        b"\x89PNG...",
        "image/png",
        "MEDIA.png",
    )


def test_media_get_raises_the_json_error_wecom_answers_instead_of_a_file(
    client: Client, wecom: FakeWeCom
) -> None:
    wecom.queue("media/get", error(40007, "invalid media_id"))

    with pytest.raises(ParameterError) as caught:
        client.media_get("nope")

    assert caught.value.errcode == 40007


def test_call_reaches_any_endpoint_and_returns_the_raw_json(
    client: Client, wecom: FakeWeCom
) -> None:
    answer = client.call("/cgi-bin/checkin/getcorpcheckinoption")

    assert answer == {"errcode": 0, "errmsg": "ok", "group": []}


def test_call_can_use_get_for_endpoints_the_sdk_does_not_wrap(
    client: Client, wecom: FakeWeCom
) -> None:
    wecom.queue("user/simplelist", reply({"errcode": 0, "errmsg": "ok", "userlist": []}))

    answer = client.call("user/simplelist", method="get", params={"department_id": "1"})

    request = wecom.requests[-1]
    assert (request.method, request.url.params["department_id"]) == ("GET", "1")
    assert answer["userlist"] == []


def test_results_are_typed_and_keep_the_raw_json(client: Client, wecom: FakeWeCom) -> None:
    wecom.handlers["checkin/getcheckindata"] = lambda body: {
        "checkindata": [
            {
                "userid": "a",
                "groupname": "打卡一组",
                "checkin_type": "上班打卡",
                "exception_type": "时间异常;地点异常",
                "checkin_time": T0 + 33000,
                "mediaids": ["WWCISP_1"],
                "lat": 30547645,
                "lng": 104063236,
                "groupid": 1,
                "sch_checkin_time": T0 + 32400,
                "timeline_id": 2,
                "new_field": True,
            }
        ]
    }

    [record] = client.getcheckindata(["a"], T0, T0 + DAY).checkindata

    assert (record.userid, record.checkin_type, record.exceptions) == (
        "a",
        "上班打卡",
        ("时间异常", "地点异常"),
    )
    assert (record.mediaids, record.lat, record.groupid, record.timeline_id) == (
        ("WWCISP_1",),
        30547645,
        1,
        2,
    )
    assert record.raw["new_field"] is True


# -- batching --------------------------------------------------------------------------------


def test_a_thousand_users_over_ninety_days_take_exactly_thirty_calls(
    wecom: FakeWeCom, make_client: Any
) -> None:
    counting = CountingTransport(httpx.MockTransport(wecom))
    client = make_client(transport=counting)
    wecom.handlers["checkin/getcheckindata"] = echo_rows
    everyone = users(1000)

    result = client.getcheckindata(everyone, T0, T0 + 90 * DAY - 1)

    assert counting.counts["checkin/getcheckindata"] == 30
    assert counting.counts["gettoken"] == 1
    # Users in request order, each user's rows in time order.
    assert [(r.userid, r.checkin_time) for r in result.checkindata[:4]] == [
        ("user0000", T0),
        ("user0000", T0 + 30 * DAY),
        ("user0000", T0 + 60 * DAY),
        ("user0001", T0),
    ]
    assert [r.userid for r in result.checkindata[::3]] == everyone


def test_a_long_range_with_empty_answers_takes_the_minimum_calls(
    wecom: FakeWeCom, make_client: Any
) -> None:
    counting = CountingTransport(httpx.MockTransport(wecom))
    client = make_client(transport=counting)

    result = client.getcheckindata(users(1000), T0, T0 + 90 * DAY - 1)

    assert counting.counts["checkin/getcheckindata"] == 30
    assert result.checkindata == ()


def test_other_endpoints_split_by_their_own_limits(client: Client, wecom: FakeWeCom) -> None:
    client.add_checkin_record([{"userid": "a", "checkin_time": T0 + i} for i in range(401)])
    client.getcheckinoption(T0, users(250))
    client.getcheckin_daydata(users(101), T0, T0 + 30 * DAY)  # 31 days
    client.getcheckinschedulist(users(10), T0, T0 + 31 * DAY)  # fits one month
    client.get_hardware_checkin_data(users(10), T0, T0 + 40 * DAY)

    assert [
        wecom.calls(p)
        for p in (
            "checkin/add_checkin_record",
            "checkin/getcheckinoption",
            "checkin/getcheckin_daydata",
            "checkin/getcheckinschedulist",
            "hardware/get_hardware_checkin_data",
        )
    ] == [3, 3, 4, 1, 2]


def test_day_reports_merge_users_first_then_days(client: Client, wecom: FakeWeCom) -> None:
    wecom.handlers["checkin/getcheckin_daydata"] = lambda body: {
        "datas": [
            {"base_info": {"date": day, "acctid": u}, "summary_info": {"checkin_count": 2}}
            for u in body["useridlist"]
            for day in range(body["starttime"], body["endtime"] + 1, DAY)
        ]
    }

    result = client.getcheckin_daydata(["b", "a"], T0, T0 + 34 * DAY)  # 35 days, 2 calls

    assert [(r.userid, r.date) for r in result.datas] == (
        [("b", T0 + k * DAY) for k in range(35)] + [("a", T0 + k * DAY) for k in range(35)]
    )
    assert wecom.calls("checkin/getcheckin_daydata") == 2


def test_a_failed_chunk_raises_with_what_succeeded_attached(
    client: Client, wecom: FakeWeCom
) -> None:
    wecom.handlers["checkin/getcheckindata"] = echo_rows
    wecom.queue(
        "checkin/getcheckindata",
        lambda r: reply({"errcode": 0, "errmsg": "ok", **echo_rows(json.loads(r.content))}),
        error(301021, "invalid userid"),
    )

    with pytest.raises(ParameterError) as caught:
        client.getcheckindata(users(250), T0, T0 + DAY)

    batch = caught.value.batch
    assert batch is not None
    assert [c.index for c in batch.completed] == [0]
    assert batch.failed.index == 1 and batch.failed.body["useridlist"] == users(250)[100:200]
    assert [c.index for c in batch.pending] == [2]
    assert [r.userid for r in caught.value.partial.checkindata] == users(100)
    assert wecom.calls("checkin/getcheckindata") == 2  # the third chunk was never sent


def test_a_failed_single_request_has_no_batch(client: Client, wecom: FakeWeCom) -> None:
    wecom.queue("checkin/add_checkin_record", error(60111, "userid not found"))

    with pytest.raises(ParameterError) as caught:
        client.add_checkin_record([{"userid": "ghost", "checkin_time": T0}])

    assert caught.value.batch is None and caught.value.partial is None


# -- tokens ----------------------------------------------------------------------------------


def test_the_token_is_fetched_once_and_reused(client: Client, wecom: FakeWeCom) -> None:
    for _ in range(5):
        client.getcorpcheckinoption()

    assert wecom.calls("gettoken") == 1
    assert {r.url.params["access_token"] for r in wecom.requests[1:]} == {"token-1"}


def test_a_token_near_expiry_is_replaced_before_use(
    client: Client, wecom: FakeWeCom, fake_clock: Any
) -> None:
    client.getcorpcheckinoption()
    fake_clock.advance(7200 - 299)  # inside the 300 s margin

    client.getcorpcheckinoption()

    assert wecom.calls("gettoken") == 2
    assert wecom.requests[-1].url.params["access_token"] == "token-2"


@pytest.mark.parametrize("errcode", [42001, 40014, 40001])
def test_a_refused_token_is_refreshed_once_and_the_call_retried(
    client: Client, wecom: FakeWeCom, errcode: int
) -> None:
    client.getcorpcheckinoption()
    wecom.queue("checkin/getcorpcheckinoption", error(errcode, "token refused"))

    result = client.getcorpcheckinoption()

    assert result.errcode == 0
    assert wecom.calls("gettoken") == 2
    assert wecom.requests[-1].url.params["access_token"] == "token-2"


def test_a_second_consecutive_token_error_raises_instead_of_looping(
    client: Client, wecom: FakeWeCom
) -> None:
    wecom.queue(
        "checkin/getcheckindata",
        error(42001, "access_token expired"),
        error(42001, "access_token expired"),
        reply({"errcode": 0, "errmsg": "ok"}),
    )

    with pytest.raises(TokenError) as caught:
        client.getcheckindata(["a"], T0, T0 + 60)

    assert caught.value.errcode == 42001
    assert wecom.calls("gettoken") == 2
    assert wecom.calls("checkin/getcheckindata") == 2


def test_a_wrong_secret_is_a_token_error_without_retries(
    make_client: Any, wecom: FakeWeCom
) -> None:
    client = make_client(corpsecret="wrong")

    with pytest.raises(TokenError) as caught:
        client.getcorpcheckinoption()

    assert caught.value.errcode == 40001 and caught.value.endpoint == "gettoken"
    assert len(wecom.requests) == 1


def test_two_threads_meeting_an_expired_token_cause_one_gettoken(
    client: Client, wecom: FakeWeCom
) -> None:
    client.getcorpcheckinoption()  # token-1 cached
    wecom.expire_all()  # WeCom revokes it early
    both_refused = threading.Barrier(2, timeout=5)
    inner = FakeWeCom.__call__

    def handler(request: httpx.Request) -> httpx.Response:
        response = inner(wecom, request)
        if request.url.params.get("access_token") == "token-1":
            both_refused.wait()  # both threads hold the refused token before either refreshes
        return response

    client._http._transport = httpx.MockTransport(handler)
    results: list[Any] = []
    threads = [
        threading.Thread(target=lambda: results.append(client.getcorpcheckinoption()))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert len(results) == 2
    assert wecom.calls("gettoken") == 2  # the first token, then ONE refresh
    retried = [r for r in wecom.requests if path_of(r) == "checkin/getcorpcheckinoption"][-2:]
    assert {r.url.params["access_token"] for r in retried} == {"token-2"}


def test_two_threads_starting_without_a_token_share_one_gettoken(
    client: Client, wecom: FakeWeCom
) -> None:
    threads = [threading.Thread(target=client.getcorpcheckinoption) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert wecom.calls("gettoken") == 1
    assert wecom.calls("checkin/getcorpcheckinoption") == 8


# -- rate limits and retries -----------------------------------------------------------------


def test_the_61st_add_checkin_record_in_a_minute_waits_instead_of_sending(
    client: Client, wecom: FakeWeCom, sleeper: Sleeper
) -> None:
    records = [{"userid": "a", "checkin_time": T0 + i} for i in range(60 * 200)]
    client.add_checkin_record(records)  # 60 requests in the same instant
    assert sleeper.calls == []
    sent = len(wecom.requests)

    client.add_checkin_record(records[:1])

    assert sleeper.calls == [pytest.approx(60.0)]
    assert len(wecom.requests) == sent + 1  # sent once, after the wait


def test_rate_limits_can_be_changed_or_switched_off(make_client: Any, sleeper: Sleeper) -> None:
    unlimited = make_client(rate_limits={})
    for _ in range(100):
        unlimited.getcheckin_monthdata(["a"], T0, T0)
    strict = make_client(rate_limits={"checkin/getcorpcheckinoption": 1})
    strict.getcorpcheckinoption()
    strict.getcorpcheckinoption()

    assert sleeper.calls == [pytest.approx(60.0)]


@pytest.mark.parametrize("errcode", [45009, 45033])
def test_rate_limit_errors_are_retried_with_backoff_then_raised(
    client: Client, wecom: FakeWeCom, sleeper: Sleeper, errcode: int
) -> None:
    wecom.queue("checkin/getcheckindata", *[error(errcode, "api freq out of limit")] * 4)

    with pytest.raises(RateLimitError) as caught:
        client.getcheckindata(["a"], T0, T0 + 60)

    assert caught.value.errcode == errcode
    assert wecom.calls("checkin/getcheckindata") == 4  # 1 + 3 retries
    assert len(sleeper.calls) == 3
    assert sleeper.calls == sorted(sleeper.calls) and sleeper.calls[0] > 0


def test_system_busy_is_retried_and_a_later_success_is_returned(
    client: Client, wecom: FakeWeCom, sleeper: Sleeper
) -> None:
    wecom.queue("checkin/getcorpcheckinoption", error(-1, "system busy"), error(-1, "system busy"))

    result = client.getcorpcheckinoption()

    assert result.errcode == 0
    assert wecom.calls("checkin/getcorpcheckinoption") == 3
    assert len(sleeper.calls) == 2


def test_system_busy_past_the_bound_is_raised(client: Client, wecom: FakeWeCom) -> None:
    wecom.queue("checkin/punch_correction", *[error(-1, "system busy")] * 4)

    with pytest.raises(SystemBusyError) as caught:
        client.punch_correction("a", T0, T0 + 32000)

    assert isinstance(caught.value, APIError) and caught.value.errcode == -1


def test_retries_can_be_switched_off(make_client: Any, wecom: FakeWeCom) -> None:
    client = make_client(retries=0)
    wecom.queue("checkin/getcorpcheckinoption", error(45009, "api freq out of limit"))

    with pytest.raises(RateLimitError):
        client.getcorpcheckinoption()

    assert wecom.calls("checkin/getcorpcheckinoption") == 1


@pytest.mark.parametrize(
    ("errcode", "cls"),
    [
        (40058, ParameterError),
        (301023, ParameterError),
        (301024, ParameterError),
        (301021, ParameterError),
        (41001, TokenError),
        (45009, RateLimitError),
        (6000, APIError),
    ],
)
def test_api_errors_carry_errcode_and_errmsg_and_are_not_retried_unless_transient(
    make_client: Any, wecom: FakeWeCom, errcode: int, cls: type[APIError]
) -> None:
    client = make_client(retries=0)
    wecom.queue("checkin/getcheckindata", error(errcode, "refused"))

    with pytest.raises(cls) as caught:
        client.getcheckindata(["a"], T0, T0 + 60)

    assert caught.value.errcode == errcode
    assert caught.value.errmsg.startswith("refused, hint: [1700000000123]")
    assert caught.value.hint == "1700000000123"
    assert wecom.calls("checkin/getcheckindata") == 1


def test_acks_of_a_batched_write_are_one_ok(client: Client) -> None:
    ack = client.add_checkin_record([{"userid": "a", "checkin_time": T0 + i} for i in range(300)])

    assert ack == Ack({"errcode": 0, "errmsg": "ok"})
