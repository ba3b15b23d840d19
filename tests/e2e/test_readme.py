"""The README's Python snippets run as printed against `daka serve --demo`.

Only the demo server's address changes (the README says 127.0.0.1:8000). The snippets read the
wall clock ("the last week"), as a reader's code would, so their server runs on it too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import start_server

README = Path(__file__).parents[2] / "README.md"
README_URL = "http://127.0.0.1:8000"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def test_every_python_snippet_of_the_readme_runs_as_printed_against_a_demo_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) == 2 and all(README_URL in block for block in blocks)
    demo = start_server(tmp_path, use_org=False, extra_args=["--demo"], wall_clock=True)
    try:
        for i, block in enumerate(blocks):
            code = block.replace(README_URL, demo.base_url)
            namespace: dict[str, Any] = {"__name__": f"readme_{i}"}
            exec(compile(code, f"README.md[python {i}]", "exec"), namespace)
    finally:
        demo.stop()

    lines = capsys.readouterr().out.splitlines()
    # wechatpy printed zhangsan's week, row by row; the SDK counted the week's rows.
    assert any(line.startswith("上班打卡 ") for line in lines)
    counts = [
        m for line in lines if (m := re.fullmatch(r"(\d+) rows; (\d+) with an exception", line))
    ]
    assert len(counts) == 1 and int(counts[0][1]) >= int(counts[0][2]) and int(counts[0][1]) > 0
