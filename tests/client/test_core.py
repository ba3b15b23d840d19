"""The sans-I/O core: batching plans, merging, error mapping, retry decisions, the rate
limiter and the token state, plus the public surface of the package.
"""

from __future__ import annotations

import math
import subprocess
import sys

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import daka.client
from daka.client import (
    APIError,
    HTTPStatusError,
    InvalidResponse,
    NetworkError,
    ParameterError,
    PermissionDenied,
    RateLimitError,
    RequestTimeout,
    SystemBusyError,
    TokenError,
)
from daka.client import _batching as b
from daka.client import _core as core
from daka.client import _operations as ops
from daka.client._errors import api_error
from daka.client._models import AccessToken
from daka.client._ratelimit import DEFAULT_RATE_LIMITS, RateLimiter
from daka.client._tokens import TokenState
from tests.client.conftest import FakeClock

DAY = 86_400
T0 = 1_795_104_000  # 2026-11-19 00:00 +08:00, a day start


# -- the public surface ----------------------------------------------------------------------


def test_all_public_names_are_exported_and_sorted() -> None:
    public = [name for name in vars(daka.client) if not name.startswith("_")]

    assert daka.client.__all__ == sorted(public, key=str.casefold)


def test_client_and_async_client_offer_the_same_methods() -> None:
    def public(cls: type) -> set[str]:
        return {n for n in vars(cls) if not n.startswith("_")} | {
            n for n in vars(core.BaseClient) if not n.startswith("_")
        }

    assert public(daka.client.Client) - {"close"} == public(daka.client.AsyncClient) - {"aclose"}
    assert len(public(daka.client.Client)) >= 20


