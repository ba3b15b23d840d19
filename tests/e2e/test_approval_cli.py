"""`daka approval …` as HR runs it: list the forms, approve one, and be told why an action
is refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from daka.demo import DEMO_CORPID
from daka.services.approvals import apply_event
from daka.services.corpview import load_view
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store
from daka.wire.approvals import ApplyEventRequest
from tests.clock import daka_environ, now_int
from tests.e2e.conftest import DAKA

EXAMPLE_ORG = Path(__file__).parents[2] / "examples" / "org.json"

pytestmark = pytest.mark.slow


def daka(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DAKA), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=daka_environ(),
    )


def file_outing(db_url: str) -> str:
    """An outing zhaoliu files next week (the example org's 外出 template, approver 吴九)."""
    engine = create_db_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    start = now_int() + 7 * 86_400
    form = {
        "creator_userid": "zhaoliu",
        "template_id": "demo-outing",
        "use_template_approver": 1,
        "apply_data": {
            "contents": [
                {
                    "control": "Attendance",
                    "id": "smart-time",
                    "value": {
                        "attendance": {
                            "date_range": {
                                "type": "hour",
                                "new_begin": start,
                                "new_end": start + 7200,
                            },
                            "type": 4,
                        }
                    },
                }
            ]
        },
        "summary_list": [{"summary_info": [{"text": "去银行", "lang": "zh_CN"}]}],
    }
    try:
        with store.read() as conn:
            corp = store.corp_by_corpid(conn, DEMO_CORPID)
            assert corp is not None
            view = load_view(store, conn, corp.id)
        return apply_event(store, view, ApplyEventRequest.parse(form), now_int())
    finally:
        engine.dispose()


def test_hr_lists_a_pending_form_approves_it_and_cannot_reject_it_after(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'daka.db'}"
    assert daka("org", "load", str(EXAMPLE_ORG), "--db", db).returncode == 0
    sp_no = file_outing(db)

    listed = daka("approval", "list", "--corpid", DEMO_CORPID, "--db", db)
    approved = daka("approval", "approve", sp_no, "--corpid", DEMO_CORPID, "--db", db)
    refused = daka("approval", "reject", sp_no, "--corpid", DEMO_CORPID, "--db", db)

    assert listed.returncode == 0
    row = next(line for line in listed.stdout.splitlines() if sp_no in line)
    assert "zhaoliu" in row and "1 审批中" in row and "wujiu" in row
    assert approved.returncode == 0 and approved.stdout.strip() == f"{sp_no} 2 已通过"
    assert refused.returncode == 2 and "301057" in refused.stderr


def test_an_unknown_corp_is_named(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'daka.db'}"

    result = daka("approval", "list", "--corpid", "wwnobody", "--db", db)

    assert result.returncode == 2 and "no corp wwnobody" in result.stderr
