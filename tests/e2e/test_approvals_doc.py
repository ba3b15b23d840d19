"""docs/approvals.md's example runs as printed against `daka serve --demo`.

Only the server's address changes. The example reads the wall clock ("next week's Monday"), as
a reader's code would, so its server runs on it too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import start_server

DOC = Path(__file__).parents[2] / "docs" / "approvals.md"
DOC_URL = "http://127.0.0.1:8000"

pytestmark = pytest.mark.slow


def test_the_half_day_leave_example_files_approves_and_charges_as_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = re.findall(r"^```python\n(.*?)^```$", DOC.read_text("utf-8"), re.M | re.S)
    assert len(blocks) == 1
    demo = start_server(tmp_path, use_org=False, extra_args=["--demo"], wall_clock=True)
    try:
        namespace: dict[str, Any] = {"__name__": "approvals_doc"}
        code = blocks[0].replace(DOC_URL, demo.base_url)
        exec(compile(code, "docs/approvals.md[python 0]", "exec"), namespace)
    finally:
        demo.stop()

    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"\d{12} 1 43200", lines[0])
    assert lines[1:] == ["0 2", "0.5 days of 年假 used"]
