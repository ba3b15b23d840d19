"""The 假期 endpoints against a real ``daka serve`` process, through wecomkit 0.2.0's approval
service (``get_vacation_config``, ``get_user_vacation``, ``set_user_vacation``), unchanged but
for its base URL. wechatpy has no vacation APIs.

The balances a client set survive ``daka org load`` of the same file from another process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wecomkit import WeComAPIError

from tests.api.test_vacations import vacation_corp
from tests.e2e.conftest import CorpKey, DakaServer, run_wecomkit
from tests.e2e.test_org_reload import org_load
from tests.factories import CORPID, SECRET, make_org

pytestmark = pytest.mark.slow

DAY = 86_400
CHECKIN_ONLY = CorpKey(CORPID, f"{SECRET}-checkin-only")


@pytest.fixture
def vacation_server(launch: Any) -> DakaServer:
    server: DakaServer = launch(org=make_org(vacation_corp()))
    return server


def test_wecomkit_reads_the_config_and_sets_a_balance_that_an_org_reload_keeps(
    vacation_server: DakaServer, tmp_path: Path
) -> None:
    async def configure(client: Any) -> tuple[Any, Any, Any]:
        conf = await client.approval.get_vacation_config()
        await client.approval.set_user_vacation(
            "zhangsan", 1, 2 * DAY + 43_200, 0, remarks="2.5 days after the audit"
        )
        quota = await client.approval.get_user_vacation("zhangsan")
        with pytest.raises(WeComAPIError) as refused:
            await client.approval.set_user_vacation("zhangsan", 3, DAY, 0)  # 不限额
        return conf, quota, refused.value

    conf, quota, refused = run_wecomkit(vacation_server.base_url, configure)

    assert [item["name"] for item in conf["lists"]] == ["年假", "调休", "事假"]
    assert conf["lists"][0]["quota_attr"]["quota_rules"]["list"][1]["quota"] == 518_400
    annual = quota["lists"][0]
    assert (annual["id"], annual["vacationname"], annual["leftduration"]) == (1, "年假", 216_000)
    assert refused.errcode == 301063 and "不限额" in refused.errmsg

    org_load(vacation_server, make_org(vacation_corp()), tmp_path / "again.json")

    async def reread(client: Any) -> Any:
        return await client.approval.get_user_vacation("zhangsan")

    assert run_wecomkit(vacation_server.base_url, reread)["lists"] == quota["lists"]


def test_wecomkit_gets_48002_for_an_app_without_approval_access(
    vacation_server: DakaServer,
) -> None:
    async def attempt(client: Any) -> list[int]:
        codes = []
        for call in (
            client.approval.get_vacation_config(),
            client.approval.get_user_vacation("zhangsan"),
            client.approval.set_user_vacation("zhangsan", 1, DAY, 0),
        ):
            with pytest.raises(WeComAPIError) as caught:
                await call
            codes.append(caught.value.errcode)
        return codes

    assert run_wecomkit(vacation_server.base_url, attempt, CHECKIN_ONLY) == [48002] * 3
