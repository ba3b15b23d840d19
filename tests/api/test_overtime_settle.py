"""调休 from overtime counted by punches (methods 0 and 1) is credited when its day is settled,
and a settle run again credits only what changed since."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner

from daka.cli import main
from daka.domain.errors import TimeRangeInvalid
from daka.services.overtime import settle_day
from daka.services.service import Service
from tests.api.test_report_overtime import FRIDAY, HOUR, SATURDAY, corp, day_conf, punches_only
from tests.factories import CORPID

__all__ = ["corp"]  # the fixture, shared with the overtime report tests

FRIDAY_DATE, SATURDAY_DATE = date(2026, 11, 20), date(2026, 11, 21)
CONVERTING = {
    "workdayconf": punches_only(ot_trans_enable=True),  # 1:1, credited to 调休
    "restdayconf": day_conf(1, ot_trans_enable=True, vacation={"trans_ratio": 200}),
}


def settle(service: Service, day: date) -> dict[str, int]:
    view = service.view(1)
    return {s.userid: s.change for s in settle_day(service.store, view, day, service.now())}


def test_settling_a_day_credits_its_punched_overtime_once(corp: Any, service: Service) -> None:
    hr = corp(CONVERTING)
    before = hr.tiaoxiu_left()
    hr.punch(FRIDAY + 8 * HOUR + 55 * 60, FRIDAY + 20 * HOUR)  # off 18:00 + 30 min → 1.5 h

    assert settle(service, FRIDAY_DATE) == {"zhangsan": 5400}
    assert hr.tiaoxiu_left() == before + 5400
    assert settle(service, FRIDAY_DATE) == {}  # nothing new: nothing moves
    assert hr.tiaoxiu_left() == before + 5400


def test_a_later_punch_credits_only_the_difference(corp: Any, service: Service) -> None:
    hr = corp(CONVERTING)
    before = hr.tiaoxiu_left()
    hr.punch(FRIDAY + 8 * HOUR + 55 * 60, FRIDAY + 20 * HOUR)
    settle(service, FRIDAY_DATE)

    hr.punch(FRIDAY + 21 * HOUR)  # left at 21:00 after all: 2.5 h

    assert settle(service, FRIDAY_DATE) == {"zhangsan": 3600}
    assert hr.tiaoxiu_left() == before + 9000


def test_a_rest_day_credits_at_its_own_ratio(corp: Any, service: Service) -> None:
    hr = corp(CONVERTING)
    before = hr.tiaoxiu_left()
    hr.punch(SATURDAY + 10 * HOUR, SATURDAY + 12 * HOUR)  # first → last: 2 h at 1:2

    assert settle(service, SATURDAY_DATE) == {"zhangsan": 4 * HOUR}
    assert hr.tiaoxiu_left() == before + 4 * HOUR


@pytest.mark.parametrize(
    "workdayconf",
    [
        pytest.param(day_conf(2, ot_trans_enable=True), id="approval-only-credited-at-approval"),
        pytest.param(punches_only(ot_trans_enable=True, ot_trans_type=2), id="converted-to-pay"),
        pytest.param(
            punches_only(ot_trans_enable=True, vacation={"sync_vacation": False}),
            id="tiaoxiu-not-synced",
        ),
    ],
)
def test_settling_credits_nothing_the_rule_does_not_convert_here(
    corp: Any, service: Service, workdayconf: dict[str, Any]
) -> None:
    hr = corp({"workdayconf": workdayconf})
    before = hr.tiaoxiu_left()
    hr.punch(FRIDAY + 8 * HOUR + 55 * 60, FRIDAY + 21 * HOUR)

    assert settle(service, FRIDAY_DATE) == {}
    assert hr.tiaoxiu_left() == before


def test_a_day_not_over_cannot_be_settled(corp: Any, service: Service) -> None:
    corp(CONVERTING)
    today = date(2026, 11, 23)  # the suite's "now" is Monday 2026-11-23

    with pytest.raises(TimeRangeInvalid):
        settle(service, today)


def test_daka_overtime_settle_credits_the_day_from_the_command_line(corp: Any, db_url: str) -> None:
    hr = corp(CONVERTING)
    before = hr.tiaoxiu_left()
    hr.punch(FRIDAY + 8 * HOUR + 55 * 60, FRIDAY + 20 * HOUR)

    result = CliRunner().invoke(
        main,
        ["overtime", "settle", "--corpid", CORPID, "--date", "2026-11-20", "--db", db_url],
        env={"DAKA_CLOCK": "2026-11-23T12:00:00+08:00"},
        catch_exceptions=False,
    )

    assert result.exit_code == 0, result.output
    assert "zhangsan: +5400" in result.output
    assert hr.tiaoxiu_left() == before + 5400
