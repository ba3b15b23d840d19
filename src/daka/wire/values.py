"""Small readers of loosely typed JSON values, shared by the hand-parsed endpoints."""

from __future__ import annotations

from typing import Any


def parse_uint(value: Any) -> int | None:
    """A non-negative integer from a JSON number or numeric string (WeCom accepts both).

    ``None`` when it is anything else, booleans included.
    """
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        return None
    return int(value)
