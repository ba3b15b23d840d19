"""``--rate-limits wecom`` over HTTP: WeCom's per-minute limits, answered as WeCom does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from wechatpy.exceptions import APILimitedException
from wecomkit.exceptions import WeComRateLimitError

from tests.e2e.conftest import SHARED_CORPS, Api, DakaServer, run_wecomkit, wechatpy_client

pytestmark = pytest.mark.slow


def test_the_61st_getcorpcheckinoption_within_a_minute_gets_45009_with_an_empty_group(
    launch: Callable[..., DakaServer], api_factory: Callable[..., Api]
) -> None:
    server = launch(rate_limits="wecom")
    api = api_factory(server)
    for n in range(60):
        body = api.post("checkin/getcorpcheckinoption", {})
        assert body["errcode"] == 0, (n, body)

    limited = api.call("checkin/getcorpcheckinoption", {})
    body = limited.json()
    assert body["errcode"] == 45009
    assert body["errmsg"].startswith("api freq out of limit")
    assert body["errmsg"].endswith(
        "more info at https://open.work.weixin.qq.com/devtool/query?e=45009"
    )
    assert body["group"] == []
    assert set(body) == {"errcode", "errmsg", "group"}
    assert limited.headers["Error-Code"] == "45009"
    assert limited.headers["Error-Msg"] == body["errmsg"]

    # The limit is per endpoint: another check-in endpoint of the same corp still answers.
    other = api.post("checkin/getcheckinoption", {"datetime": 0, "useridlist": ["zhangsan"]})
    assert other["errcode"] == 0, other

    # And the real clients see it as their rate-limit exception.
    with pytest.raises(APILimitedException) as caught:
        wechatpy_client(server.base_url).oa.get_corp_checkin_option()
    assert caught.value.errcode == 45009

    async def work(client: Any) -> None:
        with pytest.raises(WeComRateLimitError) as caught:
            await client.checkin.get_checkin_all_options()
        assert caught.value.errcode == 45009
        assert caught.value.payload["group"] == []

    run_wecomkit(server.base_url, work)


def test_rate_limits_off_lets_the_61st_getcorpcheckinoption_through(
    shared_server: DakaServer, api_factory: Callable[..., Api]
) -> None:
    api = api_factory(shared_server, SHARED_CORPS["no-limits"])
    answers = [api.post("checkin/getcorpcheckinoption")["errcode"] for _ in range(61)]
    assert answers == [0] * 61
