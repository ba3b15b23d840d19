"""补卡 policy as a pure function: check_correction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daka.domain.corrections import Corrected, check_correction
from daka.domain.errors import (
    CorrectionLimitReached,
    CorrectionNotAllowed,
    EarlyCorrectionForbidden,
    LateCorrectionForbidden,
    MissingCorrectionForbidden,
    OtherCorrectionForbidden,
)
from daka.domain.rules import CorrectionPolicy
from daka.wire.rules import normalize_group, to_rule
from tests.factories import make_rule

DAY = date(2026, 11, 20)
OPEN = CorrectionPolicy(allowed=True)

policies = st.builds(
    CorrectionPolicy,
    allowed=st.booleans(),
    restriction=st.integers(min_value=0, max_value=15),
    per_month=st.integers(min_value=-1, max_value=99),
    within_days=st.integers(min_value=-1, max_value=180),
    next_month_day=st.integers(min_value=-1, max_value=28),
)
states = st.sampled_from(list(Corrected))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 1))


def test_an_open_policy_allows_any_correction():
    assert check_correction(OPEN, Corrected.LATE, used=50, day=DAY, today=DAY) is None


def test_a_rule_without_buka_refuses_with_301099():
    refusal = check_correction(CorrectionPolicy(), Corrected.MISSING, 0, DAY, DAY)

    assert isinstance(refusal, CorrectionNotAllowed) and refusal.errcode == 301099


@pytest.mark.parametrize(
    ("state", "kind", "errcode"),
    [
        (Corrected.MISSING, MissingCorrectionForbidden, 301101),
        (Corrected.LATE, LateCorrectionForbidden, 301102),
        (Corrected.EARLY, EarlyCorrectionForbidden, 301103),
        (Corrected.OTHER, OtherCorrectionForbidden, 301104),
    ],
)
def test_each_restriction_bit_closes_its_own_exception_type(state, kind, errcode):
    closed = CorrectionPolicy(allowed=True, restriction=int(state))

    refusal = check_correction(closed, state, 0, DAY, DAY)

    assert isinstance(refusal, kind) and refusal.errcode == errcode
    others = [s for s in Corrected if s is not state]
    assert all(check_correction(closed, s, 0, DAY, DAY) is None for s in others)


def test_the_monthly_count_day_limit_and_next_month_deadline_are_301105():
    assert isinstance(
        check_correction(
            CorrectionPolicy(allowed=True, per_month=2), Corrected.MISSING, 2, DAY, DAY
        ),
        CorrectionLimitReached,
    )
    assert isinstance(
        check_correction(
            CorrectionPolicy(allowed=True, within_days=1),
            Corrected.MISSING,
            0,
            DAY,
            DAY + timedelta(days=1),
        ),
        CorrectionLimitReached,
    )
    by_third = CorrectionPolicy(allowed=True, next_month_day=3)
    assert check_correction(by_third, Corrected.MISSING, 0, DAY, date(2026, 12, 3)) is None
    assert isinstance(
        check_correction(by_third, Corrected.MISSING, 0, DAY, date(2026, 12, 4)),
        CorrectionLimitReached,
    )


@given(
    policy=policies, state=states, used=st.integers(0, 200), day=days, late_by=st.integers(0, 400)
)
def test_refusals_only_grow_with_use_and_time(policy, state, used, day, late_by):
    today = day + timedelta(days=late_by)
    if check_correction(policy, state, used, day, today) is not None:
        assert check_correction(policy, state, used + 1, day, today) is not None
        assert check_correction(policy, state, used, day, today + timedelta(days=1)) is not None


@given(policy=policies, state=states, used=st.integers(0, 200), day=days)
def test_a_policy_without_buka_refuses_everything_and_a_closed_bit_its_type(
    policy, state, used, day
):
    refusal = check_correction(policy, state, used, day, day)
    if not policy.allowed:
        assert isinstance(refusal, CorrectionNotAllowed)
    elif policy.restriction & state:
        assert refusal is not None and refusal.errcode == 301100 + {1: 1, 2: 2, 4: 3, 8: 4}[state]


def test_to_rule_reads_the_policy_from_wecoms_fields():
    group = normalize_group(
        make_rule(
            allow_apply_offworkday=True,
            buka_restriction=5,
            allow_apply_bk_cnt=3,
            allow_apply_bk_day_limit=7,
            buka_limit_next_month=2,
        )
    )

    assert to_rule(group).corrections == CorrectionPolicy(
        allowed=True, restriction=5, per_month=3, within_days=7, next_month_day=2
    )
    assert to_rule(normalize_group(make_rule())).corrections == CorrectionPolicy()
