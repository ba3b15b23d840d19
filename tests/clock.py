"""The suite's "now" for tests that talk to real server processes: pinned, not the wall clock.

Each test process pins its clock at import: ``now()`` starts at ``DAKA_TEST_NOW`` (an ISO 8601
instant with a UTC offset; default :data:`DEFAULT_NOW`) and advances at real speed. Servers and
commands it starts get the same clock through ``DAKA_CLOCK`` as a shift from the wall clock
(see :func:`daka.settings.parse_clock`), so test and server agree to the millisecond on what
"now" and "today" are, whatever the wall clock says.

The default is a Thursday evening, between 21:00 and 24:00 Shanghai time: the hours in which a
window bug once made the end-to-end suite fail.
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime

from tests.factories import SHANGHAI

DEFAULT_NOW = "2026-12-03T21:30:00+08:00"


def _pinned() -> float:
    text = os.environ.get("DAKA_TEST_NOW") or DEFAULT_NOW
    start = datetime.fromisoformat(text)
    if start.tzinfo is None:
        raise ValueError(f"DAKA_TEST_NOW needs a UTC offset (…+08:00), not {text!r}")
    return start.timestamp()


# Seconds the suite's clock runs ahead of the wall clock (behind, if negative).
SHIFT = _pinned() - time.time()


def now() -> float:
    """The suite's current time (Unix seconds), the same as its servers'."""
    return time.time() + SHIFT


def now_int() -> int:
    return int(now())


def today() -> date:
    """The suite's current date in Shanghai."""
    return datetime.fromtimestamp(now(), SHANGHAI).date()


def clock_env() -> dict[str, str]:
    """The environment entry that puts a ``daka`` process on the suite's clock."""
    return {"DAKA_CLOCK": f"{SHIFT:+.6f}"}


def daka_environ(at: str | None = None) -> dict[str, str]:
    """This process's environment, with the suite's clock for a ``daka`` subprocess (or one
    that starts at the ISO 8601 instant ``at``)."""
    return {**os.environ, **({"DAKA_CLOCK": at} if at else clock_env())}


def away_from_midnight(margin_sec: int = 120) -> None:
    """Wait until Shanghai midnight on the suite's clock is more than ``margin_sec`` away.

    A test that works out "today" and then asks a server about it must not straddle midnight.
    With the default clock this never waits; with ``DAKA_TEST_NOW`` near midnight it may.
    """
    current = datetime.fromtimestamp(now(), SHANGHAI)
    since = current.hour * 3600 + current.minute * 60 + current.second
    until = 86_400 - since
    if until <= margin_sec:
        time.sleep(until + margin_sec)
    elif since < margin_sec:
        time.sleep(margin_sec - since + 1)
