"""The statistics, checked against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from curriculum_gen.plan.stats import binomial_greater, binomial_two_sided, mcnemar_exact, two_proportion_z


def test_binomial_upper_tail_matches_hand_counts() -> None:
    # P(X >= 8 | n=10, p=1/2) = (C(10,8) + C(10,9) + C(10,10)) / 2**10 = 56/1024
    assert binomial_greater(8, 10, 0.5) == pytest.approx(56 / 1024, rel=1e-12)
    # P(X >= 3 | n=3, p=0.2) = 0.2**3
    assert binomial_greater(3, 3, 0.2) == pytest.approx(0.008, rel=1e-12)
    assert binomial_greater(0, 10, 0.3) == 1.0
    # P(X >= 1 | n=4, p=0.1) = 1 - 0.9**4
    assert binomial_greater(1, 4, 0.1) == pytest.approx(1 - 0.9**4, rel=1e-12)


def test_binomial_handles_thousands_of_clients() -> None:
    p = binomial_greater(700, 1000, 0.67)
    assert 0.0 < p < 0.05  # 70% of 1,000 against 67% is significant
    assert binomial_greater(670, 1000, 0.67) > 0.4


def test_two_sided_binomial_and_exact_mcnemar() -> None:
    # n=10, p=1/2, k=2: outcomes 0,1,2,8,9,10 -> 2 * (1 + 10 + 45) / 1024
    assert binomial_two_sided(2, 10, 0.5) == pytest.approx(112 / 1024, rel=1e-9)
    assert mcnemar_exact(8, 2) == pytest.approx(112 / 1024, rel=1e-9)
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(5, 5) == pytest.approx(1.0)


def test_two_proportion_z_test() -> None:
    # 60/100 against 40/100: pooled 0.5, se = sqrt(0.5*0.5*0.02) = 0.0707.., z = 2.828..
    z = 0.2 / math.sqrt(0.25 * 0.02)
    assert two_proportion_z(60, 100, 40, 100) == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)
    assert two_proportion_z(60, 100, 40, 100) == pytest.approx(0.004678, abs=1e-5)
    assert two_proportion_z(5, 10, 5, 10) == 1.0
    assert two_proportion_z(0, 10, 0, 10) == 1.0
