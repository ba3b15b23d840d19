"""What ``daka serve`` prints when its output goes to a log file, not a terminal."""

from __future__ import annotations

from collections.abc import Callable

from tests.e2e.conftest import DakaServer


def test_the_startup_banner_is_one_line_in_a_log_file_however_long_its_paths(
    launch: Callable[..., DakaServer],
) -> None:
    server = launch()

    banner = [line for line in server.log().splitlines() if "daka serving" in line]

    assert len(banner) == 1, server.log()
    assert len(banner[0]) > 80  # longer than a default terminal, so rich would have wrapped it
    assert str(server.db_path) in banner[0]
    assert banner[0].rstrip().endswith("-media)")
