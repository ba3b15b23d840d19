"""Output shared by the benchmark scripts: the figure table and the machine line."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Figure:
    """One line of the result table: part, what, figure, target and verdict."""

    part: str
    label: str
    value: str
    target: str = ""
    verdict: str = ""


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def machine_line(workdir: Path, load_before: float) -> str:
    return (
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.release()}; 1-min load average "
        f"{load_before:.2f} before / {load_average():.2f} after; "
        f"database files in {workdir.parent}"
    )


def revision() -> str:
    """The daka commit measured, with ``+dirty`` when src/ has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    return f"daka {head}{'+dirty' if dirty else ''}"


def print_table(title: str, figures: Sequence[Figure], machine: str) -> None:
    w_label = max(len(f.label) for f in figures)
    w_value = max(len(f.value) for f in figures)
    w_target = max(len(f.target) for f in figures)
    print()
    print(title)
    print(machine)
    print()
    for f in figures:
        print(
            f"{f.part}  {f.label:<{w_label}}  {f.value:>{w_value}}  "
            f"{f.target:<{w_target}}  {f.verdict}".rstrip()
        )


def step(message: str) -> Callable[..., None]:
    print(f"... {message}", end="", flush=True)
    t0 = time.perf_counter()

    def done(extra: str = "") -> None:
        print(f" {time.perf_counter() - t0:.1f} s{extra}", flush=True)

    return done
