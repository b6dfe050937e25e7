"""The few statistical tests the tool needs, exactly, in the standard library.

A small tested implementation rather than SciPy: three functions do not justify a
40 MB dependency. Binomial tails are summed exactly with integer binomial
coefficients and ``math.fsum``; the normal tail uses ``math.erfc``.
"""

from __future__ import annotations

import math


def binomial_pmf(k: int, n: int, p: float) -> float:
    """P(X = k) for X ~ Binomial(n, p)."""
    if not 0 <= k <= n:
        return 0.0
    if p in (0.0, 1.0):
        return 1.0 if (k == 0 and p == 0.0) or (k == n and p == 1.0) else 0.0
    # logs keep large n (thousands of clients) from overflowing floats
    log = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)
    return math.exp(log)


def binomial_greater(k: int, n: int, p: float) -> float:
    """One-sided exact p-value P(X >= k) for X ~ Binomial(n, p): is k significantly high?"""
    if k <= 0:
        return 1.0
    terms: list[float] = []
    for i in range(k, n + 1):
        term = binomial_pmf(i, n, p)
        terms.append(term)
        if i > n * p and term < 1e-17 * terms[0]:  # past the mode terms only shrink: the rest cannot count
            break
    return min(1.0, math.fsum(terms))


def binomial_two_sided(k: int, n: int, p: float) -> float:
    """Two-sided exact p-value: the total probability of outcomes no likelier than k."""
    if n == 0:
        return 1.0
    observed = binomial_pmf(k, n, p)
    slack = 1 + 1e-7  # outcomes equally likely up to rounding count as 'as extreme'
    return min(1.0, math.fsum(q for i in range(n + 1) if (q := binomial_pmf(i, n, p)) <= observed * slack))


def mcnemar_exact(improved: int, worsened: int) -> float:
    """Exact McNemar test on paired yes/no results: two-sided p for the discordant pairs."""
    return binomial_two_sided(improved, improved + worsened, 0.5)


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (x1 of n1 against x2 of n2)."""
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = (x1 + x2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return 1.0
    z = (x1 / n1 - x2 / n2) / spread
    return math.erfc(abs(z) / math.sqrt(2))
