"""docs/reports.md's example runs as printed against `daka serve --demo`.

Only the server's address changes. The example reads the wall clock ("last week"), as a
reader's code would, so its server runs on it too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import start_server

DOC = Path(__file__).parents[2] / "docs" / "reports.md"
DOC_URL = "http://127.0.0.1:8000"

pytestmark = pytest.mark.slow


def test_last_weeks_reports_read_as_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = re.findall(r"^```python\n(.*?)^```$", DOC.read_text("utf-8"), re.M | re.S)
    assert len(blocks) == 1
    demo = start_server(tmp_path, use_org=False, extra_args=["--demo"], wall_clock=True)
    try:
        namespace: dict[str, Any] = {"__name__": "reports_doc"}
        code = blocks[0].replace(DOC_URL, demo.base_url)
        exec(compile(code, "docs/reports.md[python 0]", "exec"), namespace)
    finally:
        demo.stop()

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 8
    days = [re.fullmatch(r"(\d{4}-\d\d-\d\d) ([01]) (\d+) \[(.*)\]", line) for line in lines[:7]]
    assert all(days), lines
    day_types = [m.group(2) for m in days if m]
    work_days, counted, rest_days = map(int, lines[7].split())
    # A statutory holiday in last week makes a weekday a rest day: count, don't assume 5.
    assert (work_days, rest_days) == (day_types.count("0"), day_types.count("1"))
    assert counted >= work_days
