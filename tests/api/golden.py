"""Golden JSON: responses compared with files under tests/golden/.

Volatile parts (the errmsg hint, the caller's ip, access tokens) are normalised first.
A missing golden file is a failure, in CI and locally alike: a test that writes its own
expectation would pass whatever the server answers. Run with DAKA_UPDATE_GOLDEN=1 to write
(or rewrite) the files, then review the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent.parent / "golden"
ERRMSG = re.compile(
    r"^(?P<text>.+), hint: \[(?P<hint>\d{25})\], from ip: (?P<ip>[^,]*), "
    r"more info at https://open\.work\.weixin\.qq\.com/devtool/query\?e=(?P<code>-?\d+)$"
)


def normalise(body: dict[str, Any]) -> dict[str, Any]:
    out = dict(body)
    if out.get("errcode", 0) != 0:
        match = ERRMSG.match(out["errmsg"])
        assert match, f"errmsg not shaped like WeCom's: {out['errmsg']!r}"
        assert int(match["code"]) == out["errcode"]
        out["errmsg"] = match["text"] + ", hint: [HINT], from ip: IP, more info at …"
    if "access_token" in out:
        assert len(out["access_token"]) >= 32
        out["access_token"] = "TOKEN"
    return out


def assert_golden(name: str, body: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    actual = normalise(body)
    if os.environ.get("DAKA_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n")
    elif not path.exists():
        raise AssertionError(
            f"golden file {path.name} is missing; "
            "run with DAKA_UPDATE_GOLDEN=1 to write it, then review it"
        )
    expected = json.loads(path.read_text())
    assert actual == expected


def assert_golden_case(request: Any, body: dict[str, Any]) -> None:
    """Golden JSON named after the running (parametrized) test case."""
    assert_golden(re.sub(r"[^\w.-]+", "_", request.node.name).strip("_"), body)
