"""``daka report --jobs N`` renders batches in worker processes: the files are the ones a single
process writes, row for row, for more people than one batch."""

from __future__ import annotations

import csv
import io
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from daka.cli import main
from daka.exports import parallel
from daka.exports.layouts import Frame
from daka.exports.sources import BATCH, LocalSource
from daka.services.corpview import load_view
from daka.storage.store import Store
from tests.crowd import DAYS, FIRST, crowd_userid, load_crowd
from tests.factories import CORPID

PEOPLE = BATCH + 30  # two batches, the second short
SINCE, UNTIL = FIRST, FIRST + timedelta(days=DAYS - 1)
NOW = "2026-11-23T12:00:00+08:00"


@pytest.fixture
def crowd(store: Store) -> int:
    return load_crowd(store, PEOPLE)


def daka_report(db_url: str, *args: str) -> Any:
    result = CliRunner().invoke(
        main,
        ["report", *args, "--corpid", CORPID, "--db", db_url, "--since", f"{SINCE}"]
        + ["--until", f"{UNTIL}"],
        env={"DAKA_CLOCK": NOW},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result


def sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    # Row 2 says when the file was made: the same minute, but not worth comparing.
    return {ws.title: list(ws.iter_rows(min_row=3, values_only=True)) for ws in book.worksheets}


def test_the_day_workbook_from_workers_is_the_one_process_workbook(
    crowd: int, db_url: str, tmp_path: Path
) -> None:
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    daka_report(db_url, "day", "--jobs", "1", "--out", str(one))
    daka_report(db_url, "day", "--jobs", "2", "--out", str(two))

    alone, spread = sheets(one), sheets(two)
    assert spread == alone
    assert len(alone["概况统计与打卡明细"]) == 2 + PEOPLE * DAYS  # two header rows
    assert len(alone["打卡详情"]) > PEOPLE * 10


def test_the_month_csv_from_workers_is_the_one_process_csv(crowd: int, db_url: str) -> None:
    alone = daka_report(db_url, "month", "--format", "csv", "--jobs", "1").stdout
    spread = daka_report(db_url, "month", "--format", "csv", "--jobs", "3").stdout

    assert spread == alone
    rows = list(csv.DictReader(io.StringIO(alone)))
    assert [r["userid"] for r in rows] == [crowd_userid(k) for k in range(PEOPLE)]
    assert sum(int(r["except_days"]) for r in rows) > 0


class DyingInWorkers(LocalSource):
    """A source whose worker processes die on their first batch; the exporter's works."""

    exporter = os.getpid()

    def months(self, userids: Any, first: Any, last: Any) -> Any:
        if os.getpid() != self.exporter:
            os._exit(3)
        return super().months(userids, first, last)


def test_batches_of_workers_that_died_are_rendered_by_the_exporter(
    crowd: int, store: Store
) -> None:
    with store.read() as conn:
        view = load_view(store, conn, crowd)
    source = DyingInWorkers(store, view, 1_800_000_000)
    frame = Frame(view.tz, SINCE, UNTIL, 1_800_000_000)
    people = [crowd_userid(k) for k in range(PEOPLE)]
    job = parallel.Job("month", "csv", frame, SINCE, UNTIL)
    done: list[int] = []

    got = list(parallel.rendered_rows(source, people, job, 2, done.append))

    alone = LocalSource(store, view, 1_800_000_000)
    assert got == [
        row
        for part in (people[:BATCH], people[BATCH:])
        for row in parallel.render_batch(alone, job, part)
    ]
    assert done == [BATCH, PEOPLE - BATCH]
