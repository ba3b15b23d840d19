"""WeCom's published examples of getcheckin_daydata and getcheckin_monthdata answers, verbatim
(one copy, in ``tests/reports/wecom_examples/``).

The day example is SKIT's copy of the documentation's, whose ``ot_info`` carries all six
conversion fields; the month example is the 2023 documentation's with the ``rest_days`` that
the 2025 page adds. Both are internally inconsistent in places (tests/reports/
test_official_examples.py lists where): tests here read them as wire shapes, not arithmetic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_EXAMPLES = Path(__file__).parent / "reports" / "wecom_examples"


def _load(name: str) -> dict[str, Any]:
    return dict(json.loads((_EXAMPLES / f"{name}.json").read_text("utf-8")))


DAY_DATA: dict[str, Any] = _load("getcheckin_daydata")
MONTH_DATA: dict[str, Any] = _load("getcheckin_monthdata")