def test_the_sdk_imports_nothing_of_the_server_but_the_endpoint_table() -> None:
    code = (
        "import sys, daka.client; "
        "bad = [m for m in sys.modules if m.startswith('daka.') "
        "and not m.startswith('daka.client') "
        "and m not in ('daka.wire', 'daka.wire.endpoints')] "
        "+ [m for m in ('pydantic', 'sqlalchemy', 'starlette') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr


# -- splitting time ranges -------------------------------------------------------------------


def test_ninety_days_of_check_ins_are_three_day_aligned_chunks() -> None:
    chunks = b.split_seconds(T0, T0 + 90 * DAY - 1, b.CHECKIN_DATA_SPAN)

    assert chunks == [
        (T0, T0 + 30 * DAY - 1),
        (T0 + 30 * DAY, T0 + 60 * DAY - 1),
        (T0 + 60 * DAY, T0 + 90 * DAY - 1),
    ]


def test_a_range_within_the_span_is_one_chunk_even_when_backwards() -> None:
    assert b.split_seconds(T0, T0 + 30 * DAY, b.CHECKIN_DATA_SPAN) == [(T0, T0 + 30 * DAY)]
    assert b.split_seconds(T0, T0 - 5, b.CHECKIN_DATA_SPAN) == [(T0, T0 - 5)]


def test_a_range_seconds_over_a_multiple_of_the_span_still_takes_the_fewest_calls() -> None:
    # 60 days + 1 s: two chunks of 30 days + 1 s each cover it; day alignment would take 3.
    chunks = b.split_seconds(T0, T0 + 60 * DAY + 1, 30 * DAY)

    assert chunks == [(T0, T0 + 30 * DAY), (T0 + 30 * DAY + 1, T0 + 60 * DAY + 1)]


@given(
    start=st.integers(0, 2**31),
    length=st.integers(0, 400 * DAY),
    span=st.sampled_from([30 * DAY, 31 * DAY, DAY, 3 * DAY + 7]),
)
def test_split_seconds_covers_the_range_in_the_fewest_chunks_within_the_span(
    start: int, length: int, span: int
) -> None:
    """Chunks tile [start, end] in order, each within the span, and there are no fewer."""
    end = start + length
    chunks = b.split_seconds(start, end, span)

    assert chunks[0][0] == start and chunks[-1][1] == end
    assert all(e - s <= span and s <= e for s, e in chunks)
    assert all(prev[1] + 1 == nxt[0] for prev, nxt in zip(chunks, chunks[1:], strict=False))
    assert len(chunks) == math.ceil((length + 1) / (span + 1))


@given(days=st.integers(1, 400))
def test_split_days_gives_inclusive_day_ranges_of_at_most_30_days(days: int) -> None:
    """Every chunk starts on a day start, holds ≤ 30 days, and together they hold every day."""
    chunks = b.split_days(T0, T0 + (days - 1) * DAY)

    covered = [d for s, e in chunks for d in range(s, e + 1, DAY)]
    assert covered == [T0 + k * DAY for k in range(days)]
    assert all((e - s) // DAY + 1 <= 30 and (s - T0) % DAY == 0 for s, e in chunks)
    assert len(chunks) == math.ceil(days / 30)


# -- plans -----------------------------------------------------------------------------------


def test_a_thousand_users_over_ninety_days_is_thirty_requests_users_outer_time_inner() -> None:
    users = [f"u{i:04}" for i in range(1000)]

    op = ops.getcheckindata(users, T0, T0 + 90 * DAY - 1, 3)

    assert len(op.chunks) == 30
    first, second, fourth = op.chunks[0].body, op.chunks[1].body, op.chunks[3].body
    assert first["useridlist"] == users[:100] and second["useridlist"] == users[:100]
    assert (first["starttime"], second["starttime"]) == (T0, T0 + 30 * DAY)
    assert fourth["useridlist"] == users[100:200] and fourth["starttime"] == T0
    assert list(first) == ["opencheckindatatype", "starttime", "endtime", "useridlist"]


def test_repeated_userids_are_requested_once() -> None:
    op = ops.getcheckinoption(T0, ["a", "b", "a", "c", "b"])

    assert [c.body["useridlist"] for c in op.chunks] == [["a", "b", "c"]]


def test_an_empty_user_list_still_makes_one_request_for_the_server_to_refuse() -> None:
    assert [c.body["useridlist"] for c in ops.getcheckindata([], T0, T0 + 60, 3).chunks] == [[]]


def test_records_go_two_hundred_per_request() -> None:
    records = [{"userid": "u", "checkin_time": T0 + i} for i in range(450)]

    op = ops.add_checkin_record(records)

    assert [len(c.body["records"]) for c in op.chunks] == [200, 200, 50]


def test_reports_split_by_30_days_and_schedules_by_31() -> None:
    day_op = ops.getcheckin_daydata(["a"], T0, T0 + 44 * DAY)  # 45 days
    schedule_op = ops.getcheckinschedulist(["a"], T0, T0 + 62 * DAY - 1)

    assert [(c.body["starttime"], c.body["endtime"]) for c in day_op.chunks] == [
        (T0, T0 + 29 * DAY),
        (T0 + 30 * DAY, T0 + 44 * DAY),
    ]
    assert len(schedule_op.chunks) == 2


# -- merging ---------------------------------------------------------------------------------


def row(userid: str, t: int, **extra: object) -> dict[str, object]:
    return {"userid": userid, "checkin_time": t, "checkin_type": "上班打卡", **extra}


def test_merged_rows_are_ordered_like_one_unlimited_call() -> None:
    op = ops.getcheckindata(["b", "a"], T0, T0 + 45 * DAY, 3)
    first, second = op.chunks
    answers = [
        (first, {"errcode": 0, "checkindata": [row("b", T0 + 1), row("a", T0 + 2)]}),
        (second, {"errcode": 0, "checkindata": [row("b", T0 + 31 * DAY), row("a", T0 + 32 * DAY)]}),
    ]

    merged = op.merge(answers)

    assert [(r.userid, r.checkin_time) for r in merged.checkindata] == [
        ("b", T0 + 1),
        ("b", T0 + 31 * DAY),
        ("a", T0 + 2),
        ("a", T0 + 32 * DAY),
    ]
    assert merged.raw["errcode"] == 0 and len(merged.raw["checkindata"]) == 4


def test_a_row_returned_on_both_sides_of_a_seam_is_kept_once() -> None:
    op = ops.getcheckindata(["a"], T0, T0 + 45 * DAY, 3)
    straddling = row("a", T0 + 30 * DAY - 60, sch_checkin_time=T0 + 30 * DAY)
    answers = [
        (op.chunks[0], {"checkindata": [row("a", T0), straddling]}),
        (op.chunks[1], {"checkindata": [dict(straddling), row("a", T0 + 31 * DAY)]}),
    ]

    merged = op.merge(answers)

    assert [r.checkin_time for r in merged.checkindata] == [T0, T0 + 30 * DAY - 60, T0 + 31 * DAY]


def test_a_month_reported_by_two_schedule_chunks_is_joined() -> None:
    op = ops.getcheckinschedulist(["a"], T0, T0 + 40 * DAY)

    def element(days: list[int]) -> dict[str, object]:
        return {
            "userid": "a",
            "yearmonth": 202612,
            "groupid": 5,
            "groupname": "排班",
            "schedule": {
                "scheduleList": [
                    {
                        "day": d,
                        "schedule_info": {
                            "schedule_id": 1,
                            "schedule_name": "早班",
                            "time_section": [],
                        },
                    }
                    for d in days
                ]
            },
        }

    merged = op.merge(
        [
            (op.chunks[0], {"schedule_list": [element([20, 19])]}),
            (op.chunks[1], {"schedule_list": [element([21, 20])]}),
        ]
    )

    [month] = merged.schedule_list
    assert [d.day for d in month.days] == [19, 20, 21]
    assert month.yearmonth == 202612


def test_month_reports_of_a_long_range_carry_their_period() -> None:
    op = ops.getcheckin_monthdata(["a", "b"], T0, T0 + 44 * DAY)

    def report(userid: str, work_days: int) -> dict[str, object]:
        return {"base_info": {"acctid": userid}, "summary_info": {"work_days": work_days}}

    merged = op.merge(
        [
            (op.chunks[0], {"datas": [report("a", 20), report("b", 21)]}),
            (op.chunks[1], {"datas": [report("a", 10), report("b", 11)]}),
        ]
    )

    assert [(r.userid, r.work_days, r.period) for r in merged.datas] == [
        ("a", 20, (T0, T0 + 29 * DAY)),
        ("a", 10, (T0 + 30 * DAY, T0 + 44 * DAY)),
        ("b", 21, (T0, T0 + 29 * DAY)),
        ("b", 11, (T0 + 30 * DAY, T0 + 44 * DAY)),
    ]


def test_typed_results_keep_the_raw_json_and_parse_leniently() -> None:
    token = AccessToken.from_raw(
        {"errcode": 0, "errmsg": "ok", "access_token": "t", "expires_in": "7200", "future_field": 1}
    )
    rules = ops.getcorpcheckinoption().merge(
        [
            (
                ops.getcorpcheckinoption().chunks[0],
                {
                    "errcode": 0,
                    "group": [
                        {
                            "groupid": 3,
                            "groupname": "r",
                            "grouptype": 1,
                            "range": {"partyid": [1], "userid": ["a"], "tagid": ["2"]},
                        }
                    ],
                },
            )
        ]
    )

    assert (token.access_token, token.expires_in, token.raw["future_field"]) == ("t", 7200, 1)
    [rule] = rules.group
    assert (rule.groupid, rule.range.party_id, rule.range.tagid) == (3, ("1",), (2,))
    assert rule.raw["range"]["userid"] == ["a"]


# -- answers and errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("errcode", "cls"),
    [
        (40014, TokenError),
        (42001, TokenError),
        (40001, TokenError),
        (41001, TokenError),
        (45009, RateLimitError),
        (45033, RateLimitError),
        (40058, ParameterError),
        (301021, ParameterError),
        (301023, ParameterError),
        (301024, ParameterError),
        (301075, ParameterError),
        (60111, ParameterError),
        (301083, ParameterError),
        (301094, ParameterError),
        (48002, PermissionDenied),
        (60020, PermissionDenied),
        (301092, PermissionDenied),
        (-1, SystemBusyError),
        (6000, APIError),
    ],
)
def test_each_errcode_maps_to_its_class_and_keeps_errcode_and_errmsg(
    errcode: int, cls: type
) -> None:
    response = httpx.Response(
        200, json={"errcode": errcode, "errmsg": "x, hint: [abc], ", "checkindata": []}
    )

    with pytest.raises(APIError) as caught:
        core.parse_answer(core.GETCHECKINDATA, response)

    assert type(caught.value) is cls
    assert (caught.value.errcode, caught.value.errmsg) == (errcode, "x, hint: [abc], ")
    assert caught.value.hint == "abc"
    assert caught.value.endpoint == "checkin/getcheckindata"
    assert caught.value.raw["checkindata"] == []


def test_an_http_error_or_a_body_that_is_no_json_object_is_a_transport_error() -> None:
    with pytest.raises(HTTPStatusError) as status:
        core.parse_answer(core.GETCHECKINDATA, httpx.Response(502, text="Bad Gateway"))
    with pytest.raises(InvalidResponse):
        core.parse_answer(core.GETCHECKINDATA, httpx.Response(200, text="<html>portal</html>"))
    with pytest.raises(InvalidResponse):
        core.parse_answer(core.GETCHECKINDATA, httpx.Response(200, json=[1, 2]))

    assert status.value.status_code == 502


def test_httpx_failures_map_to_timeout_and_network_errors() -> None:
    request = httpx.Request("POST", "http://x/cgi-bin/checkin/getcheckindata")

    timeout = core.transport_error(core.GETCHECKINDATA, httpx.ReadTimeout("t", request=request))
    refused = core.transport_error(core.GETCHECKINDATA, httpx.ConnectError("c", request=request))
    reset = core.transport_error(
        core.GETCHECKINDATA, httpx.RemoteProtocolError("r", request=request)
    )

    assert isinstance(timeout, RequestTimeout) and timeout.request_sent
    assert isinstance(refused, NetworkError) and not refused.request_sent
    assert isinstance(reset, NetworkError) and reset.request_sent


# -- retry decisions -------------------------------------------------------------------------


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    low = core.RetryPolicy(backoff=1.0, max_backoff=5.0, jitter=lambda: 0.0)
    high = core.RetryPolicy(backoff=1.0, max_backoff=5.0, jitter=lambda: 1.0)

    assert [low.delay(n) for n in range(4)] == [0.5, 1.0, 2.0, 2.5]
    assert [high.delay(n) for n in range(4)] == [1.0, 2.0, 4.0, 5.0]


def test_retry_decisions() -> None:
    policy = core.RetryPolicy(retries=3)
    busy = api_error(-1, "system busy")
    limited = api_error(45009, "api freq out of limit")
    bad = api_error(40058, "invalid parameter")
    request = httpx.Request("POST", "http://x/")
    timeout = core.transport_error(core.ADD_CHECKIN_OPTION, httpx.ReadTimeout("t", request=request))
    refused = core.transport_error(
        core.ADD_CHECKIN_OPTION, httpx.ConnectError("c", request=request)
    )

    assert policy.should_retry(core.GETCHECKINDATA, busy, 0)
    assert policy.should_retry(core.GETCHECKINDATA, limited, 2)
    assert not policy.should_retry(core.GETCHECKINDATA, limited, 3)  # bounded
    assert not policy.should_retry(core.GETCHECKINDATA, bad, 0)
    assert policy.should_retry(core.GETCHECKINDATA, timeout, 0)
    # Creating a rule twice would make two rules: only re-sent when it never left.
    assert not policy.should_retry(core.ADD_CHECKIN_OPTION, timeout, 0)
    assert policy.should_retry(core.ADD_CHECKIN_OPTION, refused, 0)
    assert policy.should_retry(core.GETCHECKINDATA, HTTPStatusError("x", status_code=503), 0)
    assert not policy.should_retry(core.GETCHECKINDATA, HTTPStatusError("x", status_code=404), 0)


def test_a_token_is_refreshed_only_for_the_codes_a_new_token_cures_and_only_once() -> None:
    assert core.needs_new_token(api_error(42001, "expired"), refreshed=False)
    assert not core.needs_new_token(api_error(42001, "expired"), refreshed=True)
    assert not core.needs_new_token(api_error(41001, "missing"), refreshed=False)


def test_requests_carry_the_token_in_the_query_and_json_in_the_body() -> None:
    spec = core.build_request(core.GETCHECKINDATA, core.Payload(body={"a": "打卡"}), "tok")

    assert (spec.method, spec.url, spec.params) == (
        "POST",
        "checkin/getcheckindata",
        {"access_token": "tok"},
    )
    assert spec.content == '{"a":"打卡"}'.encode()
    assert (
        core.cgi_base_url("https://qyapi.weixin.qq.com") == "https://qyapi.weixin.qq.com/cgi-bin/"
    )
    assert core.cgi_base_url("http://h:1/cgi-bin/") == "http://h:1/cgi-bin/"


# -- rate limiter and token state ------------------------------------------------------------


def test_the_limiter_allows_the_documented_minute_budget_then_says_how_long_to_wait() -> None:
    clock = FakeClock(0.0)
    limiter = RateLimiter(clock=clock)

    waits = []
    for _ in range(61):
        waits.append(limiter.reserve("checkin/add_checkin_record"))
        clock.advance(0.5)

    assert DEFAULT_RATE_LIMITS["checkin/add_checkin_record"] == 60
    assert waits[:60] == [0.0] * 60
    assert waits[60] == pytest.approx(60.0 - 30.0)
    assert limiter.reserve("checkin/getcheckinoption") == 0.0  # no documented limit


def test_a_slot_frees_up_once_the_oldest_send_is_a_minute_old() -> None:
    clock = FakeClock(0.0)
    limiter = RateLimiter({"x": 2}, clock=clock)
    limiter.reserve("x")
    limiter.reserve("x")

    clock.advance(60.0)

    assert limiter.reserve("x") == 0.0


def test_a_token_is_used_until_shortly_before_it_expires() -> None:
    clock = FakeClock(0.0)
    state = TokenState(clock, margin=300)
    state.store(AccessToken({}, "t", 7200))

    clock.advance(6899)
    assert state.current() == "t"
    clock.advance(1)
    assert state.current() is None
