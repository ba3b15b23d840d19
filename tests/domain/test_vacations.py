"""The pure arithmetic of balances: charges, refunds, grants and the setoneuserquota limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.domain.vacations import (
    DAY_UNIT,
    HOUR_UNIT,
    Balance,
    QuotaType,
    TimeAttr,
    Vacation,
    charged,
    credited,
    debited,
    duration_problem,
    format_duration,
    max_left,
    refunded,
    regranted,
    round_up,
    shortfall,
    with_left,
)

ANNUAL = Vacation(1, "年假", quota_type=QuotaType.YEARLY)
HOURLY = Vacation(2, "调休", time_attr=TimeAttr.HOURS, overtime=True)
UNLIMITED = Vacation(3, "事假", quota_type=QuotaType.UNLIMITED)
OVERDRAFT = Vacation(4, "病假", allow_overdraft=True)

vacations = st.sampled_from([ANNUAL, HOURLY, UNLIMITED, OVERDRAFT])
seconds = st.integers(min_value=0, max_value=1000 * DAY_UNIT)
balances = st.builds(
    Balance,
    vacation_id=st.just(1),
    assigned=seconds,
    real_assigned=seconds,
    used=seconds,
    left=st.integers(min_value=-100 * DAY_UNIT, max_value=1000 * DAY_UNIT),
)


@given(balances, vacations, seconds)
def test_a_charge_then_its_refund_restores_the_balance_exactly(balance, vacation, amount):
    if shortfall(balance, vacation, amount):
        return
    assert refunded(charged(balance, vacation, amount), vacation, amount) == balance


@given(balances, vacations, seconds)
def test_a_charge_is_refused_exactly_when_a_limited_balance_without_overdraft_is_short(
    balance, vacation, amount
):
    short = shortfall(balance, vacation, amount)

    assert (short > 0) == (
        vacation.limited and not vacation.allow_overdraft and balance.left < amount
    )
    if short:
        with pytest.raises(ValueError):
            charged(balance, vacation, amount)


@given(balances, vacations, seconds)
def test_a_charge_moves_used_and_for_limited_vacations_left(balance, vacation, amount):
    if shortfall(balance, vacation, amount):
        return
    after = charged(balance, vacation, amount)

    assert after.used == balance.used + amount
    assert after.left == (balance.left - amount if vacation.limited else balance.left)
    assert (after.assigned, after.real_assigned) == (balance.assigned, balance.real_assigned)


@given(balances, seconds)
def test_a_credit_then_its_debit_restores_the_balance(balance, amount):
    after = credited(balance, amount)

    assert after.left == balance.left + amount and after.assigned == balance.assigned + amount
    assert debited(after, amount) == balance


@given(balances, balances, balances)
def test_regranting_moves_by_the_difference_and_back(balance, before, after):
    assert regranted(regranted(balance, before, after), after, before) == balance
    assert regranted(balance, before, before) == balance


def test_negative_amounts_are_programming_errors():
    for move in (
        lambda: charged(Balance(1), ANNUAL, -1),
        lambda: refunded(Balance(1), ANNUAL, -1),
        lambda: credited(Balance(1), -1),
    ):
        with pytest.raises(ValueError):
            move()


@pytest.mark.parametrize(
    ("vacation", "duration", "problem"),
    [
        (ANNUAL, 0, None),
        (ANNUAL, 8640, None),
        (ANNUAL, 43_200, None),
        (ANNUAL, 1000 * DAY_UNIT, None),
        (ANNUAL, 360, "must be a multiple of 8640 (0.1 day)"),
        (ANNUAL, 1000 * DAY_UNIT + 8640, "must be at most 86400000 (1000 days)"),
        (HOURLY, 360, None),
        (HOURLY, 24_000 * HOUR_UNIT, None),
        (HOURLY, 100, "must be a multiple of 360 (0.1 hour)"),
        (HOURLY, 24_000 * HOUR_UNIT + 360, "must be at most 86400000 (24000 hours)"),
        (ANNUAL, -8640, "must not be negative"),
    ],
)
def test_balances_are_tenths_of_a_unit_up_to_1000_days_or_24000_hours(vacation, duration, problem):
    assert duration_problem(vacation, duration) == problem


@given(vacations, st.integers(min_value=0, max_value=10_000))
def test_every_tenth_of_a_unit_within_the_limit_is_a_balance(vacation, tenths):
    duration = tenths * vacation.grain
    assert (duration_problem(vacation, duration) is None) == (duration <= max_left(vacation))


def test_set_left_keeps_what_was_assigned_and_used():
    balance = Balance(1, assigned=5 * DAY_UNIT, real_assigned=4 * DAY_UNIT, used=DAY_UNIT, left=0)

    assert with_left(balance, 8640) == Balance(1, 5 * DAY_UNIT, 4 * DAY_UNIT, DAY_UNIT, 8640)


def test_a_minute_of_leave_is_a_tenth_of_an_hour_and_messages_speak_units():
    assert round_up(60, HOURLY.grain) == 360
    assert format_duration(ANNUAL, 129_600) == "1.5 days"
    assert format_duration(HOURLY, 360) == "0.1 hours"
    assert format_duration(ANNUAL, -DAY_UNIT) == "-1 days"
