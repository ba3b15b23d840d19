"""Transport failures through httpx.MockTransport: timeouts, resets, refused connections,
bodies that are no JSON and HTTP errors. All are TransportError; the transient ones are
retried within the bound, and a request that may create something twice is not re-sent
unless it never left.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from daka.client import (
    HTTPStatusError,
    InvalidResponse,
    NetworkError,
    RequestTimeout,
    TransportError,
)
from tests.client.conftest import FakeWeCom, Sleeper, reply

T0 = 1_795_104_000
PATH = "checkin/getcheckindata"


def request_for(path: str) -> httpx.Request:
    return httpx.Request("POST", f"https://qyapi.weixin.qq.com/cgi-bin/{path}")


FAILURES: list[tuple[str, Any, type[TransportError]]] = [
    ("read-timeout", httpx.ReadTimeout("timed out", request=request_for(PATH)), RequestTimeout),
    (
        "connect-timeout",
        httpx.ConnectTimeout("timed out", request=request_for(PATH)),
        RequestTimeout,
    ),
    (
        "connection-refused",
        httpx.ConnectError("[Errno 111] Connection refused", request=request_for(PATH)),
        NetworkError,
    ),
    (
        "connection-reset",
        httpx.ReadError("[Errno 104] Connection reset by peer", request=request_for(PATH)),
        NetworkError,
    ),
    (
        "server-disconnected",
        httpx.RemoteProtocolError("Server disconnected", request=request_for(PATH)),
        NetworkError,
    ),
    ("not-json", httpx.Response(200, text="<html>captive portal</html>"), InvalidResponse),
    ("truncated-json", httpx.Response(200, text='{"errcode":0,"checkin'), InvalidResponse),
    ("json-but-no-object", httpx.Response(200, json=["ok"]), InvalidResponse),
    ("http-500", httpx.Response(500, text="Internal Server Error"), HTTPStatusError),
    ("http-502", httpx.Response(502, text="Bad Gateway"), HTTPStatusError),
    ("http-503", httpx.Response(503), HTTPStatusError),
]


@pytest.mark.parametrize(
    ("failure", "cls"), [(f, c) for _, f, c in FAILURES], ids=[name for name, _, _ in FAILURES]
)
def test_a_persistent_failure_is_retried_three_times_then_raised(
    make_client: Any,
    wecom: FakeWeCom,
    sleeper: Sleeper,
    failure: Any,
    cls: type[TransportError],
) -> None:
    client = make_client()
    wecom.queue(PATH, *[failure] * 4)

    with pytest.raises(cls) as caught:
        client.getcheckindata(["a"], T0, T0 + 60)

    assert isinstance(caught.value, TransportError)
    assert caught.value.endpoint == PATH
    assert wecom.calls(PATH) == 4
    assert len(sleeper.calls) == 3


@pytest.mark.parametrize(
    "failure", [f for _, f, _ in FAILURES], ids=[name for name, _, _ in FAILURES]
)
def test_a_transient_failure_is_retried_and_the_answer_returned(
    make_client: Any, wecom: FakeWeCom, failure: Any
) -> None:
    client = make_client()
    wecom.queue(PATH, failure, failure)

    result = client.getcheckindata(["a"], T0, T0 + 60)

    assert result.errcode == 0 and result.checkindata == ()
    assert wecom.calls(PATH) == 3


def test_an_http_status_error_keeps_the_status(make_client: Any, wecom: FakeWeCom) -> None:
    client = make_client(retries=0)
    wecom.queue(PATH, httpx.Response(502, text="Bad Gateway"))

    with pytest.raises(HTTPStatusError) as caught:
        client.getcheckindata(["a"], T0, T0 + 60)

    assert caught.value.status_code == 502
    assert "HTTP 502" in str(caught.value)


def test_a_404_is_not_retried(make_client: Any, wecom: FakeWeCom) -> None:
    client = make_client()
    wecom.queue(PATH, httpx.Response(404, text="Not Found"))

    with pytest.raises(HTTPStatusError):
        client.getcheckindata(["a"], T0, T0 + 60)

    assert wecom.calls(PATH) == 1


def test_a_timed_out_rule_creation_is_not_sent_twice(make_client: Any, wecom: FakeWeCom) -> None:
    client = make_client()
    path = "checkin/add_checkin_option"
    wecom.queue(path, httpx.ReadTimeout("timed out", request=request_for(path)))

    with pytest.raises(RequestTimeout) as caught:
        client.add_checkin_option({"grouptype": 1, "groupname": "r"})

    assert caught.value.request_sent
    assert wecom.calls(path) == 1


def test_a_rule_creation_that_never_connected_is_sent_again(
    make_client: Any, wecom: FakeWeCom
) -> None:
    client = make_client()
    path = "checkin/add_checkin_option"
    wecom.queue(path, httpx.ConnectError("refused", request=request_for(path)))

    client.add_checkin_option({"grouptype": 1, "groupname": "r"})

    assert wecom.calls(path) == 2


def test_a_gettoken_that_times_out_is_retried_too(make_client: Any, wecom: FakeWeCom) -> None:
    client = make_client()
    wecom.queue("gettoken", httpx.ReadTimeout("timed out", request=request_for("gettoken")))

    client.getcorpcheckinoption()

    assert wecom.calls("gettoken") == 2


def test_a_failing_chunk_of_a_batch_keeps_the_earlier_chunks(
    make_client: Any, wecom: FakeWeCom
) -> None:
    client = make_client(retries=1)
    path = "checkin/add_checkin_record"
    wecom.queue(
        path, reply({"errcode": 0, "errmsg": "ok"}), *[httpx.Response(502, text="Bad Gateway")] * 2
    )

    with pytest.raises(HTTPStatusError) as caught:
        client.add_checkin_record([{"userid": "a", "checkin_time": T0 + i} for i in range(450)])

    batch = caught.value.batch
    assert batch is not None
    assert [len(c.body["records"]) for c in batch.completed] == [200]
    assert len(batch.failed.body["records"]) == 200
    assert [len(c.body["records"]) for c in batch.pending] == [50]


@pytest.mark.anyio
async def test_the_async_client_maps_and_retries_transport_failures_the_same_way(
    make_async_client: Any, wecom: FakeWeCom, async_sleeper: Sleeper
) -> None:
    wecom.queue(
        PATH,
        httpx.ReadTimeout("timed out", request=request_for(PATH)),
        httpx.Response(502),
        httpx.Response(200, text="nope"),
        httpx.ConnectError("refused", request=request_for(PATH)),
    )

    async with make_async_client() as client:
        with pytest.raises(NetworkError):
            await client.getcheckindata(["a"], T0, T0 + 60)

    assert wecom.calls(PATH) == 4
    assert len(async_sleeper.calls) == 3
