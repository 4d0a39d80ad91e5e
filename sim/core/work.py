"""The work of a Pareto filter, estimated before it starts.

Filtering ``n`` points in ``d`` dimensions compares each point with the front found so far, so
its work is about ``n * F * d`` for a front of ``F`` points. ``F`` is not known in advance; its
expectation for points with independent continuous coordinates is the number of maxima
``H_d(n)``, with ``H_1(n) = 1`` and ``H_d(n) = sum_{i=1..n} H_{d-1}(i) / i`` (Bentley, Kung,
Schkolnick & Thompson 1978, "On the average number of maxima in a set of vectors", JACM 25(4)).
It grows like ``(ln n)^(d-1) / (d-1)!``: a handful of points in two dimensions, nearly every
point among 10^5 in sixteen. Utilities of opposed parties are negatively correlated, which
makes fronts larger still, so the estimate is a lower bound in the cases that matter and the
limit is set with that margin.
"""

from __future__ import annotations

import numpy as np

from sim.budgets import env_limit

MAX_PARETO_WORK = 3 * 10**11
"""Default largest estimated work (point comparisons times dimensions) of one Pareto filter
(``$SIM_MAX_PARETO_WORK``). The estimate counts the comparisons of a filter that compares each
point with the front so far; the k-d tree merge of :mod:`sim.core.maxima` does far fewer,
so the limit is set by measurement, not by the count: random scenarios of 16 parties whose
largest filter was estimated at 2.2e11 took 1.5-4.1 s of CPU for the whole analysis, 8.3e11
5.0-5.7 s, and 2e12 (2^20 bundles) 117 s (``benchmarks/bench_pareto_budget.py``; 1.8-6.3 s,
6.3-6.8 s and 263 s with the column-by-column divide and conquer it replaced, the same day)."""


def expected_maxima(n: int, d: int) -> float:
    """Expected number of maxima (front points) of ``n`` points with ``d`` independent
    continuous coordinates.

    Examples
    --------
    >>> expected_maxima(4, 1), round(expected_maxima(4, 2), 4)  # 1 + 1/2 + 1/3 + 1/4
    (1.0, 2.0833)
    """
    if n <= 0:
        return 0.0
    counts = np.ones(n)
    inverse = 1.0 / np.arange(1, n + 1)
    for _ in range(d - 1):
        counts = np.cumsum(counts * inverse)
    return float(min(counts[-1], n))


def pareto_work(n: int, d: int) -> float:
    """Estimated work of filtering ``n`` points in ``d`` dimensions: ``n * H_d(n) * d``."""
    return n * expected_maxima(n, d) * d


def work_refusal(n: int, d: int) -> str:
    """Why a Pareto filter of ``n`` points in ``d`` dimensions is refused ("" when it is not):
    its estimated work exceeds ``$SIM_MAX_PARETO_WORK`` (default :data:`MAX_PARETO_WORK`).
    Two dimensions are never refused (a sorted sweep finds that front in ``n log n``).

    Raises
    ------
    InputError
        ``$SIM_MAX_PARETO_WORK`` is set but is not a positive integer.

    Examples
    --------
    >>> work_refusal(10**6, 2), work_refusal(1000, 16)
    ('', '')
    >>> work_refusal(262_144, 16)[:45]
    'the frontier among 16 judges would filter 262'
    """
    limit = env_limit("SIM_MAX_PARETO_WORK", MAX_PARETO_WORK)
    if d <= 2:
        return ""
    most = n * n * d  # a front holds at most n points: the work is at most this (exact below 2^53)
    if most <= limit and most < 2**53:
        return ""  # without summing the expectation (6 ms for 2^18 points)
    work = pareto_work(n, d)
    if work <= limit:
        return ""
    return (
        f"the frontier among {d} judges would filter {n:,} points (about "
        f"{expected_maxima(n, d):,.0f} of them on the front), an estimated {work:.2g} "
        f"comparisons, more than the limit of {limit:.2g}; raise it with $SIM_MAX_PARETO_WORK"
    )
